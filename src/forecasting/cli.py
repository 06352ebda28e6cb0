"""The ``forecasting`` command.

Each subcommand lives in ``forecasting/commands/<name>.py`` and exposes ``HELP`` (one line),
``add_arguments(parser)`` and ``run(args) -> int``. Command modules import heavy libraries inside
``run`` only, so ``forecasting --help`` stays instant.

Exit codes: 0 success; 1 the work ran but found problems it reports (e.g. failed notebook);
2 bad input (file, row, column or parameter named on one line, no traceback).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from forecasting import __version__
from forecasting.errors import InputError

#: subcommand → module, in the order of the flow
COMMANDS = (
    "sample",
    "validate",
    "ingest",
    "history",
    "forecast",
    "backtest",
    "plan",
    "simulate",
    "produce",
    "report",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="forecasting",
        description="Demand forecasts, FBA replenishment and factory production plans "
        "from Amazon exports.",
    )
    parser.add_argument("--version", action="version", version=f"forecasting {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        mod = importlib.import_module(f"forecasting.commands.{name}")
        p = sub.add_parser(name, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(p)
        p.set_defaults(_module=mod)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args._module.run(args) or 0)
    except InputError as exc:
        print(f"forecasting {args.command}: error: {exc.one_line()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"forecasting {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
