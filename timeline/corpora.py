"""Corpus files (.jsonl, .csv, .parquet) -> Documents, one per record, read as they are needed.

A reader given a `skipped` list records a record it cannot read there (file, line, why) and goes on.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from timeline.errors import IngestError
from timeline.published import published_fields
from timeline.types import Document, PublishedSource, Skipped

FIELDS = ("id", "title", "published", "url", "text")
BINARY_HINT = "give .txt, .md, .html, .docx, .pdf, .rss/.atom/.xml feeds, .jsonl, .csv or .parquet files"
# Corpora can be large: a field may hold a long article.
csv.field_size_limit(2**27)


def skip(error: IngestError, skipped: list[Skipped] | None) -> None:
    """Record `error` as a skipped input when skipping, else raise it (the strict policy).

    Raises:
        IngestError: `skipped` is None.
    """
    if skipped is None:
        raise error
    skipped.append(Skipped(path=error.path, reason=error.message, line=error.line))


def document_from_record(record: dict, where: str, line: int, default_id: str,
                         source: PublishedSource = PublishedSource.FIELD) -> Document:
    """A document from a corpus record or API article (fields id, title, published, url, text).

    Raises:
        IngestError: the record has no text, or its date is not a date.
    """
    if not isinstance(record, dict):
        raise IngestError("record is not an object with a 'text' field", path=where, line=line)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise IngestError("record has no 'text'", path=where, line=line)
    fields = {}
    if record.get("published") not in (None, ""):
        fields = {**published_fields(str(record["published"]), where, line), "published_source": source}
    return Document(id=str(record.get("id") or default_id), text=text, title=str(record.get("title") or ""),
                    url=str(record.get("url") or ""), path=where, line=line, **fields)


@dataclass(frozen=True)
class RawRecord:
    """One non-blank line of a JSONL corpus, read but not yet parsed: parsing (JSON, the published date) costs
    more than reading, so a parallel build leaves it to the workers that tag the record."""

    path: str
    line: int
    text: str

    def document(self) -> Document:
        """Raises: IngestError: the line is not a JSON object with a 'text' field, or its date is not a date."""
        try:
            record = json.loads(self.text)
        except json.JSONDecodeError as exc:
            raise IngestError(f"not a JSON object: {exc.msg}", path=self.path, line=self.line) from None
        return document_from_record(record, self.path, self.line, f"{Path(self.path).stem}-{self.line}")


def jsonl_records(path: Path, lines: Iterable[str]) -> Iterator[RawRecord]:
    """The non-blank lines of a JSONL corpus, unparsed.

    Raises:
        IngestError: the corpus holds no records (once its lines are read).
    """
    count = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        count += 1
        yield RawRecord(str(path), number, line)
    if not count:
        raise IngestError("corpus holds no records", path=str(path))


def iter_jsonl(path: Path, lines: Iterable[str], skipped: list[Skipped] | None = None) -> Iterator[Document]:
    for record in jsonl_records(path, lines):
        try:
            yield record.document()
        except IngestError as error:
            skip(error, skipped)


@dataclass(frozen=True)
class RawRow:
    """One row of a CSV or Parquet corpus, split into fields but not yet made a document: checking its fields and
    reading its published date cost more than splitting the row, so a parallel build leaves that to the workers
    that tag the row, as it leaves a JSONL record's parsing (RawRecord)."""

    path: str
    line: int
    record: dict
    default_id: str

    def document(self) -> Document:
        """Raises: IngestError: the row has no text, or its date is not a date."""
        return document_from_record(self.record, self.path, self.line, self.default_id)


def built(rows: Iterable[RawRow], skipped: list[Skipped] | None) -> Iterator[Document]:
    for row in rows:
        try:
            yield row.document()
        except IngestError as error:
            skip(error, skipped)


def iter_csv(path: Path, lines: Iterable[str], skipped: list[Skipped] | None = None) -> Iterator[Document]:
    yield from built(csv_rows(path, lines), skipped)


def csv_rows(path: Path, lines: Iterable[str]) -> Iterator[RawRow]:
    """The rows of a CSV corpus, split into fields (in C, by the csv module) and not yet made documents.

    Raises:
        IngestError: there is no 'text' column, the CSV is malformed (once read up to there), or holds no rows.
    """
    reader = csv.DictReader(lines)
    if not reader.fieldnames or "text" not in [f.strip().lower() for f in reader.fieldnames]:
        raise IngestError(f"CSV needs a 'text' column (columns: {', '.join(FIELDS)})", path=str(path), line=1)
    count = 0
    try:
        for row in reader:
            count += 1
            record = {(k or "").strip().lower(): v for k, v in row.items()}
            yield RawRow(str(path), reader.line_num, record, f"{path.stem}-{count}")
    except csv.Error as exc:
        # The reader cannot find the next row after this: the rest of the file is left out.
        raise IngestError(f"malformed CSV: {exc} (the rest of the file is not read)", path=str(path),
                          line=reader.line_num) from None
    if not count:
        raise IngestError("corpus holds no records", path=str(path))


def iter_parquet(path: Path, skipped: list[Skipped] | None = None) -> Iterator[Document]:
    """Records of a Parquet corpus, a batch of rows at a time (columns as in JSONL: text, id, title, ...)."""
    yield from built(parquet_rows(path), skipped)


def parquet_rows(path: Path) -> Iterator[RawRow]:
    """The rows of a Parquet corpus, a batch at a time, not yet made documents.

    Raises:
        IngestError: pyarrow is missing, the file is not Parquet or has no 'text' column, or it holds no rows.
    """
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
            yield RawRow(str(path), number, record, f"{path.stem}-{number}")
    if not number:
        raise IngestError("corpus holds no records", path=str(path))


def corpus_lines(path: Path, skipped: list[Skipped] | None = None) -> Iterator[str]:
    """Lines of a corpus file read as they are needed, refusing binary or non-UTF-8 content with its line.

    When skipping, a line that is not UTF-8 is recorded and read as blank (so later lines keep their numbers).
    """
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise IngestError("no such file or folder", path=str(path)) from None
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror}", path=str(path)) from None
    with handle:
        head = handle.read(8192)
        if b"\x00" in head:
            raise IngestError("file is binary, not text", path=str(path), hint=BINARY_HINT)
        if not head.strip():
            raise IngestError("file is empty", path=str(path))
        handle.seek(0)
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                skip(IngestError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})",
                                 path=str(path), line=number, hint="save the file as UTF-8"), skipped)
                line = "\n"
            yield line.removeprefix("\ufeff") if number == 1 else line
