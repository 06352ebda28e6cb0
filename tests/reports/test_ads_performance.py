"""Advertising metrics: hand-worked ACOS / ROAS / TACOS and wasted search-term spend."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.reports import ads_performance as ap


def _ads() -> pd.DataFrame:
    return pd.DataFrame(
        {
            # Mon 2026-11-09 … Sun 11-15 is one week, Mon 11-16 starts the next
            "date": pd.to_datetime(["2026-11-09", "2026-11-15", "2026-11-16", "2026-11-16"]),
            "sku": ["A", "A", "A", "B"],
            "marketplace": ["US", "US", "US", "JP"],
            "campaign": ["c1", "c2", "c1", "j1"],
            "ad_group": "g",
            "impressions": [1000, 500, 800, 2000],
            "clicks": [20, 10, 16, 40],
            "spend": [15.0, 5.0, 12.0, 800.0],
            "ad_sales": [60.0, 20.0, 0.0, 4000.0],
            "ad_orders": [3, 1, 0, 2],
            "ad_units": [3, 1, 0, 2],
            "currency": ["USD", "USD", "USD", "JPY"],
        }
    )


def _sales() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sku": ["A", "A", "A", "B"],
            "marketplace": ["US", "US", "US", "JP"],
            "date": pd.to_datetime(["2026-11-10", "2026-11-12", "2026-11-17", "2026-11-18"]),
            "units": [5, 5, 2, 4],
            "revenue": [100.0, 100.0, 48.0, 16000.0],
        }
    )


def test_weekly_ads_ratios_of_sums() -> None:
    weekly = ap.weekly_ads(_ads(), _sales())
    a1 = weekly.loc[(weekly["sku"] == "A") & (weekly["week"] == "2026-11-09")].iloc[0]
    # spend 20, ad sales 80, 30 clicks, 4 orders, total sales 200
    assert (a1["spend"], a1["ad_sales"], a1["total_sales"]) == (20, 80, 200)
    assert a1["acos"] == 0.25 and a1["roas"] == 4 and a1["tacos"] == 0.1
    assert a1["cpc"] == pytest.approx(20 / 30) and a1["cvr"] == pytest.approx(4 / 30)
    a2 = weekly.loc[(weekly["sku"] == "A") & (weekly["week"] == "2026-11-16")].iloc[0]
    assert np.isnan(a2["acos"]) and a2["roas"] == 0  # spend without ad sales
    assert a2["tacos"] == pytest.approx(12 / 48)
    b = weekly.loc[weekly["sku"] == "B"].iloc[0]
    assert b["tacos"] == pytest.approx(800 / 16000)  # yen over yen


def test_summary_and_marketplace_weekly() -> None:
    weekly = ap.weekly_ads(_ads(), _sales())
    summ = ap.ads_summary(weekly).set_index("sku")
    assert summ.loc["A", "spend"] == 32 and summ.loc["A", "acos"] == pytest.approx(32 / 80)
    assert summ.loc["A", "tacos"] == pytest.approx(32 / 248)
    assert list(summ.index) == ["B", "A"]  # most spend first (local currency)
    mkt = ap.marketplace_weekly(weekly)
    assert sorted(mkt["marketplace"].unique()) == ["JP", "US"]
    assert mkt.loc[mkt["marketplace"] == "US", "spend"].sum() == 32


def _terms() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.to_datetime("2026-11-16"),
            "marketplace": ["US", "US", "US", "US", "JP"],
            "campaign": ["c1", "c2", "c1", "c1", "j1"],
            "search_term": ["free drill", "free drill", "drill 20v", "cheap", "ドリル"],
            "impressions": [100, 100, 500, 40, 300],
            "clicks": [3, 2, 10, 0, 4],
            "spend": [3.0, 2.0, 9.0, 0.0, 400.0],
            "ad_orders": [0, 0, 2, 0, 0],
            "currency": ["USD", "USD", "USD", "USD", "JPY"],
        }
    )


def test_wasted_search_terms_and_share() -> None:
    wasted = ap.wasted_search_terms(_terms())
    # "cheap" has no click (not waste), "drill 20v" ordered; yen spend ranks first unconverted
    assert wasted[
        ["marketplace", "search_term", "clicks", "spend", "campaigns"]
    ].values.tolist() == [
        ["JP", "ドリル", 4, 400.0, 1],
        ["US", "free drill", 5, 5.0, 2],
    ]
    ranked = ap.wasted_search_terms(_terms(), fx_to_base={"USD": 7.1, "JPY": 0.047})
    assert ranked["search_term"].tolist() == ["free drill", "ドリル"]  # 35.5 CNY > 18.8 CNY
    assert ranked["spend_base"].tolist() == pytest.approx([35.5, 18.8])
    assert ap.wasted_search_terms(_terms(), min_clicks=5)["search_term"].tolist() == ["free drill"]
    share = ap.wasted_share(_terms(), wasted).set_index("marketplace")
    assert share.loc["US", "wasted_share"] == pytest.approx(5 / 14)
    assert share.loc["JP", "wasted_share"] == 1
