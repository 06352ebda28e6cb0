"""Capacity-constrained master production schedule: a lot-sizing MIP solved with HiGHS.

Every marketplace's net requirements (:func:`requirements_from_shipments`) compete for the same
lines and weeks. The plan is the capacitated lot-sizing problem with set-up times and backlogging
(Pochet & Wolsey, *Production Planning by Mixed Integer Programming*, 2006, ch. 4 and 12 — model
"WW-CC-B" with set-up times), written out with sparse matrices and solved by HiGHS (``highspy``
for the facility-location MIPs of :mod:`.production_fl`, :func:`scipy.optimize.linprog` for the
LPs of :mod:`.production_repair`; no modelling library is needed for fixed models).

Sets: SKU s, line l (the product master's ``production_line``, optional ``alt_lines`` separated by
``;``, and what-if copies), week t = 0 … T−1 (Mondays). Data: net requirement d[s,t] (units due in
week t), case pack c_s, minimum batch m_s (MOQ rounded up to whole case packs), rate r_s (units per
hour), capacity H[l,t] and overtime cap V[l,t] (hours, :mod:`.factory_calendar`), changeover k_l
(hours per SKU set up in a week). A minimum batch that takes longer than the line's best week is
capped at one full week (a longer run appears as consecutive weekly batches).

Variables: n[s,l,t] ∈ ℤ≥0 case packs made (x = c_s·n units); y[s,l,t] ∈ {0,1} batch on;
I[s,t] ≥ 0 finished goods; B[s,t] ≥ 0 backlog (units due and not yet made); O[l,t] ∈ [0, V] hours.

    balance   Σ_l c_s n[s,l,t] + I[s,t−1] − B[s,t−1] − I[s,t] + B[s,t] = d[s,t]
    capacity  Σ_s (c_s / r_s) n[s,l,t] + k_l y[s,l,t] ≤ H[l,t] + O[l,t]
    batch     m_s y ≤ c_s n ≤ M y        (M: the most units that fit the week or are needed)
    minimise  Σ w_s B[s,t] + Σ h_s I[s,t] + Σ o_l O[l,t] + Σ P_s B[s,T−1]  (+ ε per unit and set-up)

Backlog summed over weeks is late units × weeks late, weighted by ``late_cost`` w_s (base currency
per unit-week: unit margin ``price × fx − unit_cost``, at least a quarter of the unit cost, times
3/2/1 for ABC class A/B/C). Backlog left after the last week is *short* (never made in the horizon)
and costs P_s = 4·T·w_s more, so the solver makes a unit late rather than never. Holding h_s is
``finished_goods_holding_cost_per_unit_week × unit_cost``; pre-building ahead of peaks and the
shutdown happens because lateness costs far more than holding. Production finished in week t serves
requirements due in week t.

Methods (:class:`SolveSettings` ``method``; all three respect capacity + overtime caps, n ≤ M,
minimum batches and whole case packs, checked by :meth:`.production_model.LotSizing.violations`):

- ``auto``: :mod:`.production_search`: the instance splits into independent parts
  (connected components of the SKU–line graph); each part is the facility-location
  reformulation (:mod:`.production_fl`), whose LP relaxation is the lower bound; an LP dive and
  an integer finish give a first plan (the LP repair as safety net), fix-and-optimise sub-MIPs
  improve it, and a part small enough is then solved as one MIP, warm-started, which can raise
  the bound. Budget ``time_limit_seconds``; node limits derived from it make the result the
  same for the same budget and ``seed`` unless a wall-clock cap stopped a solve
  (``summary["deterministic"]``).
- ``mip``: every part as one facility-location MIP until ``mip_rel_gap`` or the time limit.
- ``lp`` (default: the same plan on every run): aggregated LP relaxation, set-ups fixed,
  rounding repair (:func:`~.production_repair.lp_and_repair`); the reference of
  ``bench/production_scale.py``.

``objective="units"`` puts late units first: every unit made after its due week or never costs
U more (U = the most one unit can cost otherwise, so one late unit less always wins).

``summary``: ``cost`` (the model's objective on money: overtime + holding + weighted lateness +
short penalty, + ε tie-breakers), ``objective`` (what was minimised: ``cost``, or with U × late
units), ``bound`` (a proven lower bound of ``objective``: Σ over parts of the facility-location
LP or the MIP's dual bound), ``gap`` = (objective − bound) / objective, so the plan is proven
within ``gap`` of the optimum; ``forced_late_units`` the late or short units that no plan can
avoid (:func:`~.production_search.forced_late_units`).
"""

from __future__ import annotations

import datetime as dt
import time
import typing
from dataclasses import dataclass, field, replace
from typing import Literal, NamedTuple, TypedDict

import numpy as np
import pandas as pd

from forecasting.config import Factory, Settings
from forecasting.errors import InputError
from forecasting.planning.production.factory_calendar import (
    LINE,
    WEEK,
    WhatIf,
    apply_what_if,
    line_of_extra,
    planning_weeks,
    weekly_capacity,
)
from forecasting.planning.production.model import DEFAULT_TIME_LIMIT, SHORT_FACTOR, LotSizing
from forecasting.planning.production.repair import lp_and_repair
from forecasting.planning.production.requirements import (
    DUE_WEEK,
    REQUIRED,
    requirements_from_shipments,
)
from forecasting.planning.production.search import (
    PartDetail,
    forced_late_units,
    relaxation_bound,
    search,
)
from forecasting.planning.production.tables import allocate_requirements, line_week_table
from forecasting.schema import (
    CASE_PACK,
    MOQ,
    PRICE,
    PRODUCTION_LINE,
    SKU,
    UNIT_COST,
    UNITS,
    UNITS_PER_HOUR,
    require_columns,
    validate_schedule,
)

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "PlanSummary",
    "ProductionPlan",
    "SolveSettings",
    "plan_production",
    "requirements_from_shipments",
    "sku_parameters",
]

ALT_LINES = "alt_lines"
ABC_CLASS = "abc_class"
LATE_COST = "late_cost"
HOLDING_COST = "holding_cost"
ABC_WEIGHT = {"A": 3.0, "B": 2.0, "C": 1.0}
Method = Literal["auto", "mip", "lp"]
Objective = Literal["cost", "units"]
METHODS: tuple[str, ...] = typing.get_args(Method)
OBJECTIVES: tuple[str, ...] = typing.get_args(Objective)


@dataclass(frozen=True)
class SolveSettings:
    """How :func:`plan_production` solves the model: one value per run, the same for the base
    plan and every what-if.

    Attributes
    ----------
    method : {"lp", "auto", "mip"}
        ``lp`` (default): aggregated LP relaxation, set-ups fixed, rounding repair; ``auto``:
        decomposition, dive and sub-MIPs within the budget; ``mip``: every part as one MIP (see
        the module docstring).
    objective : {"cost", "units"}
        ``cost``: weighted lateness, holding and overtime (base currency); ``units``: late units
        first, then that cost.
    time_limit_seconds : float
        Budget of one plan (seconds; wall-clock caps and node limits derive from it).
    mip_rel_gap : float
        Relative gap at which a MIP stops (fraction: 0.01 = 1 %).
    seed : int
        HiGHS random seed (same budget + seed → same plan, see ``summary["deterministic"]``).
    forced_late : bool
        Also compute ``summary["forced_late_units"]`` (one LP per part; always with ``units``).

    Raises
    ------
    InputError
        An unknown method or objective.

    Examples
    --------
    >>> SolveSettings(method="auto", time_limit_seconds=60).objective
    'cost'
    """

    method: Method = "lp"
    objective: Objective = "cost"
    time_limit_seconds: float = DEFAULT_TIME_LIMIT
    mip_rel_gap: float = 1e-3
    seed: int = 0
    forced_late: bool = True

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise InputError(f"method must be auto, mip or lp, got '{self.method}'")
        if self.objective not in OBJECTIVES:
            raise InputError(f"objective must be cost or units, got '{self.objective}'")


class PlanSummary(TypedDict, total=False):
    """``ProductionPlan.summary``: solver figures, units, hours and costs (base currency)."""

    method: str
    status: str
    bound: float
    deterministic: bool
    parts: list[PartDetail]
    solve_seconds: float
    forced_late_units: int
    objective_kind: str
    objective: float
    gap: float
    required_units: int
    on_time_units: int
    late_units: int
    late_unit_weeks: int
    short_units: int
    beyond_horizon_units: int
    planned_units: int
    overtime_hours: float
    overtime_cost: float
    holding_cost: float
    late_cost: float
    short_cost: float
    cost: float


@dataclass
class ProductionPlan:
    """What :func:`plan_production` returns (all frames sorted, integer units).

    Attributes
    ----------
    schedule : DataFrame
        Master production schedule ``line, week, sku, units`` (units > 0 only).
    capacity : DataFrame
        ``line, week, capacity_units, planned_units, capacity_hours, planned_hours,
        overtime_hours, overtime_cap_hours, changeover_hours, setups, working_days, closed_days,
        utilisation``. ``capacity_units`` = capacity_hours × the weighted average rate of the SKU
        mix planned (units/hour; the simple mean of the line's SKUs if nothing is planned).
    requirements : DataFrame
        The requirements with ``on_time, late, short`` (units; ``required = on_time + late +
        short``), ``ready_week`` (week the last unit is made; NaT if short) and ``weeks_late``.
    finished_goods : DataFrame
        ``sku, week, produced, due, finished_goods, backlog`` (units at the end of the week).
    beyond_horizon : DataFrame
        Requirements due after the last planned week (not planned; reported, never dropped).
    summary : PlanSummary
        ``method, status, objective_kind, objective, bound, gap, deterministic, parts,
        solve_seconds`` (solver); ``required_units, on_time_units, late_units, late_unit_weeks,
        short_units, forced_late_units, beyond_horizon_units, planned_units`` (units);
        ``overtime_hours``; costs in the base currency: ``overtime_cost``, ``holding_cost``,
        ``late_cost`` (Σ late_cost × unit-weeks of backlog, short units counted late until the
        horizon ends), ``short_cost`` (the penalty of units never made) and ``cost`` (the
        model's money objective: their sum plus the ε tie-breakers).
    what_if : WhatIf or None
        The factory change the plan was made with.
    skus : DataFrame
        Per-SKU parameters used (:func:`sku_parameters`).
    """

    schedule: pd.DataFrame
    capacity: pd.DataFrame
    requirements: pd.DataFrame
    finished_goods: pd.DataFrame
    beyond_horizon: pd.DataFrame
    summary: PlanSummary = field(default_factory=lambda: PlanSummary())
    what_if: WhatIf | None = None
    skus: pd.DataFrame = field(default_factory=pd.DataFrame)


def _split_lines(value: object) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    return [x.strip() for x in str(value).replace(",", ";").split(";") if x.strip()]


def sku_parameters(
    products: pd.DataFrame, skus: list[str], settings: Settings, required: pd.Series | None = None
) -> pd.DataFrame:
    """Per-SKU data of the plan from the product master, checked.

    ``min_batch`` = ⌈moq / case_pack⌉ (at least 1) × case_pack; ``late_cost`` = max(price × fx −
    unit_cost, unit_cost / 4, 1) × 3 / 2 / 1 for ABC class A / B / C; ``holding_cost`` =
    ``finished_goods_holding_cost_per_unit_week`` × unit_cost (module docstring: the model).

    Parameters
    ----------
    products : DataFrame
        Product master: ``sku, production_line, units_per_hour, moq, case_pack, unit_cost,
        price`` (optional ``alt_lines`` like ``"L2;L3"`` and ``abc_class``).
    skus : list of str
        SKUs to plan; each must be in the product master.
    settings : Settings
        ``fx_to_base['USD']`` converts the USD list price into the base currency.
    required : Series, optional
        Units required per SKU (index sku), for ABC classes where ``abc_class`` is absent or
        blank: the one ABC rule (:func:`~forecasting.demand.classify.pareto_classes`) on
        required value (units × price): A = the top 80 %, B the next 15 %, C the rest.

    Returns
    -------
    DataFrame
        Index sku: ``units_per_hour``, ``moq``, ``case_pack``, ``min_batch`` (units, a
        multiple of case_pack ≥ moq), ``lines`` (list), ``abc_class``, ``late_cost`` (base
        currency per unit-week late) and ``holding_cost`` (base currency per unit-week in stock).

    Raises
    ------
    InputError
        A SKU missing from the product master, a rate, MOQ or case pack that is not a number
        (or ≤ 0; MOQ < 0), or a line the factory does not have; naming the SKU and the column.
    """
    pm = _product_rows(products, skus)
    out = _batch_rules(pm, skus)
    out["lines"] = _allowed_lines(pm, settings)
    fx = settings.fx_to_base.get("USD", 1.0)
    cost = pd.to_numeric(pm.get(UNIT_COST), errors="coerce").fillna(0.0).to_numpy()
    price = pd.to_numeric(pm.get(PRICE), errors="coerce").fillna(0.0).to_numpy() * fx
    out[ABC_CLASS] = _abc_classes(pm, skus, price, required)
    margin = np.maximum.reduce([price - cost, 0.25 * cost, np.ones(len(skus))])
    out[LATE_COST] = margin * out[ABC_CLASS].map(ABC_WEIGHT).to_numpy()
    out[HOLDING_COST] = settings.factory.finished_goods_holding_cost_per_unit_week * cost
    return out


def _product_rows(products: pd.DataFrame, skus: list[str]) -> pd.DataFrame:
    """The product master's row of every SKU to plan (first row of a repeated SKU), in order."""
    require_columns(
        products, [SKU, PRODUCTION_LINE, UNITS_PER_HOUR, MOQ, CASE_PACK], table="products"
    )
    pm = products.assign(**{SKU: products[SKU].astype(str)}).drop_duplicates(SKU).set_index(SKU)
    missing = [s for s in skus if s not in pm.index]
    if missing:
        raise InputError(
            f"products: {len(missing)} SKU(s) to produce are not in the product master, "
            f"e.g. {missing[:3]}",
            column=SKU,
        )
    return pm.loc[skus]


def _batch_rules(pm: pd.DataFrame, skus: list[str]) -> pd.DataFrame:
    """``units_per_hour`` (> 0), ``moq`` (≥ 0, units), ``case_pack`` (whole, ≥ 1) and
    ``min_batch`` = ⌈moq / case_pack⌉ case packs (at least one), in units."""
    out = pd.DataFrame(index=pd.Index(skus, name=SKU))
    for col in (UNITS_PER_HOUR, MOQ, CASE_PACK):
        vals = pd.to_numeric(pm[col], errors="coerce")
        low = 0 if col == MOQ else 1e-12
        bad = vals.isna() | (vals < low)
        if bad.any():
            sku = bad[bad].index[0]
            raise InputError(f"products: SKU {sku} has {col} {pm.at[sku, col]!r}", column=col)
        out[col] = vals.to_numpy()
    out[CASE_PACK] = np.maximum(np.round(out[CASE_PACK]), 1).astype(np.int64)
    packs = np.ceil(out[MOQ] / out[CASE_PACK] - 1e-9).clip(lower=1)
    out["min_batch"] = (packs * out[CASE_PACK]).astype(np.int64)
    return out


def _allowed_lines(pm: pd.DataFrame, settings: Settings) -> list[list[str]]:
    """Lines every SKU may run on: its ``production_line`` first, then its ``alt_lines``; each
    must be a line of the factory."""
    known = {ln.id for ln in settings.factory.lines}
    alternatives = pm[ALT_LINES] if ALT_LINES in pm else [None] * len(pm)
    lines = [
        list(dict.fromkeys([str(p), *_split_lines(a)]))
        for p, a in zip(pm[PRODUCTION_LINE], alternatives, strict=True)
    ]
    for sku, ls in zip(pm.index, lines, strict=True):
        unknown = [x for x in ls if x not in known]
        if unknown:
            raise InputError(
                f"products: SKU {sku} runs on unknown line(s) {unknown}; factory lines are "
                f"{sorted(known)}",
                column=PRODUCTION_LINE,
            )
    return lines


def _abc_classes(
    pm: pd.DataFrame, skus: list[str], price: np.ndarray, required: pd.Series | None
) -> np.ndarray:
    """ABC class per SKU: the product master's ``abc_class`` where set (the weekly run fills it
    from the forecast's classes, :func:`forecasting.pipeline.production`; anything but A/B/C
    counts as C), else by required value (units × price, base currency) with the one ABC rule
    (:func:`forecasting.demand.classify.pareto_classes`)."""
    from forecasting.demand.classify import pareto_classes

    units = required.reindex(skus).fillna(0).to_numpy(float) if required is not None else 1.0
    value = np.broadcast_to(units * np.maximum(price, 1e-9), (len(skus),))
    by_value = pareto_classes(value)
    if ABC_CLASS not in pm:
        return by_value
    given = pm[ABC_CLASS].where(pm[ABC_CLASS].notna(), None).to_numpy(dtype=object)
    known = [str(c).upper() if c is not None else None for c in given]
    return np.array(
        [by_value[i] if c is None else (c if c in ABC_WEIGHT else "C") for i, c in enumerate(known)]
    )


class Horizon(NamedTuple):
    """The weeks of a plan and the requirements split by them."""

    weeks: pd.DatetimeIndex  #: Mondays of the plan
    due: pd.DataFrame  #: requirements due in the plan, with ``week_index`` (0 = first week)
    beyond: pd.DataFrame  #: requirements due after the last week (reported, not planned)


def plan_horizon(requirements: pd.DataFrame, as_of: dt.date, weeks: int | None) -> Horizon:
    """The plan's weeks from the week after ``as_of`` and the requirements due in them.

    ``weeks`` None: up to the last due week (at least one). A requirement due before the first
    week (overdue) counts as due in it (``week_index`` 0); one due after the last week goes to
    ``beyond``.
    """
    req = requirements.copy()
    req[SKU] = req[SKU].astype(str)
    req[DUE_WEEK] = pd.to_datetime(req[DUE_WEEK])
    last_due = req[DUE_WEEK].max() if len(req) else pd.NaT
    first = planning_weeks(as_of, 1)[0]
    if weeks is None:
        weeks = 1 if pd.isna(last_due) else max(1, int((last_due - first).days // 7) + 1)
    cal = planning_weeks(as_of, weeks)
    beyond = req[req[DUE_WEEK] > cal[-1]].reset_index(drop=True)
    req = req[req[DUE_WEEK] <= cal[-1]].reset_index(drop=True)
    req["week_index"] = ((req[DUE_WEEK].clip(lower=first) - first).dt.days // 7).astype(int)
    return Horizon(cal, req, beyond)


class ProductionModel(NamedTuple):
    """The model of one plan: the SKUs' parameters, the lines' weekly capacity and the arrays."""

    skus: pd.DataFrame  #: :func:`sku_parameters`
    capacity: pd.DataFrame  #: :func:`~.factory_calendar.weekly_capacity` (hours)
    lines: list[str]  #: line ids, what-if copies included
    inst: LotSizing
    arcs: list[tuple[int, int]]  #: (sku index, line index) of every arc


def production_model(
    horizon: Horizon,
    products: pd.DataFrame,
    settings: Settings,
    factory: Factory,
    objective: Objective = "cost",
) -> ProductionModel:
    """The lot-sizing model of the SKUs required in the horizon, on ``factory``'s lines."""
    total = horizon.due.groupby(SKU)[REQUIRED].sum()
    skus = sorted(total[total > 0].index)
    params = sku_parameters(products, skus, settings, total)
    cap = weekly_capacity(factory, horizon.weeks)
    lines = [ln.id for ln in factory.lines]
    inst, arcs = lot_sizing_instance(horizon.due, params, cap, lines, len(horizon.weeks), objective)
    return ProductionModel(params, cap, lines, inst, arcs)


def plan_production(
    requirements: pd.DataFrame,
    settings: Settings,
    products: pd.DataFrame,
    *,
    weeks: int | None = None,
    what_if: WhatIf | None = None,
    solve: SolveSettings | None = None,
    **solve_options: object,
) -> ProductionPlan:
    """Plan production per SKU × line × week within capacity, minimising late and short units.

    The capacitated lot-sizing model of the module docstring (Pochet & Wolsey 2006, WW-CC-B with
    set-up times), in four steps: the horizon (:func:`plan_horizon`), the model
    (:func:`production_model`), the solve (``solve.method``), and the plan's tables and proven
    figures (:func:`~.production_tables.allocate_requirements`, bound, gap, forced late units).

    Parameters
    ----------
    requirements : DataFrame
        From :func:`requirements_from_shipments`: ``sku, marketplace, due_date, due_week,
        required`` (units; extra columns are kept). Overdue rows are due in the first week.
    settings : Settings
        ``as_of`` (the plan starts the next day), the factory (lines, shutdowns, holidays).
    products : DataFrame
        Product master, see :func:`sku_parameters`.
    weeks : int, optional
        Weeks to plan; default up to the last due week. Later requirements go to
        ``beyond_horizon``.
    what_if : WhatIf, optional
        Factory change to plan with (extra shift, overtime off, extra line).
    solve : SolveSettings, optional
        Method, objective, budget (seconds), MIP gap and seed; default ``SolveSettings()``.
    **solve_options
        Fields of :class:`SolveSettings` as keywords (``method="auto", time_limit_seconds=60``),
        applied on top of ``solve``: the earlier calling style, kept for existing callers.

    Returns
    -------
    ProductionPlan
        Schedule, line utilisation, requirements with on-time / late / short units, finished
        goods build-up and a summary (see :class:`ProductionPlan`).

    Examples
    --------
    See ``tests/planning/test_production.py`` for hand-solved cases (pre-build before a shutdown,
    minimum batches, a requirement that cannot be met).
    """
    require_columns(requirements, [SKU, DUE_WEEK, REQUIRED], table="requirements")
    solve = replace(solve or SolveSettings(), **solve_options)
    factory = apply_what_if(settings.factory, what_if)
    horizon = plan_horizon(requirements, settings.as_of, weeks)
    model = production_model(horizon, products, settings, factory, solve.objective)
    t0 = time.perf_counter()
    n_sol, info = _solve(model.inst, solve)
    info["solve_seconds"] = round(time.perf_counter() - t0, 3)
    schedule = _schedule_frame(n_sol, model, horizon.weeks)
    capacity = line_week_table(schedule, model.capacity, model.skus, model.lines)
    reqs, fg = allocate_requirements(
        horizon.due.drop(columns="week_index"), schedule, horizon.weeks
    )
    info.update(_proven_figures(model.inst, n_sol, info["bound"], solve))
    summary = _summary(info, capacity, reqs, fg, model.skus, horizon.beyond)
    return ProductionPlan(
        validate_schedule(schedule), capacity, reqs, fg, horizon.beyond, summary, what_if,
        model.skus,
    )  # fmt: skip


def _arcs(params: pd.DataFrame, lines: list[str]) -> list[tuple[int, int]]:
    """(sku index, line index) pairs a SKU may run on, what-if copies included."""
    pos = {ln: j for j, ln in enumerate(lines)}
    arcs = []
    for i, allowed in enumerate(params["lines"]):
        arcs += [(i, pos[ln]) for ln in lines if line_of_extra(ln) in allowed]
    return arcs


def lot_sizing_instance(
    req: pd.DataFrame,
    params: pd.DataFrame,
    cap: pd.DataFrame,
    lines: list[str],
    n_weeks: int,
    objective: Objective = "cost",
) -> tuple[LotSizing, list[tuple[int, int]]]:
    """The model's arrays from the requirements (``week_index`` column), the SKUs' parameters
    and the weekly capacity; returns the instance and its arcs (sku index, line index)."""
    n_sku, T = len(params), n_weeks
    sku_pos = {s: i for i, s in enumerate(params.index)}
    req = req[req[SKU].isin(sku_pos) & (req[REQUIRED] > 0)]
    demand = np.zeros((n_sku, T))
    rows = req[SKU].map(sku_pos).to_numpy(np.int64)  # whole indices, also with no requirement
    np.add.at(demand, (rows, req["week_index"].to_numpy(np.int64)), req[REQUIRED].to_numpy(float))
    arcs = _arcs(params, lines)
    a_sku = np.array([a[0] for a in arcs], dtype=np.int64)
    a_line = np.array([a[1] for a in arcs], dtype=np.int64)
    H = cap.pivot(index=LINE, columns=WEEK, values="capacity_hours").loc[lines].to_numpy()
    V = cap.pivot(index=LINE, columns=WEEK, values="overtime_cap_hours").loc[lines].to_numpy()
    cost_ot = cap.groupby(LINE)["overtime_cost_per_hour"].first().loc[lines].to_numpy(float)
    k = cap.groupby(LINE)["changeover_hours"].first().loc[lines].to_numpy(float)
    c = params[CASE_PACK].to_numpy(float)
    r = params[UNITS_PER_HOUR].to_numpy(float)
    hours_per_pack = (c / r)[a_sku]  # A
    min_packs = (params["min_batch"].to_numpy(float) / c)[a_sku]
    need_packs = np.ceil(demand.sum(axis=1) / c - 1e-9)[a_sku]
    fit = np.floor((H + V)[a_line] - k[a_line, None]).clip(min=0) / hours_per_pack[:, None]
    # a minimum batch longer than the line's best week runs over several weeks: per week it is
    # capped at a full week's output (the run shows as consecutive weekly batches)
    if len(arcs):
        min_packs = np.maximum(np.minimum(min_packs, np.floor(fit.max(axis=1) + 1e-9)), 1.0)
    big_m = np.minimum(np.floor(fit + 1e-9), np.maximum(need_packs, min_packs)[:, None])  # A×T
    big_m = np.where(big_m >= min_packs[:, None], big_m, 0.0).reshape(len(arcs), T)
    late = params[LATE_COST].to_numpy(float)
    inst = LotSizing(
        demand=demand, arc_sku=a_sku, arc_line=a_line, case_pack=c,
        hours_per_pack=hours_per_pack, min_packs=min_packs, max_packs=big_m, hours=H,
        overtime_cap=V, changeover=k, overtime_cost=cost_ot,
        holding=params[HOLDING_COST].to_numpy(float), late=late,
    )  # fmt: skip
    if objective == "units" and n_sku:
        # one late unit outweighs the most any single unit can cost otherwise (short to the end)
        inst = replace(inst, late_unit=float(inst.short_penalty.max() + T * late.max()))
    return inst, arcs


def _solve(inst: LotSizing, solve: SolveSettings) -> tuple[np.ndarray, PlanSummary]:
    """Solve by ``solve.method``; returns packs (A, T) and solver info (bound on the objective)."""
    S, A, L, T = inst.shape
    if S == 0 or A == 0:
        zero = np.zeros((A, T), np.int64)
        return zero, {"method": "none", "status": "nothing to plan", "bound": 0.0,
                      "deterministic": True}  # fmt: skip
    if solve.method == "lp":
        packs, bound = lp_and_repair(inst, solve.time_limit_seconds)
        return packs, {"method": "lp+repair", "status": "LP relaxation + repair",
                       "bound": bound, "deterministic": True}  # fmt: skip
    packs, info = search(
        inst, time_limit=solve.time_limit_seconds, seed=solve.seed, exact=solve.method == "mip",
        mip_rel_gap=solve.mip_rel_gap,
    )  # fmt: skip
    return packs, {"method": solve.method, **info}


def _schedule_frame(
    n_sol: np.ndarray, model: ProductionModel, cal: pd.DatetimeIndex
) -> pd.DataFrame:
    """Master production schedule ``line, week, sku, units`` of the packs (A, T) > 0."""
    params, lines, arcs = model.skus, model.lines, model.arcs
    packs = {
        (arcs[a][0], arcs[a][1], int(t)): int(n_sol[a, t])
        for a, t in zip(*np.nonzero(n_sol > 0), strict=True)
    }
    rows = [
        (lines[j], cal[t], params.index[i], n * int(params[CASE_PACK].iat[i]))
        for (i, j, t), n in packs.items()
    ]
    out = pd.DataFrame(rows, columns=[LINE, WEEK, SKU, UNITS])
    out[UNITS] = out[UNITS].astype(np.int64)
    return out.sort_values([LINE, WEEK, SKU], kind="mergesort").reset_index(drop=True)


def _proven_figures(
    inst: LotSizing, packs: np.ndarray, bound: float, solve: SolveSettings
) -> PlanSummary:
    """Forced late units (units), and the plan's objective, proven bound and gap.

    With ``units`` first (and a search method), the bound is U × the late units no plan avoids
    + the money cost no plan goes below: each term bounds its own part of every plan's objective
    (the search's bounds are on its own model).
    """
    out: PlanSummary = {}
    if solve.forced_late or solve.objective == "units":
        out["forced_late_units"] = forced_late_units(inst, seed=solve.seed)
    if solve.objective == "units" and solve.method != "lp":
        money = relaxation_bound(replace(inst, late_unit=0.0), seed=solve.seed)
        bound = inst.late_unit * out["forced_late_units"] + money
    out.update(_figures(inst, packs, bound, solve.objective))
    return out


def _figures(
    inst: LotSizing, packs: np.ndarray, bound: float, objective: str
) -> dict[str, float | str]:
    """Cost, objective, bound and gap of a plan (base currency; gap a fraction):
    gap = (objective − bound) / objective, the bound rounded down to cents."""
    value = inst.cost(packs)
    bound = min(float(bound), value)  # a bound above the plan's value is a rounding artefact
    return {
        "objective_kind": objective,
        "objective": round(value, 2),
        "bound": float(np.floor(bound * 100) / 100),  # to cents, rounded down: still a bound
        "gap": round(max(value - bound, 0.0) / max(abs(value), 1e-9), 6),
        "model_cost": round(inst.cost(packs, objective=False), 2),
    }


def _summary(
    info: PlanSummary,
    capacity: pd.DataFrame,
    reqs: pd.DataFrame,
    fg: pd.DataFrame,
    params: pd.DataFrame,
    beyond: pd.DataFrame,
) -> PlanSummary:
    """The solver's figures plus units, hours and costs (base currency) of the plan's tables."""
    ot_cost = float((capacity["overtime_hours"] * capacity["overtime_cost_per_hour"]).sum())
    hold = float((fg["finished_goods"] * fg[SKU].map(params[HOLDING_COST]).fillna(0.0)).sum())
    # unit-weeks late from the weekly backlog (short units count late until the horizon ends)
    late_weighted = float((fg["backlog"] * fg[SKU].map(params[LATE_COST]).fillna(0.0)).sum())
    n_weeks = fg["week"].nunique() if len(fg) else 0
    short = reqs.groupby(SKU)["short"].sum() if len(reqs) else pd.Series(dtype=float)
    short_cost = float(
        (short * short.index.map(params[LATE_COST]).fillna(0.0) * SHORT_FACTOR * n_weeks).sum()
    )
    out = dict(info)
    out.update(
        required_units=int(reqs[REQUIRED].sum()),
        on_time_units=int(reqs["on_time"].sum()),
        late_units=int(reqs["late"].sum()),
        late_unit_weeks=int((reqs["late"] * reqs["weeks_late"].fillna(0)).sum()),
        short_units=int(reqs["short"].sum()),
        beyond_horizon_units=int(beyond[REQUIRED].sum()) if len(beyond) else 0,
        planned_units=int(capacity["planned_units"].sum()),
        overtime_hours=round(float(capacity["overtime_hours"].sum()), 2),
        overtime_cost=round(ot_cost, 2),
        holding_cost=round(hold, 2),
        late_cost=round(late_weighted, 2),
        short_cost=round(short_cost, 2),
        cost=info.get("model_cost", round(ot_cost + hold + late_weighted + short_cost, 2)),
    )
    out.pop("model_cost", None)
    return out
