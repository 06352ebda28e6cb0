"""Discounted Poisson–gamma rate: hand-worked golden values, missing values, pooled batches."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import QUANTILES, make_batch

from forecasting.backtest import run as run_module
from forecasting.models.poisson_gamma import (
    PoissonGammaModel,
    gamma_prior,
    poisson_gamma_rates,
)
from forecasting.models.registry import get_model


def test_gamma_prior_golden() -> None:
    # rates 0.5 and 2.5 over 4 periods: m = 1.5, variance 1.0, Poisson noise mean(.5, 2.5)/4 = .375
    a, b = gamma_prior(np.array([2.0, 10.0]), np.array([4.0, 4.0]), np.array([4.0, 4.0]))
    assert (a, b) == pytest.approx((1.5**2 / 0.625, 1.5 / 0.625))


def test_gamma_prior_without_data_or_demand_does_not_shrink() -> None:
    assert gamma_prior(np.zeros(2), np.zeros(2), np.zeros(2)) == (0.0, 0.0)
    assert gamma_prior(np.zeros(2), np.ones(2), np.ones(2)) == (0.0, 0.0)


def test_rates_golden_with_discount() -> None:
    # delta 0.5 on [2, 0, 4]: S = .25·2 + 4 = 4.5, N = 1.75, Σw² = 1.3125; second series S = 0.
    # rates 18/7 and 0: m = 9/7, variance 81/49, noise (18/7)(1.3125/1.75²)/2 = 27/49 → v = 54/49
    # a = m²/v = 1.5, b = m/v = 7/6; rate = (1.5 + 4.5)/(7/6 + 1.75) and 1.5/(7/6 + 1.75)
    rate, _ = poisson_gamma_rates(np.array([[2.0, 0, 4], [0, 0, 0]]), delta=0.5)
    np.testing.assert_allclose(rate, [6 / (7 / 6 + 1.75), 1.5 / (7 / 6 + 1.75)])


def test_fitted_is_the_rate_known_before_each_period() -> None:
    # no discount; the prior is refitted from the S, N known before each period (no look-ahead):
    # before period 1: rates 4, 0 over 1 period: m = 2, var 4, noise 2 → v = 2, a = 2, b = 1;
    # before period 2: rates 4, 0 over 2 periods: noise 1 → v = 3, a = 4/3, b = 2/3.
    # (The prior of the final totals, a = 1.2, b = 0.6, would give 5.2/1.6 and 9.2/2.6.)
    _, fitted = poisson_gamma_rates(np.array([[4.0, 4, 4], [0, 0, 0]]), 1.0, init_periods=1)
    assert np.isnan(fitted[:, 0]).all()
    np.testing.assert_allclose(fitted[:, 1], [6 / 2, 2 / 2])
    np.testing.assert_allclose(fitted[:, 2], [(4 / 3 + 8) / (2 / 3 + 2), (4 / 3) / (8 / 3)])


def test_fitted_values_do_not_depend_on_later_periods() -> None:
    rng = np.random.default_rng(3)
    values = rng.poisson(1.5, (6, 20)).astype(float)
    later = values.copy()
    later[:, 12:] = rng.poisson(9.0, (6, 8))  # another future
    _, fit_a = poisson_gamma_rates(values, 0.9, init_periods=2)
    _, fit_b = poisson_gamma_rates(later, 0.9, init_periods=2)
    np.testing.assert_array_equal(fit_a[:, :13], fit_b[:, :13])


def test_missing_periods_are_skipped_not_zero() -> None:
    full = np.array([[3.0, 1, 2, 0], [0, 0, 1, 0]])
    gappy = np.array([[3.0, np.nan, 1, 2, 0], [0, np.nan, 0, 1, 0]])
    late = np.array([[np.nan, 3.0, 1, 2, 0], [np.nan, 0, 0, 1, 0]])
    ref, _ = poisson_gamma_rates(full, 0.8)
    np.testing.assert_allclose(poisson_gamma_rates(gappy, 0.8)[0], ref)
    np.testing.assert_allclose(poisson_gamma_rates(late, 0.8)[0], ref)


def test_never_observed_series_forecasts_zero_never_sold_is_shrunk_up() -> None:
    values = np.array([[np.nan] * 6, [0.0] * 6, [2.0, 1, 3, 2, 2, 1]])
    out = PoissonGammaModel(delta=0.9).forecast(make_batch(values), 3, QUANTILES)
    assert np.all(out.mean[0] == 0) and np.all(out.quantiles[0] == 0)
    assert 0 < out.mean[1, 0] < out.mean[2, 0] < 11 / 6


def test_discount_is_fitted_on_the_batch_and_registered() -> None:
    rng = np.random.default_rng(3)
    values = rng.poisson(rng.gamma(1.0, 1.0, size=(50, 1)), size=(50, 30)).astype(float)
    model = get_model("poisson_gamma")
    out = model.forecast(make_batch(values), 4, QUANTILES)
    assert model.fitted_constants_[0] in (0.7, 0.8, 0.85, 0.9, 0.95)
    assert np.all(np.diff(out.quantiles, axis=-1) >= 0)
    # monthly: no seasonal profile; stationary demand: the pooled drift stays near 1
    assert np.all(np.abs(model.drift_ - 1) < 0.05)
    flat = PoissonGammaModel(drift=False).forecast(make_batch(values), 4, QUANTILES)
    assert np.allclose(flat.mean, flat.mean[:, :1])
    np.testing.assert_allclose(out.mean, flat.mean * model.drift_[None, :])


def test_vectorised_candidates_pool_over_one_batch_per_models_tuple() -> None:
    assert run_module._chunk_size(["poisson_gamma", "tsb", "ensemble"]) == (
        run_module.POOLED_CHUNK_SIZE
    )
    assert run_module._chunk_size(["tsb", "ets"]) == run_module.CHUNK_SIZE
    assert run_module._chunk_size([PoissonGammaModel()]) == run_module.CHUNK_SIZE
    assert run_module.POOLED_CHUNK_SIZE > 10 * run_module.CHUNK_SIZE


def _fading_batch(n: int = 400, periods: int = 36, decay: float = 0.97, seed: int = 5):
    """Parts whose Poisson demand rate falls by ``1 - decay`` a month (obsolescence)."""
    rng = np.random.default_rng(seed)
    base = rng.gamma(1.0, 1.5, size=(n, 1))
    rate = base * decay ** np.arange(periods + 12)[None, :]
    return rng.poisson(rate).astype(float), rate


def test_pooled_drift_follows_a_shared_decline_and_lowers_the_loss() -> None:
    values, rate = _fading_batch()
    history, future = values[:, :36], values[:, 36:]
    drifted = PoissonGammaModel()
    out = drifted.forecast(make_batch(history), 12, QUANTILES)
    flat = PoissonGammaModel(drift=False).forecast(make_batch(history), 12, QUANTILES)
    # the factor falls with the lead (3 % a month, on top of the discounted rate's own lag)
    assert np.all(np.diff(drifted.drift_) <= 0) and drifted.drift_[-1] < 0.85
    # the aggregate forecast tracks the true aggregate rate far better than the flat rate
    # (measured: 1.10 against 1.45 times the truth; the drift is measured on the lagging rate)
    truth = rate[:, 36:].sum()
    assert abs(out.mean.sum() / truth - 1) < 0.15 and flat.mean.sum() / truth - 1 > 0.35

    def loss(q: np.ndarray) -> float:
        d = future[..., None] - q
        lv = np.asarray(QUANTILES)
        return float(np.maximum(lv * d, (lv - 1) * d).sum())

    assert loss(out.quantiles) < 0.97 * loss(flat.quantiles)


def test_pooled_drift_is_off_on_daily_calendars_by_default() -> None:
    values, _ = _fading_batch(n=50, periods=120, decay=0.99)
    model = PoissonGammaModel()
    model.forecast(make_batch(values[:, :120], freq="D", season_length=7), 14, QUANTILES)
    assert model.drift_ is None
    forced = PoissonGammaModel(drift=True, drift_window=28)
    out = forced.forecast(make_batch(values[:, :120], freq="D", season_length=7), 14, QUANTILES)
    assert forced.drift_.shape == (14,) and np.all(forced.drift_ < 1)
    assert np.all(np.diff(out.quantiles, axis=-1) >= 0)
