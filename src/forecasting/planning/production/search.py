"""Search for a near-optimal plan with a proven bound: decomposition, dive, finish, sub-MIPs.

The ``auto`` method of :func:`~forecasting.planning.production.plan.plan_production`:

1. **Decompose.** Lines that share no SKU are independent problems: the instance splits into
   the connected components of the SKU–line graph (:func:`.production_model.components`; the
   sample's 5 lines are 5 parts). Costs add up, so do lower bounds.
2. **Bound.** The LP relaxation of the facility-location model (:mod:`.production_fl`) of each
   part is a valid lower bound; HiGHS' dual bound replaces it when a part's MIP proves more.
3. **First plan** (:data:`FIRST_SHARE` of the budget, split by size). A two-sided LP dive
   fixes the set-ups (:meth:`.FacilityLocationModel.dive`); an integer finish (MIP with those
   set-ups fixed) gives whole case packs; the LP repair of the dive's last LP
   (:func:`.production_repair.repair_plan`) is the safety net; the cheaper plan is kept. A part
   with at most :data:`SMALL_PART_BINARIES` set-up binaries is then solved as one MIP with a
   small node limit, warm-started: easy parts end here, proven optimal.
4. **Improve** (the rest of the budget, split between the open parts half by size, half by
   gap). Fix and optimise (Helber & Sahling 2010): sub-MIPs over one line × a window of
   :data:`WINDOW_WEEKS` weeks, the rest of the plan fixed; then the whole MIP again from the
   better plan, for the bound.
5. **Large parts.** A part whose facility-location model has more than
   :data:`LARGE_PART_ENTRIES` assignment variables is planned by LP + repair
   (:func:`.production_repair.lp_and_repair`) with its aggregated LP bound: its LP does not
   solve within a weekly budget on 2 cores (measured: 500 SKUs × 6 lines × 26 weeks).

Budget and determinism: every MIP gets a node limit of :data:`NODES_PER_SECOND` × its share
of the budget (a work limit: same budget → same limits on every machine) and the time left as
a wall-clock cap; the dive stops after :data:`~.production_fl.DIVE_ROUNDS` rounds. With one
HiGHS thread and a fixed seed the plan is the same for the same budget and seed unless a
wall-clock cap stopped a solve first; ``deterministic`` in the summary says which.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TypedDict

import numpy as np

from forecasting.planning.production.facility_location import FacilityLocationModel
from forecasting.planning.production.model import LotSizing, components
from forecasting.planning.production.repair import lp_and_repair, repair_plan

#: parts up to this many set-up binaries (arcs × weeks) are solved as one MIP
SMALL_PART_BINARIES = 2000
#: branch-and-bound nodes per second of budget (the deterministic work limit of every MIP)
NODES_PER_SECOND = 20
#: passes of fix-and-optimise sub-MIPs (line × window of weeks; whole lines in a large part)
SUBMIP_PASSES = 2
TIME_LIMIT = "Time limit reached"
#: a part whose facility-location model has more assignment variables than this is planned by
#: LP + repair (:func:`.production_repair.lp_and_repair`): its LP alone does not solve within a
#: weekly budget on 2 cores (500 SKUs × 6 lines × 26 weeks: 130,000 entries, > 120 s)
LARGE_PART_ENTRIES = 60_000
#: share of the budget for the first plan of every part (the rest goes where the gaps are)
FIRST_SHARE = 0.3
#: weeks of a fix-and-optimise window (windows overlap by half)
WINDOW_WEEKS = 8


class PartDetail(TypedDict):
    """One independent part of a plan in ``summary["parts"]``."""

    lines: int  #: lines of the part
    arcs: int  #: SKU × line pairs
    cost: float  #: the part's plan, base currency (objective of the model)
    bound: float  #: proven lower bound of that cost
    seconds: float  #: time spent on the part
    status: str  #: how the part was solved


class SearchInfo(TypedDict):
    """What :func:`search` reports beside the plan."""

    bound: float  #: Σ of the parts' bounds (base currency, unrounded)
    deterministic: bool  #: no wall-clock cap stopped a solve
    parts: list[PartDetail]
    status: str


def search(
    inst: LotSizing,
    *,
    time_limit: float,
    seed: int = 0,
    exact: bool = False,
    mip_rel_gap: float = 1e-4,
) -> tuple[np.ndarray, SearchInfo]:
    """Best plan found for ``inst`` and a proven lower bound of its objective.

    The steps of the module docstring: decompose and bound (:func:`_decompose`), a first plan
    per part (:func:`_first_plans`), improve where the gaps are (:func:`_improve_plans`), the
    large parts by LP + repair and the parts put together (:func:`_put_together`).

    Parameters
    ----------
    inst : LotSizing
        The instance.
    time_limit : float
        Budget in seconds (wall-clock caps and node limits derive from it).
    seed : int
        HiGHS random seed.
    exact : bool
        Solve every part as one MIP (no size threshold, no node limit; ``method="mip"``).
    mip_rel_gap : float
        Relative gap at which a MIP stops.

    Returns
    -------
    (ndarray (A, T) of int, SearchInfo)
        Packs per arc and week; ``bound`` (Σ of the parts' bounds of the facility-location
        objective: a valid bound of :meth:`.LotSizing.cost` when ``late_unit`` is 0; with late
        units first, :func:`~.production.plan_production` bounds the objective otherwise),
        ``deterministic`` (no wall-clock cap stopped a solve), ``parts`` (per part: lines,
        arcs, cost, bound, seconds, status), ``status``.
    """
    t0 = time.perf_counter()
    parts, large = _decompose(inst, time_limit, seed, exact, mip_rel_gap)
    first = _first_plans(parts, time_limit, t0, exact)
    _improve_plans(parts, time_limit - first.sum(), time_limit, t0)
    return _put_together(inst, parts, large, time_limit, t0)


def _decompose(
    inst: LotSizing, time_limit: float, seed: int, exact: bool, mip_rel_gap: float
) -> tuple[list[_Part], list[tuple[LotSizing, np.ndarray]]]:
    """Step 1-2: the independent parts, each with its facility-location model and LP bound
    (solved within ``time_limit`` seconds); parts above :data:`LARGE_PART_ENTRIES` apart
    (unless ``exact``) as (sub-instance, arc indices)."""
    parts = []
    large = []
    for skus, lines in components(inst):
        sub, arcs = inst.part(skus, lines)
        if fl_size(sub) > LARGE_PART_ENTRIES and not exact:
            large.append((sub, arcs))
            continue
        fl = FacilityLocationModel(sub, seed)
        fl.h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
        lp_value, col, lp_status = fl.relaxation(time_limit)
        part = _Part(sub, arcs, fl, lp_value if lp_status == "Optimal" else 0.0)
        part.capped = lp_status != "Optimal"
        part.col = col
        parts.append(part)
    return parts, large


def _part_sizes(parts: list[_Part]) -> np.ndarray:
    """Set-up binaries (arcs × weeks) of every part."""
    return np.array([p.inst.max_packs.size for p in parts], float)


def _first_plans(parts: list[_Part], time_limit: float, t0: float, exact: bool) -> np.ndarray:
    """Step 3: a first plan for every part, and the easy parts proven optimal, within
    :data:`FIRST_SHARE` of the budget split by size (seconds since ``t0``); returns each part's
    share (seconds)."""
    size = _part_sizes(parts)
    first = FIRST_SHARE * time_limit * size / max(size.sum(), 1.0)
    for i, part in enumerate(parts):
        left = max(FIRST_SHARE * time_limit - (time.perf_counter() - t0), 0.0)
        _first_plan(part, left * first[i] / max(first[i:].sum(), 1e-12), first[i], exact)
    return first


def _improve_plans(parts: list[_Part], rest: float, time_limit: float, t0: float) -> None:
    """Step 4: the ``rest`` of the budget (seconds) split between the open parts, half by size,
    half by each part's gap (cost − bound); each improved by :func:`_improve`."""
    size = _part_sizes(parts)
    open_ = np.array([not p.done for p in parts])
    gaps = np.where(open_, [max(p.cost - p.bound, 0.0) for p in parts], 0.0)
    share = open_ * size / max((open_ * size).sum(), 1.0)
    share = 0.5 * share + 0.5 * (gaps / gaps.sum() if gaps.sum() > 0 else share)
    second = rest * share
    for i, part in enumerate(parts):
        if part.done or second[i] <= 0:
            continue
        left = max(time_limit - (time.perf_counter() - t0), 0.0)
        _improve(part, left * second[i] / max(second[i:].sum(), 1e-12), second[i])


def _put_together(
    inst: LotSizing,
    parts: list[_Part],
    large: list[tuple[LotSizing, np.ndarray]],
    time_limit: float,
    t0: float,
) -> tuple[np.ndarray, SearchInfo]:
    """Step 5 and the whole plan: the large parts by LP + repair with their (aggregated) LP
    bound, then every part's plan in place; bounds add up (base currency)."""
    S, A, L, T = inst.shape
    packs = np.zeros((A, T), np.int64)
    detail: list[PartDetail] = []
    bound = 0.0
    for sub, arcs in large:
        t1 = time.perf_counter()
        best, lp_bound = lp_and_repair(sub, max(time_limit - (t1 - t0), 1.0))
        packs[arcs] = best
        bound += lp_bound
        detail.append({"lines": int(sub.shape[2]), "arcs": int(sub.shape[1]),
                       "cost": round(sub.cost(best), 2), "bound": round(lp_bound, 2),
                       "seconds": round(time.perf_counter() - t1, 2),
                       "status": "too large for the facility-location model: LP + repair"})  # fmt: skip
    for part in parts:
        packs[part.arcs] = part.best
        bound += part.bound
        detail.append({"lines": int(part.inst.shape[2]), "arcs": int(part.inst.shape[1]),
                       "cost": round(part.cost, 2), "bound": round(part.bound, 2),
                       "seconds": round(part.seconds, 2), "status": part.status})  # fmt: skip
    capped = any(p.capped for p in parts)
    worst = "time cap reached" if capped else "work limit or optimal"
    statuses = ", ".join(sorted({d["status"] for d in detail}))
    info: SearchInfo = {
        "bound": float(bound),  # unrounded: a bound rounded up may no longer be one
        "deterministic": not capped,
        "parts": detail,
        "status": f"{len(detail)} part(s): {statuses} ({worst})",
    }
    return packs, info


class _Part:
    """State of one independent part during the search."""

    def __init__(self, inst: LotSizing, arcs: np.ndarray, fl: FacilityLocationModel, lp: float):
        self.inst, self.arcs, self.fl = inst, arcs, fl
        self.bound = lp
        self.best = np.zeros(inst.max_packs.shape, np.int64)
        self.cost = inst.cost(self.best)
        self.capped, self.done, self.status, self.seconds = False, False, "", 0.0
        self.col = np.zeros(0)

    @property
    def small(self) -> bool:
        return self.inst.max_packs.size <= SMALL_PART_BINARIES

    def offer(self, plan: np.ndarray | None) -> bool:
        """Keep ``plan`` if it breaks no rule and is cheaper; True if kept."""
        if plan is None or self.inst.violations(plan):
            return False
        value = self.inst.cost(plan)
        if value < self.cost - 1e-6:
            self.best, self.cost = plan, value
            return True
        return False

    def whole_mip(self, node_limit: int, seconds: float) -> str:
        """The part as one MIP from the best plan; raises the bound; returns the status."""
        plan, dual, status = self.fl.solve_mip(
            time_limit=max(seconds, 0.05), node_limit=node_limit, start=self.best
        )
        self.capped |= status == TIME_LIMIT
        if np.isfinite(dual):
            self.bound = max(self.bound, dual)
        self.offer(plan)
        self.status = "MIP " + status.lower()
        self.done = status == "Optimal"
        return status


def fl_size(inst: LotSizing) -> int:
    """Assignment variables of the facility-location model of ``inst``: Σ over arcs of (weeks
    the arc can run × weeks with demand of its SKU)."""
    runs = (inst.max_packs > 0).sum(axis=1)
    due = (inst.demand > 0).sum(axis=1)
    return int((runs * due[inst.arc_sku]).sum())


def _first_plan(part: _Part, seconds: float, work: float, exact: bool) -> None:
    """Dive → integer finish → repair (the cheaper plan), then a small part as one MIP with a
    small node limit (``exact``: no node limit, all the time)."""
    start = time.perf_counter()
    inst, fl = part.inst, part.fl
    nodes = max(int(NODES_PER_SECOND * work), 50)
    setups, n_lp, _ = fl.dive(part.col, start + 0.5 * seconds)
    part.capped |= fl.dive_capped
    part.offer(repair_plan(inst, n_lp))
    finish, _, status = fl.solve_mip(
        time_limit=max(start + seconds - time.perf_counter(), 0.05),
        node_limit=nodes,
        fix_setups=setups,
    )
    part.capped |= status == TIME_LIMIT
    part.offer(finish)
    part.status = "dive + finish"
    if exact:
        part.whole_mip(2**31 - 1, start + seconds - time.perf_counter())
        part.done = True
    elif part.small:
        part.whole_mip(nodes, start + seconds - time.perf_counter())
    part.seconds += time.perf_counter() - start


def _improve(part: _Part, seconds: float, work: float) -> None:
    """Fix and optimise: sub-MIPs over one line × a window of weeks (whole lines in a large
    part), the rest fixed, each within a node limit; then a small part as one MIP again."""
    start = time.perf_counter()
    inst, fl = part.inst, part.fl
    S, A, L, T = inst.shape
    nodes = max(int(NODES_PER_SECOND * work), 50)
    small = part.small
    hoods = (
        [(j, w) for j in range(L) for w in _windows(T)] if small else [(j, None) for j in range(L)]
    )
    sub_nodes = max(nodes // (2 * len(hoods) * SUBMIP_PASSES), 20)
    until = start + (0.6 if small else 1.0) * seconds
    for _ in range(SUBMIP_PASSES):
        improved = False
        for j, weeks in hoods:
            if time.perf_counter() >= until:
                part.capped = True
                break
            free = np.zeros((A, T), bool)
            free[np.ix_(inst.arc_line == j, np.arange(T) if weeks is None else weeks)] = True
            plan, _, status = fl.solve_mip(
                time_limit=until - time.perf_counter(), node_limit=sub_nodes, start=part.best,
                keep=~free,
            )  # fmt: skip
            part.capped |= status == TIME_LIMIT
            improved |= part.offer(plan)
        if not improved:
            break
    part.status = "dive + sub-MIPs"
    if small:
        part.whole_mip(nodes // 2, start + seconds - time.perf_counter())
    part.seconds += time.perf_counter() - start


def _windows(T: int) -> list[np.ndarray]:
    """Weeks of the fix-and-optimise windows: :data:`WINDOW_WEEKS` long, half overlapping."""
    step = max(WINDOW_WEEKS // 2, 1)
    starts = range(0, max(T - WINDOW_WEEKS, 0) + step, step)
    return [np.arange(s, min(s + WINDOW_WEEKS, T)) for s in starts]


def relaxation_bound(inst: LotSizing, *, seed: int = 0, tie_break: bool = True) -> float:
    """Σ over independent parts of the facility-location LP: a lower bound of every plan's
    objective (base currency; parts above :data:`LARGE_PART_ENTRIES` or whose LP does not solve
    add 0, which keeps the bound valid but weak)."""
    total = 0.0
    for skus, lines in components(inst):
        sub, _ = inst.part(skus, lines)
        if fl_size(sub) > LARGE_PART_ENTRIES:
            continue
        value, _, status = FacilityLocationModel(sub, seed, tie_break).relaxation(600.0)
        total += value if status == "Optimal" else 0.0
    return total


def forced_late_units(inst: LotSizing, *, seed: int = 0) -> int:
    """Late or short units that no plan can avoid (capacity, changeovers, minimum batches, case
    packs): a proven lower bound, rounded up.

    Per independent part, the facility-location model with one unit of cost per unit made after
    its due week or never (nothing else costs) is solved as an LP; a unit is late in that model
    only if no allocation of the production serves it on time, the reports' count
    (:meth:`.LotSizing.late_units`). Units; 0 when everything can be on time.
    """
    S, A, L, T = inst.shape
    units = replace(
        inst, holding=np.zeros(S), late=np.zeros(S), overtime_cost=np.zeros(L), late_unit=1.0
    )
    return int(np.ceil(relaxation_bound(units, seed=seed, tie_break=False) - 1e-6))
