"""Inventory-health and advertising charts render in both languages without warnings."""

from __future__ import annotations

import io
import logging
import warnings

import pandas as pd
import pytest
from matplotlib.figure import Figure

from forecasting.charts import ads as ads_charts
from forecasting.charts import inventory_health as inv_charts
from forecasting.charts.style import use_house_style
from forecasting.planning.fees import fee_thresholds_by_marketplace
from forecasting.reports import ads_performance as ap
from forecasting.reports import inventory_health as ih

#: the fee limits of the marketplaces' tables (as notebook 05 passes them)
LIMITS = fee_thresholds_by_marketplace(["US", "DE", "JP"], "amazon-us-2026")


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    inventory = pd.DataFrame(
        {
            "sku": ["A", "B", "C"],
            "marketplace": ["US", "DE", "JP"],
            "on_hand": [100, 40, 300],
            "age_0_90": [50, 10, 100],
            "age_91_180": [30, 30, 100],
            "age_181_270": [15, 0, 60],
            "age_271_365": [5, 0, 20],
            "age_366_455": [0, 0, 10],
            "age_456_plus": [0, 0, 10],
            "units_shipped_t30": [30, 60, 0],
            "units_shipped_t90": [45, 270, 0],
            "item_volume_cuft": [0.5, 0.2, 1.0],
        }
    )
    days = pd.date_range("2026-10-01", periods=28)
    ads = pd.DataFrame(
        {
            "date": list(days) * 2,
            "sku": "A",
            "marketplace": ["US"] * 28 + ["JP"] * 28,
            "impressions": 1000,
            "clicks": 10,
            "spend": 5.0,
            "ad_sales": 20.0,
            "ad_orders": 1,
        }
    )
    sales = ads[["sku", "marketplace", "date"]].assign(revenue=60.0)
    terms = pd.DataFrame(
        {
            "marketplace": ["US", "JP", "DE"],
            "campaign": "c",
            "search_term": ["free drill", "ドリル 安い", "bohrmaschine günstig"],
            "impressions": 100,
            "clicks": [3, 4, 2],
            "spend": [3.0, 400.0, 2.0],
            "ad_orders": 0,
            "currency": ["USD", "JPY", "EUR"],
        }
    )
    weekly = ap.weekly_ads(ads, sales)
    return {
        "profile": ih.age_profile(inventory),
        "supply": ih.days_of_supply(inventory, LIMITS),
        "market_weekly": ap.marketplace_weekly(weekly),
        "wasted": ap.wasted_search_terms(terms, fx_to_base={"USD": 7.1, "JPY": 0.047, "EUR": 7.7}),
    }


CHARTS = [
    (inv_charts.age_chart, "profile"),
    (inv_charts.days_of_supply_chart, "supply"),
    (ads_charts.acos_tacos_chart, "market_weekly"),
    (ads_charts.wasted_terms_chart, "wasted"),
]
#: what the caller passes besides the table (the fee thresholds the charts no longer import)
FEE_LINES = {"low_inventory_days": 28.0, "aged_days": 180}
ARGS = {"days_of_supply_chart": FEE_LINES}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("chart", "table"), CHARTS, ids=[c.__name__ for c, _ in CHARTS])
def test_chart_renders(chart, table, lang, tables, caplog) -> None:  # noqa: ANN001
    use_house_style(lang)
    caplog.set_level(logging.INFO, logger="matplotlib.font_manager")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = chart(tables[table], **ARGS.get(chart.__name__, {}), lang=lang)
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    assert isinstance(fig, Figure) and buf.getvalue().startswith(b"\x89PNG")
    assert not [r for r in caplog.records if "findfont" in r.getMessage()]
    title = fig.axes[0].get_title()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in title) == (lang == "zh")


def test_days_of_supply_chart_draws_fee_lines(tables) -> None:  # noqa: ANN001
    fig = inv_charts.days_of_supply_chart(tables["supply"], **FEE_LINES, lang="en")
    xs = sorted(line.get_xdata()[0] for line in fig.axes[0].lines)
    assert xs == [28.0, 180]
