"""Tables as the reports show them: translated headers, no index, dates as days, tidy numbers.

A pandas :class:`~pandas.io.formats.style.Styler` renders to plain HTML in the notebook and in the
exported report, so tables need no extra library. Text from data never becomes markup: every cell
and every header is HTML-escaped (``<script>`` in a SKU is shown as the text ``<script>``).
CSV files written by :func:`save_table` guard formula-like text (:mod:`forecasting.spreadsheet`).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from forecasting.reports.i18n import column_label, value_label
from forecasting.spreadsheet import write_csv


def show_table(
    frame: pd.DataFrame,
    lang: str = "zh",
    *,
    percent: Sequence[str] = (),
    decimals: int = 1,
    max_rows: int | None = None,
    translate: Sequence[str] = (),
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
    translate : sequence of str
        Columns of codes (e.g. ``zone``) shown by their label ``<column>.<code>`` in ``lang``.
    """
    data = frame.head(max_rows) if max_rows is not None else frame
    data = data.reset_index(drop=True)
    for col in translate:
        data[col] = data[col].map(lambda v, c=col: value_label(c, v, lang))
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
            finite = series[np.isfinite(series.to_numpy(dtype=float))]
            whole = len(finite) > 0 and bool((finite == finite.round()).all())
            formats[col] = "{:,.0f}" if whole else f"{{:,.{decimals}f}}"
        elif pd.api.types.is_integer_dtype(series):
            formats[col] = "{:,}"
    styler = data.style.format(formats, na_rep="", escape="html")  # type: ignore[arg-type]
    styler = styler.hide(axis="index")
    labels = [html.escape(column_label(str(c), lang)) for c in data.columns]  # headers too
    return styler.relabel_index(labels, axis="columns")


def save_table(frame: pd.DataFrame, output_dir: str | Path | None, filename: str) -> Path | None:
    """Write ``frame`` as UTF-8 CSV (with BOM, so Excel opens Chinese text) into ``output_dir``.

    Returns the path, or None when ``output_dir`` is None (an interactive run without an output
    folder). Floats are written with up to 6 decimals so reruns give byte-identical files.
    """
    if output_dir is None:
        return None
    path = Path(output_dir) / filename
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    write_csv(
        frame, tmp, index=False, encoding="utf-8-sig", float_format="%.6g", date_format="%Y-%m-%d"
    )
    tmp.replace(path)
    return path
