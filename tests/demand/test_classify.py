"""Demand classes (SBC, hand-worked) and ABC by revenue (tiny table)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.demand import abc_classes, classify_demand
from forecasting.errors import InputError


def _weekly(units: list[int], sku: str = "A", in_stock: list[bool] | None = None) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "sku": sku,
            "marketplace": "US",
            "date": pd.date_range("2026-01-05", periods=len(units), freq="W-MON"),
            "units": units,
        }
    )
    if in_stock is not None:
        df["in_stock"] = pd.array(in_stock, dtype="boolean")
    return df


def test_hand_worked_adi_and_cv2() -> None:
    # after launch (the leading 0 dropped): 8 periods, 4 with demand → ADI = 2.0
    # sizes 2, 6, 4, 8: mean 5, sample variance (9+1+1+9)/3 = 20/3 → CV² = 20/3/25 = 0.2667
    r = classify_demand(_weekly([0, 2, 0, 6, 0, 0, 4, 8, 0])).iloc[0]
    assert r.n_periods == 8 and r.n_demand == 4
    assert r.adi == pytest.approx(2.0)
    assert r.cv2 == pytest.approx(20 / 3 / 25)
    assert r.demand_class == "intermittent"


def test_four_classes() -> None:
    df = pd.concat(
        [
            _weekly([10, 11, 9, 10, 12, 10], "smooth"),  # ADI 1, CV² small
            _weekly([1, 30, 2, 25, 1, 40], "erratic"),  # ADI 1, CV² large
            _weekly([5, 0, 0, 6, 0, 0, 5, 0], "intermittent"),  # ADI 2.67, CV² small
            _weekly([1, 0, 0, 40, 0, 0, 2, 0], "lumpy"),  # ADI 2.67, CV² large
        ]
    )
    out = classify_demand(df).set_index("sku")["demand_class"]
    assert out.to_dict() == {c: c for c in ("erratic", "intermittent", "lumpy", "smooth")}


def test_censored_periods_are_dropped_not_read_as_zero() -> None:
    units = [5, 6, 0, 0, 0, 5, 6, 5]
    stock = [True, True, False, False, False, True, True, True]
    assert classify_demand(_weekly(units)).demand_class.iloc[0] == "intermittent"
    r = classify_demand(_weekly(units, in_stock=stock)).iloc[0]
    assert r.n_periods == 5 and r.adi == pytest.approx(1.0) and r.demand_class == "smooth"


def test_no_demand_series() -> None:
    assert classify_demand(_weekly([0, 0, 0])).demand_class.iloc[0] == "no_demand"


def test_daily_input_classified_on_weeks() -> None:
    daily = pd.DataFrame(
        {
            "sku": "A",
            "marketplace": "US",
            "date": pd.date_range("2026-01-05", periods=28),
            "units": [1, 0, 0, 0, 0, 0, 0] * 4,  # one sale a week
        }
    )
    assert classify_demand(daily).demand_class.iloc[0] == "intermittent"  # ADI 7 on days
    weekly = classify_demand(daily, freq="W").iloc[0]
    assert weekly.adi == 1.0 and weekly.demand_class == "smooth"


def _revenue() -> pd.DataFrame:
    # US in USD: A 500, B 250, C 120, D 80, E 50 (total 1000); DE in EUR: X 90, Y 10
    rows = [("A", 500), ("B", 250), ("C", 120), ("D", 80), ("E", 50)]
    us = pd.DataFrame(rows, columns=["sku", "revenue"]).assign(marketplace="US", currency="USD")
    de = pd.DataFrame([("X", 90), ("Y", 10)], columns=["sku", "revenue"]).assign(
        marketplace="DE", currency="EUR"
    )
    return pd.concat([us, de], ignore_index=True).assign(date=pd.Timestamp("2026-11-01"))


def test_abc_tiny_table_per_marketplace() -> None:
    out = abc_classes(_revenue(), {"USD": 7.1, "EUR": 7.7})
    got = dict(zip(out.marketplace + ":" + out.sku, out.abc, strict=True))
    # US cumulative: 50 %, 75 % (A), 87 %, 95 % (B), 100 % (C); DE: X alone is 90 % → still A,
    # Y closes at 100 % → C
    assert got == {
        "US:A": "A",
        "US:B": "A",
        "US:C": "B",
        "US:D": "B",
        "US:E": "C",
        "DE:X": "A",
        "DE:Y": "C",
    }
    a = out[out.sku == "A"].iloc[0]
    assert a.revenue_base == pytest.approx(500 * 7.1) and a.share == pytest.approx(0.5)


def test_abc_across_marketplaces_uses_base_currency() -> None:
    out = abc_classes(_revenue(), {"USD": 7.1, "EUR": 7.7}, by_marketplace=False)
    assert out.sku.tolist()[:3] == ["A", "B", "C"]
    assert out.share.sum() == pytest.approx(1.0)


def test_abc_missing_rate_is_an_input_error() -> None:
    with pytest.raises(InputError, match="EUR"):
        abc_classes(_revenue(), {"USD": 7.1})


def test_one_abc_rule_for_revenue_and_values() -> None:
    from forecasting.demand.classify import pareto_classes

    # revenues 70/20/6/4: cumulative shares incl. each SKU 0.70, 0.90, 0.96, 1.00 → A, B, C, C
    assert pareto_classes(np.array([70.0, 20.0, 6.0, 4.0])).tolist() == ["A", "B", "C", "C"]
    # the top SKU alone over 80 %: still A; 0.95 closes B exactly
    assert pareto_classes(np.array([85.0, 10.0, 5.0])).tolist() == ["A", "B", "C"]
    assert pareto_classes(np.array([0.0, 0.0])).tolist() == ["C", "C"]  # nothing sold
    sales = pd.DataFrame(
        {"sku": list("abcd"), "marketplace": "US", "currency": "USD",
         "date": pd.Timestamp("2026-11-01"), "revenue": [70.0, 20.0, 6.0, 4.0]}
    )  # fmt: skip
    assert abc_classes(sales, {"USD": 1.0})["abc"].tolist() == ["A", "B", "C", "C"]
