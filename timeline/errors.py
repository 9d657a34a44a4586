"""TimelineError and its subclasses: each names the file, line or text at fault."""
from __future__ import annotations


class TimelineError(ValueError):
    """Base of every error timeline raises on purpose."""

    def __init__(self, message: str, *, path: str = "", line: int | None = None, hint: str = ""):
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} (hint: {self.hint})" if self.hint else text


class IngestError(TimelineError):
    """An input file or record cannot be read as articles."""


class RuleError(TimelineError):
    """The rule file is malformed."""


class DateError(TimelineError):
    """A date given by a user (header, option, field) is not a valid date."""


class StoreError(TimelineError):
    """The database cannot be opened or holds no such timeline."""


class BudgetExceeded(TimelineError):
    """A build went past a limit set for it (articles, characters, expressions, seconds); `limit` names which.

    `too_large` tells a request that was too big from the start (articles, characters: HTTP 413) from one that
    turned out too costly while it was built (expressions, seconds: HTTP 422)."""

    def __init__(self, message: str, *, limit: str, too_large: bool, hint: str = ""):
        self.limit = limit
        self.too_large = too_large
        super().__init__(message, hint=hint)
