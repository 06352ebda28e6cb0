"""`forecasting produce` (not yet implemented)."""

from __future__ import annotations

import argparse

from forecasting.errors import InputError

HELP = "(produce: not yet implemented)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No arguments yet."""


def run(args: argparse.Namespace) -> int:
    """Not implemented yet."""
    raise InputError("'produce' is not implemented yet")
