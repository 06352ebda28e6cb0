"""The factory calendar: working days and capacity hours per line and week, and what-if changes.

A planning week starts on Monday (ISO week) and is named by that Monday's date. A day is a working
day of a line when

- its weekday index (Mon = 0) is below the line's ``days_per_week`` (6 → Monday to Saturday), or
  it is one of the country's official make-up working weekends (China's 调休, e.g. Saturday
  2026-02-14 before the Spring Festival; ``factory.make_up_workdays``, on by default),
- it is not a public holiday of ``factory.holidays_country`` (the ``holidays`` package), and
- no shutdown of the whole factory or of that line covers it (both dates inclusive).

Weekly capacity in productive hours (the exact measure the plan works in):

    capacity_hours = working_days × shifts_per_day × hours_per_shift × efficiency

Overtime is capped per week at ``overtime_hours_per_week`` × working_days / days_per_week, so a week
that loses days to a holiday or a shutdown also loses its share of overtime (no overtime in a fully
closed week). The make-up weekends come from the ``holidays`` package (``weekend_workdays``), which
has them once the State Council publishes the year's schedule (usually in November of the year
before); until then a year has none, which under-states capacity by a day in a few weeks, on the
safe side.

What-if changes (:class:`WhatIf`) edit a copy of the :class:`~forecasting.config.Factory`: one more
shift on a line, overtime off, or an extra line identical to an existing one (SKUs of that line may
use it, see :mod:`forecasting.planning.production.plan`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from forecasting.config import Factory, FactoryLine, changed
from forecasting.errors import InputError

LINE = "line"
WEEK = "week"

#: suffix of the id of a line added by a what-if ``extra_line=L3`` → ``L3+``
EXTRA_LINE_SUFFIX = "+"


def week_start(day: dt.date | pd.Timestamp) -> pd.Timestamp:
    """Monday of the ISO week containing ``day`` (the week's name in every table).

    >>> str(week_start(dt.date(2026, 11, 22)).date())  # a Sunday
    '2026-11-16'
    """
    ts = pd.Timestamp(day).normalize()
    return ts - pd.Timedelta(days=ts.weekday())


def planning_weeks(as_of: dt.date, weeks: int) -> pd.DatetimeIndex:
    """The ``weeks`` Mondays of the plan, starting with the week after ``as_of``'s day.

    Production can start the day after the planning date; the first week is the one containing it.

    >>> [str(d.date()) for d in planning_weeks(dt.date(2026, 11, 22), 2)]
    ['2026-11-23', '2026-11-30']
    """
    if weeks < 1:
        raise InputError(f"the plan needs at least one week, got weeks={weeks}")
    first = week_start(pd.Timestamp(as_of) + pd.Timedelta(days=1))
    return pd.date_range(first, periods=weeks, freq="7D")


def _country_days(country: str, years: list[int]) -> tuple[set[dt.date], set[dt.date]]:
    """Public holidays and official make-up working weekends of ``country`` in ``years``, from one
    ``holidays`` calendar (make-up days: empty where the package has none).

    >>> _, make_up = _country_days("CN", [2026])
    >>> sorted(d for d in make_up if d.month == 2)
    [datetime.date(2026, 2, 14), datetime.date(2026, 2, 28)]
    """
    import holidays

    try:
        calendar = holidays.country_holidays(country, years=years)
    except NotImplementedError:
        raise InputError(
            f"the holidays package has no country '{country}'", column="factory.holidays_country"
        ) from None
    make_up = getattr(calendar, "weekend_workdays", set())
    return set(calendar.keys()), {d for d in make_up if d.year in years}


def working_days(factory: Factory, weeks: pd.DatetimeIndex) -> pd.DataFrame:
    """Working days of every line in every week.

    Parameters
    ----------
    factory : Factory
        Lines (``days_per_week``), shutdowns, ``holidays_country`` and ``make_up_workdays``.
    weeks : DatetimeIndex
        Mondays of the plan.

    Returns
    -------
    DataFrame
        ``line, week, working_days`` (days, 0–7) and ``closed_days`` (days lost to public holidays
        or shutdowns among the line's normal days).
    """
    days = pd.date_range(weeks.min(), weeks.max() + pd.Timedelta(days=6), freq="D")
    years = sorted({d.year for d in days})
    hol, extra = _country_days(factory.holidays_country, years)
    is_holiday = np.array([d.date() in hol for d in days])
    if not factory.make_up_workdays:
        extra = set()
    is_make_up = np.array([d.date() in extra for d in days], dtype=bool)
    rows = []
    for ln in factory.lines:
        closed = is_holiday.copy()
        for sd in factory.shutdowns:
            if not sd.lines or ln.id in sd.lines:
                closed |= (days >= pd.Timestamp(sd.start)) & (days <= pd.Timestamp(sd.end))
        normal = (days.day_of_week < ln.days_per_week) | (is_make_up & (ln.days_per_week > 0))
        work = pd.Series(normal & ~closed, index=days).resample("W-SUN", label="left").sum()
        lost = pd.Series(normal & closed, index=days).resample("W-SUN", label="left").sum()
        work.index = lost.index = work.index + pd.Timedelta(days=1)
        frame = pd.DataFrame(
            {LINE: ln.id, WEEK: weeks, "working_days": work.reindex(weeks).to_numpy()}
        )
        frame["closed_days"] = lost.reindex(weeks).to_numpy()
        rows.append(frame)
    out = pd.concat(rows, ignore_index=True)
    out[["working_days", "closed_days"]] = out[["working_days", "closed_days"]].astype(int)
    return out


def weekly_capacity(factory: Factory, weeks: pd.DatetimeIndex) -> pd.DataFrame:
    """Productive hours and the overtime cap of every line in every week.

    ``capacity_hours = working_days × shifts_per_day × hours_per_shift × efficiency`` and
    ``overtime_cap_hours = overtime_hours_per_week × working_days / days_per_week`` (hours).

    Returns
    -------
    DataFrame
        ``line, week, working_days, closed_days, capacity_hours, overtime_cap_hours,
        overtime_cost_per_hour, changeover_hours``.

    Examples
    --------
    >>> from forecasting.config import Factory, FactoryLine, changed
    >>> f = Factory(lines=(FactoryLine("L1", "", 2, 8.0, 5, 0.5, 1.0, 10.0, 100.0),))
    >>> cap = weekly_capacity(f, planning_weeks(dt.date(2026, 11, 22), 1))
    >>> cap[["working_days", "capacity_hours", "overtime_cap_hours"]].iloc[0].tolist()
    [5.0, 40.0, 10.0]
    """
    cap = working_days(factory, weeks)
    by_id = {ln.id: ln for ln in factory.lines}
    get = lambda attr: cap[LINE].map(lambda x: getattr(by_id[x], attr)).astype(float)  # noqa: E731
    cap["working_days"] = cap["working_days"].astype(float)
    cap["capacity_hours"] = (
        cap["working_days"] * get("shifts_per_day") * get("hours_per_shift") * get("efficiency")
    )
    per_day = get("days_per_week").replace(0.0, np.nan)
    cap["overtime_cap_hours"] = (
        get("overtime_hours_per_week") * cap["working_days"] / per_day
    ).fillna(0.0)
    cap["overtime_cost_per_hour"] = get("overtime_cost_per_hour")
    cap["changeover_hours"] = get("changeover_hours")
    return cap


# --- what-if -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIf:
    """A change to the factory to compare against the base plan.

    Attributes
    ----------
    add_shift : tuple of str
        Lines that run one more shift per day (``shifts_per_day + 1``, at most 24 h a day).
    overtime : bool
        False switches overtime off on every line.
    extra_line : tuple of str
        Lines duplicated as a new line ``<id>+`` with the same shifts, rates and calendar; every
        SKU that may run on the original may also run on the copy.
    """

    add_shift: tuple[str, ...] = ()
    overtime: bool = True
    extra_line: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Short text like ``add_shift=L1,overtime=off`` (``base`` for no change)."""
        parts = [f"add_shift={x}" for x in self.add_shift]
        parts += [] if self.overtime else ["overtime=off"]
        parts += [f"extra_line={x}" for x in self.extra_line]
        return ",".join(parts) or "base"

    def parts(self) -> list[WhatIf]:
        """Each single change of this what-if on its own (for a side-by-side table)."""
        out = [WhatIf(add_shift=(x,)) for x in self.add_shift]
        out += [] if self.overtime else [WhatIf(overtime=False)]
        out += [WhatIf(extra_line=(x,)) for x in self.extra_line]
        return out


def parse_what_if(text: str) -> WhatIf:
    """Parse ``add_shift=L1,overtime=off,extra_line=L3`` (keys may repeat) into a :class:`WhatIf`.

    >>> parse_what_if("add_shift=L1,overtime=off").label
    'add_shift=L1,overtime=off'
    """
    shifts: list[str] = []
    extra: list[str] = []
    overtime = True
    for item in (p.strip() for p in text.split(",")):
        if not item:
            continue
        key, sep, value = (s.strip() for s in item.partition("="))
        if not sep or not value:
            raise InputError(f"what-if '{item}' is not key=value", option="--what-if")
        if key == "add_shift":
            shifts.append(value)
        elif key == "extra_line":
            extra.append(value)
        elif key == "overtime":
            if value.lower() not in ("on", "off"):
                raise InputError(f"overtime must be on or off, got '{value}'", option="--what-if")
            overtime = value.lower() == "on"
        else:
            raise InputError(
                f"unknown what-if '{key}' (known: add_shift, overtime, extra_line)",
                option="--what-if",
            )
    return WhatIf(add_shift=tuple(shifts), overtime=overtime, extra_line=tuple(extra))


def apply_what_if(factory: Factory, what_if: WhatIf | None) -> Factory:
    """A copy of ``factory`` with the what-if applied.

    The changed lines are built by :func:`forecasting.config.changed`, so the settings' own
    rules (at most 24 hours of shifts a day, overtime within the week's free hours, known and
    unique line ids) decide here too: one home for each rule.

    Raises
    ------
    InputError
        An unknown line, or a change that breaks a rule of the factory's settings, naming the
        line, the key and ``--what-if``.
    """
    if what_if is None:
        return factory
    for line_id in (*what_if.add_shift, *what_if.extra_line):
        factory.line(line_id)  # raises InputError for an unknown line
    lines: list[FactoryLine] = []
    for ln in factory.lines:
        lines.append(
            changed(
                ln, what=f"line {ln.id}", option="--what-if",
                shifts_per_day=ln.shifts_per_day + what_if.add_shift.count(ln.id),
                overtime_hours_per_week=ln.overtime_hours_per_week if what_if.overtime else 0.0,
            )
        )  # fmt: skip
    shutdowns = list(factory.shutdowns)
    for line_id in dict.fromkeys(what_if.extra_line):
        orig = next(x for x in lines if x.id == line_id)
        new_id = line_id + EXTRA_LINE_SUFFIX
        lines.append(replace(orig, id=new_id, name=f"{orig.name} (extra)"))
        shutdowns = [
            replace(sd, lines=(*sd.lines, new_id)) if line_id in sd.lines else sd
            for sd in shutdowns
        ]
    return changed(
        factory, what="factory", option="--what-if", lines=tuple(lines), shutdowns=tuple(shutdowns)
    )


def line_of_extra(line_id: str) -> str:
    """The original line a what-if extra line copies (``L3+`` → ``L3``); others map to themselves."""
    return line_id.rstrip(EXTRA_LINE_SUFFIX) if line_id.endswith(EXTRA_LINE_SUFFIX) else line_id
