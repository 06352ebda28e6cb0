"""Scale benchmark of the production plan: 500 SKUs × 6 lines × 26 weeks on 2 cores.

A seeded synthetic factory (the sample's calendar: CNY 2027 shutdown, CN holidays) with SKUs on
6 lines (a fifth also on an alternative line), minimum batches, case packs and requirements that
load the factory to about 80 % of its hours (before changeovers) with a pre-CNY peak; then the
bundled sample. Each is planned by the reference, LP relaxation with rounding repair
(``method="lp"``, the method before issue 13), and by ``auto`` (decomposition, facility-location
MIPs, proven bound) in the same run; the sample also with late units first. Prints seconds and
the load average with every figure (the box is shared), objective, proven bound and gap, late or
short units beside the capacity-forced ones.

    .venv/bin/python bench/production_scale.py [--skus 500] [--lines 6] [--weeks 26]
        [--time-limit 60] [--sample-time-limit 90] [--no-sample]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from dataclasses import replace

import numpy as np
import pandas as pd

from forecasting.config import Factory, FactoryLine, Shutdown, load_settings
from forecasting.planning.production.factory_calendar import planning_weeks, weekly_capacity
from forecasting.planning.production.plan import plan_production


def synthetic_instance(
    n_skus: int = 500, n_lines: int = 6, weeks: int = 26, load: float = 0.8, seed: int = 7
):
    """Settings, product master and requirements of a random factory (seeded)."""
    rng = np.random.default_rng(seed)
    settings = load_settings()
    lines = tuple(
        FactoryLine(f"L{j + 1}", f"line {j + 1}", shifts_per_day=3, hours_per_shift=8,
                    days_per_week=6, efficiency=0.85, changeover_hours=1.0,
                    overtime_hours_per_week=12.0, overtime_cost_per_hour=180.0)
        for j in range(n_lines)
    )  # fmt: skip
    factory = Factory(
        lines=lines,
        shutdowns=(Shutdown("CNY 2027", dt.date(2027, 1, 30), dt.date(2027, 2, 21)),),
        holidays_country="CN",
        finished_goods_holding_cost_per_unit_week=0.004,
    )
    settings = replace(settings, factory=factory)
    skus = [f"SKU{i:04d}" for i in range(n_skus)]
    line = rng.integers(0, n_lines, n_skus)
    alt = np.where(rng.random(n_skus) < 0.2, (line + 1) % n_lines, -1)
    products = pd.DataFrame({
        "sku": skus,
        "production_line": [f"L{j + 1}" for j in line],
        "alt_lines": [f"L{j + 1}" if j >= 0 else "" for j in alt],
        "units_per_hour": rng.choice([20, 40, 60, 120, 200], n_skus),
        "moq": rng.choice([0, 100, 300, 500], n_skus),
        "case_pack": rng.choice([1, 6, 12, 24], n_skus),
        "unit_cost": rng.uniform(10, 120, n_skus).round(2),
        "price": rng.uniform(10, 60, n_skus).round(2),
    })  # fmt: skip
    cal = planning_weeks(settings.as_of, weeks)
    cap = weekly_capacity(factory, cal)
    hours = cap.groupby("line")["capacity_hours"].sum()
    # every SKU ships every 2–4 weeks; sizes scaled so each line's load is `load` × its hours
    rows = []
    peak = np.where((cal >= "2027-01-04") & (cal < "2027-01-30"), 1.8, 1.0)
    for sku in skus:
        every = int(rng.integers(2, 5))
        for t in range(int(rng.integers(0, every)), weeks, every):
            rows.append((sku, rng.choice(["US", "DE", "JP"]), cal[t], rng.gamma(2.0) * peak[t]))
    req = pd.DataFrame(rows, columns=["sku", "marketplace", "due_week", "w"])
    req["hours"] = req["w"] / req.groupby("sku")["w"].transform("sum")
    share = rng.gamma(2.0, size=n_skus)
    line_of = pd.Series([f"L{j + 1}" for j in line], index=skus)
    share = pd.Series(share, index=skus) / pd.Series(share, index=skus).groupby(line_of).transform(
        "sum"
    )
    rate = products.set_index("sku")["units_per_hour"]
    sku_hours = share * line_of.map(hours) * load
    req["required"] = np.round(req["hours"] * req["sku"].map(sku_hours * rate)).astype(int)
    req["due_date"] = req["due_week"] + pd.Timedelta(days=3)
    return settings, products, req[["sku", "marketplace", "due_date", "due_week", "required"]]


#: issue 13's measurement of the sample (same requirements): a plan at 1,144,663 exists and the
#: optimum is proven ≥ 1,143,259 in the model's objective (kept here as the yardstick of the aim
#: "within 1 % of 1,143,259"; this script's own proven bound is printed beside it)
SAMPLE_OPTIMUM_AT_LEAST = 1_143_259


def load_average() -> str:
    """The 1/5/15-minute load averages (timings on the shared box depend on them)."""
    import os

    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def figures(plan, seconds: float) -> dict:
    """What the tables show of one plan."""
    s = plan.summary
    cap = plan.capacity
    return {
        "seconds": round(seconds, 1),
        "load": load_average(),
        "status": s["status"],
        "objective": s["objective"],
        "cost": s["cost"],
        "bound": s["bound"],
        "gap": s["gap"],
        "late_or_short": s["late_units"] + s["short_units"],
        "forced_late_units": s["forced_late_units"],
        "overtime_hours": s["overtime_hours"],
        "deterministic": s["deterministic"],
        "max_utilisation": float(
            (cap.planned_hours / (cap.capacity_hours + cap.overtime_cap_hours)
             .where(lambda x: x > 0)).max()
        ),
    }  # fmt: skip


def plan_and_time(req, settings, products, weeks: int, **options) -> dict:
    """Plan once and return :func:`figures` (wall-clock seconds of the whole call)."""
    t0 = time.perf_counter()
    plan = plan_production(req, settings, products, weeks=weeks, **options)
    return figures(plan, time.perf_counter() - t0)


def run(n_skus: int = 500, n_lines: int = 6, weeks: int = 26, time_limit: float = 60.0) -> dict:
    """The synthetic factory by LP + repair (reference) and ``auto``; figures of both."""
    settings, products, req = synthetic_instance(n_skus, n_lines, weeks)
    out = {"skus": n_skus, "lines": n_lines, "weeks": weeks, "required": int(req.required.sum())}
    out["lp"] = plan_and_time(req, settings, products, weeks, method="lp")
    out["auto"] = plan_and_time(
        req, settings, products, weeks, method="auto", time_limit_seconds=time_limit
    )
    return out


def run_sample(time_limit: float = 90.0) -> dict:
    """The bundled sample (its replenishment plan's requirements, 26 weeks): LP + repair
    (reference), ``auto`` with the cost objective and with late units first."""
    from forecasting import pipeline
    from forecasting.planning.production.requirements import requirements_from_shipments
    from forecasting.run import open_run

    run = open_run()
    store, settings = run.store, run.settings
    shipments = pipeline.replenishment(run).shipments
    req = requirements_from_shipments(shipments, settings, store.factory_stock())
    products = store.products()
    out = {"required": int(req.required.sum())}
    out["lp"] = plan_and_time(req, settings, products, 26, method="lp")
    out["auto"] = plan_and_time(
        req, settings, products, 26, method="auto", time_limit_seconds=time_limit
    )
    out["auto_units"] = plan_and_time(
        req,
        settings,
        products,
        26,
        method="auto",
        time_limit_seconds=time_limit,
        objective="units",
    )
    return out


def main() -> None:
    """Command line entry."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skus", type=int, default=500)
    ap.add_argument("--lines", type=int, default=6)
    ap.add_argument("--weeks", type=int, default=26)
    ap.add_argument("--time-limit", type=float, default=60.0, help="budget of the scale run")
    ap.add_argument("--sample-time-limit", type=float, default=90.0, help="budget on the sample")
    ap.add_argument("--no-sample", action="store_true", help="skip the sample runs")
    a = ap.parse_args()
    res = run(a.skus, a.lines, a.weeks, a.time_limit)
    print(f"{res['skus']} SKUs × {res['lines']} lines × {res['weeks']} weeks, "
          f"{res['required']} units required")  # fmt: skip
    for m in ("lp", "auto"):
        print(m, res[m], flush=True)
    print(f"objective lp ÷ auto: {res['lp']['objective'] / res['auto']['objective']:.2f}")
    if not a.no_sample:
        sample = run_sample(a.sample_time_limit)
        print(f"sample, {sample['required']} units required; optimum ≥ {SAMPLE_OPTIMUM_AT_LEAST:,}"
              " (issue 13)")  # fmt: skip
        for m in ("lp", "auto", "auto_units"):
            row = sample[m]
            above = row["cost"] / SAMPLE_OPTIMUM_AT_LEAST - 1
            print(m, row, f"cost above the issue's bound: {above:.2%}", flush=True)


if __name__ == "__main__":
    main()
