"""Scale benchmark of the production plan: 500 SKUs × 6 lines × 26 weeks on 2 cores.

A seeded synthetic factory (the sample's calendar: CNY 2027 shutdown, CN holidays) with SKUs on
6 lines (a fifth also on an alternative line), minimum batches, case packs and requirements that
load the factory to about 80 % of its hours (before changeovers) with a pre-CNY peak. Solves the exact MIP (`method="mip"`) and the
LP relaxation with rounding repair (`method="lp"`, the reference) and prints time, gap and plan
quality of both.

    .venv/bin/python bench/production_scale.py [--skus 500] [--lines 6] [--weeks 26]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from dataclasses import replace

import numpy as np
import pandas as pd

from forecasting.config import Factory, FactoryLine, Shutdown, load_settings
from forecasting.planning.factory_calendar import planning_weeks, weekly_capacity
from forecasting.planning.production import plan_production


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


def run(n_skus: int = 500, n_lines: int = 6, weeks: int = 26, time_limit: float = 60.0) -> dict:
    """Plan the instance by MIP and by LP + repair; return timings and plan figures."""
    settings, products, req = synthetic_instance(n_skus, n_lines, weeks)
    out = {"skus": n_skus, "lines": n_lines, "weeks": weeks, "required": int(req.required.sum())}
    for method in ("lp", "mip"):
        t0 = time.perf_counter()
        plan = plan_production(req, settings, products, weeks=weeks, method=method,
                               time_limit_seconds=time_limit)  # fmt: skip
        s = plan.summary
        out[method] = {
            "seconds": round(time.perf_counter() - t0, 2),
            "solve_seconds": s["solve_seconds"],
            "status": s["status"],
            "mip_gap": s["mip_gap"],
            "binaries": s["binaries"],
            "late_units": s["late_units"],
            "short_units": s["short_units"],
            "overtime_hours": s["overtime_hours"],
            "cost": s["cost"],
            "max_utilisation": float(
                (plan.capacity.planned_hours
                 / (plan.capacity.capacity_hours + plan.capacity.overtime_cap_hours)
                 .where(lambda x: x > 0)).max()
            ),
        }  # fmt: skip
    return out


def main() -> None:
    """Command line entry."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skus", type=int, default=500)
    ap.add_argument("--lines", type=int, default=6)
    ap.add_argument("--weeks", type=int, default=26)
    ap.add_argument("--time-limit", type=float, default=60.0)
    a = ap.parse_args()
    res = run(a.skus, a.lines, a.weeks, a.time_limit)
    print(f"{res['skus']} SKUs × {res['lines']} lines × {res['weeks']} weeks, "
          f"{res['required']} units required")  # fmt: skip
    for m in ("lp", "mip"):
        print(m, res[m])
    print(f"MIP / LP time ratio: {res['mip']['seconds'] / max(res['lp']['seconds'], 1e-9):.1f}")


if __name__ == "__main__":
    main()
