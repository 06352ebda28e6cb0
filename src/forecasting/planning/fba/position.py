"""Inventory position per SKU × marketplace: FBA stock, inbound, and the factory's share.

Inventory position = FBA available + reserved FC transfers + inbound (working / shipped /
receiving) + the marketplace's share of the factory's finished goods and open production. Each part
is placed on the day it can be sold (:func:`forecasting.planning.leadtime.inbound_arrival_days`;
finished goods after the legs that follow production; open production after its due date plus those
legs), so the replenishment projection sees *when* units arrive, not only how many.

Finished goods and open production are one pool for all marketplaces. Allocation rule (documented,
tested): by **need ratio** — each marketplace gets ``pool × need_m / Σ need`` where ``need_m`` is its
shortfall below its order-up-to level before the factory stock; when nobody needs stock the pool is
split by expected demand over the protection period; rounded to whole units by largest remainder.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.schema import (
    AGE_BUCKETS,
    INBOUND_RECEIVING,
    INBOUND_SHIPPED,
    INBOUND_WORKING,
    MARKETPLACE,
    ON_HAND,
    SKU,
)

FC_TRANSFER = "fc_transfer"
INBOUND_STATES = (INBOUND_RECEIVING, INBOUND_SHIPPED, INBOUND_WORKING)
#: Representative age (days) of each age bucket of the planning report: its midpoint; the open
#: 456+ bucket counts as 500 days.
AGE_BUCKET_MIDPOINTS = {
    "age_0_90": 45,
    "age_91_180": 135,
    "age_181_270": 225,
    "age_271_365": 318,
    "age_366_455": 410,
    "age_456_plus": 500,
}


def aged_buckets(aged_after_days: int) -> list[str]:
    """The planning report's age buckets whose units are all older than ``aged_after_days`` days.

    A bucket ``age_A_B`` (or ``age_A_plus``) counts when its youngest age ``A`` > ``aged_after_days``
    (the fee table's aged-inventory age, :attr:`forecasting.planning.fees.FeeTable.aged_after_days`).

    Examples
    --------
    >>> aged_buckets(180)
    ['age_181_270', 'age_271_365', 'age_366_455', 'age_456_plus']
    """
    return [b for b in AGE_BUCKETS if int(b.split("_")[1]) > aged_after_days]


def fba_position(inventory: pd.DataFrame) -> pd.DataFrame:
    """FBA part of the inventory position, one row per SKU × marketplace (units).

    Parameters
    ----------
    inventory : DataFrame
        ``store.inventory()``: sku, marketplace, on_hand (available), inbound_working,
        inbound_shipped, inbound_receiving, fc_transfer (reserved FC transfers) and age buckets;
        missing optional columns count as 0.

    Returns
    -------
    DataFrame
        sku, marketplace, ``sellable`` (available + FC transfers), the three inbound states,
        ``inbound_total``, ``fba_position`` (sellable + inbound) and the age buckets.
    """
    df = inventory.copy()
    for col in (ON_HAND, FC_TRANSFER, *INBOUND_STATES, *AGE_BUCKETS):
        if col not in df.columns:
            df[col] = 0.0
        df[col] = pd.to_numeric(df[col], errors="coerce").fillna(0.0).clip(lower=0)
    df["sellable"] = df[ON_HAND] + df[FC_TRANSFER]
    df["inbound_total"] = df[list(INBOUND_STATES)].sum(axis=1)
    df["fba_position"] = df["sellable"] + df["inbound_total"]
    keep = [SKU, MARKETPLACE, "sellable", *INBOUND_STATES, "inbound_total", "fba_position"]
    return df[keep + list(AGE_BUCKETS)].reset_index(drop=True)


def age_lots(row: pd.Series | dict, sellable: float) -> list[tuple[float, float]]:
    """Lots ``(age_days, units)`` of the sellable stock from the planning report's age buckets.

    Each bucket sits at its midpoint (:data:`AGE_BUCKET_MIDPOINTS`). Units the buckets do not cover
    (FC transfers, a report without ages) count as 45 days old; buckets that exceed the sellable
    stock are trimmed youngest-first (FIFO keeps the oldest on the shelf).

    Examples
    --------
    >>> age_lots({"age_0_90": 50, "age_181_270": 10}, 70)
    [(225, 10.0), (45, 60.0)]
    """
    lots = [(AGE_BUCKET_MIDPOINTS[b], float(row.get(b, 0) or 0)) for b in reversed(AGE_BUCKETS)]
    lots = [(a, u) for a, u in lots if u > 0]
    out, left = [], float(sellable)
    for a, u in lots:
        take = min(u, left)
        if take > 0:
            out.append((a, take))
        left -= take
    if left > 0:
        young = [i for i, (a, _) in enumerate(out) if a == 45]
        if young:
            i = young[0]
            out[i] = (45, out[i][1] + left)
        else:
            out.append((45, left))
    return out


def allocate_by_need(pool: float, need: np.ndarray, fallback_weight: np.ndarray) -> np.ndarray:
    """Split a shared pool of units across marketplaces by need ratio (whole units).

    Formula: ``share_m = pool × need_m / Σ need`` (``need`` clipped at 0); when ``Σ need = 0`` the
    ``fallback_weight`` (expected demand) is used instead, and equal shares when that is 0 too.
    Whole units by largest remainder, so the shares always sum to ``floor(pool)``.

    Examples
    --------
    >>> allocate_by_need(100, np.array([30.0, 10.0, 0.0]), np.array([1.0, 1.0, 1.0])).tolist()
    [75, 25, 0]
    >>> allocate_by_need(10, np.array([0.0, 0.0]), np.array([3.0, 1.0])).tolist()
    [8, 2]
    """
    pool = int(max(np.floor(pool), 0))
    n = len(need)
    if n == 0 or pool == 0:
        return np.zeros(n, dtype=int)
    w = np.clip(np.asarray(need, float), 0, None)
    if w.sum() <= 0:
        w = np.clip(np.asarray(fallback_weight, float), 0, None)
    if w.sum() <= 0:
        w = np.ones(n)
    exact = pool * w / w.sum()
    out = np.floor(exact).astype(int)
    rest = pool - int(out.sum())
    if rest > 0:
        order = np.argsort(-(exact - out), kind="stable")
        out[order[:rest]] += 1
    return out


def allocate_factory_stock(factory_stock: pd.DataFrame, needs: pd.DataFrame) -> pd.DataFrame:
    """Allocate each SKU's factory finished goods and open production across marketplaces.

    Parameters
    ----------
    factory_stock : DataFrame
        ``store.factory_stock()``: sku, finished_goods, open_production (units),
        open_production_due (date).
    needs : DataFrame
        sku, marketplace, ``need`` (units short of the order-up-to level, before factory stock) and
        ``demand`` (expected units over the protection period, the fallback weight).

    Returns
    -------
    DataFrame
        sku, marketplace, finished_goods_alloc, open_production_alloc (units),
        open_production_due. The need is served by finished goods first, then open production.
    """
    cols = [
        SKU,
        MARKETPLACE,
        "finished_goods_alloc",
        "open_production_alloc",
        "open_production_due",
    ]
    if factory_stock is None or factory_stock.empty or needs.empty:
        out = needs[[SKU, MARKETPLACE]].copy()
        out["finished_goods_alloc"] = 0
        out["open_production_alloc"] = 0
        out["open_production_due"] = pd.NaT
        return out[cols]
    fs = factory_stock.groupby(SKU, sort=False).agg(
        finished_goods=("finished_goods", "sum"),
        open_production=("open_production", "sum"),
        open_production_due=("open_production_due", "max"),
    )
    records = []
    for sku, grp in needs.groupby(SKU, sort=True):
        if sku in fs.index:
            fg, op, due = fs.loc[sku, ["finished_goods", "open_production", "open_production_due"]]
        else:
            fg, op, due = 0.0, 0.0, pd.NaT
        need = grp["need"].to_numpy(float)
        demand = grp["demand"].to_numpy(float)
        fg_alloc = allocate_by_need(float(fg or 0), need, demand)
        op_alloc = allocate_by_need(float(op or 0), np.clip(need - fg_alloc, 0, None), demand)
        for mp, f, o in zip(grp[MARKETPLACE], fg_alloc, op_alloc, strict=True):
            records.append(
                (sku, mp, int(f), int(o), pd.Timestamp(due) if pd.notna(due) else pd.NaT)
            )
    out = pd.DataFrame.from_records(records, columns=cols)
    out["open_production_due"] = pd.to_datetime(out["open_production_due"])
    return out
