"""``forecasting sample``: write the realistic sample data set (real export formats)."""

from __future__ import annotations

import argparse
from pathlib import Path

from forecasting.errors import InputError

HELP = "write the deterministic sample data set in the real Amazon/ERP export formats"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--out DIR`` (default ``data/sample``) and ``--seed N`` (default 7)."""
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="output folder (default: the bundled data/sample/)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=7,
        metavar="N",
        help="random seed; the same seed gives byte-identical files (default 7)",
    )


def run(args: argparse.Namespace) -> int:
    """Generate the files and print a one-line summary."""
    import time

    from forecasting.outputs import output_folder
    from forecasting.paths import SAMPLE_DIR
    from forecasting.sample import generate_sample

    if args.seed < 0:
        raise InputError(f"--seed must be a non-negative integer, got {args.seed}")
    out = output_folder(args.out if args.out is not None else SAMPLE_DIR, "--out")
    start = time.perf_counter()
    world = generate_sample(out, seed=args.seed)
    files = [p for p in out.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    print(
        f"wrote {len(files)} files ({size / 1e6:.1f} MB) to {out}: {len(world.products)} SKUs, "
        f"{len(world.series)} SKU × marketplace series, seed {args.seed}, "
        f"{time.perf_counter() - start:.1f} s"
    )
    return 0
