"""Writers of the long-history files: product master, factory stock, Business Reports, ledger, truth.

Each writer takes the simulated world and a folder and writes one export kind exactly as the
source system writes it (headers, encoding, separators, number and date formats); see
``data/sample/README.md`` for the quirks of each file.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.sample import formats as fmt
from forecasting.sample.catalog import AS_OF, Product
from forecasting.sample.world import World

BR_HEADERS_EN = [
    "(Parent) ASIN",
    "(Child) ASIN",
    "Title",
    "SKU",
    "Sessions - Total",
    "Sessions - Total - B2B",
    "Session Percentage - Total",
    "Session Percentage - Total - B2B",
    "Page Views - Total",
    "Page Views - Total - B2B",
    "Page Views Percentage - Total",
    "Page Views Percentage - Total - B2B",
    "Featured Offer (Buy Box) Percentage",
    "Featured Offer (Buy Box) Percentage - B2B",
    "Units Ordered",
    "Units Ordered - B2B",
    "Unit Session Percentage",
    "Unit Session Percentage - B2B",
    "Ordered Product Sales",
    "Ordered Product Sales - B2B",
    "Total Order Items",
    "Total Order Items - B2B",
]
BR_HEADERS_CN = [
    "（父）ASIN",
    "（子）ASIN",
    "标题",
    "SKU",
    "会话数 - 总计",
    "会话 - 总计 - B2B",
    "转化率 - 总计",
    "会话百分比 - 总计 - B2B",
    "页面浏览量 - 总计",
    "页面浏览量 - 总计 - B2B",
    "页面浏览量百分比 - 总计",
    "页面浏览量百分比 - 总计 - B2B",
    "推荐报价（推荐报价展示位）百分比",
    "推荐报价（推荐报价展示位）百分比 - B2B",
    "已订购商品数量",
    "已订购商品数量 - B2B",
    "商品会话百分比",
    "商品会话百分比 - B2B",
    "已订购商品销售额",
    "已订购商品销售额 - B2B",
    "订单商品总数",
    "订单商品总数 - B2B",
]
LEDGER_HEADERS = [
    "Date",
    "FNSKU",
    "ASIN",
    "MSKU",
    "Title",
    "Disposition",
    "Starting Warehouse Balance",
    "In Transit Between Warehouses",
    "Receipts",
    "Customer Shipments",
    "Customer Returns",
    "Vendor Returns",
    "Warehouse Transfer In/Out",
    "Found",
    "Lost",
    "Damaged",
    "Disposed",
    "Other Events",
    "Ending Warehouse Balance",
    "Unknown Events",
    "Location",
]
PRODUCT_HEADERS = [
    "sku",
    "parent_sku",
    "asin",
    "parent_asin",
    "title",
    "category",
    "launch_date",
    "length_cm",
    "width_cm",
    "height_cm",
    "weight_kg",
    "unit_cost",
    "price",
    "production_line",
    "units_per_hour",
    "moq",
    "case_pack",
    "marketplaces",
]


def write_products(world: World) -> None:
    """``products.csv``: the seller's product master (ERP), UTF-8, one row per SKU."""
    rows = [
        [
            p.sku,
            p.parent_sku,
            p.asin,
            p.parent_asin,
            p.titles["US"],
            p.category,
            p.launch_date.isoformat(),
            fmt.plain(p.length_cm, 1),
            fmt.plain(p.width_cm, 1),
            fmt.plain(p.height_cm, 1),
            fmt.plain(p.weight_kg, 2),
            fmt.plain(p.unit_cost, 2),
            fmt.plain(p.price, 2),
            p.production_line,
            p.units_per_hour,
            p.moq,
            p.case_pack,
            ";".join(world.listed[p.sku]),
        ]
        for p in world.products
    ]
    fmt.write_text(world.out / "products.csv", fmt.to_text(PRODUCT_HEADERS, rows))


def write_factory_stock(world: World) -> None:
    """``factory_stock.csv``: Chinese ERP export (UTF-8 with BOM) of finished goods and open work.

    Finished goods = batches finished but not yet shipped at the as-of date plus a buffer of
    0–2 weeks of the SKU's recent demand (whole case packs); open production = batches ordered and
    not finished, due on their finish day.
    """
    sim, t_end, rng = world.sim, world.t_end, world.stream(50)
    sh = sim.shipments
    by_sku: dict[str, list[int]] = {}
    for i, s in enumerate(world.series):
        by_sku.setdefault(s.product.sku, []).append(i)
    rows = []
    for p in world.products:
        idx = by_sku.get(p.sku, [])
        mine = sh[sh["series"].isin(idx)]
        done = mine[(mine["finish_day"] <= t_end) & (mine["ship_day"] > t_end)]
        wip = mine[(mine["order_day"] <= t_end) & (mine["finish_day"] > t_end)]
        weekly = sim.demand[idx, t_end - 27 : t_end + 1].sum() / 4 if idx else 0.0
        buffer = int(np.ceil(weekly * rng.uniform(0, 2) / p.case_pack) * p.case_pack)
        due = ""
        if len(wip):
            due = (world.dates[0] + pd.Timedelta(days=int(wip["finish_day"].min()))).strftime(
                "%Y-%m-%d"
            )
        rows.append(
            [p.sku, p.name_cn, int(done["units"].sum()) + buffer, int(wip["units"].sum()), due]
        )
    header = ["物料编码", "品名", "成品库存", "在制数量", "预计完工日期"]
    fmt.write_text(world.out / "factory_stock.csv", fmt.to_text(header, rows), "utf-8-sig")


def write_business_reports(world: World) -> None:
    """``business_report/BusinessReport_<MP>_<YYYY>.csv.gz``: Detail Page Sales and Traffic by
    Child Item, downloaded by day (one row per SKU and day with sessions), one file per year.

    US: Chinese UI headers, ``日期`` first, UTF-8 BOM, MM/DD/YYYY. DE: English headers, ``;``
    separated, ``1.234,56 €``, ``12,50%``, dd.mm.yyyy. JP: English headers, cp932, ``￥1,234``,
    yyyy/mm/dd. Every field quoted, as Seller Central does.
    """
    br = world.traffic
    for mp in ("US", "DE", "JP"):
        part = br[br["marketplace"] == mp]
        header = ["日期", *BR_HEADERS_CN] if mp == "US" else ["Date", *BR_HEADERS_EN]
        for year, chunk in part.groupby(part["date"].dt.year, sort=True):
            rows = []
            for r in chunk.itertuples(index=False):
                p: Product = world.by_sku[r.sku]
                parent = p.parent_asin or p.asin
                rows.append(
                    [
                        fmt.ui_date(r.date, mp),
                        parent,
                        p.asin,
                        p.titles[mp],
                        p.sku,
                        fmt.integer(r.sessions, mp),
                        fmt.integer(r.sessions_b2b, mp),
                        fmt.percent(r.session_pct, mp),
                        fmt.percent(r.session_pct_b2b, mp),
                        fmt.integer(r.page_views, mp),
                        fmt.integer(r.page_views_b2b, mp),
                        fmt.percent(r.page_views_pct, mp),
                        fmt.percent(r.page_views_pct_b2b, mp),
                        fmt.percent(r.buy_box, mp),
                        fmt.percent(r.buy_box_b2b, mp),
                        fmt.integer(r.units, mp),
                        fmt.integer(r.units_b2b, mp),
                        fmt.percent(r.units / r.sessions, mp),
                        fmt.percent(r.units_b2b / r.sessions_b2b if r.sessions_b2b else 0.0, mp),
                        fmt.money(r.sales, mp),
                        fmt.money(r.sales_b2b, mp),
                        fmt.integer(r.order_items, mp),
                        fmt.integer(r.order_items_b2b, mp),
                    ]
                )
            text = fmt.to_text(header, rows, delimiter=";" if mp == "DE" else ",", quote_all=True)
            enc = {"US": "utf-8-sig", "DE": "utf-8", "JP": "cp932"}[mp]
            fmt.write_text(
                world.out / "business_report" / f"BusinessReport_{mp}_{year}.csv.gz",
                text,
                enc,
                gz=True,
            )


def _ledger_line(
    day: str,
    head: list[str],
    status: str,
    start: object,
    receipts: object,
    shipments: object,
    returns: object,
    disposed: object,
    end: object,
    mp: str,
) -> list:
    """One Inventory Ledger summary row (the columns not simulated are 0)."""
    return [day, *head, status, start, 0, receipts, shipments, returns, 0, 0, 0, 0, 0, disposed, 0,
            end, 0, mp]  # fmt: skip


def _series_ledger(world: World, i: int, date_text: pd.Index) -> list[tuple]:
    """(day, sku, 0/1, row) of series ``i``: SELLABLE every day from its first stocked day,
    UNSELLABLE on days with damaged returns or a disposal (every 61 days, of all unsellable)."""
    sim, s = world.sim, world.series[i]
    p, mp = s.product, s.marketplace
    head = [p.fnsku, p.asin, p.sku, p.titles[mp]]
    rows = []
    unsell = 0
    for t in range(int(sim.first_day[i]), len(date_text)):
        sellable = _ledger_line(
            date_text[t], head, "SELLABLE", sim.start_balance[i, t], sim.receipts[i, t],
            -sim.shipped[i, t], sim.returns_sellable[i, t], 0, sim.end_balance[i, t], mp,
        )  # fmt: skip
        rows.append((t, p.sku, 0, sellable))
        ret = int(sim.returns_unsellable[i, t])
        disposed = -unsell if unsell and t % 61 == i % 61 else 0
        if ret or disposed:
            start, unsell = unsell, unsell + ret + disposed
            line = _ledger_line(date_text[t], head, "UNSELLABLE", start, 0, 0, ret, disposed,
                                unsell, mp)  # fmt: skip
            rows.append((t, p.sku, 1, line))
    return rows


def write_ledger(world: World) -> None:
    """``ledger/Ledger_Summary_<MP>.csv.gz``: Inventory Ledger summary, daily, full history.

    One SELLABLE row per SKU and day from its first stocked day; UNSELLABLE rows only on days with
    damaged customer returns or a disposal. Customer Shipments are negative, as Amazon writes them.
    """
    date_text = world.dates.strftime("%m/%d/%Y")
    for mp in ("US", "DE", "JP"):
        rows = []
        for i, s in enumerate(world.series):
            if s.marketplace == mp:
                rows.extend(_series_ledger(world, i, date_text))
        rows.sort(key=lambda r: r[:3])
        fmt.write_text(
            world.out / "ledger" / f"Ledger_Summary_{mp}.csv.gz",
            fmt.to_text(LEDGER_HEADERS, [r[3] for r in rows]),
            gz=True,
        )


def write_truth(world: World) -> None:
    """``_truth/``: the generator's ground truth (not an Amazon export; readers must skip it).

    ``latent_demand.csv.gz``: sku, marketplace, date, demand (uncensored), sold (= units ordered),
    in_stock (ending sellable balance > 0); ``promotions.csv`` and ``events.csv``: the promotion
    windows and sales events that drove demand.
    """
    sim, dates = world.sim, world.dates
    day_text = dates.strftime("%Y-%m-%d")
    rows = []
    for i, s in enumerate(world.series):
        start = max(0, (pd.Timestamp(s.launch) - dates[0]).days)
        for t in range(start, len(dates)):
            rows.append(
                (
                    s.product.sku,
                    s.marketplace,
                    day_text[t],
                    int(sim.demand[i, t]),
                    int(sim.ordered[i, t]),
                    "true" if sim.end_balance[i, t] > 0 else "false",
                )
            )
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    header = ["sku", "marketplace", "date", "demand", "sold", "in_stock"]
    fmt.write_text(
        world.out / "_truth" / "latent_demand.csv.gz", fmt.to_text(header, rows), gz=True
    )
    promos = world.promotions.table
    fmt.write_text(
        world.out / "_truth" / "promotions.csv",
        fmt.to_text(
            list(promos.columns),
            [[*r[:5], fmt.plain(r[5], 2)] for r in promos.itertuples(index=False)],
        ),
    )
    from forecasting.sample.demand import EVENTS

    ev = [[n, a.isoformat(), b.isoformat(), fmt.plain(m, 2)] for n, a, b, m in EVENTS]
    fmt.write_text(
        world.out / "_truth" / "events.csv",
        fmt.to_text(["event", "start", "end", "demand_multiplier"], ev),
    )


def as_of_index(dates: pd.DatetimeIndex) -> int:
    """Index of the as-of date in ``dates``."""
    return int(np.nonzero(dates == pd.Timestamp(AS_OF))[0][0])
