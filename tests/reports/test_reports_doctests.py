"""The worked examples in the reports/charts docstrings run (doctest)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "forecasting.reports.params",
    "forecasting.i18n",
    "forecasting.reports.i18n",
    "forecasting.reports.data_health",
    "forecasting.charts.style",
    "forecasting.charts.health",
    "forecasting.charts.ads",
    "forecasting.charts.inventory_health",
    "forecasting.charts.inventory",
    "forecasting.charts.production",
    "forecasting.reports.inventory_health",
    "forecasting.reports.ads_performance",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
