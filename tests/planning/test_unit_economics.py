"""Unit economics: golden tests worked by hand from the fee tables (reference notes §1.5–1.6).

Each expected figure below is written out as arithmetic from the rate card, never recomputed by
the code under test. Rates: USD 7.10, EUR 7.70, JPY 0.047 CNY (the sample's ``fx_to_base``);
sea freight US 9.5, DE 8.0, JP 5.5 CNY per chargeable kg (``max(kg, cm³ ÷ 6000)``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import fields

import pandas as pd
import pytest

from forecasting.config import load_settings
from forecasting.errors import InputError
from forecasting.planning import fees
from forecasting.planning import unit_economics as ue

US = fees.load_fee_table("amazon-us-2026")
DE = fees.load_fee_table("amazon-de-2026")
JP = fees.load_fee_table("amazon-jp-2026")
JUNE_2025 = dt.date(2025, 6, 1)  # off-peak storage, 2024 rate card (unchanged in 2025)
LB = 1 / 2.20462  # kg per lb


def near(x: float) -> object:
    """Equal to a hand-worked figure written to 6 decimals."""
    return pytest.approx(x, abs=2e-6)


def _unit_economics(**args: object) -> ue.UnitEconomics:
    """:func:`ue.unit_economics` from flat keyword arguments (unit, market and window fields)."""
    unit = {k: args.pop(k) for k in [f.name for f in fields(ue.ProductUnit)]}
    market = {k: args.pop(k) for k in [f.name for f in fields(ue.MarketTerms)] if k in args}
    return ue.unit_economics(
        ue.ProductUnit(**unit), ue.MarketTerms(**market), ue.SalesWindow(**args)
    )


def _us_standard(**over: object) -> ue.UnitEconomics:
    """12 × 10 × 6 in, 1.2 lb, $25.99, home; CNY 40; 25 % duty; $300 ads / 150 units; 4 % returns."""
    args: dict = dict(
        sku="HM-BOX", marketplace="US", price=25.99, category="home",
        length_cm=30.48, width_cm=25.4, height_cm=15.24, weight_kg=1.2 * LB, unit_cost=40.0,
        table=US, day=JUNE_2025, cost_to_local=1 / 7.10, freight_cost_per_kg=9.5,
        duty_rate=0.25, ad_spend=300.0, units_sold=150, return_rate=0.04,
    )  # fmt: skip
    args.update(over)
    return _unit_economics(**args)


def test_us_large_standard_golden() -> None:
    r = _us_standard()
    # dim weight 720 / 139 = 5.18 lb > 1.2 lb unit weight; 12 × 10 × 6 in fits 18 × 14 × 8
    assert r.size_tier == "large_standard" and r.weight_unit == "lb"
    assert r.shipping_weight == near(720 / 139)
    # 3–20 lb: $6.92 + $0.08 × ⌈(5.18 − 3) / 0.25⌉ = 6.92 + 0.08 × 9
    assert r.fulfilment_fee == near(7.64)
    assert r.referral_fee == near(3.8985)  # 15 % × 25.99
    assert r.storage_per_unit == near(0.325)  # 0.41667 cu ft × $0.78 (June)
    assert r.returns_per_unit == near(0.0948)  # 4 % × $2.37
    assert r.unit_cost == near(5.633803)  # 40 / 7.10
    # 11 798.69 cm³ / 6000 = 1.96645 kg > 0.544 kg; × 9.5 CNY / 7.10
    assert r.freight_per_unit == near(2.631162)
    assert r.duty_per_unit == near(1.408451)  # US: 25 % of FOB 5.633803
    assert r.landed_cost == near(9.673416)
    # 25.99 − 3.8985 − 7.64 − 0.325 − 0.0948 − 9.673416
    assert r.pre_ad_margin == near(4.358284)
    assert r.break_even_acos == near(0.167691)
    assert r.ads_per_unit == 2.0  # $300 / 150
    assert r.contribution_margin == near(2.358284)
    assert r.gross_margin == near(0.627802)  # (25.99 − 9.673416) / 25.99
    assert r.vat_per_unit == 0  # US prices exclude sales tax
    assert r.missed_sale_margin == near(4.778084)  # 25.99 − 3.8985 − 7.64 − 9.673416


def test_us_large_bulky_golden() -> None:
    r = _unit_economics(
        sku="GD-BED", marketplace="US", price=89.99, category="garden",
        length_cm=60.96, width_cm=40.64, height_cm=25.4, weight_kg=18 * LB, unit_cost=120.0,
        table=US, day=JUNE_2025, cost_to_local=1 / 7.10, freight_cost_per_kg=9.5,
    )  # fmt: skip
    # 24 × 16 × 10 in: longest > 18 in; length + girth 24 + 2 × 26 = 76 ≤ 130; 3840 / 139 = 27.63 lb
    assert r.size_tier == "large_bulky"
    assert r.shipping_weight == near(3840 / 139)
    assert r.fulfilment_fee == near(19.87)  # 9.61 + 0.38 × ⌈27.63 − 1⌉ = 9.61 + 0.38 × 27
    assert r.referral_fee == near(13.4985)  # 15 % × 89.99
    assert r.storage_per_unit == near(1.244444)  # 2.2222 cu ft × $0.56 oversize
    assert r.returns_per_unit == 0 and r.duty_per_unit == 0 and r.ads_per_unit == 0
    assert r.freight_per_unit == near(14.032866)  # 10.4877 kg × 9.5 / 7.10
    assert r.landed_cost == near(30.934275)  # 120 / 7.10 + 14.032866
    assert r.pre_ad_margin == near(24.442781)
    assert r.break_even_acos == near(0.271617)
    assert r.contribution_margin == r.pre_ad_margin  # no ads


def test_dimensional_weight_pushes_to_extra_large() -> None:
    r = _us_standard(length_cm=76.2, width_cm=50.8, height_cm=30.48, weight_kg=18 * LB, price=99.0)
    # 30 × 20 × 12 in: 7200 / 139 = 51.80 lb > 50 lb of large bulky → extra-large 50–70 lb
    assert r.size_tier == "extra_large"
    assert r.fulfilment_fee == near(40.87)  # 40.12 + 0.75 × ⌈51.80 − 51⌉


def test_de_item_golden() -> None:
    r = _unit_economics(
        sku="PT-FEED", marketplace="DE", price=34.99, category="pet",
        length_cm=40, width_cm=30, height_cm=20, weight_kg=1.5, unit_cost=60.0,
        table=DE, day=JUNE_2025, cost_to_local=1 / 7.70, freight_cost_per_kg=8.0, duty_rate=0.047,
    )  # fmt: skip
    # EU dim weight 24 000 cm³ / 5000 = 4.8 kg; parcel (≤ 45 × 34 × 26 cm) band 3.9–5.9 kg
    assert (r.size_tier, r.weight_unit, r.currency) == ("large_standard", "kg", "EUR")
    assert r.shipping_weight == near(4.8)
    assert r.fulfilment_fee == near(6.60)
    assert r.referral_fee == near(5.2485)  # 15 % × 34.99
    assert r.storage_per_unit == near(0.661091)  # 0.84755 cu ft × €0.78
    # EU duty on CIF: 4.7 % × (60 / 7.70 + 8.0 × 4 kg / 7.70) = 4.7 % × 11.948052
    assert r.duty_per_unit == near(0.561558)
    assert r.landed_cost == near(12.50961)
    # German prices include 19 % VAT: 34.99 × 0.19 / 1.19 = 5.586639, net price 29.403361
    assert r.vat_per_unit == near(5.586639) and r.net_price == near(29.403361)
    # 29.403361 − 5.2485 − 6.60 − 0.661091 − 12.50961
    assert r.pre_ad_margin == near(4.38416)
    assert r.break_even_acos == near(0.125298)  # on the VAT-inclusive price ads report
    assert r.gross_margin == near(0.574552)  # (29.403361 − 12.50961) / 29.403361


def test_jp_item_golden() -> None:
    r = _unit_economics(
        sku="TL-BIT", marketplace="JP", price=2980.0, category="power tools",
        length_cm=20, width_cm=15, height_cm=10, weight_kg=0.8, unit_cost=30.0,
        table=JP, day=JUNE_2025, cost_to_local=1 / 0.047, freight_cost_per_kg=5.5,
    )  # fmt: skip
    assert (r.size_tier, r.currency) == ("large_standard", "JPY")  # 10 cm > 2 cm small limit
    assert r.shipping_weight == near(0.8)  # unit 0.8 kg > 3000 / 5000 = 0.6 kg
    assert r.fulfilment_fee == 421 and r.referral_fee == near(447)  # 15 % × 2980
    assert r.storage_per_unit == near(15.8916)  # 0.10594 cu ft × ¥150
    assert r.landed_cost == near(731.914894)  # 30 / 0.047 + 5.5 × 0.8 / 0.047
    # 10 % consumption tax inside ¥2,980: 270.909091; 2709.090909 − 447 − 421 − 15.8916 − 731.914894
    assert r.vat_per_unit == near(270.909091)
    assert r.pre_ad_margin == near(1093.284415)
    assert r.missed_sale_margin == near(1109.176015)  # 2709.090909 − 447 − 421 − 731.914894


def test_2026_price_bands_and_fuel_surcharge() -> None:
    feb, june = dt.date(2026, 2, 1), dt.date(2026, 6, 1)
    # large standard $10–50 band: + $0.05 from 15 Jan 2026; 3.5 % fuel surcharge from 17 Apr 2026
    assert _us_standard(day=feb).fulfilment_fee == near(7.69)
    assert _us_standard(day=june).fulfilment_fee == near(7.69 * 1.035)
    # small standard (6 × 4 × 0.5 in, 3 oz): low-price card under $10, standard card above
    small = dict(length_cm=15.24, width_cm=10.16, height_cm=1.27, weight_kg=0.1875 * LB)
    assert _us_standard(price=8.99, **small).fulfilment_fee == near(2.38)
    assert _us_standard(price=12.0, **small).fulfilment_fee == near(3.15)
    assert _us_standard(price=12.0, **small).size_tier == "small_standard"


def test_referral_minimum_and_default_category() -> None:
    r = _us_standard(price=1.5)  # 15 % × 1.50 = 0.225 < $0.30 minimum
    assert r.referral_fee == near(0.30) and r.referral_category == "home_kitchen"
    assert _us_standard(category="toys").referral_category == "default"
    assert _us_standard(category="Auto Parts").referral_fee == near(0.12 * 25.99)


def test_zero_sales_and_zero_ads() -> None:
    none = _us_standard(ad_spend=0.0, units_sold=0)
    assert none.ads_per_unit == 0 and none.contribution_margin == none.pre_ad_margin
    unsold = _us_standard(ad_spend=40.0, units_sold=0)  # spend but no sale: unknown, never ∞
    assert math.isnan(unsold.ads_per_unit) and math.isnan(unsold.contribution_margin)
    assert unsold.break_even_acos == near(0.167691)  # needs no ads


@pytest.mark.parametrize("column", ["length_cm", "weight_kg", "unit_cost"])
def test_missing_dimension_names_sku_and_column(column: str) -> None:
    with pytest.raises(InputError) as err:
        _us_standard(**{column: math.nan})
    assert "HM-BOX" in str(err.value) and column in str(err.value)
    assert err.value.column == column


# --- the table over store-shaped frames -------------------------------------------------------


def _products() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sku": ["HM-BOX", "PT-FEED", "NO-DIMS"],
            "category": ["home", "pet", "home"],
            "length_cm": [30.48, 40.0, None],
            "width_cm": [25.4, 30.0, 10.0],
            "height_cm": [15.24, 20.0, 10.0],
            "weight_kg": [1.2 * LB, 1.5, 1.0],
            "unit_cost": [40.0, 60.0, 10.0],
            "price": [24.99, 29.99, 9.99],
            "marketplaces": ["US", "US;DE", "US"],
        }
    )


def _frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    day = pd.Timestamp("2025-05-20")
    sales = pd.DataFrame(
        {
            "sku": ["HM-BOX", "HM-BOX", "PT-FEED"],
            "marketplace": ["US", "US", "DE"],
            "date": [day, pd.Timestamp("2025-01-02"), day],  # January: outside the 90 days
            "units": [150, 99, 10],
            "revenue": [3898.5, 1000.0, 349.9],
        }
    )
    ads = pd.DataFrame(
        {
            "sku": ["HM-BOX", "PT-FEED"],
            "marketplace": ["US", "US"],
            "date": [day, day],
            "spend": [300.0, 25.0],
        }
    )
    returns = pd.DataFrame({"sku": ["HM-BOX"], "marketplace": ["US"], "date": [day], "units": [6]})
    return sales, ads, returns


def test_table_matches_the_hand_worked_unit_and_flags_gaps() -> None:
    sales, ads, returns = _frames()
    table, notes = ue.unit_economics_table(
        _products(), load_settings(), sales=sales, ads=ads, returns=returns,
        as_of=JUNE_2025, duty_rates={"US": 0.25},
    )  # fmt: skip
    rows = table.set_index(["sku", "marketplace"])
    box = rows.loc[("HM-BOX", "US")]
    # 3898.5 / 150 = $25.99 average selling price; 6 / 150 = 4 % returns: the golden US unit
    assert (box["price"], box["price_source"], box["return_rate"]) == (25.99, "sales", 0.04)
    assert box["pre_ad_margin"] == near(4.358284)
    assert box["contribution_margin"] == near(2.358284) and box["problem"] == ""
    assert bool(box["duty_configured"]) and box["fee_table"] == "amazon-us-2026"
    # US feeder: no US sale, list price $29.99, $25 spend → ads per unit unknown, said so
    feed_us = rows.loc[("PT-FEED", "US")]
    assert feed_us["price_source"] == "list" and feed_us["return_rate_source"] == "default"
    assert (
        math.isnan(feed_us["ads_per_unit"]) and "ad spend without a unit sold" in feed_us["problem"]
    )
    # DE feeder: €34.99 from sales, no duty configured (0, flagged)
    feed_de = rows.loc[("PT-FEED", "DE")]
    assert feed_de["currency"] == "EUR" and feed_de["price"] == near(34.99)
    assert feed_de["duty_per_unit"] == 0 and not bool(feed_de["duty_configured"])
    assert feed_de["pre_ad_margin"] == near(4.38416 + 0.561558)  # DE golden without its duty
    # missing length: the row stays, margins empty, the problem names SKU and column
    bad = rows.loc[("NO-DIMS", "US")]
    assert math.isnan(bad["pre_ad_margin"]) and "NO-DIMS" in bad["problem"]
    assert "length_cm" in bad["problem"]
    assert any("amazon-de-2026" in n for n in notes)  # every DE row is an approximation
    assert ue.margin_lookup(table)[("HM-BOX", "US")] == near(4.778084)
    assert ("NO-DIMS", "US") not in ue.margin_lookup(table)


def test_table_strict_and_unpriced_marketplace() -> None:
    sales, ads, returns = _frames()
    with pytest.raises(InputError, match="NO-DIMS"):
        ue.unit_economics_table(_products(), load_settings(), as_of=JUNE_2025, strict=True)
    # no DE sales and the list price is in USD: no price is invented for DE
    table, _ = ue.unit_economics_table(_products().iloc[1:2], load_settings(), as_of=JUNE_2025)
    de = table.set_index("marketplace").loc["DE"]
    assert math.isnan(de["price"]) and "no list price in EUR" in de["problem"]


def test_table_missing_exchange_rate_names_the_setting() -> None:
    """A marketplace currency without a rate to the base currency is refused where the settings
    are read (naming ``fx_to_base``), so no unit-economics row is ever computed without it."""
    from dataclasses import replace

    import pydantic

    cfg = load_settings()
    with pytest.raises((InputError, pydantic.ValidationError), match="EUR"):
        replace(cfg, fx_to_base={k: v for k, v in cfg.fx_to_base.items() if k != "EUR"})


def test_malformed_unit_economics_section_names_file_and_key(tmp_path) -> None:  # noqa: ANN001
    import yaml

    raw = yaml.safe_load(fees.FEE_TABLE_DIR.joinpath("amazon-us-2026.yml").read_text("utf-8"))
    raw["size_tiers"][1]["weight_basis"] = "volume"
    bad = tmp_path / "bad-table.yml"
    bad.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(InputError) as err:
        fees.load_fee_table(bad)
    assert err.value.file == str(bad) and err.value.column == "size_tiers"
    del raw["size_tiers"][1]["weight_basis"]
    bad.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(InputError) as err:
        fees.load_fee_table(bad)
    assert err.value.column == "size_tiers[1].weight_basis"
    raw = yaml.safe_load(fees.FEE_TABLE_DIR.joinpath("amazon-us-2026.yml").read_text("utf-8"))
    raw["units"] = {"length": "mm", "weight": "g"}
    bad.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(InputError, match="units"):
        fees.load_fee_table(bad)


def test_table_without_unit_economics_sections_says_so(tmp_path) -> None:  # noqa: ANN001
    import yaml

    raw = yaml.safe_load(fees.FEE_TABLE_DIR.joinpath("amazon-us-2026.yml").read_text("utf-8"))
    for key in ("units", "dimensional_weight", "size_tiers", "fulfilment", "referral"):
        raw.pop(key)
    old = tmp_path / "old-table.yml"
    old.write_text(yaml.safe_dump(raw), encoding="utf-8")
    table = fees.load_fee_table(old)  # storage-only tables still load for the plan
    with pytest.raises(InputError, match="no 'size_tiers' section"):
        _us_standard(table=table)
