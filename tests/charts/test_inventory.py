"""The inventory path chart: draws the projection's band, arrivals and fee lines; never shows."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from forecasting.charts.inventory import inventory_path_chart


def projection() -> pd.DataFrame:
    dates = pd.date_range("2026-11-23", periods=30)
    parts = []
    for mp in ("US", "DE"):
        p50 = pd.Series(range(30, 0, -1), dtype=float)
        parts.append(
            pd.DataFrame(
                {"sku": "A", "marketplace": mp, "date": dates, "p10": p50 - 5, "p50": p50,
                 "p90": p50 + 5, "arrivals": [0.0] * 29 + [40.0], "lilf_min_units": 28.0,
                 "aged_limit_units": 180.0}
            )
        )  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def test_draws_one_series_with_all_layers():
    fig = inventory_path_chart(projection(), sku="A", marketplace="DE", lang="en")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == "A · DE"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "planned arrival" in labels and "low-inventory fee line (28 days)" in labels
    assert len(ax.lines) == 3  # P50, LILF line, ageing line
    assert len(ax.collections) == 2  # band + arrival markers


def test_defaults_and_empty():
    fig = inventory_path_chart(projection())  # first series, Chinese labels
    assert fig.axes[0].get_title() == "A · US"
    assert fig.axes[0].get_ylabel() == "FBA 在库（件）"
    assert inventory_path_chart(projection().iloc[:0]).axes[0].get_title() == ""
