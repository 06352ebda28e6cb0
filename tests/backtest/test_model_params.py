"""auto_forecast passes constructor parameters to models chosen by name (e.g. Prophet's events)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.backtest import BacktestSettings, auto_forecast

ONE_RAW_WINDOW = BacktestSettings(n_windows=1, calibrate=False)


def _history() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    dates = pd.date_range("2025-01-01", periods=120, freq="D")
    level = np.r_[np.full(106, 5.0), np.full(14, 20.0)]  # a shift 14 days before the end
    return pd.DataFrame({"sku": "A", "date": dates, "units": rng.poisson(level)})


def test_model_params_reach_the_model() -> None:
    hist = _history()
    default = auto_forecast(hist, 7, models="moving_average", backtest=ONE_RAW_WINDOW)
    short = auto_forecast(
        hist,
        7,
        models="moving_average",
        backtest=ONE_RAW_WINDOW,
        model_params={"moving_average": {"window": 7}},
    )
    # a 7-day window follows the recent level (≈ 20); the default 28-day one still mixes in 5s
    assert short.forecast["mean"].mean() > default.forecast["mean"].mean() + 1.0
    assert abs(short.forecast["mean"].mean() - 20) < 5


def test_params_for_models_not_used_are_ignored() -> None:
    hist = _history()
    a = auto_forecast(hist, 7, models="moving_average", backtest=ONE_RAW_WINDOW)
    b = auto_forecast(
        hist,
        7,
        models="moving_average",
        backtest=ONE_RAW_WINDOW,
        model_params={"prophet": {"events": pd.DataFrame({"date": [], "event": []})}},
    )
    pd.testing.assert_frame_equal(a.forecast, b.forecast)
