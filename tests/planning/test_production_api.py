"""The production API of issue 9: SolveSettings, the plan's named steps, what-ifs by the settings'
own rules."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest
from test_production import WEEKS, line, products, reqs, settings_with

from forecasting.config import Shutdown
from forecasting.errors import InputError
from forecasting.planning.production.plan import SolveSettings, plan_horizon, plan_production
from forecasting.planning.production.report import compare_what_ifs, default_what_ifs

SHUT = [Shutdown("test", dt.date(2026, 12, 7), dt.date(2026, 12, 13))]


def _without_times(summary: dict) -> dict:
    out = {k: v for k, v in summary.items() if k != "solve_seconds"}
    out["parts"] = [{k: v for k, v in p.items() if k != "seconds"} for p in out.get("parts", [])]
    return out


def test_solve_settings_plan_the_same_as_the_keywords():
    st = settings_with(line(), SHUT)
    r, p = reqs([("A", 1, 300), ("B", 3, 600)]), products({"A": {}, "B": {}})
    solve = SolveSettings(method="mip", objective="units", time_limit_seconds=20, seed=2)
    by_settings = plan_production(r, st, p, weeks=4, solve=solve)
    by_keywords = plan_production(
        r, st, p, weeks=4, method="mip", objective="units", time_limit_seconds=20, seed=2
    )
    assert by_settings.summary["method"] == "mip"
    assert by_settings.summary["objective_kind"] == "units"
    assert by_settings.summary["deterministic"]
    pd.testing.assert_frame_equal(by_settings.schedule, by_keywords.schedule)
    assert _without_times(by_settings.summary) == _without_times(by_keywords.summary)


def test_keywords_apply_on_top_of_solve_settings():
    st = settings_with(line())
    plan = plan_production(
        reqs([("A", 0, 100)]), st, products({"A": {}}), weeks=1,
        solve=SolveSettings(method="mip", objective="units"), method="lp",
    )  # fmt: skip
    assert plan.summary["method"] == "lp+repair"
    assert plan.summary["objective_kind"] == "units"


def test_bad_solve_settings():
    with pytest.raises(InputError, match="method must be auto, mip or lp, got 'simplex'"):
        SolveSettings(method="simplex")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="objective must be cost or units, got 'profit'"):
        plan_production(
            reqs([("A", 0, 1)]), settings_with(line()), products({"A": {}}), objective="profit"
        )
    with pytest.raises(TypeError):
        plan_production(reqs([("A", 0, 1)]), settings_with(line()), products({"A": {}}), speed=2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        SolveSettings().method = "auto"  # type: ignore[misc]


def test_every_what_if_is_solved_with_the_base_settings():
    st = settings_with(line())
    r, p = reqs([("A", 0, 1000)]), products({"A": {}})
    solve = SolveSettings(method="auto", time_limit_seconds=5)
    what_ifs = default_what_ifs(plan_production(r, st, p, weeks=1), st)
    table = compare_what_ifs(r, st, p, what_ifs, weeks=1, solve=solve)
    assert table["scenario"].tolist() == ["base", "overtime=off", "add_shift=L1", "extra_line=L1"]
    assert set(table["method"]) == {"auto"}


def test_default_what_ifs_offer_a_shift_only_where_the_settings_allow_it():
    r, p = reqs([("A", 0, 3000)]), products({"A": {}})
    full_day = settings_with(line(shifts_per_day=3))  # 3 × 8 h: no fourth shift
    plan = plan_production(r, full_day, p, weeks=1)
    assert [w.label for w in default_what_ifs(plan, full_day)] == ["overtime=off", "extra_line=L1"]
    # 7 days × 3 shifts would leave none of the week's hours for the 8 h overtime cap
    no_room = settings_with(line(shifts_per_day=2, days_per_week=7, overtime_hours_per_week=8.0))
    plan = plan_production(r, no_room, p, weeks=1)
    assert [w.label for w in default_what_ifs(plan, no_room)] == ["overtime=off", "extra_line=L1"]
    room = settings_with(line(shifts_per_day=2, days_per_week=6, overtime_hours_per_week=8.0))
    plan = plan_production(r, room, p, weeks=1)
    labels = [w.label for w in default_what_ifs(plan, room)]
    assert labels == ["overtime=off", "add_shift=L1", "extra_line=L1"]


def test_plan_horizon_puts_overdue_first_and_later_apart():
    r = reqs([("A", 0, 10), ("A", 2, 20), ("A", 3, 30)])
    r.loc[0, "due_week"] = WEEKS[0] - pd.Timedelta(days=14)  # overdue
    horizon = plan_horizon(r, dt.date(2026, 11, 22), 3)
    assert list(horizon.weeks) == list(WEEKS[:3])
    assert horizon.due["week_index"].tolist() == [0, 2]
    assert horizon.beyond["required"].tolist() == [30]
    assert len(plan_horizon(r, dt.date(2026, 11, 22), None).weeks) == 4
