"""``forecasting forecast``: probabilistic demand forecast per series from a long history CSV.

Runs :func:`forecasting.backtest.auto_forecast`: every candidate model is backtested on rolling
origins, the best one per series (or per demand class) is chosen and its calibrated quantiles are
written as ``sku,[marketplace,]date,model,mean,p10,…,p90``, one row per series and future period.
A history too short to backtest (fewer than horizon + 2 periods) is still forecast, without a
backtest, and a ``note:`` line says so.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from forecasting.commands._forecast_args import add_forecast_arguments, run_auto, write_csv

HELP = "forecast demand per series (mean + quantiles) with the model chosen on a backtest"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Input, horizon, calendar, quantiles, models, parallelism, ``--output`` and ``--choice``."""
    add_forecast_arguments(parser)
    parser.add_argument("--output", type=Path, required=True, metavar="FILE",
                        help="forecast CSV to write")  # fmt: skip
    parser.add_argument("--choice", type=Path, default=None, metavar="FILE",
                        help="also write the model choice and its evidence as CSV")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Forecast and write the CSV(s)."""
    from forecasting.outputs import output_file

    args.output = output_file(args.output, "--output")  # checked before the work
    if args.choice is not None:
        args.choice = output_file(args.choice, "--choice")
    result = run_auto(args)
    write_csv(result.forecast, args.output)
    if args.choice is not None:
        write_csv(result.choice, args.choice)
    keys = [c for c in ("sku", "marketplace") if c in result.forecast.columns]
    series = len(result.forecast[keys].drop_duplicates())
    chosen = result.choice["model"].value_counts()
    models = ", ".join(f"{name} {count}" for name, count in chosen.items())
    print(f"wrote {len(result.forecast)} rows ({series} series) to {args.output}; models: {models}")
    for note in result.notes:  # e.g. no backtest on a short history, and what was used instead
        print(f"note: {note}")
    return 0
