"""Exception classes, kept in one place."""

from __future__ import annotations


class DyadeError(Exception):
    """Base class for dyade errors."""


class InputError(DyadeError):
    """An input that cannot be read: names the file (and line) and the reason."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class PipelineError(DyadeError):
    """A pipeline that cannot be built (unknown stage, stages out of order)."""


class DataFileError(DyadeError):
    """A packaged data file that is malformed: names the file and the row."""


class SkipArticle(DyadeError):
    """Raised by a stage for an article that is not to be coded (not French, too long); not a bug.

    `reason` is machine-readable (`language`, `size`); `detail` says what was found.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
