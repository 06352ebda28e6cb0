"""Benchmark of ``forecasting sample``: time per stage, and against a gzip-level-9 reference run.

Run: ``.venv/bin/python bench/bench_sample.py``. The reference run is the same generator with
``gzip`` compression level 9 (the first version's setting); the ratio shows what level 6 buys.
Results are recorded in ``bench/README.md`` (section "Sample generator").
"""

from __future__ import annotations

import gzip
import io
import tempfile
import time
from pathlib import Path

from forecasting.sample import ads, exports, formats, orders, planning_report
from forecasting.sample.world import build_world

STAGES = [
    (
        "products + factory stock",
        lambda w: (exports.write_products(w), exports.write_factory_stock(w)),
    ),
    ("business reports", exports.write_business_reports),
    ("ledger", exports.write_ledger),
    ("truth", exports.write_truth),
    ("orders", orders.write_orders),
    ("returns", orders.write_returns),
    ("inventory planning", planning_report.write_inventory_planning),
    ("ads", ads.write_ads),
]


def run(out: Path) -> dict[str, float]:
    """Seconds per stage (CPU-bound; wall clock)."""
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    world = build_world(out, seed=7)
    times["simulation (build_world)"] = time.perf_counter() - t0
    for name, stage in STAGES:
        t0 = time.perf_counter()
        stage(world)
        times[name] = time.perf_counter() - t0
    times["total"] = sum(times.values())
    return times


def _level9(path: Path, text: str, encoding: str = "utf-8", *, gz: bool = False) -> None:
    data = text.encode(encoding)
    path.parent.mkdir(parents=True, exist_ok=True)
    if gz:
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as f:
            f.write(data)
        data = buf.getvalue()
    path.write_bytes(data)


def main() -> None:
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        current = run(Path(a))
        size = sum(p.stat().st_size for p in Path(a).rglob("*") if p.is_file())
        original = formats.write_text
        formats.write_text = _level9  # the writers call formats.write_text at run time
        try:
            reference = run(Path(b))
        finally:
            formats.write_text = original
        size9 = sum(p.stat().st_size for p in Path(b).rglob("*") if p.is_file())
    print(f"{'stage':28s} {'level 6 (s)':>12s} {'level 9 (s)':>12s} {'ratio':>7s}")
    for name in current:
        print(
            f"{name:28s} {current[name]:12.2f} {reference[name]:12.2f} "
            f"{reference[name] / max(current[name], 1e-9):7.2f}"
        )
    print(f"size: level 6 {size / 1e6:.2f} MB, level 9 {size9 / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
