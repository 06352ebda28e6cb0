"""Report tables of the demand area: stockout summary, top series, analog merge, weekly table."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

import forecasting.demand.analogs
import forecasting.demand.classify
import forecasting.demand.events
import forecasting.demand.series
import forecasting.demand.stockouts
import forecasting.demand.summary
from forecasting.demand import forecast_table, stockout_summary, top_series, with_analogs
from forecasting.errors import InputError


def _marked() -> pd.DataFrame:
    dates = pd.date_range("2026-01-01", periods=10)
    rows = []
    for sku, out_days in (("A", [2, 3, 4, 7]), ("B", []), ("C", [9])):
        for i, d in enumerate(dates):
            out = i in out_days
            rows.append((sku, "US", d, 0 if out else 5, 5.0 if out else 5.0, not out))
    df = pd.DataFrame(
        rows, columns=["sku", "marketplace", "date", "units", "demand_estimate", "in_stock"]
    )
    df["stockout_source"] = np.where(df.in_stock, None, "ledger")
    df.loc[(df.sku == "A") & (df.date == "2026-01-08"), "stockout_source"] = "inferred"
    return df


def test_stockout_summary_counts_spells_and_lost_units() -> None:
    s = stockout_summary(_marked())
    assert s.sku.tolist() == ["A", "C"]  # B never out; most lost demand first
    a = s.iloc[0]
    assert (a.stockout_days, a.ledger_days, a.inferred_days, a.longest_spell_days) == (4, 3, 1, 3)
    assert a.lost_units == pytest.approx(20.0)
    assert a.last_stockout == pd.Timestamp("2026-01-08")


def test_top_series_by_base_revenue() -> None:
    sales = pd.DataFrame(
        {
            "sku": ["A", "A", "B", "C"],
            "marketplace": ["US", "JP", "US", "DE"],
            "date": pd.Timestamp("2026-11-01"),
            "revenue": [100.0, 20000.0, 300.0, 50.0],
            "currency": ["USD", "JPY", "USD", "EUR"],
        }
    )
    fx = {"USD": 7.1, "JPY": 0.047, "EUR": 7.7}
    # base: A-US 710, A-JP 940, B-US 2130, C-DE 385
    assert top_series(sales, 2, fx_to_base=fx) == [("B", "US"), ("A", "JP")]
    assert top_series(sales, fx_to_base=fx, skus=["A"]) == [("A", "JP"), ("A", "US")]
    assert top_series(sales, fx_to_base=fx, skus="C") == [("C", "DE")]
    with pytest.raises(InputError, match="ZZ"):
        top_series(sales, fx_to_base=fx, skus=["A", "ZZ"])


def _forecast(sku: str, model: str, days: int = 14, level: float = 1.0) -> pd.DataFrame:
    f = pd.DataFrame(
        {
            "sku": sku,
            "marketplace": "US",
            "date": pd.date_range("2026-11-23", periods=days),
            "model": model,
            "mean": level,
        }
    )
    for q in range(10, 100, 10):
        f[f"p{q}"] = level
    return f


def test_with_analogs_replaces_the_new_series_only() -> None:
    base = pd.concat([_forecast("A", "ets"), _forecast("N", "naive")], ignore_index=True)
    out = with_analogs(base, _forecast("N", "analog", level=3.0))
    assert list(out.columns) == list(base.columns) and len(out) == 28
    assert set(out.loc[out.sku == "N", "model"]) == {"analog"}
    assert set(out.loc[out.sku == "A", "model"]) == {"ets"}
    assert with_analogs(base, pd.DataFrame()) is base


def test_forecast_table_weekly_totals() -> None:
    t = forecast_table(
        pd.concat([_forecast("A", "ets", 16, 2.0), _forecast("B", "sba", 16, 1.0)]), weeks=2
    )
    assert t.columns.tolist() == ["sku", "marketplace", "model", "11-23", "11-30", "total"]
    assert t.iloc[0].tolist() == ["A", "US", "ets", 14.0, 14.0, 32.0]


def test_forecast_table_weeks_in_date_order_across_a_year_end() -> None:
    days = pd.date_range("2026-12-21", periods=28)  # weeks from 12-21, 12-28, 01-04, 01-11
    f = pd.DataFrame(
        {"sku": "A", "marketplace": "US", "date": days, "model": "ets", "mean": range(28)}
    )
    t = forecast_table(f.astype({"mean": float}), weeks=4)
    assert t.columns.tolist()[3:] == ["12-21", "12-28", "01-04", "01-11", "total"]
    # each week's total is that week's days (0..6 → 21, 7..13 → 70 …): the labels fit the sums
    assert t.iloc[0, 3:7].tolist() == [21.0, 70.0, 119.0, 168.0]


@pytest.mark.parametrize(
    "module",
    [
        forecasting.demand.analogs,
        forecasting.demand.classify,
        forecasting.demand.events,
        forecasting.demand.series,
        forecasting.demand.stockouts,
        forecasting.demand.summary,
    ],
)
def test_docstring_examples(module) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
