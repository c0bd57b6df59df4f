"""Errors raised for problems in the user's input.

Every problem a user can cause (a missing column, an unreadable timestamp, a
duplicate id) is raised as :class:`InputError`. The CLI prints its message on
one line and exits with code 2; nothing is written to the output folder.
"""
from __future__ import annotations

__all__ = ["InputError"]


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
        self.source = str(source)
        self.message = message
        self.row = row
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        location = f" {', '.join(where)}:" if where else ""
        return f"{self.source}:{location} {self.message}"
