"""Inventory health at FBA: age profile, units at risk of the aged-inventory surcharge, days of supply.

Pure functions over ``store.inventory()`` (the latest FBA Inventory planning snapshot per SKU ×
marketplace) for notebook ``05_inventory_ads``. Two Amazon fees bound the healthy range
(see the fee notes in the project's reference on Amazon reports and fees):

- the **aged inventory surcharge** (AIS) is charged on units older than the fee table's aged age
  (180 days in the 2026 tables), aged FIFO (sold units leave from the oldest stock);
- the **low-inventory-level fee** (LILF) is charged per unit shipped when both the short-term
  (30-day) and long-term (90-day) historical days of supply are below the fee table's threshold
  (28 days in the 2026 tables).

Both limits come from the marketplace's fee table only
(:func:`forecasting.planning.fees.fee_thresholds_by_marketplace`); the caller passes them in.

Units are units of product, volumes cubic feet, days calendar days. Fees in money are costed by
``forecasting.planning.fees``; this module only shows where stock sits against the two limits.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from forecasting.errors import InputError
from forecasting.planning.fees import FeeThresholds
from forecasting.schema import AGE_BUCKETS, MARKETPLACE, ON_HAND, SKU, require_columns

KEYS = [SKU, MARKETPLACE]
#: Age buckets of the FBA Inventory planning report older than 180 days (the report's own
#: columns; the aged-inventory fee starts after them).
AGED_BUCKETS = ["age_181_270", "age_271_365", "age_366_455", "age_456_plus"]
#: Upper bound (days of supply) of the ``healthy`` zone; ``low`` ends at the LILF threshold and
#: ``high`` at the aged age of the marketplace's fee table.
HEALTHY_UP_TO_DAYS = 90.0
#: Days-of-supply zones in order (the last is open).
ZONES = ("low", "healthy", "high", "aged")


def shared_limits(thresholds: Mapping[str, FeeThresholds]) -> FeeThresholds:
    """The one LILF threshold and aged age of every marketplace (for a chart that draws one line
    each): the first marketplace's thresholds when all agree on those two.

    Raises
    ------
    InputError
        No marketplace, or fee tables that disagree on them (then one chart cannot show them).
    """
    shown = {mp: (t.lilf_threshold_days, t.aged_after_days) for mp, t in thresholds.items()}
    if len(set(shown.values())) != 1:
        raise InputError(
            "the fee tables of the marketplaces disagree on the fee limits (LILF days, aged days: "
            f"{', '.join(f'{mp}: {v}' for mp, v in sorted(shown.items()))}): "
            "one chart cannot show them"
        )
    return next(iter(thresholds.values()))


def age_profile(inventory: pd.DataFrame) -> pd.DataFrame:
    """Units per age bucket and the units and cubic feet already older than 180 days.

    Parameters
    ----------
    inventory : DataFrame
        ``store.inventory()``: sku, marketplace, the six ``age_*`` buckets (units),
        item_volume_cuft (cubic feet per unit).

    Returns
    -------
    DataFrame
        sku, marketplace, the age buckets, units_aged (units > 180 days), aged_share (0–1 of the units
        in the age buckets), aged_cuft (cubic feet > 180 days); most aged units first.

    Examples
    --------
    >>> inv = pd.DataFrame({"sku": ["A"], "marketplace": ["US"], "age_0_90": [50],
    ...     "age_91_180": [30], "age_181_270": [15], "age_271_365": [5], "age_366_455": [0],
    ...     "age_456_plus": [0], "item_volume_cuft": [0.5]})
    >>> age_profile(inv)[["units_aged", "aged_share", "aged_cuft"]].values.tolist()
    [[20.0, 0.2, 10.0]]
    """
    require_columns(inventory, [*KEYS, *AGE_BUCKETS, "item_volume_cuft"], table="inventory")
    out = inventory[[*KEYS, *AGE_BUCKETS]].copy()
    out[AGE_BUCKETS] = out[AGE_BUCKETS].fillna(0).astype(float)
    total = out[AGE_BUCKETS].sum(axis=1)
    out["units_aged"] = out[AGED_BUCKETS].sum(axis=1)
    out["aged_share"] = np.divide(
        out["units_aged"], total, out=np.zeros(len(out)), where=total.to_numpy() > 0
    )
    out["aged_cuft"] = out["units_aged"] * inventory["item_volume_cuft"].fillna(0).to_numpy()
    return out.sort_values(["units_aged", *KEYS], ascending=[False, True, True]).reset_index(
        drop=True
    )


def aged_risk(inventory: pd.DataFrame) -> pd.DataFrame:
    """Units older than 180 days now and in 90 days if sales go on at the trailing 90-day rate.

    Selling is FIFO (the oldest units leave first), so over the next 90 days the expected sales
    ``s = units_shipped_t90`` (units shipped in the last 90 days) are taken from the units already
    aged, then from the 91–180-day bucket, every unit of which is older than 180 days in 90 days:

    ``units_aged_in_90_days = max(0, units_aged + age_91_180 − s)``

    where ``units_aged`` is the sum of the buckets over 180 days. Removals and new receipts are not
    counted (new receipts are younger than 90 days in 90 days).

    Returns
    -------
    DataFrame
        sku, marketplace, units_aged, age_91_180, expected_sales_90_days, units_aged_in_90_days,
        aged_cuft_in_90_days (cubic feet); most units at risk first.

    Examples
    --------
    >>> inv = pd.DataFrame({"sku": ["A", "B"], "marketplace": "US", "age_0_90": [50, 10],
    ...     "age_91_180": [30, 40], "age_181_270": [15, 0], "age_271_365": [5, 0],
    ...     "age_366_455": 0, "age_456_plus": 0, "units_shipped_t90": [40, 100],
    ...     "item_volume_cuft": [0.5, 1.0]})
    >>> aged_risk(inv)[["sku", "units_aged_in_90_days"]].values.tolist()
    [['A', 10.0], ['B', 0.0]]
    """
    require_columns(inventory, ["units_shipped_t90"], table="inventory")
    profile = age_profile(inventory).set_index(KEYS)
    shipped = inventory.set_index(KEYS)["units_shipped_t90"].fillna(0).astype(float)
    out = profile[["units_aged", "age_91_180"]].copy()
    out["expected_sales_90_days"] = shipped.reindex(out.index).to_numpy()
    at_risk = out["units_aged"] + out["age_91_180"] - out["expected_sales_90_days"]
    out["units_aged_in_90_days"] = at_risk.clip(lower=0)
    volume = inventory.set_index(KEYS)["item_volume_cuft"].fillna(0).astype(float)
    out["aged_cuft_in_90_days"] = out["units_aged_in_90_days"] * volume.reindex(out.index)
    out = out.reset_index()
    return out.sort_values(
        ["units_aged_in_90_days", "units_aged", *KEYS], ascending=[False, False, True, True]
    ).reset_index(drop=True)


def days_of_supply(
    inventory: pd.DataFrame, thresholds: Mapping[str, FeeThresholds]
) -> pd.DataFrame:
    """Short- and long-term days of supply against each marketplace's low-inventory-fee threshold.

    ``short_term_days = on_hand / (units_shipped_t30 / 30)`` and
    ``long_term_days = on_hand / (units_shipped_t90 / 90)`` (days; infinite with stock and no sales, 0 without stock).
    Amazon's historical days of supply divide the *average* units on hand over the period, which
    the snapshot does not hold; the current on-hand is the planning view (what happens next).
    The reported ``historical_days_of_supply`` is kept alongside.

    Parameters
    ----------
    inventory : DataFrame
        ``store.inventory()`` (units).
    thresholds : mapping of marketplace → FeeThresholds
        :func:`~forecasting.planning.fees.fee_thresholds_by_marketplace` (LILF threshold and aged
        age, days); a marketplace without them is refused.

    Returns
    -------
    DataFrame
        sku, marketplace, on_hand, units_shipped_t30, units_shipped_t90, short_term_days,
        long_term_days, historical_days_of_supply, low_inventory_fee (both below the LILF
        threshold and some sales), zone (``low`` < LILF threshold ≤ ``healthy`` < 90 ≤ ``high`` <
        aged age ≤ ``aged``, by the long-term days); shortest supply first.

    Examples
    --------
    >>> inv = pd.DataFrame({"sku": ["A"], "marketplace": ["US"], "on_hand": [20],
    ...     "units_shipped_t30": [30], "units_shipped_t90": [60],
    ...     "historical_days_of_supply": [25.0]})
    >>> limits = {"US": FeeThresholds(lilf_threshold_days=28.0, lilf_exempt_below_units_7d=20.0,
    ...                               aged_after_days=180)}
    >>> days_of_supply(inv, limits)[["short_term_days", "long_term_days", "low_inventory_fee",
    ...     "zone"]].values.tolist()
    [[20.0, 30.0, False, 'healthy']]
    """
    cols = [*KEYS, ON_HAND, "units_shipped_t30", "units_shipped_t90"]
    require_columns(inventory, cols, table="inventory")
    out = inventory[cols].copy()
    on_hand = out[ON_HAND].fillna(0).astype(float).to_numpy()
    for name, column, days in [
        ("short_term_days", "units_shipped_t30", 30),
        ("long_term_days", "units_shipped_t90", 90),
    ]:
        rate = out[column].fillna(0).astype(float).to_numpy() / days
        with np.errstate(divide="ignore", invalid="ignore"):
            days_left = np.where(rate > 0, on_hand / np.where(rate > 0, rate, 1), np.inf)
        out[name] = np.where(on_hand > 0, days_left, 0.0)
    hdos = inventory.get("historical_days_of_supply")
    out["historical_days_of_supply"] = hdos.to_numpy() if hdos is not None else np.nan
    missing = sorted(set(out[MARKETPLACE].astype(str)) - set(thresholds))
    if missing:
        raise InputError(f"no fee limits for marketplace {', '.join(missing)}", column=MARKETPLACE)
    by_mp = thresholds.items()
    low = out[MARKETPLACE].map({mp: v.lilf_threshold_days for mp, v in by_mp}).astype(float)
    aged = out[MARKETPLACE].map({mp: float(v.aged_after_days) for mp, v in by_mp}).astype(float)
    out["low_inventory_fee"] = (
        (out["short_term_days"] < low)
        & (out["long_term_days"] < low)
        & (out["units_shipped_t30"].fillna(0) > 0)
    )
    days = out["long_term_days"]
    zone = np.select(
        [days < low, days < HEALTHY_UP_TO_DAYS, days < aged], list(ZONES[:3]), default=ZONES[3]
    )
    out["zone"] = zone  # no sales (infinite days): aged
    return out.sort_values(["long_term_days", *KEYS]).reset_index(drop=True)
