"""Rolling-origin backtests, accuracy metrics, model choice and quantile calibration.

The entry point is :func:`auto_forecast` (returns a :class:`ForecastRun`).
"""

from forecasting.backtest.run import ForecastRun, auto_forecast, combine_runs
from forecasting.backtest.series import history_to_batch, infer_freq

__all__ = ["ForecastRun", "auto_forecast", "combine_runs", "history_to_batch", "infer_freq"]
