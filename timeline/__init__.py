"""timeline: news articles in, a dated, ordered, sourced timeline of events out."""
from __future__ import annotations

from datetime import date

from timeline.pipeline import build_from_documents, build_timeline
from timeline.timexes import tag_text
from timeline.types import Timex

__version__ = "0.1.0"


def tag(text: str, published: str | date | None = None) -> list[Timex]:
    """Temporal expressions of `text`, each with offsets, TIMEX3 type and value, and calendar interval.

    `published` (ISO date string, date, or None) anchors relative expressions; with None they stay unresolved.

    Raises:
        DateError: `published` is not an ISO date.
    """
    return tag_text(text, published)


__all__ = ["tag", "build_timeline", "build_from_documents", "__version__"]
