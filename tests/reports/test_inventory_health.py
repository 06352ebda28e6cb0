"""Inventory health: hand-worked age, FIFO ageing and days-of-supply numbers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from forecasting.errors import InputError
from forecasting.planning.fees import fee_thresholds_by_marketplace
from forecasting.reports import inventory_health as ih

#: the 2026 fee tables' limits, read from the tables as notebook 05 does
LIMITS = fee_thresholds_by_marketplace(["US", "DE", "JP"], "amazon-us-2026")


def _inventory() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sku": ["A", "B", "C", "D"],
            "marketplace": ["US", "US", "DE", "JP"],
            "on_hand": [100, 40, 300, 0],
            "age_0_90": [50, 10, 100, 0],
            "age_91_180": [30, 30, 100, 0],
            "age_181_270": [15, 0, 60, 0],
            "age_271_365": [5, 0, 20, 0],
            "age_366_455": [0, 0, 10, 0],
            "age_456_plus": [0, 0, 10, 0],
            "units_shipped_t30": [30, 60, 0, 0],
            "units_shipped_t90": [45, 270, 0, 0],
            "item_volume_cuft": [0.5, 0.2, 1.0, 0.3],
            "historical_days_of_supply": [60.0, 15.0, np.nan, np.nan],
        }
    )


def test_age_profile() -> None:
    prof = ih.age_profile(_inventory()).set_index("sku")
    # C: 60 + 20 + 10 + 10 = 100 aged of 300; 100 cu ft at 1.0 cu ft/unit
    assert prof.loc["C", ["units_aged", "aged_share", "aged_cuft"]].tolist() == [100, 1 / 3, 100]
    assert prof.loc["A", ["units_aged", "aged_cuft"]].tolist() == [20, 10]
    assert prof.loc["D", "aged_share"] == 0  # no stock: 0, not NaN
    assert list(prof.index) == ["C", "A", "B", "D"]


def test_aged_risk_fifo() -> None:
    risk = ih.aged_risk(_inventory()).set_index("sku")
    # A: 20 aged + 30 in 91–180, 45 sold in 90 days (oldest first) → 5 units over 180 days
    assert risk.loc["A", "units_aged_in_90_days"] == 5
    assert risk.loc["A", "aged_cuft_in_90_days"] == 2.5
    # B: 0 + 30 − 270 → 0 (sales outrun the ageing stock)
    assert risk.loc["B", "units_aged_in_90_days"] == 0
    # C: 100 + 100 − 0 → 200
    assert risk.loc["C", "units_aged_in_90_days"] == 200
    assert risk.index[0] == "C"


def test_days_of_supply_and_low_inventory_fee() -> None:
    dos = ih.days_of_supply(_inventory(), LIMITS).set_index("sku")
    # A: 100 / (30/30) = 100 days short term; 100 / (45/90) = 200 days long term
    assert dos.loc["A", ["short_term_days", "long_term_days"]].tolist() == [100, 200]
    assert dos.loc["A", "zone"] == "aged"
    # B: 40 / 2 = 20 and 40 / 3 = 13.3 days: both under 28 → low-inventory fee
    assert dos.loc["B", "short_term_days"] == 20
    assert dos.loc["B", "long_term_days"] == pytest.approx(40 / 3)
    assert bool(dos.loc["B", "low_inventory_fee"]) and dos.loc["B", "zone"] == "low"
    # C: stock and no sales → infinite supply, zone aged, no fee
    assert np.isinf(dos.loc["C", "long_term_days"]) and dos.loc["C", "zone"] == "aged"
    # D: no stock, no sales → 0 days, low zone, no fee (nothing shipped)
    assert dos.loc["D", "long_term_days"] == 0 and not dos.loc["D", "low_inventory_fee"]
    assert list(dos.index) == ["D", "B", "A", "C"]  # shortest supply first
    assert dos.loc["B", "historical_days_of_supply"] == 15


def test_zone_boundaries() -> None:
    inv = _inventory().iloc[[0]].copy()
    inv = pd.concat([inv] * 4, ignore_index=True)
    inv["sku"] = ["a", "b", "c", "d"]
    inv["units_shipped_t90"] = 90  # 1 unit a day → long-term days = on_hand
    inv["on_hand"] = [27, 28, 90, 180]
    got = ih.days_of_supply(inv, LIMITS).set_index("sku")["zone"].to_dict()
    assert got == {"a": "low", "b": "healthy", "c": "high", "d": "aged"}


def test_missing_columns_named() -> None:
    with pytest.raises(InputError, match="item_volume_cuft"):
        ih.age_profile(_inventory().drop(columns="item_volume_cuft"))


def test_limits_come_from_the_fee_table() -> None:
    assert (LIMITS["US"].lilf_threshold_days, LIMITS["US"].aged_after_days) == (28.0, 180)
    # a marketplace whose table says 35 days: 30 days of supply is low there, healthy elsewhere
    inv = _inventory().iloc[[0, 0]].assign(sku=["a", "b"], marketplace=["US", "DE"])
    inv["units_shipped_t90"], inv["units_shipped_t30"], inv["on_hand"] = 90, 30, 30
    limits = {**LIMITS, "DE": dataclasses.replace(LIMITS["DE"], lilf_threshold_days=35.0)}
    got = ih.days_of_supply(inv, limits).set_index("sku")
    assert got["zone"].to_dict() == {"a": "healthy", "b": "low"}
    assert got["low_inventory_fee"].to_dict() == {"a": False, "b": True}
    with pytest.raises(InputError, match="disagree"):
        ih.shared_limits(limits)
    assert ih.shared_limits(LIMITS) == LIMITS["US"]
    with pytest.raises(InputError, match="no fee limits for marketplace JP"):
        ih.days_of_supply(_inventory(), {"US": LIMITS["US"], "DE": LIMITS["DE"]})
