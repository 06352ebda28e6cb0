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
- ``extra["coverage"]``: per marketplace the first and last local purchase day of the file (all
  readable rows, excluded ones too): the days for which this export is the sales record. The last
  day counts only when complete: the file's latest timestamp (purchase or last update, any
  marketplace — the moment the export was made, near enough) must reach :data:`DAY_COMPLETE_HOUR`
  local time on that day or a later day. An export pulled at 14:00 covers up to yesterday; its
  orders of today wait in the store until a later export covers the day (a partial day read as a
  whole one would look like a collapse in demand, or a stock-out). ``extra["partial"]`` lists the
  days left out this way (marketplace, date, export time in local time).
- ``revenue`` is ``item-price`` (the line total, not the unit price), local currency; empty for
  pending orders. A price or ``currency`` in another currency than the marketplace's, and a
  ``quantity`` above :data:`~forecasting.io.base.MAX_UNITS_PER_LINE`, are quarantined.
"""

from __future__ import annotations

import pandas as pd

from forecasting import schema as s
from forecasting.io.aliases import MARKETPLACES, marketplace_code
from forecasting.io.base import MAX_UNITS_PER_LINE, ParsedExport, RowChecker
from forecasting.io.detect import RawTable

KIND = "orders"
#: local hour (0–24) the export's latest timestamp must reach for its last purchase day to count
#: as complete (orders placed in the last hour of a day may lag in the report)
DAY_COMPLETE_HOUR = 23


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
    coverage = (
        pd.DataFrame({s.MARKETPLACE: codes[known], s.DATE: local_day[known]})
        .groupby(s.MARKETPLACE)[s.DATE]
        .agg(["min", "max"])
        .reset_index()
    )
    coverage, partial = _complete_days(coverage, pd.concat([purchased, last]).max())
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
    result.extra["coverage"] = coverage
    result.extra["partial"] = partial
    return result


def _complete_days(coverage: pd.DataFrame, exported: pd.Timestamp) -> tuple:
    """Coverage spans cut to complete days, and the partial last days left out.

    Parameters
    ----------
    coverage : DataFrame
        marketplace, min, max (first and last local purchase day).
    exported : Timestamp (UTC) or NaT
        The file's latest purchase or update time.

    Returns
    -------
    tuple of DataFrame
        The spans (a span of one partial day disappears) and ``marketplace, date, exported_local``
        of every last day left out.
    """
    rows, partial = [], []
    for _, row in coverage.iterrows():
        end = row["max"]
        if pd.notna(exported):
            local = exported.tz_convert(MARKETPLACES[row[s.MARKETPLACE]].timezone)
            reached = local.tz_localize(None)
            if reached < end + pd.Timedelta(hours=DAY_COMPLETE_HOUR):
                partial.append((row[s.MARKETPLACE], end, reached))
                end = end - pd.Timedelta(days=1)
        if end >= row["min"]:
            rows.append({s.MARKETPLACE: row[s.MARKETPLACE], "min": row["min"], "max": end})
    spans = pd.DataFrame(rows, columns=[s.MARKETPLACE, "min", "max"])
    left_out = pd.DataFrame(partial, columns=[s.MARKETPLACE, s.DATE, "exported_local"])
    return spans, left_out
