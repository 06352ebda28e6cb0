"""Exponential smoothing (``ets``) and SARIMAX (``sarimax``) from statsmodels, one series at a time.

Both are slow next to the vectorised models (≈ 0.1–0.3 s per series for ETS, 0.5–3 s for a seasonal
SARIMAX): use them selectively, on the smooth high-volume series where they pay off. Rows that fail
fall back as described in :mod:`forecasting.models.per_series`.

Missing values: leading ``NaN`` are cut off (launch). SARIMAX's Kalman filter skips interior and
trailing ``NaN`` natively. statsmodels' ``ETSModel`` cannot skip periods, so interior ``NaN`` are
bridged by linear interpolation between the neighbouring observed periods (not read as zero), and
trailing ``NaN`` (censored up to today) are forecast through: the model forecasts from the last
observed period and the last ``horizon`` steps are returned.

Quantiles are Gaussian around the mean with the models' analytic forecast variance (additive
errors), clipped at 0 (Hyndman et al. 2008, *Forecasting with Exponential Smoothing*, ch. 6;
Durbin & Koopman 2012, *Time Series Analysis by State Space Methods*, §4.11).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.errors import InputError
from forecasting.models.base import ForecastModel, SeriesBatch
from forecasting.models.distributions import normal_quantiles
from forecasting.models.per_series import PerSeriesModel, trailing_unknown


def _use_seasonal(seasonal: bool | str, n_observed: int, season_length: int) -> bool:
    """Seasonal component when asked, or (``"auto"``) when two full seasons are observed."""
    if seasonal == "auto":
        return season_length > 1 and n_observed >= 2 * season_length
    return bool(seasonal) and season_length > 1


class ExponentialSmoothingModel(PerSeriesModel):
    """ETS with additive errors (alias ``ets``), statsmodels ``ETSModel``.

    Parameters
    ----------
    trend : {"damped", "additive", None}
        Trend component; damped by default (Gardner & McKenzie 1985: the robust choice).
    seasonal : bool or "auto"
        Additive seasonality of ``batch.season_length``; ``"auto"`` when ≥ 2 seasons observed.
    min_observations : int
        Shorter series use the fallback.
    fallback : ForecastModel, optional
        See :class:`~forecasting.models.per_series.PerSeriesModel`.
    """

    alias = "ets"

    def prepare(self) -> None:
        """Import statsmodels' ETS."""
        import statsmodels.tsa.exponential_smoothing.ets  # noqa: F401

    def __init__(
        self,
        trend: str | None = "damped",
        seasonal: bool | str = "auto",
        min_observations: int = 8,
        fallback: ForecastModel | None = None,
    ) -> None:
        if trend not in ("damped", "additive", None):
            raise InputError(f"ets trend must be 'damped', 'additive' or None, got {trend!r}")
        super().__init__(min_observations, fallback)
        self.trend, self.seasonal = trend, seasonal

    def fit_one(
        self,
        y: np.ndarray,
        dates: pd.DatetimeIndex,
        batch: SeriesBatch,
        promo: np.ndarray | None,
        horizon: int,
        levels: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Fit ETS(A, Ad, A/N) on one series; Gaussian quantiles from the exact variance."""
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        tail = trailing_unknown(y)
        y = y[: len(y) - tail]
        filled = pd.Series(y).interpolate(method="linear", limit_area="inside").to_numpy()
        seasonal = _use_seasonal(self.seasonal, int(np.isfinite(y).sum()), batch.season_length)
        model = ETSModel(
            pd.Series(filled, index=pd.RangeIndex(len(filled))),
            error="add",
            trend=None if self.trend is None else "add",
            damped_trend=self.trend == "damped",
            seasonal="add" if seasonal else None,
            seasonal_periods=batch.season_length if seasonal else None,
        )
        fit = model.fit(disp=False)
        steps = horizon + tail
        pred = fit.get_prediction(start=len(filled), end=len(filled) + steps - 1)
        mean = np.asarray(pred.predicted_mean, dtype=float)[tail:]
        sd = np.sqrt(np.asarray(pred.forecast_variance, dtype=float))[tail:]
        return mean, normal_quantiles(mean, sd, levels)


class SARIMAXModel(PerSeriesModel):
    """Seasonal ARIMA with optional promotion regressor (alias ``sarimax``), statsmodels.

    Parameters
    ----------
    order : tuple of int
        Non-seasonal ``(p, d, q)``; default ``(1, 1, 1)``.
    seasonal_order : tuple of int
        Seasonal ``(P, D, Q)``; the season length is ``batch.season_length``. Default ``(0, 1, 1)``
        (the "airline" form); used when ``seasonal`` allows.
    seasonal : bool or "auto"
        ``"auto"``: seasonal part only with ≥ 3 seasons observed.
    use_promo : bool
        Use ``batch.promo`` as an exogenous regressor where a series has both 0 and 1 in history.
    min_observations, fallback
        See :class:`~forecasting.models.per_series.PerSeriesModel`.
    """

    alias = "sarimax"

    def prepare(self) -> None:
        """Import statsmodels' SARIMAX."""
        import statsmodels.tsa.statespace.sarimax  # noqa: F401

    def __init__(
        self,
        order: tuple[int, int, int] = (1, 1, 1),
        seasonal_order: tuple[int, int, int] = (0, 1, 1),
        seasonal: bool | str = "auto",
        use_promo: bool = True,
        min_observations: int = 8,
        fallback: ForecastModel | None = None,
    ) -> None:
        super().__init__(min_observations, fallback)
        self.order = tuple(int(v) for v in order)
        self.seasonal_order = tuple(int(v) for v in seasonal_order)
        self.seasonal, self.use_promo = seasonal, use_promo

    def fit_one(
        self,
        y: np.ndarray,
        dates: pd.DatetimeIndex,
        batch: SeriesBatch,
        promo: np.ndarray | None,
        horizon: int,
        levels: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Fit SARIMAX by maximum likelihood (Kalman filter skips ``NaN``); Gaussian quantiles."""
        from statsmodels.tsa.statespace.sarimax import SARIMAX

        n_obs = int(np.isfinite(y).sum())
        m = batch.season_length
        use_seasonal = _use_seasonal(self.seasonal, n_obs, m) and (
            self.seasonal != "auto" or n_obs >= 3 * m
        )
        exog = exog_future = None
        if self.use_promo and promo is not None and np.unique(promo[: len(y)]).size > 1:
            exog, exog_future = promo[: len(y), None], promo[len(y) : len(y) + horizon, None]
        model = SARIMAX(
            y,
            exog=exog,
            order=self.order,
            seasonal_order=(*self.seasonal_order, m) if use_seasonal else (0, 0, 0, 0),
        )
        fit = model.fit(disp=False)
        pred = fit.get_forecast(horizon, exog=exog_future)
        mean = np.asarray(pred.predicted_mean, dtype=float)
        sd = np.asarray(pred.se_mean, dtype=float)
        return mean, normal_quantiles(mean, sd, levels)
