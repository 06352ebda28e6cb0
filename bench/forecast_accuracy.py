"""Forecast accuracy and speed on the real data sets, side by side with the usual peers.

Run: ``.venv/bin/python bench/forecast_accuracy.py [--sets carparts,online_retail] [--jobs N]``
(needs the ``bench`` extra: statsforecast). Prints a Markdown table (copied into
``bench/README.md``) and writes it to ``bench/results/forecast_accuracy.md``.

Protocols (data in ``data/benchmarks/``, see its README for provenance and licences):

- carparts: the 2,509 complete parts, monthly; hold out the last 12 months; MASE scaled by the
  in-sample seasonal-naive MAE (m = 12), averaged over parts with non-zero scale; WQL over
  q = 0.1 … 0.9 = mean_q Σ 2·pinball / Σ|y| (the Chronos benchmark "monash_car_parts").
- online_retail: 30 products, daily, missing days filled with 0 (the shop does not trade on
  Saturdays, so Saturdays are 0); hold out the last 28 days; m = 7.

Point forecast scored by MASE/RMSSE: the median (p50) for every method, as in the published
protocol (for the Gaussian AutoETS the median is its mean). Methods: this project's ``auto``
(backtest-based choice and calibration included in its time), seasonal naive, statsforecast
AutoETS and CrostonSBA (conformal intervals, 2 windows), Prophet per SKU (on carparts on a seeded
sample of parts, because a fit costs ~0.1 s; its scores there are on that sample only).

``--training-check`` scores ``auto`` on the last horizon of the training part only (trained on
what precedes it): the hold-out stays untouched, so method changes are judged there first.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "benchmarks"
QUANTILES = tuple(round(0.1 * i, 1) for i in range(1, 10))
PROPHET_SAMPLE = 100


def load_carparts() -> tuple[pd.DataFrame, np.ndarray, np.ndarray, pd.DatetimeIndex, int, str]:
    """Train history (long), train and test arrays (parts sorted by id), dates, m, freq."""
    wide = pd.read_csv(DATA / "carparts" / "carparts.csv", dtype={"Part": str}).dropna()
    wide = wide.sort_values("Part").reset_index(drop=True)
    dates = pd.to_datetime(wide.columns[1:], format="%b-%y")
    values = wide.iloc[:, 1:].to_numpy(float)
    return _split(wide["Part"].to_numpy(), values, dates, 12, 12, "MS")


def load_online_retail() -> tuple:
    """Same as :func:`load_carparts` for the 30 online-retail products (daily, zeros filled)."""
    df = pd.read_csv(DATA / "online_retail" / "online_retail_top30_daily.csv", dtype={"item": str})
    df["ds"] = pd.to_datetime(df["ds"])
    dates = pd.date_range(df["ds"].min(), df["ds"].max(), freq="D")
    wide = df.pivot_table(index="item", columns="ds", values="y", aggfunc="sum")
    wide = wide.reindex(columns=dates).fillna(0.0).sort_index()
    return _split(wide.index.to_numpy(), wide.to_numpy(float), dates, 28, 7, "D")


def _split(ids, values, dates, horizon, m, freq):  # noqa: ANN001, ANN202
    train, test = values[:, :-horizon], values[:, -horizon:]
    hist = pd.DataFrame(
        {
            "sku": np.repeat(ids, train.shape[1]),
            "date": np.tile(dates[:-horizon], len(ids)),
            "units": train.reshape(-1),
        }
    )
    return hist, train, test, dates, m, freq


def score(test: np.ndarray, train: np.ndarray, q: np.ndarray, m: int) -> dict[str, float]:
    """MASE and RMSSE of the median, WQL of the quantiles (shape ``(n, h, 9)``)."""
    from forecasting.backtest import metrics as mt

    q = np.sort(np.maximum(q, 0.0), axis=-1)
    median = q[..., QUANTILES.index(0.5)]
    return {
        "MASE": float(np.nanmean(mt.mase(test, median, train, m))),
        "RMSSE": float(np.nanmean(mt.rmsse(test, median, train, m))),
        "WQL": mt.wql(test, q, QUANTILES),
    }


def run_auto(hist: pd.DataFrame, horizon: int, jobs: int) -> tuple[np.ndarray, pd.DataFrame]:
    """This project's ``auto_forecast``; quantiles ``(n, h, 9)`` in sku order and the choice."""
    from forecasting.backtest import ComputeSettings, auto_forecast
    from forecasting.schema import quantile_columns

    run = auto_forecast(hist, horizon, compute=ComputeSettings(jobs=jobs))
    fc = run.forecast.sort_values(["sku", "date"])
    q = fc[quantile_columns(QUANTILES)].to_numpy().reshape(-1, horizon, len(QUANTILES))
    return q, run.choice


def run_statsforecast(hist: pd.DataFrame, horizon: int, m: int, freq: str, which: str, jobs: int):  # noqa: ANN201
    """A statsforecast model's quantiles ``(n, h, 9)`` (levels 20 … 80 → quantiles 0.1 … 0.9)."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS, CrostonSBA, SeasonalNaive
    from statsforecast.utils import ConformalIntervals

    model = {
        "AutoETS": lambda: AutoETS(season_length=m),
        "SeasonalNaive": lambda: SeasonalNaive(season_length=m),
        "CrostonSBA": lambda: CrostonSBA(
            prediction_intervals=ConformalIntervals(h=horizon, n_windows=2)
        ),
    }[which]()
    df = hist.rename(columns={"sku": "unique_id", "date": "ds", "units": "y"})
    sf = StatsForecast(models=[model], freq=freq, n_jobs=jobs)
    levels = [20, 40, 60, 80]
    out = sf.forecast(df=df, h=horizon, level=levels).sort_values(["unique_id", "ds"])
    name = str(model)
    cols = [f"{name}-lo-{lv}" for lv in reversed(levels)] + [name]
    cols += [f"{name}-hi-{lv}" for lv in levels]
    return out[cols].to_numpy().reshape(-1, horizon, len(QUANTILES))


def run_prophet(hist: pd.DataFrame, horizon: int, freq: str, skus: np.ndarray) -> np.ndarray:
    """Prophet fitted per SKU (default settings, 9 quantiles from 1,000 posterior samples)."""
    from prophet import Prophet

    logging.getLogger("cmdstanpy").disabled = True
    out = np.zeros((len(skus), horizon, len(QUANTILES)))
    for i, sku in enumerate(skus):
        d = hist.loc[hist["sku"] == sku, ["date", "units"]].rename(
            columns={"date": "ds", "units": "y"}
        )
        model = Prophet(uncertainty_samples=1000)
        model.fit(d)
        future = model.make_future_dataframe(periods=horizon, freq=freq, include_history=False)
        np.random.seed(0)  # noqa: NPY002 - Prophet samples from the global generator
        samples = model.predictive_samples(future)["yhat"]  # (h, n_samples)
        out[i] = np.quantile(samples, QUANTILES, axis=1).T
    return out


def bench_set(name: str, jobs: int, with_prophet: bool = True) -> list[dict]:
    """Rows of the result table for one data set."""
    hist, train, test, dates, m, freq = {
        "carparts": load_carparts,
        "online_retail": load_online_retail,
    }[name]()
    horizon = test.shape[1]
    skus = np.sort(hist["sku"].unique())
    rows = []

    def add(method: str, q: np.ndarray, seconds: float, idx: np.ndarray | None = None) -> None:
        sel = slice(None) if idx is None else idx
        row = {"set": name, "method": method, "series": len(q)}
        row.update(score(test[sel], train[sel], q, m))
        row["seconds"] = seconds
        rows.append(row)
        print(row, file=sys.stderr)

    for which in ("AutoETS", "SeasonalNaive", "CrostonSBA"):
        t = time.perf_counter()
        q = run_statsforecast(hist, horizon, m, freq, which, jobs)
        add(f"statsforecast {which}", q, time.perf_counter() - t)
    t = time.perf_counter()
    q, choice = run_auto(hist, horizon, jobs)
    add("forecasting auto", q, time.perf_counter() - t)
    print(choice["model"].value_counts().to_dict(), file=sys.stderr)
    if with_prophet:
        idx = np.arange(len(skus))
        if len(skus) > PROPHET_SAMPLE:
            idx = np.sort(np.random.default_rng(0).choice(len(skus), PROPHET_SAMPLE, replace=False))
        t = time.perf_counter()
        qp = run_prophet(hist, horizon, freq, skus[idx])
        add(f"Prophet per SKU ({len(idx)} series)", qp, time.perf_counter() - t, idx)
        if len(idx) < len(skus):
            add(f"forecasting auto (same {len(idx)} series)", q[idx], float("nan"), idx)
    ref = next(r for r in rows if r["method"] == "statsforecast AutoETS")
    for r in rows:
        for k in ("MASE", "RMSSE", "WQL", "seconds"):
            r[f"{k} / AutoETS"] = r[k] / ref[k] if ref[k] else float("nan")
    return rows


def training_check(name: str, jobs: int) -> dict:
    """``auto`` trained on the training part less one horizon, scored on that horizon.

    The hold-out is never touched: this is the figure a change to the method is judged on first
    (carparts: months 1–27 → 28–39, 2 backtest windows; online retail: the 28 days before the
    last 28 training days). Returns WQL, MASE and seconds.
    """
    hist, train, _test, _dates, m, _freq = {
        "carparts": load_carparts,
        "online_retail": load_online_retail,
    }[name]()
    horizon = _test.shape[1]
    cut = train.shape[1] - horizon
    cut_dates = np.sort(hist["date"].unique())[:cut]
    sub = hist[hist["date"].isin(cut_dates)]
    windows = 3 if cut >= 3 * horizon + 3 else 2
    t = time.perf_counter()
    from forecasting.backtest import BacktestSettings, ComputeSettings, auto_forecast
    from forecasting.schema import quantile_columns

    run = auto_forecast(
        sub,
        horizon,
        backtest=BacktestSettings(n_windows=windows),
        compute=ComputeSettings(jobs=jobs),
    )
    seconds = time.perf_counter() - t
    fc = run.forecast.sort_values(["sku", "date"])
    q = fc[quantile_columns(QUANTILES)].to_numpy().reshape(-1, horizon, len(QUANTILES))
    got = score(train[:, cut:], train[:, :cut], q, m)
    row = {"set": name, "trained on": cut, "scored on": horizon, "windows": windows, **got}
    row["seconds"] = seconds
    print(row, file=sys.stderr)
    return row


#: forecast origins of the multi-origin protocol: the last this many non-overlapping horizons
N_ORIGINS = 3


def load_full(name: str) -> tuple[np.ndarray, np.ndarray, pd.DatetimeIndex, int, int, str]:
    """Whole series of a set: ids, values ``(n, t)``, dates, horizon, season length, freq."""
    hist, train, test, dates, m, freq = {
        "carparts": load_carparts,
        "online_retail": load_online_retail,
    }[name]()
    ids = np.sort(hist["sku"].unique())
    return ids, np.hstack([train, test]), dates, test.shape[1], m, freq


def origins(n_periods: int, horizon: int, n_origins: int = N_ORIGINS) -> list[int]:
    """Training lengths of the last ``n_origins`` non-overlapping horizons, oldest first.

    The last one is the final test: no default of the method may be chosen on it.

    Examples
    --------
    >>> origins(51, 12)
    [15, 27, 39]
    """
    return [n_periods - k * horizon for k in range(n_origins, 0, -1)]


def long_history(ids: np.ndarray, values: np.ndarray, dates: pd.DatetimeIndex) -> pd.DataFrame:
    """Long ``sku, date, units`` frame of a wide array (periods in columns)."""
    return pd.DataFrame(
        {
            "sku": np.repeat(ids, values.shape[1]),
            "date": np.tile(dates[: values.shape[1]], len(ids)),
            "units": values.reshape(-1),
        }
    )


def simple_peers(train: np.ndarray, horizon: int, m: int) -> dict[str, np.ndarray]:
    """Quantiles ``(n, h, 9)`` of the reference forecasts printed beside every figure.

    ``zero``: nothing sells (every quantile 0). ``poisson_recent_mean``: Poisson quantiles around
    the mean of the last ``max(m, horizon)`` periods (the safety net's window,
    ``backtest.windows.fallback_forecast``), flat over the horizon.
    """
    from scipy import stats

    n = train.shape[0]
    window = max(m, horizon)
    rate = np.nan_to_num(np.nanmean(train[:, -window:], axis=1))
    q = stats.poisson.ppf(np.asarray(QUANTILES)[None, :], rate[:, None])
    return {
        "zero": np.zeros((n, horizon, len(QUANTILES))),
        "poisson_recent_mean": np.repeat(np.nan_to_num(q)[:, None, :], horizon, axis=1),
    }


def score_full(test: np.ndarray, train: np.ndarray, q: np.ndarray, m: int) -> dict[str, float]:
    """:func:`score` plus bias (mean of median − actual over mean actual) and p10/p90 coverage."""
    q = np.sort(np.maximum(q, 0.0), axis=-1)
    out = score(test, train, q, m)
    median = q[..., QUANTILES.index(0.5)]
    out["bias"] = float((median - test).mean() / max(test.mean(), 1e-12))
    lo, hi = q[..., QUANTILES.index(0.1)], q[..., QUANTILES.index(0.9)]
    out["coverage_80"] = float(((test >= lo) & (test <= hi)).mean())
    return out


def registry_forecast(alias: str, hist: pd.DataFrame, horizon: int, freq: str) -> np.ndarray:
    """One of this project's models alone, uncalibrated: quantiles ``(n, h, 9)`` in sku order."""
    from forecasting.backtest.series import history_to_batch
    from forecasting.models.registry import get_model

    batch = history_to_batch(hist, freq=freq[:1])
    order = np.argsort(batch.keys["sku"].to_numpy())
    return np.asarray(get_model(alias).forecast(batch, horizon, QUANTILES).quantiles)[order]


def origin_rows(name: str, origin: int, jobs: int, with_peers: bool = False) -> list[dict]:
    """``auto``, the reference forecasts (and, with ``with_peers``, statsforecast) at one origin."""
    ids, values, dates, horizon, m, freq = load_full(name)
    train, test = values[:, :origin], values[:, origin : origin + horizon]
    hist = long_history(ids, train, dates)
    rows = []

    def add(method: str, q: np.ndarray, seconds: float) -> None:
        row = {"set": name, "origin": str(dates[origin].date()), "method": method}
        row.update(score_full(test, train, q, m))
        row["seconds"] = seconds
        rows.append(row)
        print(row, file=sys.stderr)

    t = time.perf_counter()
    q, _choice = run_auto(hist, horizon, jobs)
    add("auto", q, time.perf_counter() - t)
    for method, qp in simple_peers(train, horizon, m).items():
        add(method, qp, 0.0)
    t = time.perf_counter()
    add("seasonal_naive", registry_forecast("seasonal_naive", hist, horizon, freq), 0.0)
    rows[-1]["seconds"] = time.perf_counter() - t
    if with_peers:
        for which in ("SeasonalNaive", "AutoETS"):
            t = time.perf_counter()
            qp = run_statsforecast(hist, horizon, m, freq, which, jobs)
            add(f"statsforecast {which}", qp, time.perf_counter() - t)
    return rows


def multi_origin(name: str, jobs: int, with_peers: bool = False) -> list[dict]:
    """Rows of every method at every origin of :func:`origins` (the last is the final test)."""
    _ids, values, _dates, horizon, _m, _freq = load_full(name)
    rows = []
    cuts = origins(values.shape[1], horizon)
    for k, o in enumerate(cuts):
        for r in origin_rows(name, o, jobs, with_peers):
            r["final"] = k == len(cuts) - 1
            rows.append(r)
    return rows


def multi_origin_markdown(rows: list[dict]) -> str:
    """Per set and method: mean ± spread (sd) over the earlier origins, then the final origin."""
    df = pd.DataFrame(rows)
    cols = ["WQL", "MASE", "RMSSE", "bias", "coverage_80"]
    head = "| set | method | " + " | ".join(f"{c} earlier (mean ± sd)" for c in cols)
    head += " | " + " | ".join(f"{c} final" for c in cols) + " |"
    lines = [head, "|---|---|" + "---:|" * (2 * len(cols))]
    for (st, method), g in df.groupby(["set", "method"], sort=False):
        early, final = g[~g["final"]], g[g["final"]]
        cells = [f"{early[c].mean():.3f} ± {early[c].std(ddof=0):.3f}" for c in cols]
        cells += [f"{final[c].mean():.3f}" for c in cols]
        lines.append(f"| {st} | {method} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def to_markdown(rows: list[dict]) -> str:
    """The result table in Markdown."""
    head = "| set | method | series | MASE | RMSSE | WQL | seconds | WQL / AutoETS | s / AutoETS |"
    lines = [head, "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['set']} | {r['method']} | {r['series']} | {r['MASE']:.3f} | {r['RMSSE']:.3f} "
            f"| {r['WQL']:.3f} | {r['seconds']:.1f} | {r['WQL / AutoETS']:.2f} "
            f"| {r['seconds / AutoETS']:.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="carparts,online_retail")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--no-prophet", action="store_true")
    parser.add_argument(
        "--training-check",
        action="store_true",
        help="only score auto on the last horizon of the training part (hold-out untouched)",
    )
    parser.add_argument(
        "--multi-origin",
        action="store_true",
        help="the last 3 non-overlapping horizons; mean ± sd of the earlier ones, final apart",
    )
    parser.add_argument(
        "--earlier-only",
        action="store_true",
        help="with --multi-origin: leave the final origin out (for choosing defaults)",
    )
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    if args.multi_origin:
        rows = []
        for name in args.sets.split(","):
            if args.earlier_only:
                _i, values, _d, horizon, _m, _f = load_full(name)
                for o in origins(values.shape[1], horizon)[:-1]:
                    rows += [{**r, "final": False} for r in origin_rows(name, o, args.jobs)]
            else:
                rows += multi_origin(  # statsforecast peers where the bench extra is installed
                    name,
                    args.jobs,
                    with_peers=importlib.util.find_spec("statsforecast") is not None,
                )
        for r in rows:
            print(
                f"| {r['set']} | {r['origin']} | {r['method']} | {r['WQL']:.4f} | "
                f"{r['MASE']:.3f} | {r['RMSSE']:.3f} | {r['bias']:+.3f} | "
                f"{r['coverage_80']:.3f} | {r['seconds']:.1f} |"
            )
        if not args.earlier_only:
            print(multi_origin_markdown(rows))
        return 0
    if args.training_check:
        print("| set | trained on | scored on | windows | MASE | RMSSE | WQL | seconds |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for name in args.sets.split(","):
            r = training_check(name, args.jobs)
            print(
                f"| {name} | {r['trained on']} | {r['scored on']} | {r['windows']} "
                f"| {r['MASE']:.3f} | {r['RMSSE']:.3f} | {r['WQL']:.4f} | {r['seconds']:.1f} |"
            )
        return 0
    rows = []
    for name in args.sets.split(","):
        rows += bench_set(name, args.jobs, with_prophet=not args.no_prophet)
    table = to_markdown(rows)
    print(table)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "forecast_accuracy.md").write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
