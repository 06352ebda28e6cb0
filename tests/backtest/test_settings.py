"""One home for the backtest defaults and traits: settings objects, windows, per-series models."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.backtest import BacktestSettings, ComputeSettings, auto_forecast
from forecasting.backtest.select import PER_SERIES_BUDGET, auto_candidates
from forecasting.backtest.windows import DEFAULT_WINDOWS, rolling_origin_cutoffs
from forecasting.cli import build_parser
from forecasting.errors import InputError
from forecasting.models.registry import available_models, per_series_models


def _history(n_periods: int = 120) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    dates = pd.date_range("2024-01-01", periods=n_periods, freq="W-MON")
    return pd.DataFrame({"sku": "A", "date": dates, "units": rng.poisson(8, n_periods)})


def test_every_default_window_count_is_the_one_constant() -> None:
    parser = build_parser()
    for command in ("forecast", "backtest"):
        args = parser.parse_args([command, "--input", "x.csv", "--horizon", "4", "--output", "y"])
        assert args.windows == DEFAULT_WINDOWS
    assert BacktestSettings().n_windows == DEFAULT_WINDOWS
    assert len(rolling_origin_cutoffs(100, 4)) == DEFAULT_WINDOWS
    run = auto_forecast(_history(), 4, models="moving_average")  # a season + 3 windows fit
    assert len(run.cutoffs) == DEFAULT_WINDOWS


def test_settings_are_checked_where_they_are_made() -> None:
    with pytest.raises(InputError, match="select must be auto, series or class") as err:
        BacktestSettings(select="best")
    assert err.value.column == "select"
    with pytest.raises(AttributeError):  # frozen: a run cannot change its settings midway
        BacktestSettings().n_windows = 5  # type: ignore[misc]


def test_compute_settings_never_change_the_numbers() -> None:
    hist = _history()
    one = auto_forecast(hist, 4, models="moving_average,poisson_gamma")
    two = auto_forecast(
        hist, 4, models="moving_average,poisson_gamma", compute=ComputeSettings(jobs=2)
    )
    pd.testing.assert_frame_equal(one.forecast, two.forecast)
    pd.testing.assert_frame_equal(one.choice, two.choice)


def test_auto_tries_per_series_models_only_on_its_budget() -> None:
    # the trait is read from the model classes (ets, sarimax, prophet fit one series at a time)
    many = np.array(["smooth"] * (PER_SERIES_BUDGET + 8))
    observed, volume = np.full(len(many), 100), np.arange(len(many), dtype=float)
    cands = auto_candidates(many, observed, volume, 52, available_models())
    costly = [bool(set(c) & per_series_models()) for c in cands]
    assert sum(costly) == PER_SERIES_BUDGET
    assert costly[-PER_SERIES_BUDGET:] == [True] * PER_SERIES_BUDGET  # the biggest series
    assert "ets" in cands[-1] and "ets" not in cands[0]
