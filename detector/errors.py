"""Errors raised for problems in the user's input.

Every problem a user can cause (a missing column, an unreadable timestamp, a
duplicate id) is raised as :class:`InputError`. The CLI prints its message on
one line and exits with code 2; nothing is written to the output folder.
"""
from __future__ import annotations

__all__ = ["InputError", "clip"]


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, saying how much was left out, and on one line
    (an error message must stay readable when a column name is 5 MB of junk).

    >>> clip("a" * 50, 30)
    'aaaaaaaaaaaaaaa… (+35 chars)'
    """
    text = text.replace("\r", " ").replace("\n", " ")
    if len(text) <= limit:
        return text
    keep = max(limit - 20, limit // 2)
    return text[:keep] + f"… (+{len(text) - keep} chars)"


class InputError(ValueError):
    """A problem with an input file or table, located as precisely as possible.

    Parameters
    ----------
    source : str
        The file name (or ``"<registrations DataFrame>"`` for in-memory input).
    message : str
        What was wrong and what was expected, in plain words.
    row : int, optional
        1-based data row (the header is not counted), when the problem is in one row.
    column : str, optional
        The column concerned, under the name it has in the file.

    Examples
    --------
    >>> str(InputError("regs.csv", "cannot read '2020-13-01' as a timestamp", row=3, column="created_at"))
    "regs.csv: row 3, column 'created_at': cannot read '2020-13-01' as a timestamp"
    """

    def __init__(self, source: str, message: str, *, row: int | None = None, column: str | None = None):
        self.source = clip(str(source), 300)
        self.message = clip(str(message), 700)
        self.row = row
        self.column = None if column is None else clip(str(column), 100)
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        location = f" {', '.join(where)}:" if where else ""
        return f"{self.source}:{location} {self.message}"
