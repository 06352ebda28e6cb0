"""`forecasting produce`: the factory production plan within capacity (CSV + Excel)."""

from __future__ import annotations

import argparse
from pathlib import Path

from forecasting.commands import add_settings_argument, add_store_argument

HELP = (
    "factory production plan within line capacity: schedule, utilisation, shortfalls (CSV + Excel)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--store``, ``--settings``, ``--shipments FILE.csv``, ``--what-if``, ``--weeks``,
    ``--method``, ``--time-limit``, ``--output DIR``."""
    add_store_argument(parser)
    add_settings_argument(parser)
    parser.add_argument(
        "--shipments",
        type=Path,
        default=None,
        metavar="FILE.csv",
        help="planned shipments (sku, marketplace, mode, ship_date, arrival_date, units); "
        "default: the replenishment plan of the store",
    )
    parser.add_argument(
        "--what-if",
        default=None,
        metavar="CHANGES",
        help="factory changes to compare with the base plan, e.g. "
        "add_shift=L1,overtime=off,extra_line=L3 (each alone and all together)",
    )
    parser.add_argument(
        "--weeks", type=int, default=26, help="weeks to plan from the week after as_of (26)"
    )
    parser.add_argument(
        "--method",
        choices=("auto", "mip", "lp"),
        default="auto",
        help="auto: exact MIP for small plans, LP relaxation + repair for large ones",
    )
    parser.add_argument(
        "--time-limit", type=float, default=20.0, metavar="SECONDS", help="solver time limit"
    )
    parser.add_argument(
        "--output",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder for schedule.csv, capacity.csv, requirements.csv, production.xlsx …",
    )


def run(args: argparse.Namespace) -> int:
    """Plan production and write the files; print a summary and the what-if table."""
    from forecasting.config import load_settings
    from forecasting.errors import InputError
    from forecasting.outputs import output_folder
    from forecasting.planning.factory_calendar import parse_what_if
    from forecasting.planning.production_report import (
        production_from_store,
        write_production_outputs,
    )

    output = output_folder(args.output, "--output")  # checked before the work
    settings = load_settings(args.settings)
    what_if = parse_what_if(args.what_if) if args.what_if else None
    if args.weeks < 1:
        raise InputError(f"--weeks must be ≥ 1, got {args.weeks}")
    variants = what_if.parts() if what_if is not None else []
    if len(variants) > 1:
        variants.append(what_if)
    plan, scenarios = production_from_store(
        args.store,
        settings,
        shipments=args.shipments,
        weeks=args.weeks,
        what_ifs=variants,
        method=args.method,
        time_limit_seconds=args.time_limit,
    )
    if args.shipments is None:  # from the store's plan: say what its forecast could not do
        from forecasting import pipeline

        for note in pipeline.forecast(args.store, settings).notes:
            print(f"note: {note}")
    scenarios = scenarios if what_if is not None else None
    try:
        paths = write_production_outputs(plan, output, scenarios=scenarios)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", file=exc.filename or output) from None
    s = plan.summary
    print(
        f"{s['required_units']} units required: {s['on_time_units']} on time, {s['late_units']} "
        f"late, {s['short_units']} short; overtime {s['overtime_hours']} h "
        f"({s['method']}, {s['status']}, gap {s['mip_gap']:.1%}, {s['solve_seconds']} s)"
    )
    if scenarios is not None:
        print(scenarios[["scenario", "late_units", "short_units", "overtime_hours", "cost"]]
              .to_string(index=False))  # fmt: skip
    print(f"wrote {', '.join(str(p) for p in paths.values())}")
    return 0
