"""``forecasting simulate``: replay a demand history under replenishment policies (policy backtest).

Reads a long history CSV (``sku,[marketplace,]date,units[,in_stock]``), replays it under the
``forecast``, ``velocity`` and ``days_of_supply`` policies (see
:mod:`forecasting.planning.simulation.replay`) and writes one row per policy × parameter × series:
``policy,param,sku,units_demanded,units_served,fill_rate,stockout_days,avg_on_hand,aged_units,fees``.

Durations (``--lead-time``, ``--lead-time-sd``, ``--review-period``, ``--cover``) are days, or
weeks / months with a ``w`` / ``m`` suffix (``2m`` = 60.9 days); they are rounded to whole periods
of the calendar (``--freq M``: ``--lead-time 2m --review-period 1m``). A marketplace is folded into
``sku`` as ``sku@marketplace``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from forecasting.commands._forecast_args import read_history, write_csv
from forecasting.errors import InputError

HELP = "replay demand history under replenishment policies: fill rate vs stock held and fees"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Input, calendar, lead time, review, service level, policies, sweep, fees, output."""
    parser.add_argument("--input", type=Path, required=True, metavar="FILE",
                        help="long CSV: sku,[marketplace],date,units,[in_stock]")  # fmt: skip
    parser.add_argument("--freq", choices=["D", "W", "M"], default=None,
                        help="calendar: D, W or M; daily input is summed (default: the input's)")  # fmt: skip
    parser.add_argument("--lead-time", required=True, metavar="DAYS",
                        help="mean lead time: days, or e.g. 3w / 2m")  # fmt: skip
    parser.add_argument("--lead-time-sd", default="0", metavar="DAYS",
                        help="standard deviation of the lead time (default 0: fixed)")  # fmt: skip
    parser.add_argument("--review-period", required=True, metavar="DAYS",
                        help="days between orders, or e.g. 1w / 1m")  # fmt: skip
    parser.add_argument("--service-level", type=float, default=0.95, metavar="P",
                        help="target fill rate of the forecast policy (default 0.95; a cycle "
                        "service level when --correlation is given)")  # fmt: skip
    parser.add_argument("--cover", default=None, metavar="DAYS",
                        help="cover of the velocity / days_of_supply rules "
                        "(default 1.5 × (lead time + review))")  # fmt: skip
    parser.add_argument("--policies", default="forecast,velocity,days_of_supply",
                        help="comma-separated: forecast, velocity, days_of_supply")  # fmt: skip
    parser.add_argument("--sweep", action="store_true",
                        help="run each policy over a range of its parameter "
                        "(service level 0.80-0.99; cover 0.75-3.5 × (lead time + review))")  # fmt: skip
    parser.add_argument("--model", default="empirical",
                        help="forecast model of the forecast policy (default empirical)")  # fmt: skip
    parser.add_argument("--correlation", type=float, default=None, metavar="RHO",
                        help="correlation of forecast errors between periods, 0-1 "
                        "(default: calibrated on past reviews)")  # fmt: skip
    parser.add_argument("--warmup", type=int, default=None, metavar="PERIODS",
                        help="periods used only to warm up (default: 1 year or a third)")  # fmt: skip
    parser.add_argument("--unit-volume-cuft", type=float, default=None, metavar="CUFT",
                        help="volume of one unit in cubic feet (default 0.2)")  # fmt: skip
    parser.add_argument("--size-tier", default="large_standard_3lb",
                        choices=["small_standard", "large_standard_3lb", "large_standard_20lb",
                                 "oversize"],
                        help="Amazon size tier for storage and low-inventory fees")  # fmt: skip
    parser.add_argument("--fee-table", default="amazon-us-2026",
                        help="fee table name or YAML path (default amazon-us-2026)")  # fmt: skip
    parser.add_argument("--holding-cost", type=float, default=0.0, metavar="MONEY",
                        help="holding cost per unit per year added to fees (default 0)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=0, help="seed of the lead-time draws")
    parser.add_argument("--output", type=Path, required=True, metavar="FILE",
                        help="results CSV to write")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Simulate and write the CSV."""
    from forecasting.models.registry import available_models
    from forecasting.outputs import output_file
    from forecasting.planning.fees import load_fee_table
    from forecasting.planning.simulation.fees import DEFAULT_UNIT_VOLUME_CUFT, FeeAssumptions
    from forecasting.planning.simulation.replay import (
        LeadTime,
        ReplaySettings,
        ReviewPolicy,
        parse_duration_days,
        simulate_policies,
    )

    args.output = output_file(args.output, "--output")  # checked before the work
    if args.model not in available_models():
        raise InputError(
            f"--model: unknown model {args.model!r}; available: {', '.join(available_models())}"
        )
    volume = DEFAULT_UNIT_VOLUME_CUFT if args.unit_volume_cuft is None else args.unit_volume_cuft
    if volume <= 0:
        raise InputError(f"--unit-volume-cuft must be > 0, got {volume}")
    if args.holding_cost < 0:
        raise InputError(f"--holding-cost must be ≥ 0, got {args.holding_cost}")
    correlation = args.correlation
    if correlation is not None and not 0 <= correlation <= 1:
        raise InputError(f"--correlation must be in [0, 1], got {correlation}")
    fees = FeeAssumptions(
        table=load_fee_table(args.fee_table),
        unit_volume_cuft=volume,
        size_tier=args.size_tier,
        holding_cost=args.holding_cost,
    )
    history = read_history(args.input)
    try:
        lead_time = LeadTime(
            mean_days=parse_duration_days(args.lead_time, name="--lead-time"),
            sd_days=parse_duration_days(args.lead_time_sd, name="--lead-time-sd"),
        )
        review_days = parse_duration_days(args.review_period, name="--review-period")
        cover = None if args.cover is None else parse_duration_days(args.cover, name="--cover")
        replay = ReplaySettings(
            policies=[p.strip() for p in args.policies.split(",") if p.strip()],
            sweep=args.sweep,
            warmup_periods=args.warmup,
            seed=args.seed,
        )
        review = ReviewPolicy(
            review_period_days=review_days,
            service_level=args.service_level,
            cover_days=cover,
            model=args.model,
            correlation=correlation,
        )
        result = simulate_policies(
            history,
            lead_time=lead_time,
            review=review,
            fees=fees,
            replay=replay,
            freq=args.freq,
            file=args.input,
        )
    except InputError as exc:
        if exc.file is None and exc.column is None:
            exc = InputError(exc.message, file=args.input, row=exc.row)
        raise exc from None
    write_csv(result, args.output)
    for note in result.attrs.get("notes", []):  # e.g. a history shorter than the lead time
        print(f"note: {note}")
    return 0
