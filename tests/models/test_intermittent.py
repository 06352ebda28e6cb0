"""Croston / SBA / TSB: hand-worked golden values, vectorised = per-series loop, calibration."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import QUANTILES, make_batch
from scipy import stats

from forecasting.models.intermittent import (
    CrostonModel,
    SBAModel,
    TSBModel,
    croston_rates,
    tsb_rates,
)

# demand 3, 5, 4 units after intervals of 3, 2, 3 periods
SERIES = np.array([[0.0, 0, 3, 0, 5, 0, 0, 4]])


def test_croston_golden() -> None:
    # z: 3 → 3 + .1(5 − 3) = 3.2 → 3.2 + .1(4 − 3.2) = 3.28
    # p: 3 → 3 + .1(2 − 3) = 2.9 → 2.9 + .1(3 − 2.9) = 2.91
    rate, fitted = croston_rates(SERIES, alpha=0.1)
    assert rate[0] == pytest.approx(3.28 / 2.91, abs=1e-12)
    # before the first demand nothing is known; after it the rate is 3 / 3
    assert np.isnan(fitted[0, :3]).all()
    assert fitted[0, 3] == pytest.approx(1.0)
    assert fitted[0, 5] == pytest.approx(3.2 / 2.9)


def test_sba_is_croston_times_one_minus_half_alpha() -> None:
    batch = make_batch(SERIES)
    # the rates, without the pooled drift (which would absorb a constant factor such as 0.9)
    croston = CrostonModel(alpha=0.2, drift=False).forecast(batch, 2, QUANTILES).mean
    sba = SBAModel(alpha=0.2, drift=False).forecast(batch, 2, QUANTILES).mean
    # z: 3 → 3.4 → 3.52; p: 3 → 2.8 → 2.84
    assert croston[0, 0] == pytest.approx(3.52 / 2.84, abs=1e-12)
    np.testing.assert_allclose(sba, croston * 0.9)


def test_tsb_golden() -> None:
    # start (first 4 observed periods): p = 1/4, z = 3
    # p: .25 → .225 → .2025 → .28225 → .254025 → .3286225 → .29576025 → .266184225 → .3395658025
    # z: 3 → 3 (after the 3) → 3.2 (after the 5) → 3.28 (after the 4)
    rate, fitted = tsb_rates(SERIES, alpha=0.1, beta=0.1, init_periods=4)
    assert rate[0] == pytest.approx(0.3395658025 * 3.28, abs=1e-12)
    assert np.isnan(fitted[0, :4]).all()
    assert fitted[0, 4] == pytest.approx(0.254025 * 3)  # known before the 5th period


def test_tsb_decays_after_obsolescence_croston_does_not() -> None:
    x = np.concatenate([np.tile([0.0, 4.0], 12), np.zeros(24)])[None, :]
    assert tsb_rates(x, 0.1, 0.1)[0][0] < 0.2
    assert croston_rates(x, 0.1)[0][0] == pytest.approx(2.0)


def test_censored_periods_are_skipped_not_zero() -> None:
    censored = np.array([[0.0, 0, np.nan, 3, 0, 5, 0, np.nan, 0, 4]])
    # the NaN periods do not count towards the intervals: same as the golden series
    assert croston_rates(censored, 0.1)[0][0] == pytest.approx(croston_rates(SERIES, 0.1)[0][0])
    late = np.concatenate([np.full((1, 5), np.nan), SERIES], axis=1)
    assert tsb_rates(late, 0.1, 0.1, 4)[0][0] == pytest.approx(tsb_rates(SERIES, 0.1, 0.1, 4)[0][0])


@pytest.mark.parametrize("fn", [croston_rates, tsb_rates])
def test_vectorised_equals_per_series_loop(fn) -> None:
    rng = np.random.default_rng(7)
    x = rng.binomial(1, 0.3, (50, 30)) * rng.poisson(4, (50, 30)).astype(float)
    x[rng.random((50, 30)) < 0.1] = np.nan
    x[:10, :8] = np.nan
    rate, fitted = fn(x)
    for i in range(50):
        r_i, f_i = fn(x[i : i + 1])
        assert rate[i] == pytest.approx(r_i[0], abs=1e-12)
        np.testing.assert_allclose(fitted[i], f_i[0], equal_nan=True)


def test_tsb_fits_constants_on_the_batch() -> None:
    rng = np.random.default_rng(3)
    x = rng.binomial(1, 0.3, (100, 36)) * rng.poisson(4, (100, 36)).astype(float)
    model = TSBModel()
    model.forecast(make_batch(x), 3, QUANTILES)
    assert model.fitted_constants_[0] in (0.05, 0.1, 0.2, 0.3, 0.5)
    fixed = TSBModel(alpha=0.1, beta=0.2)
    fixed.forecast(make_batch(x), 3, QUANTILES)
    assert fixed.fitted_constants_ == (0.1, 0.2)


def test_coverage_on_intermittent_negative_binomial_demand() -> None:
    """Bernoulli(0.3) × (1 + NB(size 2, mean 3)) demand, 2,000 series: calibrated quantiles.

    For a count, ``q`` is a correct ``tau``-quantile when ``P(Y < q) <= tau <= P(Y <= q)``; over many
    series the observed shares must bracket each level, and the 10–90 band must hold ≈ 80 %.
    """
    rng = np.random.default_rng(11)
    n, t, h = 2000, 60, 12

    def draw(shape: tuple[int, int]) -> np.ndarray:
        return rng.binomial(1, 0.3, shape) * (1 + rng.negative_binomial(2, 2 / 5, shape))

    history, future = draw((n, t)).astype(float), draw((n, h))
    out = TSBModel().forecast(make_batch(history), h, QUANTILES)
    for k, tau in enumerate(QUANTILES):
        q = out.quantiles[..., k]
        assert (future < q).mean() - 0.05 <= tau <= (future <= q).mean() + 0.05, tau
    lo, hi = out.quantiles[..., 0], out.quantiles[..., -1]
    assert (future < lo).mean() <= 0.15 and (future > hi).mean() <= 0.15
    assert out.mean.mean() == pytest.approx(0.3 * (1 + 3), rel=0.1)


def test_poisson_quantiles_of_a_poisson_series() -> None:
    rng = np.random.default_rng(5)
    x = rng.poisson(5, (300, 48)).astype(float)
    out = TSBModel(distribution="poisson").forecast(make_batch(x), 1, QUANTILES)
    true = stats.poisson.ppf(QUANTILES, 5)
    median_q = np.median(out.quantiles[:, 0, :], axis=0)
    np.testing.assert_allclose(median_q, true, atol=1)
