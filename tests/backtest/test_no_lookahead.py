"""No look-ahead: what the backtest did at a cutoff cannot depend on demand after that cutoff.

The data after the middle backtest cutoff is replaced by another future (scaled, shuffled and
noisy). Everything the run did at that cutoff and the earlier one must stay the same, to the bit:
every candidate's forecast (so its fitted constants, prior and dispersion), the calibration of
those forecasts, and the model ``auto``'s selection would have chosen there.
"""

import numpy as np
import pandas as pd
import pytest

from forecasting.backtest import BacktestSettings, auto_forecast

H, T, N = 6, 42, 80
MODELS = "poisson_gamma,sba,moving_average,empirical,seasonal_naive"


def _history(values: np.ndarray) -> pd.DataFrame:
    dates = pd.date_range("2021-01-01", periods=values.shape[1], freq="MS")
    return pd.DataFrame(
        {
            "sku": np.repeat([f"s{i:03d}" for i in range(len(values))], values.shape[1]),
            "date": np.tile(dates, len(values)),
            "units": values.reshape(-1),
        }
    )


def _values(seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    smooth = rng.poisson(rng.uniform(5, 40, (N // 2, 1)), (N // 2, T))
    sparse = rng.poisson(rng.uniform(0.1, 1.5, (N // 2, 1)), (N // 2, T))
    return np.vstack([smooth, sparse]).astype(float)


def _other_future(values: np.ndarray, start: int) -> np.ndarray:
    rng = np.random.default_rng(99)
    out = values.copy()
    after = out[:, start:]
    after = rng.permuted(after, axis=1) * 3.0 + rng.poisson(4.0, after.shape)
    out[:, start:] = after
    return out


@pytest.mark.parametrize("select", ["auto", "class"])
def test_nothing_done_at_a_cutoff_depends_on_demand_after_it(select):
    values = _values()
    base = auto_forecast(
        _history(values), H, models=MODELS, backtest=BacktestSettings(n_windows=3, select=select)
    )
    assert len(base.cutoffs) == 3
    cut = base.cutoffs[1]  # the middle cutoff: windows 0 and 1 were forecast before it
    start = int(np.flatnonzero(pd.date_range("2021-01-01", periods=T, freq="MS") == cut)[0]) + 1
    other = auto_forecast(
        _history(_other_future(values, start)),
        H,
        models=MODELS,
        backtest=BacktestSettings(n_windows=3, select=select),
    )
    assert (other.cutoffs == base.cutoffs).all()

    # the perturbation reaches the later window and the final choice (the test can fail)
    late_a = base.backtest[base.backtest["cutoff"] == base.cutoffs[2]]
    late_b = other.backtest[other.backtest["cutoff"] == base.cutoffs[2]]
    assert not np.allclose(late_a["mean"].to_numpy(), late_b["mean"].to_numpy())

    cols = ["sku", "cutoff", "date", "model", "mean", "p10", "p50", "p90"]
    early_a = base.backtest[base.backtest["cutoff"] <= cut][cols].reset_index(drop=True)
    early_b = other.backtest[other.backtest["cutoff"] <= cut][cols].reset_index(drop=True)
    # every candidate's forecast and its calibrated quantiles at and before the cutoff
    pd.testing.assert_frame_equal(early_a, early_b, check_exact=True)

    # the calibration applied at and before the cutoff
    for alias, by_cut in base.window_calibration.items():
        for c in base.cutoffs[:2]:
            got, ref = other.window_calibration[alias][c], by_cut[c]
            assert (got is None) == (ref is None), (alias, c)
            if ref is not None:
                np.testing.assert_array_equal(got.scale, ref.scale)
                np.testing.assert_array_equal(got.shift, ref.shift)
                assert got.groups == ref.groups
    assert any(v[cut] is not None for v in base.window_calibration.values())

    # the model chosen at and before the cutoff, and the demand class it was chosen by
    wc_a = base.window_choice[base.window_choice["cutoff"] <= cut].reset_index(drop=True)
    wc_b = other.window_choice[other.window_choice["cutoff"] <= cut].reset_index(drop=True)
    pd.testing.assert_frame_equal(wc_a, wc_b)
    assert (wc_a.loc[wc_a["cutoff"] == cut, "chosen_by"] != "no backtest").all()


def test_the_oldest_cutoff_has_no_earlier_window_so_no_calibration_and_no_backtest_choice():
    run = auto_forecast(
        _history(_values()), H, models=MODELS, backtest=BacktestSettings(n_windows=3)
    )
    first = run.window_choice[run.window_choice["cutoff"] == run.cutoffs[0]]
    assert len(first) == N
    assert set(first["chosen_by"]) == {"no backtest"} and set(first["model"]) == {"poisson_gamma"}
    assert all(v[run.cutoffs[0]] is None for v in run.window_calibration.values())
    # one row per series and cutoff, classes as known at each cutoff
    assert len(run.window_choice) == N * len(run.cutoffs)
