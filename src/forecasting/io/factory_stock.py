"""Factory stock from the ERP (``factory_stock.csv``; Chinese headers 物料编码, 品名, 成品库存,
在制数量, 预计完工日期, usually UTF-8 with BOM or GBK): finished goods at the factory and open
production orders with their due date. A snapshot: each ingest replaces the SKU's row.
"""

from __future__ import annotations

import pandas as pd

from forecasting import schema as s
from forecasting.io.base import MAX_STOCK_UNITS, ParsedExport, RowChecker
from forecasting.io.detect import RawTable

KIND = "factory_stock"


def read(raw: RawTable, *, marketplace: str | None = None) -> ParsedExport:
    """Read a factory stock export; ``marketplace`` is ignored.

    Returns
    -------
    ParsedExport
        ``table`` columns: sku, title, finished_goods (units), open_production (units),
        open_production_due (date; empty when nothing is in production).
    """
    c = RowChecker(raw)
    table = pd.DataFrame(
        {
            s.SKU: c.text(s.SKU, required=True),
            s.TITLE: c.text(s.TITLE),
            "finished_goods": c.number(
                "finished_goods", required=True, integer=True, maximum=MAX_STOCK_UNITS
            ),
            "open_production": c.number(
                "open_production", integer=True, maximum=MAX_STOCK_UNITS
            ).fillna(0),
            "open_production_due": c.date("open_production_due", required=False),
        }
    )
    c.flag(table[s.SKU].duplicated(keep="first"), s.SKU, "SKU listed twice (first row kept)")
    return c.finish(table, marketplace=None)
