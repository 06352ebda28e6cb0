"""Vectorised parsing of export cells: numbers, money, percentages and text.

Every parser takes a column of strings and returns the parsed values plus a boolean mask of cells
that are *not empty but not parseable* ("N/A", "1,2,3", "—"); the readers quarantine those rows
with the reason. Empty cells are missing values (NA), not errors; readers decide whether a missing
value is acceptable for the column. Dates and timestamps: :mod:`forecasting.io.dates`.

Numbers accept currency symbols and codes ("$1,234.56", "1.234,56 €", "￥1,234", "EUR 12"),
percent signs ("12.5%", "12,5%": kept in percent, 12.5), thousands separators (",", ".", " ",
no-break spaces, "'"), accounting negatives "(12.30)" and a unicode minus. A single comma is a
decimal comma unless it separates exactly three digits in a file that does not use decimal commas
("1,234" → 1234 in a US file, 1.234 in a German one).

The currency mark of a money cell is kept apart (:func:`currency_marks`) so readers can check it
against the marketplace. Non-finite values ("NaN", "inf", 400 digits) are not numbers.

Hand-written because ``pandas.to_numeric`` knows one locale per call and raises or coerces
silently; here each failure becomes a quarantine reason. Parsers work on a column's distinct
cells (exports repeat values).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from forecasting.io.aliases import CURRENCY_MARKS

#: a currency mark (symbol or code, :data:`~forecasting.io.aliases.CURRENCY_MARKS`), longest first
_CURRENCY_MARK = re.compile("|".join(re.escape(m) for m in sorted(CURRENCY_MARKS, key=len)[::-1]))
_STRIP = re.compile(_CURRENCY_MARK.pattern + r"|[\s\u00a0\u202f'%]")
_PLAIN = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
_COMMA_GROUPS = r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$"
_DOT_GROUPS = r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$"
_ONE_COMMA = r"^[+-]?\d*,\d+$"
_THOUSAND_COMMA = r"^[+-]?\d{1,3},\d{3}$"
_THOUSAND_DOT = r"^[+-]?\d{1,3}(\.\d{3})+$"


def _as_str(values: pd.Series) -> pd.Series:
    return values.fillna("").astype(str).str.strip()


def _on_unique(
    parse: Callable[..., tuple[pd.Series, pd.Series]],
) -> Callable[..., tuple[pd.Series, pd.Series]]:
    """Run a column parser on the distinct cells only and map back (exports repeat values a
    lot: "0", "$0.00", one date per day), which makes parsing 5–20× faster."""

    @functools.wraps(parse)
    def wrapper(values: pd.Series, **kwargs: object) -> tuple[pd.Series, pd.Series]:
        codes, uniques = pd.factorize(values, sort=False, use_na_sentinel=False)
        if len(uniques) > 0.5 * len(values):
            return parse(values, **kwargs)
        parsed, bad = parse(pd.Series(uniques, dtype=object), **kwargs)
        parsed = parsed.iloc[codes].set_axis(values.index)
        return parsed, pd.Series(bad.to_numpy()[codes], index=values.index)

    return wrapper


@_on_unique
def parse_numbers(values: pd.Series, *, decimal_comma: bool = False) -> tuple[pd.Series, pd.Series]:
    """Parse numbers written as Amazon and Excel write them.

    Parameters
    ----------
    values : Series of str
        Cells as read (may hold currency symbols, percent signs, separators).
    decimal_comma : bool
        The file writes decimals with a comma (German/French exports, ``;``-separated files).

    Returns
    -------
    (numbers, bad) : (Series of float, Series of bool)
        ``numbers`` is NaN for empty and bad cells; ``bad`` marks non-empty unparseable cells.

    Examples
    --------
    >>> n, bad = parse_numbers(pd.Series(["$1,234.56", "12.5%", "", "N/A", "(3)"]))
    >>> n.tolist()[:2], bad.tolist()
    ([1234.56, 12.5], [False, False, False, True, False])
    >>> parse_numbers(pd.Series(["1.234,56 €", "12,5%", "1.234"]), decimal_comma=True)[0].tolist()
    [1234.56, 12.5, 1234.0]
    >>> parse_numbers(pd.Series(["￥1,234", "1,2,3", "—"]))[1].tolist()
    [False, True, True]
    """
    raw = _as_str(values)
    empty = raw.eq("")
    t = raw.str.replace("\u2212", "-", regex=False)
    neg = t.str.startswith("(") & t.str.endswith(")")
    t = t.str.replace(_STRIP, "", regex=True).str.strip("()")
    t = t.where(~neg, "-" + t)
    plain = t.str.match(_PLAIN)
    if (plain | empty).all():
        out = pd.to_numeric(t.where(~empty, None), errors="coerce").astype(float)
        if decimal_comma:  # "1.234" in a decimal-comma file is a thousand
            dots = t.str.match(_THOUSAND_DOT)
            if dots.any():
                out[dots] = pd.to_numeric(t[dots].str.replace(".", "", regex=False))
        out[~np.isfinite(out)] = np.nan  # 400 digits overflow to inf: not a number here
        return out, out.isna() & ~empty
    comma_groups = t.str.match(_COMMA_GROUPS)
    dot_groups = t.str.match(_DOT_GROUPS)
    one_comma = t.str.match(_ONE_COMMA)
    thousand_comma = t.str.match(_THOUSAND_COMMA)
    thousand_dot = t.str.match(_THOUSAND_DOT)
    no_commas = t.str.replace(",", "", regex=False)
    comma_as_dot = t.str.replace(",", ".", regex=False)
    euro = t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    conditions = [
        thousand_dot & decimal_comma,
        plain,
        thousand_comma & ~decimal_comma,
        comma_groups & ~(thousand_comma & decimal_comma),
        dot_groups,
        one_comma,
    ]
    choices = [euro, t, no_commas, no_commas, euro, comma_as_dot]
    text = pd.Series(np.select(conditions, choices, default=""), index=values.index)
    out = pd.to_numeric(text.where(text != "", None), errors="coerce").astype(float)
    out[~np.isfinite(out)] = np.nan
    bad = out.isna() & ~empty
    return out, bad


@_on_unique
def currency_marks(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The currency mark written in each money cell (``$``, ``€``, ``EUR``, ``¥`` …; "" none).

    Returns
    -------
    (marks, bad) : (Series of str, Series of bool)
        ``bad`` is all False (the mask keeps the shape of the other column parsers).

    Examples
    --------
    >>> currency_marks(pd.Series(["1.234,56 €", "¥1,2", "JPY 3", "12", "US$ 4"]))[0].tolist()
    ['€', '¥', 'JPY', '', 'US$']
    """
    marks = _as_str(values).str.extract(f"({_CURRENCY_MARK.pattern})", expand=False)
    return marks.fillna(""), pd.Series(False, index=values.index)


def clean_text(values: pd.Series) -> pd.Series:
    """Strip surrounding spaces (cells of a :class:`~forecasting.io.detect.RawTable` are already
    strings; the ``="…"`` wrapper of 2026 ads exports is removed when the file is read)."""
    if values.dtype != object:
        values = values.fillna("").astype(str)
    return values.str.strip()


_EXCEL_FORMULA_QUOTED = re.compile(r'"=""((?:[^"]|"")*)"""')
_EXCEL_FORMULA = re.compile(r'(^|[,;\t])="([^"]*)"(?=[,;\t\r\n]|$)', re.MULTILINE)


def unwrap_excel_formulas(text: str) -> str:
    r'''Remove the Excel formula wrapper of 2026 ads exports from a CSV text: a quoted cell
    ``"=""123"""`` becomes ``"123"`` and a bare ``="123"`` becomes ``123``.

    >>> unwrap_excel_formulas('a,"=""C1""",="7"\n')
    'a,"C1",7\n'
    '''
    if '="' not in text:
        return text
    return _EXCEL_FORMULA.sub(r"\1\2", _EXCEL_FORMULA_QUOTED.sub(r'"\1"', text))


_MOVED = {
    "AmbiguousDates",
    "DateOrder",
    "ZONE_OFFSETS",
    "parse_dates",
    "parse_timestamps",
    "read_dates",
    "read_timestamps",
    "settle_date_order",
}


def __getattr__(name: str) -> object:
    """The date and timestamp parsers live in :mod:`forecasting.io.dates`; importing them from
    here still works."""
    if name in _MOVED:
        from forecasting.io import dates

        return getattr(dates, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
