"""``forecasting report``: run the report notebooks and publish ``reports/<as-of>/`` as HTML."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from forecasting.commands import add_settings_argument, add_store_argument

HELP = "run the report notebooks (papermill) and write HTML reports + index to reports/<as-of>/"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--params``, ``-p``, ``--out``, ``--notebooks``, ``--store``, ``--settings``."""
    parser.add_argument(
        "--params",
        type=Path,
        default=None,
        metavar="FILE.yml",
        help="YAML mapping of parameter name: value for the notebooks (plain values only: "
        "text, numbers, booleans, lists, mappings; YAML tags such as !!set are refused)",
    )
    parser.add_argument(
        "-p",
        "--parameter",
        dest="parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="one parameter (YAML scalar), e.g. -p lang=en -p horizon_days=90; repeatable; "
        "overrides --params",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="reports folder; the run goes to DIR/<as-of-date>/ (default: reports/); "
        "relative paths here, in --store, --settings and path parameters are relative to the "
        "current folder",
    )
    parser.add_argument(
        "--notebooks",
        default=None,
        metavar="01,03",
        help="run only these notebooks (comma-separated numbers or names); default: all",
    )
    parser.add_argument(
        "--notebooks-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder of the NN_*.ipynb notebooks (default: notebooks/)",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="notebooks run at once, each in its own kernel (default: 1)",
    )
    add_store_argument(parser)
    add_settings_argument(parser)


def run(args: argparse.Namespace) -> int:
    """Run the reports; 0 on success, 1 when a notebook failed (one line on stderr)."""
    from forecasting.reports import params
    from forecasting.reports.runner import NotebookFailed, run_reports

    given: dict[str, object] = {}
    if args.params is not None:
        given.update(params.read_params_file(args.params))
    given.update(params.parse_assignments(args.parameter))
    select = [s for s in args.notebooks.split(",") if s.strip()] if args.notebooks else None

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        result = run_reports(
            given,
            notebooks_dir=args.notebooks_dir,
            out_dir=args.out,
            select=select,
            store=args.store,
            settings=args.settings,
            jobs=max(1, args.jobs),
            log=log,
        )
    except NotebookFailed as exc:
        print(f"forecasting report: error: {exc}", file=sys.stderr)
        return 1
    print(
        f"{result.folder / 'index.html'} ({len(result.notebooks)} reports, {result.seconds:.1f} s)"
    )
    return 0
