"""`forecasting ingest FILES… --store PATH`: append exports to the history store.

Every file is read first; if any cannot be read, nothing is written (exit 2, the file named on
one line). Then all files are merged in one transaction: the same or overlapping exports again
change nothing (duplicates are counted). Prints the accounting per file:
rows in = stored + quarantined + duplicate + excluded (by rule, e.g. cancelled orders); for each
orders export the days it covers per marketplace and its stray rows outside them
(:mod:`forecasting.io.coverage`), and its partial last day.

Exit codes: 0 every row stored (or a duplicate, or excluded by rule); 1 stored, but some rows were
quarantined (listed with ``forecasting validate --store``); 2 a file cannot be read (nothing
written).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from forecasting.commands import add_store_argument
from forecasting.errors import InputError

HELP = "append exports (files or folders) to the history store, deduplicated"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """FILES, --store, --marketplace."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="export files or folders")
    add_store_argument(parser)
    parser.add_argument(
        "--marketplace", metavar="CODE", help="marketplace of files that do not say (US, DE, JP…)"
    )


def run(args: argparse.Namespace) -> int:
    """Read every file, then ingest them all in one transaction and print the accounting."""
    import pandas as pd

    from forecasting.io import expand_paths, read_exports
    from forecasting.io.coverage import coverage_notes
    from forecasting.io.store import open_store

    if args.store is None:
        raise InputError(
            "ingest needs --store PATH (the default store is rebuilt from data/sample/ and is not "
            "for your own exports)"
        )
    files = expand_paths(args.files)
    if not files:
        raise InputError("no files to ingest", file=Path(args.files[0]))
    parsed = [p for f in files for p in read_exports(f, marketplace=args.marketplace)]
    store = open_store(args.store, create=True)
    results = store.ingest(parsed)
    table = pd.DataFrame([r.__dict__ for r in results]).fillna("")
    table.columns = [c.replace("rows_", "") for c in table.columns]
    print(table.to_string(index=False))
    total = table[["in", "stored", "quarantined", "duplicate", "excluded"]].sum()
    print(
        f"{len(results)} file(s): {total['in']} rows in = {total['stored']} stored + "
        f"{total['quarantined']} quarantined + {total['duplicate']} duplicate + "
        f"{total['excluded']} excluded by rule → {store.path}"
    )
    if total["quarantined"]:
        print(f"see the quarantined rows: forecasting validate --store {store.path} "
              "--quarantine quarantine.csv")  # fmt: skip
    for p in parsed:
        if p.kind == "orders":
            for line in coverage_notes(p.file, p.extra["coverage"], p.extra["strays"]):
                print(line)
        # what a reader decided about a file: its dates contradict the convention, archive
        # members skipped as junk …
        for problem in p.problems:
            print(f"note: {Path(p.file).name}: {problem}")
        partial = p.extra.get("partial")
        for row in [] if partial is None else partial.itertuples(index=False):
            print(
                f"note: {Path(p.file).name}: {row.marketplace} {row.date:%Y-%m-%d} is partial "
                f"(export reached {row.exported_local:%H:%M} local time): its orders are kept "
                "but the day counts in full only when a later export covers it"
            )
    return 1 if total["quarantined"] else 0
