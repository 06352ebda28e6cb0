"""Sponsored Products reports from the ads console: Advertised Product (kind ``ads``) and Search
Term (kind ``search_terms``), legacy exports (trailing-space headers, ``7 Day Total Sales ``,
``Start Date``/``End Date`` or ``Date``) and the 2026 console export (``Budget currency``,
``Total cost``, ``Purchases``, IDs as ``="…"``, UTF-8 BOM, optional ``Date range``).

Marketplace from the ``Country`` column, the currency (``Currency``/``Budget currency`` or the
symbols in ``Spend``), the file name (``_DE_``) or ``--marketplace``. Rows that cover more than
one day (``Start Date`` ≠ ``End Date`` or a ``Date range``) are stored on their first day and the
file is flagged: download ads reports with time unit "Daily". Rows of one file with the same day
and key are summed (and flagged), not dropped as duplicates.
"""

from __future__ import annotations

import pandas as pd

from forecasting import schema as s
from forecasting.errors import InputError
from forecasting.io.aliases import MARKETPLACES
from forecasting.io.base import (
    MAX_UNITS_PER_DAY,
    ParsedExport,
    RowChecker,
    currency_of,
    infer_marketplace,
)
from forecasting.io.detect import RawTable

METRICS = (s.IMPRESSIONS, s.CLICKS, s.AD_ORDERS, s.AD_UNITS)
#: kind → columns identifying a row (the store's key)
KEYS = {
    "ads": (s.DATE, s.SKU, s.MARKETPLACE, s.CAMPAIGN, s.AD_GROUP),
    "search_terms": (
        s.DATE,
        s.MARKETPLACE,
        s.CAMPAIGN,
        s.AD_GROUP,
        "targeting",
        "match_type",
        s.SEARCH_TERM,
    ),
}
MONEY = (s.SPEND, s.AD_SALES)


def _day(c: RowChecker, problems: list[str]) -> pd.Series:
    if c.has(s.DATE):
        day = c.date(s.DATE)
        if c.has("end_date"):
            end = c.date("end_date", required=False)
            if (end.notna() & day.notna() & (end != day)).any():
                problems.append("rows span several days (Start Date ≠ End Date): stored on start")
        return day
    if c.has("date_range"):
        parts = c.text("date_range").str.split(r"\s+[-–~]\s+", n=1, regex=True)
        day, bad = c.date_cells(parts.str[0].fillna(""), "date_range")
        c.flag(bad | day.isna(), "date_range", "not a date range: '" + c.text("date_range") + "'")
        last, _ = c.date_cells(parts.str[1].fillna(""), "date_range")
        if (last.notna() & day.notna() & (last != day)).any():
            problems.append("rows cover a date range, not a day: stored on its first day")
        return day
    raise InputError(
        "ads report has no 'Date', 'Start Date' or 'Date range' column",
        file=c.raw.file,
        row=c.raw.header_line,
        column="Date",
    )


def read(raw: RawTable, *, marketplace: str | None = None) -> ParsedExport:
    """Read a Sponsored Products Advertised Product or Search Term report.

    Returns
    -------
    ParsedExport
        ``table`` columns (ads): date, sku, asin, marketplace, campaign, ad_group, impressions,
        clicks, spend, ad_sales (local currency), ad_orders, ad_units, currency; (search_terms)
        the same without sku/asin and with targeting, match_type, search_term.
    """
    c = RowChecker(raw)
    problems: list[str] = []
    currency_col = c.text(s.CURRENCY)
    currency = (
        currency_col[currency_col.ne("")].iloc[0]
        if currency_col.ne("").any()
        else currency_of(c.cells(s.SPEND))
    )
    country = c.text("country") if c.has("country") else None
    mp = infer_marketplace(raw, currency=currency, country=country, given=marketplace)
    if not currency and mp in MARKETPLACES:
        currency = MARKETPLACES[mp].currency
    c.marketplace = mp  # date convention and currency of the money columns
    columns: dict[str, object] = {s.DATE: _day(c, problems)}
    if raw.kind == "ads":
        columns[s.SKU] = c.text(s.SKU, required=True)
        columns[s.ASIN] = c.text(s.ASIN)
    columns[s.MARKETPLACE] = mp
    columns[s.CAMPAIGN] = c.text(s.CAMPAIGN, required=True)
    columns[s.AD_GROUP] = c.text(s.AD_GROUP)
    if raw.kind == "search_terms":
        columns["targeting"] = c.text("targeting")
        columns["match_type"] = c.text("match_type")
        columns[s.SEARCH_TERM] = c.text(s.SEARCH_TERM)
    for col in METRICS:
        bound = MAX_UNITS_PER_DAY if col in (s.AD_ORDERS, s.AD_UNITS) else None
        columns[col] = c.number(col, integer=True, maximum=bound).fillna(0).astype("int64")
    for col in MONEY:
        columns[col] = c.money(col).fillna(0.0)
    columns[s.CURRENCY] = currency or ""
    result = c.finish(pd.DataFrame(columns), marketplace=mp, problems=problems)
    return _sum_same_key(result)


def _sum_same_key(result: ParsedExport) -> ParsedExport:
    """Sum rows of one file that share the store key (same day, campaign, ad group, SKU or
    targeting × match type × search term): they are parts of one figure, not duplicates. The
    ``rows`` column keeps how many export rows each summed row stands for (accounting)."""
    t = result.table
    keys = [c for c in KEYS[result.kind] if c in t]
    if t.empty or not t.duplicated(keys).any():
        return result
    sums = {c: "sum" for c in (*METRICS, *MONEY)}
    firsts = {c: "first" for c in t.columns if c not in sums and c not in keys}
    grouped = t.assign(rows=1).groupby(keys, sort=False, dropna=False)
    result.table = grouped.agg({**sums, **firsts, "rows": "sum"}).reset_index()
    merged = int((result.table["rows"] - 1).sum())
    result.problems.append(f"{merged} row(s) summed into rows with the same day and key")
    return result
