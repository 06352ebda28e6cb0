"""One module per ``forecasting`` subcommand (see :mod:`forecasting.cli`)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_store_argument(parser: argparse.ArgumentParser) -> None:
    """``--store PATH``: the history store; default is the store built from ``data/sample/``."""
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        metavar="PATH",
        help="history store (DuckDB file); default: the store built from data/sample/",
    )


def add_settings_argument(parser: argparse.ArgumentParser) -> None:
    """``--settings FILE``: settings YAML; default is ``data/sample/settings.yml``."""
    parser.add_argument(
        "--settings",
        type=Path,
        default=None,
        metavar="FILE",
        help="settings YAML (marketplaces, lead times, factory); default: data/sample/settings.yml",
    )


def add_lang_argument(parser: argparse.ArgumentParser) -> None:
    """``--lang zh|en``: language of the Excel workbook planners open (default ``en``)."""
    from forecasting.i18n import LANGS

    parser.add_argument(
        "--lang",
        choices=LANGS,
        default="en",
        help="language of the workbook's sheet names, headers and notes (en); the CSV files keep "
        "their machine column names",
    )
