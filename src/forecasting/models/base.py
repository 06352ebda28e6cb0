"""The one small interface every forecasting model implements.

A model receives a :class:`SeriesBatch` — many series on one regular calendar, as a 2-D array — and
returns a :class:`ForecastArrays`: a mean path and quantile paths per series. Vectorised models
(intermittent-demand methods, baselines) work on the whole array at once; per-series models
(statsmodels, Prophet) loop inside ``forecast`` over ``batch.values`` rows. The orchestrator
(``forecasting.engine``) owns splitting into batches and parallelism; models never start processes.

Missing values are ``NaN``: leading ``NaN`` = not launched yet; interior ``NaN`` = unknown demand
(stockout-censored days, gaps). Models must never read a ``NaN`` as zero demand.

Conversion to a library's own format (Prophet's ``ds``/``y``, statsmodels arrays) happens only in the
adapters in this package.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class SeriesBatch:
    """Many demand series on one regular calendar.

    Attributes
    ----------
    keys : DataFrame
        One row per series (columns ``sku`` and, where present, ``marketplace``), in the order of
        the rows of ``values``.
    values : ndarray of float, shape (n_series, n_periods)
        Demand in units per period; ``NaN`` where unknown (see module docstring).
    dates : DatetimeIndex, length n_periods
        Period start dates, regular with frequency ``freq``.
    freq : str
        pandas offset alias of the calendar: ``"D"``, ``"W-MON"`` … , ``"MS"``.
    season_length : int
        Periods per seasonal cycle used by seasonal models: 7 (daily), 52 (weekly), 12 (monthly).
    promo : ndarray of float, shape (n_series, n_periods + horizon), optional
        Known promotion flags (0/1) over history and the future, where the input had them.
    """

    keys: pd.DataFrame
    values: np.ndarray
    dates: pd.DatetimeIndex
    freq: str
    season_length: int
    promo: np.ndarray | None = None

    @property
    def n_series(self) -> int:
        """Number of series (rows)."""
        return int(self.values.shape[0])

    def future_dates(self, horizon: int) -> pd.DatetimeIndex:
        """The ``horizon`` period dates after the last history date, on the same calendar."""
        return pd.date_range(self.dates[-1], periods=horizon + 1, freq=self.freq)[1:]

    def take(self, rows: np.ndarray | Sequence[int]) -> SeriesBatch:
        """A batch with only the given rows (series)."""
        idx = np.asarray(rows, dtype=int)
        return SeriesBatch(
            keys=self.keys.iloc[idx].reset_index(drop=True),
            values=self.values[idx],
            dates=self.dates,
            freq=self.freq,
            season_length=self.season_length,
            promo=None if self.promo is None else self.promo[idx],
        )


@dataclass(frozen=True)
class ForecastArrays:
    """Point and quantile forecasts for a batch.

    Attributes
    ----------
    mean : ndarray, shape (n_series, horizon)
        Expected demand per period (units), ≥ 0.
    quantiles : ndarray, shape (n_series, horizon, n_quantiles)
        Demand quantiles (units) in the order of the requested quantile levels, non-decreasing
        along the last axis, ≥ 0.
    """

    mean: np.ndarray
    quantiles: np.ndarray


class ForecastModel(ABC):
    """A forecasting method. Subclasses set :attr:`alias` and implement :meth:`forecast`."""

    #: Name of the model in every output (the ``model`` column), e.g. ``"ets"``, ``"tsb"``.
    alias: str = ""
    #: True for a model that fits one series at a time (about a second per series and window,
    #: statsmodels, Prophet): the backtest tries it only on a budget of series and never pools
    #: it in one large batch. Vectorised models (the default) forecast a whole batch at once.
    #: Read through :func:`forecasting.models.registry.per_series_models`.
    per_series: ClassVar[bool] = False

    @abstractmethod
    def forecast(
        self, batch: SeriesBatch, horizon: int, quantiles: Sequence[float]
    ) -> ForecastArrays:
        """Forecast ``horizon`` periods after ``batch.dates[-1]`` for every series of ``batch``.

        Parameters
        ----------
        batch : SeriesBatch
            History to learn from (``NaN`` = unknown).
        horizon : int
            Number of future periods.
        quantiles : sequence of float
            Quantile levels in (0, 1), ascending.
        """

    def __repr__(self) -> str:
        return f"{type(self).__name__}(alias={self.alias!r})"
