"""Inventory policy maths: safety stock, reorder points, order-up-to levels, order rounding.

Pure functions over numbers and arrays (no data frames, no settings), named after stockpyl
(``safety_stock_normal``, ``reorder_point_poisson``…) with parameters in the planner's words, so the
simulation and production areas can reuse them. Units: demand in units of product, times in days.

Textbook formulas (Silver, Pyke & Thomas, *Inventory and Production Management in Supply Chains*,
4th ed., 2017 — "SPT"; Nahmias & Olsen, *Production and Operations Analysis*, 7th ed., 2015;
Axsäter, *Inventory Control*, 3rd ed., 2015) plus one step the textbooks leave out: turning a
probabilistic *daily* forecast (quantiles per day) into the distribution of demand over a
protection period. Quantiles of a sum are not sums of quantiles; :func:`demand_over_period` derives
the sum's mean and variance under a stated day-to-day correlation and :func:`gamma_quantile` reads
the service quantile off a gamma distribution with those moments (right-skewed, never negative —
SPT §6.10 recommends the gamma for slow or skewed demand).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

#: z of the 10 % / 90 % quantiles of a standard normal: (p90 − p10) / (2 × 1.2816) ≈ sd.
Z90 = float(stats.norm.ppf(0.9))

#: Default correlation of forecast errors between days (documented assumption). 0 treats days as
#: independent (too narrow: a forecast that is too high tends to be too high for weeks), 1 treats
#: them as one common level error (too wide). 0.3 is a middle value; pass your own.
DEFAULT_DAILY_CORRELATION = 0.3


def z_score(service_level: float) -> float:
    """Safety factor ``k = Φ⁻¹(α)`` of a cycle service level α (probability of no stockout).

    Examples
    --------
    >>> round(z_score(0.95), 4)
    1.6449
    """
    if not 0 < service_level < 1:
        raise ValueError(f"service level must be in (0, 1), got {service_level}")
    return float(stats.norm.ppf(service_level))


def demand_sd_over_lead_time(
    demand_mean: float, demand_sd: float, lead_time_mean: float, lead_time_sd: float = 0.0
) -> float:
    """Standard deviation of demand over a random lead time (units).

    Formula (SPT 2017, eq. 6.12; Axsäter 2015 §5.2): ``σ_DL = √(L·σ_d² + d²·σ_L²)`` with ``d``,
    ``σ_d`` the mean and sd of demand per day (units) and ``L``, ``σ_L`` the lead time mean and sd
    (days), days independent.

    Examples
    --------
    >>> demand_sd_over_lead_time(100, 20, 10, 2)   # √(10·400 + 100²·4) = √44000
    209.76176963403032
    """
    return math.sqrt(lead_time_mean * demand_sd**2 + demand_mean**2 * lead_time_sd**2)


def safety_stock_normal(
    demand_mean: float,
    demand_sd: float,
    lead_time_mean: float,
    service_level: float,
    lead_time_sd: float = 0.0,
) -> float:
    """Safety stock (units) for normally distributed demand over the lead time.

    Formula (SPT 2017 §6.7.5; Nahmias & Olsen 2015 §5.4): ``SS = k · σ_DL`` with
    ``k = Φ⁻¹(service_level)`` and ``σ_DL`` from :func:`demand_sd_over_lead_time`.

    Parameters
    ----------
    demand_mean, demand_sd : float
        Mean and standard deviation of demand per day (units).
    lead_time_mean : float
        Mean lead time (or protection period) in days.
    service_level : float
        Cycle service level α (probability of no stockout per cycle).
    lead_time_sd : float
        Standard deviation of the lead time in days.

    Examples
    --------
    Daily demand 20 ± 5 units, lead time 9 days, 95 %: σ_DL = 5·√9 = 15, SS = 1.6449·15:

    >>> round(safety_stock_normal(20, 5, 9, 0.95), 2)
    24.67
    """
    return z_score(service_level) * demand_sd_over_lead_time(
        demand_mean, demand_sd, lead_time_mean, lead_time_sd
    )


def reorder_point_normal(
    demand_mean: float,
    demand_sd: float,
    lead_time_mean: float,
    service_level: float,
    lead_time_sd: float = 0.0,
) -> float:
    """Reorder point (units) for normal demand: ``s = d·L + k·σ_DL`` (SPT 2017 §6.7).

    Examples
    --------
    >>> round(reorder_point_normal(20, 5, 9, 0.95), 2)   # 180 + 24.67
    204.67
    """
    return demand_mean * lead_time_mean + safety_stock_normal(
        demand_mean, demand_sd, lead_time_mean, service_level, lead_time_sd
    )


def standard_normal_loss(z: float) -> float:
    """Standard normal loss function ``G(z) = φ(z) − z·(1 − Φ(z))`` (SPT 2017 eq. B.5).

    Expected units short per unit of σ when stock is ``z`` standard deviations above the mean.

    Examples
    --------
    >>> round(standard_normal_loss(0.0), 4)
    0.3989
    >>> round(standard_normal_loss(0.5), 4)   # SPT Table B.1: G(0.50) = 0.1978
    0.1978
    """
    return float(stats.norm.pdf(z) - z * stats.norm.sf(z))


def expected_shortage_normal(reorder_point: float, demand_mean: float, demand_sd: float) -> float:
    """Expected units short per replenishment cycle (ESPRC) for normal demand over the lead time.

    Formula (SPT 2017 eq. 6.14): ``ESPRC = σ_DL · G((s − μ_DL) / σ_DL)`` with ``G`` the
    :func:`standard_normal_loss`, ``s`` the reorder point and ``μ_DL``, ``σ_DL`` the mean and sd
    of demand over the lead time (units).

    Examples
    --------
    μ = 500, σ = 100, s = 550 (k = 0.5): ESPRC = 100 · 0.1978:

    >>> round(expected_shortage_normal(550, 500, 100), 2)
    19.78
    """
    if demand_sd <= 0:
        return max(0.0, demand_mean - reorder_point)
    return demand_sd * standard_normal_loss((reorder_point - demand_mean) / demand_sd)


def fill_rate_normal(
    reorder_point: float, demand_mean: float, demand_sd: float, order_quantity: float
) -> float:
    """Fill rate P₂ (share of demand served from stock) of an (s, Q) policy, normal demand.

    Formula (SPT 2017 eq. 6.16): ``P₂ = 1 − ESPRC / Q``.

    Examples
    --------
    >>> round(fill_rate_normal(550, 500, 100, 1000), 4)
    0.9802
    """
    if order_quantity <= 0:
        raise ValueError("order quantity must be > 0 units")
    return 1.0 - expected_shortage_normal(reorder_point, demand_mean, demand_sd) / order_quantity


def reorder_point_poisson(demand_mean: float, service_level: float) -> int:
    """Smallest reorder point ``s`` (units) with ``P(D ≤ s) ≥ α`` for Poisson lead-time demand.

    Formula (Axsäter 2015 §5.3; Nahmias & Olsen 2015 §5.6): ``s = min{s : F_Poisson(s; λ) ≥ α}``
    for slow movers where a normal approximation gives nonsense.

    Examples
    --------
    λ = 3 units over the lead time, 95 %: F(5) = 0.9161 < 0.95 ≤ F(6) = 0.9665:

    >>> reorder_point_poisson(3, 0.95)
    6
    """
    if demand_mean < 0:
        raise ValueError("demand mean must be ≥ 0 units")
    if not 0 < service_level < 1:
        raise ValueError(f"service level must be in (0, 1), got {service_level}")
    return int(stats.poisson.ppf(service_level, demand_mean))


def daily_sd_from_quantiles(p10: np.ndarray, p90: np.ndarray) -> np.ndarray:
    """Standard deviation per day implied by the 10 % and 90 % forecast quantiles (units).

    Formula: ``σ ≈ (p90 − p10) / (2 · Φ⁻¹(0.9))`` (exact for a normal; a robust spread otherwise).

    Examples
    --------
    >>> daily_sd_from_quantiles(np.array([7.4369]), np.array([12.5631])).round(3)
    array([2.])
    """
    return np.maximum(np.asarray(p90, float) - np.asarray(p10, float), 0.0) / (2 * Z90)


def demand_over_period(
    daily_mean: np.ndarray,
    daily_sd: np.ndarray,
    *,
    correlation: float = DEFAULT_DAILY_CORRELATION,
    lead_time_sd: float = 0.0,
) -> tuple[float, float] | tuple[np.ndarray, np.ndarray]:
    """Mean and sd (units) of total demand over a period from daily means and sds.

    Formula: with a constant correlation ρ between the forecast errors of any two days,
    ``Var(Σ D_t) = (1 − ρ)·Σ σ_t² + ρ·(Σ σ_t)²``; the lead-time spread adds ``d̄² · σ_L²``
    (SPT 2017 eq. 6.12) with ``d̄`` the mean daily demand over the period.

    Parameters
    ----------
    daily_mean, daily_sd : array, shape (n_days,) or (n_series, n_days)
        Forecast mean and sd of each day of the period (units per day); a 2-D array gives one
        total per row (series).
    correlation : float
        ρ in [0, 1]; see :data:`DEFAULT_DAILY_CORRELATION`.
    lead_time_sd : float
        Standard deviation of the lead time (days).

    Returns
    -------
    (float, float), or (ndarray, ndarray) of shape (n_series,) for 2-D input

    Examples
    --------
    Ten days of 10 ± 3 units, independent days: mean 100, sd 3·√10:

    >>> m, s = demand_over_period(np.full(10, 10.0), np.full(10, 3.0), correlation=0.0)
    >>> m, round(s, 3)
    (100.0, 9.487)
    >>> m, s = demand_over_period(np.full(10, 10.0), np.full(10, 3.0), correlation=1.0)
    >>> round(s, 3)
    30.0
    """
    if not 0 <= correlation <= 1:
        raise ValueError(f"correlation must be in [0, 1], got {correlation}")
    mean = np.asarray(daily_mean, float)
    sd = np.asarray(daily_sd, float)
    total = mean.sum(axis=-1)
    var = (1 - correlation) * (sd**2).sum(axis=-1) + correlation * sd.sum(axis=-1) ** 2
    if mean.shape[-1]:
        var = var + (total / mean.shape[-1]) ** 2 * lead_time_sd**2
    total_sd = np.sqrt(np.maximum(var, 0.0))
    if mean.ndim == 1:
        return float(total), float(total_sd)
    return total, total_sd


def gamma_quantile(mean: float | np.ndarray, sd: float | np.ndarray, q: float) -> np.ndarray:
    """Quantile ``q`` of a gamma distribution with the given mean and sd (units).

    Moment fit: shape ``k = μ²/σ²``, scale ``θ = σ²/μ``. A zero sd returns the mean; a zero mean
    returns 0 (Axsäter 2015 §5.4 on the gamma for lead-time demand).

    Examples
    --------
    >>> float(gamma_quantile(100.0, 0.0, 0.9))
    100.0
    >>> round(float(gamma_quantile(100.0, 10.0, 0.5)), 2)   # close to the mean when σ ≪ μ
    99.67
    """
    mean = np.asarray(mean, float)
    sd = np.asarray(sd, float)
    out = np.array(mean, dtype=float, copy=True)
    ok = (mean > 0) & (sd > 0)
    if np.any(ok):
        shape = mean[ok] ** 2 / sd[ok] ** 2
        scale = sd[ok] ** 2 / mean[ok]
        out[ok] = stats.gamma.ppf(q, shape, scale=scale)
    out[mean <= 0] = 0.0
    return out


def order_up_to_level(
    daily_mean: np.ndarray,
    daily_sd: np.ndarray,
    service_level: float,
    *,
    lead_time_sd: float = 0.0,
    correlation: float = DEFAULT_DAILY_CORRELATION,
) -> tuple[float, float]:
    """Order-up-to level S and safety stock (units) of an (R, S) policy over a protection period.

    Formula (SPT 2017 §6.7, periodic review): ``S = F⁻¹(α)`` of demand over the protection period
    ``L + R`` (the days passed in ``daily_mean``), here a gamma fitted by
    :func:`demand_over_period`; safety stock ``SS = S − E[D]``.

    Examples
    --------
    70 days of 10 ± 4 units, ρ = 0.3, lead-time sd 6 days, 95 %: mean 700, variance
    0.7·70·16 + 0.3·280² + 10²·6² = 27 904 (sd 167), gamma 95 % quantile 995:

    >>> s, ss = order_up_to_level(np.full(70, 10.0), np.full(70, 4.0), 0.95, lead_time_sd=6)
    >>> round(s), round(ss)
    (995, 295)
    """
    mean, sd = demand_over_period(
        daily_mean, daily_sd, correlation=correlation, lead_time_sd=lead_time_sd
    )
    level = float(gamma_quantile(mean, sd, service_level))
    return level, level - mean


def round_order_quantity(quantity: float, case_pack: int = 1, moq: int = 0) -> int:
    """Round an order (units) up to whole case packs and to at least the MOQ; 0 stays 0.

    Formula: ``Q' = 0`` if ``Q ≤ 0``, else ``max(⌈Q/c⌉·c, ⌈MOQ/c⌉·c)`` with ``c`` the case pack.

    Examples
    --------
    >>> round_order_quantity(101, case_pack=20, moq=0)
    120
    >>> round_order_quantity(30, case_pack=20, moq=200)
    200
    >>> round_order_quantity(-5, case_pack=20, moq=200)
    0
    """
    if quantity <= 0 or not math.isfinite(quantity):
        return 0
    c = max(int(case_pack or 1), 1)
    packs = math.ceil(round(quantity, 9) / c)
    moq_packs = math.ceil(max(int(moq or 0), 0) / c)
    return int(max(packs, moq_packs) * c)
