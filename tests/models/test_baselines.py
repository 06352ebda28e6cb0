"""Baselines and the shared distribution helpers: hand-worked values and calibration."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import QUANTILES, make_batch
from scipy import stats

from forecasting.models.baselines import (
    EmpiricalModel,
    MovingAverageModel,
    NaiveModel,
    SeasonalNaiveModel,
    default_window,
)
from forecasting.models.distributions import (
    dispersion_from_errors,
    negative_binomial_quantiles,
    recent_observed,
    seasonal_index,
    use_seasonal_profile,
    weighted_quantiles,
)


def test_naive_last_observed_and_sqrt_h_spread() -> None:
    # one-step differences 2, −1, 3 → sigma = sqrt((4 + 1 + 9) / 3); the NaN is skipped
    x = np.array([[1.0, 3, 2, np.nan, 5]])
    out = NaiveModel().forecast(make_batch(x), 4, (0.5, 0.9))
    sigma = np.sqrt(14 / 3)
    np.testing.assert_allclose(out.mean[0], 5.0)
    np.testing.assert_allclose(out.quantiles[0, :, 0], 5.0)
    expected = 5 + stats.norm.ppf(0.9) * sigma * np.sqrt([1, 2, 3, 4])
    np.testing.assert_allclose(out.quantiles[0, :, 1], expected)


def test_seasonal_naive_repeats_last_season_and_skips_censored() -> None:
    x = np.array([[1.0, 2, 3, 4, 10, np.nan, 30, 40]])  # season 4; period 6 censored
    out = SeasonalNaiveModel().forecast(make_batch(x, season_length=4), 6, QUANTILES)
    np.testing.assert_allclose(out.mean[0], [10, 2, 30, 40, 10, 2])
    # errors y_t − y_{t−4}: 9, NaN, 27, 36 → sigma = sqrt((81 + 729 + 1296) / 3); k = 1 from h = 5
    sigma = np.sqrt((81 + 729 + 1296) / 3)
    spread = out.quantiles[0, :, -1] - out.quantiles[0, :, 4]
    assert spread[4] == pytest.approx(stats.norm.ppf(0.9) * sigma * np.sqrt(2))


def test_moving_average_and_empirical_windows() -> None:
    x = np.array([[100.0, 100, 1, 2, np.nan, 3, 4]])
    ma = MovingAverageModel(window=4).forecast(make_batch(x), 2, QUANTILES)
    assert ma.mean[0, 0] == pytest.approx(2.5)
    emp = EmpiricalModel(window=4).forecast(make_batch(x), 2, (0.25, 0.5, 0.75, 0.9))
    np.testing.assert_allclose(emp.quantiles[0, 0], [1, 2, 3, 4])
    assert emp.mean[0, 0] == pytest.approx(2.5)
    assert default_window(12, "empirical") == 18 and default_window(7, "average") == 28


def test_empirical_half_life_weights_recent_periods() -> None:
    x = np.array([[0.0] * 10 + [5.0] * 2])
    flat = EmpiricalModel(window=12).forecast(make_batch(x), 1, (0.5, 0.9))
    decayed = EmpiricalModel(window=12, half_life=1).forecast(make_batch(x), 1, (0.5, 0.9))
    assert flat.quantiles[0, 0, 0] == 0 and decayed.quantiles[0, 0, 0] == 5


@pytest.mark.parametrize("model", [MovingAverageModel(window=24), EmpiricalModel(window=36)])
def test_poisson_five_calibration(model) -> None:
    """Poisson(5) iid: p10/p50/p90 at the true quantiles 2/5/8 for most series."""
    rng = np.random.default_rng(0)
    x = rng.poisson(5, (400, 36)).astype(float)
    out = model.forecast(make_batch(x), 1, (0.1, 0.5, 0.9))
    median_q = np.median(out.quantiles[:, 0, :], axis=0)
    np.testing.assert_allclose(median_q, stats.poisson.ppf([0.1, 0.5, 0.9], 5), atol=1)


def test_recent_observed_and_weighted_quantiles_skip_nan() -> None:
    x = np.array([[1.0, np.nan, 3, 4], [np.nan] * 4])
    np.testing.assert_array_equal(recent_observed(x, 3), [[1, 3, 4], [np.nan] * 3])
    q = weighted_quantiles(x, np.array([0.3, 0.5, 0.7, 1 - 1e-9]))
    np.testing.assert_array_equal(q[0], [1, 3, 4, 4])
    assert np.isnan(q[1]).all()


def test_negative_binomial_quantiles_match_scipy_and_zero_rate() -> None:
    rate, size = np.array([0.0, 2.0, 30.0]), np.array([1.0, 0.5, 4.0])
    q = negative_binomial_quantiles(rate, size, np.array([0.1, 0.5, 0.9]))
    np.testing.assert_array_equal(q[0], 0)
    for i in (1, 2):
        expected = stats.nbinom.ppf([0.1, 0.5, 0.9], size[i], size[i] / (size[i] + rate[i]))
        np.testing.assert_array_equal(q[i], expected)


def test_dispersion_recovers_negative_binomial_size() -> None:
    rng = np.random.default_rng(2)
    mu, size = 6.0, 1.5
    y = rng.negative_binomial(size, size / (size + mu), (200, 60)).astype(float)
    k = dispersion_from_errors(y, np.full_like(y, mu))
    assert np.median(k) == pytest.approx(size, rel=0.15)
    poisson = rng.poisson(mu, (200, 60)).astype(float)
    assert np.median(dispersion_from_errors(poisson, np.full_like(poisson, mu))) > 20


def _weekday_batch(n: int = 200, weeks: int = 30):
    """Daily Poisson demand, 3× higher on the first weekday of the calendar."""
    rng = np.random.default_rng(9)
    profile = np.array([3.0, 1, 1, 1, 1, 1, 1])
    rate = 2.0 * np.tile(profile, weeks)
    return make_batch(rng.poisson(rate, (n, 7 * weeks)).astype(float), freq="D", season_length=7)


@pytest.mark.parametrize("name", ["moving_average", "empirical", "tsb", "sba"])
def test_weekday_profile_on_daily_data(name: str) -> None:
    from forecasting.models.registry import get_model

    batch = _weekday_batch()
    out = get_model(name).forecast(batch, 7, QUANTILES)  # horizon starts on the busy weekday
    ratio = out.mean[:, 0].mean() / out.mean[:, 1:].mean()
    assert ratio == pytest.approx(3.0, rel=0.15)
    flat = get_model(name, seasonal=False).forecast(batch, 7, QUANTILES)
    assert flat.mean[:, 0].mean() == pytest.approx(flat.mean[:, 1:].mean(), rel=0.01)


def test_seasonal_index_shrinks_and_skips_nan() -> None:
    x = np.array([[4.0, 2, 4, 2, np.nan, 2]])
    raw = seasonal_index(x, 2, cycles=3, shrinkage=0.0)
    np.testing.assert_allclose(raw, [[4 / 3, 2 / 3]])  # means 4 and 2 around 3
    shrunk = seasonal_index(x, 2, cycles=3, shrinkage=2.0)
    assert 1 < shrunk[0, 0] < raw[0, 0]
    np.testing.assert_allclose(shrunk.mean(), 1.0)
    assert not use_seasonal_profile("auto", 12) and use_seasonal_profile("auto", 7)
