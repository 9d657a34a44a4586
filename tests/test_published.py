"""Publication dates as written: every common form, time zones, strictness, and ambiguous day/month settled or reported."""
from __future__ import annotations

from datetime import date

import pytest

from timeline.errors import IngestError
from timeline.ingest import read_documents
from timeline.published import read_published
from timeline.types import PublishedReading

FEB_3 = date(2009, 2, 3)  # a Tuesday
FORMS = [
    ("2009-02-03", FEB_3, ""),
    ("Feb. 3, 2009", FEB_3, ""),
    ("3 February 2009", FEB_3, ""),
    ("Tuesday, February 3, 2009", FEB_3, ""),
    ("Tue, 03 Feb 2009 10:00:00 GMT", FEB_3, "2009-02-03T10:00:00+00:00"),
    ("2009-02-03T23:30:00-05:00", FEB_3, "2009-02-03T23:30:00-05:00"),  # the publisher's day, 04:30 UTC on the 4th
    ("1233655200", FEB_3, "2009-02-03T10:00:00+00:00"),
    ("13-02-2009", date(2009, 2, 13), ""),
    ("02/13/2009", date(2009, 2, 13), ""),
    ("2009/02/03", FEB_3, ""),
    ("03.03.2009", date(2009, 3, 3), ""),
]


@pytest.mark.parametrize("written,expected,at", FORMS, ids=[f[0] for f in FORMS])
def test_read_published_common_forms(written, expected, at):
    read = read_published(written, "f.txt", 2)
    assert (read.day, read.at, read.readings) == (expected, at, ())


@pytest.mark.parametrize("written", ["yesterday", "2 days ago", "today", "last Tuesday", "March 2009", "2009-02-30",
                                     "31/31/2009"])
def test_read_published_refuses_relative_and_partial_dates(written):
    with pytest.raises(IngestError, match="is not a date") as error:
        read_published(written, "f.txt", 2)
    assert str(error.value).startswith("f.txt:2:")


def test_read_published_ambiguous_keeps_both_readings():
    read = read_published("03-02-2009", "f.txt", 2)
    assert read.day is None and read.readings == (date(2009, 2, 3), date(2009, 3, 2))


def write(folder, name, published, body="The ferry sailed on Monday.", url=""):
    header = f"Title: {name}\nPublished: {published}\n" + (f"URL: {url}\n" if url else "")
    (folder / f"{name}.txt").write_text(header + "\n" + body, encoding="utf-8")


def test_ambiguous_date_settled_by_other_documents_in_the_same_pattern(tmp_path):
    write(tmp_path, "a", "03-02-2009")
    write(tmp_path, "b", "25-02-2009")  # only day-first reads: the run writes day first
    docs = {d.id: d for d in read_documents([tmp_path])}
    assert docs["a"].published == FEB_3 and docs["a"].published_reading is PublishedReading.SETTLED_CORPUS
    assert docs["b"].published_reading is PublishedReading.UNAMBIGUOUS


def test_ambiguous_date_not_settled_by_another_pattern(tmp_path):
    write(tmp_path, "a", "03-02-2009")
    write(tmp_path, "b", "25/02/2009")
    docs = {d.id: d for d in read_documents([tmp_path])}
    assert docs["a"].published is None and docs["a"].published_reading is PublishedReading.AMBIGUOUS


def test_ambiguous_date_settled_by_own_url(tmp_path):
    write(tmp_path, "a", "03-02-2009", url="https://news.example/2009/03/02/ferry")
    [doc] = read_documents([tmp_path])
    assert doc.published == date(2009, 3, 2) and doc.published_reading is PublishedReading.SETTLED_URL


def test_ambiguous_date_settled_by_text_dates(tmp_path):
    write(tmp_path, "a", "03-02-2009", body="The ferry sailed on March 1, 2009, a day late.")
    [doc] = read_documents([tmp_path])
    assert doc.published == date(2009, 3, 2) and doc.published_reading is PublishedReading.SETTLED_TEXT


def test_unsettled_date_is_reported_with_both_readings(tmp_path, capsys):
    from timeline.cli import main

    write(tmp_path, "a", "03-02-2009")
    write(tmp_path, "b", "2009-02-04")
    out = tmp_path / "t.json"
    assert main(["build", str(tmp_path), "--out", str(out), "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "a: publication date '03-02-2009' is ambiguous (2009-02-03 or 2009-03-02)" in err
    import json

    [doc] = [d for d in json.loads(out.read_text(encoding="utf-8"))["documents"] if d["id"] == "a"]
    assert doc["published"] is None and doc["published_reading"] == "ambiguous"
    assert doc["published_readings"] == ["2009-02-03", "2009-03-02"]  # never the others' consensus


def test_read_csv_and_jsonl_written_dates(tmp_path):
    (tmp_path / "c.csv").write_text('id,published,text\nc1,"Feb. 3, 2009",Text.\n', encoding="utf-8")
    (tmp_path / "j.jsonl").write_text('{"id": "j1", "published": 1233655200, "text": "Text."}\n', encoding="utf-8")
    assert [d.published for d in read_documents([tmp_path / "c.csv", tmp_path / "j.jsonl"])] == [FEB_3, FEB_3]


def test_wikinews_folder_reads_every_article(shared, capsys, tmp_path):
    from timeline.cli import main

    assert main(["build", str(shared / "corpora" / "wikinews-airbus"), "--out", str(tmp_path / "e.csv"), "--no-progress"]) == 0
    err = capsys.readouterr().err
    # 30 articles and the README read; the gold .tsv is named as unsupported, not silently ignored.
    assert "31 of 32 documents read, 1 skipped" in err and "gold_timelines.tsv: unsupported file type '.tsv'" in err
