"""Pooled drift over the lead: hand-worked factors, shrinkage, short histories, bounds, profiles."""

from __future__ import annotations

import numpy as np
import pytest

from forecasting.models.distributions import (
    DRIFT_STEP,
    negative_binomial_quantiles,
    pooled_drift,
    seasonal_count_forecast,
    use_drift,
)

# two series whose demand halved; f = rate known before each period (a lagging estimate)
Y = np.array([[2.0, 2, 2, 1, 1, 1], [4, 4, 4, 2, 2, 2]])
F = np.array([[np.nan, 2, 2, 2, 1.5, 1.2], [np.nan, 4, 4, 4, 3, 2.4]])


def test_golden_factors_per_lead() -> None:
    # lead 1, targets = last 2 periods: (1+1+2+2) / (1.5+1.2+3+2.4) = 6 / 8.1
    # lead 2: same targets, origins one period earlier: 6 / (2+1.5+4+3) = 6 / 10.5
    got = pooled_drift(Y, F, horizon=2, window=2, shrinkage=0.0)
    np.testing.assert_allclose(got, [6 / 8.1, 6 / 10.5])


def test_shrinkage_pulls_towards_one_by_the_demand_of_average_series() -> None:
    # c = shrinkage × (lead-1 denominator / series) = 1 × 8.1 / 2
    got = pooled_drift(Y, F, horizon=1, window=2, shrinkage=1.0)
    c = 8.1 / 2
    assert got[0] == pytest.approx((6 + c) / (8.1 + c))
    assert 6 / 8.1 < got[0] < 1


def test_lead_beyond_the_history_keeps_the_last_factor_and_nan_is_skipped() -> None:
    y = np.array([[1.0, np.nan, 1, 1]])
    f = np.array([[np.nan, 2.0, 2, 2]])
    got = pooled_drift(y, f, horizon=6, window=2, shrinkage=0.0)
    # lead 1: targets t = 2, 3 (1 + 1) over origins 2, 3 (2 + 2); lead 2: origins 1, 2
    # lead 3: origins 0, 1 → f[0] NaN, t = 3 with f[1] = 2 → 1/2; leads 4–6: no pair → keep 0.5
    np.testing.assert_allclose(got, [0.5, 0.5, 0.5, 0.5, 0.5, 0.5])


def test_no_usable_pair_means_no_drift() -> None:
    got = pooled_drift(np.zeros((2, 3)), np.full((2, 3), np.nan), horizon=3, window=2)
    np.testing.assert_array_equal(got, np.ones(3))


def test_factors_are_clipped_to_bounds() -> None:
    y = np.array([[50.0, 50, 50]])
    f = np.array([[np.nan, 1.0, 1.0]])
    assert pooled_drift(y, f, 1, 2, shrinkage=0.0)[0] == 2.0
    assert pooled_drift(y, f, 1, 2, shrinkage=0.0, bounds=(0.5, 10.0))[0] == 10.0
    assert pooled_drift(np.zeros((1, 3)), f, 1, 2, shrinkage=0.0)[0] == 0.5


def test_seasonal_profile_scales_the_origin_rate_at_the_target_period() -> None:
    # flat rate 2 with a profile 0.5 / 1.5: demand exactly on profile means no drift at all
    y = np.array([[1.0, 3, 1, 3]])
    f = np.array([[2.0, 2, 2, 2]])
    profile = np.array([[0.5, 1.5, 0.5, 1.5]])
    np.testing.assert_allclose(pooled_drift(y, f, 2, 2, profile, shrinkage=0.0), [1.0, 1.0])
    # without the profile the same demand looks like no drift too (sum 4 over sum 4) …
    # … but lead by lead on one target period it would not: window 1, target t = 3 (3 vs 2)
    assert pooled_drift(y, f, 1, 1, shrinkage=0.0)[0] == pytest.approx(1.5)
    assert pooled_drift(y, f, 1, 1, profile, shrinkage=0.0)[0] == pytest.approx(1.0)


def test_use_drift_auto_is_off_on_daily_calendars_only() -> None:
    assert use_drift("auto", 12) and use_drift("auto", 52)
    assert not use_drift("auto", 7)
    assert use_drift(True, 7) and not use_drift(False, 12)


def test_count_forecast_with_drift_uses_the_rounded_factor_per_lead() -> None:
    rate = np.array([4.0, 0.0])
    size = np.array([2.0, 2.0])
    drift = np.array([1.0, 0.9012, 0.5])
    levels = np.array([0.1, 0.5, 0.9])
    mean, qs = seasonal_count_forecast(rate, size, None, 0, 3, levels, drift)
    factors = np.array([1.0, 0.9, 0.5])  # 0.9012 → 180 steps of 0.005
    assert DRIFT_STEP == 0.005
    np.testing.assert_allclose(mean, rate[:, None] * factors[None, :])
    for j, fct in enumerate(factors):
        np.testing.assert_array_equal(
            qs[:, j], negative_binomial_quantiles(rate * fct, size, levels)
        )
    assert np.all(qs[1] == 0)
