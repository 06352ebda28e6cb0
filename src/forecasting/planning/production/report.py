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
from forecasting.i18n import check_lang, lookup, value_label
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

#: Money columns of the production tables (base currency).
MONEY_COLUMNS = ("overtime_cost", "holding_cost", "late_cost", "short_cost", "cost",
                 "overtime_cost_per_hour")  # fmt: skip

#: Sheet names, title and notes of ``production.xlsx`` in each language
#: (:func:`forecasting.i18n.lookup`); the sheet keys are the CSV names.
LABELS: dict[str, dict[str, str]] = {
    "sheet.schedule": {"zh": "生产排程", "en": "Schedule"},
    "sheet.capacity": {"zh": "产线产能", "en": "Line capacity"},
    "sheet.requirements": {"zh": "生产需求", "en": "Requirements"},
    "sheet.finished_goods": {"zh": "成品库存", "en": "Finished goods"},
    "sheet.shortfalls": {"zh": "延迟与缺口", "en": "Late and short"},
    "sheet.beyond_horizon": {"zh": "计划期外需求", "en": "Beyond the horizon"},
    "sheet.weekly_load": {"zh": "每周负荷", "en": "Weekly load"},
    "sheet.scenarios": {"zh": "情景对比", "en": "What-if scenarios"},
    "sheet.notes": {"zh": "说明", "en": "Notes"},
    "title": {"zh": "工厂生产计划", "en": "Factory production plan"},
    "note.what_if": {"zh": "已应用假设情景：{label}", "en": "What-if applied: {label}"},
    "note.solver": {
        "zh": "求解：{method}（{status}）。目标（{kind}）{objective}：已证明与最优相差不超过 "
        "{gap:.2%}（下界 {bound}）。",
        "en": "Solver: {method} — {status}. Objective ({kind}) {objective}: proven within "
        "{gap:.2%} of the optimum (lower bound {bound}).",
    },
    "note.forced": {
        "zh": "产能、换线、最小批量和箱规决定至少 {forced} 件必然延迟或缺口；本计划延迟或缺口 {late} 件。",
        "en": "At least {forced} units late or short are forced by capacity, changeovers, minimum "
        "batches and case packs; this plan has {late} late or short.",
    },
    "note.units": {
        "zh": "需求 {required} 件：按时 {on_time}，延迟 {late}，缺口 {short}；计划期外 {beyond}。",
        "en": "Required {required} units: on time {on_time}, late {late}, short {short}; beyond "
        "the horizon {beyond}.",
    },
    "note.cost": {
        "zh": "加班 {hours} 小时；成本（{currency}）：加班 {overtime}，成品持有 {holding}，"
        "加权延迟 {late}。",
        "en": "Overtime {hours} h; cost ({currency}): overtime {overtime}, holding {holding}, "
        "weighted lateness {late}.",
    },
    "note.capacity_units": {
        "zh": "产能（件）= 正常工时 × 该周 SKU 组合的每小时计划产量（空闲时取该产线 SKU 的平均速率）；"
        "工时是准确的度量。",
        "en": "capacity (units) = regular hours × planned units per production hour of the week's "
        "SKU mix (mean rate of the line's SKUs when idle); hours are the exact measure.",
    },
    "base_currency": {"zh": "本币", "en": "base currency"},
    "whatif.base": {"zh": "基准", "en": "base"},
    "whatif.add_shift": {"zh": "{line} 加一班", "en": "one more shift on {line}"},
    "whatif.extra_line": {"zh": "再加一条 {line} 产线", "en": "one more line like {line}"},
    "whatif.overtime=off": {"zh": "不加班", "en": "no overtime"},
}  # fmt: skip


def scenario_text(label: str, lang: str = "zh") -> str:
    """A what-if's label (:attr:`WhatIf.label`, e.g. ``add_shift=L1,overtime=off``) in words.

    Examples
    --------
    >>> scenario_text("add_shift=L1,overtime=off", "zh")
    'L1 加一班，不加班'
    >>> scenario_text("extra_line=L4", "en"), scenario_text("base", "en")
    ('one more line like L4', 'base')
    """
    words = []
    for part in str(label).split(","):
        key, _, line = part.partition("=")
        if f"whatif.{part}" in LABELS:
            words.append(lookup(LABELS, f"whatif.{part}", lang))
        elif f"whatif.{key}" in LABELS and line:
            words.append(lookup(LABELS, f"whatif.{key}", lang, line=line))
        else:
            words.append(part)  # a change this table does not know: shown as written
    return ("，" if check_lang(lang) == "zh" else ", ").join(words)


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


def line_loads(plan: ProductionPlan) -> pd.Series:
    """Load of each line over the horizon: planned ÷ regular hours (NaN where a line has no
    regular hours); index line, in the capacity table's order."""
    cap = plan.capacity.groupby(LINE, sort=False)[["planned_hours", "capacity_hours"]].sum()
    return cap["planned_hours"] / cap["capacity_hours"].where(cap["capacity_hours"] > 0)


def bottleneck_line(plan: ProductionPlan) -> str | None:
    """The line with the highest :func:`line_loads` (a line planned without regular hours
    first; None if the factory is idle)."""
    if plan.capacity.empty or float(plan.capacity["planned_hours"].sum()) == 0.0:
        return None
    return str(line_loads(plan).fillna(np.inf).idxmax())


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
    title: str | None = None,
    lang: str = "en",
    currency: str | None = None,
) -> dict[str, Path]:
    """Write ``schedule.csv``, ``capacity.csv``, ``requirements.csv``, ``finished_goods.csv``,
    ``shortfalls.csv``, ``beyond_horizon.csv`` (requirements due after the last planned week),
    ``scenarios.csv`` (if given) and ``production.xlsx`` to ``output_dir``.

    Column order: schedule ``line,week,sku,units``; capacity ``line,week,capacity_units,
    planned_units`` then hours; requirements ``sku,marketplace,due_date,required,on_time,late,
    short`` then tracing columns. Dates are ISO ``YYYY-MM-DD``; same input → byte-identical files
    (the solve time is left out on purpose). The CSV files keep these machine names; the
    workbook's sheet names, headers and notes are in ``lang`` (``"zh"`` or ``"en"``), money
    headers with ``currency`` (the settings' base currency; the notes say "base currency"
    when None). ``title`` defaults to the plan's title in ``lang``.

    Returns
    -------
    dict of str to Path
        File kind → path written.
    """
    check_lang(lang)
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
    paths["excel"] = _write_excel(
        tables, out / "production.xlsx", title=title or lookup(LABELS, "title", lang),
        notes=_notes(plan, lang, currency), lang=lang, currency=currency,
    )  # fmt: skip
    return paths


def _notes(plan: ProductionPlan, lang: str, currency: str | None) -> list[str]:
    """The workbook's notes in ``lang``: solver, forced lateness, units, cost, capacity units."""
    s = plan.summary
    notes = [
        lookup(LABELS, "note.solver", lang, method=s.get("method"), status=s.get("status"),
               kind=value_label("objective", s.get("objective_kind"), lang),
               objective=s.get("objective"),
               gap=s.get("gap", float("nan")), bound=s.get("bound")),
        lookup(LABELS, "note.forced", lang, forced=s.get("forced_late_units"),
               late=late_or_short(plan)),
        lookup(LABELS, "note.units", lang, required=s.get("required_units"),
               on_time=s.get("on_time_units"), late=s.get("late_units"),
               short=s.get("short_units"), beyond=s.get("beyond_horizon_units")),
        lookup(LABELS, "note.cost", lang, hours=s.get("overtime_hours"),
               currency=currency or lookup(LABELS, "base_currency", lang),
               overtime=s.get("overtime_cost"), holding=s.get("holding_cost"),
               late=s.get("late_cost")),
        lookup(LABELS, "note.capacity_units", lang),
    ]  # fmt: skip
    if plan.what_if is not None:
        notes.insert(0, lookup(LABELS, "note.what_if", lang, label=plan.what_if.label))
    return notes


def _codes(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with shipping modes (sea …) by their labels and scenarios in words."""
    out = frame
    if "mode" in out:
        out = out.assign(mode=out["mode"].map(lambda v: value_label("mode", v, lang)))
    if "scenario" in out:
        out = out.assign(scenario=out["scenario"].map(lambda v: scenario_text(v, lang)))
    return out


def _write_excel(
    sheets: dict[str, pd.DataFrame],
    path: Path,
    *,
    title: str,
    notes: list[str],
    lang: str,
    currency: str | None,
) -> Path:
    from forecasting.planning.excel import labelled, write_workbook

    money = dict.fromkeys(MONEY_COLUMNS, currency) if currency else {}
    named = {
        lookup(LABELS, f"sheet.{name}", lang): labelled(_codes(frame, lang), lang, currency=money)
        for name, frame in sheets.items()
    }
    return write_workbook(
        named, path, title=title, notes=notes, notes_sheet=lookup(LABELS, "sheet.notes", lang)
    )
