"""Tiny forecasting models for the backtest tests (module-level, so worker processes can load them)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats

from forecasting.models.base import ForecastArrays, ForecastModel, SeriesBatch


class ConstantModel(ForecastModel):
    """Forecasts ``level`` units every period, Gaussian quantiles with standard deviation ``sd``."""

    def __init__(self, level: float, sd: float = 1.0, alias: str | None = None) -> None:
        self.level, self.sd = level, sd
        self.alias = alias or f"constant_{level:g}"

    def forecast(
        self, batch: SeriesBatch, horizon: int, quantiles: Sequence[float]
    ) -> ForecastArrays:
        n = batch.n_series
        mean = np.full((n, horizon), float(self.level))
        z = stats.norm.ppf(np.asarray(quantiles))
        q = mean[..., None] + self.sd * z
        return ForecastArrays(mean=mean, quantiles=q)


class HistoryMeanModel(ForecastModel):
    """Mean of the observed history; Gaussian quantiles with ``sd_factor`` × the history's sd."""

    def __init__(self, sd_factor: float = 1.0, alias: str = "history_mean") -> None:
        self.sd_factor, self.alias = sd_factor, alias

    def forecast(
        self, batch: SeriesBatch, horizon: int, quantiles: Sequence[float]
    ) -> ForecastArrays:
        mu = np.nan_to_num(np.nanmean(batch.values, axis=1))
        sd = np.nan_to_num(np.nanstd(batch.values, axis=1)) * self.sd_factor
        mean = np.repeat(mu[:, None], horizon, axis=1)
        z = stats.norm.ppf(np.asarray(quantiles))
        return ForecastArrays(mean=mean, quantiles=mean[..., None] + sd[:, None, None] * z)


class FailingModel(ForecastModel):
    """Raises on every call (exercises the safety net)."""

    alias = "failing"

    def forecast(
        self, batch: SeriesBatch, horizon: int, quantiles: Sequence[float]
    ) -> ForecastArrays:
        raise RuntimeError("boom")
