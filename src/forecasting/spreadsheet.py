"""Files a person opens in a spreadsheet: text that would run as a formula stays text.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, tab or
carriage return) as a formula: a SKU, product title or shopper's search term such as
``=HYPERLINK("http://x","click")`` or ``@SUM(1)`` coming from an Amazon export would otherwise
become a live formula in the planner's Excel (CSV / formula injection, OWASP). The rule, kept here
once for every writer of the report folder and the ``plan`` / ``produce`` outputs:

- CSV: a *text* cell starting with one of :data:`FORMULA_TRIGGERS` is written with a leading
  apostrophe (``'=HYPERLINK(…)``), as OWASP recommends; numbers (``-3``) stay numbers. A text
  cell that itself starts with an apostrophe gets one more, so :func:`restore_formulas` (used by
  the readers of these files, e.g. ``produce --shipments``) gets every value back exactly.
- Excel workbooks (:mod:`forecasting.planning.excel`): the cell keeps its text and gets Excel's
  quote prefix format, decided by :func:`is_formula_like`.

The ``history`` export is a data interchange and is written exactly as stored, without this guard.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

#: First characters that make a spreadsheet treat text as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: The prefix that keeps such text text.
QUOTE = "'"


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula (see :data:`FORMULA_TRIGGERS`).

    Examples
    --------
    >>> is_formula_like("=cmd|' /C calc'!A0"), is_formula_like("SKU-1"), is_formula_like("-5")
    (True, False, True)
    """
    return bool(text) and text[0] in FORMULA_TRIGGERS


def neutralise_text(value: Any) -> Any:
    """``value`` as written to a spreadsheet CSV: formula-like text (or text starting with the
    quote) gets a leading ``'``; anything that is not text is returned unchanged.

    Examples
    --------
    >>> [neutralise_text(v) for v in ["=SUM(1)", "+cmd", "-2+3", "@SUM(1)", "A-1", "'x", -3]]
    ["'=SUM(1)", "'+cmd", "'-2+3", "'@SUM(1)", 'A-1', "''x", -3]
    """
    if isinstance(value, str) and value and (value[0] in FORMULA_TRIGGERS or value[0] == QUOTE):
        return QUOTE + value
    return value


def restore_text(value: Any) -> Any:
    """The inverse of :func:`neutralise_text`: one leading ``'`` removed from text.

    Examples
    --------
    >>> [restore_text(v) for v in ["'=SUM(1)", "''x", "A-1", 5]]
    ['=SUM(1)', "'x", 'A-1', 5]
    """
    if isinstance(value, str) and value.startswith(QUOTE):
        return value[1:]
    return value


def _map_text(frame: pd.DataFrame, func: Any) -> pd.DataFrame:
    """``frame`` with ``func`` applied to every text cell and text column name (copy)."""
    out = frame.copy()
    for i, (_, series) in enumerate(frame.items()):
        if isinstance(series.dtype, pd.CategoricalDtype):
            cats = series.cat.categories
            if pd.api.types.is_object_dtype(cats) or pd.api.types.is_string_dtype(cats):
                out.isetitem(i, series.cat.rename_categories([func(c) for c in cats]))
        elif pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            out.isetitem(i, series.map(func, na_action="ignore"))
    out.columns = [func(c) for c in frame.columns]
    return out


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) are safe to open in a spreadsheet.

    Only text is changed (:func:`neutralise_text`); numeric, date and boolean columns are not.

    Examples
    --------
    >>> df = pd.DataFrame({"sku": ["=HYPERLINK(\\"x\\")", "A1"], "units": [-3, 4]})
    >>> neutralise_formulas(df).to_dict("list")
    {'sku': ['\\'=HYPERLINK("x")', 'A1'], 'units': [-3, 4]}
    """
    return _map_text(frame, neutralise_text)


def restore_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` read from a file written by :func:`write_csv`, with the text as it was.

    Examples
    --------
    >>> df = pd.DataFrame({"sku": ["'=A1", "B"], "units": [1, 2]})
    >>> restore_formulas(df)["sku"].tolist()
    ['=A1', 'B']
    """
    return _map_text(frame, restore_text)


def read_csv(path: str | os.PathLike[str], what: str, **read_csv: Any) -> pd.DataFrame:
    """Read a CSV a planner hands in (often one :func:`write_csv` wrote), text restored.

    ``what`` names the file in the messages (``"forecast file"``); ``read_csv`` goes to
    :func:`pandas.read_csv` (a leading BOM is skipped).

    Raises
    ------
    InputError
        The file does not exist, or is not a readable CSV (naming the file and the reason).
    """
    from forecasting.errors import InputError

    p = Path(path)
    if not p.exists():
        raise InputError(f"{what} not found", file=p)
    try:
        return restore_formulas(pd.read_csv(p, encoding="utf-8-sig", **read_csv))
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"not a readable CSV: {exc}", file=p) from None


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str], **to_csv: Any) -> Path:
    """Write ``frame`` as a CSV a person may open in a spreadsheet: formula-like text neutralised.

    Parameters
    ----------
    frame : DataFrame
        The table (not modified).
    path : path
        The file to write.
    **to_csv
        Passed to :meth:`pandas.DataFrame.to_csv` (``index``, ``float_format``, ``encoding`` …).

    Returns
    -------
    Path
        ``path``.
    """
    neutralise_formulas(frame).to_csv(path, **to_csv)
    return Path(path)
