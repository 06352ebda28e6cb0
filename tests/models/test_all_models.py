"""Contract tests run on every registered model: shapes, monotone non-negative quantiles,
NaN handling, determinism."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import QUANTILES, make_batch

from forecasting.errors import InputError
from forecasting.models.base import ForecastModel
from forecasting.models.registry import available_models, get_model, per_series_models

PER_SERIES_MODELS = per_series_models()

HORIZON = 6


def test_registry_lists_the_required_models() -> None:
    required = {"naive", "seasonal_naive", "moving_average", "ets", "sarimax", "prophet"}
    required |= {"croston", "sba", "tsb", "empirical", "ensemble"}
    assert required <= set(available_models())
    # the trait lives on the model classes; the registry reads it from there
    assert per_series_models() == {"ets", "sarimax", "prophet"}


def test_unknown_model_and_bad_parameter_are_input_errors() -> None:
    with pytest.raises(InputError, match="unknown model"):
        get_model("lstm")
    with pytest.raises(InputError, match="bad parameters"):
        get_model("tsb", gamma=3)


@pytest.mark.parametrize("name", available_models())
def test_contract(name: str, mixed_batch) -> None:
    model = get_model(name)
    assert isinstance(model, ForecastModel)
    assert model.alias == name
    if name in PER_SERIES_MODELS:  # slow: the smooth and the all-zero series only
        mixed_batch = mixed_batch.take([0, 5])
    n = mixed_batch.n_series
    out = model.forecast(mixed_batch, HORIZON, QUANTILES)
    assert out.mean.shape == (n, HORIZON)
    assert out.quantiles.shape == (n, HORIZON, len(QUANTILES))
    assert np.isfinite(out.mean).all() and np.isfinite(out.quantiles).all()
    assert (out.mean >= 0).all() and (out.quantiles >= 0).all()
    assert (np.diff(out.quantiles, axis=-1) >= 0).all()
    # the all-zero series forecasts (close to) zero; the smooth one around its level of ~20
    assert out.quantiles[-1, :, 4].max() <= 0.5
    assert 10 <= out.quantiles[0, :, 4].mean() <= 30
    # same input, same output
    again = get_model(name).forecast(mixed_batch, HORIZON, QUANTILES)
    np.testing.assert_array_equal(out.quantiles, again.quantiles)
    np.testing.assert_array_equal(out.mean, again.mean)


@pytest.mark.parametrize("name", [n for n in available_models() if n not in PER_SERIES_MODELS])
def test_nan_is_never_read_as_zero(name: str) -> None:
    """Censoring every low period of a series must raise its forecast, launch NaN changes nothing."""
    rng = np.random.default_rng(1)
    base = rng.poisson(10, (1, 36)).astype(float)
    censored = base.copy()
    censored[base < 10] = np.nan
    late = np.concatenate([np.full((1, 12), np.nan), base], axis=1)
    model = get_model(name)
    out_base = model.forecast(make_batch(base), 3, QUANTILES)
    out_cens = model.forecast(make_batch(censored), 3, QUANTILES)
    out_late = model.forecast(make_batch(late), 3, QUANTILES)
    assert out_cens.mean.mean() > out_base.mean.mean()
    np.testing.assert_allclose(out_late.mean, out_base.mean)


def test_bad_requests_are_input_errors(mixed_batch) -> None:
    model = get_model("tsb")
    with pytest.raises(InputError, match="horizon"):
        model.forecast(mixed_batch, 0, QUANTILES)
    with pytest.raises(InputError, match="quantile"):
        model.forecast(mixed_batch, 3, (0.9, 0.1))
    with pytest.raises(InputError, match="negative"):
        model.forecast(make_batch(np.array([1.0, -2.0, 3.0])), 3, QUANTILES)


def test_seasonal_sarimax_contract(mixed_batch) -> None:
    model = get_model("sarimax")
    out = model.forecast(mixed_batch.take([0, 3]), 12, QUANTILES)
    assert model.fallback_rows == []
    assert (np.diff(out.quantiles, axis=-1) >= 0).all() and (out.quantiles >= 0).all()
    # the smooth series has a 12-month sine of amplitude 5 around 20: the forecast follows it
    assert out.mean[0].max() - out.mean[0].min() > 4


DEGENERATE = {
    "no series": np.zeros((0, 20)),
    "one period": np.array([[3.0]]),
    "never observed": np.full((2, 20), np.nan),
    "one observation": np.array([[np.nan] * 19 + [4.0]]),
    "all zero": np.zeros((2, 30)),
}


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("name", available_models())
@pytest.mark.parametrize("case", list(DEGENERATE))
def test_degenerate_batches_forecast_quietly(name: str, case: str) -> None:
    values = DEGENERATE[case]
    batch = make_batch(values, freq="D", season_length=7)
    out = get_model(name).forecast(batch, 5, (0.025, 0.5, 0.975))
    assert out.mean.shape == (values.shape[0], 5)
    assert np.isfinite(out.quantiles).all() and (out.quantiles >= 0).all()
    if case in ("never observed", "all zero"):
        assert (out.quantiles == 0).all()
