"""One home per rule in the FBA plan (issue 9): fee thresholds from the fee table only, one ABC
rule, one horizon rule; worked by hand on the small cases of test_replenishment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from test_replenishment import (
    AS_OF,
    DAY0,
    flat_forecast,
    inventory,
    make_settings,
    products,
)

from forecasting.errors import InputError
from forecasting.planning import fees
from forecasting.planning.fba.replenishment import plan_replenishment
from forecasting.planning.leadtime import required_forecast_days

US_TABLE = fees.FEE_TABLE_DIR / "amazon-us-2026.yml"


def _table_copy(tmp_path, monkeypatch, edit) -> None:
    """A copy of the package's fee tables in ``tmp_path`` (the US one edited), used by the plan."""
    for p in fees.FEE_TABLE_DIR.glob("*.yml"):
        (tmp_path / p.name).write_bytes(p.read_bytes())
    raw = yaml.safe_load(US_TABLE.read_text(encoding="utf-8"))
    edit(raw)
    (tmp_path / US_TABLE.name).write_text(yaml.safe_dump(raw), encoding="utf-8")
    monkeypatch.setattr(fees, "FEE_TABLE_DIR", tmp_path)


# --- fee thresholds: from the fee table only ---------------------------------------------------


def test_thresholds_are_the_tables_own():
    for name in ("amazon-us-2026", "amazon-de-2026", "amazon-jp-2026"):
        t = fees.load_fee_table(name).thresholds
        assert (t.lilf_threshold_days, t.lilf_exempt_below_units_7d, t.aged_after_days) == (
            28,
            20,
            180,  # first aged-surcharge band starts at 181 days
        )


@pytest.mark.parametrize(
    ("edit", "key"),
    [
        (
            lambda r: r["low_inventory_fee"].pop("threshold_days"),
            "low_inventory_fee.threshold_days",
        ),
        (
            lambda r: r["low_inventory_fee"].pop("exempt_below_units_shipped_7d"),
            "low_inventory_fee.exempt_below_units_shipped_7d",
        ),
        (lambda r: r.pop("low_inventory_fee"), "low_inventory_fee.threshold_days"),
        (lambda r: r["low_inventory_fee"].update(threshold_days="28"), "threshold_days"),
        (lambda r: r.update(aged_surcharge=[]), "aged_surcharge"),
        (lambda r: r["aged_surcharge"][0].update(min_age_days=0), "aged_surcharge[0].min_age_days"),
    ],
)
def test_a_table_without_its_thresholds_is_refused_by_file_and_key(tmp_path, edit, key):
    raw = yaml.safe_load(US_TABLE.read_text(encoding="utf-8"))
    edit(raw)
    bad = tmp_path / "no-thresholds.yml"
    bad.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(InputError) as e:
        fees.load_fee_table(bad)
    assert "no-thresholds.yml" in str(e.value) and key in str(e.value)


def test_a_35_day_lilf_threshold_raises_the_plans_lilf_floor(tmp_path, monkeypatch):
    """Golden case of test_replenishment (10/day, L = 30, R = 7) with the table's LILF threshold
    at 35 days: floor (35 − 7/2) × 10 = 315 instead of 245, S = 370 + 315 = 685, first order
    685 − 100 = 585 → 600 (30 cases); the projection's LILF line is 35 × 10 = 350 units."""
    args = (flat_forecast(["A"], 10), inventory(["A"], 100), products(["A"]), make_settings())
    base = plan_replenishment(*args)
    _table_copy(tmp_path, monkeypatch, lambda r: r["low_inventory_fee"].update(threshold_days=35))
    r = plan_replenishment(*args)
    row, was = r.plan.iloc[0], base.plan.iloc[0]
    assert (was["lilf_floor_units"], was["order_up_to"], was["ship_qty"]) == (245, 615, 520)
    assert row["lilf_floor_units"] == pytest.approx(315)
    assert row["order_up_to"] == pytest.approx(685)
    assert row["ship_qty"] == 600
    assert r.projection["lilf_min_units"].iloc[0] == pytest.approx(350)
    assert base.projection["lilf_min_units"].iloc[0] == pytest.approx(280)
    assert r.alert_legend["below_lilf"] == (
        "historical days of supply below 35 (low-inventory-level fee)"
    )
    assert "below 28 " in base.alert_legend["below_lilf"]


def test_below_lilf_alert_reads_the_tables_threshold(tmp_path, monkeypatch):
    """20 units/day, 1000 on hand: the report says 30 days of supply, the projection
    (1000 − 20·15.5) / 20 = 34.5 days over the next 30 days: above 28, below 35."""
    args = (
        flat_forecast(["A"], 20),
        inventory(["A"], 1000, historical_days_of_supply=30.0),
        products(["A"]),
        make_settings(),
    )
    assert "below_lilf" not in plan_replenishment(*args).plan.iloc[0]["alerts"]
    _table_copy(tmp_path, monkeypatch, lambda r: r["low_inventory_fee"].update(threshold_days=35))
    alerts = plan_replenishment(*args).plan.iloc[0]["alerts"]
    assert "below_lilf: historical days of supply 30 / projected 34 < 35 days" in alerts


def test_aged_age_comes_from_the_first_surcharge_band(tmp_path, monkeypatch):
    """Surcharge from day 151 (a band 151–180 added): aged age 150. 100 units 181–270 days old
    count as aged either way; the alert and the legend name 150 days, and the projection's
    ageing line is 150 days of demand (10/day → 1500 units) instead of 1800."""
    args = (
        flat_forecast(["A"], 10),
        inventory(["A"], 100, age_181_270=100),
        products(["A"]),
        make_settings(),
    )
    base = plan_replenishment(*args)

    def earlier(r):
        first = dict(r["aged_surcharge"][0], min_age_days=151, max_age_days=180)
        r["aged_surcharge"].insert(0, first)

    _table_copy(tmp_path, monkeypatch, earlier)
    r = plan_replenishment(*args)
    assert "aged_stock: 100 units older than 180 days now" in base.plan.iloc[0]["alerts"]
    assert "aged_stock: 100 units older than 150 days now" in r.plan.iloc[0]["alerts"]
    assert "older than 150 days" in r.alert_legend["aged_stock"]
    assert base.projection["aged_limit_units"].iloc[0] == pytest.approx(1800)
    assert r.projection["aged_limit_units"].iloc[0] == pytest.approx(1500)


def test_legend_words_unchanged_for_the_2026_tables():
    r = plan_replenishment(
        flat_forecast(["A"], 10), inventory(["A"], 100), products(["A"]), make_settings()
    )
    assert r.alert_legend["aged_stock"] == (
        "units older than 180 days now or projected (aged inventory surcharge)"
    )
    assert r.alert_legend["moq_exceeds_aged_cap"].endswith("within 180 days of arrival")
    assert r.alert_legend["forecast_extended"] == (
        "forecast shorter than the plan: its last 28 days repeated"
    )


# --- ABC: one rule -------------------------------------------------------------------------------


def _sales(revenue: dict[str, float], day: str = AS_OF) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sku": list(revenue),
            "marketplace": "US",
            "date": pd.Timestamp(day),
            "units": 1,
            "revenue": list(revenue.values()),
            "currency": "USD",
        }
    )


def test_plan_classes_follow_demand_classify_on_sales_up_to_as_of():
    """Revenues 70/20/6/4: A while the cumulative share incl. the SKU is ≤ 80 % → A, B, C, C
    (the removed second rule said A, A, B, C). A big sale of D the day after as_of is not used."""
    skus = list("ABCD")
    later = _sales({"D": 1000.0}, day=str((pd.Timestamp(AS_OF) + pd.Timedelta(days=1)).date()))
    sales = pd.concat([_sales(dict(zip(skus, [70.0, 20.0, 6.0, 4.0], strict=True))), later])
    r = plan_replenishment(
        flat_forecast(skus, 10), inventory(skus, 100), products(skus), make_settings(),
        sales=sales,
    )  # fmt: skip
    assert r.plan.set_index("sku")["abc"].to_dict() == dict(A="A", B="B", C="C", D="C")
    assert "ABC classes from forecasting.demand.abc_classes (revenue)" in r.notes


def test_given_classes_win_and_no_classes_mean_c_with_a_note():
    skus = ["A", "B"]
    args = (flat_forecast(skus, 10), inventory(skus, 100), products(skus), make_settings())
    given = pd.DataFrame({"sku": skus, "marketplace": "US", "abc": ["B", "A"]})
    r = plan_replenishment(*args, abc=given, sales=_sales({"A": 90.0, "B": 10.0}))
    assert r.plan["abc"].tolist() == ["B", "A"] and "ABC classes from given" in r.notes
    none = plan_replenishment(*args)
    assert none.plan["abc"].tolist() == ["C", "C"]
    assert sum("every series is class C" in n for n in none.notes) == 1
    with pytest.raises(InputError, match="abc"):
        plan_replenishment(*args, abc=given.drop(columns="abc"))


def test_sales_without_revenue_are_refused_not_replaced_by_a_second_rule():
    skus = ["A"]
    with pytest.raises(InputError, match="revenue"):
        plan_replenishment(
            flat_forecast(skus, 10), inventory(skus, 100), products(skus), make_settings(),
            sales=_sales({"A": 5.0}).drop(columns="revenue"),
        )  # fmt: skip


# --- horizon: one rule ---------------------------------------------------------------------------


def test_required_forecast_days_is_horizon_plus_longest_lead_time_plus_review():
    assert required_forecast_days(make_settings()) == 28 + 30 + 7
    assert required_forecast_days(make_settings(air=True)) == 28 + 30 + 7  # air is shorter
    assert required_forecast_days(make_settings(horizon=56, review=14)) == 56 + 30 + 14


@pytest.mark.parametrize(("days", "extended"), [(65, False), (64, True), (40, True)])
def test_a_forecast_shorter_than_required_is_extended_and_flagged(days, extended):
    skus = ["A", "B"]
    r = plan_replenishment(
        flat_forecast(skus, 10, days=days), inventory(skus, 100), products(skus), make_settings()
    )
    flagged = r.plan["alerts"].str.contains("forecast_extended").tolist()
    assert flagged == [extended, extended]
    notes = [n for n in r.notes if n.startswith("forecast_extended")]
    if extended:
        assert notes == [
            "forecast_extended: 2 of 2 series have a forecast shorter than the 65 days the plan "
            "needs (planning horizon + longest lead time + review period); their last 28 days "
            "are repeated"
        ]
    else:
        assert notes == []
    # extended flat: the same plan as a forecast that is long enough (flat demand)
    full = plan_replenishment(
        flat_forecast(skus, 10), inventory(skus, 100), products(skus), make_settings()
    )
    assert r.shipments["units"].tolist() == full.shipments["units"].tolist()
    assert np.allclose(r.projection["p50"], full.projection["p50"])
    assert r.projection["date"].iloc[0] == DAY0
