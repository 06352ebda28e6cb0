"""Croston, SBA and TSB for intermittent demand, vectorised over all series of a batch.

The recursions run over time (one NumPy step per period) on all series at once, so a batch of
thousands of series takes milliseconds. They are written here rather than taken from a library
because statsforecast (a bench-only dependency) fits one series at a time and none of the runtime
dependencies offers these methods.

Missing values: a censored / unknown period (``NaN``) is skipped — it updates nothing and does not
count towards the interval between demands; before the first observed period (not yet launched)
nothing is estimated. A series with no observed period forecasts 0.

Predictive distribution: a negative binomial around the method's rate with a per-series dispersion
from its own one-step-ahead in-sample errors, shrunk towards the batch's pooled dispersion
(:func:`~forecasting.models.distributions.dispersion_from_errors`). The pooled parts (dispersion
prior, and smoothing constants when not given) make a series' forecast depend slightly on the
other series of its batch; give one frequency's series to one batch for reproducible numbers.

References
----------
Croston, J. D. (1972). Forecasting and stock control for intermittent demands. *Operational
Research Quarterly* 23(3), 289–303.
Syntetos, A. A., & Boylan, J. E. (2005). The accuracy of intermittent demand estimates.
*International Journal of Forecasting* 21(2), 303–314.
Teunter, R. H., Syntetos, A. A., & Babai, M. Z. (2011). Intermittent demand: linking forecasting
to inventory obsolescence. *European Journal of Operational Research* 214(3), 606–615.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import product

import numpy as np

from forecasting.errors import InputError
from forecasting.models.base import ForecastArrays, ForecastModel, SeriesBatch
from forecasting.models.distributions import (
    POISSON_SIZE,
    assemble,
    check_request,
    default_cycles,
    dispersion_from_errors,
    negative_binomial_quantiles,
    pooled_drift,
    quantise_drift,
    seasonal_count_forecast,
    seasonal_index,
    use_drift,
    use_seasonal_profile,
)

#: Smoothing constants tried when a method's constants are left to be fitted (pooled in-sample MSE).
ALPHA_GRID: tuple[float, ...] = (0.05, 0.1, 0.2, 0.3, 0.5)
BETA_GRID: tuple[float, ...] = (0.05, 0.1, 0.2, 0.3)


def croston_rates(values: np.ndarray, alpha: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Croston's demand rate per series, and its one-step-ahead in-sample forecasts.

    On each period with demand ``y > 0`` after an interval of ``q`` observed periods::

        z ← z + alpha (y − z),   p ← p + alpha (q − p),   rate = z / p

    initialised at the first demand (``z = y1``, ``p = q1``, the periods from launch up to and
    including it). Periods without demand change nothing (Croston 1972).

    Parameters
    ----------
    values : ndarray, shape (n_series, n_periods)
        Demand in units per period; ``NaN`` = unknown (skipped).
    alpha : float
        Smoothing constant in (0, 1] for both the demand size and the interval.

    Returns
    -------
    rate : ndarray, shape (n_series,)
        Forecast demand in units per period (0 where no demand was ever observed).
    fitted : ndarray, shape (n_series, n_periods)
        The rate known before each period (``NaN`` before the first demand).

    Examples
    --------
    Demand 3, 5 and 4 units after intervals of 3, 2 and 3 months:

    >>> rate, _ = croston_rates(np.array([[0.0, 0.0, 3, 0, 5, 0, 0, 4]]), alpha=0.1)
    >>> round(float(rate[0]), 6)  # z = 3.28, p = 2.91
    1.127148
    """
    n, t = values.shape
    size = np.zeros(n)
    interval = np.ones(n)
    since = np.zeros(n)
    started = np.zeros(n, dtype=bool)
    fitted = np.full((n, t), np.nan)
    for j in range(t):
        fitted[:, j] = np.where(started, size / interval, np.nan)
        y = values[:, j]
        obs = np.isfinite(y)
        since += obs
        demand = obs & (y > 0)
        first = demand & ~started
        later = demand & started
        size = np.where(first, y, np.where(later, size + alpha * (y - size), size))
        interval = np.where(
            first, since, np.where(later, interval + alpha * (since - interval), interval)
        )
        started |= demand
        since = np.where(demand, 0.0, since)
    rate = np.where(started, size / interval, 0.0)
    return rate, fitted


def tsb_rates(
    values: np.ndarray, alpha: float = 0.1, beta: float = 0.1, init_periods: int = 12
) -> tuple[np.ndarray, np.ndarray]:
    """TSB demand rate per series, and its one-step-ahead in-sample forecasts.

    Every observed period updates the demand probability, and periods with demand the size::

        p ← p + beta (1[y > 0] − p),   z ← z + alpha (y − z) if y > 0,   rate = p z

    (Teunter, Syntetos & Babai 2011). Start values: ``p`` = share of periods with demand and ``z``
    = mean demand size over the first ``init_periods`` observed periods (``z`` = the first demand
    if none falls in that window).

    Parameters
    ----------
    values : ndarray, shape (n_series, n_periods)
        Demand in units per period; ``NaN`` = unknown (skipped).
    alpha : float
        Smoothing constant of the demand size, in (0, 1].
    beta : float
        Smoothing constant of the demand probability, in (0, 1].
    init_periods : int
        Observed periods used for the start values; their fitted values are ``NaN``.

    Returns
    -------
    rate : ndarray, shape (n_series,)
        Forecast demand in units per period.
    fitted : ndarray, shape (n_series, n_periods)
        The rate known before each period (``NaN`` before launch and in the start window).

    Examples
    --------
    >>> x = np.array([[0.0, 2, 0, 4]])
    >>> rate, _ = tsb_rates(x, alpha=0.5, beta=0.5, init_periods=2)
    >>> float(rate[0])  # p: .5 → .25 → .625 → .3125 → .65625; z: 2 → 2 → 2 → 3
    1.96875
    """
    n, t = values.shape
    obs = np.isfinite(values)
    demand = obs & (values > 0)
    count = np.cumsum(obs, axis=1)
    window = obs & (count <= init_periods)
    n_window = window.sum(axis=1)
    prob = np.where(n_window > 0, (demand & window).sum(axis=1) / np.maximum(n_window, 1), 0.0)
    n_sizes = (demand & window).sum(axis=1)
    first_idx = np.argmax(demand, axis=1)
    first_size = np.where(demand.any(axis=1), values[np.arange(n), first_idx], 0.0)
    window_sizes = np.where(demand & window, values, 0.0).sum(axis=1)
    size = np.where(n_sizes > 0, window_sizes / np.maximum(n_sizes, 1), first_size)
    fitted = np.full((n, t), np.nan)
    for j in range(t):
        fitted[:, j] = np.where(count[:, j] > init_periods, prob * size, np.nan)
        o, d = obs[:, j], demand[:, j]
        prob = np.where(o, prob + beta * (d - prob), prob)
        size = np.where(d, size + alpha * (values[:, j] - size), size)
    fitted[~obs] = np.nan
    return prob * size, fitted


class _IntermittentModel(ForecastModel):
    """Common part: fit constants if asked, rate → mean, NB quantiles around it.

    With a seasonal profile (``seasonal``; by default the weekday profile on daily calendars, see
    ``distributions.use_seasonal_profile``) the flat rate is multiplied by each series'
    seasonal index (``distributions.seasonal_index``) over the horizon and in the in-sample
    errors used for the dispersion. With ``drift`` the rate is
    also multiplied per lead by the batch's pooled drift (``distributions.pooled_drift``),
    measured over the last ``drift_window`` periods (default: one season, at least 7 periods);
    ``"auto"`` = on calendars coarser than daily (``distributions.use_drift``).
    """

    def __init__(
        self,
        distribution: str = "nbinom",
        shrinkage: float = 5.0,
        seasonal: bool | str = "auto",
        seasonal_cycles: int | None = None,
        drift: bool | str = "auto",
        drift_window: int | None = None,
    ) -> None:
        if distribution not in ("nbinom", "poisson"):
            raise InputError(f"distribution must be 'nbinom' or 'poisson', got {distribution!r}")
        if drift not in (True, False, "auto"):
            raise InputError(f"drift must be true, false or 'auto', got {drift!r}")
        self.distribution = distribution
        self.shrinkage = shrinkage
        self.seasonal = seasonal
        self.seasonal_cycles = seasonal_cycles
        self.drift = drift
        self.drift_window = drift_window

    def _rates(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def forecast(
        self, batch: SeriesBatch, horizon: int, quantiles: Sequence[float]
    ) -> ForecastArrays:
        """Rate over the horizon (× seasonal index × drift); count-distribution quantiles."""
        values = np.asarray(batch.values, dtype=float)
        levels = check_request(values, horizon, quantiles)
        rate, fitted = self._rates(values)
        m, t = int(batch.season_length), values.shape[1]
        index = profile = None
        if use_seasonal_profile(self.seasonal, m) and t >= m:
            index = seasonal_index(values, m, self.seasonal_cycles or default_cycles(m))
            profile = index[:, np.arange(t) % m]
        drift = None
        if use_drift(self.drift, m):
            window = self.drift_window or max(m, 7)
            drift = pooled_drift(values, fitted, horizon, window, profile)
            drift = quantise_drift(drift)  # as applied
        self.drift_ = drift
        if profile is not None:
            fitted = fitted * profile
        if self.distribution == "poisson":
            size: np.ndarray | float = POISSON_SIZE
        else:
            size = dispersion_from_errors(values, fitted, self.shrinkage)
        if index is None and drift is None:
            return assemble(rate, negative_binomial_quantiles(rate, size, levels), horizon)
        mean, qs = seasonal_count_forecast(
            rate, size, index, t % m if index is not None else 0, horizon, levels, drift
        )
        return assemble(mean, qs, horizon)


def _pooled_mse(values: np.ndarray, fitted: np.ndarray) -> float:
    err = (values - fitted) ** 2
    ok = np.isfinite(err)
    return float(err[ok].mean()) if ok.any() else np.inf


def _fit_on_grid(
    values: np.ndarray,
    grid: Iterable[tuple[float, ...]],
    rates: Callable[..., tuple[np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray, tuple[float, ...]]:
    """Rate, in-sample one-step forecasts and constants of the grid point with the lowest pooled
    in-sample one-step MSE over the batch (the first one on ties); ``rates(*constants)``."""
    best = None
    for constants in grid:
        rate, fitted = rates(*constants)
        score = _pooled_mse(values, fitted)
        if best is None or score < best[0]:
            best = (score, rate, fitted, tuple(constants))
    assert best is not None
    return best[1], best[2], best[3]


class CrostonModel(_IntermittentModel):
    """Croston's method (alias ``croston``).

    Parameters
    ----------
    alpha : float or None
        Smoothing constant (Croston 1972 suggests 0.1–0.2); ``None`` (default) picks it from
        :data:`ALPHA_GRID` by pooled in-sample one-step MSE over the batch (carparts WQL: SBA
        1.048 with a fixed 0.1, 0.911 fitted).
    distribution : {"nbinom", "poisson"}
        Count distribution of the quantiles.
    shrinkage : float
        Weight of the pooled dispersion (see ``dispersion_from_errors``).
    seasonal : bool or "auto"
        Seasonal profile on the rate; ``"auto"``: weekday profile on daily calendars only.
    seasonal_cycles : int, optional
        Seasons used for the profile (default 26 weeks / 3 seasons).
    drift : bool or "auto"
        Multiply the rate per lead by the batch's pooled drift
        (:func:`~forecasting.models.distributions.pooled_drift`); ``"auto"`` (default): on
        calendars coarser than daily (:func:`~forecasting.models.distributions.use_drift`).
    drift_window : int, optional
        Recent periods over which the drift is measured (default one season, at least 7).

    Attributes
    ----------
    fitted_constants_ : tuple of float
        ``(alpha,)`` used by the last :meth:`forecast`.
    drift_ : ndarray
        Drift multiplier per lead of the last :meth:`forecast` (``None`` when the drift is off).
    """

    alias = "croston"
    #: Whether the rate is multiplied by the SBA bias correction (1 − α/2); False for Croston.
    debias = False

    def __init__(
        self,
        alpha: float | None = None,
        distribution: str = "nbinom",
        shrinkage: float = 5.0,
        seasonal: bool | str = "auto",
        seasonal_cycles: int | None = None,
        drift: bool | str = "auto",
        drift_window: int | None = None,
    ) -> None:
        super().__init__(distribution, shrinkage, seasonal, seasonal_cycles, drift, drift_window)
        self.alpha = alpha

    def _rates(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        alphas = ALPHA_GRID if self.alpha is None else (self.alpha,)

        def rates(a: float) -> tuple[np.ndarray, np.ndarray]:
            rate, fitted = croston_rates(values, a)
            factor = 1 - a / 2 if self.debias else 1.0
            return rate * factor, fitted * factor

        rate, fitted, self.fitted_constants_ = _fit_on_grid(values, [(a,) for a in alphas], rates)
        return rate, fitted


class SBAModel(CrostonModel):
    """Syntetos–Boylan approximation (alias ``sba``): Croston's rate × (1 − α/2), which removes
    Croston's upward bias (Syntetos & Boylan 2005). Parameters as :class:`CrostonModel`.
    """

    alias = "sba"
    debias = True


class TSBModel(_IntermittentModel):
    """Teunter–Syntetos–Babai method (alias ``tsb``): tracks the demand probability every period,
    so the forecast decays when a part stops selling (obsolescence).

    Parameters
    ----------
    alpha, beta : float or None
        Smoothing constants of the size and the probability; ``None`` (default) picks both from
        :data:`ALPHA_GRID` × :data:`BETA_GRID` by pooled in-sample one-step MSE over the batch.
    init_periods : int
        Observed periods used for the start values.
    distribution, shrinkage, seasonal, seasonal_cycles, drift, drift_window
        As :class:`CrostonModel`.

    Attributes
    ----------
    fitted_constants_ : tuple of float
        ``(alpha, beta)`` used by the last :meth:`forecast`.
    drift_ : ndarray
        As :class:`CrostonModel`.
    """

    alias = "tsb"

    def __init__(
        self,
        alpha: float | None = None,
        beta: float | None = None,
        init_periods: int = 12,
        distribution: str = "nbinom",
        shrinkage: float = 5.0,
        seasonal: bool | str = "auto",
        seasonal_cycles: int | None = None,
        drift: bool | str = "auto",
        drift_window: int | None = None,
    ) -> None:
        super().__init__(distribution, shrinkage, seasonal, seasonal_cycles, drift, drift_window)
        self.alpha, self.beta, self.init_periods = alpha, beta, init_periods

    def _rates(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        alphas = ALPHA_GRID if self.alpha is None else (self.alpha,)
        betas = BETA_GRID if self.beta is None else (self.beta,)
        rate, fitted, self.fitted_constants_ = _fit_on_grid(
            values,
            product(alphas, betas),
            lambda a, b: tsb_rates(values, a, b, self.init_periods),
        )
        return rate, fitted
