"""Properties of every production plan, on seeded random small factories (both methods).

- capacity is never exceeded: planned hours ≤ regular + overtime-cap hours in every line-week,
  and overtime ≤ its cap;
- every required unit is on time, late or short: required = on_time + late + short per row;
- batches are whole case packs and at least the minimum batch (capped at a week of the line);
- set-up bound n ≤ M (a week's fit after one changeover, or the horizon's need);
- the reported bound is ≤ the plan's objective and forced late units ≤ the plan's;
- same input → same plan (whenever no wall-clock cap stopped a solve, which the summary says).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from forecasting.config import Factory, FactoryLine, Shutdown, load_settings
from forecasting.planning.production.factory_calendar import planning_weeks
from forecasting.planning.production.plan import plan_production

SEEDS = range(12)


def random_case(seed: int):
    rng = np.random.default_rng(seed)
    n_lines, n_skus, weeks = (
        int(rng.integers(1, 4)),
        int(rng.integers(2, 7)),
        int(rng.integers(3, 9)),
    )
    lines = tuple(
        FactoryLine(
            f"L{j + 1}", "", shifts_per_day=int(rng.integers(1, 3)), hours_per_shift=8.0,
            days_per_week=int(rng.integers(4, 7)), efficiency=float(rng.uniform(0.6, 1.0)),
            changeover_hours=float(rng.choice([0.0, 1.0, 4.0])),
            overtime_hours_per_week=float(rng.choice([0.0, 8.0])), overtime_cost_per_hour=100.0,
        )
        for j in range(n_lines)
    )  # fmt: skip
    shut = (Shutdown("s", dt.date(2026, 12, 7), dt.date(2026, 12, 13), ("L1",)),)
    factory = Factory(lines, shut if rng.random() < 0.5 else (), "CN", 0.004)
    settings = replace(load_settings(), factory=factory)
    skus = [f"S{i}" for i in range(n_skus)]
    prod = pd.DataFrame({
        "sku": skus,
        "production_line": [f"L{int(rng.integers(1, n_lines + 1))}" for _ in skus],
        "units_per_hour": rng.choice([5.0, 10.0, 30.0], n_skus),
        "moq": rng.choice([0, 100, 500, 3000], n_skus),
        "case_pack": rng.choice([1, 6, 24], n_skus),
        "unit_cost": rng.uniform(10, 100, n_skus),
        "price": rng.uniform(5, 40, n_skus),
    })  # fmt: skip
    if n_lines > 1:
        prod["alt_lines"] = [f"L{n_lines}" if rng.random() < 0.3 else "" for _ in skus]
    cal = planning_weeks(settings.as_of, weeks)
    rows = [
        (s, m, cal[t], int(rng.integers(1, 2500)))
        for s in skus
        for t in range(weeks)
        for m in ("US", "DE")
        if rng.random() < 0.35
    ]
    req = pd.DataFrame(rows, columns=["sku", "marketplace", "due_week", "required"])
    req["due_date"] = req["due_week"] + pd.Timedelta(days=1)
    return settings, prod, req, weeks


@pytest.mark.parametrize("method", ["auto", "mip", "lp"])
@pytest.mark.parametrize("seed", SEEDS)
def test_plan_properties(seed: int, method: str) -> None:
    settings, prod, req, weeks = random_case(seed)
    plan = plan_production(req, settings, prod, weeks=weeks, method=method, time_limit_seconds=3)
    cap = plan.capacity
    assert (cap["planned_hours"] <= cap["capacity_hours"] + cap["overtime_cap_hours"] + 1e-6).all()
    assert (cap["overtime_hours"] <= cap["overtime_cap_hours"] + 1e-6).all()
    r = plan.requirements
    assert (r["required"] == r["on_time"] + r["late"] + r["short"]).all()
    assert (r[["on_time", "late", "short"]] >= 0).all().all()
    assert int(r["required"].sum()) + int(plan.beyond_horizon["required"].sum() if len(
        plan.beyond_horizon) else 0) == int(req["required"].sum())  # fmt: skip
    sched = plan.schedule.merge(plan.skus, left_on="sku", right_index=True)
    assert (sched["units"] % sched["case_pack"] == 0).all()
    # minimum batch, capped at what the line makes in its best week after one changeover
    best = cap.assign(h=cap["capacity_hours"] + cap["overtime_cap_hours"]).groupby("line")["h"]
    k = {ln.id: ln.changeover_hours for ln in settings.factory.lines}
    week_hours = np.floor(sched["line"].map(best.max()) - sched["line"].map(k))
    fit = np.floor(week_hours / (sched["case_pack"] / sched["units_per_hour"])) * sched["case_pack"]
    assert (sched["units"] >= np.minimum(sched["min_batch"], np.maximum(fit, 1))).all()
    # set-up bound n ≤ M: a batch never makes more than fits its week after one changeover, nor
    # more than the SKU needs in the horizon (whole packs), unless its minimum batch is larger
    cap_w = cap.assign(h=cap["capacity_hours"] + cap["overtime_cap_hours"]).set_index(
        ["line", "week"]
    )["h"]
    week_fit = np.floor(np.floor(sched.set_index(["line", "week"]).index.map(cap_w) - sched["line"].map(k))
                        / (sched["case_pack"] / sched["units_per_hour"]) + 1e-9) * sched["case_pack"]  # fmt: skip
    need = sched["sku"].map(r.groupby("sku")["required"].sum())
    need_packs = np.ceil(need / sched["case_pack"] - 1e-9) * sched["case_pack"]
    assert (sched["units"] <= week_fit + 1e-9).all()
    assert (sched["units"] <= np.maximum(need_packs, sched["min_batch"])).all()
    # the reported bound is a lower bound of the plan's own objective
    s = plan.summary
    assert s["bound"] <= s["objective"] + 1e-6 and 0 <= s["gap"] <= 1
    assert s["forced_late_units"] <= s["late_units"] + s["short_units"]
    made = plan.schedule.groupby("sku")["units"].sum()
    served = r.groupby("sku")[["on_time", "late"]].sum().sum(axis=1)
    assert (served <= made.reindex(served.index).fillna(0)).all()
    again = plan_production(req, settings, prod, weeks=weeks, method=method, time_limit_seconds=3)
    if plan.summary["deterministic"] and again.summary["deterministic"]:
        # no wall-clock cap stopped a solve in either run: the same plan
        pd.testing.assert_frame_equal(plan.schedule, again.schedule)


@pytest.mark.parametrize("seed", [3, 5])
def test_same_budget_and_seed_same_plan(seed: int) -> None:
    """With a budget no wall-clock cap reaches, the plan is the same (and says so)."""
    settings, prod, req, weeks = random_case(seed)
    plans = [
        plan_production(req, settings, prod, weeks=weeks, time_limit_seconds=60, seed=1)
        for _ in range(2)
    ]
    assert all(p.summary["deterministic"] for p in plans), plans[0].summary["status"]
    pd.testing.assert_frame_equal(plans[0].schedule, plans[1].schedule)
    assert plans[0].summary["objective"] == plans[1].summary["objective"]
