"""Capacity-constrained master production schedule: a lot-sizing MIP solved with HiGHS.

Every marketplace's net requirements (:func:`requirements_from_shipments`) compete for the same
lines and weeks. The plan is the capacitated lot-sizing problem with set-up times and backlogging
(Pochet & Wolsey, *Production Planning by Mixed Integer Programming*, 2006, ch. 4 and 12 — model
"WW-CC-B" with set-up times), written out with sparse matrices and solved by HiGHS through
:func:`scipy.optimize.milp` (no modelling library is needed for one fixed model; the well-kept
solver is used as is).

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

Tractability and determinism. The exact MIP is hard for HiGHS beyond a few hundred batch
binaries (weak big-M relaxation; the sample's 1,100 binaries leave a 70 % gap after 30 s), so:

- ``method="mip"`` (``auto`` up to :data:`MIP_MAX_BINARIES` binaries): HiGHS with fixed options
  (presolve, relative gap ``mip_rel_gap``, ``time_limit_seconds``). Optimal plans are
  deterministic; if the time limit stops the search the status says so (only then may the plan
  depend on machine speed) and the LP repair below is run too, the cheaper plan kept.
- ``method="lp"`` (``auto`` above the threshold): the LP relaxation with y = n/M (changeovers
  spread per pack), then set-ups fixed where it makes a real batch and a second LP with the
  changeovers charged in full, then :func:`~.production_repair.repair_batches` (whole case packs,
  minimum batches, capacity, backlog fill). Deterministic (LPs and fixed-order repair); 500 SKUs
  × 6 lines × 26 weeks in ~2 s on 2 cores (``bench/production_scale.py``).

``summary["mip_gap"]`` is (plan cost − lower bound) / plan cost on the model's own objective,
with the MIP's dual bound or the LP bound (weak for large plans: read it as an upper limit).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from forecasting.config import Settings
from forecasting.errors import InputError
from forecasting.planning.factory_calendar import (
    LINE,
    WEEK,
    WhatIf,
    apply_what_if,
    line_of_extra,
    planning_weeks,
    weekly_capacity,
)
from forecasting.planning.production_repair import choose_setups, reduced_lp, repair_batches
from forecasting.planning.production_tables import allocate_requirements, line_week_table
from forecasting.planning.requirements import DUE_WEEK, REQUIRED, requirements_from_shipments
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

__all__ = ["ProductionPlan", "plan_production", "requirements_from_shipments", "sku_parameters"]

ALT_LINES = "alt_lines"
ABC_CLASS = "abc_class"
LATE_COST = "late_cost"
HOLDING_COST = "holding_cost"
ABC_WEIGHT = {"A": 3.0, "B": 2.0, "C": 1.0}
#: ε cost per unit made and per set-up, so that equal-cost plans are broken the same way
EPSILON_UNIT, EPSILON_SETUP = 1e-4, 1e-2
#: fix-set-ups-and-re-solve passes after the LP repair (each: one LP and one repair)
POLISH_ROUNDS = 3
#: ``method="auto"`` solves the exact MIP up to this many batch binaries, else LP + repair
MIP_MAX_BINARIES = 400
MILP_STATUS = {0: "optimal", 1: "time limit reached (plan may depend on machine speed)"}


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
    summary : dict
        ``method, status, mip_gap, objective, lower_bound, variables, binaries, solve_seconds``
        (solver); ``required_units, on_time_units, late_units, late_unit_weeks, short_units,
        beyond_horizon_units, planned_units`` (units); ``overtime_hours``; costs in the base
        currency: ``overtime_cost``, ``holding_cost``, ``late_cost`` (Σ late_cost × unit-weeks
        late, short units counted late until the horizon ends) and ``cost`` (their sum).
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
    summary: dict = field(default_factory=dict)
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
        Units required per SKU (index sku), for ABC classes when ``abc_class`` is absent: A = the
        SKUs making the first 80 % of required value (units × price), B the next 15 %, C the rest.

    Returns
    -------
    DataFrame
        Index sku: ``lines`` (list), ``units_per_hour``, ``case_pack``, ``min_batch`` (units, a
        multiple of case_pack ≥ moq), ``abc_class``, ``late_cost`` (base currency per unit-week
        late) and ``holding_cost`` (base currency per unit-week in stock).
    """
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
    pm = pm.loc[skus]
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
    lines = {ln.id for ln in settings.factory.lines}
    out["lines"] = [
        list(dict.fromkeys([str(p), *_split_lines(a)]))
        for p, a in zip(
            pm[PRODUCTION_LINE], pm[ALT_LINES] if ALT_LINES in pm else [None] * len(pm), strict=True
        )
    ]
    for sku, ls in out["lines"].items():
        unknown = [x for x in ls if x not in lines]
        if unknown:
            raise InputError(
                f"products: SKU {sku} runs on unknown line(s) {unknown}; factory lines are "
                f"{sorted(lines)}",
                column=PRODUCTION_LINE,
            )
    fx = settings.fx_to_base.get("USD", 1.0)
    cost = pd.to_numeric(pm.get(UNIT_COST), errors="coerce").fillna(0.0).to_numpy()
    price = pd.to_numeric(pm.get(PRICE), errors="coerce").fillna(0.0).to_numpy() * fx
    if ABC_CLASS in pm:
        abc = pm[ABC_CLASS].astype(str).str.upper().where(lambda s: s.isin(list(ABC_WEIGHT)), "C")
    else:
        units = required.reindex(skus).fillna(0).to_numpy(float) if required is not None else 1.0
        value = np.broadcast_to(units * np.maximum(price, 1e-9), (len(skus),))
        order = np.argsort(-value, kind="stable")
        before = (np.cumsum(value[order]) - value[order]) / max(float(value.sum()), 1e-12)
        cls = np.where(before < 0.8, "A", np.where(before < 0.95, "B", "C"))
        abc = pd.Series(cls, index=np.asarray(skus)[order]).reindex(skus)
    out[ABC_CLASS] = abc.to_numpy()
    margin = np.maximum.reduce([price - cost, 0.25 * cost, np.ones(len(skus))])
    out[LATE_COST] = margin * out[ABC_CLASS].map(ABC_WEIGHT).to_numpy()
    out[HOLDING_COST] = settings.factory.finished_goods_holding_cost_per_unit_week * cost
    return out


def plan_production(
    requirements: pd.DataFrame,
    settings: Settings,
    products: pd.DataFrame,
    *,
    weeks: int | None = None,
    what_if: WhatIf | None = None,
    method: str = "auto",
    time_limit_seconds: float = 20.0,
    mip_rel_gap: float = 0.01,
) -> ProductionPlan:
    """Plan production per SKU × line × week within capacity, minimising late and short units.

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
    method : {"auto", "mip", "lp"}
        ``mip``: exact MIP (batches and case packs integer). ``lp``: LP relaxation with rounding
        repair. ``auto``: ``mip`` up to :data:`MIP_MAX_BINARIES` batch binaries, else ``lp``. When
        the MIP stops at the time limit, the LP repair is run too and the cheaper plan kept.
    time_limit_seconds, mip_rel_gap : float
        HiGHS stopping rules (seconds; relative gap, 0.01 = 1 %).

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
    req = requirements.copy()
    req[SKU] = req[SKU].astype(str)
    req[DUE_WEEK] = pd.to_datetime(req[DUE_WEEK])
    if method not in ("auto", "mip", "lp"):
        raise InputError(f"method must be auto, mip or lp, got '{method}'")
    factory = apply_what_if(settings.factory, what_if)
    last_due = req[DUE_WEEK].max() if len(req) else pd.NaT
    first = planning_weeks(settings.as_of, 1)[0]
    if weeks is None:
        weeks = 1 if pd.isna(last_due) else max(1, int((last_due - first).days // 7) + 1)
    cal = planning_weeks(settings.as_of, weeks)
    beyond = req[req[DUE_WEEK] > cal[-1]].reset_index(drop=True)
    req = req[req[DUE_WEEK] <= cal[-1]].reset_index(drop=True)
    req["week_index"] = ((req[DUE_WEEK].clip(lower=first) - first).dt.days // 7).astype(int)
    total = req.groupby(SKU)[REQUIRED].sum()
    skus = sorted(total[total > 0].index)
    params = sku_parameters(products, skus, settings, total)
    cap = weekly_capacity(factory, cal)
    lines = [ln.id for ln in factory.lines]
    t0 = time.perf_counter()
    packs, info = _solve(req, params, cap, lines, len(cal), method, time_limit_seconds, mip_rel_gap)
    info["solve_seconds"] = round(time.perf_counter() - t0, 3)
    schedule = _schedule_frame(packs, params, cal, lines)
    capacity = line_week_table(schedule, cap, params, lines)
    reqs, fg = allocate_requirements(req.drop(columns="week_index"), schedule, cal)
    summary = _summary(info, capacity, reqs, fg, params, beyond)
    return ProductionPlan(
        validate_schedule(schedule), capacity, reqs, fg, beyond, summary, what_if, params
    )


def _arcs(params: pd.DataFrame, lines: list[str]) -> list[tuple[int, int]]:
    """(sku index, line index) pairs a SKU may run on, what-if copies included."""
    pos = {ln: j for j, ln in enumerate(lines)}
    arcs = []
    for i, allowed in enumerate(params["lines"]):
        arcs += [(i, pos[ln]) for ln in lines if line_of_extra(ln) in allowed]
    return arcs


def _solve(
    req: pd.DataFrame,
    params: pd.DataFrame,
    cap: pd.DataFrame,
    lines: list[str],
    n_weeks: int,
    method: str,
    time_limit: float,
    gap: float,
) -> tuple[dict[tuple[int, int, int], int], dict]:
    """Build and solve the MIP; returns case packs per (sku, line, week) index and solver info."""
    n_sku, n_line, T = len(params), len(lines), n_weeks
    if n_sku == 0:
        return {}, {"method": "none", "status": "nothing to plan", "mip_gap": 0.0, "objective": 0.0}
    sku_pos = {s: i for i, s in enumerate(params.index)}
    req = req[req[SKU].isin(sku_pos) & (req[REQUIRED] > 0)]
    demand = np.zeros((n_sku, T))
    np.add.at(demand, (req[SKU].map(sku_pos).to_numpy(), req["week_index"].to_numpy()),
              req[REQUIRED].to_numpy(float))  # fmt: skip
    arcs = _arcs(params, lines)
    A = len(arcs)
    a_sku = np.array([a[0] for a in arcs])
    a_line = np.array([a[1] for a in arcs])
    H = cap.pivot(index=LINE, columns=WEEK, values="capacity_hours").loc[lines].to_numpy()
    V = cap.pivot(index=LINE, columns=WEEK, values="overtime_cap_hours").loc[lines].to_numpy()
    cost_ot = cap.groupby(LINE)["overtime_cost_per_hour"].first().loc[lines].to_numpy()
    k = cap.groupby(LINE)["changeover_hours"].first().loc[lines].to_numpy()
    c = params[CASE_PACK].to_numpy(float)
    r = params[UNITS_PER_HOUR].to_numpy(float)
    hours_per_pack = (c / r)[a_sku]  # A
    min_packs = (params["min_batch"].to_numpy(float) / c)[a_sku]
    need_packs = np.ceil(demand.sum(axis=1) / c - 1e-9)[a_sku]
    fit = np.floor((H + V)[a_line] - k[a_line, None]).clip(min=0) / hours_per_pack[:, None]
    # a minimum batch longer than the line's best week runs over several weeks: per week it is
    # capped at a full week's output (the run shows as consecutive weekly batches)
    min_packs = np.maximum(np.minimum(min_packs, np.floor(fit.max(axis=1) + 1e-9)), 1.0)
    big_m = np.minimum(np.floor(fit + 1e-9), np.maximum(need_packs, min_packs)[:, None])  # A×T
    can_run = big_m >= min_packs[:, None]
    big_m = np.where(can_run, big_m, 0.0)
    # variable blocks: n (A×T), y (A×T), I (S×T), B (S×T), O (L×T)
    o_n, o_y, o_i, o_b, o_o = 0, A * T, 2 * A * T, 2 * A * T + n_sku * T, 2 * A * T + 2 * n_sku * T
    n_var = o_o + n_line * T
    at = np.arange(A * T)
    a_of, t_of = at // T, at % T
    st = np.arange(n_sku * T)
    ts_of = st % T
    rows, cols, vals = [], [], []

    def put(r_, c_, v_) -> None:
        rows.append(np.asarray(r_))
        cols.append(np.asarray(c_))
        vals.append(np.broadcast_to(np.asarray(v_, float), np.shape(r_)))

    # balance rows 0 … S·T−1 (equalities)
    put(a_sku[a_of] * T + t_of, o_n + at, c[a_sku[a_of]])
    put(st, o_i + st, -1.0)
    put(st, o_b + st, 1.0)
    prev = ts_of > 0
    put(st[prev], o_i + st[prev] - 1, 1.0)
    put(st[prev], o_b + st[prev] - 1, -1.0)
    r_cap = n_sku * T  # capacity rows: L·T
    put(r_cap + a_line[a_of] * T + t_of, o_n + at, hours_per_pack[a_of])
    put(r_cap + a_line[a_of] * T + t_of, o_y + at, k[a_line[a_of]])
    lt = np.arange(n_line * T)
    put(r_cap + lt, o_o + lt, -1.0)
    r_up = r_cap + n_line * T  # n − M·y ≤ 0
    put(r_up + at, o_n + at, 1.0)
    put(r_up + at, o_y + at, -big_m.ravel())
    r_lo = r_up + A * T  # min·y − n ≤ 0
    put(r_lo + at, o_y + at, min_packs[a_of])
    put(r_lo + at, o_n + at, -1.0)
    n_row = r_lo + A * T
    mat = sparse.csr_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n_row, n_var)
    )
    lo = np.concatenate([demand.ravel(), np.full(n_line * T + 2 * A * T, -np.inf)])
    hi = np.concatenate([demand.ravel(), H.ravel(), np.zeros(2 * A * T)])
    late = params[LATE_COST].to_numpy(float)
    short = np.zeros((n_sku, T))
    short[:, -1] = 4.0 * T * late
    obj = np.concatenate([
        np.repeat(EPSILON_UNIT * c[a_sku], T),
        np.full(A * T, EPSILON_SETUP),
        np.repeat(params[HOLDING_COST].to_numpy(float), T),
        (late[:, None] + short).ravel(),
        np.repeat(cost_ot, T) if T else cost_ot,
    ])  # fmt: skip
    ub = np.concatenate([big_m.ravel(), can_run.ravel().astype(float),
                         np.full(2 * n_sku * T, np.inf), V.ravel()])  # fmt: skip
    use_mip = method == "mip" or (method == "auto" and A * T <= MIP_MAX_BINARIES)
    problem = {
        "c": obj,
        "constraints": LinearConstraint(mat, lo, hi),
        "bounds": Bounds(np.zeros(n_var), ub),
        "options": {"time_limit": time_limit, "mip_rel_gap": gap, "presolve": True, "disp": False},
    }

    def value_of(n_sol: np.ndarray) -> float:
        """Objective of an integer plan, evaluated on the model's own cost vector."""
        made = np.zeros((n_sku, T))
        np.add.at(made, a_sku, n_sol * c[a_sku, None])
        net = made.cumsum(axis=1) - demand.cumsum(axis=1)
        hours = np.zeros((n_line, T))
        np.add.at(hours, a_line, n_sol * hours_per_pack[:, None] + (n_sol > 0) * k[a_line, None])
        x = np.concatenate([n_sol.ravel(), (n_sol > 0).ravel(), np.maximum(net, 0).ravel(),
                            np.maximum(-net, 0).ravel(), np.clip(hours - H, 0, V).ravel()])  # fmt: skip
        return float(obj @ x)

    plans = []  # (objective, method, packs, lower bound, status)
    res = milp(integrality=np.r_[np.ones(2 * A * T), np.zeros(n_var - 2 * A * T)], **problem) \
        if use_mip else None  # fmt: skip
    if res is not None and res.x is not None:
        n_sol = np.round(res.x[: A * T].reshape(A, T)).astype(np.int64)
        status = MILP_STATUS.get(res.status, res.message)
        plans.append((value_of(n_sol), "mip", n_sol, float(res.mip_dual_bound), status))
    if res is None or res.status != 0:  # LP relaxation + rounding repair (fallback when needed)
        lpm = {"demand": demand, "a_sku": a_sku, "a_line": a_line, "c": c, "V": V,
               "holding": params[HOLDING_COST].to_numpy(float), "backlog": late[:, None] + short,
               "overtime": cost_ot, "time_limit": time_limit}  # fmt: skip
        # y = n / M at the LP optimum: changeover hours and set-up cost spread per pack
        safe_m = np.where(big_m > 0, big_m, 1.0)
        hours1 = hours_per_pack[:, None] + k[a_line, None] / safe_m
        cost1 = EPSILON_UNIT * c[a_sku, None] + EPSILON_SETUP / safe_m
        n1, bound = reduced_lp(hours1, H, big_m, cost1, **lpm)
        # second LP: set-ups fixed where the relaxation makes a real batch, changeovers charged
        # in full, minimum batches left to the repair
        setup = choose_setups(n1, min_packs, a_line, k, H + V)
        fixed = np.zeros_like(H)
        np.add.at(fixed, a_line, setup * k[a_line, None])
        n_lp, _ = reduced_lp(
            np.broadcast_to(hours_per_pack[:, None], setup.shape), H - fixed,
            np.where(setup, big_m, 0.0), np.broadcast_to(EPSILON_UNIT * c[a_sku, None], setup.shape),
            **lpm,
        )  # fmt: skip
        rep = {"arc_sku": a_sku, "arc_line": a_line, "case_pack": c.astype(int),
               "min_packs": min_packs, "hours_per_pack": hours_per_pack, "changeover_hours": k,
               "hours_limit": H + V, "demand": demand, "late_cost": late}  # fmt: skip
        n_sol = repair_batches(n_lp, **rep)
        # polish: the repaired set-ups fixed, minimum batches as lower bounds, the LP re-times
        # the quantities (the repaired plan is feasible for it), then repair again; keep the better
        for _ in range(POLISH_ROUNDS):
            setup = n_sol > 0
            fixed = np.zeros_like(H)
            np.add.at(fixed, a_line, setup * k[a_line, None])
            n_lp, _ = reduced_lp(
                np.broadcast_to(hours_per_pack[:, None], setup.shape), H - fixed,
                np.where(setup, np.maximum(big_m, n_sol), 0.0),
                np.broadcast_to(EPSILON_UNIT * c[a_sku, None], setup.shape), **lpm,
                n_lb=np.where(setup, min_packs[:, None], 0.0),
            )  # fmt: skip
            polished = repair_batches(n_lp, **rep)
            if value_of(polished) >= value_of(n_sol) - 1e-9:
                break
            n_sol = polished
        status = (
            "LP relaxation + repair"
            if res is None
            else (
                f"MIP stopped ({MILP_STATUS.get(res.status, res.message)}); best of MIP and LP repair"
            )
        )
        bound = max([bound] + [p[3] for p in plans])
        plans.append((value_of(n_sol), "lp+repair", n_sol, bound, status))
    value, how, n_sol, bound, status = min(plans, key=lambda p: (p[0], p[1]))
    packs = {
        (arcs[a][0], arcs[a][1], int(t)): int(n_sol[a, t])
        for a, t in zip(*np.nonzero(n_sol > 0), strict=True)
    }
    info = {
        "method": how,
        "status": status,
        "mip_gap": round(max(value - bound, 0.0) / max(abs(value), 1e-9), 6),
        "objective": round(value, 2),
        "lower_bound": round(bound, 2),
        "variables": n_var,
        "binaries": A * T if use_mip else 0,
    }
    return packs, info


def _schedule_frame(
    packs: dict[tuple[int, int, int], int],
    params: pd.DataFrame,
    cal: pd.DatetimeIndex,
    lines: list[str],
) -> pd.DataFrame:
    rows = [
        (lines[j], cal[t], params.index[i], n * int(params[CASE_PACK].iat[i]))
        for (i, j, t), n in packs.items()
    ]
    out = pd.DataFrame(rows, columns=[LINE, WEEK, SKU, UNITS])
    out[UNITS] = out[UNITS].astype(np.int64)
    return out.sort_values([LINE, WEEK, SKU], kind="mergesort").reset_index(drop=True)


def _summary(
    info: dict,
    capacity: pd.DataFrame,
    reqs: pd.DataFrame,
    fg: pd.DataFrame,
    params: pd.DataFrame,
    beyond: pd.DataFrame,
) -> dict:
    late_cost = reqs[SKU].map(params[LATE_COST]).fillna(0.0)
    ot_cost = float((capacity["overtime_hours"] * capacity["overtime_cost_per_hour"]).sum())
    hold = float((fg["finished_goods"] * fg[SKU].map(params[HOLDING_COST]).fillna(0.0)).sum())
    # short units count as late until the horizon ends (a floor on what they cost)
    if len(capacity) and len(reqs):
        first, last = capacity["week"].min(), capacity["week"].max()
        to_end = (last - reqs[DUE_WEEK].clip(lower=first)).dt.days // 7 + 1
    else:
        to_end = 0
    unit_weeks = reqs["late"] * reqs["weeks_late"].fillna(0) + reqs["short"] * to_end
    late_weighted = float((unit_weeks * late_cost).sum())
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
        cost=round(ot_cost + hold + late_weighted, 2),
    )
    return out
