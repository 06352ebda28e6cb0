"""Time the weekly commands (history, forecast, plan, produce) with a cold cache for two source trees.

    python bench/weekly_commands.py REFERENCE_SRC [CURRENT_SRC] [--rounds N]

Each round runs the reference tree, then the current tree, each in a fresh interpreter with its
own empty cache folder, so the two see the same machine load; the table gives seconds per command
and the ratio current ÷ reference. REFERENCE_SRC is a checkout's ``src`` folder (e.g. a
``git worktree add`` of an older commit).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = [
    ["history", "--output", "{out}/history.csv"],
    [
        "forecast",
        "--input",
        "{out}/history.csv",
        "--horizon",
        "28",
        "--output",
        "{out}/forecast.csv",
    ],
    ["plan", "--output", "{out}/plan"],
    ["produce", "--output", "{out}/production"],
]
DRIVER = """
import json, sys, time
from forecasting.cli import main
times = []
for argv in json.loads(sys.argv[1]):
    t0 = time.perf_counter()
    code = main(argv)
    times.append(time.perf_counter() - t0)
    if code:
        sys.exit(f"forecasting {' '.join(argv)} exited {code}")
print(json.dumps(times))
"""


def run_once(src: Path) -> list[float]:
    """Seconds per command of one cold run of the tree ``src``."""
    with tempfile.TemporaryDirectory() as tmp:
        out, cache = Path(tmp) / "out", Path(tmp) / "cache"
        out.mkdir()
        argv = [[a.format(out=out) for a in cmd] for cmd in COMMANDS]
        env = {**os.environ, "PYTHONPATH": str(src), "FORECASTING_CACHE": str(cache),
               "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}  # fmt: skip
        proc = subprocess.run(
            [sys.executable, "-c", DRIVER, json.dumps(argv)], env=env, cwd=tmp,
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    args = sys.argv[1:]
    rounds = int(args[args.index("--rounds") + 1]) if "--rounds" in args else 1
    paths = [a for i, a in enumerate(args) if not a.startswith("--") and args[i - 1] != "--rounds"]
    ref = Path(paths[0]).resolve()
    cur = (
        Path(paths[1]).resolve() if len(paths) > 1 else Path(__file__).resolve().parents[1] / "src"
    )
    results: dict[str, list[list[float]]] = {"reference": [], "current": []}
    load = os.getloadavg()[0]
    for _ in range(rounds):
        results["reference"].append(run_once(ref))
        results["current"].append(run_once(cur))
    print(
        f"run {time.strftime('%Y-%m-%d %H:%M')} UTC, load average at start {load:.1f}, {rounds} round(s)"
    )
    print("| command | reference (s) | current (s) | current ÷ reference |")
    print("|---|---:|---:|---:|")
    names = [c[0] for c in COMMANDS] + ["total"]
    for i, name in enumerate(names):
        pick = (lambda r: sum(r)) if name == "total" else (lambda r, i=i: r[i])
        a = statistics.median(pick(r) for r in results["reference"])
        b = statistics.median(pick(r) for r in results["current"])
        print(f"| {name} | {a:.1f} | {b:.1f} | {b / a:.2f} |")


if __name__ == "__main__":
    main()
