"""LP relaxations and rounding repair: an executable batch plan for instances too large for the MIP.

:func:`reduced_lp` solves the lot-sizing LP without batch binaries; :func:`choose_setups` fixes the
set-ups a second LP charges in full; :func:`repair_batches` rounds the result.

Used for instances too large for the exact MIP (see :mod:`.production`). The LP relaxation of the
lot-sizing model gives the timing and the line of production; this module makes it executable:

1. **Round.** Week by week per SKU × line, the LP batch net of the surplus of earlier rounded
   batches rounds to whole case packs, at least the minimum batch (half a pack or less is covered
   by the surplus and needs no set-up).
2. **Fit.** In every line-week whose hours (units / rate + changeovers) exceed regular plus
   overtime-cap hours, the batch of the SKU with the lowest late cost is cut by whole packs, and
   removed entirely if it falls below its minimum, until the week fits.
3. **Trim.** A batch whose units the SKU does not need in the horizon (stock after it never
   drops below them) shrinks to its minimum or goes, latest first; this never creates backlog.
4. **Fill.** SKUs in order of late cost (highest first) get their remaining backlog made where
   spare hours exist: first in the latest week on or before the first week short (pre-build, on
   time), then earlier weeks, then later weeks (late but not short). A new set-up there must afford
   its changeover and the minimum batch.

This is the classic "LP-and-fix" heuristic of lot sizing (Pochet & Wolsey 2006, §3.6 and ch. 12)
with a greedy repair; its cost against the LP bound is the reported gap. Written by hand because no
solver library repairs a plan to these business rules; it is deterministic (fixed orders, stable
sorts).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from forecasting.errors import InputError
from forecasting.planning.production_model import EPSILON_SETUP, EPSILON_UNIT, LotSizing

TOLERANCE_HOURS = 1e-6
#: fix-set-ups-and-re-solve passes after the LP repair (each: one LP and one repair)
POLISH_ROUNDS = 3
#: HiGHS method of the LP relaxations (dual simplex: exact vertex solutions, deterministic)
LP_METHOD = "highs-ds"


def reduced_lp(
    hours: np.ndarray,
    rhs: np.ndarray,
    n_ub: np.ndarray,
    n_cost: np.ndarray,
    *,
    demand: np.ndarray,
    a_sku: np.ndarray,
    a_line: np.ndarray,
    c: np.ndarray,
    V: np.ndarray,
    holding: np.ndarray,
    backlog: np.ndarray,
    overtime: np.ndarray,
    time_limit: float,
    n_lb: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """LP over packs n (A×T), stock I, backlog B (S×T) and overtime O (L×T) only.

    ``hours`` (A×T) are the hours one pack takes on its line, ``rhs`` (L×T) the hours left for
    production. Returns the packs (fractional) and the LP objective (a lower bound when ``hours``
    charges changeovers as n / M); ``n_lb`` optional lower bounds on the packs (minimum batches
    of fixed set-ups).
    """
    (A, T), S, L = n_ub.shape, demand.shape[0], rhs.shape[0]
    o_i, o_b, o_o = A * T, A * T + S * T, A * T + 2 * S * T
    at, st, lt = np.arange(A * T), np.arange(S * T), np.arange(L * T)
    prev = st % T > 0
    rows = [a_sku[at // T] * T + at % T, st, st, st[prev], st[prev]]
    cols = [at, o_i + st, o_b + st, o_i + st[prev] - 1, o_b + st[prev] - 1]
    vals = [c[a_sku[at // T]], -np.ones(S * T), np.ones(S * T), np.ones(prev.sum()),
            -np.ones(prev.sum())]  # fmt: skip
    balance = sparse.csr_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(S * T, o_o + L * T),
    )
    cap_rows = np.r_[a_line[at // T] * T + at % T, lt]
    capacity = sparse.csr_array(
        (np.r_[hours.ravel(), -np.ones(L * T)], (cap_rows, np.r_[at, o_o + lt])),
        shape=(L * T, o_o + L * T),
    )
    obj = np.r_[n_cost.ravel(), np.repeat(holding, T), backlog.ravel(), np.repeat(overtime, T)]
    ub = np.r_[n_ub.ravel(), np.full(2 * S * T, np.inf), V.ravel()]
    lb = np.zeros_like(ub)
    if n_lb is not None:
        lb[: A * T] = np.minimum(n_lb.ravel(), ub[: A * T])
    res = linprog(
        obj, A_ub=capacity, b_ub=rhs.ravel(), A_eq=balance, b_eq=demand.ravel(),
        bounds=np.c_[lb, ub], method=LP_METHOD,
        options={"time_limit": time_limit, "presolve": True},
    )  # fmt: skip
    if res.x is None:
        raise InputError(f"the production plan found no solution: {res.message}")
    return res.x[: A * T].reshape(A, T), float(res.fun)


def choose_setups(
    packs_lp: np.ndarray,
    min_packs: np.ndarray,
    arc_line: np.ndarray,
    changeover_hours: np.ndarray,
    hours_limit: np.ndarray,
) -> np.ndarray:
    """Set-ups (arc × week) to fix for the second LP: the relaxation's batches, largest first.

    A set-up is kept where the LP makes at least half the minimum batch, as long as the line-week's
    changeovers stay within half its hours (regular + overtime cap), so production keeps room.
    """
    cand = packs_lp >= np.maximum(0.5 * min_packs[:, None], 0.5)
    keep = np.zeros_like(cand)
    spent = np.zeros_like(hours_limit)
    arcs, weeks = np.nonzero(cand)
    for i in np.lexsort((arcs, -packs_lp[arcs, weeks])):
        a, t = arcs[i], weeks[i]
        j = arc_line[a]
        if spent[j, t] + changeover_hours[j] <= 0.5 * hours_limit[j, t] + 1e-9:
            spent[j, t] += changeover_hours[j]
            keep[a, t] = True
    return keep


def repair_batches(
    packs_lp: np.ndarray,
    *,
    arc_sku: np.ndarray,
    arc_line: np.ndarray,
    case_pack: np.ndarray,
    min_packs: np.ndarray,
    hours_per_pack: np.ndarray,
    changeover_hours: np.ndarray,
    hours_limit: np.ndarray,
    demand: np.ndarray,
    late_cost: np.ndarray,
    max_packs: np.ndarray | None = None,
) -> np.ndarray:
    """Whole case packs per arc (SKU × line) and week that fit every line-week.

    Parameters
    ----------
    packs_lp : ndarray (A, T)
        LP case packs per arc and week (fractional).
    arc_sku, arc_line : ndarray (A,)
        SKU and line index of every arc.
    case_pack : ndarray (S,)
        Units per case pack.
    min_packs : ndarray (A,)
        Minimum batch in case packs.
    hours_per_pack : ndarray (A,)
        Hours to make one case pack on the arc's line (case_pack / units_per_hour).
    changeover_hours : ndarray (L,)
        Hours lost per set-up of a SKU in a week.
    hours_limit : ndarray (L, T)
        Regular plus overtime-cap hours of every line-week.
    demand : ndarray (S, T)
        Units due per SKU and week.
    late_cost : ndarray (S,)
        Priority of the SKUs (base currency per unit-week late).
    max_packs : ndarray (A, T), optional
        Set-up bound M of every batch (packs); rounding and fill never go past it.

    Returns
    -------
    ndarray (A, T) of int
        Case packs; every line-week's hours ≤ hours_limit (and packs ≤ max_packs).
    """
    cap = np.full(np.shape(packs_lp), np.inf) if max_packs is None else np.floor(max_packs + 1e-9)
    packs = _round_batches(np.asarray(packs_lp, float), min_packs)
    packs = np.minimum(packs, cap).astype(np.int64)
    packs[packs < min_packs[:, None] - 1e-9] = 0
    n_line, T = hours_limit.shape
    used = _line_hours(packs, arc_line, hours_per_pack, changeover_hours, n_line)
    # 2. fit: cut the least valuable batches in overloaded line-weeks
    prio = late_cost[arc_sku]
    for j, t in zip(*np.nonzero(used > hours_limit + TOLERANCE_HOURS), strict=True):
        arcs = np.flatnonzero((arc_line == j) & (packs[:, t] > 0))
        for a in arcs[np.lexsort((-packs[arcs, t] * hours_per_pack[arcs], prio[arcs]))]:
            excess = used[j, t] - hours_limit[j, t]
            if excess <= TOLERANCE_HOURS:
                break
            cut = int(np.ceil(excess / hours_per_pack[a] - 1e-9))
            if packs[a, t] - cut < min_packs[a]:
                used[j, t] -= packs[a, t] * hours_per_pack[a] + changeover_hours[j]
                packs[a, t] = 0
            else:
                used[j, t] -= cut * hours_per_pack[a]
                packs[a, t] -= cut
    # 3. trim: batches that only add stock nobody needs in the horizon shrink (never creating
    # backlog), which frees hours for the fill
    cum_due = demand.cumsum(axis=1)
    for s in range(len(case_pack)):
        arcs = np.flatnonzero(arc_sku == s)
        for t in range(T - 1, -1, -1):
            for a in arcs[packs[arcs, t] > 0]:
                made = (packs[arcs] * case_pack[s]).sum(axis=0).cumsum()
                spare = int(np.floor((made - cum_due[s])[t:].min() / case_pack[s] + 1e-9))
                if spare <= 0:
                    continue
                j = arc_line[a]
                if spare >= packs[a, t]:
                    used[j, t] -= packs[a, t] * hours_per_pack[a] + changeover_hours[j]
                    packs[a, t] = 0
                elif packs[a, t] - spare >= min_packs[a]:
                    used[j, t] -= spare * hours_per_pack[a]
                    packs[a, t] -= spare
                elif packs[a, t] > min_packs[a]:
                    cut = packs[a, t] - int(min_packs[a])
                    used[j, t] -= cut * hours_per_pack[a]
                    packs[a, t] -= cut
    # 4. fill: place each SKU's backlog where spare hours exist
    for s in np.argsort(-late_cost, kind="stable"):
        arcs = np.flatnonzero(arc_sku == s)
        if not len(arcs):
            continue
        for _ in range(2 * T):
            made = (packs[arcs] * case_pack[s]).sum(axis=0).cumsum()
            gap = cum_due[s] - made
            if not (gap > 0).any():
                break
            first = int(np.argmax(gap > 0))
            # a batch in week t only helps the backlog of weeks ≥ t
            need = np.ceil(np.maximum.accumulate(gap[::-1])[::-1] / case_pack[s] - 1e-9)
            order = [*range(first, -1, -1), *range(first + 1, T)]
            if not _place(packs, used, arcs, order, need.astype(int), arc_line, min_packs,
                          hours_per_pack, changeover_hours, hours_limit, cap):  # fmt: skip
                break
    return packs


def _round_batches(lp: np.ndarray, min_packs: np.ndarray) -> np.ndarray:
    """Round each arc's LP batches week by week, carrying the surplus of a rounded-up batch.

    A batch raised to the minimum makes more than the LP asked for; that surplus serves the LP's
    next batches of the arc before a new one starts, so a small SKU with a large minimum batch is
    set up once every few weeks instead of every week.
    """
    out = np.zeros(lp.shape, np.int64)
    for a in np.flatnonzero((lp > 1e-6).any(axis=1)):
        surplus = 0.0
        for t in np.flatnonzero(lp[a] > 1e-6):
            need = lp[a, t] - surplus
            if need <= 0.5:  # covered by the last batch (half a pack tolerance)
                surplus = max(-need, 0.0)
                continue
            batch = max(int(np.ceil(need - 0.5)), int(min_packs[a]))
            out[a, t] = batch
            surplus = batch - need
    return out


def _line_hours(
    packs: np.ndarray,
    arc_line: np.ndarray,
    hours_per_pack: np.ndarray,
    changeover_hours: np.ndarray,
    n_line: int,
) -> np.ndarray:
    """Hours per line-week: Σ packs × hours per pack + changeover × set-ups."""
    per_arc = packs * hours_per_pack[:, None] + (packs > 0) * changeover_hours[arc_line][:, None]
    out = np.zeros((n_line, packs.shape[1]))
    np.add.at(out, arc_line, per_arc)
    return out


def _place(
    packs: np.ndarray,
    used: np.ndarray,
    arcs: np.ndarray,
    weeks: list[int],
    need: np.ndarray,
    arc_line: np.ndarray,
    min_packs: np.ndarray,
    hours_per_pack: np.ndarray,
    changeover_hours: np.ndarray,
    hours_limit: np.ndarray,
    max_packs: np.ndarray,
) -> bool:
    """Add up to ``need[t]`` packs in the first week t (in ``weeks`` order) with room and within
    the set-up bound; True if any."""
    for t in weeks:
        if need[t] <= 0:
            continue
        for a in arcs:
            j = arc_line[a]
            spare = hours_limit[j, t] - used[j, t]
            new = packs[a, t] == 0
            if new:
                spare -= changeover_hours[j]
            fit = int(
                min(np.floor(spare / hours_per_pack[a] + 1e-9), max_packs[a, t] - packs[a, t])
            )
            add = min(max(int(need[t]), int(min_packs[a]) if new else 0), fit)
            if add <= 0 or (new and add < min_packs[a]):
                continue
            packs[a, t] += add
            used[j, t] += add * hours_per_pack[a] + (changeover_hours[j] if new else 0.0)
            return True
    return False


def repair_plan(inst: LotSizing, packs_lp: np.ndarray) -> np.ndarray:
    """:func:`repair_batches` on an instance, every batch within its set-up bound n ≤ M.
    Returns integer packs (A, T) that break no rule of the model."""
    packs = repair_batches(
        packs_lp, arc_sku=inst.arc_sku, arc_line=inst.arc_line,
        case_pack=inst.case_pack.astype(int), min_packs=inst.min_packs,
        hours_per_pack=inst.hours_per_pack, changeover_hours=inst.changeover,
        hours_limit=inst.hours + inst.overtime_cap, demand=inst.demand, late_cost=inst.late,
        max_packs=inst.max_packs,
    )  # fmt: skip
    return packs


def lp_and_repair(inst: LotSizing, time_limit: float) -> tuple[np.ndarray, float]:
    """The ``lp`` method: aggregated LP relaxation, set-ups fixed, rounding repair and polish.

    First LP: y = n / M (changeover hours and set-up cost spread per pack); its objective is a
    (weak) lower bound. Second LP: set-ups fixed where the relaxation makes a real batch
    (:func:`choose_setups`), changeovers charged in full; then :func:`repair_plan`. Polish
    (:data:`POLISH_ROUNDS`): the repaired set-ups fixed, minimum batches as lower bounds, the LP
    re-times the quantities, repair again; the cheaper plan is kept.

    Returns
    -------
    (ndarray (A, T) of int, float)
        Packs, and the first LP's objective (lower bound, base currency).
    """
    S, A, L, T = inst.shape
    a_sku, a_line, c, k = inst.arc_sku, inst.arc_line, inst.case_pack, inst.changeover
    backlog = inst.late[:, None] + np.where(np.arange(T) == T - 1, inst.short_penalty[:, None], 0)
    lpm = {"demand": inst.demand, "a_sku": a_sku, "a_line": a_line, "c": c, "V": inst.overtime_cap,
           "holding": inst.holding, "backlog": backlog, "overtime": inst.overtime_cost,
           "time_limit": time_limit}  # fmt: skip
    big_m = inst.max_packs
    safe_m = np.where(big_m > 0, big_m, 1.0)
    hours1 = inst.hours_per_pack[:, None] + k[a_line, None] / safe_m
    cost1 = EPSILON_UNIT * c[a_sku, None] + EPSILON_SETUP / safe_m
    n1, bound = reduced_lp(hours1, inst.hours, big_m, cost1, **lpm)
    unit_cost = np.broadcast_to(EPSILON_UNIT * c[a_sku, None], big_m.shape)
    per_pack = np.broadcast_to(inst.hours_per_pack[:, None], big_m.shape)
    setup = choose_setups(n1, inst.min_packs, a_line, k, inst.hours + inst.overtime_cap)
    fixed = np.zeros_like(inst.hours)
    np.add.at(fixed, a_line, setup * k[a_line, None])
    n_lp, _ = reduced_lp(
        per_pack, inst.hours - fixed, np.where(setup, big_m, 0.0), unit_cost, **lpm
    )
    best = repair_plan(inst, n_lp)
    for _ in range(POLISH_ROUNDS):
        setup = best > 0
        fixed = np.zeros_like(inst.hours)
        np.add.at(fixed, a_line, setup * k[a_line, None])
        n_lp, _ = reduced_lp(
            per_pack, inst.hours - fixed, np.where(setup, big_m, 0.0), unit_cost, **lpm,
            n_lb=np.where(setup, inst.min_packs[:, None], 0.0),
        )  # fmt: skip
        polished = repair_plan(inst, n_lp)
        if inst.cost(polished) >= inst.cost(best) - 1e-9:
            break
        best = polished
    return best, bound
