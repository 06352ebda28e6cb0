"""Per-series stock projection and the periodic-review order-up-to policy on the P50 path.

Pure numpy over one SKU × marketplace; :mod:`forecasting.planning.replenishment` loops over series.
Day ``i`` is the ``i``-th day after the as-of date (day 0 = as-of + 1). Each day: arrivals of the
day join the stock, the day's demand is served, unmet demand is lost (Amazon shoppers buy elsewhere;
lost sales, SPT 2017 §7.4).

Demand paths come from the daily forecast (mean and sd per day): the ``q`` path is the increment of
the ``q`` quantile of *cumulative* demand (a gamma fitted to the cumulative mean and the variance under
a day-to-day correlation, :func:`forecasting.planning.safety_stock.demand_over_period`), so the
P90 path is a coherent "high demand" scenario rather than every day at its own 90 % quantile.
Written by hand: a few loops that no inventory library exposes for lost-sales projections with
fixed arrival days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from forecasting.planning.safety_stock import (
    DEFAULT_DAILY_CORRELATION,
    gamma_quantile,
    order_up_to_level,
    round_order_quantity,
)

#: Amazon's low-inventory-level fee applies below 28 days of historical supply.
LILF_DAYS = 28
#: Stock older than this many days pays the aged inventory surcharge.
AGED_DAYS = 180
#: Products that shipped fewer units than this in 7 days are exempt from the LILF.
LILF_EXEMPT_UNITS_7D = 20


def cumulative_demand_quantile(
    daily_mean: np.ndarray,
    daily_sd: np.ndarray,
    q: float,
    *,
    correlation: float = DEFAULT_DAILY_CORRELATION,
) -> np.ndarray:
    """Quantile ``q`` of cumulative demand (units) from day 0 to each day, non-decreasing.

    Formula: mean ``M_t = Σ_{s≤t} μ_s``, variance ``V_t = (1 − ρ)·Σ σ_s² + ρ·(Σ σ_s)²``, gamma
    quantile of (M_t, √V_t), then a running maximum so the path never goes down.

    Examples
    --------
    >>> cumulative_demand_quantile(np.full(3, 2.0), np.zeros(3), 0.9).tolist()
    [2.0, 4.0, 6.0]
    """
    mean = np.cumsum(np.asarray(daily_mean, float))
    sd = np.asarray(daily_sd, float)
    var = (1 - correlation) * np.cumsum(sd**2) + correlation * np.cumsum(sd) ** 2
    return np.maximum.accumulate(gamma_quantile(mean, np.sqrt(var), q))


def demand_path(
    daily_mean: np.ndarray,
    daily_sd: np.ndarray,
    q: float,
    *,
    correlation: float = DEFAULT_DAILY_CORRELATION,
) -> np.ndarray:
    """Daily demand (units) of the ``q`` scenario: increments of :func:`cumulative_demand_quantile`.

    Examples
    --------
    >>> demand_path(np.full(3, 2.0), np.zeros(3), 0.5).tolist()
    [2.0, 2.0, 2.0]
    """
    cum = cumulative_demand_quantile(daily_mean, daily_sd, q, correlation=correlation)
    return np.diff(cum, prepend=0.0)


def project_on_hand(on_hand: float, arrivals: np.ndarray, demand: np.ndarray) -> np.ndarray:
    """End-of-day stock (units) with lost sales: ``x_t = max(0, x_{t−1} + a_t − d_t)``.

    Examples
    --------
    >>> project_on_hand(5, np.array([0, 10, 0]), np.array([4, 4, 4])).tolist()
    [1.0, 7.0, 3.0]
    >>> project_on_hand(5, np.zeros(3), np.array([4, 4, 4])).tolist()
    [1.0, 0.0, 0.0]
    """
    x = float(on_hand)
    out = np.empty(len(demand))
    for t in range(len(demand)):
        x = max(0.0, x + float(arrivals[t]) - float(demand[t]))
        out[t] = x
    return out


def stockout_day(on_hand: float, arrivals: np.ndarray, demand: np.ndarray) -> int | None:
    """First day (index) on which stock cannot serve the day's demand; ``None`` if never.

    Examples
    --------
    >>> stockout_day(5, np.zeros(4), np.array([2.0, 2.0, 2.0, 2.0]))
    2
    """
    x = float(on_hand)
    for t in range(len(demand)):
        x += float(arrivals[t])
        if demand[t] > x + 1e-9:
            return t
        x -= float(demand[t])
    return None


def days_of_cover(stock: float, demand: np.ndarray) -> float:
    """Days (whole) that ``stock`` units last against the daily ``demand`` that follows.

    Returns ``len(demand)`` when the stock outlasts the demand given (i.e. "at least").

    Examples
    --------
    >>> days_of_cover(10, np.array([3.0, 3.0, 3.0, 3.0, 3.0]))
    3.0
    """
    if stock <= 0:
        return 0.0
    cum = np.cumsum(np.asarray(demand, float))
    return float(np.searchsorted(cum, stock + 1e-9, side="right"))


@dataclass(frozen=True)
class Expedite:
    """A faster mode the first order may partly use (air, rail, express)."""

    mode: str
    lead_time_days: int  #: mean days from order release to availability at FBA
    economic: bool  #: the unit still earns a positive contribution with this freight


@dataclass(frozen=True)
class Policy:
    """Parameters of the (R, S) policy of one series (units, days)."""

    service_level: float
    lead_time_days: int  #: mean sea (default mode) lead time, order release → FBA
    lead_time_sd: float
    review_period_days: int
    case_pack: int = 1
    moq: int = 0
    lilf_floor: bool = True  #: raise S so historical days of supply stay ≥ 28
    correlation: float = DEFAULT_DAILY_CORRELATION
    mode: str = "sea"  #: the default (slowest, cheapest) mode the lead time belongs to


@dataclass
class Order:
    """One planned order: released on ``day``, available at FBA on ``arrival_day``."""

    day: int
    arrival_day: int
    units: int
    mode: str
    capped_by_age: bool = False
    below_moq: bool = False


@dataclass
class PolicyResult:
    """What :func:`run_order_up_to_policy` returns for one series."""

    arrivals: np.ndarray  #: fixed + planned arrivals per day (units)
    orders: list[Order] = field(default_factory=list)
    order_up_to: float = 0.0  #: S at the first review (units)
    safety_stock: float = 0.0  #: S − expected protection-period demand at the first review
    lilf_floor_units: float = 0.0  #: safety stock the 28-day LILF rule asks for (units)
    reorder_point: float = 0.0  #: service quantile of lead-time demand at the first review (units)


def lilf_safety_stock(daily_demand: float, review_period_days: int) -> float:
    """Safety stock (units) that keeps historical days of supply ≥ 28 under an (R, S) policy.

    Formula: HDoS = average on-hand / average daily units shipped; with order-up-to replenishment
    the average on-hand is ``SS + R·d/2`` (safety stock plus half a review cycle, SPT 2017 §6.7), so
    ``HDoS ≥ 28 ⇔ SS ≥ (28 − R/2)·d``. Zero when fewer than 20 units ship in 7 days (exempt).

    Examples
    --------
    >>> lilf_safety_stock(10, 7)   # (28 − 3.5) × 10
    245.0
    >>> lilf_safety_stock(2, 7)    # 14 units a week: exempt
    0.0
    """
    if daily_demand * 7 < LILF_EXEMPT_UNITS_7D:
        return 0.0
    return max(0.0, LILF_DAYS - review_period_days / 2) * daily_demand


def run_order_up_to_policy(
    on_hand: float,
    fixed_arrivals: np.ndarray,
    daily_mean: np.ndarray,
    daily_sd: np.ndarray,
    demand_p50: np.ndarray,
    policy: Policy,
    horizon_days: int,
    expedite: Expedite | None = None,
) -> PolicyResult:
    """Repeat the (R, S) policy at every review over the horizon on the P50 demand path.

    At each review day ``i`` (every ``R`` days): ``S`` = service quantile of demand over
    ``[i, i + L + R)`` with the lead-time spread (:func:`order_up_to_level`), raised to expected
    demand + :func:`lilf_safety_stock` when ``lilf_floor``; inventory position ``IP`` = stock + all
    arrivals still to come; order ``S − IP`` capped so no unit ages past 180 days — FIFO, the new
    lot sells after the stock on hand at its arrival, so ``Q ≤ D50[a, a + 180) − stock before a`` —
    then rounded to case packs and MOQ (never above the ageing cap). It arrives ``L`` days later.

    Expedite rule (first review only): when the P50 stock runs out before a sea order could arrive
    and a faster mode is configured and ``economic``, a fast order covers the P50 demand from its
    arrival until the sea arrival (case packs, no MOQ); the sea order covers the rest.

    Arrays must be at least ``horizon + L + R + 180`` days long.
    """
    n = len(daily_mean)
    lt, rp = int(policy.lead_time_days), max(int(policy.review_period_days), 1)
    if n < horizon_days + lt + rp + AGED_DAYS:
        raise ValueError(f"demand arrays have {n} days; need {horizon_days + lt + rp + AGED_DAYS}")
    arr = np.asarray(fixed_arrivals, float).copy()
    res = PolicyResult(arrivals=arr)
    stock = float(on_hand)
    cp = max(int(policy.case_pack or 1), 1)
    for i in range(horizon_days):
        stock += arr[i]
        if i % rp == 0:
            end = i + lt + rp
            level, ss = order_up_to_level(
                daily_mean[i:end],
                daily_sd[i:end],
                policy.service_level,
                lead_time_sd=policy.lead_time_sd,
                correlation=policy.correlation,
            )
            floor = 0.0
            if policy.lilf_floor:
                floor = lilf_safety_stock(float(np.mean(daily_mean[i:end])), rp)
                level = max(level, float(np.sum(daily_mean[i:end])) + floor)
            if i == 0:
                res.order_up_to, res.safety_stock = level, level - float(np.sum(daily_mean[:end]))
                res.reorder_point = order_up_to_level(
                    daily_mean[:lt],
                    daily_sd[:lt],
                    policy.service_level,
                    lead_time_sd=policy.lead_time_sd,
                    correlation=policy.correlation,
                )[0]
                res.lilf_floor_units = floor
            if i == 0 and expedite is not None and expedite.economic:
                _expedite_first(res, stock, arr, demand_p50, lt, level, cp, expedite)
            need = level - stock - float(arr[i + 1 :].sum())
            if need > 0:
                a = i + lt
                before = _stock_before(stock, arr, demand_p50, i, a)
                cap = max(0.0, float(demand_p50[a : a + AGED_DAYS].sum()) - before)
                units = round_order_quantity(min(need, cap), cp, policy.moq)
                below_moq = False
                if units > cap:
                    units = int(math.floor(cap / cp) * cp)
                    below_moq = units < policy.moq
                if units > 0:
                    arr[a] += units
                    res.orders.append(Order(i, a, units, policy.mode, need > cap + 1e-9, below_moq))
        stock = max(0.0, stock - float(demand_p50[i]))
    return res


def _stock_before(stock: float, arr: np.ndarray, demand: np.ndarray, i: int, a: int) -> float:
    """P50 stock just before day ``a``'s arrivals, from ``stock`` at day ``i`` (after its arrivals)."""
    if a <= i:
        return stock
    seg = arr[i:a].copy()
    seg[0] = 0.0
    return float(project_on_hand(stock, seg, demand[i:a])[-1])


def _expedite_first(
    res: PolicyResult,
    stock: float,
    arr: np.ndarray,
    demand: np.ndarray,
    sea_days: int,
    level: float,
    cp: int,
    expedite: Expedite,
) -> None:
    """Add the first review's expedited order (see :func:`run_order_up_to_policy`), in place."""
    fast = int(expedite.lead_time_days)
    if fast >= sea_days:
        return
    seg = arr[:sea_days].copy()
    seg[0] = 0.0
    out = stockout_day(stock, seg, demand[:sea_days])
    if out is None:
        return
    before = _stock_before(stock, arr, demand, 0, fast)
    # P50 demand from the fast arrival until the sea arrival, less the stock and arrivals by then
    gap = float(demand[fast:sea_days].sum()) - before - float(arr[fast:sea_days].sum())
    gap = min(gap, level - stock - float(arr[1:].sum()))
    units = round_order_quantity(gap, cp, 0)
    if units > 0:
        arr[fast] += units
        res.orders.append(Order(0, fast, units, expedite.mode))
