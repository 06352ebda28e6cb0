"""Planner-friendly Excel workbooks (xlsxwriter): typed cells, frozen headers, safe text.

:func:`write_workbook` writes one sheet per data frame plus a notes sheet: bold wrapped header row,
frozen header (and first key column), autofilter, column widths from the content, dates as real
Excel dates, numbers as numbers (NaN → empty cell), text as text. Text that a spreadsheet would run
as a formula — starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return (CSV/formula
injection, OWASP) — is written with ``write_string`` and Excel's quote prefix (the apostrophe), so
it stays text even when the planner edits the cell. Shared by the replenishment and production
plans. xlsxwriter does the file format; only the cell typing and the injection guard are ours.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.i18n import column_label
from forecasting.spreadsheet import is_formula_like  # the one formula rule, shared with CSVs

#: Excel's sheet name limit and forbidden characters.
MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = set("[]:*?/\\")
MAX_COLUMN_WIDTH = 50


def safe_sheet_name(name: str, taken: set[str] | None = None) -> str:
    """A valid, unique Excel sheet name: forbidden characters replaced, ≤ 31 characters.

    Examples
    --------
    >>> safe_sheet_name("US/DE: plan?")
    'US_DE_ plan_'
    """
    clean = "".join("_" if c in _BAD_SHEET_CHARS else c for c in str(name)).strip("'") or "Sheet"
    clean = clean[:MAX_SHEET_NAME]
    taken = taken if taken is not None else set()
    out, i = clean, 2
    while out.lower() in {t.lower() for t in taken}:
        suffix = f" ({i})"
        out = clean[: MAX_SHEET_NAME - len(suffix)] + suffix
        i += 1
    return out


def labelled(
    frame: pd.DataFrame, lang: str, *, currency: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """``frame`` with its columns renamed to their labels in ``lang`` (for a planner's sheet).

    Parameters
    ----------
    frame : DataFrame
        A table with machine column names (CSV names); not modified.
    lang : {"zh", "en"}
        Label language (:func:`forecasting.i18n.column_label`; a column without a label keeps
        its name).
    currency : mapping of str to str, optional
        Money column → its currency code, added to the header (``projected storage fee (USD)``).

    Raises
    ------
    ValueError
        Two columns would get the same header (a label table mistake: fix the labels).

    Examples
    --------
    >>> labelled(pd.DataFrame({"sku": ["A"], "overage_fee": [1.5]}), "en",
    ...          currency={"overage_fee": "USD"}).columns.tolist()
    ['SKU', 'overage fee (USD)']
    """
    money = currency or {}
    names = {}
    for c in frame.columns:
        label = column_label(str(c), lang)
        names[c] = f"{label} ({money[c]})" if c in money and money[c] else label
    if len(set(names.values())) < len(names):
        seen = pd.Series(list(names.values()))
        raise ValueError(f"two columns share the header {sorted(set(seen[seen.duplicated()]))}")
    return frame.rename(columns=names)


def _width(series: pd.Series, header: str) -> float:
    sample = series.head(500).astype(str)
    longest = max([len(str(header))] + [len(str(x)) for x in sample])
    return float(min(max(longest + 2, 8), MAX_COLUMN_WIDTH))


def write_workbook(
    sheets: Mapping[str, pd.DataFrame],
    path: str | Path,
    *,
    title: str = "",
    notes: Sequence[str] = (),
    notes_sheet: str = "Notes",
) -> Path:
    """Write data frames to a formatted ``.xlsx`` workbook, one sheet each, plus a notes sheet.

    Parameters
    ----------
    sheets : mapping of str to DataFrame
        Sheet name → table, in order (names made valid and unique, ≤ 31 characters).
    path : str or Path
        Output file (parent folders are created).
    title : str
        Written at the top of the notes sheet (e.g. "FBA replenishment plan, as of 2026-11-22").
    notes : sequence of str
        Lines under the title (assumptions, fee tables used, alerts legend).
    notes_sheet : str
        Name of the notes sheet; no notes sheet when ``title`` and ``notes`` are both empty.

    Returns
    -------
    Path
        The file written. Same input → byte-identical file (fixed creation date).
    """
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": False},
    )
    wb.set_properties({"title": title, "created": dt.datetime(2000, 1, 1)})
    header = wb.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7"}
    )
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    int_fmt = wb.add_format({"num_format": "#,##0"})
    num_fmt = wb.add_format({"num_format": "#,##0.00"})
    quoted = wb.add_format({"quote_prefix": True})
    taken: set[str] = set()
    for name, df in sheets.items():
        sheet_name = safe_sheet_name(name, taken)
        taken.add(sheet_name)
        ws = wb.add_worksheet(sheet_name)
        df = df.reset_index(drop=True)
        for j, col in enumerate(df.columns):
            ws.write_string(0, j, str(col), header)
            s = df[col]
            is_date = pd.api.types.is_datetime64_any_dtype(s)
            is_int = pd.api.types.is_integer_dtype(s) or pd.api.types.is_bool_dtype(s)
            is_num = pd.api.types.is_numeric_dtype(s) and not is_int
            fmt = date_fmt if is_date else int_fmt if is_int else num_fmt if is_num else None
            ws.set_column(j, j, _width(s, str(col)), fmt)
            for i, v in enumerate(s.tolist(), start=1):
                _write_cell(ws, i, j, v, date_fmt, quoted)
        ws.freeze_panes(1, 1 if len(df.columns) > 1 else 0)
        if len(df.columns):
            ws.autofilter(0, 0, max(len(df), 1), len(df.columns) - 1)
        ws.set_row(0, 30)
    if title or notes:
        ws = wb.add_worksheet(safe_sheet_name(notes_sheet, taken))
        ws.set_column(0, 0, 120)
        bold = wb.add_format({"bold": True, "font_size": 14})
        ws.write_string(0, 0, str(title), bold)
        for i, line in enumerate(notes, start=2):
            ws.write_string(i, 0, str(line), quoted if is_formula_like(str(line)) else None)
    wb.close()
    return path


def _write_cell(ws, row: int, col: int, v: object, date_fmt, quoted) -> None:
    """Write one value with its Excel type; text that looks like a formula stays text."""
    if v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return
    if isinstance(v, pd.Timestamp | dt.datetime | dt.date | np.datetime64):
        ts = pd.Timestamp(v)
        if pd.isna(ts):
            return
        ws.write_datetime(row, col, ts.to_pydatetime().replace(tzinfo=None), date_fmt)
    elif isinstance(v, bool | np.bool_):
        ws.write_boolean(row, col, bool(v))
    elif isinstance(v, int | float | np.integer | np.floating):
        f = float(v)
        if math.isfinite(f):
            ws.write_number(row, col, f)
    else:
        text = str(v)
        if is_formula_like(text):
            ws.write_string(row, col, text, quoted)
        else:
            ws.write_string(row, col, text)
