"""Product master (``products.csv``, the seller's own file): one row per SKU with parent,
ASINs, category, launch date, unit dimensions (cm) and weight (kg), unit cost (CNY), list price,
factory line, line speed (units per hour), MOQ, case pack and the marketplaces it is sold in
(``US;DE;JP``). English or Chinese headers.
"""

from __future__ import annotations

import pandas as pd

from forecasting import schema as s
from forecasting.io.base import MAX_STOCK_UNITS, ParsedExport, RowChecker
from forecasting.io.detect import RawTable

KIND = "products"
NUMBERS = (
    s.LENGTH_CM,
    s.WIDTH_CM,
    s.HEIGHT_CM,
    s.WEIGHT_KG,
    s.UNIT_COST,
    s.PRICE,
    s.UNITS_PER_HOUR,
)
INTEGERS = (s.MOQ, s.CASE_PACK)


def read(raw: RawTable, *, marketplace: str | None = None) -> ParsedExport:
    """Read the product master; ``marketplace`` is ignored.

    Returns
    -------
    ParsedExport
        ``table`` columns as :func:`forecasting.io.store.Store.products` returns them.
    """
    c = RowChecker(raw)
    marketplaces = c.text("marketplaces").str.upper().str.replace(r"[,\s/|]+", ";", regex=True)
    table = pd.DataFrame(
        {
            s.SKU: c.text(s.SKU, required=True),
            "parent_sku": c.text("parent_sku"),
            s.ASIN: c.text(s.ASIN),
            s.PARENT_ASIN: c.text(s.PARENT_ASIN),
            s.TITLE: c.text(s.TITLE),
            s.CATEGORY: c.text(s.CATEGORY),
            s.LAUNCH_DATE: c.date(s.LAUNCH_DATE, required=False),
            **{col: c.number(col) for col in NUMBERS},
            **{col: c.number(col, integer=True, maximum=MAX_STOCK_UNITS) for col in INTEGERS},
            s.PRODUCTION_LINE: c.text(s.PRODUCTION_LINE),
            "marketplaces": marketplaces,
        }
    )
    c.flag(table[s.SKU].duplicated(keep="first"), s.SKU, "SKU listed twice (first row kept)")
    return c.finish(table, marketplace=None)
