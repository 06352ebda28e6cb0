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
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from golden import GOLDEN, golden_differences

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
    """One run's output folder and cache folder."""

    out: Path
    cache: Path


def _run(folder: Path, name: str) -> Run:
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
    return Run(out, cache)


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


def run_differences(a: Path, b: Path, expected: Sequence[str] = tuple(EXPECTED)) -> list[str]:
    """What differs between two runs' output folders, one line each ([] = byte-identical).

    Every file of either folder is compared; a file of ``expected`` missing or empty in ``a`` is
    a difference too. CSV differences show the first differing lines, workbook differences the
    cells (or that only the file around the cells differs).
    """
    files_a, files_b = _files(a), _files(b)
    out = [f"{name}: not written" for name in expected if name not in files_a]
    out += [f"{name}: only in run a" for name in files_a if name not in files_b]
    out += [f"{name}: only in run b" for name in files_b if name not in files_a]
    for name in sorted(set(files_a) & set(files_b)):
        data_a, data_b = (a / name).read_bytes(), (b / name).read_bytes()
        if name in expected and not data_a:
            out.append(f"{name}: empty")
        if data_a == data_b:
            continue
        if name.endswith(".xlsx"):
            cells = xlsx_cell_differences(a / name, b / name)
            detail = "\n".join(cells[:10]) if cells else "same cells, the file around them differs"
        else:
            detail = first_text_difference(data_a, data_b, name)
        out.append(f"{name} differs:\n{detail}")
    return out


# --- the two runs: one test, so pytest-xdist runs them once, on one worker -------------------
def test_two_runs_on_the_same_input_give_byte_identical_files(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    base = tmp_path_factory.mktemp("determinism")
    runs = {name: _run(base / name, name) for name in RUNS}  # one after the other
    for name, run in runs.items():  # each computed its own forecast and plan
        stages = {p.name.split("-")[0] for p in (run.cache / "pipeline").glob("*.pkl")}
        assert {"forecast", "replenishment"} <= stages, f"run {name} computed only {stages}"
        # a plan loaded from the run's cache writes the same files as the computed one
        cached = run_differences(run.out / "plan", run.out / "plan-from-cache", expected=())
        assert _files(run.out / "plan"), f"run {name} wrote no plan"
        assert not cached, f"run {name}, cached vs computed plan:\n" + "\n".join(cached)
    differences = run_differences(runs["a"].out, runs["b"].out)
    assert not differences, "two runs on the same input differ:\n" + "\n".join(differences)
    moved = golden_differences(runs["a"].out)  # … and the same as before the last refactor
    assert not moved, (
        "the sample's outputs moved from the reference (tests/golden.py says how to update it "
        "when a change is meant to move figures):\n" + "\n".join(moved)
    )


# --- the comparisons themselves can fail ----------------------------------------------------
def test_the_reference_comparison_reports_a_moved_figure(tmp_path: Path) -> None:
    import gzip
    import hashlib

    out = tmp_path / "out"
    for ref in GOLDEN.rglob("*.gz"):  # the reference itself passes …
        target = out / ref.relative_to(GOLDEN).with_suffix("")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(gzip.decompress(ref.read_bytes()))
    history = out / "history.csv"
    history.write_bytes(b"sku\n")
    moved = golden_differences(out)
    assert moved == ["history.csv: differs from the reference (SHA-256)"]
    assert hashlib.sha256(b"sku\n").hexdigest() not in (GOLDEN / "history.csv.sha256").read_text()
    shipments = out / "plan/shipments.csv"
    lines = shipments.read_text().splitlines()
    cells = lines[1].split(",")
    units = cells.index(next(c for c in reversed(cells) if c.isdigit()))
    cells[units] = str(int(cells[units]) + 5)  # … one shipment 5 units bigger does not
    shipments.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n")
    (out / "choice.csv").unlink()
    text = "\n".join(golden_differences(out))
    assert "plan/shipments.csv line 2" in text and "choice.csv: not written" in text
    # a number one unit off in its last printed digit is float noise across machines, not a move
    from golden import _line_close

    assert _line_close("A,1.2345,7", "A,1.2346,7") and not _line_close("A,1.2345,7", "A,1.2347,7")
    assert not _line_close("A,10,7", "A,11,7")  # whole units must match exactly


def test_the_comparisons_report_what_differs(tmp_path: Path) -> None:
    from forecasting.planning.excel import write_workbook

    frame = pd.DataFrame({"sku": ["A", "B"], "units": [3, 4]})
    a, b = tmp_path / "a", tmp_path / "b"
    for name in EXPECTED:  # two identical runs …
        for run in (a, b):
            (run / name).parent.mkdir(parents=True, exist_ok=True)
            if name.endswith(".xlsx"):
                write_workbook({"plan": frame}, run / name)
            else:
                (run / name).write_bytes(b"sku,units\nA,3\nB,4\n")
        if name == EXPECTED[0]:
            time.sleep(2.1)  # a clock reading in a workbook (zip times: 2 s steps) would show
    assert run_differences(a, b) == []
    # … then one changed CSV value, one changed cell, one missing file, one extra file
    (b / "forecast.csv").write_bytes(b"sku,units\nA,3\nB,5\n")
    write_workbook({"plan": frame.assign(units=[3, 5])}, b / "plan/replenishment.xlsx")
    (b / "choice.csv").unlink()
    (b / "stray.csv").write_bytes(b"x\n")
    text = "\n".join(run_differences(a, b))
    assert "-B,4" in text and "+B,5" in text
    assert "plan!R3C2: 4 vs 5" in text
    assert "choice.csv: only in run a" in text and "stray.csv: only in run b" in text
    assert "history.csv" not in text
    assert run_differences(b, a)[0] == "choice.csv: not written"
