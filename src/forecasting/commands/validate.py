"""`forecasting validate FILES…`: check exports before ingesting them.

Per file: kind, marketplace, rows, date range, SKUs and problems (quarantined rows with their
first reasons, rows excluded by rule, file-level warnings). Folders expand to their files.
Without FILES it reports the store instead: the ingest log and the quarantine.

An orders export's stray rows (outside the days it covers, :mod:`forecasting.io.coverage`) are
listed as a problem but are not an error.

Exit codes: 0 all rows usable; 1 some rows quarantined (listed, and written with
``--quarantine FILE.csv``); 2 a file cannot be read at all (one line per file on stderr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from forecasting.commands import add_store_argument
from forecasting.errors import InputError

if TYPE_CHECKING:  # heavy imports stay inside run()
    import pandas as pd

    from forecasting.io.base import ParsedExport

HELP = "check export files (kind, rows, dates, SKUs, problems) or the store's data health"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """FILES, --store, --marketplace, --quarantine."""
    parser.add_argument("files", nargs="*", metavar="FILE", help="export files or folders")
    add_store_argument(parser)
    parser.add_argument(
        "--marketplace", metavar="CODE", help="marketplace of files that do not say (US, DE, JP…)"
    )
    parser.add_argument(
        "--quarantine", type=Path, metavar="FILE.csv", help="write the quarantined rows here"
    )


def _problems(parsed: ParsedExport) -> str:
    """One cell summing up what is wrong with a file ("ok" when nothing)."""
    out = []
    if parsed.rows_in == 0:
        out.append("no data rows")
    q = parsed.quarantine
    if len(q):
        first = q.iloc[0]
        out.append(
            f"{len(q)} quarantined (row {first['row']} '{first['column']}': {first['reason']})"
        )
    out.extend(f"{n} excluded: {reason}" for reason, n in parsed.excluded_reasons.items())
    spans = parsed.extra.get("coverage")
    if spans is not None and spans["strays"].sum():
        covers = "; ".join(f"{r.marketplace} {r.min:%Y-%m-%d}..{r.max:%Y-%m-%d}"
                           for r in spans.itertuples(index=False))  # fmt: skip
        out.append(
            f"{int(spans['strays'].sum())} stray row(s) outside the days it covers ({covers}): "
            "kept as orders, not used as sales days"
        )
    out.extend(parsed.problems)
    return "; ".join(out) or "ok"


def _write_quarantine(frame: pd.DataFrame, path: Path) -> None:
    from forecasting.spreadsheet import write_csv

    try:
        write_csv(frame, path, index=False, encoding="utf-8-sig")  # formula-like text guarded
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", file=path) from None
    print(f"wrote {len(frame)} quarantined row(s) to {path}")


def _store_report(args: argparse.Namespace) -> int:
    from forecasting.io.store import open_store

    store = open_store(args.store)
    log = store.ingest_log()
    quarantine = store.quarantine()
    cols = ["file", "kind", "marketplace", "rows_in", "rows_stored", "rows_quarantined",
            "rows_duplicate", "rows_excluded", "date_min", "date_max", "skus"]  # fmt: skip
    latest = log.drop_duplicates("file", keep="last")[cols]
    print(f"store {store.path}: {len(latest)} file(s) ingested")
    print(latest.to_string(index=False))
    print(f"{len(quarantine)} quarantined row(s)")
    if len(quarantine):
        counts = quarantine.groupby(["file", "column", "reason"]).size().rename("rows")
        print(counts.reset_index().head(20).to_string(index=False))
    if args.quarantine:
        _write_quarantine(quarantine, args.quarantine)
    return 1 if len(quarantine) else 0


def run(args: argparse.Namespace) -> int:
    """Validate the files (or the store) and print the table."""
    from forecasting.outputs import output_file

    if args.quarantine is not None:
        args.quarantine = output_file(args.quarantine, "--quarantine")  # checked first
    if not args.files:
        return _store_report(args)
    import pandas as pd

    from forecasting.io import expand_paths, read_exports
    from forecasting.io.base import QUARANTINE_COLUMNS

    rows, bad, unreadable = [], [], 0
    files: list[Path | InputError] = []
    for given in args.files:
        try:
            files.extend(expand_paths([given]))
        except InputError as exc:
            files.append(exc)
    for f in files:
        try:
            if isinstance(f, InputError):
                raise f
            exports = read_exports(f, marketplace=args.marketplace)
        except InputError as exc:
            unreadable += 1
            print(f"forecasting validate: error: {exc.one_line()}", file=sys.stderr)
            name = exc.file if isinstance(f, InputError) else str(f)
            rows.append({"file": name, "kind": "-", "problems": "unreadable: " + exc.message})
            continue
        for p in exports:  # one per member of a .zip, named archive.zip:member
            lo, hi = p.date_range
            rows.append(
                {
                    "file": p.file,
                    "kind": p.kind,
                    "marketplace": p.marketplace or "",
                    "rows": p.rows_in,
                    "dates": f"{lo:%Y-%m-%d}..{hi:%Y-%m-%d}" if lo is not None else "",
                    "skus": p.skus,
                    "problems": _problems(p),
                }
            )
            if len(p.quarantine):
                bad.append(p.quarantine)
    columns = ["file", "kind", "marketplace", "rows", "dates", "skus", "problems"]
    table = pd.DataFrame(rows, columns=columns).astype({"rows": "Int64", "skus": "Int64"})
    table = table.astype(object).where(table.notna(), "")  # counts stay whole numbers
    with pd.option_context("display.max_colwidth", 90, "display.width", 250):
        print(table.to_string(index=False))
    quarantine = pd.concat(bad, ignore_index=True) if bad else pd.DataFrame(
        columns=QUARANTINE_COLUMNS
    )  # fmt: skip
    if args.quarantine:
        _write_quarantine(quarantine, args.quarantine)
    if unreadable:
        return 2
    return 1 if len(quarantine) else 0
