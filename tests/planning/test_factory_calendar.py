"""The factory calendar on the sample settings: CNY 2027, holidays, maintenance, what-ifs."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest

from forecasting.config import changed, load_settings
from forecasting.errors import InputError
from forecasting.planning.production.factory_calendar import (
    WhatIf,
    apply_what_if,
    parse_what_if,
    planning_weeks,
    week_start,
    weekly_capacity,
)


@pytest.fixture(scope="module")
def capacity() -> pd.DataFrame:
    s = load_settings()
    return weekly_capacity(s.factory, planning_weeks(s.as_of, 30)).set_index(["line", "week"])


def test_planning_weeks_start_the_monday_after_as_of():
    assert planning_weeks(dt.date(2026, 11, 22), 1)[0] == pd.Timestamp("2026-11-23")
    assert planning_weeks(dt.date(2026, 11, 24), 1)[0] == pd.Timestamp("2026-11-23")
    assert week_start(dt.date(2027, 2, 7)) == pd.Timestamp("2027-02-01")
    with pytest.raises(InputError):
        planning_weeks(dt.date(2026, 11, 22), 0)


def test_cny_shutdown_weeks_have_no_capacity(capacity):
    # CNY 2027-01-30 (Sat) .. 2027-02-21 (Sun): the weeks of Feb 1, 8, 15 are closed on every line
    for week in ("2027-02-01", "2027-02-08", "2027-02-15"):
        col = capacity.xs(pd.Timestamp(week), level="week")
        assert (col["capacity_hours"] == 0).all() and (col["overtime_cap_hours"] == 0).all()
    # the week of Jan 25 loses Saturday Jan 30 on 6-day lines: L1 = 5 × 2 × 8 × 0.85 = 68 h
    assert capacity.loc[("L1", pd.Timestamp("2027-01-25")), "capacity_hours"] == pytest.approx(68)
    # … but not on the 5-day line L3 (Mon–Fri): 5 × 2 × 8 × 0.8 = 64 h
    assert capacity.loc[("L3", pd.Timestamp("2027-01-25")), "capacity_hours"] == pytest.approx(64)


def test_public_holiday_and_prorated_overtime(capacity):
    # New Year's Day 2027 is a Friday: L1 works 5 days, 68 h, overtime cap 12 × 5/6 = 10 h
    row = capacity.loc[("L1", pd.Timestamp("2026-12-28"))]
    assert (row["working_days"], row["capacity_hours"], row["overtime_cap_hours"]) == (5, 68, 10)
    assert row["closed_days"] == 1
    normal = capacity.loc[("L1", pd.Timestamp("2026-11-23"))]
    assert normal["capacity_hours"] == pytest.approx(2 * 8 * 6 * 0.85)


def _two_lines(make_up: bool = True):
    from forecasting.config import Factory, FactoryLine

    five = FactoryLine("L5", "", 1, 8.0, 5, 1.0, 0.0, 0.0, 0.0)
    six = FactoryLine("L6", "", 1, 8.0, 6, 1.0, 0.0, 0.0, 0.0)
    return Factory(lines=(five, six), make_up_workdays=make_up)


def test_official_make_up_weekends_are_working_days():
    from forecasting.planning.production.factory_calendar import working_days

    # 2026: Saturday Feb 14 is a make-up day before the Spring Festival (Feb 15–23), Sunday
    # Sep 20 one before National Day; both are in the holidays package's calendar
    weeks = pd.DatetimeIndex(["2026-02-09", "2026-09-14", "2026-11-23"])
    got = working_days(_two_lines(), weeks).set_index(["line", "week"])["working_days"]
    # 5-day line: Mon–Fri + the make-up Saturday; 6-day line: Saturday is normal anyway
    assert got[("L5", pd.Timestamp("2026-02-09"))] == 6
    assert got[("L6", pd.Timestamp("2026-02-09"))] == 6
    # the make-up Sunday adds a day to both lines; an ordinary week is unchanged
    assert got[("L5", pd.Timestamp("2026-09-14"))] == 6
    assert got[("L6", pd.Timestamp("2026-09-14"))] == 7
    assert got[("L5", pd.Timestamp("2026-11-23"))] == 5
    off = working_days(_two_lines(make_up=False), weeks).set_index(["line", "week"])
    assert off["working_days"].tolist() == [5, 5, 5, 6, 6, 6]


def test_make_up_workdays_setting_is_a_boolean(tmp_path):
    import yaml

    from forecasting.config import SAMPLE_SETTINGS

    raw = yaml.safe_load(SAMPLE_SETTINGS.read_text(encoding="utf-8"))
    assert load_settings().factory.make_up_workdays is True
    raw["factory"]["make_up_workdays"] = False
    f = tmp_path / "s.yml"
    f.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert load_settings(f).factory.make_up_workdays is False
    raw["factory"]["make_up_workdays"] = "yes"
    f.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match="factory.make_up_workdays") as err:
        load_settings(f)
    assert "expected bool, got 'yes'" in str(err.value)


def test_line_maintenance_only_stops_its_line(capacity):
    week = pd.Timestamp("2026-12-14")  # L4 annual maintenance 12-14 .. 12-19
    assert capacity.loc[("L4", week), "capacity_hours"] == 0
    assert capacity.loc[("L1", week), "capacity_hours"] > 0


def test_what_if_parse_and_apply():
    w = parse_what_if("add_shift=L1, overtime=off,extra_line=L3")
    assert w == WhatIf(add_shift=("L1",), overtime=False, extra_line=("L3",))
    assert w.label == "add_shift=L1,overtime=off,extra_line=L3"
    assert [p.label for p in w.parts()] == ["add_shift=L1", "overtime=off", "extra_line=L3"]
    f = apply_what_if(load_settings().factory, w)
    assert f.line("L1").shifts_per_day == 3
    assert all(ln.overtime_hours_per_week == 0 for ln in f.lines)
    assert f.line("L3+").shifts_per_day == f.line("L3").shifts_per_day
    cap = weekly_capacity(f, planning_weeks(dt.date(2026, 11, 22), 1)).set_index("line")
    assert cap.loc["L1", "capacity_hours"] == pytest.approx(3 * 8 * 6 * 0.85)


@pytest.mark.parametrize(
    "text, match",
    [
        ("add_shift", "key=value"),
        ("overtime=maybe", "on or off"),
        ("speed=2", "unknown what-if"),
    ],
)
def test_bad_what_if_is_an_input_error(text, match):
    with pytest.raises(InputError, match=match):
        parse_what_if(text)


def test_what_if_unknown_line_and_too_many_shifts():
    f = load_settings().factory
    with pytest.raises(InputError, match="no factory line 'L9'"):
        apply_what_if(f, WhatIf(add_shift=("L9",)))
    with pytest.raises(InputError, match="more than the 24 hours"):
        apply_what_if(f, WhatIf(add_shift=("L1", "L1")))


def test_what_if_breaking_a_settings_rule_names_line_key_and_option():
    """The settings' rules decide what-ifs too (one home): a third shift on a 7-day line leaves no
    hour for its overtime cap; with overtime off the same shift is fine."""
    f = load_settings().factory
    f = replace(f, lines=(replace(f.lines[0], days_per_week=7), *f.lines[1:]))
    with pytest.raises(InputError) as err:
        apply_what_if(f, WhatIf(add_shift=("L1",)))
    assert str(err.value).startswith("--what-if: line L1, overtime_hours_per_week: 12 h")
    third = apply_what_if(f, WhatIf(add_shift=("L1",), overtime=False))
    assert third.line("L1").shifts_per_day == 3
    with pytest.raises(InputError, match="--what-if: line L1, shifts_per_day: 4 shifts"):
        apply_what_if(f, WhatIf(add_shift=("L1", "L1"), overtime=False))


@pytest.mark.parametrize(
    "change, message",
    [
        ({"shifts_per_day": 0}, "--what-if: line L1, shifts_per_day: must be ≥ 1, got 0"),
        ({"efficiency": 1.5}, "--what-if: line L1, efficiency: must be in (0, 1], got 1.5"),
    ],
)
def test_a_settings_object_changed_in_code_breaks_rules_as_one_input_error(change, message):
    with pytest.raises(InputError) as err:
        changed(load_settings().factory.line("L1"), what="line L1", option="--what-if", **change)
    assert str(err.value) == message
    f = load_settings().factory
    with pytest.raises(InputError, match=r"^factory, lines\[1\]\.id: line id 'L1' is used twice"):
        changed(f, what="factory", lines=(f.lines[0], f.lines[0]))
