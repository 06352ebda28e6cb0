"""`forecasting plan`: the FBA replenishment plan as CSV files and a planner-friendly workbook."""

from __future__ import annotations

import argparse
from pathlib import Path

from forecasting.commands import add_lang_argument, add_settings_argument, add_store_argument

HELP = "FBA replenishment plan: what to ship where and when (CSV + Excel)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--store``, ``--settings``, ``--forecast FILE.csv``, ``--output DIR``, ``--lang``."""
    add_store_argument(parser)
    add_settings_argument(parser)
    parser.add_argument(
        "--forecast",
        type=Path,
        default=None,
        metavar="FILE.csv",
        help="daily forecast (sku, marketplace, date, model, mean, p10 … p90); "
        "default: forecast the store's sales",
    )
    parser.add_argument(
        "--output",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder for replenishment.csv, shipments.csv, projection.csv, replenishment.xlsx",
    )
    add_lang_argument(parser)


def run(args: argparse.Namespace) -> int:
    """Plan replenishment and write the files; print one summary line per marketplace."""
    from forecasting import pipeline
    from forecasting.errors import InputError
    from forecasting.io.forecast_file import read_forecast_csv
    from forecasting.outputs import output_folder
    from forecasting.planning.fba.report import summary_table, write_replenishment
    from forecasting.run import open_run

    output = output_folder(args.output, "--output")  # checked before the work
    given = read_forecast_csv(args.forecast) if args.forecast is not None else None
    run_ctx = open_run(args.store, args.settings)  # a bad forecast file fails before the store
    shown: tuple[str, ...] = ()
    if given is None:  # the weekly pipeline's (cached) forecast and plan
        demand = pipeline.forecast(run_ctx)
        plan = pipeline.replenishment(run_ctx, demand=demand)
        shown = demand.notes  # what the forecast could not do (young history, no forecast)
    else:
        plan = pipeline.replenishment(run_ctx, forecast_frame=given)
    try:
        paths = write_replenishment(plan, output, as_of=run_ctx.as_of, lang=args.lang)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", file=exc.filename or output) from None
    for r in summary_table(plan).to_dict("records"):
        print(
            f"{r['marketplace']}: {r['ship_now_series']} of {r['series']} SKUs to ship now, "
            f"{r['ship_now_units']} units; {r['stockout_before_arrival']} stockout risks, "
            f"{r['aged_stock']} ageing risks (fee table {r['fee_table']})"
        )
    for note in plan.notes:  # the forecast's caveats and the stock figures the planner must know
        if note in shown or "planning report" in note or "partial day" in note:
            print(f"note: {note}")
    print(f"wrote {', '.join(str(p) for p in paths.values())}")
    return 0
