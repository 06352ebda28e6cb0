"""LP relaxations and rounding repair: an executable batch plan for instances too large for the MIP.

:func:`reduced_lp` solves the lot-sizing LP without batch binaries; :func:`choose_setups` fixes the
set-ups a second LP charges in full; :func:`repair_plan` rounds the result.

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
from forecasting.planning.production.model import (
    EPSILON_SETUP,
    EPSILON_UNIT,
    TOLERANCE_HOURS,
    LotSizing,
)

#: fix-set-ups-and-re-solve passes after the LP repair (each: one LP and one repair)
POLISH_ROUNDS = 3
#: HiGHS method of the LP relaxations (dual simplex: exact vertex solutions, deterministic)
LP_METHOD = "highs-ds"


def reduced_lp(
    inst: LotSizing,
    hours: np.ndarray,
    rhs: np.ndarray,
    n_ub: np.ndarray,
    n_cost: np.ndarray,
    *,
    time_limit: float,
    n_lb: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """LP over packs n (A×T), stock I, backlog B (S×T) and overtime O (L×T) only.

    balance ``Σ_l c_s n + I[t−1] − B[t−1] − I + B = d``; capacity ``Σ hours·n − O ≤ rhs``,
    ``0 ≤ O ≤ V``; cost ``n_cost·n + h I + w B (+ P_s B in the last week) + o O`` (base
    currency; the model of :mod:`.production` without batch binaries).

    Parameters
    ----------
    inst : LotSizing
        Demand, SKUs, lines, overtime caps and the costs of stock, backlog and overtime.
    hours : ndarray (A, T)
        Hours one pack takes on its line.
    rhs : ndarray (L, T)
        Hours left for production (regular hours, less fixed changeovers).
    n_ub, n_cost : ndarray (A, T)
        Most packs and cost per pack.
    time_limit : float
        Seconds.
    n_lb : ndarray (A, T), optional
        Lower bounds on the packs (minimum batches of fixed set-ups).

    Returns
    -------
    (ndarray (A, T), float)
        The packs (fractional) and the LP objective (a lower bound when ``hours`` charges
        changeovers as n / M).
    """
    demand, a_sku, a_line, c = inst.demand, inst.arc_sku, inst.arc_line, inst.case_pack
    T = demand.shape[1]
    backlog = inst.late[:, None] + np.where(np.arange(T) == T - 1, inst.short_penalty[:, None], 0)
    holding, overtime, V = inst.holding, inst.overtime_cost, inst.overtime_cap
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


def repair_plan(inst: LotSizing, packs_lp: np.ndarray) -> np.ndarray:
    """Whole case packs per arc (SKU × line) and week that break no rule of the model.

    The four steps of the module docstring on the LP's batches: :meth:`_Repair.round`,
    :meth:`_Repair.fit`, :meth:`_Repair.trim`, :meth:`_Repair.fill`.

    Parameters
    ----------
    inst : LotSizing
        The instance: SKUs' case packs, minimum batches, hours per pack, changeovers, regular +
        overtime-cap hours of every line-week, set-up bounds M, demand (units) and late costs
        (the SKUs' priority, base currency per unit-week).
    packs_lp : ndarray (A, T)
        LP case packs per arc and week (fractional).

    Returns
    -------
    ndarray (A, T) of int
        Case packs; every line-week's hours ≤ regular + overtime-cap hours, every batch within
        its set-up bound n ≤ M and at least its minimum batch.
    """
    repair = _Repair(inst, packs_lp)
    repair.fit()
    repair.trim()
    repair.fill()
    return repair.packs


class _Repair:
    """The batch plan being repaired: packs (A, T), hours used per line-week (L, T), the rules.

    Works on a copy; deterministic (fixed orders, stable sorts).
    """

    def __init__(self, inst: LotSizing, packs_lp: np.ndarray) -> None:
        self.arc_sku, self.arc_line = inst.arc_sku, inst.arc_line
        self.case_pack = inst.case_pack.astype(int)
        self.min_packs, self.hours_per_pack = inst.min_packs, inst.hours_per_pack
        self.changeover = inst.changeover
        self.limit = inst.hours + inst.overtime_cap  # regular + overtime-cap hours (L, T)
        self.demand, self.late_cost = inst.demand, inst.late
        self.cap = np.floor(inst.max_packs + 1e-9)  # set-up bound M (packs)
        self.packs = self.round(np.asarray(packs_lp, float))
        self.used = inst.line_hours(self.packs)  # hours per line-week (L, T)

    def round(self, packs_lp: np.ndarray) -> np.ndarray:
        """1. Round: whole packs, at least the minimum batch, at most M (else none)."""
        packs = _round_batches(packs_lp, self.min_packs)
        packs = np.minimum(packs, self.cap).astype(np.int64)
        packs[packs < self.min_packs[:, None] - 1e-9] = 0
        return packs

    def _cut(self, a: int, t: int, cut: int) -> None:
        """Take ``cut`` packs off the batch of arc ``a`` in week ``t``."""
        self.used[self.arc_line[a], t] -= cut * self.hours_per_pack[a]
        self.packs[a, t] -= cut

    def _drop(self, a: int, t: int) -> None:
        """Remove the batch of arc ``a`` in week ``t`` (its packs and its changeover)."""
        j = self.arc_line[a]
        self.used[j, t] -= self.packs[a, t] * self.hours_per_pack[a] + self.changeover[j]
        self.packs[a, t] = 0

    def fit(self) -> None:
        """2. Fit: in every overloaded line-week cut the least valuable batches (lowest late
        cost, then the longest) by whole packs, or remove them below their minimum."""
        packs, used, limit, per_pack = self.packs, self.used, self.limit, self.hours_per_pack
        prio = self.late_cost[self.arc_sku]
        for j, t in zip(*np.nonzero(used > limit + TOLERANCE_HOURS), strict=True):
            arcs = np.flatnonzero((self.arc_line == j) & (packs[:, t] > 0))
            for a in arcs[np.lexsort((-packs[arcs, t] * per_pack[arcs], prio[arcs]))]:
                excess = used[j, t] - limit[j, t]
                if excess <= TOLERANCE_HOURS:
                    break
                cut = int(np.ceil(excess / per_pack[a] - 1e-9))
                if packs[a, t] - cut < self.min_packs[a]:
                    self._drop(a, t)
                else:
                    self._cut(a, t, cut)

    def trim(self) -> None:
        """3. Trim: a batch whose units the SKU does not need in the horizon (stock after it
        never drops below them) shrinks to its minimum or goes, latest first; this never
        creates backlog and frees hours for the fill."""
        packs, cum_due = self.packs, self.demand.cumsum(axis=1)
        T = packs.shape[1]
        for s in range(len(self.case_pack)):
            c = self.case_pack[s]
            arcs = np.flatnonzero(self.arc_sku == s)
            for t in range(T - 1, -1, -1):
                for a in arcs[packs[arcs, t] > 0]:
                    made = (packs[arcs] * c).sum(axis=0).cumsum()
                    spare = int(np.floor((made - cum_due[s])[t:].min() / c + 1e-9))
                    if spare <= 0:
                        continue
                    if spare >= packs[a, t]:
                        self._drop(a, t)
                    elif packs[a, t] - spare >= self.min_packs[a]:
                        self._cut(a, t, spare)
                    elif packs[a, t] > self.min_packs[a]:
                        self._cut(a, t, packs[a, t] - int(self.min_packs[a]))

    def fill(self) -> None:
        """4. Fill: SKUs by late cost (highest first) get their backlog made where hours are
        spare: the latest week on or before the first week short (pre-build, on time), then
        earlier weeks, then later ones (late but not short)."""
        cum_due = self.demand.cumsum(axis=1)
        T = self.packs.shape[1]
        for s in np.argsort(-self.late_cost, kind="stable"):
            c = self.case_pack[s]
            arcs = np.flatnonzero(self.arc_sku == s)
            if not len(arcs):
                continue
            for _ in range(2 * T):
                made = (self.packs[arcs] * c).sum(axis=0).cumsum()
                gap = cum_due[s] - made
                if not (gap > 0).any():
                    break
                first = int(np.argmax(gap > 0))
                # a batch in week t only helps the backlog of weeks ≥ t
                need = np.ceil(np.maximum.accumulate(gap[::-1])[::-1] / c - 1e-9)
                order = [*range(first, -1, -1), *range(first + 1, T)]
                if not self.place(arcs, order, need.astype(int)):
                    break

    def place(self, arcs: np.ndarray, weeks: list[int], need: np.ndarray) -> bool:
        """Add up to ``need[t]`` packs in the first week t (in ``weeks`` order) on one of
        ``arcs`` with room, within the set-up bound; a new set-up must afford its changeover
        and the minimum batch. True if any."""
        packs, used = self.packs, self.used
        for t in weeks:
            if need[t] <= 0:
                continue
            for a in arcs:
                j = self.arc_line[a]
                spare = self.limit[j, t] - used[j, t]
                new = packs[a, t] == 0
                if new:
                    spare -= self.changeover[j]
                fit = int(
                    min(
                        np.floor(spare / self.hours_per_pack[a] + 1e-9),
                        self.cap[a, t] - packs[a, t],
                    )
                )
                add = min(max(int(need[t]), int(self.min_packs[a]) if new else 0), fit)
                if add <= 0 or (new and add < self.min_packs[a]):
                    continue
                packs[a, t] += add
                used[j, t] += add * self.hours_per_pack[a] + (self.changeover[j] if new else 0.0)
                return True
        return False


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
    a_sku, a_line, c, k = inst.arc_sku, inst.arc_line, inst.case_pack, inst.changeover
    big_m = inst.max_packs
    safe_m = np.where(big_m > 0, big_m, 1.0)
    hours1 = inst.hours_per_pack[:, None] + k[a_line, None] / safe_m
    cost1 = EPSILON_UNIT * c[a_sku, None] + EPSILON_SETUP / safe_m
    n1, bound = reduced_lp(inst, hours1, inst.hours, big_m, cost1, time_limit=time_limit)
    unit_cost = np.broadcast_to(EPSILON_UNIT * c[a_sku, None], big_m.shape)
    per_pack = np.broadcast_to(inst.hours_per_pack[:, None], big_m.shape)
    setup = choose_setups(n1, inst.min_packs, a_line, k, inst.hours + inst.overtime_cap)
    fixed = np.zeros_like(inst.hours)
    np.add.at(fixed, a_line, setup * k[a_line, None])
    n_lp, _ = reduced_lp(
        inst, per_pack, inst.hours - fixed, np.where(setup, big_m, 0.0), unit_cost,
        time_limit=time_limit,
    )  # fmt: skip
    best = repair_plan(inst, n_lp)
    for _ in range(POLISH_ROUNDS):
        setup = best > 0
        fixed = np.zeros_like(inst.hours)
        np.add.at(fixed, a_line, setup * k[a_line, None])
        n_lp, _ = reduced_lp(
            inst, per_pack, inst.hours - fixed, np.where(setup, big_m, 0.0), unit_cost,
            time_limit=time_limit, n_lb=np.where(setup, inst.min_packs[:, None], 0.0),
        )  # fmt: skip
        polished = repair_plan(inst, n_lp)
        if inst.cost(polished) >= inst.cost(best) - 1e-9:
            break
        best = polished
    return best, bound
