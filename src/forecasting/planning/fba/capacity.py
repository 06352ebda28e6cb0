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
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.planning.fba.projection import SeriesPlan, project_on_hand
from forecasting.planning.fees import storage_tier
from forecasting.schema import MARKETPLACE, SKU

#: (sku, marketplace)
SeriesKey = tuple[str, str]
CAPACITY_COLUMNS = [
    MARKETPLACE,
    "storage_type",
    "month",
    "limit_cuft",
    "peak_cuft_before",
    "peak_cuft_after",
    "units_deferred",
]
#: Days after an arrival over which the P50 demand rate measures its urgency (days of stock).
URGENCY_WINDOW_DAYS = 28


@dataclass(frozen=True, kw_only=True)
class CapacityResult:
    """What :func:`apply_capacity_limits` returns.

    Attributes
    ----------
    shipments : DataFrame
        The shipments, cut rows reduced and deferred rows (``destination = "overseas_3pl"``)
        appended, sorted by sku, marketplace, ship date and destination.
    capacity : DataFrame
        One row per marketplace × storage type × month (:data:`CAPACITY_COLUMNS`, cu ft, units).
    arrivals : dict
        (sku, marketplace) → units arriving at FBA per day after the deferrals.
    """

    shipments: pd.DataFrame
    capacity: pd.DataFrame
    arrivals: dict[SeriesKey, np.ndarray]


@dataclass
class _SeriesVolume:
    """Working state of one series while shipments are cut (arrays updated in place)."""

    on_hand: float
    arrivals: np.ndarray
    demand_p50: np.ndarray
    p50: np.ndarray
    cuft: float
    case_pack: int
    default_mode: str


def apply_capacity_limits(
    series: Mapping[SeriesKey, SeriesPlan],
    shipments: pd.DataFrame,
    limits: dict[str, dict[str, float]],
    *,
    start: pd.Timestamp,
    horizon_days: int,
    max_cuts: int = 200,
) -> CapacityResult:
    """Defer shipment units so projected FBA volume stays within the monthly capacity limits.

    Volume of a marketplace × storage type on day ``t``: ``Σ_series P50_t × cu ft per unit`` with
    ``P50`` the projected P50 on-hand (units); the month's peak must stay ≤ the limit (cu ft).

    Parameters
    ----------
    series : mapping
        (sku, marketplace) → :class:`~forecasting.planning.fba.projection.SeriesPlan` (stock, P50
        demand, item volume and size tier, default mode, planned arrivals); not modified.
    shipments : DataFrame
        Shipment rows (:data:`forecasting.planning.fba.replenishment.SHIPMENT_COLUMNS`).
    limits : dict
        marketplace → storage type (``standard`` / ``oversize``) → cu ft per month.
    start : Timestamp
        Date of day 0.
    horizon_days : int
        Days checked.
    max_cuts : int
        Most cuts per month and group (a guard; each cut takes whole cases).

    Returns
    -------
    CapacityResult
        Shipments after the cuts, the capacity table and the arrivals per series.
    """
    h = int(horizon_days)
    work = {key: _series_volume(plan, h) for key, plan in series.items()}
    ships = shipments.to_dict("records")
    months = pd.date_range(start, periods=h, freq="D").to_period("M")
    groups: dict[tuple[str, str], list[SeriesKey]] = {}
    for key, plan in series.items():
        groups.setdefault((key[1], storage_tier(plan.item.size_tier)), []).append(key)
    rows = []
    for (mp, stype), keys in sorted(groups.items()):
        # total P50 volume per day of the group, kept up to date as shipments are cut
        volume = np.zeros(h)
        for k in keys:
            volume += work[k].p50[:h] * work[k].cuft
        limit = limits.get(mp, {}).get(stype)
        for month in months.unique():
            before, after, deferred = _limit_month(
                work, ships, keys, volume, limit=limit, month=month, months=months, start=start,
                max_cuts=max_cuts,
            )  # fmt: skip
            row = [mp, stype, str(month), limit if limit is not None else math.nan]
            rows.append([*row, before, after, deferred])
    out = pd.DataFrame([r for r in ships if r["units"] > 0], columns=list(shipments.columns))
    out = out.sort_values([SKU, MARKETPLACE, "ship_date", "destination"], kind="stable")
    return CapacityResult(
        shipments=out.reset_index(drop=True),
        capacity=pd.DataFrame(rows, columns=CAPACITY_COLUMNS),
        arrivals={key: w.arrivals for key, w in work.items()},
    )


def _series_volume(plan: SeriesPlan, horizon_days: int) -> _SeriesVolume:
    arrivals = np.asarray(plan.result.arrivals, float).copy()
    d50 = plan.demand.daily_median
    on_hand = float(plan.stock.on_hand_units)
    return _SeriesVolume(
        on_hand=on_hand,
        arrivals=arrivals,
        demand_p50=d50,
        p50=project_on_hand(on_hand, arrivals[:horizon_days], d50[:horizon_days]),
        cuft=float(plan.item.cuft_per_unit),
        case_pack=max(int(plan.item.case_pack or 1), 1),
        default_mode=plan.item.default_mode,
    )


def _limit_month(
    work: dict[SeriesKey, _SeriesVolume],
    ships: list[dict],
    keys: list[SeriesKey],
    volume: np.ndarray,
    *,
    limit: float | None,
    month: pd.Period,
    months: pd.PeriodIndex,
    start: pd.Timestamp,
    max_cuts: int,
) -> tuple[float, float, int]:
    """Cut this month's default-mode arrivals of a group until its peak fits the limit.

    Returns the peak volume before and after (cu ft) and the units deferred.
    """
    mask = np.asarray(months == month)

    def peak() -> float:
        return float(np.max(volume[mask])) if mask.any() else 0.0

    before = peak()
    deferred = 0
    if limit is None or before <= float(limit):
        return before, peak(), deferred
    mp = keys[0][1]
    skus = {k[0] for k in keys}
    m0, m1 = month.start_time, month.end_time
    cand = [
        _candidate(r, work[(r[SKU], mp)], start)
        for r in ships
        if r[MARKETPLACE] == mp
        and r[SKU] in skus
        and r["source"] == "new_order"
        and r["mode"] == work[(r[SKU], mp)].default_mode
        and r["destination"] == "FBA"
        and m0 <= r["arrival_date"] <= m1
    ]
    for _ in range(max_cuts):
        over = peak() - float(limit)
        if over <= 1e-9 or not cand:
            break
        cut = _cut_one(work, ships, cand, volume, month=month, over_cuft=over, start=start)
        if cut == 0:
            break
        deferred += cut
    return before, peak(), deferred


def _candidate(r: dict, ser: _SeriesVolume, start: pd.Timestamp) -> tuple:
    """(shipment row, series, arrival day, P50 demand per day over the 28 days after arrival)."""
    a = (r["arrival_date"] - start).days
    rate = float(np.mean(ser.demand_p50[a : a + URGENCY_WINDOW_DAYS]))
    return r, ser, a, max(rate, 1e-9)


def _cut_one(
    work: dict[SeriesKey, _SeriesVolume],
    ships: list[dict],
    cand: list[tuple],
    volume: np.ndarray,
    *,
    month: pd.Period,
    over_cuft: float,
    start: pd.Timestamp,
) -> int:
    """Cut units from the least urgent candidate shipment (most days of stock at arrival).

    Formula: cut ``⌈over ÷ cu ft per unit ÷ case pack⌉ × case pack`` units (at most the
    shipment's), moved to the first day of the next month. Updates the series' arrivals and P50
    path, the shipment rows and the group's daily ``volume`` (cu ft) in place.
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
    ser = work[(best[SKU], best[MARKETPLACE])]
    cp = ser.case_pack
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
    ser.p50 = project_on_hand(ser.on_hand, ser.arrivals[:h], ser.demand_p50[:h])
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
