"""FBA capacity limits: cap the planned stock volume per marketplace × storage type × month.

Amazon sets a monthly capacity limit (cubic feet) per storage type (standard / oversize). The
plan's projected P50 on-hand volume — Σ units × cu ft per unit over the SKUs of a marketplace and
storage type — must stay under it on every day of the month. Rule when it does not (documented,
tested): take units out of the planned shipments arriving that month, least urgent first (most
days of stock at arrival), in case packs until the peak fits; the cut units are held at an overseas
3PL / AWD warehouse (a shipment row with ``destination = "overseas_3pl"``, same ship date) and sent
to FBA on the first day of the next month, where the check repeats. The ``capacity`` table reports
each month's peak before and after. Expedited (air / rail / express) shipments are never cut.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from forecasting.planning.fees import storage_tier
from forecasting.planning.projection import project_on_hand
from forecasting.schema import MARKETPLACE, SKU

#: Only shipments by the default (slowest, cheapest) mode are deferred; expedited ones never are.
#: Series name their default mode in ``default_mode``; this is the fallback.
DEFERRABLE_MODE = "sea"
CAPACITY_COLUMNS = [
    MARKETPLACE,
    "storage_type",
    "month",
    "limit_cuft",
    "peak_cuft_before",
    "peak_cuft_after",
    "units_deferred",
]


def apply_capacity_limits(
    series: dict,
    shipments: pd.DataFrame,
    limits: dict[str, dict[str, float]],
    start: pd.Timestamp,
    horizon_days: int,
    *,
    max_cuts: int = 200,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Defer shipment units so projected FBA volume stays within the monthly capacity limits.

    Parameters
    ----------
    series : dict
        (sku, marketplace) → object with ``arrivals``, ``p50`` (units per day), ``d50`` (P50
        demand per day), ``on_hand`` (units), ``cuft`` (cu ft per unit), ``tier`` (size tier) and
        optional ``case_pack``; ``arrivals`` and ``p50`` are updated in place.
    shipments : DataFrame
        Shipment rows (:data:`forecasting.planning.replenishment.SHIPMENT_COLUMNS`).
    limits : dict
        marketplace → storage type (``standard`` / ``oversize``) → cu ft per month.
    start : Timestamp
        Date of day 0.
    horizon_days : int
        Days checked.

    Returns
    -------
    tuple of DataFrame
        The shipments (cut rows reduced, deferred rows appended) and the capacity table
        (:data:`CAPACITY_COLUMNS`, volumes in cu ft).
    """
    columns = list(shipments.columns)
    ships = shipments.to_dict("records")
    h = int(horizon_days)
    days = pd.date_range(start, periods=h, freq="D")
    months = days.to_period("M")
    groups: dict[tuple[str, str], list] = {}
    for key, ser in series.items():
        groups.setdefault((key[1], storage_tier(ser.tier)), []).append(key)
    rows = []
    for (mp, stype), keys in sorted(groups.items()):
        limit = limits.get(mp, {}).get(stype)
        skus = {k[0] for k in keys}
        # total P50 volume per day of the group, kept up to date as shipments are cut
        volume = np.zeros(h)
        for k in keys:
            volume += series[k].p50[:h] * series[k].cuft
        for month in months.unique():
            mask = np.asarray(months == month)

            def peak(volume=volume, mask=mask) -> float:
                return float(np.max(volume[mask])) if mask.any() else 0.0

            before = peak()
            deferred = 0
            if limit is not None and before > float(limit):
                m0, m1 = month.start_time, month.end_time
                cand = [
                    _candidate(r, series[(r[SKU], mp)], start)
                    for r in ships
                    if r[MARKETPLACE] == mp
                    and r[SKU] in skus
                    and r["source"] == "new_order"
                    and r["mode"] == getattr(series[(r[SKU], mp)], "default_mode", DEFERRABLE_MODE)
                    and r["destination"] == "FBA"
                    and m0 <= r["arrival_date"] <= m1
                ]
                for _ in range(max_cuts):
                    over = peak() - float(limit)
                    if over <= 1e-9 or not cand:
                        break
                    cut = _cut_one(series, ships, cand, mp, month, over, start, volume)
                    if cut == 0:
                        break
                    deferred += cut
            rows.append(
                [
                    mp,
                    stype,
                    str(month),
                    limit if limit is not None else math.nan,
                    before,
                    peak(),
                    deferred,
                ]
            )
    out = pd.DataFrame([r for r in ships if r["units"] > 0], columns=columns)
    ships = out.sort_values([SKU, MARKETPLACE, "ship_date", "destination"], kind="stable")
    return ships.reset_index(drop=True), pd.DataFrame(rows, columns=CAPACITY_COLUMNS)


def _candidate(r: dict, ser, start: pd.Timestamp) -> tuple:
    """(shipment row, series, arrival day, P50 demand per day over the 28 days after arrival)."""
    a = (r["arrival_date"] - start).days
    return r, ser, a, max(float(np.mean(ser.d50[a : a + 28])), 1e-9)


def _cut_one(series, ships, cand, mp, month, over_cuft, start, volume) -> int:
    """Cut units from the least urgent candidate shipment (most days of stock at arrival).

    Updates the series' arrivals and P50 path and the group's daily ``volume`` in place.
    """
    best, best_cover = None, -1.0
    for r, ser, a, rate in cand:
        if r["units"] <= 0:
            continue
        cover = float(ser.p50[min(a, len(ser.p50) - 1)]) / rate
        if cover > best_cover:
            best, best_cover = r, cover
    if best is None:
        return 0
    ser = series[(best[SKU], mp)]
    cp = max(int(getattr(ser, "case_pack", 1) or 1), 1)
    want = math.ceil(over_cuft / max(ser.cuft, 1e-9) / cp) * cp
    cut = int(min(int(best["units"]), want))
    if cut <= 0:
        return 0
    a = (best["arrival_date"] - start).days
    nxt = (month + 1).to_timestamp()
    b = min((nxt - start).days, len(ser.arrivals) - 1)
    ser.arrivals[a] -= cut
    ser.arrivals[b] += cut
    h = len(ser.p50)
    old = ser.p50
    ser.p50 = project_on_hand(ser.on_hand, ser.arrivals[:h], ser.d50[:h])
    n = len(volume)
    volume += (ser.p50[:n] - old[:n]) * ser.cuft
    best["units"] = int(best["units"]) - cut
    moved = dict(best)
    moved.update(
        units=cut,
        destination="overseas_3pl",
        arrival_date=nxt,
        note=f"FBA capacity full in {month}: held at overseas 3PL, to FBA on {nxt.date()}",
    )
    ships.append(moved)
    return cut
