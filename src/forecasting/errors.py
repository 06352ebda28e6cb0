"""User-facing errors.

Every problem a user can fix (a bad file, a bad parameter, a bad setting) is raised as a
:class:`InputError` naming the file, the row and the column where known. The CLI prints it as one
line and exits non-zero; it never shows a traceback for these.
"""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """A problem with the user's input: a file, a row, a column, a parameter or a setting.

    Parameters
    ----------
    message : str
        What is wrong and, where possible, how to fix it.
    file : str or Path, optional
        The file the problem is in.
    row : int, optional
        1-based line number in the file as a spreadsheet shows it (header = row 1).
    column : str, optional
        The column (header as written in the file).
    key : str, optional
        The setting's or parameter's key path (``factory.lines[2].shifts_per_day``), for files
        that have keys, not columns.
    option : str, optional
        The command-line option the value came from (``--what-if``).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        key: str | None = None,
        option: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.key = key
        self.option = option
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The message as one line: ``file:row: column 'x': message`` (``key 'a.b':`` for a
        setting)."""
        where = ""
        if self.file:
            where = self.file
            if self.row is not None:
                where += f":{self.row}"
            where += ": "
        elif self.row is not None:
            where = f"row {self.row}: "
        col = f"column '{self.column}': " if self.column else ""
        if self.key:
            col = f"key '{self.key}': "
        if self.option:
            col = f"{self.option}: "
        return f"{where}{col}{self.message}"
