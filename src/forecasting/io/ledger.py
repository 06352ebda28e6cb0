"""Inventory Ledger summary (``GET_LEDGER_SUMMARY_VIEW_DATA``): one row per day × FNSKU ×
disposition × location with the ending warehouse balance; dates MM/DD/YYYY.

The marketplace comes from ``Location`` (a country code), else the file name or
``--marketplace``. The ledger is the stock history behind stockout detection: a day whose
SELLABLE ending balance is 0 is a day demand could not be served.
"""

from __future__ import annotations

import pandas as pd

from forecasting import schema as s
from forecasting.io.base import MAX_STOCK_UNITS, ParsedExport, RowChecker, marketplace_column
from forecasting.io.detect import RawTable

KIND = "ledger"
#: Amazon writes the ledger's ``Date`` month-first (MM/DD/YYYY) in every marketplace; the file's own
#: unambiguous dates still win (with a note) if a download says otherwise
DATE_ORDER = "MDY"
BALANCES = ("starting_balance", "receipts", "customer_shipments", "customer_returns")


def read(raw: RawTable, *, marketplace: str | None = None) -> ParsedExport:
    """Read an Inventory Ledger summary.

    Returns
    -------
    ParsedExport
        ``table`` columns: sku, marketplace, date, fnsku, disposition, starting_balance,
        receipts, customer_shipments, customer_returns, ending_balance (units; shipments and
        other movements keep Amazon's sign).
    """
    c = RowChecker(raw)
    codes = marketplace_column(raw, c, "location", "Location", marketplace)
    c.marketplace = codes
    bounds = {"minimum": -MAX_STOCK_UNITS, "maximum": MAX_STOCK_UNITS}
    table = pd.DataFrame(
        {
            s.SKU: c.text(s.SKU, required=True),
            s.MARKETPLACE: codes,
            s.DATE: c.date(s.DATE, order=DATE_ORDER),
            "fnsku": c.text("fnsku"),
            "disposition": c.text("disposition", required=True).str.upper(),
            **{col: c.number(col, **bounds) for col in BALANCES},
            "ending_balance": c.number("ending_balance", required=True, **bounds),
        }
    )
    result = c.finish(table, marketplace=None)
    result.marketplace = ";".join(sorted(result.table[s.MARKETPLACE].unique())) or None
    return result
