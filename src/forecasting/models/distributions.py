"""Shared pieces of every model: history clean-up, predictive distributions, output assembly.

Everything here is vectorised over the rows of a ``(n_series, n_periods)`` array (NumPy / SciPy,
no Python loop per series), so the intermittent-demand models and the baselines forecast thousands
of series in milliseconds.

Count distributions: demand is a count of units, so the intermittent models turn a forecast rate
(units per period) into quantiles with a negative binomial (NB2: variance ``mu + mu**2 / size``;
Poisson is the limit ``size → ∞``). The dispersion comes from the model's own one-step-ahead
in-sample errors, per series, shrunk towards the pooled value of the batch (a method-of-moments
empirical-Bayes estimate), because twenty-odd months of mostly-zero history do not pin down a
per-series dispersion. On the carparts benchmark this beats Poisson quantiles by a wide margin
(TSB: WQL 0.878 against 0.952; see ``bench/README.md``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats

from forecasting.errors import InputError
from forecasting.models.base import ForecastArrays

#: Smallest rate (units per period) handed to SciPy's count distributions, to avoid 0/0.
_MIN_RATE = 1e-9
#: Negative-binomial size used where a series shows no over-dispersion (≈ Poisson).
POISSON_SIZE = 1e6


def check_request(values: np.ndarray, horizon: int, quantiles: Sequence[float]) -> np.ndarray:
    """Validate a forecast request and return the quantile levels as an array.

    Parameters
    ----------
    values : ndarray, shape (n_series, n_periods)
        History in units per period.
    horizon : int
        Number of future periods (≥ 1).
    quantiles : sequence of float
        Quantile levels, strictly inside (0, 1) and ascending.

    Returns
    -------
    ndarray of float
        The quantile levels.
    """
    if values.ndim != 2:
        raise InputError(f"history must be a 2-D array (series × periods), got {values.ndim}-D")
    if int(horizon) < 1:
        raise InputError(f"forecast horizon must be at least 1 period, got {horizon}")
    levels = np.asarray(quantiles, dtype=float)
    if levels.ndim != 1 or levels.size == 0:
        raise InputError("at least one quantile level is required")
    if np.any((levels <= 0) | (levels >= 1)) or np.any(np.diff(levels) <= 0):
        raise InputError(f"quantile levels must be ascending and inside (0, 1), got {list(levels)}")
    if np.any(np.asarray(values)[np.isfinite(values)] < 0):
        raise InputError("demand history contains negative units")
    return levels


def observed_mask(values: np.ndarray) -> np.ndarray:
    """Boolean mask of the periods with a known demand (not ``NaN``).

    Leading ``NaN`` (before launch) and interior ``NaN`` (censored / unknown) are both ``False``;
    models skip those periods, they never read them as zero demand.
    """
    return np.isfinite(values)


def recent_observed(values: np.ndarray, window: int) -> np.ndarray:
    """The last ``window`` *observed* values of each row, right-aligned, ``NaN``-padded.

    Censored periods are skipped, so a series with stockouts still contributes ``window`` real
    observations where it has them.

    Examples
    --------
    >>> recent_observed(np.array([[1.0, np.nan, 3.0, 4.0], [np.nan, np.nan, np.nan, 2.0]]), 2)
    array([[ 3.,  4.],
           [nan,  2.]])
    """
    columns = recent_observed_columns(values, window)
    rows = np.arange(values.shape[0])[:, None]
    return np.where(columns >= 0, values[rows, np.maximum(columns, 0)], np.nan)


def recent_observed_columns(values: np.ndarray, window: int) -> np.ndarray:
    """Column positions of :func:`recent_observed`'s values (``-1`` where padded).

    Examples
    --------
    >>> recent_observed_columns(np.array([[1.0, np.nan, 3.0, 4.0], [np.nan] * 3 + [2.0]]), 2)
    array([[ 2,  3],
           [-1,  3]])
    """
    n, t = values.shape
    obs = observed_mask(values)
    # stable sort: observed periods keep their order and move to the right end of the row
    order = np.argsort(obs, axis=1, kind="stable")
    columns = np.where(np.take_along_axis(obs, order, axis=1), order, -1)[:, max(t - window, 0) :]
    if columns.shape[1] < window:
        columns = np.concatenate([np.full((n, window - columns.shape[1]), -1), columns], axis=1)
    return columns


def weighted_quantiles(
    values: np.ndarray, levels: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    """Quantiles of each row's (weighted) empirical distribution, ignoring ``NaN``.

    The quantile at level ``q`` is the smallest observed value whose cumulative weight reaches
    ``q`` (the inverse of the empirical CDF, Hyndman & Fan 1996 type 1), so quantiles of integer
    demand stay integers. Rows with no observation give ``NaN``.

    Parameters
    ----------
    values : ndarray, shape (n_series, n_periods)
        Demand in units; ``NaN`` ignored.
    levels : ndarray, shape (n_quantiles,)
        Quantile levels in (0, 1).
    weights : ndarray, shape (n_periods,), optional
        Non-negative weight of each period (e.g. exponential decay); equal weights if omitted.

    Returns
    -------
    ndarray, shape (n_series, n_quantiles)

    Examples
    --------
    >>> weighted_quantiles(np.array([[0.0, 0.0, 1.0, 5.0, np.nan]]), np.array([0.1, 0.5, 0.9]))
    array([[0., 0., 5.]])
    """
    n, t = values.shape
    w = np.ones(t) if weights is None else np.asarray(weights, dtype=float)
    w_rows = np.where(np.isfinite(values), w[None, :], 0.0)
    total = w_rows.sum(axis=1, keepdims=True)
    order = np.argsort(np.where(np.isfinite(values), values, np.inf), axis=1, kind="stable")
    sorted_values = np.take_along_axis(values, order, axis=1)
    cum = np.cumsum(np.take_along_axis(w_rows, order, axis=1), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cdf = cum / total
    # index of the first value whose CDF reaches q (tolerance against rounding of the cumsum)
    idx = (cdf[:, :, None] < levels[None, None, :] - 1e-12).sum(axis=1)
    idx = np.minimum(idx, t - 1)
    out = np.take_along_axis(sorted_values, idx, axis=1)
    out[total[:, 0] <= 0] = np.nan
    return out


def negative_binomial_quantiles(
    rate: np.ndarray, size: np.ndarray | float, levels: np.ndarray
) -> np.ndarray:
    """Quantiles of a negative binomial count with mean ``rate`` and size ``size`` (NB2).

    ``Var = rate + rate**2 / size``; a large ``size`` gives Poisson quantiles.

    Parameters
    ----------
    rate : ndarray, shape (n_series,)
        Mean demand per period (units).
    size : ndarray or float
        Dispersion ("number of successes") per series, > 0.
    levels : ndarray, shape (n_quantiles,)

    Returns
    -------
    ndarray, shape (n_series, n_quantiles), integer-valued units.

    Examples
    --------
    >>> negative_binomial_quantiles(np.array([5.0]), POISSON_SIZE, np.array([0.1, 0.5, 0.9]))
    array([[2., 5., 8.]])
    """
    mu = np.maximum(np.asarray(rate, dtype=float), _MIN_RATE)
    k = np.broadcast_to(np.asarray(size, dtype=float), mu.shape)
    q = stats.nbinom.ppf(levels[None, :], k[:, None], (k / (k + mu))[:, None])
    return np.where(np.asarray(rate)[:, None] > _MIN_RATE, q, 0.0)


def dispersion_from_errors(
    actual: np.ndarray, fitted: np.ndarray, shrinkage: float = 5.0
) -> np.ndarray:
    """Negative-binomial size per series from one-step-ahead in-sample errors.

    Method of moments on ``E[(y - mu)^2] = mu + mu^2 / size``, pooled over the periods of each
    series, then shrunk towards the batch's pooled estimate with the weight of ``shrinkage``
    average series::

        1/size_i = (sum_t (e_t^2 - mu_t) + s * D * c) / (sum_t mu_t^2 + s * D)

    where ``c`` is the pooled ``1/size``, ``D`` the mean over series of ``sum_t mu_t^2`` and ``s``
    the shrinkage (an empirical-Bayes compromise; Cameron & Trivedi 2013, *Regression Analysis of
    Count Data*, §3.2 for the moment estimator).

    Parameters
    ----------
    actual, fitted : ndarray, shape (n_series, n_periods)
        Observed demand and the one-step-ahead forecast made before it (units); ``NaN`` skipped.
    shrinkage : float
        Prior weight, in numbers of average series, of the pooled dispersion.

    Returns
    -------
    ndarray, shape (n_series,)
        Size parameter, between 0.05 (very lumpy) and :data:`POISSON_SIZE` (Poisson).
    """
    ok = np.isfinite(actual) & np.isfinite(fitted)
    err2 = np.where(ok, (actual - fitted) ** 2 - fitted, 0.0)
    mu2 = np.where(ok, fitted**2, 0.0)
    num, den = err2.sum(axis=1), mu2.sum(axis=1)
    pooled = max(float(num.sum()), 0.0) / max(float(den.sum()), _MIN_RATE)
    prior = shrinkage * max(float(den.mean()) if den.size else 0.0, _MIN_RATE)
    inv_size = np.clip((num + prior * pooled) / (den + prior), 1.0 / POISSON_SIZE, 20.0)
    return 1.0 / inv_size


def use_seasonal_profile(seasonal: bool | str, season_length: int) -> bool:
    """Whether the vectorised models apply a seasonal profile.

    ``"auto"`` means a weekday profile on daily calendars only (``season_length == 7``): weekday
    patterns are strong and estimated from many cycles (on the online-retail benchmark the moving
    average goes from WQL 0.68 to 0.62), whereas a monthly profile from two or three years is mostly
    noise for slow movers (carparts: TSB from WQL 0.878 to 0.89–0.94).
    """
    if seasonal == "auto":
        return season_length == 7
    return bool(seasonal) and season_length > 1


def use_drift(drift: bool | str, season_length: int) -> bool:
    """Whether a flat-rate model multiplies its rate by the pooled drift (:func:`pooled_drift`).

    ``"auto"`` means on every calendar coarser than daily (``season_length != 7``). Decided on
    the benchmarks' training data only: on carparts (monthly) the drift lowered the Poisson–gamma
    model's WQL on both training windows (0.855 → 0.848, 0.872 → 0.871); on online retail (daily,
    30 products, where a week's movement is mostly noise and promotions) it raised it on both
    (0.670 → 0.675, 0.750 → 0.766 with a 7-day window).
    """
    if drift == "auto":
        return season_length != 7
    return bool(drift)


def default_cycles(season_length: int) -> int:
    """Seasons of history for :func:`seasonal_index`: 26 weeks for weekdays, else 3 seasons."""
    return 26 if season_length == 7 else 3


def seasonal_index(
    values: np.ndarray, season_length: int, cycles: int, shrinkage: float = 1.0
) -> np.ndarray:
    """Multiplicative seasonal index of each series over its last ``cycles`` seasons.

    ``index[k]`` = mean observed demand at season position ``k`` / mean observed demand, shrunk
    towards 1 with the weight of ``shrinkage`` observations (``(i_k n_k + s) / (n_k + s)``) and
    rescaled to average 1 (the classical ratio-to-mean index; Makridakis, Wheelwright & Hyndman
    1998, *Forecasting: Methods and Applications*, §4/2). Position ``k`` of period ``t`` is
    ``t mod season_length`` counted from the first column of ``values``. ``NaN`` are skipped;
    series without demand get an index of 1.

    Parameters
    ----------
    values : ndarray, shape (n_series, n_periods)
        Demand (units per period).
    season_length : int
        Periods per season (7 for weekdays).
    cycles : int
        Seasons of history used.
    shrinkage : float
        Prior weight (observations) of "no seasonality".

    Returns
    -------
    ndarray, shape (n_series, season_length)

    Examples
    --------
    >>> seasonal_index(np.array([[2.0, 0, 2, 0]]), 2, cycles=2, shrinkage=0.0)
    array([[2., 0.]])
    """
    n, t = values.shape
    m = int(season_length)
    span = min(t, int(cycles) * m)
    window = values[:, t - span :]
    position = np.arange(t - span, t) % m
    obs = np.isfinite(window)
    x = np.where(obs, window, 0.0)
    onehot = (position[:, None] == np.arange(m)[None, :]).astype(float)  # (span, m)
    sums, counts = x @ onehot, obs.astype(float) @ onehot
    overall = sums.sum(axis=1) / np.maximum(counts.sum(axis=1), 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = (sums / np.maximum(counts, 1.0)) / overall[:, None]
    raw = np.where((counts > 0) & (overall[:, None] > 0), raw, 1.0)
    index = (raw * counts + shrinkage) / np.maximum(counts + shrinkage, 1e-12)
    return index / index.mean(axis=1, keepdims=True)


def seasonal_count_forecast(
    rate: np.ndarray,
    size: np.ndarray | float,
    index: np.ndarray | None,
    first_position: int,
    horizon: int,
    levels: np.ndarray,
    drift: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Negative-binomial forecast whose mean follows a seasonal index and a drift over the lead.

    Period ``h`` (1-based) of the horizon has mean
    ``rate * index[(first_position + h - 1) mod m] * drift[h - 1]`` and the series' size;
    quantiles are computed once per distinct (season position, drift) pair, the drift rounded to
    :data:`DRIFT_STEP` so a long daily horizon needs a few dozen SciPy calls, not one per day.

    Parameters
    ----------
    rate : ndarray, shape (n_series,)
        Flat demand rate (units per period).
    size : ndarray or float
        Negative-binomial size per series.
    index : ndarray, shape (n_series, m), or None
        Seasonal index (``None``: no seasonality, ``m = 1``).
    first_position : int
        Season position of the first forecast period.
    horizon : int
        Periods ahead.
    levels : ndarray
        Quantile levels.
    drift : ndarray, shape (horizon,), optional
        Multiplier of the rate per lead (:func:`pooled_drift`); ``None`` = 1.

    Returns
    -------
    mean : ndarray, shape (n_series, horizon)
    quantiles : ndarray, shape (n_series, horizon, n_quantiles)
    """
    if index is None:
        index = np.ones((len(rate), 1))
    m = index.shape[1]
    positions = (first_position + np.arange(horizon)) % m
    factor = np.ones(horizon) if drift is None else quantise_drift(drift)
    steps = np.rint(factor / DRIFT_STEP).astype(int)
    keys = list(zip(positions.tolist(), steps.tolist(), strict=True))
    mean = rate[:, None] * index[:, positions] * factor[None, :]
    per_key: dict[tuple[int, int], np.ndarray] = {}
    for j, key in enumerate(keys):
        if key not in per_key:
            per_key[key] = negative_binomial_quantiles(
                rate * index[:, key[0]] * factor[j], size, levels
            )
    quantiles = np.stack([per_key[key] for key in keys], axis=1)
    return mean, quantiles


#: Resolution of the drift multiplier when computing count quantiles (0.5 % of the rate).
DRIFT_STEP = 0.005


def quantise_drift(drift: np.ndarray) -> np.ndarray:
    """Drift multipliers rounded to :data:`DRIFT_STEP`, at least one step (dimensionless).

    >>> quantise_drift(np.array([1.0, 0.9012, 0.001])).round(3).tolist()
    [1.0, 0.9, 0.005]
    """
    return np.maximum(np.rint(np.asarray(drift, dtype=float) / DRIFT_STEP), 1) * DRIFT_STEP


def pooled_drift(
    actual: np.ndarray,
    fitted: np.ndarray,
    horizon: int,
    window: int,
    profile: np.ndarray | None = None,
    shrinkage: float = 5.0,
    bounds: tuple[float, float] = (0.5, 2.0),
) -> np.ndarray:
    """Drift of a flat rate forecast over the lead, pooled over the batch (dimensionless).

    A flat rate (TSB, Poisson–gamma, …) assumes demand stays where it is. When the series of a
    batch share a movement — spare parts fading as their cars age, a catalogue growing — the
    flat rate made ``k`` periods ago is off by a common factor. For each lead ``k`` it is
    measured on the batch's own history, over the ``window`` most recent target periods::

        drift_k = (sum_{i,t} y[i, t] + c) / (sum_{i,t} f[i, t - k + 1] * s[i, t] + c)

    ``f[i, o]`` being the rate known before period ``o`` (the one-step in-sample forecast, also
    the flat ``k``-step forecast made at that origin), ``s[i, t]`` the seasonal profile at the
    target period (1 without one) and ``c`` the demand of ``shrinkage`` average series, which
    pulls the factor towards 1 when the batch is small. A lead longer than the history allows
    keeps the last measured factor. Factors are clipped to ``bounds``. This is a pooled
    (global) horizon-specific bias correction of a local model (Montero-Manso & Hyndman 2021,
    *Principles and algorithms for forecasting groups of time series: locality and globality*,
    IJF 37(4)); the decline it corrects on spare parts is the obsolescence of Teunter, Syntetos
    & Babai (2011). On carparts (Poisson–gamma rate, no calibration) WQL forecasting months
    16–27 / 28–39 of the training data: 0.855 → 0.848 / 0.872 → 0.871 (``bench/README.md``).

    Parameters
    ----------
    actual : ndarray, shape (n_series, n_periods)
        Demand (units per period); ``NaN`` skipped.
    fitted : ndarray, shape (n_series, n_periods)
        Rate known before each period (units per period, without seasonal profile); ``NaN``
        skipped.
    horizon : int
        Leads 1 … ``horizon``.
    window : int
        Number of most recent periods used as targets for every lead.
    profile : ndarray, shape (n_series, n_periods), optional
        Seasonal multiplier of each period (``None`` = 1).
    shrinkage : float
        Prior weight, in average series, of "no drift".
    bounds : (float, float)
        Lowest and highest factor.

    Returns
    -------
    ndarray, shape (horizon,)
        Multiplier of the rate per lead.

    Examples
    --------
    Two series whose demand halved three periods ago; the rate known before each period lags:

    >>> y = np.array([[2.0, 2, 2, 1, 1, 1], [4, 4, 4, 2, 2, 2]])
    >>> f = np.array([[np.nan, 2, 2, 2, 1.5, 1.2], [np.nan, 4, 4, 4, 3, 2.4]])
    >>> np.round(pooled_drift(y, f, horizon=2, window=2, shrinkage=0.0), 3)
    array([0.741, 0.571])
    """
    y = np.asarray(actual, dtype=float)
    f = np.asarray(fitted, dtype=float)
    scale = None if profile is None else np.asarray(profile, dtype=float)
    n = y.shape[0]
    out = np.ones(horizon)
    last = 1.0
    mean_level = None
    for k in range(1, horizon + 1):
        num, den = _lead_sums(y, f, scale, k, window)
        if den <= 0:  # nothing measured at this lead: keep the last factor
            out[k - 1] = last
            continue
        if mean_level is None:
            mean_level = den / max(n, 1)
        c = shrinkage * mean_level
        last = float(np.clip((num + c) / (den + c), *bounds))
        out[k - 1] = last
    return out


def _lead_sums(
    y: np.ndarray, f: np.ndarray, scale: np.ndarray | None, k: int, window: int
) -> tuple[float, float]:
    """Demand and the flat forecast made ``k`` periods earlier, summed over the target window.

    Targets are the ``window`` most recent periods from period ``k - 1`` on; pairs with a
    ``NaN`` are skipped. Returns ``(0, 0)`` when no pair is left (units).
    """
    t = y.shape[1]
    first = max(k - 1, t - window)
    if first >= t:
        return 0.0, 0.0
    target = y[:, first:t]
    origin = f[:, first - k + 1 : t - k + 1]
    if scale is not None:
        origin = origin * scale[:, first:t]
    ok = np.isfinite(target) & np.isfinite(origin)
    if not ok.any():
        return 0.0, 0.0
    return float(target[ok].sum()), float(origin[ok].sum())


def normal_quantiles(mean: np.ndarray, sd: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Gaussian quantiles ``mean + z_q * sd`` along a new last axis (units, not yet clipped)."""
    z = stats.norm.ppf(levels)
    return np.asarray(mean)[..., None] + np.asarray(sd)[..., None] * z


def assemble(mean: np.ndarray, quantiles: np.ndarray, horizon: int) -> ForecastArrays:
    """Build the output: broadcast flat forecasts over the horizon, clip at 0, sort quantiles.

    Parameters
    ----------
    mean : ndarray, shape (n_series,) or (n_series, horizon)
        Expected demand per period (units).
    quantiles : ndarray, shape (n_series, n_quantiles) or (n_series, horizon, n_quantiles)
    horizon : int

    Returns
    -------
    ForecastArrays
        ``NaN`` (no usable history) becomes 0; quantiles are made non-decreasing by a running
        maximum along the level axis (a crossing lifts the higher level to the lower one).
    """
    mean = np.asarray(mean, dtype=float)
    quantiles = np.asarray(quantiles, dtype=float)
    if mean.ndim == 1:
        mean = np.repeat(mean[:, None], horizon, axis=1)
    if quantiles.ndim == 2:
        quantiles = np.repeat(quantiles[:, None, :], horizon, axis=1)
    mean = np.clip(np.nan_to_num(mean, nan=0.0, posinf=0.0), 0.0, None)
    quantiles = np.clip(np.nan_to_num(quantiles, nan=0.0, posinf=0.0), 0.0, None)
    quantiles = np.maximum.accumulate(quantiles, axis=-1)
    return ForecastArrays(mean=mean, quantiles=quantiles)
