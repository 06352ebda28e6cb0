"""Search for a near-optimal plan with a proven bound: decomposition, dive, finish, sub-MIPs.

The ``auto`` method of :func:`~forecasting.planning.production.plan_production`:

1. **Decompose.** Lines that share no SKU are independent problems: the instance splits into
   the connected components of the SKU–line graph (:func:`.production_model.components`; the
   sample's 5 lines are 5 parts). Costs add up, so do lower bounds.
2. **Bound.** The LP relaxation of the facility-location model (:mod:`.production_fl`) of each
   part is a valid lower bound; HiGHS' dual bound replaces it when a part's MIP proves more.
3. **Dive.** A two-sided LP dive fixes the set-ups; an **integer finish** (MIP with those
   set-ups fixed) gives whole case packs; the LP repair (:func:`.production_repair.repair_plan`)
   of the dive's last LP is the safety net; the cheaper plan is kept.
4. **Improve.** A part with at most :data:`SMALL_PART_BINARIES` set-up binaries is solved as a
   whole MIP, warm-started from that plan. A larger part gets sub-MIPs, one line at a time
   (the other lines' batches fixed), :data:`SUBMIP_PASSES` passes over its lines.

Budget and determinism: ``time_limit`` seconds are shared between the parts in proportion to
their binaries (fixed before solving). Every MIP gets a node limit of
:data:`NODES_PER_SECOND` × its share (a work limit: same budget → same limit on every machine)
and its share of seconds as a wall-clock cap. With one HiGHS thread and a fixed seed, the plan
is the same for the same budget and seed unless a wall-clock cap stopped a solve first; the
summary says so (``deterministic``).
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from forecasting.planning.production_fl import FacilityLocationModel
from forecasting.planning.production_model import LotSizing, components
from forecasting.planning.production_repair import repair_plan

#: parts up to this many set-up binaries (arcs × weeks) are solved as one MIP
SMALL_PART_BINARIES = 2000
#: branch-and-bound nodes per second of budget (the deterministic work limit of every MIP)
NODES_PER_SECOND = 20
#: passes of fix-and-optimise sub-MIPs (line × window of weeks; whole lines in a large part)
SUBMIP_PASSES = 2
TIME_LIMIT = "Time limit reached"
#: weeks of a fix-and-optimise window (windows overlap by half)
WINDOW_WEEKS = 8


def search(
    inst: LotSizing,
    *,
    time_limit: float,
    seed: int = 0,
    exact: bool = False,
    mip_rel_gap: float = 1e-4,
) -> tuple[np.ndarray, dict]:
    """Best plan found for ``inst`` and a proven lower bound of its objective.

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
    (ndarray (A, T) of int, dict)
        Packs per arc and week; ``bound`` (Σ of the parts' bounds, base currency),
        ``deterministic`` (no wall-clock cap stopped a solve), ``parts`` (per part: lines,
        arcs, cost, bound, seconds, status), ``status``.
    """
    t0 = time.perf_counter()
    S, A, L, T = inst.shape
    packs = np.zeros((A, T), np.int64)
    parts = []
    for skus, lines in components(inst):
        sub, arcs = inst.part(skus, lines)
        fl = FacilityLocationModel(sub, seed)
        fl.h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
        lp_value, col, lp_status = fl.relaxation(time_limit)
        parts.append((sub, arcs, fl, lp_value if lp_status == "Optimal" else 0.0, col))
    # shares of the budget: half by set-up binaries (work), half by LP bound (what is at stake)
    size = np.array([p[0].max_packs.size for p in parts], float)
    stake = np.array([max(p[3], 0.0) for p in parts])
    weight = 0.5 * size / max(size.sum(), 1.0)
    weight += 0.5 * (stake / stake.sum() if stake.sum() > 0 else size / max(size.sum(), 1.0))
    bound, capped, statuses, detail = 0.0, False, [], []
    for i, (sub, arcs, fl, lp_value, col) in enumerate(parts):
        # wall-clock cap: the time left shared by the parts still to solve (time a part does
        # not use passes on); node limits: the fixed share of the budget (deterministic)
        left = max(time_limit - (time.perf_counter() - t0), 0.0)
        cap = left * weight[i] / max(weight[i:].sum(), 1e-12)
        t1 = time.perf_counter()
        best, part_bound, part_capped, status = _solve_part(
            sub, fl, lp_value, col, cap, time_limit * weight[i], exact
        )
        packs[arcs] = best
        bound += part_bound
        capped |= part_capped
        statuses.append(status)
        detail.append({"lines": int(sub.shape[2]), "arcs": int(sub.shape[1]),
                       "cost": round(sub.cost(best), 2), "bound": round(part_bound, 2),
                       "seconds": round(time.perf_counter() - t1, 2), "status": status})  # fmt: skip
    worst = "time cap reached" if capped else "work limit or optimal"
    info = {
        "bound": bound,
        "deterministic": not capped,
        "parts": detail,
        "status": f"{len(parts)} part(s): {', '.join(sorted(set(statuses)))} ({worst})",
    }
    return packs, info


def _solve_part(
    inst: LotSizing,
    fl: FacilityLocationModel,
    lp_value: float,
    col: np.ndarray,
    seconds: float,
    work: float,
    exact: bool,
) -> tuple[np.ndarray, float, bool, str]:
    """(packs, lower bound, wall-clock cap hit, status) of one independent part, from its
    model and LP solution; ``seconds`` the wall-clock cap, ``work`` the budget seconds the
    node limits derive from (deterministic)."""
    start = time.perf_counter()
    deadline = start + seconds
    S, A, L, T = inst.shape
    bound, capped = lp_value, False
    nodes = max(int(NODES_PER_SECOND * work), 50)
    setups, n_lp, _ = fl.dive(col, start + 0.4 * seconds)
    capped |= fl.dive_capped
    candidates = [repair_plan(inst, n_lp)]
    finish, _, status = fl.solve_mip(
        time_limit=max(deadline - time.perf_counter(), 0.05), node_limit=nodes, fix_setups=setups
    )
    capped |= status == TIME_LIMIT
    if finish is not None and not inst.violations(finish):
        candidates.append(finish)
    best = min(candidates, key=inst.cost)
    small = exact or A * T <= SMALL_PART_BINARIES

    def whole_mip(node_limit: int) -> str:
        nonlocal best, bound, capped
        plan, dual, status = fl.solve_mip(
            time_limit=max(deadline - time.perf_counter(), 0.05),
            node_limit=2**31 - 1 if exact else node_limit,
            start=best,
        )
        capped |= status == TIME_LIMIT
        if np.isfinite(dual):
            bound = max(bound, dual)
        if plan is not None and not inst.violations(plan) and inst.cost(plan) < inst.cost(best):
            best = plan
        return status

    if small:  # an easy part is proven optimal here and needs nothing more
        status = whole_mip(nodes // 2)
        if status == "Optimal" or exact:
            return best, bound, capped, "MIP " + status.lower()
    # fix and optimise: sub-MIPs over one line × a window of weeks (whole lines in a large
    # part), the rest fixed, each within a node limit
    hoods = (
        [(j, w) for j in range(L) for w in _windows(T)] if small else [(j, None) for j in range(L)]
    )
    sub_nodes = max(nodes // (2 * len(hoods) * SUBMIP_PASSES), 20)
    for _ in range(SUBMIP_PASSES):
        improved = False
        for j, weeks in hoods:
            if time.perf_counter() >= deadline:
                capped = True
                break
            free = np.zeros((A, T), bool)
            free[np.ix_(inst.arc_line == j, np.arange(T) if weeks is None else weeks)] = True
            plan, _, status = fl.solve_mip(
                time_limit=deadline - time.perf_counter(), node_limit=sub_nodes, start=best,
                keep=~free,
            )  # fmt: skip
            capped |= status == TIME_LIMIT
            if (
                plan is not None
                and not inst.violations(plan)
                and inst.cost(plan) < inst.cost(best) - 1e-6
            ):
                best, improved = plan, True
        if not improved:
            break
    if not small:
        return best, bound, capped, "dive + sub-MIPs"
    status = whole_mip(nodes // 2)  # again from the improved plan: a better incumbent prunes more
    return best, bound, capped, "MIP " + status.lower()


def _windows(T: int) -> list[np.ndarray]:
    """Weeks of the fix-and-optimise windows: :data:`WINDOW_WEEKS` long, half overlapping."""
    step = max(WINDOW_WEEKS // 2, 1)
    starts = range(0, max(T - WINDOW_WEEKS, 0) + step, step)
    return [np.arange(s, min(s + WINDOW_WEEKS, T)) for s in starts]


def forced_late_units(inst: LotSizing, *, seed: int = 0, node_limit: int = 0) -> int:
    """Late or short units that no plan can avoid (capacity, changeovers, minimum batches, case
    packs): a proven lower bound, rounded up.

    Per independent part, the facility-location model with one unit of cost per unit made after
    its due week or never (nothing else costs) is solved as an LP (``node_limit`` > 0: as a MIP
    with that many nodes, its dual bound). Units; 0 when everything can be on time.
    """
    S, A, L, T = inst.shape
    units = replace(
        inst, holding=np.zeros(S), late=np.zeros(S), overtime_cost=np.zeros(L), late_unit=1.0
    )
    total = 0.0
    for skus, lines in components(units):
        sub, _ = units.part(skus, lines)
        fl = FacilityLocationModel(sub, seed, tie_break=False)
        value, _, status = fl.relaxation(600.0)
        if status != "Optimal":
            continue  # no proof for this part: it adds nothing to the bound
        if node_limit > 0:
            _, dual, _ = fl.solve_mip(time_limit=600.0, node_limit=node_limit)
            value = max(value, dual) if np.isfinite(dual) else value
        total += value
    return int(np.ceil(total - 1e-6))
