"""Quantile calibration on backtest residuals.

A model's own intervals are often off: Poisson quantiles are too narrow for lumpy demand, Gaussian
ETS intervals too wide at long horizons. We correct them with what the backtest saw. For each model,
group of series (demand class) and horizon bucket, quantile level ``q`` gets an affine correction of
its offset from the mean forecast::

    Q'_q = μ + s_q · (Q_q − μ) + a_q · μ̄

where ``μ`` is the period's mean forecast, ``μ̄`` the series' mean forecast over the horizon (so the
shift scales with the level of the series), and ``(s_q, a_q)`` minimise the pinball loss of ``Q'_q``
on the backtest (a grid search; ``s=1, a=0`` leaves the model unchanged, and is kept unless the
correction lowers the loss by at least :data:`MIN_GAIN`). Quantiles are then sorted (monotone
rearrangement: Chernozhukov, Fernández-Val & Galichon 2010, *Quantile and probability curves without
crossing*, Econometrica 78(3), which never increases the pinball loss) and clipped at 0.

What it is, and what it is not: a grid search for the pinball-loss-minimising ``(s, a)`` on the
backtest residuals (81 candidates per level, group and bucket). It is *not* split-conformal
prediction (Romano, Patterson & Candès 2019, *Conformalized quantile regression*, NeurIPS): it
uses no exchangeable calibration split and no conformity-score quantile, so it carries no
finite-sample coverage guarantee. Coverage is only as good as the backtest windows are like the
future; it is measured, not promised (``bench/README.md`` reports p10/p90 coverage). Every level,
not only the band edges, is corrected. Written here because no installed library calibrates a set
of quantile paths from rolling-origin residuals.

No look-ahead: inside the backtest, window ``k`` is corrected only with windows whose actuals
precede its cutoff (:func:`calibrate_as_of_cutoffs`); the forecast is corrected with all windows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: grid of offset scales s
SCALES = np.array([0.0, 0.4, 0.7, 0.85, 1.0, 1.2, 1.5, 2.0, 3.0])
#: grid of level shifts a (fraction of the series' mean forecast)
SHIFTS = np.array([-0.5, -0.3, -0.15, -0.07, 0.0, 0.07, 0.15, 0.3, 0.6])
#: a correction is kept only when it lowers the backtest pinball loss by this share
MIN_GAIN = 0.01
#: fewest backtest points of a group to fit its own correction (else the model's pooled one)
MIN_ROWS = 200
#: most backtest points used per fit (an evenly spaced subsample beyond; bounds memory and time)
MAX_ROWS = 3_000
#: horizon buckets (thirds of the horizon)
N_BUCKETS = 3


@dataclass(frozen=True)
class Calibration:
    """Fitted corrections of one model.

    Attributes
    ----------
    scale : ndarray, shape (n_groups, n_buckets, n_q)
        Offset scale ``s`` per group × horizon bucket × quantile.
    shift : ndarray, shape (n_groups, n_buckets, n_q)
        Level shift ``a`` (fraction of the mean forecast).
    groups : tuple of str
        Group labels (e.g. demand classes) in the order of the first axis.
    """

    scale: np.ndarray
    shift: np.ndarray
    groups: tuple[str, ...]

    @property
    def is_identity(self) -> bool:
        """True when no correction changes anything."""
        return bool(np.all(self.scale == 1.0) and np.all(self.shift == 0.0))


def horizon_bucket(horizon: int) -> np.ndarray:
    """Bucket (0 … N_BUCKETS−1) of each step ``0 … horizon−1``: thirds of the horizon."""
    return np.minimum(np.arange(horizon) * N_BUCKETS // max(horizon, 1), N_BUCKETS - 1)


def _apply(mean: np.ndarray, qs: np.ndarray, s: np.ndarray, a: np.ndarray) -> np.ndarray:
    level = np.nanmean(mean, axis=-1, keepdims=True)
    return mean[..., None] + s * (qs - mean[..., None]) + a * level[..., None]


def _fit_one(
    y: np.ndarray, mean: np.ndarray, q: np.ndarray, level: np.ndarray, tau: float
) -> tuple[float, float]:
    """Best (s, a) for one quantile level on flat arrays (NaN actuals already removed)."""
    if y.size > MAX_ROWS:
        keep = np.linspace(0, y.size - 1, MAX_ROWS).astype(int)
        y, mean, q, level = y[keep], mean[keep], q[keep], level[keep]
    base = mean[:, None, None] + SCALES[None, :, None] * (q - mean)[:, None, None]
    cand = np.maximum(base + SHIFTS[None, None, :] * level[:, None, None], 0.0)
    diff = y[:, None, None] - cand
    loss = np.maximum(tau * diff, (tau - 1.0) * diff).sum(axis=0)
    i0, j0 = int(np.flatnonzero(SCALES == 1.0)[0]), int(np.flatnonzero(SHIFTS == 0.0)[0])
    i, j = np.unravel_index(int(np.argmin(loss)), loss.shape)
    if loss[i, j] > (1.0 - MIN_GAIN) * loss[i0, j0]:
        return 1.0, 0.0
    return float(SCALES[i]), float(SHIFTS[j])


def _fit_group(fits, label, groups, cols, actual, mean, quantile_forecasts, level, quantiles):  # noqa: ANN001
    """(s, a) per quantile of one group (``None`` = all series) and bucket; memoised in ``fits``."""
    if label in fits:
        return fits[label]
    rows = np.ones(len(groups), bool) if label is None else groups == label
    y = actual[:, rows][..., cols]
    ok = np.isfinite(y)
    if ok.sum() < MIN_ROWS:
        fits[label] = None
        return None
    y, m, lv = y[ok], mean[:, rows][..., cols][ok], level[:, rows][..., cols][ok]
    qf = quantile_forecasts[:, rows][..., cols, :][ok]
    res = np.array([_fit_one(y, m, qf[:, k], lv, tau) for k, tau in enumerate(quantiles)])
    fits[label] = (res[:, 0], res[:, 1])
    return fits[label]


def fit_calibration(
    actual: np.ndarray,
    mean: np.ndarray,
    quantile_forecasts: np.ndarray,
    quantiles: Sequence[float],
    groups: np.ndarray | None = None,
) -> Calibration:
    """Fit the corrections of one model on its backtest.

    Parameters
    ----------
    actual : ndarray, shape (n_windows, n_series, horizon)
        Actual demand (units; NaN = unknown).
    mean : ndarray, shape (n_windows, n_series, horizon)
        Backtest mean forecasts (units).
    quantile_forecasts : ndarray, shape (n_windows, n_series, horizon, n_q)
        Backtest quantile forecasts (units).
    quantiles : sequence of float
        Quantile levels.
    groups : ndarray of str, shape (n_series,), optional
        Group of every series (demand class); one pooled group when omitted.

    Returns
    -------
    Calibration
    """
    n_w, n_s, h = actual.shape
    n_q = len(quantiles)
    groups = np.full(n_s, "all") if groups is None else np.asarray(groups).astype(str)
    labels = tuple(sorted(set(groups.tolist())))
    bucket = horizon_bucket(h)
    level = np.broadcast_to(np.nanmean(mean, axis=-1, keepdims=True), mean.shape)
    scale = np.ones((len(labels), N_BUCKETS, n_q))
    shift = np.zeros((len(labels), N_BUCKETS, n_q))
    for b in range(N_BUCKETS):
        cols = bucket == b
        if not cols.any():
            continue
        fits: dict[str | None, tuple[np.ndarray, np.ndarray] | None] = {}
        for g, label in enumerate(labels):
            got = _fit_group(fits, label, groups, cols, actual, mean, quantile_forecasts, level,
                             quantiles)  # fmt: skip
            if got is None:
                got = _fit_group(fits, None, groups, cols, actual, mean, quantile_forecasts,
                                 level, quantiles)  # fmt: skip
            if got is not None:
                scale[g, b], shift[g, b] = got
    return Calibration(scale=scale, shift=shift, groups=labels)


def apply_calibration(
    calibration: Calibration,
    mean: np.ndarray,
    quantile_forecasts: np.ndarray,
    groups: np.ndarray | None = None,
) -> np.ndarray:
    """Corrected quantiles, monotone in the level and ≥ 0.

    Parameters
    ----------
    calibration : Calibration
        From :func:`fit_calibration`.
    mean : ndarray, shape (..., n_series, horizon)
        Mean forecasts (units).
    quantile_forecasts : ndarray, shape (..., n_series, horizon, n_q)
        Quantile forecasts (units).
    groups : ndarray of str, shape (n_series,), optional
        Group of every series; unknown groups get no correction.

    Returns
    -------
    ndarray
        Same shape as ``quantile_forecasts``.
    """
    n_s, h = mean.shape[-2:]
    groups = np.full(n_s, "all") if groups is None else np.asarray(groups).astype(str)
    index = {g: i for i, g in enumerate(calibration.groups)}
    gi = np.array([index.get(g, -1) for g in groups])
    bucket = horizon_bucket(h)
    s = np.where(gi[:, None, None] >= 0, calibration.scale[gi][:, bucket], 1.0)
    a = np.where(gi[:, None, None] >= 0, calibration.shift[gi][:, bucket], 0.0)
    out = _apply(mean, quantile_forecasts, s, a)
    return np.sort(np.clip(out, 0.0, None), axis=-1)


def calibrate_as_of_cutoffs(
    actual: np.ndarray,
    mean: np.ndarray,
    quantile_forecasts: np.ndarray,
    quantiles: Sequence[float],
    cutoffs: Sequence[int],
    groups_at: Sequence[np.ndarray | None],
) -> tuple[np.ndarray, list[Calibration | None]]:
    """Backtest quantiles corrected with what was known at each window's cutoff.

    Window ``k`` is corrected with a calibration fitted only on the earlier windows whose actuals
    all lie before its cutoff (``cutoff_j + horizon <= cutoff_k``), grouped by the demand classes
    of that moment (``groups_at[k]``). A window without such an earlier window keeps the model's
    own quantiles. So the calibrated forecast of a cutoff never depends on demand after it (the
    leave-one-window-out cross-fitting used before calibrated old windows with later ones).

    Parameters
    ----------
    actual, mean : ndarray, shape (n_windows, n_series, horizon)
        Actual demand and backtest mean forecasts (units; NaN actual = unknown).
    quantile_forecasts : ndarray, shape (n_windows, n_series, horizon, n_q)
        Backtest quantile forecasts (units).
    quantiles : sequence of float
        Quantile levels.
    cutoffs : sequence of int
        Training length of every window (periods), oldest first.
    groups_at : sequence of ndarray of str or None
        Group (demand class) of every series as known at each cutoff.

    Returns
    -------
    calibrated : ndarray
        Same shape as ``quantile_forecasts``.
    used : list of Calibration or None
        The calibration applied to each window (``None``: none, the model's own quantiles).
    """
    n_w, _, h = actual.shape
    out = np.array(quantile_forecasts, dtype=float, copy=True)
    used: list[Calibration | None] = []
    for k in range(n_w):
        known = np.array([int(cutoffs[j]) + h <= int(cutoffs[k]) for j in range(n_w)])
        if not known.any():
            used.append(None)
            continue
        cal = fit_calibration(
            actual[known], mean[known], quantile_forecasts[known], quantiles, groups_at[k]
        )
        out[k] = apply_calibration(cal, mean[k], quantile_forecasts[k], groups_at[k])
        used.append(cal)
    return out, used
