"""Golden tests of the production plan: small cases solved by hand.

Factory of the hand cases: one line L1, one 8-hour shift, Monday–Friday, efficiency 1 → 40 h a
week; planning weeks W0 = 2026-11-23 … (as_of 2026-11-22). CN public holidays do not touch
W0–W3, so every normal week has 40 hours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest

from forecasting.config import Factory, FactoryLine, Shutdown, load_settings
from forecasting.errors import InputError
from forecasting.planning.production.factory_calendar import WhatIf
from forecasting.planning.production.plan import plan_production, sku_parameters
from forecasting.planning.production.report import (
    compare_what_ifs,
    default_what_ifs,
    shortfalls,
    weekly_load,
    write_production_outputs,
)

WEEKS = pd.date_range("2026-11-23", periods=4, freq="7D")


def settings_with(line: FactoryLine, shutdowns=(), holding=0.004):
    factory = Factory(
        lines=(line,),
        shutdowns=tuple(shutdowns),
        holidays_country="CN",
        finished_goods_holding_cost_per_unit_week=holding,
    )
    return replace(load_settings(), factory=factory)


def line(**kw) -> FactoryLine:
    base = dict(id="L1", name="test", shifts_per_day=1, hours_per_shift=8.0, days_per_week=5)
    return FactoryLine(**{**base, **kw})


def products(rows: dict[str, dict]) -> pd.DataFrame:
    out = []
    for sku, kw in rows.items():
        out.append(
            {
                "sku": sku,
                "production_line": "L1",
                "units_per_hour": 10.0,
                "moq": 0,
                "case_pack": 1,
                "unit_cost": 100.0,
                "price": 30.0,
                **kw,
            }  # fmt: skip
        )
    return pd.DataFrame(out)


def reqs(rows: list[tuple[str, int, int]]) -> pd.DataFrame:
    """(sku, week index, units) → requirement rows of marketplace US."""
    df = pd.DataFrame(rows, columns=["sku", "w", "required"])
    df["marketplace"] = "US"
    df["due_week"] = WEEKS[df["w"]]
    df["due_date"] = df["due_week"] + pd.Timedelta(days=2)
    return df[["sku", "marketplace", "due_date", "due_week", "required"]]


def grid(plan) -> dict[tuple[str, int], int]:
    s = plan.schedule
    return {(r.sku, int((r.week - WEEKS[0]).days // 7)): int(r.units) for r in s.itertuples()}


def test_prebuild_before_shutdown_week():
    """A due 300 in W1, B due 600 in W3, W2 shut: 200 of B must be built before the shutdown.

    Capacity 400 units a week (40 h × 10/h). Holding 0.4 per unit-week makes every unit as late
    as possible: W1 full, W0 the 100 units W1 cannot make, W3 B 400 (which SKU W0 makes is a tie:
    A 100 for one week or B 100 for three, with B 100 more in W1 instead of two weeks… both hold
    500 unit-weeks; test_production_golden checks the optimum's cost).
    """
    st = settings_with(line(), [Shutdown("test", dt.date(2026, 12, 7), dt.date(2026, 12, 13))])
    plan = plan_production(
        reqs([("A", 1, 300), ("B", 3, 600)]),
        st,
        products({"A": {}, "B": {}}),
        weeks=4,
        method="auto",
    )
    assert plan.summary["method"] == "auto"
    assert plan.summary["gap"] <= 1e-4  # proven optimal
    assert grid(plan)[("B", 3)] == 400 and sum(grid(plan).values()) == 900
    assert plan.requirements[["on_time", "late", "short"]].sum().tolist() == [900, 0, 0]
    fg = plan.finished_goods.set_index(["sku", "week"])["finished_goods"]
    assert fg[("B", WEEKS[1])] == 200 and fg[("B", WEEKS[2])] == 200  # the pre-build
    cap = plan.capacity.set_index("week")
    assert cap.loc[WEEKS[2], "capacity_hours"] == 0 and cap.loc[WEEKS[2], "planned_units"] == 0
    assert cap["planned_hours"].tolist() == [10.0, 40.0, 0.0, 40.0]
    load = weekly_load(plan)
    assert load["shutdown"].tolist() == [False, False, True, False]
    assert load["required_hours"].tolist() == [0.0, 30.0, 0.0, 60.0]


def test_minimum_batch_covers_two_requirements():
    """MOQ 250 in case packs of 50: 100 due W0 and 100 due W2 → one batch of 250 in W0.

    Two batches would make 500 units (≥ 250 each) and hold more; one batch of 200 is below the
    minimum. Changeover 2 h: W0 hours = 2 + 250 / 10 = 27.
    """
    st = settings_with(line(changeover_hours=2.0))
    plan = plan_production(
        reqs([("A", 0, 100), ("A", 2, 100)]), st, products({"A": {"moq": 250, "case_pack": 50}}),
        weeks=4,
    )  # fmt: skip
    assert grid(plan) == {("A", 0): 250}
    cap = plan.capacity.set_index("week")
    assert cap.loc[WEEKS[0], "planned_hours"] == 27.0 and cap.loc[WEEKS[0], "setups"] == 1
    assert plan.requirements["on_time"].tolist() == [100, 100]


def test_case_pack_rounds_the_batch_up():
    """120 required, case pack 50, no MOQ → 3 packs = 150 units (minimum batch 1 pack)."""
    st = settings_with(line())
    plan = plan_production(reqs([("A", 1, 120)]), st, products({"A": {"case_pack": 50}}), weeks=2)
    assert sum(grid(plan).values()) == 150
    assert sku_parameters(products({"A": {"case_pack": 50, "moq": 120}}), ["A"], st)[
        "min_batch"
    ].tolist() == [150]


def test_requirement_that_cannot_be_met_is_reported_short():
    """1000 due in W1 with 400 a week for 2 weeks: 800 on time, 200 short — never dropped."""
    st = settings_with(line())
    plan = plan_production(reqs([("A", 1, 1000)]), st, products({"A": {}}), weeks=2)
    row = plan.requirements.iloc[0]
    assert (row["required"], row["on_time"], row["late"], row["short"]) == (1000, 800, 0, 200)
    assert plan.summary["short_units"] == 200
    sf = shortfalls(plan)
    assert sf[["sku", "short"]].values.tolist() == [["A", 200]]


def test_late_units_reported_with_weeks_late():
    """600 due W0, 400 a week: 400 on time, 200 made in W1 = one week late."""
    st = settings_with(line())
    plan = plan_production(reqs([("A", 0, 600)]), st, products({"A": {}}), weeks=2)
    row = plan.requirements.iloc[0]
    assert (row["on_time"], row["late"], row["short"], row["weeks_late"]) == (400, 200, 0, 1)
    assert row["ready_week"] == WEEKS[1]
    assert plan.summary["late_unit_weeks"] == 200


def test_overtime_used_within_its_cap_and_costed():
    """450 due W0: 400 regular + 5 h overtime (cap 8 h, 50 per hour) → nothing late."""
    st = settings_with(line(overtime_hours_per_week=8.0, overtime_cost_per_hour=50.0))
    plan = plan_production(reqs([("A", 0, 450)]), st, products({"A": {}}), weeks=1)
    assert plan.requirements["on_time"].tolist() == [450]
    assert plan.capacity["overtime_hours"].tolist() == [5.0]
    assert plan.summary["overtime_cost"] == 250.0
    off = plan_production(
        reqs([("A", 0, 450)]), st, products({"A": {}}), weeks=1, what_if=WhatIf(overtime=False)
    )
    assert off.requirements["short"].tolist() == [50]


def test_what_if_extra_line_and_shift_side_by_side(tmp_path):
    st = settings_with(line())
    r, p = reqs([("A", 0, 1000)]), products({"A": {}})
    plan = plan_production(r, st, p, weeks=1)
    table = compare_what_ifs(r, st, p, default_what_ifs(plan, st), base=plan, weeks=1)
    got = table.set_index("scenario")["short_units"].to_dict()
    # base 400 made; a 2nd shift doubles the week; an extra copy of L1 doubles it as well
    assert got == {"base": 600, "overtime=off": 600, "add_shift=L1": 200, "extra_line=L1": 200}
    paths = write_production_outputs(plan, tmp_path, scenarios=table)
    assert (tmp_path / "production.xlsx").exists()
    head = paths["requirements"].read_text().splitlines()[0]
    assert head.startswith("sku,marketplace,due_date,required,on_time,late,short")
    assert paths["schedule"].read_text().splitlines()[:2] == [
        "line,week,sku,units",
        "L1,2026-11-23,A,400",
    ]
    assert paths["capacity"].read_text().startswith("line,week,capacity_units,planned_units")
    again = write_production_outputs(plan, tmp_path / "again", scenarios=table)
    for kind, path in paths.items():
        assert path.read_bytes() == again[kind].read_bytes(), kind


def test_lp_repair_meets_an_easy_plan_exactly():
    """The large-instance method on the pre-build case: feasible, within capacity, all on time."""
    st = settings_with(line(), [Shutdown("test", dt.date(2026, 12, 7), dt.date(2026, 12, 13))])
    plan = plan_production(
        reqs([("A", 1, 300), ("B", 3, 600)]), st, products({"A": {}, "B": {}}), weeks=4,
        method="lp",
    )  # fmt: skip
    assert plan.summary["method"] == "lp+repair"
    assert plan.requirements[["on_time", "late", "short"]].sum().tolist() == [900, 0, 0]
    assert (plan.capacity["planned_hours"] <= plan.capacity["capacity_hours"] + 1e-9).all()


def test_alternative_line_takes_the_overflow():
    """A SKU with alt_lines may use a second line when its own is full."""
    two = Factory(lines=(line(), line(id="L2")), holidays_country="CN")
    st = replace(load_settings(), factory=two)
    p = products({"A": {"alt_lines": "L2"}})
    plan = plan_production(reqs([("A", 0, 800)]), st, p, weeks=1)
    assert plan.requirements["on_time"].tolist() == [800]
    assert sorted(plan.schedule["line"]) == ["L1", "L2"]


def test_requirements_beyond_the_horizon_are_kept_apart():
    st = settings_with(line())
    plan = plan_production(reqs([("A", 0, 100), ("A", 3, 50)]), st, products({"A": {}}), weeks=2)
    assert plan.beyond_horizon["required"].tolist() == [50]
    assert plan.summary["beyond_horizon_units"] == 50


def test_bad_product_master_is_an_input_error():
    st = settings_with(line())
    with pytest.raises(InputError, match="not in the product master"):
        plan_production(reqs([("X", 0, 10)]), st, products({"A": {}}), weeks=1)
    with pytest.raises(InputError, match="unknown line"):
        plan_production(reqs([("A", 0, 10)]), st, products({"A": {"production_line": "L9"}}))
    with pytest.raises(InputError, match="units_per_hour"):
        plan_production(reqs([("A", 0, 10)]), st, products({"A": {"units_per_hour": 0}}))


def test_factory_abc_uses_the_one_rule_and_the_runs_classes():
    """Required value 70/20/6/4 (price 1): A, B, C, C as abc_classes would rank revenue; a class
    from the run (or the product master) wins over the required-value fallback; blank = not set."""
    st = settings_with(line())
    pm = products({k: {"price": 1.0, "unit_cost": 0.5} for k in "ABCD"})
    skus = ["A", "B", "C", "D"]
    required = pd.Series({"A": 70.0, "B": 20.0, "C": 6.0, "D": 4.0})
    got = sku_parameters(pm, skus, st, required)["abc_class"].tolist()
    assert got == ["A", "B", "C", "C"]  # the old "share before" rule said A, A, B, C
    classes = pd.DataFrame(
        {"sku": ["D", "D", "A"], "marketplace": ["US", "DE", "US"], "abc": ["C", "A", "B"]}
    )
    from forecasting.pipeline import factory_abc

    filled = factory_abc(pm, classes)  # D is A somewhere: made as an A; A's run class is B
    got = filled.set_index("sku")["abc_class"]
    assert got[["A", "D"]].tolist() == ["B", "A"] and got[["B", "C"]].isna().all()
    got = sku_parameters(filled, skus, st, required)["abc_class"].tolist()
    assert got == ["B", "B", "C", "A"]  # B and C not classified by the run: by required value
    planner = factory_abc(pm.assign(abc_class=["C", None, None, None]), classes)
    assert planner.set_index("sku")["abc_class"]["A"] == "C"  # the product master's word wins
