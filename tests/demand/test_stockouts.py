"""Stockout censoring: ledger days, inferred zero runs, partial days, estimated demand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.demand import estimate_true_demand, mark_stockouts


def _frame(units: np.ndarray, sku: str = "A", start: str = "2025-01-01") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sku": sku,
            "marketplace": "US",
            "date": pd.date_range(start, periods=len(units)),
            "units": units.astype(int),
        }
    )


def _out(marked: pd.DataFrame) -> np.ndarray:
    return marked.in_stock.astype("boolean").eq(False).to_numpy(bool)


def test_planted_zero_run_in_poisson_series_is_found() -> None:
    rng = np.random.default_rng(11)
    units = rng.poisson(4.0, 500)
    units[300:312] = 0
    marked = mark_stockouts(_frame(units))
    out = _out(marked)
    assert out[300:312].all()
    assert out.sum() <= 13  # nothing else but the run (and at most its partial day)
    assert set(marked.stockout_source[out]) == {"inferred"}


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_genuinely_slow_intermittent_series_raises_no_alarm(seed: int) -> None:
    rng = np.random.default_rng(seed)
    units = rng.poisson(0.3, 730)  # natural zero runs of a couple of weeks happen
    marked = mark_stockouts(_frame(units))
    assert not _out(marked).any()
    assert marked.in_stock.notna().all()


def test_false_alarm_rate_on_slow_series_is_about_alpha() -> None:
    flagged = 0
    for seed in range(40):
        rate = (0.2, 0.5, 1.0, 2.0)[seed % 4]
        units = np.random.default_rng(100 + seed).poisson(rate, 730)
        flagged += bool(_out(mark_stockouts(_frame(units))).any())
    assert flagged <= 2  # alpha = 1 % per series; a little slack for the estimated rates


def test_leading_zeros_are_not_stockouts() -> None:
    units = np.r_[np.zeros(60), np.random.default_rng(3).poisson(5.0, 100)]
    assert not _out(mark_stockouts(_frame(units))).any()


def test_ledger_days_are_kept_and_first_day_with_sales_is_partial() -> None:
    units = np.full(60, 5)
    units[30] = 2  # ran out during the day
    units[31:40] = 0
    df = _frame(units)
    df["in_stock"] = pd.array([True] * 60, dtype="boolean")
    df.loc[30:39, "in_stock"] = False
    marked = mark_stockouts(df)
    assert _out(marked)[30:40].all() and _out(marked).sum() == 10
    assert marked.partial.tolist()[30] and marked.partial.sum() == 1
    assert (marked.stockout_source[30:40] == "ledger").all()
    assert marked.stockout_source[:30].isna().all()


def test_day_cut_short_before_an_inferred_run_is_partial() -> None:
    rng = np.random.default_rng(5)
    units = rng.poisson(10.0, 200)
    units[120] = 1  # far below a rate of 10: stock ran out that day
    units[121:131] = 0
    marked = mark_stockouts(_frame(units))
    assert marked.partial.iloc[120]
    assert _out(marked)[120:131].all()


def test_infer_false_keeps_unknown_days_unknown() -> None:
    units = np.r_[np.full(50, 6), np.zeros(10), np.full(50, 6)]
    marked = mark_stockouts(_frame(units), infer=False)
    assert marked.in_stock.isna().all() and not marked.partial.any()


def test_several_series_are_handled_separately() -> None:
    a = np.full(80, 8)
    a[40:50] = 0
    b = np.random.default_rng(2).poisson(0.2, 80)
    marked = mark_stockouts(pd.concat([_frame(b, "B"), _frame(a, "A")], ignore_index=True))
    by = marked.assign(out=_out(marked)).groupby("sku").out.sum()
    assert by["A"] == 10 and by["B"] == 0


def test_estimated_demand_interpolates_across_the_run_with_weekday_index() -> None:
    # level 4 before, 8 after; weekday pattern ×2 on Sundays relative to the rest
    dates = pd.date_range("2026-01-05", periods=98)  # starts on a Monday
    base = np.where(np.arange(98) < 42, 4.0, 8.0)
    sunday = dates.day_of_week == 6
    units = np.round(base * np.where(sunday, 2.0, 1.0) / (8 / 7)).astype(int)
    units[42:56] = 0
    df = _frame(units, start="2026-01-05")
    df["in_stock"] = pd.array([True] * 98, dtype="boolean")
    df.loc[42:55, "in_stock"] = False
    est = estimate_true_demand(df)["demand_estimate"].to_numpy()
    assert (est[:42] == units[:42]).all()
    run = est[42:56]
    assert run[sunday[42:56]].mean() > 1.4 * run[~sunday[42:56]].mean()  # weekday kept
    assert run[:7].mean() < run[7:].mean()  # ramps from the level before to the one after
    # the straight line from level 4 to level 8 averages 6 over the run
    midway = 6.0 * np.where(sunday[42:56], 2.0, 1.0) / (8 / 7)
    assert run.sum() == pytest.approx(midway.sum(), rel=0.15)


def test_estimate_runs_mark_stockouts_when_needed() -> None:
    units = np.r_[np.full(60, 6), np.zeros(10), np.full(60, 6)]
    est = estimate_true_demand(_frame(units))
    assert est.demand_estimate.iloc[60:70].round(6).tolist() == [6.0] * 10
    assert "stockout_source" in est
