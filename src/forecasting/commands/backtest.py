"""``forecasting backtest``: per-series, per-model accuracy on rolling origins and the choice.

Writes one row per series × candidate model with ``mase, rmsse, wql, qloss, bias, coverage_80,
n_obs`` and the choice (``chosen``, ``demand_class``, ``chosen_by``, ``reason``); ``--details``
writes every backtest forecast next to the actual units. A history too short for one backtest
window writes the header only and says so (exit 0): there is nothing to score yet.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from forecasting.commands._forecast_args import add_forecast_arguments, run_auto, write_csv

HELP = "backtest candidate models per series (MASE, RMSSE, WQL, bias, coverage) and show the choice"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``forecast`` options plus ``--output`` (metrics CSV) and ``--details`` (long rows)."""
    add_forecast_arguments(parser)
    parser.add_argument("--output", type=Path, required=True, metavar="FILE",
                        help="metrics and choice CSV to write")  # fmt: skip
    parser.add_argument("--details", type=Path, default=None, metavar="FILE",
                        help="also write every backtest forecast with the actual units")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Backtest and write the CSV(s)."""
    from forecasting.outputs import output_file
    from forecasting.schema import MODEL

    args.output = output_file(args.output, "--output")  # checked before the work
    if args.details is not None:
        args.details = output_file(args.details, "--details")
    result = run_auto(args)
    keys = [c for c in ("sku", "marketplace") if c in result.choice.columns]
    choice = result.choice[[*keys, MODEL, "demand_class", "chosen_by", "reason"]]
    table = result.metrics.merge(choice.rename(columns={MODEL: "chosen_model"}), on=keys)
    table.insert(len(keys) + 1, "chosen", table[MODEL] == table.pop("chosen_model"))
    write_csv(table, args.output)
    if args.details is not None:
        write_csv(result.backtest, args.details)
    series = len(result.choice)
    scored = len(table[keys].drop_duplicates()) if len(table) else 0
    print(f"wrote {len(table)} rows ({scored} of {series} series backtested) to {args.output}")
    for note in result.notes:  # e.g. no backtest on a short history: the CSV has no rows
        print(f"note: {note}")
    return 0
