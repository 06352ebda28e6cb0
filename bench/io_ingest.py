"""Benchmark: reading the bundled sample exports and building the history store.

Reference: a bare ``pandas.read_csv(dtype=str)`` of every file with its encoding and delimiter
given (no header mapping, no parsing of numbers/dates, no quarantine), run in the same script.
Ours: ``read_export`` of every file (detection, alias mapping, parsing, quarantine), the store
build (``build_store``: one DuckDB transaction with dedupe) and ``Store.sales()``.

Run: ``.venv/bin/python bench/io_ingest.py [--repeat 3]``; results go to ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from pathlib import Path

import pandas as pd

from forecasting.io import expand_paths, read_export
from forecasting.io.sources import open_sources
from forecasting.io.store import Store, build_store
from forecasting.paths import SAMPLE_DIR


def _data(path: Path) -> bytes:
    (source,), _ = open_sources(path)  # the sample has no multi-export archives
    return source.data


def _bare_read(path: Path) -> int:
    data = _data(path)
    encoding = "cp932" if "_JP_" in path.name and "BusinessReport" in path.name else "utf-8-sig"
    text = data.decode(encoding)
    first = text[: text.find("\n")]
    sep = "\t" if "\t" in first else (";" if first.count(";") > first.count(",") else ",")
    return len(pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False))


def _timed(fn: object) -> tuple[float, float, object]:
    w, c = time.perf_counter(), time.process_time()
    out = fn()  # type: ignore[operator]
    return time.perf_counter() - w, time.process_time() - c, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = expand_paths([SAMPLE_DIR])
    rows = sum(_bare_read(f) for f in files)
    size = sum(len(_data(f)) for f in files) / 1e6
    print(f"{len(files)} files, {rows} data rows, {size:.1f} MB uncompressed")
    best: dict[str, tuple[float, float]] = {}
    for _ in range(args.repeat):
        results = {
            "bare read_csv (reference)": _timed(lambda: [_bare_read(f) for f in files]),
            "read_export (ours)": _timed(lambda: [read_export(f) for f in files]),
        }
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "store.duckdb"
            results["build_store (read + ingest)"] = _timed(
                lambda db=db: build_store(files, db, root=SAMPLE_DIR)
            )
            results["re-ingest same files (all duplicates)"] = _timed(
                lambda db=db: build_store(files, db, root=SAMPLE_DIR)
            )
            results["Store.sales()"] = _timed(lambda db=db: Store(db).sales())
        for name, (wall, cpu, _) in results.items():
            if name not in best or wall < best[name][0]:
                best[name] = (wall, cpu)
    ref = best["bare read_csv (reference)"][0]
    print(f"{'step':42s} {'wall s':>8s} {'cpu s':>8s} {'× ref':>7s}")
    for name, (wall, cpu) in best.items():
        print(f"{name:42s} {wall:8.2f} {cpu:8.2f} {wall / ref:7.1f}")


if __name__ == "__main__":
    main()
