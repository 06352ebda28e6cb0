"""Advertising, completed (issue 15): metrics on hand-computed examples — zero clicks, zero sales,
missing days, programs kept apart, mixed currencies at a configured rate, break-even ACOS and
spend on SKUs that will stock out."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from forecasting.errors import InputError
from forecasting.reports import ads_performance as ap

FX = {"USD": 7.10, "EUR": 7.70, "JPY": 0.047}


def _ads(**cols: object) -> pd.DataFrame:
    base: dict[str, object] = {
        "date": pd.to_datetime(["2026-11-16"]),
        "sku": "A",
        "marketplace": "US",
        "impressions": [1000],
        "clicks": [20],
        "spend": [10.0],
        "ad_sales": [40.0],
        "ad_orders": [2],
        "currency": "USD",
    }
    base.update(cols)
    return pd.DataFrame(base)


def _sales(revenue: list[float], dates: list[str] | None = None) -> pd.DataFrame:
    dates = dates or ["2026-11-16"] * len(revenue)
    return pd.DataFrame(
        {"sku": "A", "marketplace": "US", "date": pd.to_datetime(dates), "revenue": revenue}
    )


def test_ratios_from_raw_columns_never_the_files() -> None:
    # the file's own (wrong) ratio columns are ignored: CTR 2 %, CPC 0.50, CVR 10 %, ACOS 25 %
    ads = _ads(acos=[0.99], ctr=[0.5])
    row = ap.weekly_ads(ads.drop(columns=["acos", "ctr"]), _sales([200.0])).iloc[0]
    assert row["ctr"] == pytest.approx(20 / 1000) and row["cpc"] == pytest.approx(0.5)
    assert row["cvr"] == pytest.approx(2 / 20) and row["acos"] == pytest.approx(0.25)
    assert row["roas"] == pytest.approx(4.0) and row["tacos"] == pytest.approx(10 / 200)
    assert ap.weekly_ads(ads, _sales([200.0])).iloc[0]["acos"] == pytest.approx(0.25)


def test_zero_clicks_and_zero_sales_are_never_infinite() -> None:
    ads = _ads(clicks=[0], spend=[0.0], ad_sales=[0.0], ad_orders=[0])
    row = ap.weekly_ads(ads, _sales([0.0])).iloc[0]
    assert row["ctr"] == 0  # impressions without a click: CTR 0
    for col in ("cpc", "cvr", "acos", "roas", "tacos"):
        assert np.isnan(row[col]), col  # 0 / 0: no figure, shown "—"
    spent = ap.weekly_ads(_ads(ad_sales=[0.0], ad_orders=[0]), _sales([0.0])).iloc[0]
    assert np.isnan(spent["acos"]) and spent["roas"] == 0 and np.isnan(spent["tacos"])
    no_impr = ap.weekly_ads(_ads(impressions=[0], clicks=[0]), _sales([5.0])).iloc[0]
    assert np.isnan(no_impr["ctr"])
    assert not np.isinf(ap.ads_summary(ap.weekly_ads(ads, _sales([0.0])))[["cpc", "acos"]]).any(
        axis=None
    )
    shown = ap.display_frame(
        ap.ads_summary(ap.weekly_ads(ads, _sales([0.0]))), money=["cpc"], percent=["acos"]
    )
    assert shown.loc[0, "cpc"] == "—" and shown.loc[0, "acos"] == "—"


def test_missing_days_sum_what_is_there() -> None:
    # ads only on Mon and Wed (no rows on days without impressions), sales on Mon, Tue and Sun
    ads = _ads(
        date=pd.to_datetime(["2026-11-16", "2026-11-18"]),
        impressions=[500, 1500],
        clicks=[5, 15],
        spend=[4.0, 6.0],
        ad_sales=[0.0, 50.0],
        ad_orders=[0, 2],
    )
    sales = _sales([30.0, 20.0, 50.0], ["2026-11-16", "2026-11-17", "2026-11-22"])
    row = ap.weekly_ads(ads, sales).iloc[0]
    # ratios of the week's sums: CTR 20/2000, CPC 10/20, ACOS 10/50, TACOS 10/100
    assert (row["clicks"], row["spend"], row["total_sales"]) == (20, 10.0, 100.0)
    assert row["ctr"] == pytest.approx(0.01) and row["cpc"] == pytest.approx(0.5)
    assert row["acos"] == pytest.approx(0.2) and row["tacos"] == pytest.approx(0.1)


def test_sponsored_brands_kept_apart_from_products() -> None:
    ads = pd.concat(
        [_ads(program="SP"), _ads(program="SB", spend=[30.0], ad_sales=[60.0], ad_orders=[3])]
    )
    weekly = ap.weekly_ads(ads, _sales([500.0]))
    assert sorted(weekly["program"]) == ["SB", "SP"]  # two rows, never one sum
    summ = ap.ads_summary(weekly).set_index("program")
    assert summ.loc["SP", "acos"] == pytest.approx(0.25)  # 7-day: 10 / 40
    assert summ.loc["SB", "acos"] == pytest.approx(0.5)  # 14-day: 30 / 60
    assert ap.marketplace_weekly(weekly)["program"].tolist() == ["SB", "SP"]
    with pytest.raises(InputError, match="XX"):
        ap.weekly_ads(_ads(program="XX"), _sales([1.0]))


def test_mixed_currencies_total_only_after_conversion() -> None:
    ads = pd.DataFrame({"marketplace": ["US", "DE", "JP"], "spend": [150.0, 80.0, 20000.0]})
    sales = pd.DataFrame({"marketplace": ["US", "DE", "JP"], "revenue": [1000.0, 1000.0, 100000.0]})
    cur = {"US": "USD", "DE": "EUR", "JP": "JPY"}
    out = ap.ad_spend_share(ads, sales, cur, FX, base_currency="CNY").set_index("marketplace")
    assert out.loc["US", "ad_spend_share"] == pytest.approx(0.15)  # at the band's edge
    assert out.loc["US", "band_status"] == "within"
    assert out.loc["DE", "band_status"] == "below"  # 8 %
    assert out.loc["JP", "band_status"] == "above"  # 20 %
    # ALL in CNY: (150 × 7.10 + 80 × 7.70 + 20 000 × 0.047) ÷ (7 100 + 7 700 + 4 700)
    #           = (1 065 + 616 + 940) ÷ 19 500 = 2 621 ÷ 19 500
    assert out.loc["ALL", "spend"] == pytest.approx(2621.0)
    assert out.loc["ALL", "total_sales"] == pytest.approx(19500.0)
    assert out.loc["ALL", "ad_spend_share"] == pytest.approx(2621 / 19500)
    assert out.loc["ALL", "currency"] == "CNY"
    # a marketplace without ad rows has no share (not 0 %) and stays out of ALL
    uk_sales = pd.concat([sales, pd.DataFrame({"marketplace": ["UK"], "revenue": [900.0]})])
    out = ap.ad_spend_share(ads, uk_sales, {**cur, "UK": "GBP"}, FX, base_currency="CNY")
    out = out.set_index("marketplace")
    assert out.loc["UK", "band_status"] == "no_ad_data" and np.isnan(out.loc["UK", "spend"])
    assert out.loc["ALL", "ad_spend_share"] == pytest.approx(2621 / 19500)  # no GBP rate needed
    with pytest.raises(InputError) as err:  # a currency without a rate is never summed
        ap.ad_spend_share(ads, sales, cur, {"USD": 7.10, "EUR": 7.70}, base_currency="CNY")
    assert err.value.column == "fx_to_base.JPY"


def test_acos_against_break_even_from_unit_economics() -> None:
    summary = pd.DataFrame(
        {
            "sku": ["A", "B", "C", "D"],
            "marketplace": ["US", "US", "DE", "US"],
            "spend": [50.0, 20.0, 10.0, 5.0],
            "ad_sales": [200.0, 200.0, 0.0, 10.0],
            "acos": [0.25, 0.10, np.nan, 0.5],
        }
    )
    econ = pd.DataFrame(
        {
            "sku": ["A", "B", "C"],
            "marketplace": ["US", "US", "DE"],
            "currency": ["USD", "USD", "EUR"],
            "break_even_acos": [0.168, 0.30, 0.28],
        }
    )
    out = ap.acos_vs_break_even(summary, econ).set_index("sku")
    assert bool(out.loc["A", "above_break_even"])  # 25 % > 16.8 %
    assert out.loc["A", "loss_on_ads"] == pytest.approx(50 - 0.168 * 200)  # 16.40 USD
    assert not bool(out.loc["B", "above_break_even"])  # 10 % < 30 %: earns 40 USD margin
    assert out.loc["B", "loss_on_ads"] == pytest.approx(20 - 60)
    assert bool(out.loc["C", "above_break_even"])  # spent €10, sold nothing
    assert out.loc["C", "currency"] == "EUR"
    assert not bool(out.loc["D", "above_break_even"]) and np.isnan(out.loc["D", "loss_on_ads"])
    assert list(out.index[:2]) == ["A", "C"]  # most loss first (local money)


def test_stockout_risk_from_plan_rows() -> None:
    plan = pd.DataFrame(
        {
            "sku": ["A", "B", "C", "D", "E", "F"],
            "marketplace": "US",
            "stockout_date_p50": pd.to_datetime(
                ["2026-12-01", None, "2027-03-01", None, "2026-12-31", "2027-02-01"]
            ),
            "stockout_date_p10": pd.to_datetime(
                ["2026-11-28", "2026-12-05", "2027-02-01", None, "2026-12-20", "2027-01-30"]
            ),
            "arrival_date": pd.to_datetime(
                ["2026-12-20", "2026-12-20", "2027-01-10", None, None, None]
            ),
        }
    )
    risk = ap.stockout_risk_from_plan(plan, as_of=dt.date(2026, 11, 22), lead_time_days={"US": 63})
    # A: median path out before the arrival → pause; B: only the P10 path → reduce;
    # C: runs out after the arrival, D: never runs out → not at risk; E, F: no order now, the
    # earliest new arrival is 11-22 + 63 days = 2027-01-24: E runs out before it, F after it
    assert risk[["sku", "action"]].values.tolist() == [
        ["A", "pause"],
        ["B", "reduce"],
        ["E", "pause"],
    ]
    # the triggering date: the median path's for pause, the P10 path's for reduce
    assert risk["stockout_date"].dt.strftime("%m-%d").tolist() == ["12-01", "12-05", "12-31"]
    plan.loc[1, "stockout_date_p50"] = pd.Timestamp("2027-01-05")  # B: P50 after its arrival
    again = ap.stockout_risk_from_plan(plan, as_of=dt.date(2026, 11, 22), lead_time_days={"US": 63})
    assert again.loc[1, "stockout_date"] == pd.Timestamp("2026-12-05")
    assert risk["arrival_date"].iloc[2] == pd.Timestamp("2027-01-24")


def test_spend_at_stockout_risk_window_and_currency() -> None:
    ads = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-10-01", "2026-11-10", "2026-11-20", "2026-11-21"]),
            "sku": ["A", "A", "A", "J"],
            "marketplace": ["US", "US", "US", "JP"],
            "spend": [99.0, 12.0, 18.0, 3000.0],
            "ad_sales": [0.0, 40.0, 0.0, 9000.0],
            "currency": ["USD", "USD", "USD", "JPY"],
        }
    )
    risk = pd.DataFrame(
        {
            "sku": ["A", "J", "Z"],
            "marketplace": ["US", "JP", "US"],
            "stockout_date": pd.to_datetime(["2026-11-29", "2026-12-12", "2026-11-25"]),
            "arrival_date": pd.to_datetime(["2026-12-20", None, None]),
            "action": ["pause", "reduce", "pause"],
        }
    )
    out = ap.spend_at_stockout_risk(ads, risk, as_of=dt.date(2026, 11, 22), fx_to_base=FX)
    # A: 12 + 18 in the last 30 days (the October 99 is older) = 30 USD = 213 CNY;
    # J: 3 000 JPY = 141 CNY; Z has no spend → not listed
    assert out["sku"].tolist() == ["A", "J"]
    assert out["spend"].tolist() == [30.0, 3000.0]
    assert out["spend_base"].tolist() == pytest.approx([213.0, 141.0])
    assert out["spend_per_day"].tolist() == pytest.approx([1.0, 100.0])
    assert out["days_to_stockout"].tolist() == [7, 20]


def test_stockout_risk_from_cover_fallback() -> None:
    stock = pd.DataFrame(
        {
            "sku": ["A", "B"],
            "marketplace": ["US", "DE"],
            "on_hand": [30, 100],
            "daily_mean": [3.0, 2.0],
        }
    )
    # A: 10 days of cover < 45-day lead time; B: 50 days ≥ 40
    out = ap.stockout_risk_from_cover(stock, {"US": 45, "DE": 40}, dt.date(2026, 11, 22))
    assert out["sku"].tolist() == ["A"]
    assert out["stockout_date"].iloc[0] == pd.Timestamp("2026-12-02")
    assert out["arrival_date"].iloc[0] == pd.Timestamp("2027-01-06")


def test_money_display_keeps_currency() -> None:
    f = pd.DataFrame({"spend": [12.5, 3000.0, np.nan], "currency": ["USD", "JPY", "EUR"]})
    assert ap.display_frame(f, money=["spend"])["spend"].tolist() == [
        "12.50 USD",
        "3,000 JPY",
        "—",
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_break_even_chart_marks_losing_skus(lang: str) -> None:
    from forecasting.charts import ads as ads_charts
    from forecasting.charts.style import BAD, GOOD, use_house_style

    use_house_style(lang)
    data = pd.DataFrame(
        {
            "sku": ["A", "B", "C"],
            "marketplace": "US",
            "program": "SP",
            "acos": [0.3, np.nan, 0.1],
            "break_even_acos": [0.2, 0.25, 0.3],
            "above_break_even": [True, True, False],
        }
    )
    fig = ads_charts.break_even_chart(data, lang=lang)
    ax = fig.axes[0]
    widths = [round(b.get_width(), 2) for b in ax.patches]
    assert widths == [0.1, 0.0, 0.3]  # drawn bottom-up: C, B (no ACOS), A
    import matplotlib.colors as mc

    assert [mc.to_hex(b.get_facecolor()) for b in ax.patches] == [GOOD, BAD, BAD]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in ax.get_title()) == (lang == "zh")
