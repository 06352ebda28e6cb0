"""Inventory position and the need-ratio allocation of factory stock."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from forecasting.planning.fba.position import (
    age_lots,
    allocate_by_need,
    allocate_factory_stock,
    fba_position,
)


def test_fba_position_sums_parts_and_fills_missing():
    inv = pd.DataFrame(
        {
            "sku": ["A", "B"],
            "marketplace": ["US", "US"],
            "on_hand": [100, 5],
            "fc_transfer": [10, None],
            "inbound_working": [0, 20],
            "inbound_shipped": [50, 0],
            "inbound_receiving": [5, 0],
        }
    )
    p = fba_position(inv).set_index("sku")
    assert p.loc["A", "sellable"] == 110
    assert p.loc["A", "inbound_total"] == 55
    assert p.loc["A", "fba_position"] == 165
    assert p.loc["B", "fba_position"] == 25
    assert p.loc["B", "age_0_90"] == 0  # missing age buckets count 0


def test_age_lots_trims_and_fills():
    # buckets cover 60 of 70 sellable: the 10 uncovered units are young (45 days)
    assert age_lots({"age_0_90": 50, "age_181_270": 10}, 70) == [(225, 10.0), (45, 60.0)]
    # buckets exceed sellable: keep the oldest
    assert age_lots({"age_0_90": 50, "age_91_180": 30}, 40) == [(135, 30.0), (45, 10.0)]
    assert age_lots({}, 0) == []


def test_allocation_by_need_ratio_hand_worked():
    # 90 units, needs 60 / 30 / 0 → 60 / 30 / 0
    assert allocate_by_need(90, np.array([60.0, 30.0, -5.0]), np.ones(3)).tolist() == [60, 30, 0]
    # 10 units, needs 1 : 1 : 1 → 4 / 3 / 3 (largest remainder, first wins ties)
    assert allocate_by_need(10, np.ones(3), np.ones(3)).tolist() == [4, 3, 3]
    assert allocate_by_need(0, np.ones(3), np.ones(3)).tolist() == [0, 0, 0]


@given(
    pool=st.integers(0, 10_000),
    need=st.lists(st.floats(-50, 1000, allow_nan=False), min_size=1, max_size=5),
)
def test_allocation_sums_to_pool_and_never_negative(pool, need):
    out = allocate_by_need(pool, np.array(need), np.ones(len(need)))
    assert out.sum() == pool
    assert (out >= 0).all()


def test_allocate_factory_stock_fg_first_then_open_production():
    fs = pd.DataFrame(
        {
            "sku": ["A"],
            "finished_goods": [100],
            "open_production": [300],
            "open_production_due": [pd.Timestamp("2026-12-05")],
        }
    )
    needs = pd.DataFrame(
        {
            "sku": ["A", "A", "B"],
            "marketplace": ["US", "DE", "US"],
            "need": [300.0, 100.0, 50.0],
            "demand": [1.0, 1.0, 1.0],
        }
    )
    out = allocate_factory_stock(fs, needs).set_index(["sku", "marketplace"])
    # finished goods 100 by need 300:100 → 75 / 25; remaining need 225 : 75 → open 300 → 225 / 75
    assert out.loc[("A", "US"), "finished_goods_alloc"] == 75
    assert out.loc[("A", "DE"), "finished_goods_alloc"] == 25
    assert out.loc[("A", "US"), "open_production_alloc"] == 225
    assert out.loc[("A", "DE"), "open_production_alloc"] == 75
    assert out.loc[("B", "US"), "finished_goods_alloc"] == 0
    assert out.loc[("A", "US"), "open_production_due"] == pd.Timestamp("2026-12-05")
    empty = allocate_factory_stock(None, needs)
    assert empty["finished_goods_alloc"].eq(0).all()
