"""What a production plan tells the planners: shortfalls, weekly load, what-if table, files.

Every function takes a :class:`~forecasting.planning.production.plan.ProductionPlan` (or the inputs of
one) and returns a plain data frame for a notebook, a chart or a CSV; :func:`write_production_outputs`
writes the CSV files and the Excel workbook of ``forecasting produce``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.config import Settings
from forecasting.errors import InputError
from forecasting.planning.production.factory_calendar import LINE, WEEK, WhatIf, apply_what_if
from forecasting.planning.production.plan import ProductionPlan, SolveSettings, plan_production
from forecasting.planning.production.requirements import ARRIVAL_DATE, DUE_DATE, DUE_WEEK, REQUIRED
from forecasting.schema import MARKETPLACE, SKU, UNITS, UNITS_PER_HOUR
from forecasting.spreadsheet import write_csv

SCENARIO_COLUMNS = [
    "scenario",
    "late_units",
    "short_units",
    "forced_late_units",
    "late_unit_weeks",
    "overtime_hours",
    "overtime_cost",
    "holding_cost",
    "late_cost",
    "short_cost",
    "cost",
    "bound",
    "gap",
    "planned_units",
    "method",
    "status",
]
REQUIREMENT_COLUMNS = [SKU, MARKETPLACE, DUE_DATE, REQUIRED, "on_time", "late", "short"]


def scenario_row(plan: ProductionPlan, name: str | None = None) -> dict[str, object]:
    """One row of the what-if table from a plan's summary (units, hours, base currency)."""
    label = name or (plan.what_if.label if plan.what_if else "base")
    return {"scenario": label, **{k: plan.summary.get(k) for k in SCENARIO_COLUMNS[1:]}}


def compare_what_ifs(
    requirements: pd.DataFrame,
    settings: Settings,
    products: pd.DataFrame,
    what_ifs: Sequence[WhatIf],
    *,
    base: ProductionPlan | None = None,
    weeks: int | None = None,
    solve: SolveSettings | None = None,
    **solve_options: object,
) -> pd.DataFrame:
    """Plan the base case and every what-if; one row each, side by side.

    Parameters
    ----------
    requirements, settings, products
        As for :func:`~forecasting.planning.production.plan.plan_production`.
    what_ifs : sequence of WhatIf
        Factory changes to compare (see :func:`default_what_ifs`).
    base : ProductionPlan, optional
        The base plan if already made (saves one solve).
    weeks : int, optional
        Weeks to plan (default: up to the last due week).
    solve : SolveSettings, optional
        Method, objective, budget and seed, the same for every scenario.
    **solve_options
        Fields of :class:`~forecasting.planning.production.plan.SolveSettings` as keywords (the
        earlier calling style of ``plan_production``).

    Returns
    -------
    DataFrame
        ``scenario, late_units, short_units, forced_late_units, late_unit_weeks, overtime_hours,
        overtime_cost, holding_cost, late_cost, short_cost, cost, bound, gap, planned_units,
        method, status`` (``bound``: proven lower bound of the objective minimised, ``gap`` =
        (objective − bound) / objective); the first row is the base plan. Every what-if is
        planned with the same method, objective and budget as the base.
    """

    def plan(what_if: WhatIf | None) -> ProductionPlan:
        return plan_production(
            requirements, settings, products, weeks=weeks, what_if=what_if, solve=solve,
            **solve_options,
        )  # fmt: skip

    rows = [scenario_row(base or plan(None), "base")]
    rows += [scenario_row(plan(w)) for w in what_ifs]
    return pd.DataFrame(rows, columns=SCENARIO_COLUMNS)


def late_or_short(plan: ProductionPlan) -> int:
    """Units of the plan made after their due week or never (units)."""
    return int(plan.summary.get("late_units", 0)) + int(plan.summary.get("short_units", 0))


def bottleneck_line(plan: ProductionPlan) -> str | None:
    """The line with the highest planned / regular hours over the horizon (None if idle)."""
    cap = plan.capacity.groupby(LINE, sort=False)[["planned_hours", "capacity_hours"]].sum()
    if cap.empty or float(cap["planned_hours"].sum()) == 0.0:
        return None
    load = cap["planned_hours"] / cap["capacity_hours"].where(cap["capacity_hours"] > 0)
    return str(load.fillna(np.inf).idxmax())


def default_what_ifs(plan: ProductionPlan, settings: Settings) -> list[WhatIf]:
    """The what-ifs the weekly report shows: overtime off; one more shift and one more line of
    the bottleneck (a shift only where the factory's settings allow it,
    :func:`~forecasting.planning.production.factory_calendar.apply_what_if`).
    """
    out = [WhatIf(overtime=False)]
    line = bottleneck_line(plan)
    if line is not None:
        shift = WhatIf(add_shift=(line,))
        try:  # the factory's own rules decide (at most 24 h of shifts a day …)
            apply_what_if(settings.factory, shift)
            out.append(shift)
        except InputError:
            pass
        out.append(WhatIf(extra_line=(line,)))
    return out


def shortfalls(plan: ProductionPlan) -> pd.DataFrame:
    """Requirements made late or not at all: where and when marketplaces will run short.

    ``stockout_from`` is the planned FBA arrival date of the shipment the late units belong to
    (where known): the marketplace was planned to need them from then on, so it stocks out around
    that date by up to ``late + short`` units; ``expected_arrival`` moves it by ``weeks_late``.

    Returns
    -------
    DataFrame
        ``sku, marketplace, due_date, required, on_time, late, short, ready_week, weeks_late``
        and, when the shipments gave them, ``stockout_from, expected_arrival``; sorted by due date.
    """
    req = plan.requirements
    bad = req[(req["late"] > 0) | (req["short"] > 0)].copy()
    cols = [*REQUIREMENT_COLUMNS, "ready_week", "weeks_late"]
    if ARRIVAL_DATE in bad:
        bad["stockout_from"] = bad[ARRIVAL_DATE]
        bad["expected_arrival"] = bad[ARRIVAL_DATE] + pd.to_timedelta(
            bad["weeks_late"] * 7, unit="D"
        )
        bad.loc[bad["short"] > 0, "expected_arrival"] = pd.NaT
        cols += ["stockout_from", "expected_arrival"]
    return bad.sort_values([DUE_DATE, SKU, MARKETPLACE], kind="mergesort")[cols].reset_index(
        drop=True
    )


def weekly_load(plan: ProductionPlan) -> pd.DataFrame:
    """Factory-wide requirement against capacity per week, in hours (for the chart).

    ``required_hours`` = Σ units due that week / units_per_hour (no changeovers);
    ``capacity_hours`` regular hours of all lines; ``overtime_cap_hours`` the extra hours allowed;
    ``planned_hours`` including changeovers; ``shutdown`` True when every line loses ≥ 3 days.

    Returns
    -------
    DataFrame
        ``week, required_hours, planned_hours, capacity_hours, overtime_cap_hours,
        overtime_hours, shutdown``.
    """
    cap = plan.capacity.groupby(WEEK).agg(
        planned_hours=("planned_hours", "sum"),
        capacity_hours=("capacity_hours", "sum"),
        overtime_cap_hours=("overtime_cap_hours", "sum"),
        overtime_hours=("overtime_hours", "sum"),
        shutdown=("closed_days", lambda s: bool(s.min() >= 3)),
    )
    req = plan.requirements
    rate = req[SKU].map(plan.skus[UNITS_PER_HOUR]) if len(plan.skus) else pd.Series(dtype=float)
    first = cap.index.min()
    due = (
        req.assign(_w=req[DUE_WEEK].clip(lower=first), _h=req[REQUIRED] / rate.where(rate > 0))
        .groupby("_w")["_h"]
        .sum()
    )
    cap["required_hours"] = due.reindex(cap.index).fillna(0.0)
    cols = ["required_hours", "planned_hours", "capacity_hours", "overtime_cap_hours"]
    cap[cols + ["overtime_hours"]] = cap[cols + ["overtime_hours"]].round(2)
    return cap.reset_index()[[WEEK, *cols, "overtime_hours", "shutdown"]]


def _iso(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d").where(out[col].notna(), "")
    return out


def write_production_outputs(
    plan: ProductionPlan,
    output_dir: str | Path,
    *,
    scenarios: pd.DataFrame | None = None,
    title: str = "Factory production plan",
) -> dict[str, Path]:
    """Write ``schedule.csv``, ``capacity.csv``, ``requirements.csv``, ``finished_goods.csv``,
    ``shortfalls.csv``, ``beyond_horizon.csv`` (requirements due after the last planned week),
    ``scenarios.csv`` (if given) and ``production.xlsx`` to ``output_dir``.

    Column order: schedule ``line,week,sku,units``; capacity ``line,week,capacity_units,
    planned_units`` then hours; requirements ``sku,marketplace,due_date,required,on_time,late,
    short`` then tracing columns. Dates are ISO ``YYYY-MM-DD``; same input → byte-identical files
    (the solve time is left out on purpose).

    Returns
    -------
    dict of str to Path
        File kind → path written.
    """
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    req = plan.requirements
    extra = [c for c in req.columns if c not in REQUIREMENT_COLUMNS]
    tables = {
        "schedule": plan.schedule[[LINE, WEEK, SKU, UNITS]],
        "capacity": plan.capacity,
        "requirements": req[[*REQUIREMENT_COLUMNS, *extra]],
        "finished_goods": plan.finished_goods,
        "shortfalls": shortfalls(plan),
        "beyond_horizon": plan.beyond_horizon,
        "weekly_load": weekly_load(plan),
    }
    if scenarios is not None:
        tables["scenarios"] = scenarios
    paths: dict[str, Path] = {}
    for name, frame in tables.items():
        if name == "weekly_load":
            continue
        paths[name] = out / f"{name}.csv"
        write_csv(_iso(frame), paths[name], index=False, lineterminator="\n")
    s = plan.summary
    notes = [
        f"Solver: {s.get('method')} — {s.get('status')}. Objective ({s.get('objective_kind')}) "
        f"{s.get('objective')}: proven within {s.get('gap', float('nan')):.2%} of the optimum "
        f"(lower bound {s.get('bound')}).",
        f"At least {s.get('forced_late_units')} units late or short are forced by capacity, "
        f"changeovers, minimum batches and case packs; this plan has "
        f"{late_or_short(plan)} late or short.",
        f"Required {s.get('required_units')} units: on time {s.get('on_time_units')}, late "
        f"{s.get('late_units')}, short {s.get('short_units')}; beyond the horizon "
        f"{s.get('beyond_horizon_units')}.",
        f"Overtime {s.get('overtime_hours')} h; cost (base currency): overtime "
        f"{s.get('overtime_cost')}, holding {s.get('holding_cost')}, weighted lateness "
        f"{s.get('late_cost')}.",
        "capacity_units = capacity_hours × planned units per production hour of the week's SKU mix "
        "(mean rate of the line's SKUs when idle); hours are the exact measure.",
    ]
    if plan.what_if is not None:
        notes.insert(0, f"What-if applied: {plan.what_if.label}")
    paths["excel"] = _write_excel(tables, out / "production.xlsx", title=title, notes=notes)
    return paths


def _write_excel(
    sheets: dict[str, pd.DataFrame], path: Path, *, title: str, notes: list[str]
) -> Path:
    from forecasting.planning.excel import write_workbook

    return write_workbook(sheets, path, title=title, notes=notes)
