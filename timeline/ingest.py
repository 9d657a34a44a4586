"""Files and corpora (.txt, folders, .jsonl, .csv, .html) -> Document, each with its publication date and its source."""
from __future__ import annotations

import csv
import io
import json
import re
import statistics
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

from timeline.errors import DateError, IngestError
from timeline.timexes import as_date
from timeline.types import Document, PublishedSource

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm")
CORPUS_SUFFIXES = (".jsonl", ".csv", ".parquet")
UPLOAD_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + (".jsonl", ".csv")
HEADER = re.compile(r"^(title|published|date|url|source|id):\s*(.*)$", re.IGNORECASE)
FIELDS = ("id", "title", "published", "url", "text")
# Dates inside a URL: /2025/01/29/, /2025-01-29/, /20250129/.
URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)")
URL = re.compile(r"https?://\S+")
PUBLISHED_LINE = re.compile(r"\b(?:published|posted|updated|first published)(?:\s+on)?\s*:?\s+(.{6,40})", re.IGNORECASE)
# Corpora can be large: a field may hold a long article.
csv.field_size_limit(2**27)


def read_bytes(path: Path) -> str:
    """The text of a file, refusing what is empty, binary or not UTF-8.

    Raises:
        IngestError: naming the file (and the offset of the first bad byte).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError("no such file or folder", path=str(path)) from None
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror}", path=str(path)) from None
    return decode_text(data, path)


def decode_text(data: bytes, path: Path | str) -> str:
    """`data` as text, refusing what is empty, binary or not UTF-8; `path` names it in errors."""
    if not data.strip():
        raise IngestError("file is empty", path=str(path))
    if b"\x00" in data[:8192]:
        raise IngestError("file is binary, not text", path=str(path), hint="give .txt, .html, .jsonl or .csv files")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise IngestError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})", path=str(path),
                          line=line, hint="save the file as UTF-8") from None


def parse_published(value: str, path: str, line: int | None) -> date:
    """A publication date from a header or field: ISO (2025-01-29, 2025-01-29T10:00Z) or a written date.

    Raises:
        IngestError: the value is not a date.
    """
    value = value.strip()
    try:
        return as_date(value)
    except DateError:
        pass
    day = parse_written_date(value)
    if day is None:
        raise IngestError(f"Published: {value!r} is not a date", path=path, line=line,
                          hint="write it as YYYY-MM-DD")
    return day


def parse_written_date(value: str) -> date | None:
    """A full date written out ("January 29, 2025", "29 Jan 2025"), found by the tagger; None when there is none."""
    from timeline.timexes import tag_text

    for timex in tag_text(value, None):
        if timex.interval is not None and timex.interval.first == timex.interval.last and timex.resolved:
            return timex.interval.first
    return None


def split_header(text: str, path: str) -> tuple[dict[str, tuple[str, int]], str]:
    """Header lines (Title:, Published:, URL:) at the top of a .txt file, and the body after them."""
    lines = text.split("\n")
    header: dict[str, tuple[str, int]] = {}
    index = 0
    while index < len(lines):
        match = HEADER.match(lines[index].strip())
        if not match:
            break
        key = {"date": "published", "source": "url"}.get(match.group(1).lower(), match.group(1).lower())
        header[key] = (match.group(2).strip(), index + 1)
        index += 1
    if not header:
        return {}, text
    body = "\n".join(lines[index:]).lstrip("\n")
    return header, body


def document_from_text(path: Path, doc_id: str, text: str) -> Document:
    header, body = split_header(text, str(path))
    if not body.strip():
        raise IngestError("file has a header but no article text", path=str(path))
    published, source = None, PublishedSource.MISSING
    if "published" in header:
        value, line = header["published"]
        published, source = parse_published(value, str(path), line), PublishedSource.HEADER
    return Document(id=header.get("id", (doc_id, 0))[0] or doc_id, text=body, title=header.get("title", ("", 0))[0],
                    url=header.get("url", ("", 0))[0], published=published, published_source=source,
                    path=str(path))


def document_from_html(path: Path, doc_id: str, raw: str) -> Document:
    import trafilatura
    from htmldate import find_date

    text = trafilatura.extract(raw, include_comments=False, include_tables=False) or ""
    if not text.strip():
        raise IngestError("HTML page holds no article text", path=str(path))
    metadata = trafilatura.extract_metadata(raw)
    title = (metadata.title if metadata else "") or ""
    url = (metadata.url if metadata else "") or ""
    found = find_date(raw, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    published = date.fromisoformat(found) if found else None
    source = PublishedSource.INFERRED_HTML if published else PublishedSource.MISSING
    return Document(id=doc_id, text=text, title=title, url=url, published=published, published_source=source,
                    path=str(path))


def document_from_record(record: dict, where: str, line: int, default_id: str) -> Document:
    if not isinstance(record, dict):
        raise IngestError("record is not an object with a 'text' field", path=where, line=line)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise IngestError("record has no 'text'", path=where, line=line)
    published, source = None, PublishedSource.MISSING
    if record.get("published") not in (None, ""):
        published, source = parse_published(str(record["published"]), where, line), PublishedSource.FIELD
    return Document(id=str(record.get("id") or default_id), text=text, title=str(record.get("title") or ""),
                    url=str(record.get("url") or ""), published=published, published_source=source, path=where)


def iter_jsonl(path: Path, lines: Iterable[str]) -> Iterator[Document]:
    count = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise IngestError(f"not a JSON object: {exc.msg}", path=str(path), line=number) from None
        count += 1
        yield document_from_record(record, str(path), number, f"{path.stem}-{number}")
    if not count:
        raise IngestError("corpus holds no records", path=str(path))


def iter_csv(path: Path, lines: Iterable[str]) -> Iterator[Document]:
    reader = csv.DictReader(lines)
    if not reader.fieldnames or "text" not in [f.strip().lower() for f in reader.fieldnames]:
        raise IngestError(f"CSV needs a 'text' column (columns: {', '.join(FIELDS)})", path=str(path), line=1)
    count = 0
    try:
        for row in reader:
            count += 1
            record = {(k or "").strip().lower(): v for k, v in row.items()}
            yield document_from_record(record, str(path), reader.line_num, f"{path.stem}-{count}")
    except csv.Error as exc:
        raise IngestError(f"malformed CSV: {exc}", path=str(path), line=reader.line_num) from None
    if not count:
        raise IngestError("corpus holds no records", path=str(path))


def iter_parquet(path: Path) -> Iterator[Document]:
    """Records of a Parquet corpus, a batch of rows at a time (columns as in JSONL: text, id, title, ...)."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise IngestError("reading Parquet needs pyarrow", path=str(path), hint="pip install 'timeline[scale]'") from None
    try:
        corpus = pq.ParquetFile(path)
    except (OSError, ValueError) as exc:
        raise IngestError(f"not a Parquet file: {exc}", path=str(path)) from None
    columns = [c for c in corpus.schema_arrow.names if c.lower() in FIELDS]
    if "text" not in [c.lower() for c in columns]:
        raise IngestError(f"Parquet corpus needs a 'text' column (columns: {', '.join(FIELDS)})", path=str(path))
    number = 0
    for batch in corpus.iter_batches(batch_size=1024, columns=columns):
        for record in batch.to_pylist():
            number += 1
            record = {k.lower(): v for k, v in record.items()}
            yield document_from_record(record, str(path), number, f"{path.stem}-{number}")
    if not number:
        raise IngestError("corpus holds no records", path=str(path))


def corpus_lines(path: Path) -> Iterator[str]:
    """Lines of a corpus file read as they are needed, refusing binary or non-UTF-8 content with its line."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise IngestError("no such file or folder", path=str(path)) from None
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror}", path=str(path)) from None
    with handle:
        head = handle.read(8192)
        if b"\x00" in head:
            raise IngestError("file is binary, not text", path=str(path), hint="give .txt, .html, .jsonl or .csv files")
        if not head.strip():
            raise IngestError("file is empty", path=str(path))
        handle.seek(0)
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise IngestError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})",
                                  path=str(path), line=number, hint="save the file as UTF-8") from None
            yield line.removeprefix("\ufeff") if number == 1 else line


def count_documents(paths: Iterable[str | Path]) -> int | None:
    """How many documents `paths` hold, read cheaply (for a progress bar's total); None if a path is unreadable."""
    total = 0
    try:
        for path in map(Path, paths):
            if path.is_dir():
                total += count_documents(sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")
                                                and p.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES + CORPUS_SUFFIXES)) or 0
            elif path.suffix.lower() == ".jsonl":
                with path.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            elif path.suffix.lower() == ".csv":
                with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
                    total += max(0, sum(1 for _ in csv.reader(handle)) - 1)
            elif path.suffix.lower() == ".parquet":
                import pyarrow.parquet as pq

                total += pq.ParquetFile(path).metadata.num_rows
            else:
                total += 1
    except (OSError, ValueError, ImportError, csv.Error):
        return None  # reading will report the problem
    return total


def iter_path(path: Path) -> Iterator[Document]:
    """Documents of one path: a file, a corpus, or a folder of them (sorted by name)."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in
                       TEXT_SUFFIXES + HTML_SUFFIXES + CORPUS_SUFFIXES and not p.name.startswith("."))
        if not files:
            raise IngestError("folder holds no .txt, .html, .jsonl, .csv or .parquet files", path=str(path))
        for file in files:
            yield from iter_path(file)
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from iter_jsonl(path, corpus_lines(path))
    elif suffix == ".csv":
        yield from iter_csv(path, corpus_lines(path))
    elif suffix == ".parquet":
        yield from iter_parquet(path)
    else:
        yield from parse_file(path, read_bytes(path))


def parse_file(path: Path, text: str) -> Iterator[Document]:
    """Documents of one file's text, by the file's extension; `path` names them, it is never opened."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from iter_jsonl(path, io.StringIO(text))
    elif suffix == ".csv":
        yield from iter_csv(path, io.StringIO(text, newline=""))
    elif suffix in HTML_SUFFIXES:
        yield document_from_html(path, path.stem, text)
    else:
        yield document_from_text(path, path.stem, text)


def parse_upload(name: str, data: bytes) -> list[Document]:
    """Documents of an uploaded file; its name only chooses the format and the id, it never becomes a path.

    Raises:
        IngestError: the upload is empty, binary, not UTF-8 or malformed.
    """
    safe = Path(re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name.replace("\\", "/")).name) or "upload.txt")
    if safe.suffix.lower() not in UPLOAD_SUFFIXES:
        raise IngestError("not a .txt, .html, .jsonl or .csv file", path=safe.name)
    return list(parse_file(safe, decode_text(data, safe.name)))


def iter_documents(paths: Iterable[str | Path | Document], published: date | str | None = None) -> Iterator[Document]:
    """Read documents one at a time; `published` is the date of those that give none.

    Dates inferred from the text are filled here; the corpus consensus needs all documents (`read_documents`).

    Raises:
        IngestError: a path is missing or a file cannot be read as articles.
        DateError: `published` is not a date.
    """
    default = as_date(published)
    read = (doc for path in paths for doc in (iter_path(Path(path)) if not isinstance(path, Document) else [path]))
    for doc in unique_ids(read):
        yield date_document(doc, default)


def unique_ids(documents: Iterable[Document]) -> Iterator[Document]:
    """Documents with ids made unique: a second "a" becomes "a-2"."""
    seen: dict[str, int] = {}
    for doc in documents:
        count = seen.get(doc.id, 0)
        seen[doc.id] = count + 1
        yield replace(doc, id=f"{doc.id}-{count + 1}") if count else doc


def date_document(doc: Document, default: date | None) -> Document:
    """Give a document without a publication date the default one, else one inferred from its URL or text."""
    if doc.published is not None:
        return doc
    if default is not None:
        return replace(doc, published=default, published_source=PublishedSource.OPTION)
    inferred = infer_from_url(doc.url)
    if inferred:
        return replace(doc, published=inferred, published_source=PublishedSource.INFERRED_URL)
    inferred, source = infer_from_text(doc.text)
    if inferred:
        return replace(doc, published=inferred, published_source=source)
    return doc


def infer_from_url(url: str) -> date | None:
    match = URL_DATE.search(url or "")
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def infer_from_text(text: str) -> tuple[date | None, PublishedSource]:
    """A publication date stated in the text ("Published on ..."), else the latest date of a URL it cites.

    A cited article was published before the one citing it, so the latest cited date is a lower bound that
    news, written the same day as its sources, usually meets.
    """
    for match in PUBLISHED_LINE.finditer(text[:2000]):
        day = parse_written_date(match.group(1))
        if day:
            return day, PublishedSource.INFERRED_TEXT
    dates = [d for d in (infer_from_url(u) for u in URL.findall(text)) if d]
    if dates:
        return max(dates), PublishedSource.INFERRED_URL
    return None, PublishedSource.MISSING


def consensus_date(known: list[date]) -> date | None:
    """The median of the known publication dates (the lower middle one for an even count); None without any."""
    return statistics.median_low(known) if known else None


def date_by_consensus(documents: list[Document]) -> list[Document]:
    """Give documents that still lack a date the median date of the others in the same run."""
    known = [d.published for d in documents if d.published is not None]
    if not known or len(known) == len(documents):
        return documents
    consensus = consensus_date(known)
    return [d if d.published is not None else
            replace(d, published=consensus, published_source=PublishedSource.INFERRED_CORPUS) for d in documents]


def read_documents(paths: Iterable[str | Path], published: date | str | None = None) -> list[Document]:
    """All documents of `paths`, dated (header, default, inferred from text, or by the consensus of the others).

    Raises:
        IngestError: a path is missing or unreadable, or no document was found.
        DateError: `published` is not a date.
    """
    documents = list(iter_documents(paths, published))
    if not documents:
        raise IngestError("no documents to read")
    return date_by_consensus(documents)
