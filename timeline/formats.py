"""Newsroom formats (.docx, .pdf, RSS/Atom feeds, .md) -> article texts with their titles, dates and links.

Each reader gives `Article`s (title, header fields, body, the line or page they start on); ingest turns them into
Documents. A database export holding many articles in one .docx or .pdf is split at its article separators.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from timeline.errors import IngestError

DOCX_SUFFIXES = (".docx",)
PDF_SUFFIXES = (".pdf",)
FEED_SUFFIXES = (".rss", ".atom", ".xml")
# Lines that end one article of a news-database export and start the next (LexisNexis, Factiva, ProQuest).
SEPARATOR = re.compile(r"^\s*(?:End of Document|Document\s+[A-Za-z0-9]{10,}|_{10,}|={10,})\s*$", re.IGNORECASE)
HEADING_STYLES = ("Title", "Heading 1")
# A .docx is a zip: what it unpacks to is capped, so a small file cannot stand for gigabytes of XML (a "zip
# bomb"). A news export of a few hundred articles unpacks to a few megabytes at a few times its zipped size.
MAX_UNPACKED_BYTES = 32 * 1024 * 1024
MAX_UNPACK_RATIO = 100
MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w))")


@dataclass(frozen=True)
class Article:
    """One article found in a file: its body text, and what the file says about it."""

    text: str
    title: str = ""
    fields: dict = field(default_factory=dict)  # header-like fields: published, url, id
    line: int | None = None  # where it starts (paragraph or page number for .docx/.pdf, entry for feeds)


def split_exports(blocks: list[tuple[str, str, int]]) -> list[list[tuple[str, str, int]]]:
    """Blocks (text, style, position) grouped into articles at separator lines or, when several, at headings."""
    articles: list[list[tuple[str, str, int]]] = [[]]
    headings = sum(1 for _, style, _ in blocks if style in HEADING_STYLES)
    for block in blocks:
        text, style, _ = block
        if SEPARATOR.match(text):
            articles.append([])
            continue
        if headings > 1 and style in HEADING_STYLES and any(t.strip() for t, _, _ in articles[-1]):
            articles.append([])
        articles[-1].append(block)
    return [a for a in articles if any(t.strip() for t, _, _ in a)]


def article_of(blocks: list[tuple[str, str, int]]) -> Article:
    title = next((t.strip() for t, style, _ in blocks if style in HEADING_STYLES and t.strip()), "")
    text = "\n\n".join(t.strip() for t, style, _ in blocks if t.strip() and not (title and t.strip() == title
                                                                                  and style in HEADING_STYLES))
    return Article(text=text, title=title, line=blocks[0][2])


def check_unpacked_size(path: Path, data: bytes) -> None:
    """Raises: IngestError: the zip unpacks to more than MAX_UNPACKED_BYTES, or to MAX_UNPACK_RATIO times its size."""
    import zipfile

    try:
        unpacked = sum(member.file_size for member in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a zip: the reader below says so
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_UNPACK_RATIO * max(1, len(data)):
        raise IngestError(f"unpacks to {unpacked:,} bytes from {len(data):,}: more than an article file holds",
                          path=str(path), hint=f"split it into files of under {MAX_UNPACKED_BYTES // 2**20} MB "
                                                "of text")


def read_docx(path: Path, data: bytes) -> list[Article]:
    """Articles of a Word file: paragraphs (headings give titles), split where an export separates articles.

    Raises:
        IngestError: the file is not a readable .docx.
    """
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    check_unpacked_size(path, data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, XMLSyntaxError, KeyError, ValueError, OSError) as exc:
        raise IngestError(f"not a readable .docx file ({exc.__class__.__name__})", path=str(path)) from None
    blocks = [(p.text, p.style.name if p.style is not None else "", number)
              for number, p in enumerate(document.paragraphs, start=1)]
    return [article_of(group) for group in split_exports(blocks)]


def read_pdf(path: Path, data: bytes) -> list[Article]:
    """Articles of a PDF's text layer, page by page, split where an export separates articles.

    Raises:
        IngestError: the file is not a readable PDF or holds no text (a scan).
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [(page.extract_text() or "", number) for number, page in enumerate(reader.pages, start=1)]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise IngestError(f"not a readable PDF ({exc})", path=str(path)) from None
    blocks = [(line, "", number) for text, number in pages for line in text.split("\n")]
    if not any(text.strip() for text, _, _ in blocks):
        raise IngestError("PDF holds no text layer (a scanned image?)", path=str(path), hint="run OCR on it first")
    articles = []
    for group in split_exports(blocks):
        text = "\n".join(t.rstrip() for t, _, _ in group).strip("\n")
        articles.append(Article(text=text, line=group[0][2]))
    return articles


def html_to_text(html: str) -> str:
    """The text of an HTML fragment (a feed entry's summary or content), paragraphs kept apart."""
    import lxml.html
    from lxml.etree import ParserError

    if "<" not in html:
        return html.strip()
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except ParserError:
        return html.strip()
    for block in root.iter("p", "br", "div", "li", "h1", "h2", "h3"):
        block.tail = "\n\n" + (block.tail or "")
    return re.sub(r"\n{3,}", "\n\n", root.text_content()).strip()


def read_feed(path: Path, data: bytes) -> list[Article]:
    """One article per entry of an RSS or Atom feed, with its date, title and link.

    Raises:
        IngestError: the file is not a feed, or holds no entries.
    """
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = f": {parsed.bozo_exception}" if parsed.get("bozo") else ""
        raise IngestError(f"not an RSS or Atom feed with entries{reason}", path=str(path))
    articles = []
    for number, entry in enumerate(parsed.entries, start=1):
        content = entry.get("content") or []
        body = max((c.get("value", "") for c in content), key=len, default="") or entry.get("summary", "")
        fields = {"published": entry.get("published") or entry.get("updated") or "",
                  "url": entry.get("link", ""), "id": entry.get("id", "")}
        articles.append(Article(text=html_to_text(body), title=html_to_text(entry.get("title", "")),
                                fields=fields, line=number))
    return articles


def read_markdown(text: str) -> str:
    """Markdown as plain text: heading marks, link targets, images and emphasis marks removed."""
    lines = [MARKDOWN_HEADING.sub("", line) for line in text.split("\n")]
    return MARKDOWN_EMPHASIS.sub("", MARKDOWN_LINK.sub(r"\1", "\n".join(lines)))


def markdown_title(text: str) -> tuple[str, str]:
    """A Markdown text's first `# heading` as its title, and the rest."""
    lines = text.lstrip("\n").split("\n")
    if lines and re.match(r"^#\s+\S", lines[0]):
        return read_markdown(lines[0]).strip(), "\n".join(lines[1:]).lstrip("\n")
    return "", text
