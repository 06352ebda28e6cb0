"""Fallback of per-series models, Prophet's event calendar, SARIMAX promotions, the ensemble."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import QUANTILES, make_batch

from forecasting.errors import InputError
from forecasting.models.base import ForecastModel
from forecasting.models.baselines import EmpiricalModel, MovingAverageModel
from forecasting.models.ensemble import EnsembleModel
from forecasting.models.per_series import PerSeriesModel
from forecasting.models.prophet_model import ProphetModel, events_to_holidays
from forecasting.models.registry import get_model
from forecasting.models.statsmodels_models import SARIMAXModel


class _BreaksOnBigSeries(PerSeriesModel):
    """Forecasts 1 unit, but raises for series whose history exceeds 50 units in a period."""

    alias = "breaks"

    def fit_one(self, y, dates, batch, promo, horizon, levels):
        if np.nanmax(y) > 50:
            raise FloatingPointError("model blew up")
        return np.ones(horizon), np.ones((horizon, levels.size))


def test_failing_row_falls_back_and_is_recorded() -> None:
    rng = np.random.default_rng(0)
    x = rng.poisson(5, (4, 24)).astype(float)
    x[2, 5] = 80
    x[3, :20] = np.nan  # 4 observed periods only
    model = _BreaksOnBigSeries(min_observations=8)
    out = model.forecast(make_batch(x), 3, QUANTILES)
    assert model.fallback_rows == [2, 3]
    assert "blew up" in model.fallback_reasons[2] and "fewer than 8" in model.fallback_reasons[3]
    np.testing.assert_array_equal(out.mean[[0, 1]], 1.0)
    ma = MovingAverageModel().forecast(make_batch(x).take([2, 3]), 3, QUANTILES)
    np.testing.assert_array_equal(out.quantiles[[2, 3]], ma.quantiles)
    model.forecast(make_batch(x[:2]), 3, QUANTILES)
    assert model.fallback_rows == [] and model.fallback_reasons == {}


def test_ets_falls_back_on_short_and_constant_series() -> None:
    rng = np.random.default_rng(1)
    x = rng.poisson(10, (3, 30)).astype(float)
    x[1] = 7.0
    x[2, :25] = np.nan
    model = get_model("ets", fallback=EmpiricalModel())
    out = model.forecast(make_batch(x), 4, QUANTILES)
    assert model.fallback_rows == [1, 2]
    assert "constant" in model.fallback_reasons[1]
    np.testing.assert_array_equal(out.quantiles[1], 7.0)


def test_ets_forecasts_through_censored_end() -> None:
    x = np.arange(1.0, 31.0)[None, :]
    cut = x.copy()
    cut[0, -2:] = np.nan
    full = get_model("ets", seasonal=False).forecast(make_batch(x), 3, QUANTILES)
    short = get_model("ets", seasonal=False).forecast(make_batch(cut), 3, QUANTILES)
    # a trend continues through the two censored periods: the forecast is not the last seen value
    assert short.mean[0, 0] > 29
    assert short.mean[0, 0] == pytest.approx(full.mean[0, 0], rel=0.05)


def test_sarimax_uses_promotions() -> None:
    rng = np.random.default_rng(3)
    t, h = 60, 6
    promo = np.zeros((1, t + h))
    promo[0, ::5] = 1
    y = rng.poisson(10, (1, t)) + 30 * promo[:, :t]
    batch = make_batch(y, freq="D", season_length=7, promo=promo)
    out = SARIMAXModel(seasonal=False, order=(0, 0, 0)).forecast(batch, h, QUANTILES)
    promoted = promo[0, t:] == 1
    assert out.mean[0, promoted].min() > out.mean[0, ~promoted].max() + 20


def test_events_align_to_period_start() -> None:
    calendar = pd.date_range("2024-01-01", periods=12, freq="MS")
    events = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-07-16", "2024-11-29", "2030-01-01"]),
            "event": ["pd", "bf", "x"],
        }
    )
    holidays = events_to_holidays(events, calendar)
    assert holidays["ds"].tolist() == [pd.Timestamp("2024-07-01"), pd.Timestamp("2024-11-01")]
    with pytest.raises(InputError, match="event"):
        events_to_holidays(events.rename(columns={"event": "name"}), calendar)


def test_prophet_learns_an_event_effect() -> None:
    dates = pd.date_range("2023-01-01", periods=150, freq="D")
    rng = np.random.default_rng(4)
    y = rng.poisson(10, 150).astype(float)
    event_days = pd.to_datetime(
        ["2023-02-01", "2023-03-01", "2023-04-01", "2023-05-01", "2023-06-01"]
    )
    y[dates.isin(event_days[:-1])] += 60
    events = pd.DataFrame({"date": event_days, "event": "sale"})
    batch = make_batch(
        y[:-30], freq="D", season_length=7, start="2023-01-01"
    )  # forecast from 2023-05-01
    assert batch.future_dates(1)[0] == pd.Timestamp("2023-05-01")
    out = ProphetModel(events=events, uncertainty_samples=100).forecast(batch, 3, QUANTILES)
    assert out.mean[0, 0] > out.mean[0, 1] + 30


class _Broken(ForecastModel):
    alias = "broken"

    def forecast(self, batch, horizon, quantiles):
        raise RuntimeError("no")


def test_ensemble_median_of_members_and_failed_member() -> None:
    rng = np.random.default_rng(6)
    batch = make_batch(rng.poisson(3, (5, 30)).astype(float))
    members = [get_model("tsb"), get_model("empirical"), get_model("moving_average")]
    parts = [m.forecast(batch, 4, QUANTILES) for m in members]
    out = EnsembleModel(members=["tsb", "empirical", "moving_average"]).forecast(
        batch, 4, QUANTILES
    )
    np.testing.assert_allclose(out.quantiles, np.median([p.quantiles for p in parts], axis=0))
    np.testing.assert_allclose(out.mean, np.mean([p.mean for p in parts], axis=0))
    model = EnsembleModel(members=["empirical", _Broken(), ("moving_average", {"window": 6})])
    with pytest.warns(RuntimeWarning, match="broken"):
        model.forecast(batch, 4, QUANTILES)
    assert model.failed_members == ["broken"]
    with pytest.raises(InputError):
        EnsembleModel(members=["ensemble"])


@pytest.mark.parametrize("name", ["ets", "sarimax"])
def test_statsmodels_nan_handling(name: str) -> None:
    """Launch NaN cut off (same forecast); censored low periods raise the forecast, not lower it."""
    rng = np.random.default_rng(8)
    base = rng.poisson(10, (1, 30)).astype(float)
    late = np.concatenate([np.full((1, 6), np.nan), base], axis=1)
    censored = np.where(base < 9, np.nan, base)
    params = {"seasonal": False}
    out = get_model(name, **params).forecast(make_batch(base), 3, QUANTILES)
    out_late = get_model(name, **params).forecast(make_batch(late), 3, QUANTILES)
    out_cens = get_model(name, **params).forecast(make_batch(censored), 3, QUANTILES)
    np.testing.assert_allclose(out_late.mean, out.mean, rtol=1e-6)
    assert out_cens.mean.mean() > out.mean.mean()


def test_promotions_not_given_for_the_horizon_count_as_none() -> None:
    rng = np.random.default_rng(12)
    t = 40
    promo = np.zeros((1, t))  # history only
    promo[0, ::4] = 1
    y = rng.poisson(5, (1, t)) + 20 * promo
    model = SARIMAXModel(seasonal=False, order=(0, 0, 0))
    out = model.forecast(make_batch(y, freq="D", season_length=7, promo=promo), 3, QUANTILES)
    assert model.fallback_rows == []
    assert out.mean[0].max() < 10
