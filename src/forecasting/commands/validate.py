"""`forecasting validate` (not yet implemented)."""

from __future__ import annotations

import argparse

from forecasting.errors import InputError

HELP = "(validate: not yet implemented)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No arguments yet."""


def run(args: argparse.Namespace) -> int:
    """Not implemented yet."""
    raise InputError("'validate' is not implemented yet")
