"""Business Report "Detail Page Sales and Traffic By Child Item", downloaded by day (a ``Date``
column), in any UI language (English current/legacy, Chinese ``日期``/``已订购商品数量``…).

The export has no marketplace column: it is inferred from the currency symbols of ``Ordered
Product Sales`` (``$``, ``€``, ``￥``), then the file name (``_DE_``), then ``--marketplace``.
Dates follow the marketplace's convention unless the file's own dates say otherwise
(``01.10.2026`` day-first; ``10/01/2026`` month-first in a US file):
:func:`~forecasting.io.dates.settle_date_order`.
Sales in another currency than the marketplace's (``¥`` in a DE file) are quarantined.
Percentages stay in percent (``buy_box_pct`` 95.0 = 95 %). A report without a ``Date`` column
(a period total) cannot be placed on days and is refused. Rows dated where the report cannot have
data (years before its other days, after its newest day, before Amazon existed) are quarantined
by the rule in :mod:`forecasting.io.plausible`.
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
from forecasting.io.plausible import implausible_dates

KIND = "business_report"


def read(raw: RawTable, *, marketplace: str | None = None) -> ParsedExport:
    """Read a daily Business Report (child item).

    Returns
    -------
    ParsedExport
        ``table`` columns: sku, marketplace, date, asin, parent_asin, sessions, page_views,
        units_ordered (units), ordered_product_sales (local currency), buy_box_pct (percent),
        currency.
    """
    if not raw.columns.get(s.DATE):
        raise InputError(
            "business report has no 'Date' column; download it by day "
            "(Reports → Business Reports → by date, daily)",
            file=raw.file,
            row=raw.header_line,
            column="Date",
        )
    c = RowChecker(raw)
    sales_raw = c.cells("ordered_product_sales")
    currency = c.text(s.CURRENCY) if c.has(s.CURRENCY) else None
    code = (
        currency[currency.ne("")].iloc[0]
        if currency is not None and currency.ne("").any()
        else currency_of(sales_raw)
    )
    mp = infer_marketplace(raw, currency=code, country=None, given=marketplace)
    c.marketplace = mp  # date convention (01.10.2026, 10/01/2026) and currency
    sku = c.text(s.SKU, required=True)
    dates = c.date(s.DATE)
    why = implausible_dates(dates.where(~c.bad), raw.columns[s.DATE])
    c.flag(why.ne(""), s.DATE, why)
    table = pd.DataFrame(
        {
            s.SKU: sku,
            s.MARKETPLACE: mp,
            s.DATE: dates,
            s.ASIN: c.text(s.ASIN),
            s.PARENT_ASIN: c.text(s.PARENT_ASIN),
            "sessions": c.number("sessions", integer=True),
            "page_views": c.number("page_views", integer=True),
            "units_ordered": c.number(
                "units_ordered", required=True, integer=True, maximum=MAX_UNITS_PER_DAY
            ),
            "ordered_product_sales": c.money("ordered_product_sales"),
            "buy_box_pct": c.number("buy_box_pct"),
            s.CURRENCY: (code or MARKETPLACES[mp].currency) if mp in MARKETPLACES else (code or ""),
        }
    )
    result = c.finish(table, marketplace=mp)
    result.table["units_ordered"] = result.table["units_ordered"].astype("int64")
    return result
