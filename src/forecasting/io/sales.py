"""The daily sales rule: how the store turns orders, business reports and the ledger into one
daily series per SKU × marketplace (``store.sales()``).

1. **Units and revenue.** For a marketplace and day covered by an All Orders export (the days
   the rule in :mod:`forecasting.io.coverage` gives: where the export's orders are dense, cut to
   the requested range in its file name, never stretched by stray rows; an export's last day only
   when the export reached its end), units are the summed ``quantity`` of the non-cancelled order
   lines purchased that day in the marketplace's local time zone, and revenue the summed
   ``item-price`` (line totals, local currency; pending orders without a price add 0). For every
   other day, units are the Business Report's ``Units Ordered`` and revenue its ``Ordered Product
   Sales``. Orders win where both exist because they are per order (deduplicated by order id ×
   SKU, cancellations applied when a later export reports them); business reports fill the
   history that order exports no longer reach (Seller Central keeps order exports short).
   Stray order rows (outside every export's coverage) are kept but replace nothing.
   A **partial day** (the last day of an export pulled during that day) that no complete export
   and no Business Report covers counts the orders known so far (a lower bound, never an invented
   0) and is listed by :data:`PARTIAL_SQL` (``Store.partial_days``), so ``history``, the
   data-health report and the plan's notes say so; a later export covering the day replaces it.
2. **In stock.** ``in_stock`` is True where the Inventory Ledger's SELLABLE ending warehouse
   balance (summed over FNSKUs) is above 0 that day, False where it is 0, NA where the ledger has
   no row (unknown; the demand area decides how to treat it).
3. **Complete series.** Each series runs from its start to ``as_of`` with one row per day; days
   without sales have units 0. The start is the first day the SKU appears in that marketplace's
   data (its first Business Report row, which exists from the day it is listed, even with 0
   units; or its first order), or the product master's ``launch_date`` when that lies at most 7
   days before it (a new listing's first days may have no sessions), never before the first day
   the marketplace has any sales data (so no zeros are invented for days no export covers). A
   product the master lists for a marketplace without any data there yet (a new launch) gets a
   series of zeros from its ``launch_date``. The master's launch date is per product, not per
   marketplace, so an older one does not override when the marketplace's data starts.
4. **Last day.** ``as_of`` is by default the last day for which every active marketplace has
   sales data (orders coverage or a Business Report): when the EU export was pulled a day later
   than the NA one, the series stop at the NA export's last day instead of inventing zero sales
   for the US on the newest day. A marketplace whose data end more than :data:`ACTIVE_DAYS` days
   before the newest one is not waited for (its series run to ``as_of`` with zero sales).

The rule runs as one DuckDB query (:data:`SALES_SQL`), so it is fast on years of history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from forecasting.io.aliases import MARKETPLACES

if TYPE_CHECKING:
    import pandas as pd

#: a marketplace whose sales data end more than this many days before the newest marketplace's is
#: not waited for when choosing the default ``as_of`` (it has stopped selling, or its exports stopped)
ACTIVE_DAYS = 7

_MP_CURRENCY = ", ".join(f"('{m.code}', '{m.currency}')" for m in MARKETPLACES.values())

#: last sales-data day per marketplace, whether it bounds the default ``as_of`` (``active``)
DATA_END_SQL = f"""
WITH
data_days AS (
    SELECT marketplace, date FROM orders_coverage
    UNION ALL SELECT marketplace, date FROM business_report
),
mp_last AS (SELECT marketplace, max(date)::DATE AS last_day FROM data_days GROUP BY ALL)
SELECT marketplace, last_day,
       last_day >= (SELECT max(last_day) FROM mp_last) - INTERVAL {ACTIVE_DAYS} DAY AS active
FROM mp_last ORDER BY marketplace
"""

#: partial days no complete export and no Business Report covers (needs the CTE ``cov``)
_PARTIAL_ONLY = """partial_only AS (
    SELECT marketplace, date, max(exported_local) AS exported_local,
           arg_max(file, exported_local) AS file
    FROM orders_partial
    ANTI JOIN cov USING (marketplace, date)
    ANTI JOIN (SELECT DISTINCT marketplace, date FROM business_report) USING (marketplace, date)
    GROUP BY ALL
)"""

#: partial days up to $as_of (DATE) that count the orders known so far (rule 1): marketplace,
#: date, exported_local (the newest export's local time that day), file, units
PARTIAL_SQL = f"""
WITH
cov AS (SELECT DISTINCT marketplace, date FROM orders_coverage),
{_PARTIAL_ONLY},
known AS (
    SELECT marketplace, date, sum(units)::BIGINT AS units FROM orders
    WHERE lower(status) <> 'cancelled' GROUP BY ALL
)
SELECT p.marketplace, p.date, p.exported_local, p.file, coalesce(k.units, 0)::BIGINT AS units
FROM partial_only p LEFT JOIN known k USING (marketplace, date)
WHERE p.date <= $as_of::DATE
ORDER BY p.marketplace, p.date
"""

#: parameters: $as_of (DATE: the last day of every series; ``Store.sales`` passes the default
#: of rule 4, from :data:`DATA_END_SQL`, when none is given)
SALES_SQL = f"""
WITH
cov AS (SELECT DISTINCT marketplace, date FROM orders_coverage),
{_PARTIAL_ONLY},
o AS (
    SELECT sku, marketplace, date, sum(units)::BIGINT AS units,
           coalesce(sum(revenue), 0.0) AS revenue, any_value(currency) AS currency
    FROM orders SEMI JOIN (
        SELECT marketplace, date FROM cov UNION SELECT marketplace, date FROM partial_only
    ) USING (marketplace, date)
    WHERE lower(status) <> 'cancelled' GROUP BY ALL
),
b AS (
    SELECT br.sku, br.marketplace, br.date, br.units_ordered::BIGINT AS units,
           coalesce(br.ordered_product_sales, 0.0) AS revenue, br.currency
    FROM business_report br
    ANTI JOIN cov ON br.marketplace = cov.marketplace AND br.date = cov.date
),
daily AS (SELECT * FROM o UNION ALL BY NAME SELECT * FROM b),
data_days AS (
    SELECT marketplace, date FROM cov
    UNION ALL SELECT marketplace, date FROM business_report
),
mp AS (SELECT marketplace, min(date) AS first_day FROM data_days GROUP BY ALL),
last_day AS (SELECT $as_of::DATE AS as_of),
launch AS (
    SELECT p.sku, trim(m.marketplace) AS marketplace, p.launch_date::DATE AS launch_date
    FROM products p, unnest(string_split(coalesce(p.marketplaces, ''), ';')) AS m(marketplace)
    WHERE trim(m.marketplace) <> ''
),
seen AS (
    SELECT sku, marketplace, min(date) AS first_row, any_value(currency) AS currency
    FROM (
        SELECT sku, marketplace, date, currency FROM business_report
        UNION ALL SELECT sku, marketplace, date, currency FROM orders
    ) GROUP BY ALL
),
series AS (
    SELECT coalesce(seen.sku, launch.sku) AS sku,
           coalesce(seen.marketplace, launch.marketplace) AS marketplace,
           seen.first_row, launch.launch_date, seen.currency
    FROM seen FULL OUTER JOIN launch
      ON seen.sku = launch.sku AND seen.marketplace = launch.marketplace
),
spans AS (
    SELECT series.sku, series.marketplace,
           greatest(
               CASE WHEN launch_date < first_row AND launch_date >= first_row - INTERVAL 7 DAY
                    THEN launch_date ELSE coalesce(first_row, launch_date) END,
               mp.first_day)::DATE AS start_day,
           coalesce(series.currency, cur.currency) AS currency
    FROM series
    JOIN mp ON mp.marketplace = series.marketplace
    LEFT JOIN (VALUES {_MP_CURRENCY}) AS cur(marketplace, currency)
      ON cur.marketplace = series.marketplace
),
grid AS (
    SELECT sku, marketplace, currency,
           unnest(generate_series(start_day, (SELECT as_of FROM last_day), INTERVAL 1 DAY))::DATE
               AS date
    FROM spans WHERE start_day IS NOT NULL AND start_day <= (SELECT as_of FROM last_day)
),
stock AS (
    SELECT sku, marketplace, date, sum(ending_balance) > 0 AS in_stock
    FROM ledger WHERE disposition = 'SELLABLE' GROUP BY ALL
)
SELECT g.sku, g.marketplace, g.date,
       coalesce(d.units, 0)::BIGINT AS units,
       coalesce(d.revenue, 0.0) AS revenue,
       coalesce(d.currency, g.currency) AS currency,
       stock.in_stock
FROM grid g
LEFT JOIN daily d ON d.sku = g.sku AND d.marketplace = g.marketplace AND d.date = g.date
LEFT JOIN stock ON stock.sku = g.sku AND stock.marketplace = g.marketplace
    AND stock.date = g.date
ORDER BY g.sku, g.marketplace, g.date
"""


def partial_day_notes(partial: pd.DataFrame) -> list[str]:
    """One sentence per partial day counted in the sales (rule 1), for ``history`` and the plan.

    Only codes, dates and counts (no file names: the plan's notes are shown as Markdown, and text
    from files is never rendered as markup).

    Parameters
    ----------
    partial : DataFrame
        :meth:`forecasting.io.store.Store.partial_days`.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"marketplace": ["US"], "date": [pd.Timestamp("2026-11-23")],
    ...     "exported_local": [pd.Timestamp("2026-11-23 06:10")],
    ...     "file": ["inbox/All_Orders_NA.txt"], "units": [5]})
    >>> for line in partial_day_notes(p):
    ...     print(line)
    US 2026-11-23 is a partial day (its newest orders export was pulled at 06:10 local time): its 5 units are the orders known so far, a lower bound, until a later export covers the day
    """
    return [
        f"{r.marketplace} {r.date:%Y-%m-%d} is a partial day (its newest orders export was "
        f"pulled at {r.exported_local:%H:%M} local time): its {r.units} units are the orders "
        "known so far, a lower bound, until a later export covers the day"
        for r in partial.itertuples(index=False)
    ]
