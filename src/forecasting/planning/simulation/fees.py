"""FIFO ageing and Amazon FBA fees of simulated stock paths, vectorised over many series.

The rates come from the versioned fee tables of :mod:`forecasting.planning.fees` (storage by month,
aged inventory surcharge tiers, low-inventory-level fee bands); this module only applies them to
whole ``(series, period)`` arrays, which :func:`~forecasting.planning.fees.project_fifo_fees` (one
path, a Python loop per day) is too slow for in a policy sweep.

FIFO without lot lists: stock is sold oldest first, so the units on hand at the end of period ``t``
are the most recent arrivals. Units older than ``k`` periods are therefore
``max(0, on_hand_t − arrivals in periods t−k+1 … t)`` — exact under FIFO and one cumulative sum.

Ages: a lot arriving at the start of period ``τ`` is ``(t − τ + 1) × period days`` old at the end of
period ``t``. Simulated history is mapped onto the fee schedule of ``fee_year`` month by month
(history from 1998 keeps its Q4 storage peak but is charged 2026 rates), a documented assumption.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.planning.fees import (
    FeeTable,
    aged_surcharge_per_unit,
    low_inventory_fee_per_unit,
    storage_rate,
)

#: Default volume of one unit (cubic feet) when none is given: a shoebox-sized standard item
#: (30 × 20 × 10 cm ≈ 0.21 cu ft) — a documented assumption; pass ``unit_volume_cuft``.
DEFAULT_UNIT_VOLUME_CUFT = 0.2
#: Default size tier (Amazon US) for storage and the low-inventory-level fee.
DEFAULT_SIZE_TIER = "large_standard_3lb"
#: Short- and long-term windows of historical days of supply (days), as Amazon computes them.
HDOS_WINDOWS_DAYS = (30, 90)


@dataclass(frozen=True)
class FeeAssumptions:
    """What the fee tally assumes about the product and the fee schedule.

    Attributes
    ----------
    table : FeeTable
        Fee table (``load_fee_table("amazon-us-2026")``); money in its currency.
    unit_volume_cuft : float
        Volume of one unit (cubic feet).
    size_tier : str
        Amazon size tier (see :func:`forecasting.planning.fees.size_tier`).
    fee_year : int
        Year whose fee schedule every simulated month is charged at.
    holding_cost : float
        Cost of capital and handling per unit per year (currency), added to the fees; 0 = none.
    """

    table: FeeTable
    unit_volume_cuft: float = DEFAULT_UNIT_VOLUME_CUFT
    size_tier: str = DEFAULT_SIZE_TIER
    fee_year: int = 2026
    holding_cost: float = 0.0


def period_lengths_days(dates: pd.DatetimeIndex, period_days: float) -> np.ndarray:
    """Length in days of each period (the last one ``period_days``): 1, 7 or the month's days."""
    if len(dates) < 2:
        return np.full(len(dates), float(period_days))
    return np.r_[np.diff(dates.as_unit("ns").asi8) / 86400e9, period_days].astype(float)


def units_older_than(end_on_hand: np.ndarray, arrivals: np.ndarray, age_periods: int) -> np.ndarray:
    """Units on hand at the end of each period that arrived ``age_periods`` or more periods ago.

    Formula (FIFO): ``max(0, on_hand_t − Σ_{τ = t−k+1}^{t} arrivals_τ)`` with ``k = age_periods``.

    Examples
    --------
    100 units arrive on day 0, 10 more on day 2, 5 sold a day: at the end of day 3, 90 units are
    on hand and units older than 2 days are 90 − 10 = 80:

    >>> arr = np.array([[100.0, 0, 10, 0]]); end = np.array([[95.0, 90, 95, 90]])
    >>> units_older_than(end, arr, 2).tolist()
    [[0.0, 0.0, 85.0, 80.0]]
    """
    csum = np.concatenate([np.zeros((arrivals.shape[0], 1)), np.cumsum(arrivals, axis=1)], axis=1)
    n = arrivals.shape[1]
    hi = np.arange(1, n + 1)
    lo = np.maximum(hi - age_periods, 0)
    recent = csum[:, hi] - csum[:, lo]
    return np.maximum(end_on_hand - recent, 0.0)


def aged_units_total(arrivals: np.ndarray, served: np.ndarray, age_periods: int) -> np.ndarray:
    """Units (per series) that stayed on hand past ``age_periods`` periods, each unit counted once.

    Formula (FIFO): lot ``τ`` (``a_τ`` units) is still on hand when it comes of age at the end of
    period ``τ + k`` by ``clip(A_τ − C_{τ+k}, 0, a_τ)`` with ``A`` cumulative arrivals and ``C``
    cumulative units served; lots that come of age after the last period are not counted.

    Examples
    --------
    30 units arrive on day 0, 1 sold a day, ``k = 20``: at the end of day 20 (21 days on hand)
    30 − 21 = 9 units are left, and they are counted once:

    >>> arr = np.zeros((1, 40)); arr[0, 0] = 30
    >>> float(aged_units_total(arr, np.ones((1, 40)), 20)[0])
    9.0
    """
    n = arrivals.shape[1]
    if age_periods >= n:
        return np.zeros(arrivals.shape[0])
    cum_arr = np.cumsum(arrivals, axis=1)
    cum_served = np.cumsum(served, axis=1)
    lots = slice(0, n - age_periods)
    left = np.clip(cum_arr[:, lots] - cum_served[:, age_periods:], 0.0, arrivals[:, lots])
    return left.sum(axis=1)


def aged_period_count(period_days: float, age_days: int) -> int:
    """Whole periods after which a lot is older than ``age_days`` days (see module docstring).

    Formula: a lot is older than ``a`` days at the end of period ``t`` when
    ``(t − τ + 1)·p > a``, i.e. ``t − τ ≥ ⌊a / p⌋``. ``age_days`` is the fee table's
    aged-inventory age (:attr:`forecasting.planning.fees.FeeTable.aged_after_days`, 180 days).

    Examples
    --------
    >>> aged_period_count(1, 180), aged_period_count(7, 180), aged_period_count(365.25 / 12, 180)
    (180, 25, 5)
    """
    return max(int(math.floor(age_days / period_days + 1e-9)), 1)


def _month_days(dates: pd.DatetimeIndex) -> np.ndarray:
    return np.array(
        [calendar.monthrange(y, m)[1] for y, m in zip(dates.year, dates.month, strict=True)], float
    )


def _rolling_sum(x: np.ndarray, window: int) -> np.ndarray:
    csum = np.concatenate([np.zeros((x.shape[0], 1)), np.cumsum(x, axis=1)], axis=1)
    hi = np.arange(1, x.shape[1] + 1)
    return csum[:, hi] - csum[:, np.maximum(hi - window, 0)]


def fee_tally(
    avg_on_hand: np.ndarray,
    end_on_hand: np.ndarray,
    arrivals: np.ndarray,
    served: np.ndarray,
    active: np.ndarray,
    dates: pd.DatetimeIndex,
    period_days: float,
    fees: FeeAssumptions,
) -> np.ndarray:
    """Storage + aged surcharge + low-inventory-level fee (+ holding cost) per series (currency).

    - storage: ``Σ avg on hand × cu ft × monthly rate × period days / days in month``;
    - aged surcharge: on the period holding the 15th of each month, units in each age tier
      (:func:`units_older_than` at the tier's lower bound) × the tier's
      ``max(per cu ft × volume, per unit)``;
    - low-inventory-level fee: per unit served in a period where both the 30- and 90-day historical
      days of supply (average on hand ÷ average daily units served) are below the table's
      threshold (28 days), at the band of the higher one, unless fewer units than the table's
      exemption (20) were served in the past 7 days;
    - holding cost: ``holding_cost × avg on hand × period days / 365``.

    Arrays are ``(n_series, n_periods)``; ``active`` masks the periods that count.
    """
    t = fees.table
    vol = fees.unit_volume_cuft
    lengths = period_lengths_days(dates, period_days)
    months = dates.month.to_numpy()
    fee_days = [dt.date(fees.fee_year, m, 15) for m in range(1, 13)]
    oh = np.where(active, avg_on_hand, 0.0)
    end = np.where(active, end_on_hand, 0.0)
    sold = np.where(active, served, 0.0)
    # storage
    rate = np.array([storage_rate(t, d, fees.size_tier) for d in fee_days])[months - 1]
    total = (oh * vol * rate * lengths / _month_days(dates)).sum(axis=1)
    total = total + fees.holding_cost * (oh * lengths / 365.0).sum(axis=1)
    # aged inventory surcharge on the 15th-of-month snapshots
    day = dates.day.to_numpy()
    snapshot = (day <= 15) & (day + lengths > 15)
    bounds = sorted({int(r["min_age_days"]) for r in t.aged_surcharge})
    if bounds and snapshot.any():
        older = [units_older_than(end, arrivals, aged_period_count(period_days, b - 1))
                 for b in bounds]  # fmt: skip
        for i, b in enumerate(bounds):
            in_tier = older[i] - (older[i + 1] if i + 1 < len(bounds) else 0.0)
            per_unit = np.array([aged_surcharge_per_unit(t, d, b, vol) for d in fee_days])
            total = total + (in_tier * (per_unit[months - 1] * snapshot)).sum(axis=1)
    # low-inventory-level fee
    threshold = t.lilf_threshold_days
    band_fee = np.array(
        [
            [
                low_inventory_fee_per_unit(t, d, fees.size_tier, float(h))
                for h in range(int(threshold))
            ]
            for d in fee_days
        ]
    )
    if band_fee.any():
        hdos = []
        for w_days in HDOS_WINDOWS_DAYS:
            w = max(int(round(w_days / period_days)), 1)
            held = _rolling_sum(oh * lengths, w)
            out = _rolling_sum(sold, w)
            with np.errstate(divide="ignore", invalid="ignore"):
                hdos.append(np.where(out > 0, held / out, np.inf))
        worst = np.maximum(hdos[0], hdos[1])
        shipped_7d = _rolling_sum(sold, max(int(round(7 / period_days)), 1)) * min(
            7 / period_days, 1.0
        )
        charged = (worst < threshold) & (shipped_7d >= t.lilf_exempt_below_units_7d)
        band = np.clip(np.nan_to_num(worst, posinf=0.0).astype(int), 0, int(threshold) - 1)
        per_unit = band_fee[months[None, :] - 1, band]
        total = total + np.where(charged, sold * per_unit, 0.0).sum(axis=1)
    return total
