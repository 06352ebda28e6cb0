"""Quantile calibration on synthetic series with a known distribution."""

import numpy as np
import pandas as pd
from bt_doubles import ConstantModel

from forecasting.backtest import auto_forecast
from forecasting.backtest.calibrate import apply_calibration, fit_calibration


def _normal_history(n_series=150, n_periods=40, seed=1):
    rng = np.random.default_rng(seed)
    values = rng.normal(100.0, 20.0, size=(n_series, n_periods)).clip(0)
    dates = pd.date_range("2020-01-01", periods=n_periods, freq="MS")
    return pd.DataFrame(
        {
            "sku": np.repeat([f"s{i:03d}" for i in range(n_series)], n_periods),
            "date": np.tile(dates, n_series),
            "units": values.reshape(-1),
        }
    )


def test_too_narrow_band_is_widened_to_nominal_coverage():
    hist = _normal_history()
    narrow = ConstantModel(100.0, sd=4.0, alias="narrow")  # true sd is 20
    run = auto_forecast(hist, 6, models=[narrow], quantiles=(0.1, 0.5, 0.9))
    future = np.random.default_rng(2).normal(100.0, 20.0, size=(150, 6))
    fc = run.forecast.sort_values(["sku", "date"])
    lo, hi = fc["p10"].to_numpy().reshape(150, 6), fc["p90"].to_numpy().reshape(150, 6)
    raw_cover = np.mean(np.abs(future - 100.0) <= 4.0 * 1.2816)
    cover = np.mean((future >= lo) & (future <= hi))
    assert raw_cover < 0.3
    assert 0.74 <= cover <= 0.86
    # in the backtest, windows calibrated on earlier windows only are close to nominal too; the
    # oldest window has no earlier one and keeps the model's own (narrow) band
    bt = run.backtest
    later = bt[bt["cutoff"] > run.cutoffs[0]]
    inside = (later["units"] >= later["p10"]) & (later["units"] <= later["p90"])
    assert 0.72 <= inside.mean() <= 0.88
    first = bt[bt["cutoff"] == run.cutoffs[0]]
    assert ((first["units"] >= first["p10"]) & (first["units"] <= first["p90"])).mean() < 0.3
    assert run.window_calibration["narrow"][run.cutoffs[0]] is None


def test_calibration_keeps_good_quantiles_and_outputs_monotone_nonnegative():
    rng = np.random.default_rng(3)
    y = rng.normal(50.0, 10.0, size=(3, 200, 6))
    mean = np.full_like(y, 50.0)
    z = np.array([-1.2816, 0.0, 1.2816])
    q = mean[..., None] + 10.0 * z
    cal = fit_calibration(y, mean, q, (0.1, 0.5, 0.9))
    assert cal.is_identity  # correct quantiles: no correction earns 1 % of loss
    wild = mean[..., None] + np.array([5.0, -30.0, -60.0])  # crossing and far below zero
    out = apply_calibration(cal, mean, wild)
    assert (np.diff(out, axis=-1) >= 0).all() and (out >= 0).all()
