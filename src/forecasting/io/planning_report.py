"""FBA Inventory planning report (``GET_FBA_INVENTORY_PLANNING_DATA``, "Manage Inventory
Health"): one row per SKU per snapshot date with available, inbound, reserved and age buckets.

Handles the 2026 age buckets (``inv-age-366-to-455-days``, ``inv-age-456-plus-days``) and the
older single ``inv-age-365-plus-days`` bucket (read into ``age_366_455``; ``age_456_plus`` then
empty). ``item_volume`` is converted to cubic feet per unit from ``volume-unit-measurement``
(cubic feet, cubic inches, cubic centimetres or cubic metres; cubic feet when absent).
Marketplace from the ``marketplace`` column, else the file name or ``--marketplace``.
"""

from __future__ import annotations

import pandas as pd

from forecasting import schema as s
from forecasting.io.base import MAX_STOCK_UNITS, ParsedExport, RowChecker, marketplace_column
from forecasting.io.detect import RawTable

KIND = "planning_report"
QUANTITIES = (
    s.ON_HAND,
    s.INBOUND_WORKING,
    s.INBOUND_SHIPPED,
    s.INBOUND_RECEIVING,
    s.RESERVED,
    "fc_transfer",
    *s.AGE_BUCKETS,
    "units_shipped_t30",
    "units_shipped_t90",
)
#: cubic feet per one of the unit
CUBIC_FEET = {
    "cubic feet": 1.0,
    "cubic foot": 1.0,
    "ft3": 1.0,
    "cubic inches": 1 / 1728,
    "in3": 1 / 1728,
    "cubic centimeters": 1 / 28316.846592,
    "cubic centimetres": 1 / 28316.846592,
    "cm3": 1 / 28316.846592,
    "cubic meters": 35.3146667,
    "m3": 35.3146667,
}


def read(raw: RawTable, *, marketplace: str | None = None) -> ParsedExport:
    """Read an inventory planning report.

    Returns
    -------
    ParsedExport
        ``table`` columns: sku, marketplace, date (snapshot), fnsku, asin, on_hand (available
        units), inbound_working, inbound_shipped, inbound_receiving, reserved, fc_transfer,
        age_0_90 … age_456_plus, units_shipped_t30, units_shipped_t90 (units),
        item_volume_cuft (cubic feet per unit), storage_type, historical_days_of_supply (days).
    """
    c = RowChecker(raw)
    codes = marketplace_column(raw, c, s.MARKETPLACE, "marketplace", marketplace)
    c.marketplace = codes
    unit = c.text("volume_unit").str.lower().str.replace(r"\s+", " ", regex=True)
    factor = unit.map(lambda u: CUBIC_FEET.get(u, 1.0 if u == "" else float("nan")))
    c.flag(factor.isna(), "volume_unit", "unknown volume unit '" + unit + "'")
    table = pd.DataFrame(
        {
            s.SKU: c.text(s.SKU, required=True),
            s.MARKETPLACE: codes,
            s.DATE: c.date(s.DATE),
            "fnsku": c.text("fnsku"),
            s.ASIN: c.text(s.ASIN),
            **{col: c.number(col, integer=True, maximum=MAX_STOCK_UNITS) for col in QUANTITIES},
            "item_volume_cuft": c.number("item_volume") * factor,
            "storage_type": c.text("storage_type"),
            "historical_days_of_supply": c.number("historical_days_of_supply"),
        }
    )
    result = c.finish(table, marketplace=None)
    result.marketplace = ";".join(sorted(result.table[s.MARKETPLACE].unique())) or None
    return result
