"""Fee tables: worked examples, effective dates, uncertain rows, FIFO ageing, bad tables."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from forecasting.errors import InputError
from forecasting.planning import fees


@pytest.fixture(scope="module")
def us():
    return fees.load_fee_table("amazon-us-2026")


def test_storage_fee_worked_example(us):
    # 100 standard-size units of 0.5 cu ft in November → $2.40 × 50 = $120
    assert fees.storage_fee(100, 0.5, dt.date(2026, 11, 10), "large_standard_3lb", us) == 120
    # same in June: $0.78 × 50 = $39; oversize in December: $1.40 × 50 = $70
    assert fees.storage_fee(100, 0.5, dt.date(2026, 6, 10), "small_standard", us) == 39
    assert fees.storage_fee(100, 0.5, dt.date(2026, 12, 1), "oversize", us) == 70


def test_effective_dates_pick_rows_in_force(us):
    assert fees.storage_rate(us, dt.date(2024, 3, 31), "standard") == 0.87
    assert fees.storage_rate(us, dt.date(2024, 4, 1), "standard") == 0.78
    # 366–455 days: $0.15/unit until 14 Jan 2026, $0.30/unit from 15 Jan 2026 (small unit)
    assert fees.aged_surcharge_per_unit(us, dt.date(2026, 1, 14), 400, 0.01) == 0.15
    assert fees.aged_surcharge_per_unit(us, dt.date(2026, 1, 15), 400, 0.01) == 0.30
    # 456+ tier only exists from 2026: before, 500 days falls in the 365+ tier
    assert fees.aged_surcharge_per_unit(us, dt.date(2025, 6, 15), 500, 0.01) == 0.15
    assert fees.aged_surcharge_per_unit(us, dt.date(2026, 6, 15), 500, 0.01) == 0.35


@pytest.mark.parametrize(
    ("age", "expected"),
    [(180, 0.0), (181, 0.5), (210, 0.5), (211, 1.0), (241, 1.5), (271, 3.8), (301, 4.0),
     (331, 4.2), (365, 4.2), (366, 6.9), (455, 6.9), (456, 7.9)],
)  # fmt: skip
def test_aged_surcharge_tiers_one_cuft(us, age, expected):
    assert fees.aged_surcharge_per_unit(us, dt.date(2026, 3, 15), age, 1.0) == expected


def test_aged_surcharge_worked_example(us):
    # 40 units of 0.5 cu ft aged 250 days on 15 Mar 2026: 40 × 0.5 × $1.50 = $30
    assert 40 * fees.aged_surcharge_per_unit(us, dt.date(2026, 3, 15), 250, 0.5) == 30


def test_low_inventory_fee_bands(us):
    day = dt.date(2026, 5, 1)
    assert fees.low_inventory_fee_per_unit(us, day, "small_standard", 10) == 0.89
    assert fees.low_inventory_fee_per_unit(us, day, "small_standard", 20) == 0.63
    assert fees.low_inventory_fee_per_unit(us, day, "large_standard_20lb", 27.9) == 0.47
    assert fees.low_inventory_fee_per_unit(us, day, "small_standard", 28) == 0
    assert fees.low_inventory_fee_per_unit(us, day, "small_standard", 10, units_shipped_7d=19) == 0
    assert fees.low_inventory_fee_per_unit(us, dt.date(2024, 3, 1), "small_standard", 10) == 0


def test_size_tiers():
    assert fees.size_tier(20, 15, 1.5, 0.2) == "small_standard"
    assert fees.size_tier(30, 20, 10, 1.0) == "large_standard_3lb"
    assert fees.size_tier(40, 30, 20, 5.0) == "large_standard_20lb"
    assert fees.size_tier(48, 35, 28, 1.9) == "oversize"  # shortest side 11 in > 8 in
    assert fees.storage_tier("large_standard_3lb") == "standard"


def test_eu_jp_tables_are_marked_uncertain():
    for name in ("amazon-de-2026", "amazon-jp-2026"):
        t = fees.load_fee_table(name)
        assert all(r.get("uncertain") for r in t.storage)
        assert all(r.get("uncertain") for r in t.aged_surcharge)
        assert t.uncertain_rows()
    assert fees.fee_table_name_for("DE", "amazon-us-2026") == "amazon-de-2026"


def test_capacity_limits_settings_override(us):
    assert fees.capacity_limits(us)["standard"] > 0
    assert fees.capacity_limits(us, {"standard": 123})["standard"] == 123


def test_bad_fee_table_names_file_and_key(tmp_path):
    p = tmp_path / "bad.yml"
    p.write_text(
        "name: bad\nmarketplace: US\ncurrency: USD\naged_surcharge: []\n"
        "storage:\n  - {size_tier: standard, months: [1], rate: 1.0}\n"
    )
    with pytest.raises(InputError) as e:
        fees.load_fee_table(p)
    assert "storage[0].effective_from" in str(e.value) and "bad.yml" in str(e.value)
    with pytest.raises(InputError, match="not found"):
        fees.load_fee_table("amazon-xx-1999")


def test_fifo_ages_oldest_first(us):
    # 100 units aged 170 days and 100 aged 10; 10/day demand sells the old lot first:
    # it is gone after 10 days, at age 180, so no unit passes 180 days.
    r = fees.project_fifo_fees(
        dt.date(2026, 6, 1), [(10, 100), (170, 100)], np.zeros(15), np.full(15, 10.0),
        cuft_per_unit=1.0, tier="large_standard_3lb", table=us,
    )  # fmt: skip
    assert r.max_aged_units == 0 and r.aged_fee == 0
    assert r.on_hand[-1] == 50
    # storage: Σ on-hand × $0.78 / 30 days in June
    assert r.storage_fee == pytest.approx(sum(200 - 10 * (i + 1) for i in range(15)) * 0.78 / 30)
    # at 5/day the old lot is not sold by day 10: 45 units pass 180 days
    r5 = fees.project_fifo_fees(
        dt.date(2026, 6, 1), [(10, 100), (170, 100)], np.zeros(15), np.full(15, 5.0),
        cuft_per_unit=1.0, tier="large_standard_3lb", table=us,
    )  # fmt: skip
    assert r5.max_aged_units == 45 and r5.first_aged_day == 10
    assert r5.aged_fee == pytest.approx(25 * 0.5)  # 25 old units left on 15 June
    # with 1/day demand, 100 old units reach 181 days on day 10 and pay on the 15th:
    r2 = fees.project_fifo_fees(
        dt.date(2026, 6, 1), [(170, 100)], np.zeros(30), np.ones(30),
        cuft_per_unit=1.0, tier="large_standard_3lb", table=us,
    )  # fmt: skip
    assert r2.first_aged_day == 10
    assert r2.aged_fee == pytest.approx(85 * 0.5)  # 15 sold by the end of 15 June
