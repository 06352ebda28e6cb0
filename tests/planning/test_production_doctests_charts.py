"""Worked examples in the production modules run; production charts draw from plan tables."""

from __future__ import annotations

import doctest
import importlib

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

MODULES = [
    "forecasting.planning.production.factory_calendar",
    "forecasting.planning.production.requirements",
    "forecasting.planning.production.tables",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_production_charts(lang: str) -> None:
    from forecasting.charts.production import requirement_vs_capacity, utilisation_heatmap

    weeks = pd.date_range("2026-11-23", periods=3, freq="7D")
    cap = pd.DataFrame({
        "line": ["L1"] * 3 + ["L2"] * 3, "week": list(weeks) * 2,
        "planned_hours": [40, 0, 45, 10, 0, 20], "capacity_hours": [40, 0, 40, 40, 0, 40],
    })  # fmt: skip
    fig = utilisation_heatmap(cap, lang=lang)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["100%", "—", "112%", "25%", "—", "50%"]
    load = pd.DataFrame(
        {
            "week": weeks,
            "required_hours": [30, 10, 50],
            "planned_hours": [50, 0, 65],
            "capacity_hours": [80, 0, 80],
            "overtime_cap_hours": [10, 0, 10],
            "shutdown": [False, True, False],
        }
    )
    fig = requirement_vs_capacity(load, lang=lang)
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert len(labels) == 5  # due, planned, capacity, overtime cap, shutdown
