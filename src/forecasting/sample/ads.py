"""Sponsored Products reports of the last 180 days: US legacy console, DE new 2026 console.

Ads only run while the SKU is in stock. For each campaign × SKU × day: impressions, clicks
(CTR 0.3–0.6 %), orders (CVR 8–15 % of clicks, never more than the SKU's units ordered that day),
cost per click chosen so ACOS lands between 15 % and 45 %. Search terms share their campaign's
clicks; some are wasteful (clicks, spend, no sales). Reports only carry rows with impressions
(advertised product) or clicks (search terms), as the consoles do.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.sample import formats as fmt
from forecasting.sample.world import World

DAYS = 180
ADV_HEADERS = [
    "Date",
    "Portfolio name",
    "Currency",
    "Campaign Name",
    "Ad Group Name",
    "Retailer",
    "Country",
    "Advertised SKU",
    "Advertised ASIN",
    "Impressions",
    "Clicks",
    "Click-Thru Rate (CTR)",
    "Cost Per Click (CPC)",
    "Spend",
    "7 Day Total Sales ",
    "Total Advertising Cost of Sales (ACOS) ",
    "Total Return on Advertising Spend (ROAS)",
    "7 Day Total Orders (#)",
    "7 Day Total Units (#)",
    "7 Day Conversion Rate",
    "7 Day Advertised SKU Units (#)",
    "7 Day Other SKU Units (#)",
    "7 Day Advertised SKU Sales ",
    "7 Day Other SKU Sales ",
]
ST_HEADERS = [
    "Date",
    "Portfolio name",
    "Currency",
    "Campaign Name",
    "Ad Group Name",
    "Retailer",
    "Country",
    "Targeting",
    "Match Type",
    "Customer Search Term",
    "Impressions",
    "Clicks",
    "Click-Thru Rate (CTR)",
    "Cost Per Click (CPC)",
    "Spend",
    "7 Day Total Sales ",
    "Total Advertising Cost of Sales (ACOS) ",
    "Total Return on Advertising Spend (ROAS)",
    "7 Day Total Orders (#)",
    "7 Day Total Units (#)",
    "7 Day Conversion Rate",
    "7 Day Advertised SKU Units (#)",
    "7 Day Other SKU Units (#)",
    "7 Day Advertised SKU Sales ",
    "7 Day Other SKU Sales ",
]
NEW_ST_HEADERS = [
    "Budget currency",
    "Date range",
    "Advertiser account ID",
    "Advertiser account name",
    "Portfolio ID",
    "Portfolio name",
    "Campaign ID",
    "Campaign name",
    "Ad group ID",
    "Ad group name",
    "Search term",
    "Impressions",
    "Clicks",
    "CTR",
    "Total cost",
    "Purchases",
    "Sales",
    "Units sold",
    "Cost per purchase",
    "Purchase rate",
    "ROAS",
    "Purchases (promoted)",
    "Sales (promoted)",
    "Units sold (promoted)",
    "Cost per purchase (promoted)",
    "Purchase rate (promoted)",
    "ROAS (promoted)",
    "Purchases (halo)",
    "Sales (halo)",
    "Units sold (halo)",
    "Purchases (new to brand)",
    "Sales (new to brand)",
    "Units sold (new to brand)",
    "Cost per purchase (new to brand)",
    "Purchase rate (new to brand)",
    "ROAS (new to brand)",
    "Detail page views",
    "Cost per detail page view",
    "Detail page view rate",
]
#: wasteful search terms (spend, no sales) added to every campaign
WASTE = {
    "US": ["free shipping cheap", "diy how to", "used"],
    "DE": ["kostenlos", "gebraucht", "anleitung"],
}


def _campaigns(world: World, mp: str, rng: np.random.Generator) -> list[dict]:
    """Auto campaign per advertised parent, plus an exact-match one for the biggest parents."""
    groups: dict[str, list[int]] = {}
    for i, s in enumerate(world.series):
        if s.marketplace == mp and s.base >= 2.0:
            groups.setdefault(s.product.parent_sku or s.product.sku, []).append(i)
    size = {g: sum(world.series[i].base for i in idx) for g, idx in groups.items()}
    top = sorted(size, key=lambda g: -size[g])[:4]
    out = []
    for g in sorted(groups):
        title = world.series[groups[g][0]].product.titles["US"].split(",")[0]
        words = title.lower().split()[1:]
        core = " ".join(words[-3:])
        terms = list(dict.fromkeys([core, " ".join(words[-2:])]))
        kinds = [("Auto", "close-match", "-", 0.25)]
        if g in top:
            kinds.append(("Exact", core, "EXACT", 0.18))
        for kind, target, match, share in kinds:
            out.append(
                {
                    "name": f"SP-{g}-{kind}",
                    "ad_group": "Auto" if kind == "Auto" else "Exact KW",
                    "series": groups[g],
                    "target": target,
                    "match": match,
                    "share": share,
                    "terms": [core] if kind == "Exact" else terms,
                    "waste": WASTE[mp][:1] if kind == "Auto" else [],
                    "acos": float(rng.uniform(0.15, 0.45)),
                    "id": int(rng.integers(10**14, 10**15)),
                    "group_id": int(rng.integers(10**14, 10**15)),
                }
            )
    return out


def _product_day(
    world: World,
    c: dict,
    t: int,
    used: np.ndarray,
    first: int,
    ctr: float,
    cvr: float,
    rng: np.random.Generator,
    mp: str,
) -> list[tuple]:
    """Campaign ``c`` on day ``t``: per advertised series with stock, (series, impressions,
    clicks, spend, orders, units, other units, price); ad units never exceed units ordered."""
    sim = world.sim
    day_rows = []
    for i in c["series"]:
        if sim.start_balance[i, t] + sim.receipts[i, t] <= 0:
            continue
        lam = world.mu[i, t] * c["share"] / cvr
        impressions = int(rng.poisson(lam / ctr * rng.uniform(0.8, 1.2)))
        if impressions == 0:
            continue
        clicks = int(rng.binomial(impressions, ctr))
        left = int(sim.ordered[i, t] - used[i, t - first])
        orders = min(int(rng.binomial(clicks, cvr)), left)
        units = min(orders + int(rng.binomial(orders, 0.05)), left)
        used[i, t - first] += units
        other = int(rng.binomial(units, 0.08))  # halo: part of the ad units
        units -= other
        price = world.price(i) * (1 - world.promotions.discount[i, t])
        cpc = c["acos"] * world.price(i) * cvr * float(np.exp(rng.normal(0, 0.2)))
        spend = round(clicks * cpc, 2 if mp != "JP" else 0)
        day_rows.append((i, impressions, clicks, spend, orders, units, other, price))
    return day_rows


def _advertised_rows(world: World, c: dict, t: int, day_rows: list[tuple]) -> list[dict]:
    """Advertised-product rows of one campaign and day."""
    return [
        {
            "day": t,
            "campaign": c["name"],
            "ad_group": c["ad_group"],
            "sku": world.series[i].product.sku,
            "asin": world.series[i].product.asin,
            "impressions": imp,
            "clicks": clk,
            "spend": spend,
            "orders": orders,
            "units": units,
            "other_units": other,
            "sales": round(units * price, 2),
            "other_sales": round(other * price, 2),
        }
        for i, imp, clk, spend, orders, units, other, price in day_rows
    ]


def _search_term_rows(
    c: dict,
    t: int,
    day_rows: list[tuple],
    weights: np.ndarray,
    rng: np.random.Generator,
    mp: str,
) -> list[dict]:
    """The day's campaign totals spread over its search terms (clicks by ``weights``; orders only
    on good terms, so waste terms get clicks and no order); only terms with clicks."""
    n_terms = len(c["terms"]) + len(c["waste"])
    tot = np.array([r[1:7] for r in day_rows], dtype=float).sum(axis=0)
    sales = sum(r[5] * r[7] for r in day_rows)
    other_sales = sum(r[6] * r[7] for r in day_rows)
    clicks = rng.multinomial(int(tot[1]), weights)
    n_good = len(c["terms"])
    deficit = int(tot[3]) - int(clicks[:n_good].sum())
    for k in range(n_good, n_terms):  # orders need clicks on good terms
        move = min(max(deficit, 0), int(clicks[k]))
        clicks[k] -= move
        clicks[0] += move
        deficit -= move
    slots = np.repeat(np.arange(n_good), clicks[:n_good])
    picked = rng.choice(slots, size=int(tot[3]), replace=False)
    orders = np.bincount(picked, minlength=n_terms)
    rows = []
    for k, term in enumerate(c["terms"] + c["waste"]):
        if clicks[k] == 0:
            continue
        share_o = orders[k] / tot[3] if tot[3] else 0.0
        rows.append(
            {
                "day": t,
                "campaign": c["name"],
                "ad_group": c["ad_group"],
                "campaign_id": c["id"],
                "ad_group_id": c["group_id"],
                "targeting": c["target"],
                "match": c["match"],
                "term": term,
                "impressions": int(round(clicks[k] / tot[1] * tot[0])),
                "clicks": int(clicks[k]),
                "spend": round(tot[2] * clicks[k] / tot[1], 2 if mp != "JP" else 0),
                "orders": int(orders[k]),
                "units": int(round(tot[4] * share_o)),
                "other_units": int(round(tot[5] * share_o)),
                "sales": round(sales * share_o, 2),
                "other_sales": round(other_sales * share_o, 2),
            }
        )
    return rows


def simulate_ads(world: World, mp: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Daily advertised-product rows and search-term rows of ``mp`` for the last 180 days.

    Parameters
    ----------
    world : World
        The simulated seller (expected demand, stock and units ordered per day).
    mp : str
        Marketplace code, ``US`` or ``DE``.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Advertised product rows (day, campaign, ad_group, sku, asin, impressions, clicks, spend
        in local currency, orders, units, other_units, sales, other_sales) and search-term rows
        (the same measures per campaign × term and day, only terms with clicks).
    """
    rng = world.stream(10, ord(mp[0]))
    first = world.t_end - DAYS + 1
    campaigns = _campaigns(world, mp, rng)
    used = np.zeros_like(world.sim.ordered[:, first:])
    adv, st = [], []
    for c in campaigns:
        ctr = rng.uniform(0.003, 0.006)
        cvr = rng.uniform(0.08, 0.15)
        weights = rng.dirichlet(np.ones(len(c["terms"]) + len(c["waste"])) * 2)
        for t in range(first, world.t_end + 1):
            day_rows = _product_day(world, c, t, used, first, ctr, cvr, rng, mp)
            adv.extend(_advertised_rows(world, c, t, day_rows))
            if day_rows:
                st.extend(_search_term_rows(c, t, day_rows, weights, rng, mp))
    return pd.DataFrame(adv), pd.DataFrame(st)


def _usd(x: float) -> str:
    return f"${x:,.2f}"


def _ratios(r) -> list[str]:
    """CTR, CPC, Spend, Total Sales, ACOS, ROAS, Orders, Units, CVR, adv units, other units,
    adv sales, other sales, as the legacy console writes them."""
    total_sales = r["sales"] + r["other_sales"]
    return [
        f"{r['clicks'] / r['impressions'] * 100:.2f}%" if r["impressions"] else "0.00%",
        _usd(r["spend"] / r["clicks"]) if r["clicks"] else "$0.00",
        _usd(r["spend"]),
        _usd(total_sales),
        f"{r['spend'] / total_sales * 100:.2f}%" if total_sales else "",
        f"{total_sales / r['spend']:.2f}" if r["spend"] else "0.00",
        str(r["orders"]),
        str(r["units"] + r["other_units"]),
        f"{r['orders'] / r['clicks'] * 100:.2f}%" if r["clicks"] else "0.00%",
        str(r["units"]),
        str(r["other_units"]),
        _usd(r["sales"]),
        _usd(r["other_sales"]),
    ]


def _us_rows(frame: pd.DataFrame, dates: pd.DatetimeIndex, keys: list[str]) -> list[list[str]]:
    """Rows of the legacy US console (daily ``Date`` MM/DD/YYYY, ``$1.23``): the ``keys``
    columns between the ad group's fixed fields and the measures."""
    return [
        [
            dates[r["day"]].strftime("%m/%d/%Y"),
            "",
            "USD",
            r["campaign"],
            r["ad_group"],
            "Amazon",
            "United States",
            *(r[k] for k in keys),
            str(r["impressions"]),
            str(r["clicks"]),
            *_ratios(r),
        ]
        for r in frame.to_dict("records")
    ]


def _ratio(a: float, b: float, pct: bool = False) -> str:
    return "" if not b else fmt.plain(a / b * (100 if pct else 1), 2)


def _de_row(r: dict, day: str) -> list[str]:
    """One row of the new 2026 console's search-term report (IDs as ``="…"``, one day)."""
    sales = r["sales"] + r["other_sales"]
    cost = r["spend"]
    return [
        "EUR",
        f"{day} - {day}",
        '="A3SAMPLE0DE"',
        "Orvida Trading DE",
        '=""',
        "",
        f'="{r["campaign_id"]}"',
        r["campaign"],
        f'="{r["ad_group_id"]}"',
        r["ad_group"],
        r["term"],
        str(r["impressions"]),
        str(r["clicks"]),
        _ratio(r["clicks"], r["impressions"], True),
        fmt.plain(cost, 2),
        str(r["orders"]),
        fmt.plain(sales, 2),
        str(r["units"] + r["other_units"]),
        _ratio(cost, r["orders"]),
        _ratio(r["orders"], r["clicks"], True),
        _ratio(sales, cost),
        str(r["orders"]),
        fmt.plain(r["sales"], 2),
        str(r["units"]),
        _ratio(cost, r["orders"]),
        _ratio(r["orders"], r["clicks"], True),
        _ratio(r["sales"], cost),
        "0",
        fmt.plain(r["other_sales"], 2),
        str(r["other_units"]),
        str(r["orders"] // 2),
        fmt.plain(sales / 2, 2),
        str((r["units"] + r["other_units"]) // 2),
        "",
        "",
        "",
        str(r["clicks"]),
        _ratio(cost, r["clicks"]),
        "100.00",
    ]


def write_ads(world: World) -> None:
    """``ads/SP_Advertised_Product_US.csv``, ``ads/SP_Search_Term_US.csv`` (legacy console, daily
    ``Date`` MM/DD/YYYY, trailing spaces in some headers, ``$1.23``) and
    ``ads/SP_Search_Term_DE_2026.csv`` (new 2026 console: UTF-8 BOM, IDs as ``="…"``, one row
    per day and search term with ``Date range`` = ``YYYY-MM-DD - YYYY-MM-DD`` of that one day)."""
    dates = world.dates
    adv, st = simulate_ads(world, "US")
    rows = _us_rows(adv.sort_values(["day", "campaign", "sku"]), dates, ["sku", "asin"])
    fmt.write_text(
        world.out / "ads" / "SP_Advertised_Product_US.csv", fmt.to_text(ADV_HEADERS, rows)
    )
    keys = ["targeting", "match", "term"]
    rows = _us_rows(st.sort_values(["day", "campaign", "term"]), dates, keys)
    fmt.write_text(world.out / "ads" / "SP_Search_Term_US.csv", fmt.to_text(ST_HEADERS, rows))

    _, st = simulate_ads(world, "DE")
    st = st.sort_values(["day", "campaign", "term"])
    rows = [_de_row(r, dates[r["day"]].strftime("%Y-%m-%d")) for r in st.to_dict("records")]
    fmt.write_text(
        world.out / "ads" / "SP_Search_Term_DE_2026.csv",
        fmt.to_text(NEW_ST_HEADERS, rows, raw_formulas=True),
        "utf-8-sig",
    )
