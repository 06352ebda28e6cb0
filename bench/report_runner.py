"""Benchmark of `forecasting report`: time per notebook, against a bare kernel round trip.

Runs, on the bundled sample (store built first, outside the timings):

1. reference: a 2-cell notebook (parameters + one print) through the same runner — kernel start,
   papermill, HTML export and index, i.e. the fixed cost every report pays;
2. each notebook of the reports area (01 data health, 05 inventory & ads) alone;
3. the tiny notebook + 01 + 05 with ``jobs=1`` and ``jobs=2``.

Prints a Markdown table (wall seconds, CPU seconds of this process and its kernels, ratio to the
reference) for ``bench/README.md``. Usage: ``.venv/bin/python bench/report_runner.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from forecasting.io.store import open_store
from forecasting.paths import NOTEBOOKS_DIR
from forecasting.reports.runner import run_reports

AREA_NOTEBOOKS = ["01_data_health.ipynb", "05_inventory_ads.ipynb"]


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _tiny(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('lang = "zh"\nstore = None\nsettings = None')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("print(lang)")]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
    path = folder / "00_tiny.ipynb"
    nbformat.write(nb, path)
    return path


def _timed(notebooks: list[Path], work: Path, jobs: int = 1) -> tuple[float, float, dict]:
    folder = work / f"nb-{time.perf_counter_ns()}"
    folder.mkdir()
    for nb in notebooks:
        shutil.copy(nb, folder / nb.name)
    t0, c0 = time.perf_counter(), _cpu()
    run = run_reports(notebooks_dir=folder, out_dir=work / "out", jobs=jobs)
    per = {nb.name: nb.seconds for nb in run.notebooks}
    return time.perf_counter() - t0, _cpu() - c0, per


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2, help="best of N (default 2)")
    args = parser.parse_args()
    open_store()  # build / refresh the sample store outside the timings
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        tiny = _tiny(work)
        area = [NOTEBOOKS_DIR / n for n in AREA_NOTEBOOKS if (NOTEBOOKS_DIR / n).exists()]
        cases = [("tiny notebook (reference)", [tiny], 1)]
        cases += [(p.stem, [p], 1) for p in area]
        cases += [("tiny + 01 + 05, jobs=1", [tiny, *area], 1)]
        cases += [("tiny + 01 + 05, jobs=2", [tiny, *area], 2)]
        rows = []
        for label, notebooks, jobs in cases:
            best = min(
                (_timed(notebooks, work, jobs) for _ in range(args.repeat)), key=lambda r: r[0]
            )
            rows.append((label, *best))
            print(f"{label}: {best[0]:.1f} s wall, {best[1]:.1f} s CPU", file=sys.stderr)
    ref = rows[0][1]
    load = os.getloadavg()[0]
    print(f"\nbest of {args.repeat}; load average {load:.1f} on {os.cpu_count()} cores\n")
    print("| run | wall (s) | CPU (s) | wall ÷ reference |")
    print("|---|---:|---:|---:|")
    for label, wall, cpu, _ in rows:
        print(f"| {label} | {wall:.1f} | {cpu:.1f} | {wall / ref:.1f} |")


if __name__ == "__main__":
    main()
