"""Ingest: headers, corpora, HTML, inferred dates, and a clear error naming the file for each bad input."""
from __future__ import annotations

import json
from datetime import date

import pytest

from timeline.errors import IngestError
from timeline.ingest import read_documents
from timeline.types import PublishedSource


def test_read_txt_header(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Title: A story\nPublished: 2025-01-29\nURL: https://x.example/a\n\nBody on Monday.", encoding="utf-8")
    [doc] = read_documents([path])
    assert (doc.id, doc.title, doc.url, doc.published) == ("story", "A story", "https://x.example/a", date(2025, 1, 29))
    assert doc.published_source is PublishedSource.HEADER and doc.text == "Body on Monday."


def test_read_option_is_default_only(tmp_path):
    (tmp_path / "a.txt").write_text("Published: 2024-05-01\n\nText.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Text without header.", encoding="utf-8")
    docs = {d.id: d for d in read_documents([tmp_path], "2025-01-29")}
    assert docs["a"].published == date(2024, 5, 1) and docs["b"].published == date(2025, 1, 29)
    assert docs["b"].published_source is PublishedSource.OPTION


def test_read_jsonl_and_csv(tmp_path):
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "j1", "published": "2025-01-02", "text": "One."}) + "\n"
                                      + json.dumps({"text": "Two."}) + "\n", encoding="utf-8")
    (tmp_path / "d.csv").write_text("id,title,published,url,text\nc1,T,2025-01-03,,Three.\n", encoding="utf-8")
    docs = read_documents([tmp_path / "c.jsonl", tmp_path / "d.csv"])
    assert [d.id for d in docs] == ["j1", "c-2", "c1"]
    assert docs[1].published_source is PublishedSource.INFERRED_CORPUS  # the others' consensus


def test_read_html_takes_text_and_date(tmp_path):
    page = ("<html><head><title>Bridge closed</title><meta property='article:published_time' content='2025-03-04'>"
            "</head><body><article><h1>Bridge closed</h1><p>" + "Officials closed the bridge on Monday after "
            "inspectors found cracks in a beam. " * 5 + "</p></article></body></html>")
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    [doc] = read_documents([tmp_path / "page.html"])
    assert "closed the bridge on Monday" in doc.text
    assert doc.published == date(2025, 3, 4) and doc.published_source is PublishedSource.INFERRED_HTML


def test_read_infers_published_line(tmp_path):
    (tmp_path / "a.txt").write_text("Published on January 29, 2025\nShares fell on Monday.", encoding="utf-8")
    [doc] = read_documents([tmp_path])
    assert doc.published == date(2025, 1, 29) and doc.published_source is PublishedSource.INFERRED_TEXT


BAD = [
    ("empty.txt", b"", "file is empty", None),
    ("blank.txt", b"  \n\n", "file is empty", None),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary", None),
    ("latin1.txt", "Caf\u00e9 opened on Monday.".encode("latin-1"), "not UTF-8", 1),
    ("date.txt", b"Title: x\nPublished: last Tuesday-ish\n\nBody.", "is not a date", 2),
    ("empty.jsonl", b"\n\n", "file is empty", None),
    ("bad.jsonl", b'{"text": "ok"}\n{broken\n', "not a JSON object", 2),
    ("notext.jsonl", b'{"text": "ok"}\n{"title": "no text"}\n', "no 'text'", 2),
    ("nocol.csv", b"id,title\n1,x\n", "'text' column", 1),
    ("baddate.csv", b"id,published,text\n1,2025-02-30,x\n", "is not a date", 2),
]


@pytest.mark.parametrize("name,content,message,line", BAD, ids=[b[0] for b in BAD])
def test_read_bad_input_names_file(tmp_path, name, content, message, line):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError, match=message) as error:
        read_documents([path])
    assert name in str(error.value)
    if line is not None:
        assert error.value.line == line and f"{name}:{line}" in str(error.value)


def test_read_missing_path(tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        read_documents([tmp_path / "nope"])


def test_read_empty_folder(tmp_path):
    with pytest.raises(IngestError, match="holds no"):
        read_documents([tmp_path])


def test_read_duplicate_ids_are_kept_apart(tmp_path):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text(f"Text {folder}.", encoding="utf-8")
    assert [d.id for d in read_documents([tmp_path / "x", tmp_path / "y"])] == ["a", "a-2"]


def test_read_parquet_corpus(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"id": ["p1", "p2"], "text": ["The mill closed on Monday.", "Shares fell."],
                      "published": ["2025-01-29", None], "Title": ["Mill", ""]})
    pq.write_table(table, tmp_path / "corpus.parquet")
    docs = read_documents([tmp_path / "corpus.parquet"], "2025-02-03")
    assert [(d.id, d.title, d.published) for d in docs] == [("p1", "Mill", date(2025, 1, 29)), ("p2", "", date(2025, 2, 3))]


def test_read_parquet_without_text_column_names_file(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"body": ["x"]}), tmp_path / "c.parquet")
    with pytest.raises(IngestError, match=r"c\.parquet: Parquet corpus needs a 'text' column"):
        read_documents([tmp_path / "c.parquet"])
    (tmp_path / "d.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(IngestError, match=r"d\.parquet: not a Parquet file"):
        read_documents([tmp_path / "d.parquet"])
