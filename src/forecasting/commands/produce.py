"""`forecasting produce`: the factory production plan within capacity (CSV + Excel)."""

from __future__ import annotations

import argparse
from pathlib import Path

from forecasting.commands import add_lang_argument, add_settings_argument, add_store_argument
from forecasting.planning.production.model import DEFAULT_TIME_LIMIT

HELP = (
    "factory production plan within line capacity: schedule, utilisation, shortfalls (CSV + Excel)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--store``, ``--settings``, ``--shipments FILE.csv``, ``--what-if``, ``--weeks``,
    ``--method``, ``--objective``, ``--time-limit``, ``--seed``, ``--output DIR``, ``--lang``."""
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
        default="lp",
        help="lp (default): LP relaxation + rounding repair, the same plan on every run; auto: "
        "independent line groups, facility-location MIPs, dive and sub-MIPs within the time "
        "limit, with a proven lower bound (far cheaper plans, but a solve stopped by the time "
        "limit can differ between runs: the status says so); mip: every group as one MIP",
    )
    parser.add_argument(
        "--objective",
        choices=("cost", "units"),
        default="cost",
        help="cost: weighted unit-weeks late + finished-goods holding + overtime (base "
        "currency); units: fewest late or short units first, then that cost",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=DEFAULT_TIME_LIMIT,
        metavar="SECONDS",
        help=f"budget per plan, each what-if gets the same ({DEFAULT_TIME_LIMIT:g}); the same "
        "budget and seed give the same plan unless a wall-clock cap was hit (the status says so)",
    )
    parser.add_argument("--seed", type=int, default=0, help="solver random seed (0)")
    parser.add_argument(
        "--output",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder for schedule.csv, capacity.csv, requirements.csv, production.xlsx …",
    )
    add_lang_argument(parser)


def run(args: argparse.Namespace) -> int:
    """Plan production and write the files; print a summary and the what-if table."""
    from forecasting import pipeline
    from forecasting.errors import InputError
    from forecasting.outputs import output_folder
    from forecasting.planning.production.factory_calendar import parse_what_if
    from forecasting.planning.production.plan import SolveSettings
    from forecasting.planning.production.report import write_production_outputs
    from forecasting.planning.production.requirements import read_shipments_csv
    from forecasting.run import open_run

    output = output_folder(args.output, "--output")  # checked before the work
    what_if = parse_what_if(args.what_if) if args.what_if else None
    if args.weeks < 1:
        raise InputError(f"--weeks must be ≥ 1, got {args.weeks}")
    if not args.time_limit > 0:
        raise InputError(f"--time-limit must be > 0, got {args.time_limit}")
    variants = what_if.parts() if what_if is not None else []
    if len(variants) > 1:
        variants.append(what_if)
    given = read_shipments_csv(args.shipments) if args.shipments is not None else None
    run_ctx = open_run(args.store, args.settings)  # a bad shipments file fails before the store
    solve = SolveSettings(
        method=args.method,
        objective=args.objective,
        time_limit_seconds=args.time_limit,
        seed=args.seed,
    )
    result = pipeline.production(
        run_ctx, shipments=given, weeks=args.weeks, what_ifs=variants, solve=solve
    )
    plan, scenarios = result.plan, result.what_ifs
    if given is None:  # from the store's plan: say what its forecast could not do
        for note in pipeline.forecast(run_ctx).notes:
            print(f"note: {note}")
    scenarios = scenarios if what_if is not None else None
    try:
        paths = write_production_outputs(
            plan, output, scenarios=scenarios, lang=args.lang,
            currency=run_ctx.settings.base_currency,
        )  # fmt: skip
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", file=exc.filename or output) from None
    s = plan.summary
    print(
        f"{s['required_units']} units required: {s['on_time_units']} on time, {s['late_units']} "
        f"late, {s['short_units']} short (at least {s['forced_late_units']} late or short forced "
        f"by capacity); overtime {s['overtime_hours']} h"
    )
    print(
        f"objective ({s['objective_kind']}) {s['objective']:,.0f}, proven within {s['gap']:.1%} "
        f"of the optimum (bound {s['bound']:,.0f}); {s['method']}: {s['status']}, "
        f"{s['solve_seconds']} s"
    )
    if scenarios is not None:
        cols = ["scenario", "late_units", "short_units", "overtime_hours", "cost", "gap"]
        print(scenarios[cols].to_string(index=False))
    print(f"wrote {', '.join(str(p) for p in paths.values())}")
    return 0
