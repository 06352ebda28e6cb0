"""Vectorised parsing of export cells: numbers, money, percentages, dates and timestamps.

Every parser takes a column of strings and returns the parsed values plus a boolean mask of cells
that are *not empty but not parseable* ("N/A", "1,2,3", "—", "31.02.2026"); the readers quarantine
those rows with the reason. Empty cells are missing values (NA), not errors; readers decide whether
a missing value is acceptable for the column.

Numbers accept currency symbols and codes ("$1,234.56", "1.234,56 €", "￥1,234", "EUR 12"),
percent signs ("12.5%", "12,5%": kept in percent, 12.5), thousands separators (",", ".", " ",
no-break spaces, "'"), accounting negatives "(12.30)" and a unicode minus. A single comma is a
decimal comma unless it separates exactly three digits in a file that does not use decimal commas
("1,234" → 1234 in a US file, 1.234 in a German one).

Dates: the format is chosen per column from the candidates (ISO, MM/DD/YYYY, DD.MM.YYYY,
YYYY/MM/DD, "Nov 22, 2026", DD/MM/YYYY, 2026年11月22日) as the one that parses most cells; cells
that it does not parse are errors. MM/DD/YYYY wins over DD/MM/YYYY on ties (Amazon's US format).
Hand-written because ``pandas.to_numeric``/``to_datetime`` know one locale per call and raise or
coerce silently; here each failure must become a quarantine reason.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

_STRIP = re.compile(r"US\$|C\$|A\$|USD|EUR|JPY|GBP|CNY|RMB|CAD|AUD|[\s\u00a0\u202f'$€£¥￥%元円]")
_PLAIN = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
_COMMA_GROUPS = r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$"
_DOT_GROUPS = r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$"
_ONE_COMMA = r"^[+-]?\d*,\d+$"
_THOUSAND_COMMA = r"^[+-]?\d{1,3},\d{3}$"
_THOUSAND_DOT = r"^[+-]?\d{1,3}(\.\d{3})+$"

DATE_FORMATS = (
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%b %d, %Y",
    "%d/%m/%Y",
    "%Y年%m月%d日",
    "%Y%m%d",
)


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
        return out, pd.Series(False, index=values.index)
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
    bad = out.isna() & ~empty
    return out, bad


@_on_unique
def parse_dates(
    values: pd.Series, *, formats: tuple[str, ...] = DATE_FORMATS
) -> tuple[pd.Series, pd.Series]:
    """Parse calendar dates; the format is chosen per column (see the module docstring).

    Returns
    -------
    (dates, bad) : (Series of datetime64 day, Series of bool)

    Examples
    --------
    >>> d, bad = parse_dates(pd.Series(["11/22/2026", "12/01/2026", "13/45/2026"]))
    >>> d.dt.strftime("%Y-%m-%d").tolist()[:2], bad.tolist()
    (['2026-11-22', '2026-12-01'], [False, False, True])
    >>> parse_dates(pd.Series(["22.11.2026", "Nov 22, 2026"]))[1].tolist()
    [False, True]
    """
    raw = _as_str(values)
    empty = raw.eq("")
    # a time part ("2026-11-22T00:00:00+00:00", "11/22/2026 10:00") is not part of the day
    raw = raw.str.replace(r"[T ]\d{1,2}:\d{2}.*$", "", regex=True)
    sample = raw[~empty]
    if len(sample) > 2000:
        sample = sample.iloc[np.linspace(0, len(sample) - 1, 2000).astype(int)]
    best, best_ok = formats[0], -1
    for fmt in formats:
        ok = int(pd.to_datetime(sample, format=fmt, errors="coerce").notna().sum())
        if ok > best_ok:
            best, best_ok = fmt, ok
            if ok == len(sample):
                break
    out = pd.to_datetime(raw.where(~empty, None), format=best, errors="coerce")
    return out, out.isna() & ~empty


@_on_unique
def parse_timestamps(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse ISO 8601 timestamps with an offset ("2026-11-22T08:15:00+00:00") to UTC.

    Cells without an offset are taken as UTC; cells that are plain dates in another format fall
    back to :func:`parse_dates` (midnight UTC).

    Returns
    -------
    (timestamps, bad) : (Series of datetime64[ns, UTC], Series of bool)
    """
    raw = _as_str(values)
    empty = raw.eq("")
    out = pd.to_datetime(raw.where(~empty, None), format="ISO8601", utc=True, errors="coerce")
    fail = out.isna() & ~empty
    if fail.any():
        dates, _ = parse_dates(raw[fail])
        out[fail] = dates.dt.tz_localize("UTC")
    return out, out.isna() & ~empty


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
