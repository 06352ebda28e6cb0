"""auto_forecast: output shapes, invariants, choice, parallel = sequential."""

import numpy as np
import pandas as pd
import pytest
from bt_doubles import ConstantModel, FailingModel, HistoryMeanModel

import forecasting.backtest.run as run_module
from forecasting.backtest import auto_forecast
from forecasting.errors import InputError
from forecasting.schema import quantile_columns


def _history(n_series=5, n_periods=30, freq="W-WED", seed=0, marketplace=True):
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2023-01-04", periods=n_periods, freq=freq)
    df = pd.DataFrame(
        {
            "sku": np.repeat([f"k{i}" for i in range(n_series)], n_periods),
            "date": np.tile(dates, n_series),
            "units": rng.poisson(10, n_series * n_periods).astype(float),
        }
    )
    if marketplace:
        df.insert(1, "marketplace", "DE")
    return df


MODELS = [ConstantModel(10.0, 3.0), ConstantModel(40.0, 3.0), HistoryMeanModel()]


def test_output_frames_and_row_counts():
    run = auto_forecast(_history(), 4, models=MODELS, n_windows=3)
    qcols = quantile_columns()
    assert list(run.forecast.columns) == ["sku", "marketplace", "date", "model", "mean", *qcols]
    assert len(run.forecast) == 5 * 4
    # backtest rows = windows × horizon × series, per model
    assert len(run.backtest) == 3 * 4 * 5 * len(MODELS)
    assert run.backtest.groupby("model").size().eq(3 * 4 * 5).all()
    assert {"mase", "rmsse", "wql", "bias", "coverage_80"} <= set(run.metrics.columns)
    assert len(run.metrics) == 5 * len(MODELS)
    assert {"model", "demand_class", "scores", "reason"} <= set(run.choice.columns)
    q = run.forecast[qcols].to_numpy()
    assert (np.diff(q, axis=1) >= 0).all() and (q >= 0).all()
    qb = run.backtest[qcols].to_numpy()
    assert (np.diff(qb, axis=1) >= 0).all()
    assert (run.forecast["date"].dt.weekday == 2).all()  # W-WED stays Wednesday


def test_choice_picks_the_model_the_series_favours():
    models = [ConstantModel(25.0), ConstantModel(10.0), ConstantModel(40.0)]  # series ≈ 10
    run = auto_forecast(_history(), 4, models=models, select="series")
    assert (run.choice["model"] == "constant_10").all()
    assert (run.choice["chosen_by"] == "series").all()
    assert run.choice["scores"].str.contains("constant_40=").all()
    assert (run.forecast["model"] == "constant_10").all()


def test_failing_model_falls_back_and_is_flagged():
    run = auto_forecast(_history(n_series=2), 3, models=[FailingModel(), ConstantModel(10.0)])
    failing = run.metrics[run.metrics["model"] == "failing"]
    assert failing["failed"].all()
    assert np.isfinite(run.forecast["mean"]).all()


def test_sequential_equals_process_pool_and_dask(monkeypatch):
    monkeypatch.setattr(run_module, "CHUNK_SIZE", 2)  # 3 tasks for 5 series
    hist = _history()
    ref = auto_forecast(hist, 4, models=MODELS, jobs=1)
    par = auto_forecast(hist, 4, models=MODELS, jobs=2)
    dsk = auto_forecast(hist, 4, models=MODELS, jobs=2, backend="dask")
    for other in (par, dsk):
        pd.testing.assert_frame_equal(ref.forecast, other.forecast)
        pd.testing.assert_frame_equal(ref.backtest, other.backtest)
        pd.testing.assert_frame_equal(ref.metrics, other.metrics)
        pd.testing.assert_frame_equal(ref.choice, other.choice)


def test_registry_models_on_month_start_history():
    hist = _history(n_periods=36, freq="MS", marketplace=False)
    run = auto_forecast(hist, 6, models="tsb,empirical", quantiles=(0.05, 0.5, 0.95))
    assert list(run.forecast.columns) == ["sku", "date", "model", "mean", "p5", "p50", "p95"]
    assert run.forecast["date"].dt.is_month_start.all()
    assert run.forecast["date"].min() == pd.Timestamp("2026-02-01")  # last month + 1
    assert set(run.choice["model"]) <= {"tsb", "empirical"}
    assert "coverage_90" in run.metrics.columns


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"models": "nope"}, "unknown model 'nope'"),
        ({"quantiles": (0.1, 1.2)}, "outside"),
        ({"horizon": 0}, "at least 1"),
    ],
)
def test_bad_parameters(kwargs, match):
    args = {"horizon": 4, **kwargs}
    with pytest.raises(InputError, match=match):
        auto_forecast(_history(), args.pop("horizon"), **args)
