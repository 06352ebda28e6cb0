"""Replenishment policies replayed by the inventory simulation: order-up-to targets per review.

Each policy turns the demand known at a review into an *order-up-to level* ``S`` (units): the
simulation then orders ``S − inventory position`` (on hand + on order). Three policies:

- ``forecast`` (this project's): the (R, S) periodic-review policy of Silver, Pyke & Thomas (2017,
  §6.7). A forecast model (any alias of :mod:`forecasting.models.registry`) forecasts the protection
  period ``P = L + R``; its daily means and spreads are summed under a day-to-day error correlation
  and ``S`` is the service-level quantile of a gamma with those moments
  (:func:`~forecasting.planning.safety_stock.demand_over_period`,
  :func:`~forecasting.planning.safety_stock.gamma_quantile`; vectorised over series here). The
  correlation ρ sets how much the days' errors add up; the simulation calibrates it on the
  policy's own past (``simulation_engine.calibrate_correlation``).
- ``velocity`` (what common seller tools do): average daily sales of the last 30 *in-stock* days
  × target cover days.
- ``days_of_supply``: a fixed cover over a plain moving average of all recent days (stocked-out
  days count as zero sales, as in a spreadsheet).

All three see the same information at a review: the demand history strictly before the review
period (censored periods are ``NaN``). Targets are computed ahead of the simulation because they do
not depend on the simulated stock; that also lets a ``--sweep`` reuse one forecast per review for
every service level.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from forecasting.models.base import SeriesBatch
from forecasting.models.registry import get_model
from forecasting.planning.safety_stock import (
    DEFAULT_DAILY_CORRELATION,
    daily_sd_from_quantiles,
    demand_over_period,
    gamma_quantile,
)

#: Policies in the order they are reported.
POLICIES = ("forecast", "velocity", "days_of_supply")
#: Service levels of the ``forecast`` policy swept by ``--sweep``.
SWEEP_SERVICE_LEVELS = (0.80, 0.85, 0.90, 0.925, 0.95, 0.97, 0.98, 0.99)
#: Cover of the rules swept by ``--sweep``, as multiples of the protection period ``L + R``.
SWEEP_COVER_FACTORS = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5)
#: Default cover of the rules: 1.5 × the protection period (e.g. 14 + 7 days → 31.5 days).
DEFAULT_COVER_FACTOR = 1.5
#: In-stock days averaged by the ``velocity`` rule (seller tools use the last 30 days).
VELOCITY_DAYS = 30
#: Days in the plain moving average of the ``days_of_supply`` rule (8 weeks).
MOVING_AVERAGE_DAYS = 56


def protection_demand_quantiles(
    daily_mean: np.ndarray,
    daily_sd: np.ndarray,
    service_levels: Sequence[float],
    *,
    correlation: float = DEFAULT_DAILY_CORRELATION,
    lead_time_sd_periods: float = 0.0,
) -> np.ndarray:
    """Order-up-to levels (units) of many series at several service levels.

    Formula (Silver, Pyke & Thomas 2017 §6.7 and eq. 6.12): demand over the protection period has
    mean ``μ = Σ d_t`` and variance ``(1 − ρ)·Σ σ_t² + ρ·(Σ σ_t)² + d̄²·σ_L²``; ``S = F⁻¹(α)`` of a
    gamma with these moments (:func:`~forecasting.planning.safety_stock.demand_over_period`,
    row by row). The vectorised form of
    :func:`~forecasting.planning.safety_stock.order_up_to_level`.

    Parameters
    ----------
    daily_mean, daily_sd : ndarray, shape (n_series, n_periods)
        Forecast mean and sd of each period of the protection period (units per period).
    service_levels : sequence of float
        Cycle service levels α in (0, 1).
    correlation : float
        ρ in [0, 1], correlation of forecast errors between periods.
    lead_time_sd_periods : float
        Standard deviation of the lead time (periods).

    Returns
    -------
    ndarray, shape (n_levels, n_series)

    Examples
    --------
    One series, 70 days of 10 ± 4 units, ρ = 0.3, lead-time sd 6 days (the worked example of
    ``order_up_to_level``):

    >>> s = protection_demand_quantiles(np.full((1, 70), 10.0), np.full((1, 70), 4.0), [0.95],
    ...                                 lead_time_sd_periods=6)
    >>> s.round().tolist()
    [[995.0]]
    """
    total, total_sd = demand_over_period(
        np.atleast_2d(daily_mean),
        np.atleast_2d(daily_sd),
        correlation=correlation,
        lead_time_sd=lead_time_sd_periods,
    )
    return np.stack([gamma_quantile(total, total_sd, a) for a in service_levels])


#: Correlations the simulation tries when it calibrates ρ on its own past (see ``simulation``).
CORRELATION_GRID = (0.0, 0.15, 0.3, 0.5, 0.75, 1.0)


def forecast_targets(
    batch: SeriesBatch,
    reviews: np.ndarray,
    protection_periods: int,
    service_levels: Sequence[float],
    *,
    model: str = "empirical",
    correlations: Sequence[float] = (DEFAULT_DAILY_CORRELATION,),
    lead_time_sd_periods: float = 0.0,
    poisson_floor: float = 1.0,
) -> np.ndarray:
    """Order-up-to levels of the ``forecast`` policy at every review (units).

    At review ``t`` the model sees ``batch.values[:, :t]`` (history before the review period) and
    forecasts ``protection_periods`` periods. The daily sd is read off the 10 % / 90 % quantiles
    (:func:`~forecasting.planning.safety_stock.daily_sd_from_quantiles`), at least the Poisson sd
    ``√mean`` (× ``poisson_floor``: demand is rarely less variable than Poisson, and the quantiles
    of slow movers are often all 0). Then :func:`protection_demand_quantiles` at each
    correlation ρ — the model runs once per review whatever the number of levels and ρ.

    Returns
    -------
    ndarray, shape (n_correlations, n_levels, n_series, n_reviews)
    """
    fc_model = get_model(model)
    n = batch.n_series
    out = np.zeros((len(correlations), len(service_levels), n, len(reviews)))
    for k, t in enumerate(np.asarray(reviews, int)):
        seen = batch.values[:, :t]
        if t == 0 or not np.isfinite(seen).any():
            continue
        past = SeriesBatch(batch.keys, seen, batch.dates[:t], batch.freq, batch.season_length)
        fc = fc_model.forecast(past, protection_periods, (0.1, 0.5, 0.9))
        sd = np.maximum(
            daily_sd_from_quantiles(fc.quantiles[..., 0], fc.quantiles[..., 2]),
            np.sqrt(np.maximum(fc.mean, 0.0)) * poisson_floor,
        )
        for c, rho in enumerate(correlations):
            out[c, :, :, k] = protection_demand_quantiles(
                fc.mean,
                sd,
                service_levels,
                correlation=rho,
                lead_time_sd_periods=lead_time_sd_periods,
            )
    return np.nan_to_num(out)


def _recent_mean(values: np.ndarray, t: int, window: int, *, observed_only: bool) -> np.ndarray:
    """Mean of the last ``window`` (observed) periods before ``t``; 0 where there is none."""
    past = values[:, :t]
    if not observed_only:
        recent = np.nan_to_num(past[:, -window:])
        return recent.mean(axis=1) if recent.shape[1] else np.zeros(len(values))
    ok = np.isfinite(past)
    # rank of each observed period counted from the end: keep the last `window` of them
    from_end = np.cumsum(ok[:, ::-1], axis=1)[:, ::-1]
    keep = ok & (from_end <= window)
    n = keep.sum(axis=1)
    return np.where(n > 0, np.where(keep, past, 0.0).sum(axis=1) / np.maximum(n, 1), 0.0)


def rule_targets(
    values: np.ndarray,
    reviews: np.ndarray,
    cover_periods: Sequence[float],
    *,
    window: int,
    observed_only: bool,
) -> np.ndarray:
    """Order-up-to levels (units) of a cover rule: recent average demand × cover.

    Formula: ``S = cover × mean(last window periods)``; ``velocity`` averages the last ``window``
    observed (in-stock) periods, ``days_of_supply`` all of the last ``window`` periods with
    censored ones as zero. Cover and window are in periods of the calendar.

    Parameters
    ----------
    values : ndarray, shape (n_series, n_periods)
        Demand history (units per period, ``NaN`` = censored / not launched).
    reviews : ndarray of int
        Period index of every review.
    cover_periods : sequence of float
        Cover(s) in periods.
    window : int
        Periods averaged.
    observed_only : bool
        ``True`` for the velocity rule (in-stock periods only).

    Returns
    -------
    ndarray, shape (n_covers, n_series, n_reviews)

    Examples
    --------
    Sales 4, 6, censored, 8 before the review at period 4; cover 10 periods:

    >>> v = np.array([[4.0, 6.0, np.nan, 8.0, 0.0]])
    >>> rule_targets(v, np.array([4]), [10], window=3, observed_only=True).ravel().tolist()
    [60.0]
    >>> rule_targets(v, np.array([4]), [10], window=3, observed_only=False).ravel().round(2).tolist()
    [46.67]
    """
    rates = np.stack(
        [_recent_mean(values, int(t), window, observed_only=observed_only) for t in reviews],
        axis=1,
    )
    return np.stack([c * rates for c in cover_periods])
