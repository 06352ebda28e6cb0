"""KPI scorecard of the Monday page (notebook ``00_weekly_summary``): metrics, targets, lights.

Every metric is a pure function over the store's tables cut to one period (money converted to the
base currency at the configured ``fx_to_base`` before any sum), returning NaN — shown "no data" —
where its denominator is zero or its data are missing (no sales, no inventory snapshot, no ODR in
the exports). The targets live in :data:`TARGETS` only, each with its source beside it; the
traffic light is :func:`traffic_light`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from forecasting.reports import ads_performance as ap
from forecasting.reports.inventory_health import AGED_BUCKETS
from forecasting.schema import CURRENCY, IN_STOCK, MARKETPLACE, REVENUE, SKU, SPEND, UNITS

#: KPI → target: ``("min", x)`` at least x, ``("max", x)`` at most x, ``("band", (lo, hi))``,
#: None = no target (shown, no traffic light). The ONE place for the targets.
TARGETS: dict[str, tuple[str, Any] | None] = {
    "gross_margin": ("min", 0.40),  # issue 15: gross margin ≥ 40 %
    "contribution_margin": ("min", 0.0),  # below 0 every unit sold loses money (issue: no figure)
    "return_rate": ("max", 0.021),  # issue 15: return rate ≤ 2.1 %
    "odr": ("max", 0.01),  # issue 15: ODR < 1 % (Amazon's account-health limit)
    "ipi_score": ("min", 400.0),  # issue 15: IPI ≥ 400 (Amazon's storage-limit threshold)
    "inventory_turnover": ("min", 4.0),  # issue 15: inventory turnover > 4 a year
    "ad_spend_share": ("band", ap.AD_SPEND_SHARE_BAND),  # issue 15: ad spend 10–15 % of sales
    "tacos": None,  # issue 15 names it, sets no figure
    "in_stock_rate": None,  # idem
    "aged_share": None,  # idem
    "fba_fee_share": None,  # idem
}
#: KPIs in scorecard order, and how each value is shown.
KPI_ORDER = list(TARGETS)
KPI_FORMAT = {"ipi_score": "{:,.0f}", "inventory_turnover": "{:,.1f}"}  # others: percent
#: A value within this share of its target (e.g. 36 % against ≥ 40 %) is amber, not red.
AMBER_TOLERANCE = 0.10


# --- KPI metrics: pure functions --------------------------------------------------------------
def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den > 0 else math.nan


def base_rates(currencies: pd.Series, fx_to_base: Mapping[str, float]) -> np.ndarray:
    """Base-currency units per unit of each row's currency; InputError naming a missing rate."""
    frame = pd.DataFrame({"one": 1.0, CURRENCY: currencies.astype(str).to_numpy()})
    return ap.to_base(frame, ["one"], fx_to_base)["one_base"].to_numpy()


def _economics_share(
    economics: pd.DataFrame, per_unit: pd.Series, fx_to_base: Mapping[str, float]
) -> float:
    """Σ units × per_unit ÷ Σ units × net price, both in the base currency (rows with both)."""
    units = pd.to_numeric(economics["units_sold"], errors="coerce").fillna(0.0)
    net = pd.to_numeric(economics["net_price"], errors="coerce")
    num = pd.to_numeric(per_unit, errors="coerce")
    use = (units > 0) & np.isfinite(net) & np.isfinite(num)
    if not use.any():
        return math.nan
    rate = base_rates(economics.loc[use, CURRENCY], fx_to_base)
    return _ratio((units[use] * num[use] * rate).sum(), (units[use] * net[use] * rate).sum())


def gross_margin(economics: pd.DataFrame, fx_to_base: Mapping[str, float]) -> float:
    """Gross margin of the units sold: Σ u × (net price − landed cost) ÷ Σ u × net price.

    ``economics`` is :func:`~forecasting.planning.unit_economics.unit_economics_table` over the
    period (``units_sold``, ``net_price``, ``landed_cost`` per unit in ``currency``); money is
    converted to the base currency at ``fx_to_base``. NaN without a unit sold.

    Examples
    --------
    >>> e = pd.DataFrame({"units_sold": [10, 1000, 0], "net_price": [20.0, 3000.0, 9.0],
    ...     "landed_cost": [10.0, 2100.0, 1.0], "currency": ["USD", "JPY", "USD"]})
    >>> round(gross_margin(e, {"USD": 7.0, "JPY": 0.05}), 4)    # (700 + 45000) ÷ (1400 + 150000)
    0.3018
    """
    return _economics_share(
        economics, economics["net_price"] - economics["landed_cost"], fx_to_base
    )


def contribution_margin(economics: pd.DataFrame, fx_to_base: Mapping[str, float]) -> float:
    """Contribution margin share: Σ u × contribution margin ÷ Σ u × net price (base currency)."""
    return _economics_share(economics, economics["contribution_margin"], fx_to_base)


def fba_fee_share(economics: pd.DataFrame, fx_to_base: Mapping[str, float]) -> float:
    """FBA fees as a share of net sales: Σ u × (fulfilment + storage fee) ÷ Σ u × net price."""
    fees = economics["fulfilment_fee"] + economics["storage_per_unit"]
    return _economics_share(economics, fees, fx_to_base)


def return_rate(sales: pd.DataFrame, returns: pd.DataFrame) -> float:
    """Units returned ÷ units sold over the rows given (filter both to one period first).

    Examples
    --------
    >>> return_rate(pd.DataFrame({"units": [50, 50]}), pd.DataFrame({"units": [2]}))
    0.02
    """
    return _ratio(returns[UNITS].sum() if len(returns) else 0.0, sales[UNITS].sum())


def in_stock_rate(sales: pd.DataFrame) -> float:
    """SKU-days in stock ÷ SKU-days whose stock status is known (missing days count in neither).

    Examples
    --------
    >>> in_stock_rate(pd.DataFrame({"in_stock": pd.array([True, True, False, None],
    ...     dtype="boolean")}))
    0.6666666666666666
    """
    known = sales[IN_STOCK].dropna().astype(bool) if IN_STOCK in sales.columns else pd.Series()
    return float(known.mean()) if len(known) else math.nan


def ad_spend_share(
    ads: pd.DataFrame,
    sales: pd.DataFrame,
    currencies: Mapping[str, str],
    fx_to_base: Mapping[str, float],
    base_currency: str,
) -> float:
    """All ad spend ÷ all sales in the base currency (the ``ALL`` row of
    :func:`~forecasting.reports.ads_performance.ad_spend_share`); NaN without ad rows or sales."""
    if ads.empty:
        return math.nan
    table = ap.ad_spend_share(ads, sales, currencies, fx_to_base, base_currency=base_currency)
    return float(table["ad_spend_share"].iloc[-1])


def tacos_advertised(
    ads: pd.DataFrame, sales: pd.DataFrame, fx_to_base: Mapping[str, float]
) -> float:
    """TACoS of the advertised SKUs: Σ ad spend ÷ Σ total sales (organic included) of the SKU ×
    marketplaces with an ad row in the period, both in the base currency; NaN without ads.

    Examples
    --------
    >>> ads = pd.DataFrame({"sku": ["A"], "marketplace": ["US"], "clicks": [0], "spend": [0.0],
    ...     "currency": ["USD"]})
    >>> sales = pd.DataFrame({"sku": ["A", "B"], "marketplace": "US", "revenue": [100.0, 900.0],
    ...     "currency": "USD"})
    >>> tacos_advertised(ads, sales, {"USD": 7.0})      # impressions without clicks: spend 0
    0.0
    """
    if ads.empty:
        return math.nan
    spend = ap.to_base(ads, [SPEND], fx_to_base)[f"{SPEND}_base"].sum()
    keys = set(zip(ads[SKU], ads[MARKETPLACE], strict=True))
    mine = sales.loc[[k in keys for k in zip(sales[SKU], sales[MARKETPLACE], strict=True)]]
    revenue = ap.to_base(mine, [REVENUE], fx_to_base)[f"{REVENUE}_base"].sum() if len(mine) else 0
    return _ratio(spend, revenue)


def aged_share(inventory: pd.DataFrame) -> float:
    """Units over 180 days ÷ units in every age bucket of the inventory snapshot.

    Examples
    --------
    >>> inv = pd.DataFrame({"age_0_90": [80], "age_91_180": [10], "age_181_270": [6],
    ...     "age_271_365": [4], "age_366_455": [0], "age_456_plus": [0]})
    >>> aged_share(inv)
    0.1
    """
    buckets = [c for c in inventory.columns if c.startswith("age_")]
    total = inventory[buckets].to_numpy(dtype=float).sum() if buckets else 0.0
    aged = inventory[[c for c in AGED_BUCKETS if c in inventory.columns]].to_numpy(float).sum()
    return _ratio(aged, total)


def sell_through(inventory: pd.DataFrame) -> float:
    """Units shipped in the last 90 days ÷ units on hand (``units_shipped_t90``, ``on_hand``)."""
    return _ratio(inventory["units_shipped_t90"].sum(), inventory["on_hand"].sum())


def excess_share(inventory: pd.DataFrame) -> float:
    """Units beyond 90 days of supply ÷ units on hand: Σ max(0, on hand − shipped in 90 days).

    Examples
    --------
    >>> excess_share(pd.DataFrame({"on_hand": [100, 50], "units_shipped_t90": [40, 80]}))
    0.4
    """
    extra = (inventory["on_hand"] - inventory["units_shipped_t90"]).clip(lower=0).sum()
    return _ratio(extra, inventory["on_hand"].sum())


def inventory_turnover(inventory: pd.DataFrame) -> float:
    """Turns a year from the 90-day sell-through: ``sell_through × 365 / 90`` (1/year)."""
    return sell_through(inventory) * 365.0 / 90.0


def ipi_style_score(
    excess: float, sell_through_90: float, stranded: float, in_stock: float
) -> float:
    """An IPI-like score, 0–1000, from its four parts (Amazon's own formula is unpublished).

    ``1000 × mean(1 − excess, min(1, sell-through ÷ the turnover target's 90-day share),
    1 − stranded, in-stock rate)`` over the parts that are known (NaN parts are left out; all
    unknown → NaN). The sell-through part is full when stock turns at the target rate
    (:data:`TARGETS` ``inventory_turnover``).

    Examples
    --------
    >>> round(ipi_style_score(0.2, 0.5, float("nan"), 0.9))   # parts 0.8, 0.507, 0.9
    736
    """
    turns = TARGETS["inventory_turnover"][1]  # type: ignore[index]
    through = sell_through_90 / (turns * 90.0 / 365.0)  # min() would turn NaN into 1
    parts = [1.0 - excess, through if math.isnan(through) else min(1.0, through), 1.0 - stranded]
    known = [p for p in [*parts, in_stock] if not math.isnan(p)]
    return 1000.0 * float(np.mean(known)) if known else math.nan


def kpi_values(
    *,
    sales: pd.DataFrame,
    returns: pd.DataFrame,
    ads: pd.DataFrame,
    economics: pd.DataFrame,
    inventory: pd.DataFrame,
    currencies: Mapping[str, str],
    fx_to_base: Mapping[str, float],
    base_currency: str,
) -> dict[str, float]:
    """Every KPI of :data:`KPI_ORDER` for one period (the frames already cut to it).

    ``economics`` is the unit economics over the period; ``inventory`` the snapshot at its end.
    ODR and the stranded part are NaN: the exports carry neither.
    """
    fx = {**fx_to_base, base_currency: 1.0}
    have_inv = len(inventory) > 0
    excess = excess_share(inventory) if have_inv else math.nan
    through = sell_through(inventory) if have_inv else math.nan
    stock = in_stock_rate(sales)
    has_econ = len(economics) > 0
    return {
        "gross_margin": gross_margin(economics, fx) if has_econ else math.nan,
        "contribution_margin": contribution_margin(economics, fx) if has_econ else math.nan,
        "return_rate": return_rate(sales, returns),
        "odr": math.nan,
        # without a stock snapshot the score would rest on the in-stock part alone: unknown
        "ipi_score": ipi_style_score(excess, through, math.nan, stock) if have_inv else math.nan,
        "inventory_turnover": inventory_turnover(inventory) if have_inv else math.nan,
        "ad_spend_share": ad_spend_share(ads, sales, currencies, fx, base_currency),
        "tacos": tacos_advertised(ads, sales, fx),
        "in_stock_rate": stock,
        "aged_share": aged_share(inventory) if have_inv else math.nan,
        "fba_fee_share": fba_fee_share(economics, fx) if has_econ else math.nan,
    }


def traffic_light(value: float, target: tuple[str, Any] | None) -> str:
    """``green`` on target, ``amber`` within :data:`AMBER_TOLERANCE` of it, else ``red``;
    ``no_data`` for NaN, ``no_target`` without a target.

    Examples
    --------
    >>> [traffic_light(v, ("min", 0.40)) for v in (0.41, 0.37, 0.30, float("nan"))]
    ['green', 'amber', 'red', 'no_data']
    >>> [traffic_light(v, ("band", (0.10, 0.15))) for v in (0.12, 0.16, 0.05)]
    ['green', 'amber', 'red']
    """
    if value is None or math.isnan(value):
        return "no_data"
    if target is None:
        return "no_target"
    kind, x = target
    lo, hi = (x, math.inf) if kind == "min" else (-math.inf, x) if kind == "max" else x
    if lo <= value <= hi:
        return "green"
    slack_lo, slack_hi = abs(lo) * AMBER_TOLERANCE, abs(hi) * AMBER_TOLERANCE
    return "amber" if lo - slack_lo <= value <= hi + slack_hi else "red"


def kpi_text(kpi: str, value: float | None) -> str:
    """A KPI value as shown: ``41.2 %``, ``736`` (score), ``4.3`` (turns); ``—`` when unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    fmt = KPI_FORMAT.get(kpi)
    return fmt.format(value) if fmt else f"{value:.1%}".replace("%", " %")


def target_text(kpi: str, none_text: str) -> str:
    """The target as shown: ``≥ 40.0 %``, ``10.0 %–15.0 %``; ``none_text`` without one."""
    target = TARGETS[kpi]
    if target is None:
        return none_text
    kind, x = target
    if kind == "band":
        return f"{kpi_text(kpi, x[0])}–{kpi_text(kpi, x[1])}"
    return f"{'≥' if kind == 'min' else '≤'} {kpi_text(kpi, x)}"


def scorecard(now: Mapping[str, float], before: Mapping[str, float] | None = None) -> pd.DataFrame:
    """One row per KPI: ``kpi, target, value, previous, trend, status``.

    ``trend`` is ``↑`` / ``↓`` / ``→`` (value vs previous, any change under 0.05 % of the value
    is ``→``), empty when either is unknown; ``status`` :func:`traffic_light`.
    """
    rows = []
    for kpi in KPI_ORDER:
        value = float(now.get(kpi, math.nan))
        prev = float((before or {}).get(kpi, math.nan))
        trend = ""
        if not (math.isnan(value) or math.isnan(prev)):
            step = value - prev
            trend = "→" if abs(step) <= 0.0005 * max(abs(value), 1e-9) else "↑" if step > 0 else "↓"
        rows.append(
            {"kpi": kpi, "value": value, "previous": prev, "trend": trend,
             "status": traffic_light(value, TARGETS[kpi])}
        )  # fmt: skip
    return pd.DataFrame(rows)


def scorecard_view(card: pd.DataFrame, lang: str, t: Callable[..., str]) -> pd.DataFrame:
    """The scorecard for display: KPI name, target, value, previous, trend, status, basis."""
    return pd.DataFrame(
        {
            "kpi": [t(f"weekly.kpi.{k}", lang) for k in card["kpi"]],
            "kpi_target": [target_text(k, t("weekly.target.none", lang)) for k in card["kpi"]],
            "kpi_value": [kpi_text(k, v) for k, v in zip(card["kpi"], card["value"], strict=True)],
            "kpi_previous": [
                kpi_text(k, v) for k, v in zip(card["kpi"], card["previous"], strict=True)
            ],
            "kpi_trend": card["trend"].to_numpy(),
            "kpi_status": [t(f"weekly.status.{s}", lang) for s in card["status"]],
            "kpi_basis": [t(f"weekly.basis.{k}", lang) for k in card["kpi"]],
        }
    )


def tiles_frame(card: pd.DataFrame, lang: str, t: Callable[..., str]) -> pd.DataFrame:
    """The scorecard as :func:`forecasting.charts.scorecard.kpi_tiles` draws it."""
    none = t("weekly.target.none", lang)
    return pd.DataFrame(
        {
            "name": [t(f"weekly.kpi.{k}", lang) for k in card["kpi"]],
            "value": [
                t("weekly.status.no_data", lang) if s == "no_data" else kpi_text(k, v)
                for k, v, s in zip(card["kpi"], card["value"], card["status"], strict=True)
            ],
            "target": [target_text(k, none) for k in card["kpi"]],
            "status": card["status"].to_numpy(),
        }
    )


def kpi_moves_view(moves: pd.DataFrame, lang: str, t: Callable[..., str]) -> pd.DataFrame:
    """KPI moves for display: name, value now, value at the last run (as shown)."""
    return pd.DataFrame(
        {
            "kpi": [t(f"weekly.kpi.{k}", lang) for k in moves["kpi"]],
            "change_now": [
                kpi_text(k, v) for k, v in zip(moves["kpi"], moves["change_now"], strict=True)
            ],
            "change_before": [
                kpi_text(k, v) for k, v in zip(moves["kpi"], moves["change_before"], strict=True)
            ],
        }
    )
