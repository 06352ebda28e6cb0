"""Open an export as users download it: what the file holds, its rows, its header, its kind.

- What a file holds (plain, ``.gz``, every export of a ``.zip``): :mod:`forecasting.io.sources`.
- A delimited text (encoding, delimiter, quoting, rows with the wrong number of fields, NUL
  bytes, stray quotes, spreadsheet row numbers): :mod:`forecasting.io.delimited`.
- An ``.xlsx`` workbook (the legacy ads console's default download): first sheet, through
  openpyxl, cells as a CSV export of the same report holds them.
- Kind: the alias table whose signature columns the headers match best
  (:data:`forecasting.io.aliases.SIGNATURES`); a kind missing one of them is refused naming it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.errors import InputError
from forecasting.io.aliases import LOOKUP, SIGNATURES, normalise_header
from forecasting.io.delimited import decode, read_delimited, sniff_delimiter
from forecasting.io.sources import Source, is_workbook, open_sources

__all__ = [
    "RawTable",
    "Source",
    "decode",
    "detect_kind",
    "open_sources",
    "read_table",
    "read_tables",
    "sniff_delimiter",
]


@dataclass
class RawTable:
    """An export read as text: every cell a string, headers as written, nothing dropped.

    ``line`` gives each data row's row number as a spreadsheet shows it (header = row 1 when
    the header is the first line). ``malformed`` lists the rows that cannot be read as cells
    (wrong number of fields, a NUL byte, an unclosed quote): ``(position, column, reason,
    raw text)``; they stay in ``frame`` as empty cells (so that no value of theirs is used,
    and the readers count them), and :class:`~forecasting.io.base.RowChecker` quarantines them first.
    """

    file: str  #: the path as the user gave it (``archive.zip:member`` for an archive member)
    encoding: str
    delimiter: str
    frame: pd.DataFrame  #: str cells, original headers
    header_line: int  #: 1-based row of the header
    kind: str = ""
    columns: dict[str, str] = field(default_factory=dict)  #: canonical → original header
    row_numbers: np.ndarray | None = None  #: spreadsheet row of each data row (None: consecutive)
    malformed: list[tuple[int, str, str, str]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Number of data rows."""
        return len(self.frame)

    def line(self, positions: object) -> object:
        """Spreadsheet row number(s) of 0-based data row position(s)."""
        if self.row_numbers is None:
            return positions + self.header_line + 1  # type: ignore[operator]
        return self.row_numbers[positions]  # type: ignore[index]


def detect_kind(headers: list[str]) -> tuple[str, dict[str, str], float]:
    """Best-matching export kind of a header row.

    Returns ``(kind, canonical → original header, score)``; score is the share of the kind's
    signature columns present (1.0 = all).
    """
    best: tuple[float, int, str, dict[str, str]] = (0.0, 0, "", {})
    for kind, lookup in LOOKUP.items():
        mapping: dict[str, str] = {}
        for h in headers:
            canon = lookup.get(normalise_header(h))
            if canon is not None and canon not in mapping:
                mapping[canon] = h
        sig = SIGNATURES[kind]
        score = sum(c in mapping for c in sig) / len(sig)
        if (score, len(mapping)) > best[:2]:
            best = (score, len(mapping), kind, mapping)
    return best[2], best[3], best[0]


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        n = seen.get(h, 0)
        seen[h] = n + 1
        out.append(h if n == 0 else f"{h}.{n}")
    return out


def _read_xlsx(data: bytes, path: str) -> pd.DataFrame:
    """First sheet of an Excel workbook as strings, header row included (legacy ads console).

    Cells become the text a CSV export of the same report holds: a number shown as a percentage
    (cell format with ``%``, e.g. a click-through rate stored as 0.0035 and shown as 0.35 %)
    becomes ``"0.35%"``, so a percentage means the same whether the report came as CSV or as a
    workbook; whole numbers lose their ``.0``; dates become ``YYYY-MM-DD HH:MM:SS``. The index
    is the sheet row minus one (empty rows are left out).
    """
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = [[_xlsx_text(c) for c in row] for row in book.worksheets[0].iter_rows()]
        book.close()
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise InputError(f"cannot read the Excel workbook: {exc}", file=path) from None
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object)
    frame = frame.dropna(how="all")
    frame = frame.astype(str).where(frame.notna(), None)  # the text readers' string dtype
    if frame.empty:
        raise InputError("empty file (no header row)", file=path)
    return frame


def _xlsx_text(cell: object) -> str | None:
    """The text of one workbook cell as a CSV export would hold it (``None`` when empty)."""
    value = getattr(cell, "value", None)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    percent = "%" in str(getattr(cell, "number_format", "") or "")
    number = float(value) * (100.0 if percent else 1.0)
    number = round(number, 10)
    text = str(int(number)) if number.is_integer() else repr(number)
    return text + "%" if percent else text


def _build(source: Source) -> RawTable:
    """A source read as a :class:`RawTable` (kind not yet detected)."""
    if not source.data.strip():
        raise InputError("empty file (0 bytes or only blank space)", file=source.name)
    if is_workbook(source.data):
        frame = _read_xlsx(source.data, source.name).fillna("")
        headers = [str(c).strip().lstrip("\ufeff") for c in frame.iloc[0]]
        sheet_rows = frame.index.to_numpy() + 1
        frame = frame.iloc[1:].reset_index(drop=True)
        raw = RawTable(source.name, "xlsx", ",", frame, header_line=int(sheet_rows[0]))
        raw.row_numbers = sheet_rows[1:].astype(np.int64)
    else:
        text = read_delimited(source.data, source.name)
        raw = RawTable(
            source.name, text.encoding, text.delimiter, text.frame, header_line=text.header_row
        )
        raw.row_numbers, raw.malformed, headers = text.row_numbers, text.malformed, text.headers
    raw.frame.columns = _unique(headers)
    return raw


def _classify(raw: RawTable) -> RawTable:
    """Detect the kind of ``raw`` from its headers (see :func:`read_table`)."""
    from forecasting.io.aliases import display_name

    kind, mapping, score = detect_kind(list(raw.frame.columns))
    if score < 0.5:
        shown = ", ".join(list(raw.frame.columns)[:8])
        raise InputError(
            f"not a recognised Amazon export or master file (headers: {shown})",
            file=raw.file,
            row=raw.header_line,
        )
    missing = [c for c in SIGNATURES[kind] if c not in mapping]
    if missing:
        raise InputError(
            f"{kind.replace('_', ' ')} export is missing required column(s) "
            + ", ".join(f"'{display_name(kind, c)}'" for c in missing),
            file=raw.file,
            row=raw.header_line,
            column=display_name(kind, missing[0]),
        )
    raw.kind, raw.columns = kind, mapping
    return raw


def read_tables(path: str | Path) -> tuple[list[RawTable], list[str]]:
    """Read every export a downloaded file holds (one, or each member of a ``.zip``).

    Returns
    -------
    (tables, notes) : (list of RawTable, list of str)
        The exports with their kinds detected, and notes on skipped archive members.

    Raises
    ------
    InputError
        As :func:`read_table`, for the first export that cannot be read (named
        ``archive.zip:member`` inside an archive), or see :func:`open_sources`.
    """
    sources, notes = open_sources(path)
    return [_classify(_build(source)) for source in sources], notes


def read_table(path: str | Path) -> RawTable:
    """Read an export as a :class:`RawTable` with its kind detected.

    Raises
    ------
    InputError
        Empty file, undecodable bytes, a header row that cannot be read, headers of no known
        export kind, a kind whose signature column is missing (the message names it), or a
        ``.zip`` holding several exports (read those with :func:`read_tables`).
    """
    tables, _ = read_tables(path)
    if len(tables) > 1:
        names = ", ".join(t.file.rsplit(":", 1)[-1] for t in tables)
        raise InputError(f"the .zip holds {len(tables)} exports ({names})", file=path)
    return tables[0]
