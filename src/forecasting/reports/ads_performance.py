"""Advertising performance: spend, ACOS, ROAS, TACOS per SKU and week; wasted search-term spend.

Pure functions over ``store.ads()`` (Sponsored Products advertised-product rows),
``store.search_terms()`` and ``store.sales()`` for notebook ``05_inventory_ads``. The ratios are
computed from the summed money columns, never averaged from per-row ratios (a ratio of sums is
the only one that adds up across days and campaigns):

- ACOS = ad spend / ad sales (advertising cost of sales);
- ROAS = ad sales / ad spend (return on ad spend, 1 / ACOS);
- TACOS = ad spend / total sales (all sales of the SKU, organic + advertised);
- CPC = spend / clicks, CVR = ad orders / clicks.

Money stays in each marketplace's own currency (rows are never summed across currencies) unless
converted with ``fx_to_base`` (settings ``fx_to_base``: base currency per unit of each currency).
A ratio with a zero denominator is NaN ("no ad sales"), not infinity.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from forecasting.schema import (
    AD_ORDERS,
    AD_SALES,
    CLICKS,
    CURRENCY,
    DATE,
    IMPRESSIONS,
    MARKETPLACE,
    REVENUE,
    SEARCH_TERM,
    SKU,
    SPEND,
    require_columns,
)

KEYS = [SKU, MARKETPLACE]
_SUMS = [IMPRESSIONS, CLICKS, SPEND, AD_SALES, AD_ORDERS]


def _ratio(num: pd.Series, den: pd.Series) -> np.ndarray:
    """num / den, NaN where den is 0."""
    n = num.to_numpy(dtype=float)
    d = den.to_numpy(dtype=float)
    return np.divide(n, d, out=np.full(len(n), np.nan), where=d != 0)


def _add_ratios(frame: pd.DataFrame) -> pd.DataFrame:
    frame["acos"] = _ratio(frame[SPEND], frame[AD_SALES])
    frame["roas"] = _ratio(frame[AD_SALES], frame[SPEND])
    frame["cpc"] = _ratio(frame[SPEND], frame[CLICKS])
    frame["cvr"] = _ratio(frame[AD_ORDERS], frame[CLICKS])
    if "total_sales" in frame.columns:
        frame["tacos"] = _ratio(frame[SPEND], frame["total_sales"])
    return frame


def _week(dates: pd.Series) -> pd.Series:
    """Monday of each date's week."""
    return pd.to_datetime(dates).dt.to_period("W-SUN").dt.start_time


def weekly_ads(ads: pd.DataFrame, sales: pd.DataFrame) -> pd.DataFrame:
    """Per SKU × marketplace × week: ad metrics and TACOS against the week's total sales.

    Parameters
    ----------
    ads : DataFrame
        ``store.ads()``: date, sku, marketplace, impressions, clicks, spend, ad_sales, ad_orders.
    sales : DataFrame
        ``store.sales()``: sku, marketplace, date, revenue (total sales, same currency as ads).

    Returns
    -------
    DataFrame
        sku, marketplace, week (Monday), impressions, clicks, spend, ad_sales, ad_orders,
        total_sales, acos, roas, cpc, cvr, tacos. Only weeks with ad rows.

    Examples
    --------
    >>> ads = pd.DataFrame({"date": pd.to_datetime(["2026-11-16", "2026-11-17"]),
    ...     "sku": "A", "marketplace": "US", "impressions": [1000, 1000], "clicks": [10, 30],
    ...     "spend": [10.0, 30.0], "ad_sales": [50.0, 110.0], "ad_orders": [2, 4]})
    >>> sales = pd.DataFrame({"sku": "A", "marketplace": "US",
    ...     "date": pd.to_datetime(["2026-11-16", "2026-11-18"]), "revenue": [300.0, 100.0]})
    >>> weekly_ads(ads, sales)[["spend", "acos", "roas", "tacos"]].values.tolist()
    [[40.0, 0.25, 4.0, 0.1]]
    """
    require_columns(ads, [DATE, *KEYS, *_SUMS], table="ads")
    require_columns(sales, [*KEYS, DATE, REVENUE], table="sales")
    a = ads.assign(week=_week(ads[DATE]))
    out = a.groupby([*KEYS, "week"], sort=True)[_SUMS].sum()
    s = sales.assign(week=_week(sales[DATE])).groupby([*KEYS, "week"])[REVENUE].sum()
    out["total_sales"] = s.reindex(out.index).fillna(0.0).to_numpy()
    out = out.reset_index()
    out[SPEND] = out[SPEND].astype(float)
    out[AD_SALES] = out[AD_SALES].astype(float)
    return _add_ratios(out)


def ads_summary(weekly: pd.DataFrame) -> pd.DataFrame:
    """Totals over all weeks per SKU × marketplace (from :func:`weekly_ads`); most spend first."""
    cols = [*_SUMS, "total_sales"]
    out = weekly.groupby(KEYS, sort=True)[cols].sum().reset_index()
    out = _add_ratios(out)
    return out.sort_values([SPEND, *KEYS], ascending=[False, True, True]).reset_index(drop=True)


def marketplace_weekly(weekly: pd.DataFrame) -> pd.DataFrame:
    """Per marketplace × week totals of :func:`weekly_ads` with their ACOS, ROAS and TACOS."""
    cols = [*_SUMS, "total_sales"]
    out = weekly.groupby([MARKETPLACE, "week"], sort=True)[cols].sum().reset_index()
    return _add_ratios(out)


def wasted_search_terms(
    search_terms: pd.DataFrame,
    *,
    min_clicks: int = 1,
    fx_to_base: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Search terms that were clicked but never ordered: the wasted spend, most first.

    A term is counted per marketplace over the whole period (all campaigns): it wastes money when
    it has at least ``min_clicks`` clicks and no ad order.

    Parameters
    ----------
    search_terms : DataFrame
        ``store.search_terms()``: marketplace, search_term, clicks, spend, ad_orders, currency.
    min_clicks : int
        Clicks needed before a term without orders counts as waste.
    fx_to_base : mapping of currency → base-currency units, optional
        Adds ``spend_base`` so terms from different marketplaces can be ranked together.

    Returns
    -------
    DataFrame
        marketplace, search_term, campaigns (count), impressions, clicks, spend, currency
        (+ spend_base); sorted by spend (spend_base when given), most first.

    Examples
    --------
    >>> st = pd.DataFrame({"marketplace": "US", "campaign": ["c1", "c2", "c1"],
    ...     "search_term": ["free", "free", "drill"], "impressions": [100, 50, 80],
    ...     "clicks": [3, 1, 5], "spend": [2.0, 0.5, 4.0], "ad_orders": [0, 0, 1],
    ...     "currency": "USD"})
    >>> wasted_search_terms(st)[["search_term", "clicks", "spend"]].values.tolist()
    [['free', 4, 2.5]]
    """
    require_columns(
        search_terms, [MARKETPLACE, SEARCH_TERM, CLICKS, SPEND, AD_ORDERS], table="search terms"
    )
    st = search_terms.copy()
    if CURRENCY not in st.columns:
        st[CURRENCY] = ""
    keys = [MARKETPLACE, SEARCH_TERM]
    agg = {
        "campaigns": ("campaign", "nunique") if "campaign" in st.columns else (SPEND, "size"),
        IMPRESSIONS: (IMPRESSIONS, "sum") if IMPRESSIONS in st.columns else (CLICKS, "size"),
        CLICKS: (CLICKS, "sum"),
        SPEND: (SPEND, "sum"),
        AD_ORDERS: (AD_ORDERS, "sum"),
        CURRENCY: (CURRENCY, "first"),
    }
    per = st.groupby(keys, sort=True).agg(**agg).reset_index()
    per = per.loc[(per[CLICKS] >= min_clicks) & (per[AD_ORDERS] == 0)].drop(columns=AD_ORDERS)
    order = SPEND
    if fx_to_base is not None:
        per["spend_base"] = per[SPEND] * per[CURRENCY].map(fx_to_base).astype(float)
        order = "spend_base"
    return per.sort_values([order, *keys], ascending=[False, True, True]).reset_index(drop=True)


def wasted_share(search_terms: pd.DataFrame, wasted: pd.DataFrame) -> pd.DataFrame:
    """Per marketplace: total search-term spend, wasted spend and its share (0–1), local currency."""
    total = search_terms.groupby(MARKETPLACE)[SPEND].sum().rename("spend")
    waste = wasted.groupby(MARKETPLACE)[SPEND].sum().rename("wasted_spend")
    out = pd.concat([total, waste], axis=1).fillna(0.0).reset_index()
    out["wasted_share"] = _ratio(out["wasted_spend"], out["spend"])
    return out
