"""auto_forecast: output shapes, invariants, choice, parallel = sequential."""

import numpy as np
import pandas as pd
import pytest
from bt_doubles import ConstantModel, FailingModel, HistoryMeanModel

import forecasting.backtest.run as run_module
from forecasting.backtest import BacktestSettings, ComputeSettings, auto_forecast
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
    run = auto_forecast(_history(), 4, models=MODELS, backtest=BacktestSettings(n_windows=3))
    qcols = quantile_columns()
    assert list(run.forecast.columns) == ["sku", "marketplace", "date", "model", "mean", *qcols]
    assert len(run.forecast) == 5 * 4
    # backtest rows = windows × horizon × series, per model (the candidates and their combination)
    assert len(run.backtest) == 3 * 4 * 5 * (len(MODELS) + 1)
    assert run.backtest.groupby("model").size().eq(3 * 4 * 5).all()
    assert "combination" in set(run.backtest["model"])
    assert {"mase", "rmsse", "wql", "bias", "coverage_80"} <= set(run.metrics.columns)
    assert len(run.metrics) == 5 * (len(MODELS) + 1)
    assert {"model", "demand_class", "scores", "reason"} <= set(run.choice.columns)
    q = run.forecast[qcols].to_numpy()
    assert (np.diff(q, axis=1) >= 0).all() and (q >= 0).all()
    qb = run.backtest[qcols].to_numpy()
    assert (np.diff(qb, axis=1) >= 0).all()
    assert (run.forecast["date"].dt.day_of_week == 2).all()  # W-WED stays Wednesday


def test_choice_picks_the_model_the_series_favours():
    models = [ConstantModel(25.0), ConstantModel(10.0), ConstantModel(40.0)]  # series ≈ 10
    run = auto_forecast(_history(), 4, models=models, backtest=BacktestSettings(select="series"))
    assert (run.choice["model"] == "constant_10").all()
    assert (run.choice["chosen_by"] == "series").all()
    assert run.choice["scores"].str.contains("constant_40=").all()
    assert (run.forecast["model"] == "constant_10").all()


def test_combination_is_the_median_of_the_candidates_and_wins_near_ties():
    models = [ConstantModel(9.0, alias="nine"), ConstantModel(10.0, alias="ten"),
              ConstantModel(11.0, alias="eleven")]  # fmt: skip
    flat = _history().assign(units=10.0)
    run = auto_forecast(
        flat, 4, models=models, backtest=BacktestSettings(calibrate=False, select="series")
    )
    combo = run.backtest[run.backtest["model"] == "combination"]
    np.testing.assert_allclose(combo["mean"], 10.0)  # mean of 9, 10, 11
    np.testing.assert_allclose(combo["p50"], 10.0)  # median of the medians
    # "ten" and the combination forecast the same: the combination is preferred
    assert (run.choice["model"] == "combination").all()
    alone = auto_forecast(
        flat, 4, models=models, backtest=BacktestSettings(calibrate=False, combine=False)
    )
    assert "combination" not in set(alone.metrics["model"])


def test_failing_model_falls_back_and_is_flagged():
    run = auto_forecast(_history(n_series=2), 3, models=[FailingModel(), ConstantModel(10.0)])
    failing = run.metrics[run.metrics["model"] == "failing"]
    assert failing["failed"].all()
    assert np.isfinite(run.forecast["mean"]).all()


def test_sequential_equals_process_pool_and_dask(monkeypatch):
    monkeypatch.setattr(run_module, "CHUNK_SIZE", 2)  # 3 tasks for 5 series
    monkeypatch.setattr(run_module, "POOLED_CHUNK_SIZE", 2)
    hist = _history()
    ref = auto_forecast(hist, 4, models=MODELS, compute=ComputeSettings(jobs=1))
    par = auto_forecast(hist, 4, models=MODELS, compute=ComputeSettings(jobs=2))
    dsk = auto_forecast(hist, 4, models=MODELS, compute=ComputeSettings(jobs=2, backend="dask"))
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
    assert set(run.choice["model"]) <= {"tsb", "empirical", "combination"}
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


def test_censored_and_late_launched_series_do_not_break_the_run():
    hist = _history(n_series=3, n_periods=30)
    hist["in_stock"] = True
    hist.loc[hist["sku"] == "k0", "in_stock"] = False  # never known in stock
    late = hist["sku"].eq("k1") & (hist.groupby("sku").cumcount() < 24)
    hist = hist[~late]  # k1 launched 6 weeks before the end
    run = auto_forecast(hist, 4, models="tsb,empirical,ets")
    assert len(run.forecast) == 3 * 4
    assert np.isfinite(run.forecast[quantile_columns()].to_numpy()).all()
    assert run.backtest.loc[run.backtest["sku"] == "k0", "units"].isna().all()
    assert set(run.choice["chosen_by"]) <= {"series", "demand class", "only candidate"}
