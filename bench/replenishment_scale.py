"""Scale benchmark of the FBA replenishment plan on 2 cores: sample size vs 10× the series.

A seeded synthetic seller (the sample's settings: 3 marketplaces, 210-day horizon, weekly review)
with flat-ish daily forecasts, random stock, case packs, MOQs and tight FBA capacity limits. The
reference run is the sample's size (40 SKUs × 3 marketplaces = 120 series); the scale run has 10×
the SKUs. Prints seconds, seconds per series and the ratio to the reference (≈ 10 = linear).

    .venv/bin/python bench/replenishment_scale.py [--skus 40] [--scale 10]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from scipy import stats

from forecasting.config import load_settings
from forecasting.planning.fba.replenishment import plan_replenishment

MARKETPLACES = ("US", "DE", "JP")


def synthetic_instance(n_skus: int, seed: int = 11):
    """Forecast, inventory, products and factory stock of a random seller (seeded)."""
    rng = np.random.default_rng(seed)
    settings = load_settings()
    skus = [f"SKU{i:05d}" for i in range(n_skus)]
    days = settings.planning_horizon_days + 90
    dates = pd.date_range(pd.Timestamp(settings.as_of) + pd.Timedelta(days=1), periods=days)
    t = np.arange(days)
    parts = []
    for s in skus:
        for m in MARKETPLACES:
            mean = rng.gamma(1.5, 4) * (1 + 0.25 * np.sin(2 * np.pi * t / 365))
            df = pd.DataFrame(
                {"sku": s, "marketplace": m, "date": dates, "model": "x", "mean": mean}
            )
            for q in range(1, 10):
                df[f"p{q * 10}"] = stats.poisson.ppf(q / 10, np.maximum(mean, 1e-9))
            parts.append(df)
    forecast = pd.concat(parts, ignore_index=True)
    inventory = pd.DataFrame(
        [
            {"sku": s, "marketplace": m, "date": pd.Timestamp(settings.as_of),
             "on_hand": int(rng.integers(0, 600)), "inbound_shipped": int(rng.integers(0, 300)),
             "age_0_90": 100, "age_91_180": 40, "age_181_270": int(rng.integers(0, 20)),
             "item_volume_cuft": float(rng.uniform(0.05, 2.0))}
            for s in skus
            for m in MARKETPLACES
        ]
    )  # fmt: skip
    products = pd.DataFrame(
        {
            "sku": skus,
            "case_pack": rng.choice([1, 6, 12, 24], n_skus),
            "moq": rng.choice([0, 100, 300, 500], n_skus),
            "length_cm": rng.uniform(10, 80, n_skus),
            "width_cm": rng.uniform(10, 40, n_skus),
            "height_cm": rng.uniform(2, 30, n_skus),
            "weight_kg": rng.uniform(0.2, 10, n_skus),
            "price": rng.uniform(10, 90, n_skus),
            "unit_cost": rng.uniform(5, 200, n_skus),
        }
    )
    factory = pd.DataFrame(
        {"sku": skus, "finished_goods": rng.integers(0, 200, n_skus),
         "open_production": rng.integers(0, 500, n_skus),
         "open_production_due": pd.Timestamp(settings.as_of) + pd.Timedelta(days=14)}
    )  # fmt: skip
    limits = {m: {"standard": 60.0 * n_skus, "oversize": 60.0 * n_skus} for m in MARKETPLACES}
    return settings, forecast, inventory, products, factory, limits


def timed(n_skus: int) -> tuple[float, int, int]:
    settings, fc, inv, prod, fs, limits = synthetic_instance(n_skus)
    t0 = time.perf_counter()
    plan = plan_replenishment(
        fc, inv, prod, settings, factory_stock=fs, capacity_limits_cuft=limits
    )
    return time.perf_counter() - t0, len(plan.plan), len(plan.shipments)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skus", type=int, default=40)
    ap.add_argument("--scale", type=int, default=10)
    a = ap.parse_args()
    timed(5)  # warm-up: imports, fee tables
    ref, n_ref, s_ref = timed(a.skus)
    big, n_big, s_big = timed(a.skus * a.scale)
    print(
        f"reference: {n_ref} series, {s_ref} shipments: {ref:.2f} s ({ref / n_ref * 1000:.1f} ms/series)"
    )
    print(f"scale ×{a.scale}: {n_big} series, {s_big} shipments: {big:.2f} s "
          f"({big / n_big * 1000:.1f} ms/series); ratio {big / ref:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
