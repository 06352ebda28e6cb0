"""The inventory simulation engine: a periodic-review order-up-to policy with lost sales.

Vectorised over rows (series × policy parameters): one NumPy step per period for all rows at
once, which is what makes a ``--sweep`` over thousands of series take seconds (see
``bench/inventory_simulation.py``: about 60–160× faster than looping over series). Also the
causal calibration of the ``forecast`` policy's error correlation on shadow runs of the engine.
Timing conventions are in :mod:`forecasting.planning.simulation.replay`. Written by hand: no library
replays periodic-review policies over thousands of series at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from forecasting.planning.simulation import policies as pol


@dataclass
class InventoryPath:
    """Stock path of many simulated rows (units), arrays of shape ``(n_rows, n_periods)``."""

    available: np.ndarray  #: stock after arrivals, before demand
    end_on_hand: np.ndarray  #: stock at the end of the period
    served: np.ndarray  #: units served
    lost: np.ndarray  #: units demanded but not served (lost sales)
    arrivals: np.ndarray  #: units received (the starting stock counts as arriving at the start)
    orders: np.ndarray  #: units ordered
    active: np.ndarray  #: True from each row's start period on


def simulate_order_up_to(
    demand: np.ndarray,
    targets: np.ndarray,
    reviews: np.ndarray,
    lead_time_periods: np.ndarray,
    start: np.ndarray,
) -> InventoryPath:
    """Replay a periodic-review order-up-to policy with lost sales, vectorised over rows.

    Parameters
    ----------
    demand : ndarray, shape (n_rows, n_periods)
        Units demanded per period (finite, ≥ 0).
    targets : ndarray, shape (n_rows, n_reviews)
        Order-up-to level ``S`` (units) of each row at each review.
    reviews : ndarray of int, shape (n_reviews,)
        Period index of each review, ascending.
    lead_time_periods : ndarray of int, shape (n_rows, n_reviews)
        Lead time of the order placed at each review (periods, ≥ 0).
    start : ndarray of int, shape (n_rows,)
        First period of each row; must be a review period (``n_periods`` = never starts).

    Returns
    -------
    InventoryPath

    Examples
    --------
    Constant demand 10 a day, lead time 2, review daily, S = 10 × (2 + 1) = 30: the starting 30
    units run down to 10, then 10 arrive every day and are sold the same day (fill rate 1):

    >>> p = simulate_order_up_to(np.full((1, 6), 10.0), np.full((1, 6), 30.0), np.arange(6),
    ...                          np.full((1, 6), 2), np.array([0]))
    >>> p.available.tolist(), p.end_on_hand.tolist(), float(p.lost.sum())
    ([[30.0, 20.0, 10.0, 10.0, 10.0, 10.0]], [[20.0, 10.0, 0.0, 0.0, 0.0, 0.0]], 0.0)
    """
    demand = np.asarray(demand, float)
    m, n = demand.shape
    reviews = np.asarray(reviews, int)
    lead = np.maximum(np.asarray(lead_time_periods, int), 0)
    start = np.asarray(start, int)
    review_of = _review_of_period(reviews, start, n)
    width = n + (int(lead.max()) if lead.size else 0) + 1
    pipeline = np.zeros((m, width))
    shape = (m, n)
    available, end, served, lost = (np.zeros(shape) for _ in range(4))
    arrivals, orders = np.zeros(shape), np.zeros(shape)
    on_hand = np.zeros(m)
    on_order = np.zeros(m)
    rows = np.arange(m)
    first = int(start.min()) if m else n
    for t in range(first, n):
        due = pipeline[:, t]
        on_hand += due
        on_order -= due
        arrivals[:, t] = due
        k = review_of[t]
        starting = start == t
        if starting.any():
            stock = targets[starting, k]
            on_hand[starting] = stock
            arrivals[starting, t] = stock
        live = start <= t
        if k >= 0:
            want = targets[:, k] - on_hand - on_order
            qty = np.where(live, np.ceil(np.maximum(want, 0.0) - 1e-9), 0.0)
            qty[starting] = 0.0
            orders[:, t] = qty
            at = t + lead[:, k]
            now = at == t
            on_hand += np.where(now, qty, 0.0)
            arrivals[:, t] += np.where(now, qty, 0.0)
            later = ~now & (qty > 0)
            pipeline[rows[later], at[later]] += qty[later]
            on_order += np.where(later, qty, 0.0)
        available[:, t] = np.where(live, on_hand, 0.0)
        sold = np.where(live, np.minimum(on_hand, demand[:, t]), 0.0)
        served[:, t] = sold
        lost[:, t] = np.where(live, demand[:, t] - sold, 0.0)
        on_hand -= sold
        end[:, t] = np.where(live, on_hand, 0.0)
    active = np.arange(n)[None, :] >= start[:, None]
    return InventoryPath(available, end, served, lost, arrivals, orders, active)


def _review_of_period(reviews: np.ndarray, start: np.ndarray, n_periods: int) -> np.ndarray:
    """Index of the review held in each period (-1: none); every row must start on a review.

    Examples
    --------
    >>> _review_of_period(np.array([1, 3]), np.array([1]), 5).tolist()
    [-1, 0, -1, 1, -1]
    """
    review_of = np.full(n_periods, -1)
    review_of[reviews[reviews < n_periods]] = np.flatnonzero(reviews < n_periods)
    if ((start < n_periods) & (review_of[np.minimum(start, n_periods - 1)] < 0)).any():
        raise ValueError("every row must start on a review period")
    return review_of


def calibrate_correlation(
    targets_by_correlation: np.ndarray,
    demand: np.ndarray,
    times: np.ndarray,
    lead_time_periods: np.ndarray,
    start: np.ndarray,
    service_levels: Sequence[float],
    *,
    first_review: int,
    grid: Sequence[float] = pol.CORRELATION_GRID,
) -> tuple[np.ndarray, np.ndarray]:
    """Pick, at every review, the correlation ρ whose shadow run has the fill rate nearest target.

    Every ρ of ``grid`` is replayed as a shadow policy from the earliest of ``times`` (reviews in
    the warm-up included); at review ``t`` the ρ whose shadow runs served a share of the demand
    *before* ``t`` (pooled over series) closest to the service level is used, the smallest ρ on
    ties, the default 0.3 while nothing has been demanded yet. Only the past is used, so the
    choice is causal; it makes the service level a *fill-rate* target. This is an empirical
    calibration of the forecast distribution (Gneiting, Balabdaoui & Raftery 2007,
    "Probabilistic forecasts, calibration and sharpness", JRSS B 69(2)), done on the inventory
    outcome rather than on the quantiles because ordering in whole units and stock left over from
    earlier reviews change the fill rate a quantile implies.

    Parameters
    ----------
    targets_by_correlation : ndarray, shape (n_correlations, n_levels, n_series, n_times)
        Order-up-to levels (units) at each ρ of ``grid``, level and review time.
    demand : ndarray, shape (n_series, n_periods)
        Demand served in the simulation (units).
    times : ndarray of int
        Review periods, warm-up reviews first.
    lead_time_periods : ndarray of int, shape (n_series, n_times)
        Lead time of each order (periods).
    start : ndarray of int, shape (n_series,)
        First period of each series' shadow run (one of ``times``, or ``n_periods`` = never).
    service_levels : sequence of float
        Fill-rate targets.
    first_review : int
        Index in ``times`` of the first review that counts.

    Returns
    -------
    targets : ndarray, shape (n_levels, n_series, n_times − first_review)
    chosen : ndarray, shape (n_levels, n_times − first_review)
        The ρ used at each level and review.
    """
    n_rho, n_levels, n_series, _ = targets_by_correlation.shape
    default = int(np.argmin(np.abs(np.asarray(grid) - pol.DEFAULT_DAILY_CORRELATION)))
    served_cum, demand_cum = [], []
    for c in range(n_rho):  # one shadow run per ρ keeps memory at n_levels × n_series rows
        path = simulate_order_up_to(
            np.tile(demand, (n_levels, 1)),
            targets_by_correlation[c].reshape(n_levels * n_series, -1),
            times,
            np.tile(lead_time_periods, (n_levels, 1)),
            np.tile(start, n_levels),
        )
        served = np.where(path.active, path.served, 0.0).reshape(n_levels, n_series, -1)
        asked = np.where(path.active, path.served + path.lost, 0.0).reshape(n_levels, n_series, -1)
        served_cum.append(np.concatenate([np.zeros((n_levels, 1)), served.sum(1).cumsum(1)], 1))
        demand_cum.append(np.concatenate([np.zeros((n_levels, 1)), asked.sum(1).cumsum(1)], 1))
    served_by, asked_by = np.stack(served_cum), np.stack(demand_cum)  # (rho, level, period + 1)
    reviews = times[first_review:]
    targets = np.zeros((n_levels, n_series, len(reviews)))
    chosen = np.zeros((n_levels, len(reviews)))
    for k, t in enumerate(reviews):
        for i, alpha in enumerate(service_levels):
            asked = asked_by[:, i, t]
            c = default
            if asked.min() > 0:
                c = int(np.argmin(np.abs(served_by[:, i, t] / asked - alpha)))
            targets[i, :, k] = targets_by_correlation[c, i, :, first_review + k]
            chosen[i, k] = grid[c]
    return targets, chosen
