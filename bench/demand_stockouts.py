"""Stockout inference and lost-demand estimation on the sample's ground truth, with references.

Usage: ``.venv/bin/python bench/demand_stockouts.py`` (needs ``data/sample/_truth/``).

1. Inference with the ledger withheld: :func:`forecasting.demand.mark_stockouts` against the usual
   rule of thumb "a run of ≥ 7 zero-sale days after the first sale is a stockout" (reference).
   Precision / recall of stockout days, share of the lost demand on the days found, wall seconds.
2. Demand of the ledger's stockout days: :func:`forecasting.demand.estimate_true_demand`
   (weekday-adjusted interpolation across the spell) against a flat reference (mean of the 28
   in-stock days before the spell). Ratio of estimated to latent demand and spell-level WAPE.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from forecasting.demand import estimate_true_demand, mark_stockouts
from forecasting.paths import SAMPLE_DIR

KEYS = ["sku", "marketplace", "date"]


def _truth() -> pd.DataFrame:
    t = pd.read_csv(SAMPLE_DIR / "_truth" / "latent_demand.csv.gz", parse_dates=["date"])
    t["in_stock"] = t["in_stock"].astype(str).str.lower().eq("true")
    return t.sort_values(KEYS).reset_index(drop=True)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    m = np.diff(np.r_[0, mask.astype(np.int8), 0])
    return list(zip(np.flatnonzero(m == 1), np.flatnonzero(m == -1) - 1, strict=True))


def reference_rule(sales: pd.DataFrame, min_run: int = 7) -> np.ndarray:
    """Stockout days by the rule of thumb: zero-sale runs of ≥ ``min_run`` days after launch."""
    out = np.zeros(len(sales), bool)
    for rows in sales.groupby(["sku", "marketplace"], sort=False).indices.values():
        u = sales["units"].to_numpy()[rows]
        sold = np.flatnonzero(u > 0)
        if not len(sold):
            continue
        for a, b in _runs(u == 0):
            if a > sold[0] and b - a + 1 >= min_run:
                out[rows[a : b + 1]] = True
    return out


def reference_estimate(sales: pd.DataFrame, out: np.ndarray) -> np.ndarray:
    """Flat estimate: mean units of the 28 in-stock days before each spell."""
    est = sales["units"].to_numpy(float).copy()
    for rows in sales.groupby(["sku", "marketplace"], sort=False).indices.values():
        u, o = est[rows], out[rows]
        for a, b in _runs(o):
            before = u[max(0, a - 28) : a][~o[max(0, a - 28) : a]]
            u[a : b + 1] = before.mean() if len(before) else 0.0
        est[rows] = u
    return est


def _scores(pred: np.ndarray, truth: pd.DataFrame) -> tuple[float, float, float]:
    real = ~truth["in_stock"].to_numpy(bool)
    hit = pred & real
    lost = (truth["demand"] - truth["sold"]).to_numpy(float)
    return (
        hit.sum() / max(pred.sum(), 1),
        hit.sum() / real.sum(),
        lost[hit].sum() / lost[real].sum(),
    )


def _best(fn, repeat: int = 2):  # noqa: ANN001, ANN202 - bench helper
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def main() -> None:
    truth = _truth()
    sales = truth.rename(columns={"sold": "units"})[[*KEYS, "units"]]
    print(f"{len(sales):,} days, {sales.groupby(['sku', 'marketplace']).ngroups} series")
    t_ref, ref = _best(lambda: reference_rule(sales))
    t_ours, marked = _best(lambda: mark_stockouts(sales))
    ours = marked["in_stock"].astype("boolean").eq(False).to_numpy(bool)
    print("\n| stockout inference (ledger withheld) | precision | recall | lost demand found | s |")
    print("|---|---:|---:|---:|---:|")
    for name, pred, t in (
        ("mark_stockouts", ours, t_ours),
        ("reference: zero run ≥ 7 d", ref, t_ref),
    ):
        p, r, lost = _scores(pred, truth)
        print(f"| {name} | {p:.3f} | {r:.3f} | {lost:.3f} | {t:.2f} |")
    print(f"\nspeed: mark_stockouts ÷ reference = {t_ours / t_ref:.1f}× the time")

    ledger = sales.assign(in_stock=truth["in_stock"].astype("boolean"))
    out = ~truth["in_stock"].to_numpy(bool)
    t_est, est = _best(lambda: estimate_true_demand(mark_stockouts(ledger, infer=False)))
    t_flat, flat = _best(lambda: reference_estimate(sales, out))
    spell = np.cumsum(np.r_[True, np.diff(out.astype(int)) != 0]) * out
    print("\n| demand on ledger stockout days | estimated ÷ latent | spell WAPE | s |")
    print("|---|---:|---:|---:|")
    for name, values, t in (
        ("estimate_true_demand", est["demand_estimate"].to_numpy(), t_est),
        ("reference: flat 28-day mean before", flat, t_flat),
    ):
        frame = pd.DataFrame({"s": spell, "e": values, "d": truth["demand"]})[out]
        per = frame.groupby("s")[["e", "d"]].sum()
        wape = float((per.e - per.d).abs().sum() / per.d.sum())
        print(f"| {name} | {per.e.sum() / per.d.sum():.3f} | {wape:.3f} | {t:.2f} |")


if __name__ == "__main__":
    main()
