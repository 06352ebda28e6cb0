"""Same input, same output: two runs of the weekly commands on the sample give byte-identical files.

Each run is its own process with its own empty cache folder (``FORECASTING_CACHE``), so the second
run recomputes everything — the sample store, the backtested forecast (``auto``: Prophet, ETS,
the intermittent models …), the replenishment plan and the production plan — instead of loading
the first run's results (a plan loaded from a run's own cache must write the same files as the
computed one). The runs are made one after the other (tens of seconds apart, so a clock reading
in a file shows) and differ in everything that must not change a number: the hash seed (the
order of sets and dicts of strings), the time zone, the working directory and the forecast's
worker processes (1 vs 2). CSV files must match byte for byte; so must the Excel workbooks
(their zip and document dates are fixed; if they ever differ, the failure says whether a cell
changed or only the file around the cells).
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import forecasting

#: the commands of one run (``{out}``: the run's output folder, ``{jobs}``: forecast workers)
COMMANDS = [
    ["history", "--output", "{out}/history.csv"],
    ["forecast", "--input", "{out}/history.csv", "--horizon", "28", "--jobs", "{jobs}",
     "--output", "{out}/forecast.csv", "--choice", "{out}/choice.csv"],
    ["plan", "--output", "{out}/plan"],
    ["produce", "--what-if", "add_shift=L1,overtime=off", "--output", "{out}/production"],
    ["plan", "--output", "{out}/plan-from-cache"],  # the same plan, loaded from the run's cache
]  # fmt: skip
#: files every run must write (a command that stops writing one fails here, not silently)
EXPECTED = [
    "history.csv",
    "forecast.csv",
    "choice.csv",
    "plan/replenishment.csv",
    "plan/shipments.csv",
    "plan/projection.csv",
    "plan/replenishment.xlsx",
    "production/schedule.csv",
    "production/capacity.csv",
    "production/requirements.csv",
    "production/production.xlsx",
]
#: what differs between the two runs (and must not matter)
RUNS = {
    "a": {"PYTHONHASHSEED": "0", "TZ": "UTC", "jobs": "1"},
    "b": {"PYTHONHASHSEED": "1", "TZ": "Asia/Shanghai", "jobs": "2"},
}
#: runs one run's commands in order in a fresh interpreter; stops at the first failing one
DRIVER = """
import json, sys
from forecasting.cli import main
for argv in json.loads(sys.argv[1]):
    code = main(argv)
    if code:
        sys.exit(f"forecasting {' '.join(argv)} exited {code}")
"""
RUN_SECONDS = 900  #: one run's limit (about 40 s on the sample)


@dataclass(frozen=True)
class Run:
    """One run's output folder, cache folder and wall time (s)."""

    out: Path
    cache: Path
    seconds: float


def _run(folder: Path, name: str) -> Run:
    import json

    out, cache, cwd = folder / "out", folder / "cache", folder / "cwd"
    for p in (out, cache, cwd):
        p.mkdir(parents=True)
    spec = RUNS[name]
    argv = [[a.format(out=out, jobs=spec["jobs"]) for a in cmd] for cmd in COMMANDS]
    src = str(Path(forecasting.__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        "FORECASTING_CACHE": str(cache),
        "PYTHONHASHSEED": spec["PYTHONHASHSEED"],
        "TZ": spec["TZ"],
    }
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(argv)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
        check=False,
    )
    assert proc.returncode == 0, f"run {name} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return Run(out, cache, time.monotonic() - started)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """The two runs, made once for this module, one after the other."""
    base = tmp_path_factory.mktemp("determinism")
    return {name: _run(base / name, name) for name in RUNS}


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def first_text_difference(a: bytes, b: bytes, name: str) -> str:
    """The first differing line of two text files, as a short unified diff (for the failure)."""
    left = a.decode("utf-8", errors="replace").splitlines()
    right = b.decode("utf-8", errors="replace").splitlines()
    diff = difflib.unified_diff(left, right, f"run a/{name}", f"run b/{name}", n=0, lineterm="")
    return "\n".join(line[:200] for line in list(diff)[:8])


def xlsx_cell_differences(a: Path, b: Path) -> list[str]:
    """Cells that differ between two workbooks (sheet, cell, both values); [] when every sheet
    holds the same values and formulas."""
    wa = openpyxl.load_workbook(a, read_only=True)
    wb = openpyxl.load_workbook(b, read_only=True)
    try:
        if wa.sheetnames != wb.sheetnames:
            return [f"sheets {wa.sheetnames} vs {wb.sheetnames}"]
        out = []
        for sheet in wa.sheetnames:
            rows_a = list(wa[sheet].iter_rows(values_only=True))
            rows_b = list(wb[sheet].iter_rows(values_only=True))
            if len(rows_a) != len(rows_b):
                out.append(f"{sheet}: {len(rows_a)} vs {len(rows_b)} rows")
            for r, (ra, rb) in enumerate(zip(rows_a, rows_b, strict=False), start=1):
                for c, (va, vb) in enumerate(zip(ra, rb, strict=False), start=1):
                    if va != vb and not (pd.isna(va) and pd.isna(vb)):
                        out.append(f"{sheet}!R{r}C{c}: {va!r} vs {vb!r}")
                if len(ra) != len(rb):
                    out.append(f"{sheet} row {r}: {len(ra)} vs {len(rb)} cells")
        return out
    finally:
        wa.close()
        wb.close()


# --- the two runs --------------------------------------------------------------------------
def test_each_run_recomputed_in_its_own_cache(runs: dict[str, Run]) -> None:
    for name, run in runs.items():
        stages = {p.name.split("-")[0] for p in (run.cache / "pipeline").glob("*.pkl")}
        assert {"forecast", "replenishment"} <= stages, f"run {name} computed only {stages}"
    assert runs["a"].cache != runs["b"].cache


def test_both_runs_write_the_same_files(runs: dict[str, Run]) -> None:
    files_a, files_b = _files(runs["a"].out), _files(runs["b"].out)
    assert set(EXPECTED) <= set(files_a), f"missing: {sorted(set(EXPECTED) - set(files_a))}"
    assert files_a == files_b


@pytest.mark.parametrize("name", EXPECTED)
def test_output_is_byte_identical(runs: dict[str, Run], name: str) -> None:
    a, b = runs["a"].out / name, runs["b"].out / name
    data_a, data_b = a.read_bytes(), b.read_bytes()
    assert data_a, f"{name} is empty"
    if data_a == data_b:
        return
    if name.endswith(".xlsx"):
        cells = xlsx_cell_differences(a, b)
        detail = "\n".join(cells[:20]) if cells else "same cells; the file around them differs"
    else:
        detail = first_text_difference(data_a, data_b, name)
    pytest.fail(f"{name} differs between two runs on the same input:\n{detail}")


def test_every_other_output_is_byte_identical(runs: dict[str, Run]) -> None:
    """Files beyond EXPECTED (finished goods, shortfalls, what-if scenarios …) too."""
    others = [f for f in _files(runs["a"].out) if f not in EXPECTED]
    assert others, "the production plan writes more than EXPECTED lists"
    differ = [f for f in others if (runs["a"].out / f).read_bytes() != (runs["b"].out / f).read_bytes()]  # fmt: skip
    assert not differ, f"differ between two runs: {differ}"


def test_a_plan_loaded_from_the_cache_writes_the_same_files(runs: dict[str, Run]) -> None:
    for name, run in runs.items():
        computed, cached = run.out / "plan", run.out / "plan-from-cache"
        assert _files(computed) == _files(cached)
        differ = [f for f in _files(computed) if (computed / f).read_bytes() != (cached / f).read_bytes()]  # fmt: skip
        assert not differ, f"run {name}: cached plan differs from the computed one in {differ}"


# --- the comparisons themselves can fail ----------------------------------------------------
def test_the_comparisons_report_what_differs(tmp_path: Path) -> None:
    from forecasting.planning.excel import write_workbook

    frame = pd.DataFrame({"sku": ["A", "B"], "units": [3, 4]})
    write_workbook({"plan": frame}, tmp_path / "a.xlsx")
    time.sleep(2.1)  # a clock reading in the file (zip times count in 2 s steps) would show
    write_workbook({"plan": frame}, tmp_path / "same.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "same.xlsx").read_bytes()
    write_workbook({"plan": frame.assign(units=[3, 5])}, tmp_path / "b.xlsx")
    assert xlsx_cell_differences(tmp_path / "a.xlsx", tmp_path / "same.xlsx") == []
    assert xlsx_cell_differences(tmp_path / "a.xlsx", tmp_path / "b.xlsx") == ["plan!R3C2: 4 vs 5"]
    diff = first_text_difference(b"h\n1\n2\n", b"h\n1\n3\n", "x.csv")
    assert "-2" in diff and "+3" in diff
