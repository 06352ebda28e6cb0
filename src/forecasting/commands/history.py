"""`forecasting history --output FILE.csv`: the canonical daily sales from the store.

Columns ``sku,marketplace,date,units,revenue,currency,in_stock`` (one row per SKU × marketplace ×
day, zero-sales days filled; the rule is in :mod:`forecasting.io.sales`), ready for Excel or for
``forecasting forecast``. ``in_stock`` is true/false, empty where no ledger row exists.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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
        help="CSV to write ('-': stdout)",
    )
    parser.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="last day of every series (default: last data day)"
    )


def run(args: argparse.Namespace) -> int:
    """Write the daily sales CSV."""
    import pandas as pd

    from forecasting.io.store import open_store

    as_of = None
    if args.as_of:
        try:
            as_of = pd.Timestamp(args.as_of).date()
        except ValueError:
            raise InputError(f"--as-of '{args.as_of}' is not a date (YYYY-MM-DD)") from None
    sales = open_store(args.store).sales(as_of=as_of)
    out = sales.copy()
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    out["in_stock"] = out["in_stock"].map({True: "true", False: "false"}).fillna("")
    out["revenue"] = out["revenue"].round(2)
    if str(args.output) == "-":
        out.to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    try:
        out.to_csv(args.output, index=False, lineterminator="\n")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", file=args.output) from None
    series = sales.groupby(["sku", "marketplace"]).ngroups
    span = f"{sales['date'].min():%Y-%m-%d}..{sales['date'].max():%Y-%m-%d}" if len(sales) else "-"
    print(f"wrote {len(out)} rows ({series} series, {span}) to {args.output}")
    return 0
