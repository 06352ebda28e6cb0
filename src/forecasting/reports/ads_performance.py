"""Advertising performance: spend, ACOS, ROAS, TACOS per SKU and week; wasted search-term spend.

Pure functions over ``store.ads()`` (Sponsored Products advertised-product rows),
``store.search_terms()`` and ``store.sales()`` for notebook ``05_inventory_ads``. The ratios are
computed from the summed money columns, never averaged from per-row ratios (a ratio of sums is
the only one that adds up across days and campaigns):

- CTR = clicks / impressions, CPC = spend / clicks, CVR = ad orders / clicks;
- ACOS = ad spend / ad sales (advertising cost of sales);
- ROAS = ad sales / ad spend (return on ad spend, 1 / ACOS);
- TACOS = ad spend / total sales (all sales of the SKU, organic + advertised).

The file's own ratio columns (``Click-Thru Rate``, ``ACOS`` …) are never read: every ratio comes
from the raw impressions, clicks, spend, ad sales and ad orders. Money stays in each marketplace's
own currency (rows are never summed across currencies) unless converted with ``fx_to_base``
(settings ``fx_to_base``: base currency per unit of each currency; :func:`to_base`). A ratio
with a zero denominator is NaN (shown "—"), never infinity; 0 clicks on impressions is a CTR of 0.

Ad programs are kept apart: Sponsored Products attribute sales over 7 days, Sponsored Brands
over 14 days, so their ad sales and orders are never summed into one figure (rows carry
``program``; ads without one are Sponsored Products). Spend, which is not attributed, may be
summed across programs (ad-spend share of sales, TACOS per SKU).

Beyond the ratios (issue 15): break-even ACOS per SKU from the unit economics and the SKUs above
it (:func:`acos_vs_break_even`), ad spend as a share of sales against the 10–15 % band
(:func:`ad_spend_share`) and the spend on SKUs that will stock out before their next arrival
(:func:`spend_at_stockout_risk`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from forecasting.config import Settings
from forecasting.errors import InputError
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
#: Ad program column and its attribution window in days (kept apart, never summed as one).
PROGRAM = "program"
ATTRIBUTION_DAYS = {"SP": 7, "SB": 14, "SD": 14}
#: Ad spend as a share of total sales that these sellers steer by (band, 0–1).
AD_SPEND_SHARE_BAND = (0.10, 0.15)


def _ratio(num: pd.Series, den: pd.Series) -> np.ndarray:
    """num / den, NaN where den is 0."""
    n = num.to_numpy(dtype=float)
    d = den.to_numpy(dtype=float)
    return np.divide(n, d, out=np.full(len(n), np.nan), where=d != 0)


def _add_ratios(frame: pd.DataFrame) -> pd.DataFrame:
    frame["ctr"] = _ratio(frame[CLICKS], frame[IMPRESSIONS])
    frame["acos"] = _ratio(frame[SPEND], frame[AD_SALES])
    frame["roas"] = _ratio(frame[AD_SALES], frame[SPEND])
    frame["cpc"] = _ratio(frame[SPEND], frame[CLICKS])
    frame["cvr"] = _ratio(frame[AD_ORDERS], frame[CLICKS])
    if "total_sales" in frame.columns:
        frame["tacos"] = _ratio(frame[SPEND], frame["total_sales"])
    return frame


def _currency(frame: pd.DataFrame) -> list[str]:
    """``[currency]`` when the frame has the column (kept beside the money), else ``[]``."""
    return [CURRENCY] if CURRENCY in frame.columns else []


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
        sku, marketplace, program, week (Monday), currency (when the ads have it),
        impressions, clicks, spend, ad_sales, ad_orders, total_sales, ctr, acos, roas, cpc, cvr, tacos. Only weeks with ad rows; one
        row per ad program (never summed across attribution windows).

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
    a = with_program(ads).assign(week=_week(ads[DATE]))
    keys = [*KEYS, PROGRAM, "week", *_currency(a)]
    out = a.groupby(keys, sort=True)[_SUMS].sum().reset_index()
    s = sales.assign(week=_week(sales[DATE])).groupby([*KEYS, "week"])[REVENUE].sum()
    idx = pd.MultiIndex.from_frame(out[[*KEYS, "week"]])
    out["total_sales"] = s.reindex(idx).fillna(0.0).to_numpy()
    out[SPEND] = out[SPEND].astype(float)
    out[AD_SALES] = out[AD_SALES].astype(float)
    return _add_ratios(out)


def ads_summary(weekly: pd.DataFrame) -> pd.DataFrame:
    """Totals over all weeks per SKU × marketplace × program (from :func:`weekly_ads`) with
    CTR, CPC, CVR, ACOS, ROAS and TACOS; most spend first."""
    cols = [*_SUMS, "total_sales"]
    w = with_program(weekly)
    out = w.groupby([*KEYS, PROGRAM, *_currency(w)], sort=True)[cols].sum().reset_index()
    out = _add_ratios(out)
    return out.sort_values(
        [SPEND, *KEYS, PROGRAM], ascending=[False, True, True, True]
    ).reset_index(drop=True)


def marketplace_weekly(weekly: pd.DataFrame) -> pd.DataFrame:
    """Per marketplace × program × week totals of :func:`weekly_ads` with their ratios."""
    cols = [*_SUMS, "total_sales"]
    w = with_program(weekly)
    out = (
        w.groupby([MARKETPLACE, PROGRAM, "week", *_currency(w)], sort=True)[cols]
        .sum()
        .reset_index()
    )
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


# --- issue 15: programs, currencies, break-even, ad-spend share, stock-out risk -----------------


def with_program(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a ``program`` column (``SP`` where missing); unknown programs are refused.

    Examples
    --------
    >>> with_program(pd.DataFrame({"spend": [1.0]}))["program"].tolist()
    ['SP']
    """
    if PROGRAM not in frame.columns:
        return frame.assign(**{PROGRAM: "SP"})
    bad = ~frame[PROGRAM].isin(list(ATTRIBUTION_DAYS))
    if bad.any():
        value = frame.loc[bad, PROGRAM].iloc[0]
        raise InputError(
            f"ads: unknown ad program {value!r} (known: {', '.join(ATTRIBUTION_DAYS)})",
            column=PROGRAM,
        )
    return frame


def in_window(frame: pd.DataFrame, as_of: dt.date, days: int) -> pd.DataFrame:
    """Rows of ``frame`` dated in the ``days`` days up to and including ``as_of``."""
    end = pd.Timestamp(as_of)
    d = pd.to_datetime(frame[DATE])
    return frame.loc[(d > end - pd.Timedelta(days=days)) & (d <= end)]


def to_base(
    frame: pd.DataFrame,
    columns: Sequence[str],
    fx_to_base: Mapping[str, float],
    *,
    currency: str = CURRENCY,
) -> pd.DataFrame:
    """Add ``<column>_base``: money converted to the base currency at the configured rates.

    Parameters
    ----------
    fx_to_base : mapping currency → base-currency units per unit (settings ``fx_to_base``)

    Raises :class:`InputError` naming ``fx_to_base.<CUR>`` when a currency has no rate: money
    of different currencies is never summed unconverted.

    Examples
    --------
    >>> f = pd.DataFrame({"spend": [10.0, 1000.0], "currency": ["USD", "JPY"]})
    >>> to_base(f, ["spend"], {"USD": 7.1, "JPY": 0.047})["spend_base"].tolist()
    [71.0, 47.0]
    """
    out = frame.copy()
    rates = out[currency].map(lambda c: fx_to_base.get(str(c), np.nan)).astype(float)
    if rates.isna().any():
        missing = str(out.loc[rates.isna(), currency].iloc[0])
        raise InputError(
            f"no exchange rate for {missing!r}: add it to the settings to total across "
            "marketplaces",
            column=f"fx_to_base.{missing}",
        )
    for col in columns:
        out[f"{col}_base"] = out[col].astype(float) * rates.to_numpy()
    return out


def ad_spend_share(
    ads: pd.DataFrame,
    sales: pd.DataFrame,
    currencies: Mapping[str, str],
    fx_to_base: Mapping[str, float],
    *,
    base_currency: str,
    band: tuple[float, float] = AD_SPEND_SHARE_BAND,
) -> pd.DataFrame:
    """Ad spend as a share of total sales per marketplace and overall, against the band.

    Formula: ``share = Σ ad spend ÷ Σ total sales`` (all programs' spend, all sales of the
    marketplace, organic included) over the rows given (filter both to one window first). The
    ``ALL`` row converts every marketplace's money to ``base_currency`` before summing; it counts
    only marketplaces with ad rows (a marketplace without any is ``no_ad_data``, not 0 %).

    Returns
    -------
    DataFrame
        marketplace (``ALL`` last), currency, spend, total_sales, ad_spend_share (0–1, NaN
        without sales), band_status ``below`` / ``within`` / ``above`` (empty without sales,
        ``no_ad_data`` without ad rows).

    Examples
    --------
    >>> ads = pd.DataFrame({"marketplace": ["US", "JP"], "spend": [120.0, 10000.0]})
    >>> sales = pd.DataFrame({"marketplace": ["US", "JP"], "revenue": [1000.0, 200000.0]})
    >>> out = ad_spend_share(ads, sales, {"US": "USD", "JP": "JPY"}, {"USD": 7.0, "JPY": 0.05},
    ...                      base_currency="CNY")
    >>> out.round(4)[["marketplace", "ad_spend_share", "band_status"]].values.tolist()
    [['JP', 0.05, 'below'], ['US', 0.12, 'within'], ['ALL', 0.0788, 'below']]

    ``ALL``: (120 × 7 + 10 000 × 0.05) ÷ (1 000 × 7 + 200 000 × 0.05) = 1 340 ÷ 17 000 CNY.
    """
    spend = ads.groupby(MARKETPLACE)[SPEND].sum()
    total = sales.groupby(MARKETPLACE)[REVENUE].sum()
    out = pd.concat([spend.rename(SPEND), total.rename("total_sales")], axis=1)
    out["total_sales"] = out["total_sales"].fillna(0.0)
    out = out.reset_index().rename(columns={"index": MARKETPLACE})
    out[CURRENCY] = out[MARKETPLACE].map(lambda m: currencies.get(str(m), ""))
    has_ads = out[SPEND].notna()  # a marketplace without ad rows has no figure, not 0 %
    conv = to_base(out.loc[has_ads], [SPEND, "total_sales"], {**fx_to_base, base_currency: 1.0})
    overall = pd.DataFrame(
        {
            MARKETPLACE: ["ALL"],
            CURRENCY: [base_currency],
            SPEND: [conv[f"{SPEND}_base"].sum()],
            "total_sales": [conv["total_sales_base"].sum()],
        }
    )
    out = pd.concat([out.sort_values(MARKETPLACE), overall], ignore_index=True)
    out["ad_spend_share"] = _ratio(out[SPEND], out["total_sales"])
    lo, hi = band
    share = out["ad_spend_share"]
    out["band_status"] = np.select(
        [out[SPEND].isna(), share.isna(), share < lo, share > hi],
        ["no_ad_data", "", "below", "above"],
        default="within",
    )
    return out[[MARKETPLACE, CURRENCY, SPEND, "total_sales", "ad_spend_share", "band_status"]]


def acos_vs_break_even(summary: pd.DataFrame, economics: pd.DataFrame) -> pd.DataFrame:
    """ACOS of each SKU × marketplace × program against its break-even ACOS.

    A SKU is above break-even when ``ACOS > break-even ACOS`` (pre-ad margin ÷ price, from
    :func:`forecasting.planning.unit_economics.unit_economics_table`) or when it spent without any
    ad sale. ``loss_on_ads = spend − break-even ACOS × ad sales``: what the ads cost beyond the
    margin they earned (local currency; positive = losing money on ads).

    Returns
    -------
    DataFrame
        sku, marketplace, program, currency, spend, ad_sales, acos, break_even_acos,
        above_break_even (bool), loss_on_ads; SKUs without a break-even (no unit economics)
        are kept with NaN. Most loss first.

    Examples
    --------
    >>> summ = pd.DataFrame({"sku": ["A", "B"], "marketplace": "US", "program": "SP",
    ...     "spend": [30.0, 10.0], "ad_sales": [100.0, 0.0], "acos": [0.3, np.nan]})
    >>> econ = pd.DataFrame({"sku": ["A", "B"], "marketplace": "US", "currency": "USD",
    ...     "break_even_acos": [0.2, 0.25]})
    >>> acos_vs_break_even(summ, econ)[["sku", "above_break_even", "loss_on_ads"]].values.tolist()
    [['A', True, 10.0], ['B', True, 10.0]]
    """
    require_columns(summary, [*KEYS, SPEND, AD_SALES, "acos"], table="ads summary")
    require_columns(economics, [*KEYS, "break_even_acos", CURRENCY], table="unit economics")
    # the ads' own currency where they carry one (a SKU without unit economics keeps it)
    own = _currency(summary)
    econ = economics[[*KEYS, "break_even_acos", *([] if own else [CURRENCY])]]
    out = with_program(summary)[[*KEYS, PROGRAM, *own, SPEND, AD_SALES, "acos"]].merge(
        econ, on=KEYS, how="left"
    )
    be = out["break_even_acos"].astype(float)
    spent_unsold = (out[SPEND] > 0) & (out[AD_SALES] <= 0)
    out["above_break_even"] = (out["acos"] > be) | (spent_unsold & be.notna())
    out["loss_on_ads"] = out[SPEND] - be * out[AD_SALES]
    cols = [*KEYS, PROGRAM, CURRENCY, SPEND, AD_SALES, "acos", "break_even_acos",
            "above_break_even", "loss_on_ads"]  # fmt: skip
    return (
        out[cols]
        .sort_values(["loss_on_ads", *KEYS], ascending=[False, True, True], na_position="last")
        .reset_index(drop=True)
    )


def stockout_risk_from_plan(
    plan: pd.DataFrame, *, as_of: dt.date, lead_time_days: Mapping[str, float]
) -> pd.DataFrame:
    """SKU × marketplace whose FBA stock runs out before the next arrival, from the plan rows.

    The rule of the plan's ``stockout_before_arrival`` alert: the plan's ``stockout_date_p50``
    / ``stockout_date_p10`` (the median / high-demand stock path, counting stock and inbound
    already on its way, reaches zero) fall before the next arrival — the plan's ``arrival_date``
    (the order placed now) or, with no order now, ``as_of`` + the marketplace's (sea) lead time,
    the earliest a new order could arrive. ``action``: ``pause`` when the median path runs out
    first, ``reduce`` when only the high-demand (P10) path does.

    Parameters
    ----------
    lead_time_days : mapping marketplace → days
        Mean lead time of a new order (the plan's default mode, sea).

    Returns
    -------
    DataFrame
        sku, marketplace, stockout_date, stockout_date_p10, arrival_date, action.
    """
    require_columns(
        plan, [*KEYS, "stockout_date_p50", "stockout_date_p10", "arrival_date"], table="plan"
    )
    p50 = pd.to_datetime(plan["stockout_date_p50"])
    p10 = pd.to_datetime(plan["stockout_date_p10"])
    lead = plan[MARKETPLACE].map(lambda m: lead_time_days.get(str(m), np.nan)).astype(float)
    earliest = pd.Timestamp(as_of) + pd.to_timedelta(lead, unit="D")
    arrival = pd.to_datetime(plan["arrival_date"]).fillna(earliest)

    def before(out: pd.Series) -> pd.Series:
        return out.notna() & (arrival.isna() | (out < arrival))

    action = np.select([before(p50), before(p10)], ["pause", "reduce"], default="")
    out = pd.DataFrame(
        {
            SKU: plan[SKU].to_numpy(),
            MARKETPLACE: plan[MARKETPLACE].to_numpy(),
            # the date that triggers the action: the median path's for pause, P10's for reduce
            "stockout_date": p50.where(action == "pause", p10).to_numpy(),
            "stockout_date_p10": p10.to_numpy(),
            "arrival_date": arrival.to_numpy(),
            "action": action,
        }
    )
    return out.loc[out["action"] != ""].reset_index(drop=True)


def stockout_risk_from_cover(
    stock: pd.DataFrame, lead_time_days: Mapping[str, float], as_of: dt.date
) -> pd.DataFrame:
    """Fallback without a plan: days of cover ``on_hand ÷ daily mean`` below the lead time.

    Parameters
    ----------
    stock : DataFrame
        sku, marketplace, on_hand (units at FBA), daily_mean (forecast units per day).
    lead_time_days : mapping marketplace → days
        Mean lead time of the fastest order that could still arrive.

    Returns
    -------
    DataFrame
        As :func:`stockout_risk_from_plan`: stockout_date = as_of + cover, arrival_date =
        as_of + lead time, action ``pause``.

    Examples
    --------
    >>> st = pd.DataFrame({"sku": ["A", "B", "C"], "marketplace": "US",
    ...     "on_hand": [30, 300, 5], "daily_mean": [2.0, 2.0, 0.0]})
    >>> out = stockout_risk_from_cover(st, {"US": 40}, dt.date(2026, 11, 22))
    >>> out[["sku", "stockout_date"]].astype(str).values.tolist()    # 15 days < 40; C sells none
    [['A', '2026-12-07']]
    """
    mean = stock["daily_mean"].astype(float).to_numpy()
    cover = np.divide(
        stock["on_hand"].astype(float).to_numpy(), mean, out=np.full(len(mean), np.inf),
        where=mean > 0,
    )  # fmt: skip
    lead = stock[MARKETPLACE].map(lambda m: lead_time_days.get(str(m), np.nan)).astype(float)
    risk = cover < lead.to_numpy()
    start = pd.Timestamp(as_of)
    part = stock.loc[risk]
    return pd.DataFrame(
        {
            SKU: part[SKU].to_numpy(),
            MARKETPLACE: part[MARKETPLACE].to_numpy(),
            "stockout_date": start + pd.to_timedelta(np.floor(cover[risk]), unit="D"),
            "stockout_date_p10": pd.NaT,
            "arrival_date": start + pd.to_timedelta(lead.to_numpy()[risk], unit="D"),
            "action": "pause",
        }
    )


def spend_at_stockout_risk(
    ads: pd.DataFrame,
    risk: pd.DataFrame,
    *,
    as_of: dt.date,
    days: int = 30,
    fx_to_base: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Recent ad spend on SKUs that will stock out before their next arrival (should pause).

    Ads bring traffic a SKU cannot serve once it is out, and a stock-out costs ranking; spend on
    these SKUs is the first to pause (``pause``) or cut (``reduce``).

    Parameters
    ----------
    ads : DataFrame
        ``store.ads()`` rows (spend in local currency, ``currency``).
    risk : DataFrame
        :func:`stockout_risk_from_plan` or :func:`stockout_risk_from_cover`.
    days : int
        Window of recent spend (days up to ``as_of``).

    Returns
    -------
    DataFrame
        sku, marketplace, action, stockout_date, arrival_date, days_to_stockout, spend (last
        ``days``), spend_per_day, ad_sales, currency (+ spend_base); SKUs with spend only,
        most spend first.

    Examples
    --------
    >>> ads = pd.DataFrame({"date": pd.to_datetime(["2026-11-20", "2026-11-21"]),
    ...     "sku": "A", "marketplace": "US", "spend": [6.0, 9.0], "ad_sales": [20.0, 0.0],
    ...     "currency": "USD"})
    >>> risk = pd.DataFrame({"sku": ["A"], "marketplace": ["US"],
    ...     "stockout_date": pd.to_datetime(["2026-12-02"]), "arrival_date": pd.NaT,
    ...     "action": ["pause"]})
    >>> out = spend_at_stockout_risk(ads, risk, as_of=dt.date(2026, 11, 22))
    >>> out[["spend", "spend_per_day", "days_to_stockout"]].values.tolist()
    [[15.0, 0.5, 10]]
    """
    recent = in_window(ads, as_of, days)
    if CURRENCY not in recent.columns:
        recent = recent.assign(**{CURRENCY: ""})
    per = (
        recent.groupby(KEYS, sort=True)
        .agg(**{SPEND: (SPEND, "sum"), AD_SALES: (AD_SALES, "sum"), CURRENCY: (CURRENCY, "first")})
        .reset_index()
    )
    out = risk[[*KEYS, "action", "stockout_date", "arrival_date"]].merge(per, on=KEYS, how="inner")
    out = out.loc[out[SPEND] > 0].copy()
    out["spend_per_day"] = out[SPEND] / float(days)
    out["days_to_stockout"] = (
        pd.to_datetime(out["stockout_date"]) - pd.Timestamp(as_of)
    ).dt.days.astype("Int64")
    cols = [*KEYS, "action", "stockout_date", "arrival_date", "days_to_stockout", SPEND,
            "spend_per_day", AD_SALES, CURRENCY]  # fmt: skip
    out = out[cols]
    order = SPEND
    if fx_to_base is not None:
        out = to_base(out, [SPEND], fx_to_base)
        order = f"{SPEND}_base"
    return out.sort_values([order, *KEYS], ascending=[False, True, True]).reset_index(drop=True)


def money_text(value: float, currency: str) -> str:
    """Money for display: ``1,234.50 USD`` (JPY without decimals); NaN as ``—``.

    Examples
    --------
    >>> money_text(1234.5, "USD"), money_text(2980.0, "JPY"), money_text(float("nan"), "EUR")
    ('1,234.50 USD', '2,980 JPY', '—')
    """
    if value is None or pd.isna(value) or not np.isfinite(float(value)):
        return "—"
    decimals = 0 if currency in ("JPY", "KRW") else 2
    return f"{float(value):,.{decimals}f} {currency}".strip()


def display_frame(
    frame: pd.DataFrame,
    *,
    money: Sequence[str] = (),
    percent: Sequence[str] = (),
    currency: str | Mapping[str, str] = CURRENCY,
) -> pd.DataFrame:
    """A copy for display: money columns as text with their currency, shares as ``12.3 %``,
    missing ratios (zero denominators) as ``—`` instead of blank.

    Parameters
    ----------
    currency : str or mapping
        Column holding each row's currency, or {money column → currency column} where columns
        differ (e.g. ``spend_base`` in the base currency: pass a literal with ``"=CNY"``).
    """
    out = frame.copy()
    for col in money:
        where = currency.get(col, CURRENCY) if isinstance(currency, Mapping) else currency
        curs = (
            pd.Series(where[1:], index=out.index)
            if where.startswith("=")
            else out[where].astype(str)
        )
        out[col] = [money_text(v, c) for v, c in zip(out[col], curs, strict=True)]
    for col in percent:
        out[col] = ["—" if pd.isna(v) else f"{float(v):.1%}" for v in out[col]]
    return out


def new_order_lead_days(settings: Settings) -> dict[str, float]:
    """Mean lead time (days) of a new order per marketplace: its slowest, cheapest mode (sea),
    the mode the replenishment plan orders by default (for :func:`stockout_risk_from_plan`)."""
    return {
        m.code: settings.lead_time(m.code, settings.modes(m.code)[0]).mean_days
        for m in settings.marketplaces
        if settings.modes(m.code)
    }


def marketplace_currencies(settings: Settings) -> dict[str, str]:
    """``{marketplace: currency}`` from the settings (for :func:`ad_spend_share`)."""
    return {m.code: m.currency for m in settings.marketplaces}
