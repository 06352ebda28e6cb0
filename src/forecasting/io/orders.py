"""All Orders flat file (``GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL``): one row per
order item, tab-separated, ``purchase-date`` ISO 8601 with an offset (or another of Amazon's
timestamp formats, e.g. ``Sep 28, 2026 12:02:00 AM PDT``:
:func:`~forecasting.io.dates.read_timestamps`; a timestamp without a zone is the marketplace's
local time).

- Marketplace per row from ``sales-channel`` (``Amazon.de`` → DE). Rows of other channels
  (``Non-Amazon``: multi-channel fulfilment) are excluded by rule and counted.
- ``Cancelled`` orders and replacement orders (``is-replacement-order`` true) are excluded by rule
  and counted. Cancelled lines travel with the result (``extra["cancelled"]``): the store keeps
  them with their status, so a cancellation overrides an earlier ``Pending`` line and a re-import
  of the older export cannot bring the order back.
- ``date`` is the purchase day in the marketplace's local time zone (Seller Central's day).
- ``extra["coverage"]``: per marketplace the days for which this export is the sales record, by
  the rule in :mod:`forecasting.io.coverage` (where the orders are dense, cut to the requested
  range in the file name, never stretched by stray rows; the last day only when complete).
  ``extra["partial"]`` lists the last days left out as incomplete (marketplace, date, export time
  in local time), ``extra["strays"]`` the days of rows outside the coverage (kept as orders).
- Implausible dates (:mod:`forecasting.io.plausible`: a purchase after the export's newest data or
  years before it, an update before the purchase) are quarantined before anything else uses them.
- ``revenue`` is ``item-price`` (the line total, not the unit price), local currency; empty for
  pending orders. A price or ``currency`` in another currency than the marketplace's, and a
  ``quantity`` above :data:`~forecasting.io.base.MAX_UNITS_PER_LINE`, are quarantined.
"""

from __future__ import annotations

import pandas as pd

from forecasting import schema as s
from forecasting.io.aliases import MARKETPLACES, marketplace_code
from forecasting.io.base import MAX_UNITS_PER_LINE, ParsedExport, RowChecker
from forecasting.io.coverage import DAY_COMPLETE_HOUR, orders_coverage
from forecasting.io.detect import RawTable
from forecasting.io.plausible import implausible_dates, implausible_updates

KIND = "orders"
__all__ = ["DAY_COMPLETE_HOUR", "KIND", "read"]


def read(raw: RawTable, *, marketplace: str | None = None) -> ParsedExport:
    """Read an All Orders export into canonical order lines.

    Parameters
    ----------
    raw : RawTable
        The export as read by :func:`forecasting.io.detect.read_table`.
    marketplace : str, optional
        Ignored: each row names its marketplace in ``sales-channel``.

    Returns
    -------
    ParsedExport
        ``table`` columns: order_id, sku, asin, marketplace, purchased_at (UTC), date (local day),
        last_updated (UTC), status, units, revenue, currency.
    """
    c = RowChecker(raw)
    channel = c.text("sales_channel", required=True)
    codes = channel.map({v: marketplace_code(v) or "" for v in channel.unique()})
    c.marketplace = codes  # local time, date convention and currency of each row
    status = c.text("status", required=True)
    order_id = c.text(s.ORDER_ID, required=True)
    sku = c.text(s.SKU, required=True)
    foreign = codes.eq("") & channel.ne("")
    for bad_channel in channel[foreign & ~c.bad].unique():
        c.exclude(foreign & channel.eq(bad_channel), f"sales-channel '{bad_channel}'")
    purchased = c.timestamp("purchase_date")
    units = c.number("quantity", required=True, integer=True, maximum=MAX_UNITS_PER_LINE)
    price = c.money("item_price")
    last = c.timestamp("last_updated", required=False) if c.has("last_updated") else purchased
    implausible = _quarantine_implausible(c, purchased, last)
    cancelled = status.str.lower().eq("cancelled") & ~c.bad
    c.exclude(cancelled, "cancelled")
    if c.has("is_replacement"):
        c.exclude(c.text("is_replacement").str.lower().eq("true"), "replacement order")
    local_day = pd.Series(pd.NaT, index=raw.frame.index, dtype="datetime64[ns]")
    ok = ~c.bad & purchased.notna()
    for code in codes[ok & codes.ne("")].unique():
        rows = ok & codes.eq(code)
        tz = MARKETPLACES[code].timezone
        local_day[rows] = purchased[rows].dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()
    known = local_day.notna() & codes.ne("")
    # the pull time: every parsed time counts (a row quarantined for its SKU was still exported)
    exported = pd.concat([purchased[~implausible], last[~implausible]]).max()
    cover = orders_coverage(
        pd.DataFrame({s.MARKETPLACE: codes[known], s.DATE: local_day[known]}),
        exported,
        file=raw.file,
    )
    currency = c.currency(s.CURRENCY)
    default_currency = codes.map(lambda m: MARKETPLACES[m].currency if m else "")
    table = pd.DataFrame(
        {
            s.ORDER_ID: order_id,
            s.SKU: sku,
            s.ASIN: c.text(s.ASIN),
            s.MARKETPLACE: codes,
            "purchased_at": purchased,
            s.DATE: local_day,
            "last_updated": last.fillna(purchased),
            "status": status,
            s.UNITS: units,
            s.REVENUE: price,
            s.CURRENCY: currency.where(currency.ne(""), default_currency),
        }
    )
    cancelled_rows = table[cancelled.to_numpy() & c.excluded].reset_index(drop=True)
    result = c.finish(table, marketplace=None)
    result.table[s.UNITS] = result.table[s.UNITS].astype("int64")
    result.marketplace = ";".join(sorted(result.table[s.MARKETPLACE].unique())) or None
    result.extra["cancelled"] = cancelled_rows
    result.extra["coverage"] = cover.spans
    result.extra["partial"] = cover.partial
    result.extra["strays"] = cover.strays
    result.problems.extend(cover.notes)
    return result


def _quarantine_implausible(c: RowChecker, purchased: pd.Series, last: pd.Series) -> pd.Series:
    """Quarantine purchase and last-updated dates no export can hold (:mod:`.plausible`);
    returns which rows had one (their times do not tell when the export was pulled)."""
    header = c.raw.columns.get("purchase_date", "purchase-date")
    why = implausible_dates(purchased, header)
    c.flag(why.ne(""), "purchase_date", why)
    implausible = why.ne("")
    if c.has("last_updated"):
        header = c.raw.columns.get("last_updated", "last-updated-date")
        why = implausible_updates(purchased.where(~implausible), last, header)
        c.flag(why.ne(""), "last_updated", why)
        implausible |= why.ne("")
    return implausible
