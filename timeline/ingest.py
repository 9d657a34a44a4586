"""Files and corpora (.txt, .md, .html, .docx, .pdf, feeds, folders, .jsonl, .csv, .parquet) -> Document, dated.

Each document carries its publication date and where it came from. A reader given a `skipped` list records a
file or record it cannot read there (file, line, why) and goes on; without one it raises (the strict policy).
"""
from __future__ import annotations

import csv
import io
import re
import statistics
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from timeline.errors import DateError, IngestError
from timeline.corpora import (FIELDS, RawRecord, RawRow, corpus_lines, csv_rows, document_from_record, iter_csv,
                              iter_jsonl, iter_parquet, jsonl_records, parquet_rows, skip)
from timeline.formats import (DOCX_SUFFIXES, FEED_SUFFIXES, PDF_SUFFIXES, Article, markdown_title, read_docx,
                              read_feed, read_markdown, read_pdf)
from timeline.published import ambiguity_note, published_fields, read_published, settle_by_corpus, settle_by_own_evidence
from timeline.scraped import clean_text, load_rules
from timeline.timexes import as_date
from timeline.types import Document, PublishedReading, PublishedSource, Skipped

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm")
CORPUS_SUFFIXES = (".jsonl", ".csv", ".parquet")
BINARY_SUFFIXES = DOCX_SUFFIXES + PDF_SUFFIXES + FEED_SUFFIXES
FILE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + CORPUS_SUFFIXES + BINARY_SUFFIXES
UPLOAD_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + (".jsonl", ".csv") + BINARY_SUFFIXES
KNOWN = ".txt, .md, .html, .docx, .pdf, .rss/.atom/.xml feeds, .jsonl, .csv or .parquet"
HEADER = re.compile(r"^(title|published|date|url|source|id):\s*(.*)$", re.IGNORECASE)
# Dates inside a URL: /2025/01/29/, /2025-01-29/, /20250129/.
URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)")
URL = re.compile(r"https?://\S+")
PUBLISHED_LINE = re.compile(r"\b(?:published|posted|updated|first published)(?:\s+on)?\s*:?\s+(.{6,40})", re.IGNORECASE)
ONE_MONTH = timedelta(days=31)


def read_bytes(path: Path) -> str:
    """The text of a file, refusing what is empty, binary or not UTF-8.

    Raises:
        IngestError: naming the file (and the offset of the first bad byte).
    """
    return decode_text(read_raw(path, empty_ok=True), path)


def decode_text(data: bytes, path: Path | str) -> str:
    """`data` as text, refusing what is empty, binary or not UTF-8; `path` names it in errors."""
    if not data.strip():
        raise IngestError("file is empty", path=str(path))
    if b"\x00" in data[:8192]:
        raise IngestError("file is binary, not text", path=str(path), hint=f"give {KNOWN} files")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise IngestError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})", path=str(path),
                          line=line, hint="save the file as UTF-8") from None


def parse_published(value: str, path: str, line: int | None) -> date:
    """A publication date in any common written form (ISO, "3 February 2009", RSS, epoch seconds, 13-02-2009).

    Raises:
        IngestError: the value is not a date, or its day/month order is ambiguous (03-02-2009).
    """
    read = read_published(value, path, line)
    if read.day is None:
        readings = " or ".join(d.isoformat() for d in read.readings)
        raise IngestError(f"Published: {read.raw!r} is ambiguous ({readings})", path=path, line=line,
                          hint="write it as YYYY-MM-DD")
    return read.day


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
    """A document from a .txt/.md file's text: header lines, then the body cleaned of page furniture.

    Raises:
        IngestError: the header's date is not a date, or there is no article text.
    """
    header, body = split_header(text, str(path))
    title = header.get("title", ("", 0))[0]
    if path.suffix.lower() == ".md":
        heading, body = markdown_title(body)
        title, body = title or heading, read_markdown(body)
    if not body.strip():
        raise IngestError("file has a header but no article text", path=str(path))
    fields = {}
    if "published" in header:
        value, line = header["published"]
        fields = {**published_fields(value, str(path), line), "published_source": PublishedSource.HEADER}
    return cleaned_document(Document(id=header.get("id", (doc_id, 0))[0] or doc_id, text=body, title=title,
                                     url=header.get("url", ("", 0))[0], path=str(path), **fields))


def cleaned_document(doc: Document, titled: bool | None = None) -> Document:
    """`doc` with page furniture and its dateline out of the text; an untitled text's headline as its title."""
    cleaned = clean_text(doc.text, bool(doc.title) if titled is None else titled)
    return replace(doc, text=cleaned.text, title=doc.title or cleaned.title, place=cleaned.place,
                   dateline=cleaned.dateline, published_after=cleaned.cited_after)


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
    return cleaned_document(Document(id=doc_id, text=text, title=title, url=url, published=published,
                                     published_source=source, path=str(path)), titled=True)


def documents_from_articles(path: Path, articles: list[Article], source: PublishedSource,
                            skipped: list[Skipped] | None) -> Iterator[Document]:
    """Documents of the articles found in one .docx, .pdf or feed (header lines in their text read as in .txt)."""
    for number, article in enumerate(articles, start=1):
        doc_id = path.stem if len(articles) == 1 else f"{path.stem}-{number}"
        try:
            if article.fields:
                record = {"text": article.text, "title": article.title, **article.fields}
                record["id"] = doc_id
                doc = cleaned_document(document_from_record(record, str(path), article.line or number, doc_id,
                                                            source))
            else:
                doc = document_from_text(path, doc_id, article.text)
                doc = replace(doc, title=doc.title or article.title, line=article.line)
            yield doc
        except IngestError as error:
            skip(error, skipped)


def folder_files(path: Path) -> list[Path]:
    """The visible files of a folder, sorted by name (hidden files and subfolders are not inputs)."""
    return sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))


def count_documents(paths: Iterable[str | Path]) -> int | None:
    """How many documents `paths` hold, read cheaply (for a progress bar's total); None if a path is unreadable."""
    total = 0
    try:
        for path in map(Path, paths):
            if path.is_dir():
                total += count_documents([p for p in folder_files(path) if p.suffix.lower() in FILE_SUFFIXES]) or 0
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


def iter_path(path: Path, skipped: list[Skipped] | None = None, *,
              raw_records: bool = False) -> Iterator[Document | RawRecord | RawRow]:
    """Documents of one path: a file, a corpus, or a folder of them (sorted by name).

    With `skipped`, a file or record that cannot be read (a folder's unsupported files too) is recorded there.
    `raw_records=True` leaves a JSONL corpus's records unparsed (RawRecord) and a CSV or Parquet corpus's rows
    not yet made documents (RawRow), for workers to finish.

    Raises:
        IngestError: without `skipped`, the first input that cannot be read.
    """
    try:
        if path.is_dir():
            files = folder_files(path)
            if not files:
                raise IngestError(f"folder holds no {KNOWN} files", path=str(path))
            readable = [f for f in files if f.suffix.lower() in FILE_SUFFIXES]
            if not readable and skipped is None:
                raise IngestError(f"folder holds no {KNOWN} files", path=str(path))
            for file in files:
                if file.suffix.lower() not in FILE_SUFFIXES:
                    if skipped is not None:
                        skip(unsupported(file), skipped)
                    continue
                yield from iter_path(file, skipped, raw_records=raw_records)
            return
        suffix = path.suffix.lower()
        if suffix == ".jsonl" and raw_records:
            yield from jsonl_records(path, corpus_lines(path, skipped))
        elif suffix == ".csv" and raw_records:
            yield from csv_rows(path, corpus_lines(path, skipped))
        elif suffix == ".parquet" and raw_records:
            yield from parquet_rows(path)
        elif suffix == ".jsonl":
            yield from iter_jsonl(path, corpus_lines(path, skipped), skipped)
        elif suffix == ".csv":
            yield from iter_csv(path, corpus_lines(path, skipped), skipped)
        elif suffix == ".parquet":
            yield from iter_parquet(path, skipped)
        elif suffix in BINARY_SUFFIXES:
            yield from parse_data(path, read_raw(path), skipped)
        else:
            yield from parse_file(path, read_bytes(path))
    except IngestError as error:
        skip(error, skipped)


def unsupported(path: Path) -> IngestError:
    return IngestError(f"unsupported file type {path.suffix or '(none)'!r}", path=str(path), hint=f"give {KNOWN} files")


def read_raw(path: Path, *, empty_ok: bool = False) -> bytes:
    """The bytes of an article file (.docx, .pdf, feed, or text to decode), refusing what is empty unless
    `empty_ok` (text files say "empty" themselves, after decoding).

    Raises:
        IngestError: the file is missing, unreadable or empty.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError("no such file or folder", path=str(path)) from None
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror}", path=str(path)) from None
    if not empty_ok and not data.strip():
        raise IngestError("file is empty", path=str(path))
    return data


def parse_data(path: Path, data: bytes, skipped: list[Skipped] | None = None) -> Iterator[Document]:
    """Documents of a .docx, .pdf or feed file's bytes; `path` names them, it is never opened.

    Raises:
        IngestError: the file cannot be read in its format (without `skipped`: any of its articles either).
    """
    suffix = path.suffix.lower()
    if suffix in DOCX_SUFFIXES:
        yield from documents_from_articles(path, read_docx(path, data), PublishedSource.HEADER, skipped)
    elif suffix in PDF_SUFFIXES:
        yield from documents_from_articles(path, read_pdf(path, data), PublishedSource.HEADER, skipped)
    else:
        yield from documents_from_articles(path, read_feed(path, data), PublishedSource.FEED, skipped)


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


def parse_upload(name: str, data: bytes, skipped: list[Skipped] | None = None) -> list[Document]:
    """Documents of an uploaded file; its name only chooses the format and the id, it never becomes a path.

    Raises:
        IngestError: (without `skipped`) the upload is empty, binary, not UTF-8, malformed or of another type.
    """
    safe = Path(re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name.replace("\\", "/")).name) or "upload.txt")
    try:
        if safe.suffix.lower() not in UPLOAD_SUFFIXES:
            raise IngestError("not a .txt, .md, .html, .docx, .pdf, feed, .jsonl or .csv file", path=safe.name)
        if safe.suffix.lower() in BINARY_SUFFIXES:
            if not data.strip():
                raise IngestError("file is empty", path=safe.name)
            return list(parse_data(safe, data, skipped))
        text = decode_text(data, safe.name)
        if safe.suffix.lower() == ".jsonl":
            return list(iter_jsonl(safe, io.StringIO(text), skipped))
        if safe.suffix.lower() == ".csv":
            return list(iter_csv(safe, io.StringIO(text, newline=""), skipped))
        return list(parse_file(safe, text))
    except IngestError as error:
        skip(error, skipped)
        return []


def iter_documents(paths: Iterable[str | Path | Document], published: date | str | None = None, *,
                   skipped: list[Skipped] | None = None) -> Iterator[Document]:
    """Read documents one at a time; `published` is the date of those that give none.

    Dates inferred from the text are filled here; the corpus consensus needs all documents (`read_documents`).
    With `skipped`, inputs that cannot be read are recorded there and reading goes on.

    Raises:
        IngestError: (without `skipped`) a path is missing or a file cannot be read as articles.
        DateError: `published` is not a date.
    """
    default = as_date(published)
    load_rules()  # a broken rule file is a fault of ours, never a skipped document
    read = (doc for path in paths for doc in (iter_path(Path(path), skipped) if not isinstance(path, Document)
                                              else [path]))
    for doc in unique_ids(read):
        yield date_document(doc, default)


def iter_sources(paths: Iterable[str | Path | Document], *, skipped: list[Skipped] | None = None
                 ) -> Iterator[Document | RawRecord | RawRow | Skipped | IngestError]:
    """What `iter_documents` reads, in reading order, with corpus records left to the workers (RawRecord, RawRow)
    and ids and dates not settled yet: for builds whose workers parse, date and tag (timeline.scale). Each input
    skipped comes in its place among the records (a Skipped) when `skipped` is a list; without one (strict), the
    error that stops the read comes last, in its place, instead of being raised, so records read before it are
    built first.
    """
    load_rules()  # a broken rule file is a fault of ours, never a skipped document
    seen: list[Skipped] = []
    try:
        for path in paths:
            items = [path] if isinstance(path, Document) else iter_path(Path(path), None if skipped is None else seen,
                                                                           raw_records=True)
            for item in items:
                yield from seen
                seen.clear()
                yield item
            yield from seen
            seen.clear()
    except IngestError as error:
        yield error


def distinct_ids(documents: list[Document]) -> list[Document]:
    """Documents held in memory with ids made unique, every id a document was given kept: of "a, a, a-2" the
    second "a" becomes "a-3", as "a-2" names another document."""
    taken = {d.id for d in documents}
    return list(unique_ids(documents, taken))


class UniqueIds:
    """Makes ids unique as documents stream past: a second "a" becomes "a-2", or "a-3" when "a-2" is taken.

    An id is checked against the ids seen so far, so a later document named "a-2" gets "a-2-2" if an earlier
    duplicate took that name."""

    def __init__(self, taken: set[str] = frozenset()):
        self.taken = taken
        self.used: set[str] = set()
        self.suffix: dict[str, int] = {}

    def of(self, doc: Document) -> Document:
        new_id = doc.id
        if new_id in self.used:
            n = self.suffix.get(doc.id, 1)
            while new_id in self.used or new_id in self.taken:
                n += 1
                new_id = f"{doc.id}-{n}"
            self.suffix[doc.id] = n
        self.used.add(new_id)
        return doc if new_id == doc.id else replace(doc, id=new_id)


def unique_ids(documents: Iterable[Document], taken: set[str] = frozenset()) -> Iterator[Document]:
    """Documents with ids made unique (UniqueIds), streamed."""
    ids = UniqueIds(taken)
    for doc in documents:
        yield ids.of(doc)


def date_document(doc: Document, default: date | None) -> Document:
    """Date a document from what it says itself, else the default, else its own URL, dateline or text.

    An ambiguous day/month date is settled by the document's URL or text if they can; if not, it stays unset
    until the run's other documents are read (`date_late`). A URL the text only cites is never the date.
    """
    doc = settle_by_own_evidence(doc)
    if doc.published is not None or doc.published_reading is PublishedReading.AMBIGUOUS:
        return doc
    from_dateline = dateline_date(doc.dateline, default or doc.published_after)
    if from_dateline and (default is None or from_dateline[1]):  # a full dateline date outranks the default
        return replace(doc, published=from_dateline[0], published_source=PublishedSource.INFERRED_DATELINE)
    if default is not None:
        return replace(doc, published=default, published_source=PublishedSource.OPTION)
    inferred = infer_from_url(doc.url)
    if inferred:
        return replace(doc, published=inferred, published_source=PublishedSource.INFERRED_URL)
    if from_dateline:
        return replace(doc, published=from_dateline[0], published_source=PublishedSource.INFERRED_DATELINE)
    inferred, source = infer_from_text(doc.text)
    if inferred:
        return replace(doc, published=inferred, published_source=source)
    return doc


def dateline_date(dateline: str, reference: date | None) -> tuple[date, bool] | None:
    """The date a dateline names, and whether it gave its year; a "Jan 28" takes the year that puts it nearest
    before `reference` (None without one)."""
    if not dateline:
        return None
    match = load_rules().dateline.match(dateline + " x")
    written = match.group("date") if match else ""
    if not written:
        return None
    try:
        return read_published(written, "", None).day, True
    except IngestError:
        pass
    if reference is None:
        return None
    for year in (reference.year, reference.year - 1):
        try:
            day = read_published(f"{written} {year}", "", None).day
        except IngestError:
            return None
        if day is not None and day <= reference + ONE_MONTH:
            return day, False
    return None


def infer_from_url(url: str) -> date | None:
    """The date in a document's own URL (/2025/01/29/, /2025-01-29/, /20250129/); None when it holds none."""
    match = URL_DATE.search(url or "")
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def infer_from_text(text: str) -> tuple[date | None, PublishedSource]:
    """A publication date stated in the text ("Published on ..."); None when it states none.

    URLs the text cites are not its date: a cited article is older, so its date is only a lower bound
    (`Document.published_after`, found when the text is cleaned).
    """
    for match in PUBLISHED_LINE.finditer(text[:2000]):
        day = parse_written_date(match.group(1))
        if day:
            return day, PublishedSource.INFERRED_TEXT
    return None, PublishedSource.MISSING


def consensus_date(known: list[date]) -> date | None:
    """The median of the known publication dates (the lower middle one for an even count); None without any."""
    return statistics.median_low(known) if known else None


def date_late(waiting: list[Document], everyone: list[Document]) -> list[Document]:
    """Documents still undated once the run is read: ambiguous dates settled by the others' dates in the same
    pattern, then the rest given the median date of the dated ones (never before a date their text cites).

    A date that stays ambiguous stays unset: both readings are reported (`ambiguity_note`), none is guessed.
    """
    orders = settle_by_corpus([*waiting, *everyone])[:len(waiting)]
    consensus = consensus_date([d.published for d in everyone if d.published is not None])
    late = []
    for doc in orders:
        if doc.published is None and doc.published_reading is not PublishedReading.AMBIGUOUS and consensus:
            day = max(consensus, doc.published_after) if doc.published_after else consensus
            doc = replace(doc, published=day, published_source=PublishedSource.INFERRED_CORPUS)
        late.append(doc)
    return late


def date_by_consensus(documents: list[Document]) -> list[Document]:
    """Give documents that still lack a date the settled reading or the median date of the others in the run."""
    waiting = [i for i, d in enumerate(documents) if d.published is None]
    if not waiting:
        return documents
    late = dict(zip(waiting, date_late([documents[i] for i in waiting], documents)))
    return [late.get(i, d) for i, d in enumerate(documents)]


def read_documents(paths: Iterable[str | Path], published: date | str | None = None, *,
                   skipped: list[Skipped] | None = None) -> list[Document]:
    """All documents of `paths`, dated (header, default, inferred from text, or by the consensus of the others).

    With `skipped`, inputs that cannot be read are recorded there instead of raised.

    Raises:
        IngestError: a path is missing or unreadable (without `skipped`), or no document was found.
        DateError: `published` is not a date.
    """
    documents = list(iter_documents(paths, published, skipped=skipped))
    if not documents:
        raise nothing_read(skipped)
    return date_by_consensus(documents)


def nothing_read(skipped: list[Skipped] | None) -> IngestError:
    """The error for a run that read no document: the first reason when everything was skipped."""
    if skipped:
        first = skipped[0]
        more = f"; {len(skipped) - 1} more skipped" if len(skipped) > 1 else ""
        return IngestError(f"{first.reason} (no document could be read{more})", path=first.path, line=first.line)
    return IngestError("no documents to read")


def undated_notes(documents: Iterable[Document]) -> list[str]:
    """One line per document whose publication date stayed ambiguous."""
    return [ambiguity_note(d) for d in documents if d.published_reading is PublishedReading.AMBIGUOUS
            and d.published is None]
