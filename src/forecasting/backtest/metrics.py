"""Forecast accuracy metrics: pinball loss, WQL, MASE, RMSSE, bias and interval coverage.

All functions work on arrays of shape ``(..., horizon)`` (quantiles on a trailing axis) and ignore
``NaN`` actuals (censored or not yet launched periods). Written by hand because they are a few lines
of numpy each and must handle ``NaN`` and the scaling conventions of the published benchmarks
exactly (statsforecast's ``utilsforecast.losses`` is an optional bench dependency only).

References
----------
Hyndman, R. J. & Koehler, A. B. (2006). Another look at measures of forecast accuracy.
International Journal of Forecasting 22(4), 679–688 (MASE).
Makridakis, S., Spiliotis, E. & Assimakopoulos, V. (2022). M5 accuracy competition. IJF 38(4)
(RMSSE). Gneiting, T. & Raftery, A. E. (2007). Strictly proper scoring rules. JASA 102 (pinball).
Ansari, A. F. et al. (2024). Chronos: learning the language of time series (WQL as used here).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np


def pinball_loss(actual: np.ndarray, predicted: np.ndarray, quantile: float) -> np.ndarray:
    """Pinball (quantile) loss of each forecast, in units.

    ``ρ_q(y, ŷ) = q·(y − ŷ)`` if ``y ≥ ŷ`` else ``(1 − q)·(ŷ − y)``.

    Examples
    --------
    >>> pinball_loss(np.array([10.0, 10.0]), np.array([8.0, 13.0]), 0.9).round(6).tolist()
    [1.8, 0.3]
    """
    diff = np.asarray(actual, float) - np.asarray(predicted, float)
    return np.maximum(quantile * diff, (quantile - 1.0) * diff)


def quantile_loss_sum(
    actual: np.ndarray, quantile_forecasts: np.ndarray, quantiles: Sequence[float]
) -> np.ndarray:
    """Σ over the horizon of pinball loss per quantile; shape ``actual.shape[:-1] + (n_q,)``.

    ``actual`` has shape ``(..., h)``, ``quantile_forecasts`` ``(..., h, n_q)``; NaN actuals skip.
    """
    y = np.asarray(actual, float)[..., None]
    q = np.asarray(quantiles, float)
    loss = pinball_loss(y, quantile_forecasts, q)  # broadcast q over the last axis
    return np.nansum(np.where(np.isnan(y), np.nan, loss), axis=-2)


def wql(actual: np.ndarray, quantile_forecasts: np.ndarray, quantiles: Sequence[float]) -> float:
    """Weighted quantile loss pooled over everything given (a data set or one series).

    ``WQL = mean_q [ Σ 2·ρ_q(y, ŷ_q) / Σ |y| ]`` (Chronos benchmark definition); NaN when Σ|y| = 0.
    A forecast of all zeros scores exactly 1.

    Examples
    --------
    >>> y = np.array([[0.0, 4.0]])
    >>> f = np.array([[[0.0, 1.0], [2.0, 5.0]]])  # quantiles 0.1 and 0.9
    >>> round(wql(y, f, [0.1, 0.9]), 6)  # q=0.1: 2·0.1·2/4; q=0.9: 2·(0.1·1 + 0.1·1)/4
    0.1
    """
    y = np.asarray(actual, float)
    denom = np.nansum(np.abs(y))
    if denom == 0:
        return float("nan")
    per_q = quantile_loss_sum(y, quantile_forecasts, quantiles)
    per_q = per_q.reshape(-1, len(quantiles)).sum(axis=0)
    return float(np.mean(2.0 * per_q / denom))


def seasonal_naive_scale(insample: np.ndarray, season_length: int, power: int = 1) -> np.ndarray:
    """Mean |y_t − y_{t−m}|^power over the in-sample part, per series (NaN pairs skipped).

    Falls back to ``m = 1`` for series with no complete seasonal pair. ``power=1`` is the MASE
    scale, ``power=2`` the RMSSE scale (before the square root).
    """
    x = np.atleast_2d(np.asarray(insample, float))
    out = np.full(x.shape[0], np.nan)
    for m in (season_length, 1):
        if x.shape[1] <= m:
            continue
        d = np.abs(x[:, m:] - x[:, :-m]) ** power
        n = np.sum(~np.isnan(d), axis=1)
        with np.errstate(invalid="ignore"):
            s = np.nansum(d, axis=1) / np.where(n > 0, n, np.nan)
        out = np.where(np.isnan(out), s, out)
    return out


def mase(
    actual: np.ndarray, point: np.ndarray, insample: np.ndarray, season_length: int
) -> np.ndarray:
    """Mean absolute scaled error per series (rows); NaN where the scale is 0 or undefined.

    ``MASE = mean_t |y_t − ŷ_t| / mean_t |y_t − y_{t−m}|_in-sample``.

    Examples
    --------
    >>> mase(np.array([[3.0, 5.0]]), np.array([[4.0, 4.0]]), np.array([[1.0, 2.0, 4.0]]), 1)
    array([0.66666667])
    """
    scale = seasonal_naive_scale(insample, season_length, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows give NaN
        err = np.nanmean(np.abs(np.atleast_2d(actual) - np.atleast_2d(point)), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(scale > 0, err / scale, np.nan)


def rmsse(
    actual: np.ndarray, point: np.ndarray, insample: np.ndarray, season_length: int
) -> np.ndarray:
    """Root mean squared scaled error per series; NaN where the scale is 0 or undefined.

    ``RMSSE = sqrt( mean_t (y_t − ŷ_t)² / mean_t (y_t − y_{t−m})²_in-sample )`` (M5 uses m = 1;
    here the same seasonal lag as MASE).
    """
    scale = seasonal_naive_scale(insample, season_length, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows give NaN
        err = np.nanmean((np.atleast_2d(actual) - np.atleast_2d(point)) ** 2, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(scale > 0, np.sqrt(err / scale), np.nan)


def bias(actual: np.ndarray, point: np.ndarray) -> np.ndarray:
    """Relative bias per series: ``Σ(ŷ − y) / Σ y`` (> 0 over-forecast); NaN where Σ y = 0."""
    y = np.atleast_2d(np.asarray(actual, float))
    e = np.where(np.isnan(y), np.nan, np.atleast_2d(point) - y)
    den = np.nansum(y, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, np.nansum(e, axis=1) / den, np.nan)


def coverage(actual: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Share of actuals inside ``[lower, upper]`` per series (rows); NaN where no actual."""
    y = np.atleast_2d(np.asarray(actual, float))
    inside = (y >= lower) & (y <= upper)
    n = np.sum(~np.isnan(y), axis=1)
    with np.errstate(invalid="ignore"):
        return np.where(n > 0, np.sum(inside & ~np.isnan(y), axis=1) / np.maximum(n, 1), np.nan)
