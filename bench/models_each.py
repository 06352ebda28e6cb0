"""Every registered model on its own: accuracy and speed on the real data sets.

Run: ``.venv/bin/python bench/models_each.py [--sets carparts,online_retail] [--sample 100]``
(needs the ``bench`` extra: statsforecast, for the reference). Prints a Markdown table per data set
(copied into ``bench/README.md``) and writes them to ``bench/results/models_each.md``.

Same protocols as ``bench/forecast_accuracy.py`` (carparts: 2,509 complete parts, monthly, last 12
months held out, m = 12; online_retail: 30 products, daily, zeros filled, last 28 days, m = 7).
Each model forecasts straight from the training array (no backtest, no choice, no calibration),
so the table shows what each model contributes. The per-series models (``ets``, ``sarimax``,
``prophet``) run on a seeded sample of ``--sample`` carparts parts; their scores are on that sample
only, and their time is scaled to all parts. Reference in the same run: statsforecast AutoETS on
all series (quantiles from its Gaussian intervals, clipped at 0 like ours).
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.models.base import SeriesBatch
from forecasting.models.registry import available_models, get_model, is_per_series

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "benchmarks"
QUANTILES = np.round(np.arange(1, 10) / 10, 1)


def load(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.DatetimeIndex, int, str]:
    """ids, train, test, all dates, season length, freq of a benchmark set."""
    if name == "carparts":
        wide = pd.read_csv(DATA / "carparts" / "carparts.csv", dtype={"Part": str}).dropna()
        wide = wide.sort_values("Part").reset_index(drop=True)
        dates = pd.to_datetime(wide.columns[1:], format="%b-%y")
        ids, values, h, m, freq = (
            wide["Part"].to_numpy(),
            wide.iloc[:, 1:].to_numpy(float),
            12,
            12,
            "MS",
        )
    elif name == "online_retail":
        path = DATA / "online_retail" / "online_retail_top30_daily.csv"
        df = pd.read_csv(path, dtype={"item": str}, parse_dates=["ds"])
        dates = pd.date_range(df["ds"].min(), df["ds"].max(), freq="D")
        wide = df.pivot_table(index="item", columns="ds", values="y", aggfunc="sum")
        wide = wide.reindex(columns=dates).fillna(0.0).sort_index()
        ids, values, h, m, freq = wide.index.to_numpy(), wide.to_numpy(float), 28, 7, "D"
    else:
        raise SystemExit(f"unknown data set {name!r}")
    return ids, values[:, :-h], values[:, -h:], dates, m, freq


def wql(actual: np.ndarray, quantiles: np.ndarray) -> float:
    """Weighted quantile loss: mean over levels of 2·Σ pinball / Σ|y|."""
    diff = actual[..., None] - quantiles
    loss = np.maximum(QUANTILES * diff, (QUANTILES - 1) * diff)
    return float((2 * loss.sum(axis=(0, 1)) / np.abs(actual).sum()).mean())


def mase(train: np.ndarray, actual: np.ndarray, point: np.ndarray, m: int) -> float:
    """MASE of ``point`` scaled by the in-sample seasonal-naive MAE; zero-scale series dropped."""
    scale = np.mean(np.abs(train[:, m:] - train[:, :-m]), axis=1)
    ok = scale > 0
    return float(np.mean(np.abs(actual - point).mean(axis=1)[ok] / scale[ok]))


def autoets_reference(train: np.ndarray, dates: pd.DatetimeIndex, m: int, freq: str, h: int):
    """statsforecast AutoETS: (seconds, quantiles array)."""
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    n, t = train.shape
    df = pd.DataFrame(
        {
            "unique_id": np.repeat(np.arange(n), t),
            "ds": np.tile(dates, n),
            "y": train.ravel(),
        }
    )
    levels = [20, 40, 60, 80]
    sf = StatsForecast(models=[AutoETS(season_length=m)], freq=freq, n_jobs=1)
    start = time.perf_counter()
    fc = sf.forecast(df=df, h=h, level=levels)
    seconds = time.perf_counter() - start
    fc = fc.sort_values(["unique_id", "ds"])
    cols = [f"AutoETS-lo-{lv}" for lv in levels[::-1]] + ["AutoETS"]
    cols += [f"AutoETS-hi-{lv}" for lv in levels]
    q = np.clip(fc[cols].to_numpy(float).reshape(n, h, len(cols)), 0, None)
    return seconds, q


def run_set(name: str, sample: int) -> str:
    ids, train, test, dates, m, freq = load(name)
    h = test.shape[1]
    n = train.shape[0]
    batch = SeriesBatch(
        keys=pd.DataFrame({"sku": ids}),
        values=train,
        dates=dates[: train.shape[1]],
        freq=freq,
        season_length=m,
    )
    rows = []
    ref_seconds, ref_q = autoets_reference(train, batch.dates, m, freq, h)
    ref_wql = wql(test, ref_q)
    rows.append(
        (
            "statsforecast AutoETS (reference)",
            n,
            ref_wql,
            mase(train, test, ref_q[..., 4], m),
            ref_seconds,
            ref_seconds,
        )
    )
    rng = np.random.default_rng(0)
    sub = np.sort(rng.choice(n, size=min(sample, n), replace=False))
    for alias in available_models():
        per_series = is_per_series(alias)
        rows_idx = sub if per_series else np.arange(n)
        b = batch.take(rows_idx)
        model = get_model(alias)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = time.perf_counter()
            out = model.forecast(b, h, QUANTILES)
            seconds = time.perf_counter() - start
        y, x = test[rows_idx], train[rows_idx]
        scaled = seconds * n / len(rows_idx)
        rows.append(
            (
                alias,
                len(rows_idx),
                wql(y, out.quantiles),
                mase(x, y, out.quantiles[..., 4], m),
                seconds,
                scaled,
            )
        )
    lines = [
        f"### {name} ({n} series, horizon {h}, m = {m})",
        "",
        "| model | series scored | WQL | MASE (p50) | time (s) | time for all series (s) | ÷ AutoETS time |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for alias, k, w, ms, s, scaled in rows:
        lines.append(
            f"| {alias} | {k} | {w:.3f} | {ms:.3f} | {s:.3f} | {scaled:.2f} | {scaled / ref_seconds:.3f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="carparts,online_retail")
    parser.add_argument("--sample", type=int, default=100)
    args = parser.parse_args()
    text = "\n".join(run_set(s.strip(), args.sample) for s in args.sets.split(","))
    print(text)
    out = ROOT / "bench" / "results" / "models_each.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
