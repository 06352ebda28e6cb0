"""Diagnostics: why the ``forecast`` policy does not beat the velocity rule on online retail.

Companion of ``bench/inventory_simulation.py`` (same data, lead time 14 ± 3 days, review 7 days,
same simulation and ``savings`` measure). It records the hypotheses tested in November 2026:

1. *Demand shape*: the share of the units demanded on days of more than 5× / 10× the
   trailing 30-day mean (large one-off wholesale orders).
2. *Other order-up-to rules in the same replay* (targets injected in place of the forecast
   policy's, swept over the same covers as the velocity rule): a level from a 56-day mean or a
   28-day half-life exponential average instead of the 30-day mean; the textbook fill-rate (P2)
   order-up-to level (gamma loss function, Silver, Pyke & Thomas 2017 §6.7) from the ``empirical``
   model; the forecast policy with a fixed error correlation ρ = 0.5 instead of the calibrated one.
3. *An upper bound for better trend forecasts* (NOT a causal policy): the 30-/56-day mean times
   the true ratio of the portfolio's next-21-day to last-30-/56-day sales, i.e. a perfect
   forecast of the whole shop's trend (Q4 2011 included), still without knowing any one product's
   large orders.
4. *Static vs replayed*: for a rule's targets, the fill rate the quantile promises if the
   inventory position were exactly ``S`` at every review (``1 − Σ(D_P − S)⁺ / Σ D_P`` over the
   protection periods), against the replayed one and the stock held per unit of ``S``.

Run: ``.venv/bin/python bench/inventory_simulation_diagnostics.py`` (≈ 20 s); writes
``bench/results/inventory_simulation_diagnostics.md``.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
import inventory_simulation as bench  # noqa: E402

from forecasting.backtest.series import history_to_batch  # noqa: E402
from forecasting.models.base import SeriesBatch  # noqa: E402
from forecasting.models.registry import get_model  # noqa: E402
from forecasting.planning.fees import load_fee_table  # noqa: E402
from forecasting.planning.safety_stock import daily_sd_from_quantiles  # noqa: E402
from forecasting.planning.simulation import policies as pol  # noqa: E402
from forecasting.planning.simulation import replay as sim  # noqa: E402
from forecasting.planning.simulation.fees import FeeAssumptions  # noqa: E402

CASE = bench.CASES["online retail (daily, L 14 ± 3 d, R 7 d)"]
PROTECTION = 21  # days, L + R
#: Covers (× protection period) of the injected rules, one per sweep level.
COVERS = (1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5)


def window_mean(values: np.ndarray, reviews: np.ndarray, window: int) -> np.ndarray:
    """Mean daily units of the last ``window`` observed days before each review."""
    ok = np.isfinite(values)
    cz = np.c_[np.zeros(len(values)), np.nan_to_num(values).cumsum(1)]
    co = np.c_[np.zeros(len(values)), ok.cumsum(1)]
    lo = np.maximum(reviews - window, 0)
    s, c = cz[:, reviews] - cz[:, lo], co[:, reviews] - co[:, lo]
    return np.where(c > 0, s / np.maximum(c, 1), 0.0)


def ewma(values: np.ndarray, reviews: np.ndarray, half_life: float) -> np.ndarray:
    """Exponentially weighted mean daily units before each review (starts at the first sale)."""
    a = 1 - 0.5 ** (1 / half_life)
    level, seen = np.zeros(len(values)), np.zeros(len(values), bool)
    out = np.zeros((len(values), len(reviews)))
    at = {int(t): k for k, t in enumerate(reviews)}
    for t in range(values.shape[1]):
        if t in at:
            out[:, at[t]] = level
        x = values[:, t]
        ok = np.isfinite(x)
        x = np.nan_to_num(x)
        level = np.where(ok, np.where(seen, (1 - a) * level + a * x, x), level)
        seen |= ok
    return out


def portfolio_trend(values: np.ndarray, reviews: np.ndarray, window: int) -> np.ndarray:
    """ORACLE: next-21-day ÷ last-``window``-day mean daily sales of all series together."""
    total = np.nansum(values, axis=0)
    future = np.array([total[t : t + PROTECTION].mean() for t in reviews])
    past = np.array([total[max(t - window, 0) : t].mean() for t in reviews])
    return future / np.maximum(past, 1e-9)


def p2_targets(batch: SeriesBatch, reviews: np.ndarray, levels: list[float]) -> np.ndarray:
    """Fill-rate (P2) order-up-to levels: ``E[(D_P − S)⁺] = (1 − β)·E[D_R]``, gamma ``D_P``.

    ``D_P`` over the 21-day protection period from the ``empirical`` model's daily mean and
    quantile spread with ρ = 0.3 and a lead-time sd of 3 days (as the forecast policy's moments);
    ``D_R`` the mean demand of the 7-day review period; ``S`` by bisection on the gamma loss.
    """
    model = get_model("empirical")
    out = np.zeros((len(levels), batch.n_series, len(reviews)))
    for k, t in enumerate(reviews):
        past = SeriesBatch(
            batch.keys, batch.values[:, :t], batch.dates[:t], batch.freq, batch.season_length
        )
        fc = model.forecast(past, PROTECTION, (0.1, 0.5, 0.9))
        sd = np.maximum(
            daily_sd_from_quantiles(fc.quantiles[..., 0], fc.quantiles[..., 2]),
            np.sqrt(np.maximum(fc.mean, 0)),
        )
        mean = np.maximum(fc.mean.sum(1), 1e-9)
        var = 0.7 * (sd**2).sum(1) + 0.3 * sd.sum(1) ** 2 + (mean / PROTECTION * 3) ** 2
        shape, scale = mean**2 / var, var / mean
        for i, beta in enumerate(levels):
            want = (1 - beta) * mean * 7 / PROTECTION
            lo, hi = np.zeros_like(mean), mean + 20 * np.sqrt(var)
            for _ in range(50):  # bisection on the gamma loss function
                mid = (lo + hi) / 2
                loss = mean * stats.gamma.sf(mid, shape + 1, scale=scale) - mid * stats.gamma.sf(
                    mid, shape, scale=scale
                )
                lo, hi = np.where(loss > want, mid, lo), np.where(loss > want, hi, mid)
            out[i, :, k] = np.where(fc.mean.sum(1) > 0, hi, 0.0)
    return out


def replay(
    history: pd.DataFrame,
    fees: FeeAssumptions,
    targets_fn=None,  # noqa: ANN001
    correlation: float | None = None,
) -> dict:
    """Sweep ``forecast`` (or injected targets) and ``velocity``; also capture the replay."""
    kw = dict(freq=CASE["freq"], lead_time=CASE["lead_time"], fees=fees)
    sweep = sim.ReplaySettings(sweep=True)
    captured: dict = {}
    engine = sim.simulate_order_up_to

    def capture(demand, targets, reviews, lead, start):
        path = engine(demand, targets, reviews, lead, start)
        captured.update(demand=demand, targets=targets, reviews=reviews, start=start, path=path)
        return path

    def injected(batch, reviews, protection, levels, **_):
        return targets_fn(batch, np.asarray(reviews, int), list(levels))[None]

    with mock.patch.object(sim, "simulate_order_up_to", capture):
        if targets_fn is None:
            review = sim.ReviewPolicy(CASE["review_period_days"], correlation=correlation)
            result = sim.simulate_policies(history, review=review, replay=sweep, **kw)
        else:
            with mock.patch.object(pol, "forecast_targets", injected):
                review = sim.ReviewPolicy(CASE["review_period_days"], correlation=0.5)
                result = sim.simulate_policies(history, review=review, replay=sweep, **kw)
    curve = bench.curves(result[result["policy"].isin(["forecast", "velocity"])])
    return {"curve": curve, "savings": bench.savings(curve), **captured}


def static_vs_replayed(run: dict, n_series: int, block: int) -> tuple[float, float, float, float]:
    """(mean S, static fill, replayed fill, on hand) of sweep block ``block`` (all series)."""
    rows = slice(block * n_series, (block + 1) * n_series)
    demand, reviews, path = run["demand"][rows], run["reviews"], run["path"]
    active = reviews[None, :] >= run["start"][rows, None]
    cum = np.c_[np.zeros(len(demand)), demand.cumsum(1)]
    d_p = cum[:, np.minimum(reviews + PROTECTION, demand.shape[1])] - cum[:, reviews]
    s = run["targets"][rows]
    act = path.active[rows]
    served, lost = path.served[rows][act].sum(), path.lost[rows][act].sum()
    on_hand = np.where(act, (path.available[rows] + path.end_on_hand[rows]) / 2, 0).sum(1)
    return (
        float(np.where(active, s, 0).sum() / active.sum() * n_series),
        float(1 - (np.maximum(d_p - s, 0) * active).sum() / (d_p * active).sum()),
        float(served / (served + lost)),
        float((on_hand / act.sum(1)).sum()),
    )


def main() -> int:
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    t0 = time.perf_counter()
    fees = FeeAssumptions(load_fee_table("amazon-us-2026"))
    history = CASE["data"]()
    batch = sim.launch_at_first_sale(history_to_batch(history, freq="D"))
    values, n_series = batch.values, batch.n_series
    lines = ["# Inventory simulation diagnostics, online retail "
             "(`bench/inventory_simulation_diagnostics.py`)", ""]  # fmt: skip

    demand = np.nan_to_num(values)
    trailing = np.c_[np.zeros((n_series, 1)), demand.cumsum(1)]
    idx = np.arange(values.shape[1])
    mean30 = (trailing[:, idx] - trailing[:, np.maximum(idx - 30, 0)]) / np.maximum(
        np.minimum(idx, 30), 1
    )
    lines += ["## Demand on large-order days", "",
              "| day's units > | share of days | share of units |", "|---:|---:|---:|"]  # fmt: skip
    for mult in (3, 5, 10):
        big = (demand > mult * mean30) & (idx[None, :] >= 30) & (mean30 > 0)
        lines.append(
            f"| {mult}× trailing 30-day mean | {big.sum() / (mean30 > 0).sum():.1%} "
            f"| {demand[big].sum() / demand[:, 30:].sum():.1%} |"
        )

    def cover_rule(level_fn):
        def fn(b, reviews, levels):
            base = level_fn(b.values, reviews) * PROTECTION
            return np.stack([c * base for c in COVERS[: len(levels)]])

        return fn

    rules = {
        "forecast policy, calibrated ρ (default)": None,
        "forecast policy, fixed ρ = 0.5": "fixed",
        "30-day mean × cover (= velocity)": cover_rule(lambda v, r: window_mean(v, r, 30)),
        "56-day mean × cover": cover_rule(lambda v, r: window_mean(v, r, 56)),
        "EWMA (half-life 28 d) × cover": cover_rule(lambda v, r: ewma(v, r, 28)),
        "fill-rate (P2) S from `empirical`": lambda b, r, lv: p2_targets(b, r, lv),
        "ORACLE 30-day mean × true portfolio trend": cover_rule(
            lambda v, r: window_mean(v, r, 30) * portfolio_trend(v, r, 30)[None, :]
        ),
        "ORACLE 56-day mean × true portfolio trend": cover_rule(
            lambda v, r: window_mean(v, r, 56) * portfolio_trend(v, r, 56)[None, :]
        ),
    }
    lines += ["", "## Less stock than velocity at the same fill rate (+ = less)", "",
              "| rule | fill 0.85 | 0.90 | 0.93 | 0.96 | 0.975 | fill at the 3rd / 5th "
              "sweep point |", "|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    runs = {}
    for name, fn in rules.items():
        run = replay(history, fees, correlation=0.5) if fn == "fixed" else replay(history, fees, fn)
        runs[name] = run
        by_fill = {round(fr, 3): s for fr, _, _, s in run["savings"]}
        cells = []
        for want in (0.853, 0.897, 0.927, 0.959, 0.975):
            near = [s for fr, s in by_fill.items() if abs(fr - want) < 0.002]
            cells.append(f"{near[0]:+.1%}" if near else "–")
        f = run["curve"][run["curve"]["policy"] == "forecast"]["fill_rate"].to_numpy()
        lines.append(f"| {name} | {' | '.join(cells)} | {f[2]:.3f} / {f[4]:.3f} |")

    lines += ["", "## Static quantile vs replay (stock held per unit of S)", "",
              "| rule | cover (× L+R) | mean S (units) | static fill | replayed fill | "
              "on hand (units) | on hand ÷ S |", "|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for name in ("30-day mean × cover (= velocity)", "56-day mean × cover",
                 "EWMA (half-life 28 d) × cover"):  # fmt: skip
        for block in (2, 4, 5):
            s, fs, fd, oh = static_vs_replayed(runs[name], n_series, block)
            lines.append(
                f"| {name} | {COVERS[block]:g} | {s:,.0f} | {fs:.3f} | {fd:.3f} | {oh:,.0f} "
                f"| {oh / s:.2f} |"
            )
    lines += ["", "## By month: default forecast policy at 0.925 vs velocity at 2 × (L + R)", "",
              "| month | forecast fill | forecast on hand | velocity fill | velocity on hand |",
              "|---|---:|---:|---:|---:|"]  # fmt: skip
    run = runs["forecast policy, calibrated ρ (default)"]
    month = batch.dates.to_period("M")
    monthly = []
    for block in (3, 8 + 5):  # forecast 0.925; velocity cover 2.0 (after the 8 forecast levels)
        rows = slice(block * n_series, (block + 1) * n_series)
        p = run["path"]
        act = p.active[rows]
        frame = pd.DataFrame(
            {
                "month": month,
                "lost": np.where(act, p.lost[rows], 0).sum(0),
                "asked": np.where(act, p.lost[rows] + p.served[rows], 0).sum(0),
                "on_hand": np.where(act, (p.available[rows] + p.end_on_hand[rows]) / 2, 0).sum(0),
            }
        ).groupby("month")
        monthly.append(frame.agg({"lost": "sum", "asked": "sum", "on_hand": "mean"}))
    for m in monthly[0].index[monthly[0]["asked"] > 0]:
        f, v = monthly[0].loc[m], monthly[1].loc[m]
        lines.append(
            f"| {m} | {1 - f.lost / f.asked:.3f} | {f.on_hand:,.0f} | {1 - v.lost / v.asked:.3f} "
            f"| {v.on_hand:,.0f} |"
        )
    lines += ["", f"Wall clock {time.perf_counter() - t0:.0f} s.", ""]
    out = bench.BENCH / "results" / "inventory_simulation_diagnostics.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
