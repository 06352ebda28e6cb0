"""`forecasting history --output FILE.csv`: the canonical daily sales from the store.

Columns ``sku,marketplace,date,units,revenue,currency,in_stock`` (one row per SKU × marketplace ×
day, zero-sales days filled; the rule is in :mod:`forecasting.io.sales`), ready for ``forecasting
forecast`` or any program. ``in_stock`` is true/false, empty where no ledger row exists. It is an
exact data interchange: text is written as stored, without the spreadsheet formula guard of the
report folder's files (:mod:`forecasting.spreadsheet`).
Partial days (the last day of an export pulled during that day, not yet covered by a later
export) hold the orders known so far; the command lists them (on stderr when the CSV goes to
stdout).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from forecasting.commands import add_store_argument
from forecasting.errors import InputError

HELP = "write the daily sales history from the store as CSV"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--store, --output, --as-of."""
    add_store_argument(parser)
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        required=True,
        metavar="FILE.csv",
        help="CSV to write ('-': stdout); an exact data interchange: every cell as stored, "
        "no spreadsheet formula guard (the report folder's CSV files have one)",
    )
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="last day of every series (default: the last day every active marketplace has data)",
    )


def run(args: argparse.Namespace) -> int:
    """Write the daily sales CSV."""
    from forecasting.io.store import open_store
    from forecasting.outputs import output_file

    if str(args.output) != "-":
        args.output = output_file(args.output, "--output")  # checked before the work
    as_of = None
    if args.as_of:
        try:
            as_of = pd.Timestamp(args.as_of).date()
        except ValueError:
            raise InputError(f"--as-of '{args.as_of}' is not a date (YYYY-MM-DD)") from None
    from forecasting.io.sales import partial_day_notes

    store = open_store(args.store)
    sales = store.sales(as_of=as_of)
    partial = (
        [f"note: {n}" for n in partial_day_notes(store.partial_days(as_of))] if len(sales) else []
    )
    out = sales.copy()
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    out["in_stock"] = out["in_stock"].map({True: "true", False: "false"}).fillna("")
    out["revenue"] = out["revenue"].round(2)
    if str(args.output) == "-":
        out.to_csv(sys.stdout, index=False, lineterminator="\n")
        for line in partial:
            print(line, file=sys.stderr)
        return 0
    try:
        out.to_csv(args.output, index=False, lineterminator="\n")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", file=args.output) from None
    series = sales.groupby(["sku", "marketplace"]).ngroups
    span = f"{sales['date'].min():%Y-%m-%d}..{sales['date'].max():%Y-%m-%d}" if len(sales) else "-"
    print(f"wrote {len(out)} rows ({series} series, {span}) to {args.output}")
    if as_of is None and len(sales):
        for line in data_end_notes(store.data_end(), sales["date"].max()):
            print(line)
    for line in partial:
        print(line)
    return 0


def data_end_notes(ends: pd.DataFrame, as_of: pd.Timestamp) -> list[str]:
    """Why the default last day is what it is: one line per marketplace that ends elsewhere.

    Parameters
    ----------
    ends : DataFrame
        :meth:`forecasting.io.store.Store.data_end`.
    as_of : Timestamp
        The last day of the written series.

    Examples
    --------
    >>> ends = pd.DataFrame({"marketplace": ["DE", "JP", "US"], "active": [True, False, True],
    ...     "last_day": pd.to_datetime(["2026-11-19", "2026-11-13", "2026-11-22"])})
    >>> for line in data_end_notes(ends, pd.Timestamp("2026-11-19")):
    ...     print(line)
    note: series end 2026-11-19, the last day DE has sales data; US data to 2026-11-22 wait until every active marketplace reaches it (--as-of to override)
    note: JP sales data end 2026-11-13, more than 7 days before the newest: not waited for, its series run to 2026-11-19 with zero sales
    """
    from forecasting.io.sales import ACTIVE_DAYS

    lines = []
    bounding = ends[ends["active"] & ends["last_day"].eq(as_of)]["marketplace"].tolist()
    newer = ends[ends["last_day"] > as_of]
    if len(newer) and bounding:
        later = ", ".join(f"{m} data to {d:%Y-%m-%d}" for m, d in zip(
            newer["marketplace"], newer["last_day"], strict=True))  # fmt: skip
        lines.append(
            f"note: series end {as_of:%Y-%m-%d}, the last day {', '.join(bounding)} "
            f"{'has' if len(bounding) == 1 else 'have'} sales data; {later} wait until every "
            "active marketplace reaches it (--as-of to override)"
        )
    for m, d in zip(ends.loc[~ends["active"], "marketplace"], ends.loc[~ends["active"], "last_day"],
                    strict=True):  # fmt: skip
        lines.append(
            f"note: {m} sales data end {d:%Y-%m-%d}, more than {ACTIVE_DAYS} days before the "
            f"newest: not waited for, its series run to {as_of:%Y-%m-%d} with zero sales"
        )
    return lines
