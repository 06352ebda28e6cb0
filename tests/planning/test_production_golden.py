"""Optima known by hand (one small case per feature) and the bound against brute force.

Factory of the hand cases (as in test_production.py): one line L1, one 8-hour shift,
Monday–Friday, efficiency 1 → 40 h a week; 10 units an hour; unit cost 100, so holding is
0.004 × 100 = 0.4 per unit-week. Every objective also carries the ε tie-breakers of the model:
0.0001 per unit made and 0.01 per set-up; the summary rounds to cents (hence abs=0.005). Lateness costs far more than holding in every case.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

import numpy as np
import pytest
from test_production import WEEKS, line, products, reqs, settings_with

from forecasting.config import Factory, Shutdown, load_settings
from forecasting.planning.production.model import LotSizing
from forecasting.planning.production.plan import plan_production
from forecasting.planning.production.search import forced_late_units, relaxation_bound, search

EPS_UNIT, EPS_SETUP = 1e-4, 1e-2


def solve(r, st, p, weeks, **kw):
    kw.setdefault("method", "auto")
    plan = plan_production(r, st, p, weeks=weeks, mip_rel_gap=1e-9, time_limit_seconds=30, **kw)
    s = plan.summary
    assert s["bound"] <= s["objective"] + 1e-6
    return plan, s


def test_changeover_forces_a_split_batch_ahead():
    """A and B, 200 each due W1, changeover 4 h: W1 cannot hold both (2 × (4 + 20) = 48 h > 40).

    Cheapest: one SKU split, 80 units made in W0 (4 + 8 h) and 120 in W1, so W1 = 4 + 12 + 4 +
    20 = 40 h; 80 units held one week = 32. Without the changeover nothing would be held.
    Objective 32 + 400 × ε_unit + 3 set-ups × ε_setup = 32.07.
    """
    st = settings_with(line(changeover_hours=4.0))
    plan, s = solve(reqs([("A", 1, 200), ("B", 1, 200)]), st, products({"A": {}, "B": {}}), 2)
    assert s["objective"] == pytest.approx(32 + 400 * EPS_UNIT + 3 * EPS_SETUP, abs=0.005)
    assert s["gap"] <= 1e-6 and s["late_units"] == 0
    cap = plan.capacity.set_index("week")
    assert cap["planned_hours"].tolist() == [12.0, 40.0]
    assert cap["setups"].tolist() == [1, 2]
    free = plan_production(
        reqs([("A", 1, 200), ("B", 1, 200)]), settings_with(line()),
        products({"A": {}, "B": {}}), weeks=2, mip_rel_gap=1e-9,
    )  # fmt: skip
    assert free.summary["objective"] == pytest.approx(400 * EPS_UNIT + 2 * EPS_SETUP, abs=0.005)


def test_minimum_batch_is_made_once_and_held():
    """MOQ 250 in packs of 50; 100 due W0 and 100 due W2, 4 weeks.

    One batch of 250 in W0: stock 150, 150, 50, 50 at the ends of W0…W3 = 400 unit-weeks × 0.4
    = 160 (+ 250 ε_unit + ε_setup = 160.035). Two batches make ≥ 500 and hold more; a batch
    after W0 makes 100 units late.
    """
    st = settings_with(line(changeover_hours=2.0))
    r = reqs([("A", 0, 100), ("A", 2, 100)])
    plan, s = solve(r, st, products({"A": {"moq": 250, "case_pack": 50}}), 4)
    assert s["objective"] == pytest.approx(160 + 250 * EPS_UNIT + EPS_SETUP, abs=0.005)
    assert plan.schedule[["week", "units"]].values.tolist() == [[WEEKS[0], 250]]
    assert s["gap"] <= 1e-6


def test_case_pack_rounds_up_and_holds_the_rest():
    """120 due W1 in packs of 50, 2 weeks: 150 made in W1, 30 held one week = 12 (+ ε)."""
    st = settings_with(line())
    plan, s = solve(reqs([("A", 1, 120)]), st, products({"A": {"case_pack": 50}}), 2)
    assert s["objective"] == pytest.approx(12 + 150 * EPS_UNIT + EPS_SETUP, abs=0.005)
    assert plan.schedule[["week", "units"]].values.tolist() == [[WEEKS[1], 150]]


def test_shutdown_prebuild_optimum():
    """A 300 due W1, B 600 due W3, W2 shut, 400 units a week.

    200 of B must be made by W1: the cheapest holds 100 units for one week and 200 for two
    (or any split with the same 100 + 2 × 200 = 500 unit-weeks … the minimum is 500 unit-weeks:
    W0 makes 100 of what W1 cannot, W1 makes 200 of B's): 500 × 0.4 = 200, + 900 ε_unit + 4
    set-ups = 200.13. Everything on time.
    """
    st = settings_with(line(), [Shutdown("test", dt.date(2026, 12, 7), dt.date(2026, 12, 13))])
    plan, s = solve(reqs([("A", 1, 300), ("B", 3, 600)]), st, products({"A": {}, "B": {}}), 4)
    assert s["objective"] == pytest.approx(200 + 900 * EPS_UNIT + 4 * EPS_SETUP, abs=0.005)
    assert s["late_units"] == 0 and s["short_units"] == 0
    fg = plan.finished_goods.groupby("week")["finished_goods"].sum()
    assert fg[WEEKS[1]] == 200 and fg[WEEKS[2]] == 200  # built before the shutdown


def test_alternative_line_takes_the_overflow_at_no_cost():
    """800 due W0 on a 400-unit line with an equal alternative line: both run, nothing late,
    objective = ε only (800 ε_unit + 2 set-ups). Without the alternative, 400 are short."""
    two = replace(load_settings(), factory=Factory((line(), line(id="L2")), (), "CN", 0.004))
    plan, s = solve(reqs([("A", 0, 800)]), two, products({"A": {"alt_lines": "L2"}}), 1)
    assert s["objective"] == pytest.approx(800 * EPS_UNIT + 2 * EPS_SETUP, abs=0.005)
    assert sorted(plan.schedule["line"]) == ["L1", "L2"] and s["late_units"] == 0
    alone, s1 = solve(reqs([("A", 0, 800)]), two, products({"A": {}}), 1)
    assert s1["short_units"] == 400 and s1["forced_late_units"] == 400


def test_units_objective_trades_cost_for_fewer_late_units():
    """A 400 due W0 (late cost high per week), B 400 due W0: one 400-unit week, then a second.

    By cost the SKU with the higher late cost goes first; either way 400 units are one week
    late, and no plan does better: forced late units = 400 and both objectives reach it.
    """
    st = settings_with(line())
    p = products({"A": {"price": 60.0}, "B": {}})
    r = reqs([("A", 0, 400), ("B", 0, 400)])
    _, cost = solve(r, st, p, 2)
    _, units = solve(r, st, p, 2, objective="units")
    assert cost["forced_late_units"] == units["forced_late_units"] == 400
    assert units["late_units"] == 400 and cost["late_units"] == 400
    assert units["objective_kind"] == "units" and cost["objective_kind"] == "cost"


# -- brute force ---------------------------------------------------------------------------------


def brute_force_cost(inst: LotSizing, packs: np.ndarray) -> float:
    """Objective by a week-by-week recursion (independent of LotSizing.cost)."""
    S, A, L, T = inst.shape
    total = 0.0
    for s in range(S):
        net = 0.0
        for t in range(T):
            net += sum(packs[a, t] * inst.case_pack[s] for a in range(A) if inst.arc_sku[a] == s)
            net -= inst.demand[s, t]
            total += inst.holding[s] * max(net, 0) + inst.late[s] * max(-net, 0)
        total += inst.short_penalty[s] * max(-net, 0)
    for j in range(L):
        for t in range(T):
            hours = sum(
                packs[a, t] * inst.hours_per_pack[a] + (packs[a, t] > 0) * inst.changeover[j]
                for a in range(A)
                if inst.arc_line[a] == j
            )
            total += inst.overtime_cost[j] * min(
                max(hours - inst.hours[j, t], 0), inst.overtime_cap[j, t]
            )
    total += EPS_UNIT * sum(packs[a].sum() * inst.case_pack[inst.arc_sku[a]] for a in range(A))
    return total + EPS_SETUP * float((packs > 0).sum())


def tiny_instance(seed: int) -> LotSizing:
    rng = np.random.default_rng(seed)
    S, L, T = 2, int(rng.integers(1, 3)), 3
    arcs = [(s, s % L) for s in range(S)] + ([(0, 1)] if L == 2 and rng.random() < 0.7 else [])
    A = len(arcs)
    case = rng.choice([10.0, 20.0], S)
    hpp = np.array([case[s] / rng.choice([2.0, 4.0]) for s, _ in arcs])
    hours = rng.choice([0.0, 10.0, 20.0], (L, T), p=[0.15, 0.45, 0.4])
    cap = np.full((L, T), rng.choice([0.0, 5.0]))
    k = rng.choice([0.0, 2.0, 5.0], L)
    fit = np.floor(np.maximum(hours + cap - k[:, None], 0)[[j for _, j in arcs]] / hpp[:, None])
    min_packs = rng.choice([1.0, 2.0], A)
    max_packs = np.minimum(fit, 3.0)
    max_packs = np.where(max_packs >= min_packs[:, None], max_packs, 0.0)
    return LotSizing(
        demand=rng.choice([0.0, 10.0, 25.0, 40.0], (S, T)),
        arc_sku=np.array([s for s, _ in arcs]), arc_line=np.array([j for _, j in arcs]),
        case_pack=case, hours_per_pack=hpp, min_packs=min_packs, max_packs=max_packs,
        hours=hours, overtime_cap=cap, changeover=k, overtime_cost=np.full(L, 3.0),
        holding=rng.uniform(0.1, 1.0, S), late=rng.uniform(2.0, 10.0, S),
    )  # fmt: skip


def all_plans(inst: LotSizing):
    cells = [
        [0] + [int(v) for v in range(int(inst.min_packs[a]), int(inst.max_packs[a, t]) + 1)]
        for a in range(inst.shape[1])
        for t in range(inst.shape[3])
    ]
    for combo in itertools.product(*cells):
        packs = np.array(combo, float).reshape(inst.max_packs.shape)
        if not inst.violations(packs):
            yield packs


@pytest.mark.parametrize("seed", range(10))
def test_bound_is_below_the_brute_forced_optimum(seed: int) -> None:
    inst = tiny_instance(seed)
    plans = list(all_plans(inst))
    best = min(brute_force_cost(inst, p) for p in plans)
    fewest_late = min(inst.late_units(p) for p in plans)
    for p in plans[:: max(len(plans) // 25, 1)]:  # the model's cost is the recursion's
        assert inst.cost(p) == pytest.approx(brute_force_cost(inst, p), abs=1e-6)
    packs, info = search(inst, time_limit=20, seed=0, mip_rel_gap=1e-9)
    assert info["bound"] <= best + 1e-6
    assert not inst.violations(packs)
    assert inst.cost(packs) == pytest.approx(best, abs=1e-6)  # tiny: proven optimal
    assert forced_late_units(inst) <= fewest_late + 1e-9
    units = replace(inst, late_unit=1000.0)
    packs_u, _ = search(units, time_limit=20, seed=0, mip_rel_gap=1e-9)
    # the bound plan_production reports for the units objective
    bound_u = units.late_unit * forced_late_units(inst) + relaxation_bound(inst)
    assert bound_u <= min(units.cost(p) for p in plans) + 1e-6
    assert units.late_units(packs_u) == fewest_late
