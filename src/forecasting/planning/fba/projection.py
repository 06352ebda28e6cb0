"""Per-series stock projection and the periodic-review order-up-to policy on the P50 path.

Pure numpy over one SKU × marketplace; :mod:`forecasting.planning.fba.replenishment` loops over series.
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

from forecasting.planning.fees import FeeThresholds
from forecasting.planning.safety_stock import (
    DEFAULT_DAILY_CORRELATION,
    gamma_quantile,
    order_up_to_level,
    round_order_quantity,
)


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


@dataclass(frozen=True, kw_only=True)
class Policy:
    """Parameters of the (R, S) policy of one series (units, days); keyword construction only."""

    service_level: float
    lead_time_days: int  #: mean sea (default mode) lead time, order release → FBA
    lead_time_sd: float
    review_period_days: int
    #: the fee table's LILF threshold and exemption and aged-inventory age (days, units)
    fee_thresholds: FeeThresholds
    case_pack: int = 1
    moq: int = 0
    lilf_floor: bool = True  #: raise S so historical days of supply stay ≥ the LILF threshold
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
    lilf_floor_units: float = 0.0  #: safety stock the LILF threshold asks for (units)
    reorder_point: float = 0.0  #: service quantile of lead-time demand at the first review (units)


def lilf_safety_stock(
    daily_demand: float,
    review_period_days: int,
    *,
    lilf_threshold_days: float,
    lilf_exempt_below_units_7d: float,
) -> float:
    """Safety stock (units) that keeps historical days of supply ≥ the LILF threshold, (R, S) policy.

    Formula: HDoS = average on-hand / average daily units shipped; with order-up-to replenishment
    the average on-hand is ``SS + R·d/2`` (safety stock plus half a review cycle, SPT 2017 §6.7), so
    ``HDoS ≥ T ⇔ SS ≥ (T − R/2)·d`` with ``T`` the fee table's threshold (28 days). Zero when
    fewer units than the table's exemption (20) ship in 7 days.

    Parameters
    ----------
    daily_demand : float
        Mean demand (units per day).
    review_period_days : int
        Review period ``R`` (days).
    lilf_threshold_days, lilf_exempt_below_units_7d : float
        :attr:`forecasting.planning.fees.FeeTable.lilf_threshold_days` (days) and
        :attr:`~forecasting.planning.fees.FeeTable.lilf_exempt_below_units_7d` (units).

    Examples
    --------
    >>> lilf_safety_stock(10, 7, lilf_threshold_days=28, lilf_exempt_below_units_7d=20)
    245.0
    >>> lilf_safety_stock(2, 7, lilf_threshold_days=28, lilf_exempt_below_units_7d=20)  # exempt
    0.0
    """
    if daily_demand * 7 < lilf_exempt_below_units_7d:
        return 0.0
    return max(0.0, lilf_threshold_days - review_period_days / 2) * daily_demand


#: A forecast shorter than the plan needs is extended flat at the mean of its last this many days.
FORECAST_EXTENSION_DAYS = 28


@dataclass(frozen=True, kw_only=True)
class SeriesDemand:
    """Daily demand of one SKU × marketplace from day 0 (units per day), from the forecast.

    Attributes
    ----------
    daily_mean, daily_sd : ndarray
        Forecast mean and standard deviation per day (units per day).
    daily_median : ndarray
        The P50 demand path (:func:`demand_path` at 0.5): what the policy plans against.
    extended : bool
        The forecast ends before the days the plan needs
        (:func:`forecasting.planning.leadtime.required_forecast_days`); it was extended flat at
        the mean of its last :data:`FORECAST_EXTENSION_DAYS` days.
    """

    daily_mean: np.ndarray
    daily_sd: np.ndarray
    daily_median: np.ndarray
    extended: bool = False


@dataclass(frozen=True, kw_only=True)
class SeriesStock:
    """Stock of one series on day 0 and the arrivals already fixed (units).

    Attributes
    ----------
    on_hand_units : float
        Sellable FBA stock (available + reserved FC transfers).
    fixed_arrivals : ndarray
        Units per day arriving without a new order: inbound shipments and the factory's finished
        goods and open production allocated to this marketplace.
    """

    on_hand_units: float
    fixed_arrivals: np.ndarray


@dataclass(frozen=True, kw_only=True)
class SeriesItem:
    """What one unit of a series is for FBA fees and capacity.

    Attributes
    ----------
    cuft_per_unit : float
        Volume of one unit (cu ft).
    size_tier : str
        Amazon size tier (:func:`forecasting.planning.fees.size_tier`; the report's storage type
        wins).
    case_pack : int
        Units per carton; shipments are whole cartons.
    default_mode : str
        The default (slowest, cheapest) shipping mode; only its shipments are deferred by the
        capacity step.
    """

    cuft_per_unit: float
    size_tier: str
    case_pack: int = 1
    default_mode: str = "sea"


@dataclass(frozen=True, kw_only=True)
class SeriesPlan:
    """One series after the policy step: its demand, stock, item, policy and planned orders."""

    sku: str
    marketplace: str
    demand: SeriesDemand
    stock: SeriesStock
    item: SeriesItem
    policy: Policy
    result: PolicyResult


def run_order_up_to_policy(
    stock: SeriesStock,
    demand: SeriesDemand,
    policy: Policy,
    *,
    horizon_days: int,
    expedite: Expedite | None = None,
) -> PolicyResult:
    """Repeat the (R, S) policy at every review over the horizon on the P50 demand path.

    At each review day ``i`` (every ``R`` days): ``S`` = service quantile of demand over
    ``[i, i + L + R)`` with the lead-time spread (:func:`order_up_to_level`), raised to expected
    demand + :func:`lilf_safety_stock` when ``lilf_floor``; inventory position ``IP`` = stock + all
    arrivals still to come; order ``S − IP`` capped so no unit ages past the fee table's
    aged-inventory age ``A`` (180 days) — FIFO, the new lot sells after the stock on hand at its
    arrival, so ``Q ≤ D50[a, a + A) − stock before a`` —
    then rounded to case packs and MOQ (never above the ageing cap). It arrives ``L`` days later
    (Silver, Pyke & Thomas 2017, §6.7, the (R, S) system with lost sales).

    Expedite rule (first review only): when the P50 stock runs out before a sea order could arrive
    and a faster mode is configured and ``economic``, a fast order covers the P50 demand from its
    arrival until the sea arrival (case packs, no MOQ); the sea order covers the rest.

    Parameters
    ----------
    stock : SeriesStock
        Units on hand on day 0 and the fixed arrivals per day.
    demand : SeriesDemand
        Daily mean, sd and P50 path (units per day); at least ``horizon + L + R + A`` days long.
    policy : Policy
        Service level, lead time (days), review period (days), case pack, MOQ, fee thresholds.
    horizon_days : int
        Days on which reviews happen (the planning horizon).
    expedite : Expedite, optional
        The faster mode the first order may partly use.
    """
    n = len(demand.daily_mean)
    lt, rp = int(policy.lead_time_days), max(int(policy.review_period_days), 1)
    aged_after = int(policy.fee_thresholds.aged_after_days)
    if n < horizon_days + lt + rp + aged_after:
        raise ValueError(f"demand arrays have {n} days; need {horizon_days + lt + rp + aged_after}")
    arr = np.asarray(stock.fixed_arrivals, float).copy()
    res = PolicyResult(arrivals=arr)
    on_hand = float(stock.on_hand_units)
    for i in range(horizon_days):
        on_hand += arr[i]
        if i % rp == 0:
            level, floor = order_up_to_with_lilf_floor(demand, policy, review_day=i)
            if i == 0:
                _record_first_review(res, demand, policy, level, floor)
                if expedite is not None and expedite.economic:
                    cp = max(int(policy.case_pack or 1), 1)
                    _expedite_first(
                        res, on_hand, demand.daily_median, sea_days=lt, level=level, case_pack=cp,
                        expedite=expedite,
                    )  # fmt: skip
            _order_at_review(res, on_hand, demand.daily_median, policy, review_day=i, level=level)
        on_hand = max(0.0, on_hand - float(demand.daily_median[i]))
    return res


def order_up_to_with_lilf_floor(
    demand: SeriesDemand, policy: Policy, *, review_day: int
) -> tuple[float, float]:
    """Order-up-to level ``S`` (units) at a review and the LILF safety stock in it (units).

    Formula: ``S = max(S_service, Σ μ over [i, i + L + R) + SS_LILF)`` with ``S_service`` the
    service quantile of demand over the protection period
    (:func:`forecasting.planning.safety_stock.order_up_to_level`) and ``SS_LILF`` from
    :func:`lilf_safety_stock` at the mean daily demand of the period (0 without ``lilf_floor``).
    """
    i = review_day
    rp = max(int(policy.review_period_days), 1)
    end = i + int(policy.lead_time_days) + rp
    mean = demand.daily_mean[i:end]
    level, _ = order_up_to_level(
        mean,
        demand.daily_sd[i:end],
        policy.service_level,
        lead_time_sd=policy.lead_time_sd,
        correlation=policy.correlation,
    )
    floor = 0.0
    if policy.lilf_floor:
        floor = lilf_safety_stock(
            float(np.mean(mean)),
            rp,
            lilf_threshold_days=policy.fee_thresholds.lilf_threshold_days,
            lilf_exempt_below_units_7d=policy.fee_thresholds.lilf_exempt_below_units_7d,
        )
        level = max(level, float(np.sum(mean)) + floor)
    return level, floor


def _record_first_review(
    res: PolicyResult, demand: SeriesDemand, policy: Policy, level: float, floor: float
) -> None:
    """S, safety stock, reorder point and LILF floor of the first review, into ``res``."""
    lt = int(policy.lead_time_days)
    end = lt + max(int(policy.review_period_days), 1)
    res.order_up_to = level
    res.safety_stock = level - float(np.sum(demand.daily_mean[:end]))
    res.reorder_point = order_up_to_level(
        demand.daily_mean[:lt],
        demand.daily_sd[:lt],
        policy.service_level,
        lead_time_sd=policy.lead_time_sd,
        correlation=policy.correlation,
    )[0]
    res.lilf_floor_units = floor


def _order_at_review(
    res: PolicyResult,
    on_hand: float,
    demand_p50: np.ndarray,
    policy: Policy,
    *,
    review_day: int,
    level: float,
) -> None:
    """Order ``S − IP`` at review ``i``, capped by the ageing cap, in cases and MOQ (in place)."""
    i, arr = review_day, res.arrivals
    need = level - on_hand - float(arr[i + 1 :].sum())
    if need <= 0:
        return
    cp = max(int(policy.case_pack or 1), 1)
    a = i + int(policy.lead_time_days)
    before = _stock_before(on_hand, arr, demand_p50, i, a)
    aged_after = int(policy.fee_thresholds.aged_after_days)
    cap = max(0.0, float(demand_p50[a : a + aged_after].sum()) - before)
    units = round_order_quantity(min(need, cap), cp, policy.moq)
    below_moq = False
    if units > cap:
        units = int(math.floor(cap / cp) * cp)
        below_moq = units < policy.moq
    if units > 0:
        arr[a] += units
        res.orders.append(Order(i, a, units, policy.mode, need > cap + 1e-9, below_moq))


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
    demand: np.ndarray,
    *,
    sea_days: int,
    level: float,
    case_pack: int,
    expedite: Expedite,
) -> None:
    """Add the first review's expedited order (see :func:`run_order_up_to_policy`), in place."""
    arr, cp = res.arrivals, case_pack
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
