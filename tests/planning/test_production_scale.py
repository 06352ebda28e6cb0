"""Scale: 500 SKUs × 6 lines × 26 weeks plans in seconds on 2 cores (bench/production_scale.py)."""

from __future__ import annotations

import runpy

import pytest

from forecasting.paths import PROJECT_ROOT


@pytest.mark.slow
def test_500_skus_6_lines_26_weeks_in_seconds():
    bench = runpy.run_path(str(PROJECT_ROOT / "bench" / "production_scale.py"))
    settings, products, req = bench["synthetic_instance"](500, 6, 26)
    from forecasting.planning.production import plan_production

    plan = plan_production(req, settings, products, weeks=26)  # auto → LP relaxation + repair
    s = plan.summary
    assert s["method"] == "lp+repair"
    assert s["solve_seconds"] < 30, s
    cap = plan.capacity
    assert (cap["planned_hours"] <= cap["capacity_hours"] + cap["overtime_cap_hours"] + 1e-6).all()
    r = plan.requirements
    assert (r["required"] == r["on_time"] + r["late"] + r["short"]).all()
    assert s["on_time_units"] >= 0.85 * s["required_units"], s
