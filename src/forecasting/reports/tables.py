"""Tables as the reports show them: translated headers, no index, dates as days, tidy numbers.

A pandas :class:`~pandas.io.formats.style.Styler` renders to plain HTML in the notebook and in the
exported report, so tables need no extra library.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from pandas.io.formats.style import Styler

from forecasting.reports.i18n import column_label


def show_table(
    frame: pd.DataFrame,
    lang: str = "zh",
    *,
    percent: Sequence[str] = (),
    decimals: int = 1,
    max_rows: int | None = None,
) -> Styler:
    """A display-ready table: columns labelled in ``lang``, index hidden, values formatted.

    Parameters
    ----------
    frame : DataFrame
        The table to show (not modified).
    lang : {"zh", "en"}
        Language of the column labels (:func:`~forecasting.reports.i18n.column_label`).
    percent : sequence of str
        Columns holding shares (0–1) shown as percentages.
    decimals : int
        Decimals of other float columns.
    max_rows : int, optional
        Show only the first rows.
    """
    data = frame.head(max_rows) if max_rows is not None else frame
    data = data.reset_index(drop=True)
    formats: dict[str, str | object] = {}
    for col in data.columns:
        series = data[col]
        if col in percent:
            formats[col] = "{:.1%}"
        elif pd.api.types.is_bool_dtype(series):
            formats[col] = lambda v: "" if pd.isna(v) else ("✓" if v else "✗")
        elif pd.api.types.is_datetime64_any_dtype(series):
            formats[col] = lambda v: "" if pd.isna(v) else pd.Timestamp(v).strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(series):
            formats[col] = f"{{:,.{decimals}f}}"
        elif pd.api.types.is_integer_dtype(series):
            formats[col] = "{:,}"
    styler = data.style.format(formats, na_rep="")  # type: ignore[arg-type]
    styler = styler.hide(axis="index")
    return styler.relabel_index([column_label(str(c), lang) for c in data.columns], axis="columns")
