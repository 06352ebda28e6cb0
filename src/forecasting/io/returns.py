"""FBA customer returns (``GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA``): one row per returned
unit batch with date, order id, SKU, quantity, disposition and reason.

Returns are kept apart from sales (they never reduce the demand history: the customer did
order). The export has no marketplace column: file name (``Returns_US.txt``) or ``--marketplace``.
``date`` is the return day in the marketplace's local time zone.
"""

from __future__ import annotations

import pandas as pd

from forecasting import schema as s
from forecasting.io.aliases import MARKETPLACES
from forecasting.io.base import MAX_UNITS_PER_LINE, ParsedExport, RowChecker, infer_marketplace
from forecasting.io.detect import RawTable

KIND = "returns"


def read(raw: RawTable, *, marketplace: str | None = None) -> ParsedExport:
    """Read an FBA customer returns report.

    Returns
    -------
    ParsedExport
        ``table`` columns: sku, marketplace, date, order_id, asin, fnsku, units, disposition,
        reason, status, license_plate.
    """
    mp = infer_marketplace(raw, currency=None, country=None, given=marketplace)
    c = RowChecker(raw, marketplace=mp)
    stamp = c.timestamp(s.DATE)
    tz = MARKETPLACES[mp].timezone if mp in MARKETPLACES else "UTC"
    table = pd.DataFrame(
        {
            s.SKU: c.text(s.SKU, required=True),
            s.MARKETPLACE: mp,
            s.DATE: stamp.dt.tz_convert(tz).dt.tz_localize(None).dt.normalize(),
            s.ORDER_ID: c.text(s.ORDER_ID),
            s.ASIN: c.text(s.ASIN),
            "fnsku": c.text("fnsku"),
            s.UNITS: c.number(s.UNITS, required=True, integer=True, maximum=MAX_UNITS_PER_LINE),
            "disposition": c.text("disposition"),
            "reason": c.text("reason"),
            "status": c.text("status"),
            "license_plate": c.text("license_plate"),
        }
    )
    result = c.finish(table, marketplace=mp)
    result.table[s.UNITS] = result.table[s.UNITS].astype("int64")
    return result
