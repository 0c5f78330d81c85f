"""The one error type a user ever sees: a problem with their input or options.

The CLI prints it as a single line, `FILE:LINE: problem`, and exits 1;
anything else escaping is a bug in Communique, not a user mistake.
"""

from __future__ import annotations


class CommuniqueError(Exception):
    """A user-facing problem, located in a file (and line) where known."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def located(self, file: str) -> CommuniqueError:
        """The same error, naming `file` if it does not name one yet."""
        if self.file is not None:
            return self
        return CommuniqueError(self.message, file=file, line=self.line)

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.line}: " if self.line is not None else f"{self.file}: "
        return f"{where}{self.message}"
