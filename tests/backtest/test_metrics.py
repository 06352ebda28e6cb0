"""Golden values of the accuracy metrics, worked by hand."""

import numpy as np
import pytest

from forecasting.backtest import metrics as mt


def test_pinball_loss_hand_worked():
    # q = 0.9: under-forecast by 2 costs 0.9·2 = 1.8; over-forecast by 3 costs 0.1·3 = 0.3
    got = mt.pinball_loss(np.array([10.0, 10.0]), np.array([8.0, 13.0]), 0.9)
    np.testing.assert_allclose(got, [1.8, 0.3])
    # q = 0.5 is half the absolute error
    np.testing.assert_allclose(mt.pinball_loss(np.array([4.0]), np.array([1.0]), 0.5), [1.5])


def test_wql_hand_worked_and_zero_forecast_is_one():
    y = np.array([[0.0, 4.0]])
    f = np.array([[[0.0, 1.0], [2.0, 5.0]]])  # q=0.1 path [0, 2], q=0.9 path [1, 5]
    # q=0.1: loss 0 + 0.1·2 = 0.2 → 2·0.2/4 = 0.1;  q=0.9: 0.1·1 + 0.1·1 = 0.2 → 0.1
    assert mt.wql(y, f, [0.1, 0.9]) == pytest.approx(0.1)
    qs = [0.1, 0.5, 0.9]
    y2 = np.array([[3.0, 0.0, 5.0], [1.0, 1.0, np.nan]])
    assert mt.wql(y2, np.zeros((2, 3, 3)), qs) == pytest.approx(np.mean([2 * q for q in qs]))


def test_wql_ignores_nan_actuals_and_is_nan_without_demand():
    f = np.ones((1, 2, 1))
    assert mt.wql(np.array([[np.nan, 2.0]]), f, [0.5]) == pytest.approx(2 * 0.5 * 1 / 2)
    assert np.isnan(mt.wql(np.zeros((1, 2)), f, [0.5]))


def test_mase_hand_worked():
    # in-sample 1, 2, 4 with m = 1: naive errors 1 and 2 → scale 1.5; errors 1, 1 → 1/1.5
    got = mt.mase(np.array([[3.0, 5.0]]), np.array([[4.0, 4.0]]), np.array([[1.0, 2.0, 4.0]]), 1)
    np.testing.assert_allclose(got, [2 / 3])
    # seasonal m = 2: pairs (1,4), (2,6) → scale (3 + 4)/2 = 3.5; error |7 − 0| = 7 → 2
    got = mt.mase(np.array([[7.0]]), np.array([[0.0]]), np.array([[1.0, 2.0, 4.0, 6.0]]), 2)
    np.testing.assert_allclose(got, [2.0])


def test_mase_nan_for_zero_scale_and_falls_back_to_lag_one():
    assert np.isnan(mt.mase(np.array([[1.0]]), np.array([[0.0]]), np.zeros((1, 5)), 2))[0]
    # only 3 in-sample points for m = 12: the lag-1 scale (|2−1| + |4−2|)/2 = 1.5 is used
    got = mt.mase(np.array([[3.0]]), np.array([[0.0]]), np.array([[1.0, 2.0, 4.0]]), 12)
    np.testing.assert_allclose(got, [2.0])


def test_rmsse_bias_coverage_hand_worked():
    # scale: squared lag-1 errors 1, 4 → 2.5; squared errors 1, 9 → 5; sqrt(5/2.5)
    got = mt.rmsse(np.array([[3.0, 5.0]]), np.array([[4.0, 2.0]]), np.array([[1.0, 2.0, 4.0]]), 1)
    np.testing.assert_allclose(got, [np.sqrt(2.0)])
    np.testing.assert_allclose(mt.bias(np.array([[2.0, 2.0]]), np.array([[3.0, 3.0]])), [0.5])
    cov = mt.coverage(
        np.array([[1.0, 5.0, 9.0, np.nan]]), np.full((1, 4), 2.0), np.full((1, 4), 8.0)
    )
    np.testing.assert_allclose(cov, [1 / 3])
