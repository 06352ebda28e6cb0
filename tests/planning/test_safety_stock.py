"""Policy maths: golden textbook examples worked by hand, properties, and every doctest."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from forecasting.planning import safety_stock as ss

MODULES = [
    "forecasting.planning.safety_stock",
    "forecasting.planning.leadtime",
    "forecasting.planning.fba.position",
    "forecasting.planning.fees",
    "forecasting.planning.fba.projection",
    "forecasting.planning.fba.plan_rows",
    "forecasting.planning.unit_economics",
    "forecasting.planning.excel",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    """The worked examples in the docstrings run and match."""
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_safety_stock_normal_known_lead_time():
    # d = 20/day, σ_d = 5/day, L = 9 days, α = 0.95: σ_DL = 5·3 = 15, k = 1.64485 → SS = 24.673
    assert ss.safety_stock_normal(20, 5, 9, 0.95) == pytest.approx(24.6728, abs=1e-3)
    # reorder point = d·L + SS = 180 + 24.673
    assert ss.reorder_point_normal(20, 5, 9, 0.95) == pytest.approx(204.6728, abs=1e-3)


def test_safety_stock_with_lead_time_spread():
    # d = 100, σ_d = 20, L = 10 ± 2: σ_DL = √(10·400 + 100²·4) = √44000 = 209.762; k(0.90) = 1.28155
    assert ss.demand_sd_over_lead_time(100, 20, 10, 2) == pytest.approx(209.762, abs=1e-3)
    assert ss.safety_stock_normal(100, 20, 10, 0.90, lead_time_sd=2) == pytest.approx(
        1.28155 * 209.762, abs=1e-2
    )


def test_expected_shortage_matches_spt_table():
    # SPT Table B.1: G(0) = 0.3989, G(1.0) = 0.0833, G(2.0) = 0.0085
    assert ss.standard_normal_loss(0) == pytest.approx(0.3989, abs=1e-4)
    assert ss.standard_normal_loss(1) == pytest.approx(0.0833, abs=1e-4)
    assert ss.standard_normal_loss(2) == pytest.approx(0.0085, abs=1e-4)
    # μ = 500, σ = 100, s = 600 (k = 1): ESPRC = 100 · 0.0833 = 8.33 units
    assert ss.expected_shortage_normal(600, 500, 100) == pytest.approx(8.33, abs=0.01)
    # σ = 0: shortage is the deterministic gap
    assert ss.expected_shortage_normal(90, 100, 0) == 10


def test_expected_shortage_against_monte_carlo():
    rng = np.random.default_rng(7)
    d = rng.normal(500, 100, 200_000)
    assert np.maximum(d - 550, 0).mean() == pytest.approx(
        ss.expected_shortage_normal(550, 500, 100), rel=0.02
    )


def test_reorder_point_poisson_hand_worked():
    # λ = 3: F(5) = 0.9161, F(6) = 0.9665 → 6 at 95 %; F(4) = 0.8153, F(5) ≥ 0.90 → 5 at 90 %
    assert ss.reorder_point_poisson(3, 0.95) == 6
    assert ss.reorder_point_poisson(3, 0.90) == 5
    assert ss.reorder_point_poisson(0, 0.95) == 0
    for lam in (0.5, 2.0, 7.5, 30.0):
        s = ss.reorder_point_poisson(lam, 0.97)
        assert stats.poisson.cdf(s, lam) >= 0.97 > stats.poisson.cdf(s - 1, lam)


def test_demand_over_period_correlation_bounds():
    mean, sd = np.full(30, 4.0), np.full(30, 2.0)
    m0, s0 = ss.demand_over_period(mean, sd, correlation=0.0)
    m1, s1 = ss.demand_over_period(mean, sd, correlation=1.0)
    mh, sh = ss.demand_over_period(mean, sd, correlation=0.3)
    assert m0 == m1 == mh == 120
    assert s0 == pytest.approx(2 * np.sqrt(30))
    assert s1 == pytest.approx(60)
    assert s0 < sh < s1
    # lead-time spread adds d̄²σ_L²: √(0 + 4²·3²) = 12 with zero daily sd
    assert ss.demand_over_period(mean, np.zeros(30), lead_time_sd=3)[1] == pytest.approx(12)


def test_gamma_quantile_matches_simulated_sum():
    """Quantile of a sum of daily demands ≠ sum of daily quantiles; the gamma fit gets it right."""
    rng = np.random.default_rng(3)
    lam = np.full(60, 5.0)
    sums = rng.poisson(lam, size=(40_000, 60)).sum(axis=1)
    m, s = ss.demand_over_period(lam, np.sqrt(lam), correlation=0.0)
    assert float(ss.gamma_quantile(m, s, 0.95)) == pytest.approx(np.quantile(sums, 0.95), rel=0.01)
    # the naive sum of daily 95 % quantiles overstates it a lot
    assert stats.poisson.ppf(0.95, 5) * 60 > 1.25 * np.quantile(sums, 0.95)


def test_order_up_to_level_is_quantile_of_protection_demand():
    s, safety = ss.order_up_to_level(np.full(70, 10.0), np.zeros(70), 0.95)
    assert s == pytest.approx(700) and safety == pytest.approx(0)
    s2, _ = ss.order_up_to_level(np.full(70, 10.0), np.full(70, 4.0), 0.97)
    s1, _ = ss.order_up_to_level(np.full(70, 10.0), np.full(70, 4.0), 0.90)
    assert s2 > s1 > 700


def test_daily_sd_from_quantiles():
    assert ss.daily_sd_from_quantiles(np.array([10 - 1.28155]), np.array([10 + 1.28155]))[
        0
    ] == pytest.approx(1.0, abs=1e-4)
    assert ss.daily_sd_from_quantiles(np.array([5.0]), np.array([4.0]))[0] == 0


@given(
    q=st.floats(-100, 10_000, allow_nan=False),
    case=st.integers(1, 48),
    moq=st.integers(0, 2000),
)
def test_round_order_quantity_properties(q, case, moq):
    out = ss.round_order_quantity(q, case, moq)
    assert out >= 0
    assert out % case == 0
    if q <= 0:
        assert out == 0
    else:
        assert out >= q - 1e-6 and out >= moq
        assert out - case < max(q, moq)  # no more than one case beyond what is needed


def test_one_abc_rule_lives_in_demand_classify():
    """The plan's ABC classes come from ``demand.classify.abc_classes`` only (issue 9): the
    second rule that disagreed with it on 70/20/6/4 (A, A, B, C) is gone; the plan's use of the
    one rule is tested in test_replenishment."""
    assert not hasattr(ss, "revenue_abc")
