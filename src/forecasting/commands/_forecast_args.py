"""Arguments and input reading shared by ``forecasting forecast`` and ``forecasting backtest``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from forecasting.backtest.windows import DEFAULT_WINDOWS
from forecasting.errors import InputError

if TYPE_CHECKING:  # pandas and the orchestrator load only when a command runs
    import pandas as pd

    from forecasting.backtest import ForecastRun


def add_forecast_arguments(parser: argparse.ArgumentParser) -> None:
    """``--input --horizon --freq --quantiles --models --backend --jobs --windows --progress``."""
    parser.add_argument("--input", type=Path, required=True, metavar="FILE",
                        help="long CSV: sku,[marketplace],date,units,[in_stock],[promo]")  # fmt: skip
    parser.add_argument("--horizon", type=int, required=True, metavar="H",
                        help="periods to forecast (days, weeks or months by the calendar)")  # fmt: skip
    parser.add_argument("--freq", choices=["D", "W", "M"], default=None,
                        help="calendar: D, W (Monday weeks) or M (months); default: from the dates")  # fmt: skip
    parser.add_argument("--quantiles", default="0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9",
                        help="quantile levels, comma-separated, each in (0, 1)")  # fmt: skip
    parser.add_argument("--models", default="auto",
                        help="auto (by demand class) or model aliases, comma-separated")  # fmt: skip
    parser.add_argument("--backend", choices=["local", "dask"], default="local",
                        help="run in this machine's processes or on Dask")  # fmt: skip
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="worker processes (-1 = all CPUs)")  # fmt: skip
    parser.add_argument("--windows", type=int, default=DEFAULT_WINDOWS, metavar="N",
                        help=f"rolling-origin backtest windows (default {DEFAULT_WINDOWS}; fewer, "
                        "or none, when the history is too short: a note says so)")  # fmt: skip
    parser.add_argument("--progress", action="store_true",
                        help="progress bar on stderr even when it is not a terminal")  # fmt: skip


def parse_quantiles(text: str) -> tuple[float, ...]:
    """``"0.1,0.5,0.9"`` → ``(0.1, 0.5, 0.9)``; InputError naming the bad value."""
    out = []
    for part in text.split(","):
        try:
            q = float(part)
        except ValueError:
            raise InputError(f"--quantiles: {part!r} is not a number") from None
        if not 0.0 < q < 1.0:
            raise InputError(f"--quantiles: quantile {q} is outside (0, 1)")
        out.append(q)
    return tuple(sorted(set(out)))


def read_history(path: Path) -> pd.DataFrame:
    """Read the long history CSV (keys as text); InputError when missing or unreadable."""
    import pandas as pd

    if not path.is_file():
        raise InputError("file not found", file=path)
    try:
        return pd.read_csv(path, dtype={"sku": str, "marketplace": str})
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read as CSV: {exc}".splitlines()[0], file=path) from None


def run_auto(args: argparse.Namespace) -> ForecastRun:
    """Read the input and run :func:`forecasting.backtest.auto_forecast` with the CLI options."""
    from forecasting.backtest import BacktestSettings, ComputeSettings, auto_forecast
    from forecasting.engine import show_progress

    history = read_history(args.input)
    if args.windows < 1:
        raise InputError(f"--windows must be at least 1, got {args.windows}")
    try:
        return auto_forecast(
            history,
            args.horizon,
            freq=args.freq,
            quantiles=parse_quantiles(args.quantiles),
            models=args.models,
            backtest=BacktestSettings(n_windows=args.windows),
            compute=ComputeSettings(
                jobs=args.jobs,
                backend=args.backend,
                progress=True if args.progress else show_progress(None),
            ),
            file=args.input,
        )
    except InputError as exc:
        if exc.file is None:
            exc = InputError(exc.message, file=args.input, row=exc.row, column=exc.column)
        raise exc from None


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Write a frame as CSV with ISO dates and 4 decimals (byte-identical for the same input);
    formula-like text is neutralised (:mod:`forecasting.spreadsheet`)."""
    from forecasting.spreadsheet import write_csv as write_spreadsheet_csv

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_spreadsheet_csv(df, path, index=False, date_format="%Y-%m-%d", float_format="%.4f")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", file=path) from None
