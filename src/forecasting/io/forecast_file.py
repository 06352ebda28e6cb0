"""A forecast file the planner supplies (``forecasting plan --forecast FILE.csv``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from forecasting.errors import InputError
from forecasting.schema import DATE, MARKETPLACE, SKU, validate_forecast
from forecasting.spreadsheet import read_csv


def read_forecast_csv(path: str | Path) -> pd.DataFrame:
    """Read a daily forecast CSV (``sku, marketplace, date, model, mean, p10 … p90``, units per
    day); a missing ``model`` column becomes ``given``.

    Raises
    ------
    InputError
        Missing or unreadable file, missing ``date`` column, a cell that is not a date (naming its row) or a
        forecast that breaks the contract (:func:`forecasting.schema.validate_forecast`).
    """
    p = Path(path)
    df = read_csv(p, "forecast file", dtype={SKU: str, MARKETPLACE: str})
    if DATE not in df.columns:
        raise InputError("missing column", file=p, column=DATE)
    dates = pd.to_datetime(df[DATE], errors="coerce")
    if dates.isna().any():
        row = int(dates.isna().to_numpy().nonzero()[0][0]) + 2
        raise InputError(f"not a date: {df[DATE].iloc[row - 2]!r}", file=p, row=row, column=DATE)
    df[DATE] = dates
    if "model" not in df.columns:
        df["model"] = "given"
    try:
        validate_forecast(df, quantiles=(0.1, 0.5, 0.9))
    except InputError as exc:
        raise InputError(exc.message, file=p, column=exc.column) from None
    return df
