"""Newsroom formats: .docx (one article and a database export), .pdf, RSS and Atom feeds, .md, and uploads of them."""
from __future__ import annotations

from datetime import date

import pytest

from timeline.errors import IngestError
from timeline.ingest import read_documents
from timeline.types import PublishedSource, Skipped


def write_docx(path, paragraphs: list[tuple[str, str]]) -> None:
    import docx

    document = docx.Document()
    for text, style in paragraphs:
        document.add_paragraph(text, style=style or None)
    document.save(path)


def write_pdf(path, lines: list[str]) -> None:
    """A one-page PDF with `lines` in Helvetica, written object by object (offsets for the xref table)."""
    text = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*" for line in lines) + " ET"
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Contents 4 0 R "
               "/Resources << /Font << /F1 5 0 R >> >> >>",
               f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(out)


def test_read_docx_article_takes_heading_as_title(tmp_path):
    write_docx(tmp_path / "mill.docx", [("Mill to close after 80 years", "Title"), ("Published: 4 March 2025", ""),
                                        ("The owners said on Monday that the mill would close in June.", "")])
    [doc] = read_documents([tmp_path / "mill.docx"])
    assert doc.title == "Mill to close after 80 years" and doc.published == date(2025, 3, 4)
    assert doc.text == "The owners said on Monday that the mill would close in June."


def test_read_docx_export_is_split_into_articles(tmp_path):
    write_docx(tmp_path / "export.docx", [
        ("Ferry service resumes", "Heading 1"), ("Published: Feb. 3, 2009", ""), ("The ferry sailed on Tuesday.", ""),
        ("End of Document", ""),
        ("Harbour dredging starts", "Heading 1"), ("Published: 2009-02-10", ""), ("Dredgers arrived on Monday.", "")])
    docs = read_documents([tmp_path / "export.docx"])
    assert [(d.id, d.title, d.published) for d in docs] == [
        ("export-1", "Ferry service resumes", date(2009, 2, 3)), ("export-2", "Harbour dredging starts", date(2009, 2, 10))]
    assert docs[1].text == "Dredgers arrived on Monday."


def test_read_pdf_article(tmp_path):
    write_pdf(tmp_path / "story.pdf", ["Title: Council approves bridge repairs", "Published: 10 March 2025", "",
                                       "The council approved the repairs on Friday."])
    [doc] = read_documents([tmp_path / "story.pdf"])
    assert doc.title == "Council approves bridge repairs" and doc.published == date(2025, 3, 10)
    assert "approved the repairs on Friday" in doc.text


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Harbor Times</title>
<item><title>Bridge closed</title><link>https://harbor.example/bridge-closed</link>
<pubDate>Tue, 04 Mar 2025 23:30:00 -0500</pubDate><description>&lt;p&gt;Officials closed the bridge on Monday.&lt;/p&gt;</description></item>
<item><title>Repairs approved</title><link>https://harbor.example/repairs</link>
<pubDate>Mon, 10 Mar 2025 09:00:00 GMT</pubDate><description>The council approved repairs on Friday.</description></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Gazette</title>
<entry><title>Assessment begins</title><link href="https://gazette.example/a"/><id>urn:a</id>
<updated>2025-03-05T08:00:00+01:00</updated><content type="html">&lt;p&gt;Engineers began work on Tuesday.&lt;/p&gt;</content></entry>
</feed>"""


def test_read_rss_feed_one_document_per_entry(tmp_path):
    (tmp_path / "news.rss").write_text(RSS, encoding="utf-8")
    docs = read_documents([tmp_path / "news.rss"])
    assert [(d.title, d.url, d.published) for d in docs] == [
        ("Bridge closed", "https://harbor.example/bridge-closed", date(2025, 3, 4)),  # the publisher's day, not UTC's
        ("Repairs approved", "https://harbor.example/repairs", date(2025, 3, 10))]
    assert docs[0].published_source is PublishedSource.FEED and docs[0].published_at == "2025-03-04T23:30:00-05:00"
    assert docs[0].text == "Officials closed the bridge on Monday."


def test_read_atom_feed(tmp_path):
    (tmp_path / "gazette.atom").write_text(ATOM, encoding="utf-8")
    [doc] = read_documents([tmp_path / "gazette.atom"])
    assert (doc.title, doc.url, doc.published, doc.text) == ("Assessment begins", "https://gazette.example/a",
                                                             date(2025, 3, 5), "Engineers began work on Tuesday.")


def test_read_markdown_heading_is_title(tmp_path):
    (tmp_path / "note.md").write_text("# Mill closes\n\nThe **mill** [closed](https://x.example) on Monday.\n",
                                      encoding="utf-8")
    [doc] = read_documents([tmp_path / "note.md"], "2025-01-29")
    assert doc.title == "Mill closes" and doc.text == "The mill closed on Monday."


BROKEN = [("bad.docx", b"PK\x03\x04 not really a zip", "not a readable .docx"),
          ("bad.pdf", b"%PDF-1.4 nothing else", "not a readable PDF"),
          ("bad.rss", b"<html><body>no feed</body></html>", "not an RSS or Atom feed")]


@pytest.mark.parametrize("name,content,message", BROKEN, ids=[b[0] for b in BROKEN])
def test_read_broken_newsroom_file_names_it_or_is_skipped(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(IngestError, match=message) as error:
        read_documents([tmp_path / name])
    assert name in str(error.value)
    (tmp_path / "good.txt").write_text("Published: 2025-01-29\n\nIt closed on Monday.", encoding="utf-8")
    skipped: list[Skipped] = []
    assert [d.id for d in read_documents([tmp_path], skipped=skipped)] == ["good"]
    assert [s.path.rsplit("/", 1)[1] for s in skipped] == [name] and message in skipped[0].reason


def test_upload_accepts_good_files_and_lists_skipped(tmp_path):
    from web import create_app
    import io

    client = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite")}).test_client()
    write_docx(tmp_path / "a.docx", [("Published: 2025-03-04", ""), ("The bridge closed on Monday.", "")])
    files = [(io.BytesIO((tmp_path / "a.docx").read_bytes()), "a.docx"), (io.BytesIO(b"\x00\x01"), "b.txt"),
             (io.BytesIO(b"x"), "c.exe")]
    response = client.post("/timelines", data={"title": "Mixed", "files": files}, content_type="multipart/form-data")
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="skipped"' in html and "2 of 3 files skipped" in html
    assert "b.txt: file is binary" in html and "c.exe: not a .txt" in html
    timeline_id = response.headers["Location"].rsplit("/", 1)[1]
    body = client.get(f"/api/timelines/{timeline_id}").json
    assert [d["id"] for d in body["documents"]] == ["a"] and len(body["skipped"]) == 2
