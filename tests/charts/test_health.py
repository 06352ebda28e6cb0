"""Data-health charts draw from the data_health tables, in both languages, without warnings."""

from __future__ import annotations

import io
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from forecasting.charts import health
from forecasting.charts.style import new_axes, use_house_style
from forecasting.reports import data_health as dh


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(3)
    dates = pd.date_range("2025-01-01", "2025-06-30")
    sales = pd.concat(
        [
            pd.DataFrame(
                {
                    "sku": sku,
                    "marketplace": mkt,
                    "date": dates,
                    "units": rng.poisson(1.0, len(dates)),
                    "in_stock": pd.array(rng.random(len(dates)) > 0.1, dtype="boolean"),
                }
            )
            for sku in ["A1", "B2", "C3"]
            for mkt in ["US", "DE", "JP"]
        ],
        ignore_index=True,
    )
    log = pd.DataFrame(
        {
            "file": ["orders.csv", "ledger.csv"],
            "kind": ["orders", "ledger"],
            "rows_in": [100, 80],
            "rows_stored": [90, 80],
            "rows_quarantined": [4, 0],
            "rows_duplicate": [1, 0],
        }
    )
    quarantine = pd.DataFrame(
        {
            "file": ["orders.csv"] * 4,
            "row": [2, 3, 4, 5],
            "column": "units",
            "reason": ["negative units", "negative units", "bad date", "missing SKU"],
        }
    )
    status = dh.stock_status(sales)
    return {
        "accounting": dh.ingest_accounting(log),
        "matrix": dh.coverage_matrix(dh.coverage_by_month(sales)),
        "weekly": dh.stockouts_by_week(status),
        "summary": dh.stockout_summary(status),
        "reasons": dh.quarantine_reasons(quarantine),
    }


CHARTS = [
    (health.ingest_chart, "accounting"),
    (health.coverage_heatmap, "matrix"),
    (health.stockout_weekly_chart, "weekly"),
    (health.stockout_top_chart, "summary"),
    (health.quarantine_chart, "reasons"),
]
#: what the caller passes besides the table (the constants the charts no longer import)
ARGS = {"ingest_chart": {"total_row": dh.TOTAL}}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("chart", "table"), CHARTS, ids=[c.__name__ for c, _ in CHARTS])
def test_chart_renders_in_language(chart, table, lang, frames) -> None:  # noqa: ANN001
    use_house_style(lang)
    open_before = plt.get_fignums()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = chart(frames[table], **ARGS.get(chart.__name__, {}), lang=lang)
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    assert isinstance(fig, Figure)
    assert buf.getvalue().startswith(b"\x89PNG")
    assert plt.get_fignums() == open_before  # not a pyplot figure: never shown, never kept
    title = fig.axes[0].get_title()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in title) == (lang == "zh")


def test_chart_draws_into_given_axes(frames) -> None:  # noqa: ANN001
    fig, ax = new_axes()
    assert health.stockout_weekly_chart(frames["weekly"], ax=ax) is fig
    assert len(ax.lines) == 3  # one per marketplace


def test_charts_accept_empty_tables(frames) -> None:  # noqa: ANN001
    use_house_style("zh")
    empty_summary = frames["summary"].iloc[0:0]
    fig = health.stockout_top_chart(empty_summary)
    fig.savefig(io.BytesIO(), format="png")
    fig = health.stockout_weekly_chart(frames["weekly"].iloc[0:0])
    fig.savefig(io.BytesIO(), format="png")
