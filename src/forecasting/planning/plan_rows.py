"""Plan rows and projection frames of the replenishment plan, one series at a time.

Helpers of :func:`forecasting.planning.replenishment.plan_replenishment`: after the policy and the
capacity step have fixed every arrival, :func:`summarise_series` projects the P10/P50/P90 stock,
FIFO ages it for fees, finds stockout dates and days of cover and writes the alerts with reasons.
The projection bands assume the plan is *not* revised when demand turns out high or low (the
policy re-plans weekly in practice), so the P10 band is a warning, not a forecast of shortages.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from forecasting.planning import fees as fee_mod
from forecasting.planning.position import age_lots
from forecasting.planning.projection import (
    AGED_DAYS,
    LILF_DAYS,
    LILF_EXEMPT_UNITS_7D,
    Policy,
    PolicyResult,
    days_of_cover,
    demand_path,
    project_on_hand,
    stockout_day,
)
from forecasting.schema import MARKETPLACE, SKU

#: Columns of ``ReplenishmentPlan.plan`` in order (units, days, dates; fees in ``fee_currency``).
PLAN_COLUMNS = [
    SKU, MARKETPLACE, "abc", "service_level", "alerts", "ship_qty", "mode", "ship_by",
    "production_needed_by", "arrival_date", "next_ship_date", "daily_demand_p50", "sellable",
    "inbound", "factory_allocated", "inventory_position", "reorder_point", "order_up_to",
    "safety_stock", "lilf_floor_units", "days_of_cover_now", "days_of_cover_after_arrival",
    "stockout_date_p50", "stockout_date_p10", "days_short_p10_with_plan",
    "historical_days_of_supply", "aged_units_now", "projected_aged_units_max",
    "projected_storage_fee", "projected_aged_fee", "projected_lilf_fee_30d", "fee_currency",
    "fee_table", "units_planned_horizon", "stock_source",
]  # fmt: skip


def no_forecast_row(sku: str, mp: str, p: dict, table: str) -> dict:
    """Plan row of a series with stock but no forecast: reported, nothing planned."""
    return {
        SKU: sku,
        MARKETPLACE: mp,
        "alerts": "no_forecast: no forecast for this series, nothing planned",
        "ship_qty": 0,
        "sellable": float(p.get("sellable", 0.0)),
        "inbound": float(p.get("inbound_total", 0.0)),
        "fee_table": table,
    }


def _date(start: pd.Timestamp, day: int | None) -> pd.Timestamp:
    return pd.NaT if day is None else start + pd.Timedelta(days=int(day))


def summarise_series(
    ser: Any,
    res: PolicyResult,
    pol: Policy,
    p: dict,
    inv: pd.DataFrame,
    mine: pd.DataFrame,
    table: fee_mod.FeeTable,
    start: pd.Timestamp,
    horizon: int,
    corr: float,
) -> tuple[dict, pd.DataFrame]:
    """Plan row and projection frame of one series after the capacity step.

    Parameters
    ----------
    ser : series state
        ``sku, mp, mu, sd, d50, on_hand, fixed, arrivals, cuft, tier, extended`` (units, days).
    res, pol : PolicyResult, Policy
        The policy's result and parameters for this series.
    p : dict
        The series' row of :func:`forecasting.planning.position.fba_position` (units).
    inv : DataFrame
        The inventory snapshot indexed by (sku, marketplace).
    mine : DataFrame
        This series' shipments after the capacity step.
    table : FeeTable
        Fee table of the marketplace.
    start : Timestamp
        Day 0 (the day after the as-of date).
    horizon : int
        Planning horizon (days).
    corr : float
        Day-to-day forecast error correlation.
    """
    # the projection runs past the horizon by one lead time, so every planned arrival shows;
    # fees, shortages and stockout dates count the horizon only
    h, hp = horizon, horizon + pol.lead_time_days
    arr, mu, sd, d50 = ser.arrivals, ser.mu, ser.sd, ser.d50
    d90 = demand_path(mu, sd, 0.9, correlation=corr)
    d10 = demand_path(mu, sd, 0.1, correlation=corr)
    p50 = project_on_hand(ser.on_hand, arr[:hp], d50[:hp])
    p10 = project_on_hand(ser.on_hand, arr[:hp], d90[:hp])
    p90 = project_on_hand(ser.on_hand, arr[:hp], d10[:hp])
    fixed = ser.fixed.copy()
    so50 = stockout_day(ser.on_hand, fixed[:h], d50[:h])
    so10 = stockout_day(ser.on_hand, fixed[:h], d90[:h])
    new = mine[mine["source"] == "new_order"]
    first = new[new["order_date"] == start] if len(new) else new
    lots = age_lots(p, ser.on_hand)
    fifo = fee_mod.project_fifo_fees(
        start.date(), lots, arr[:h], d50[:h], cuft_per_unit=ser.cuft, tier=ser.tier, table=table
    )
    alerts = []
    arrival = first["arrival_date"].min() if len(first) else pd.NaT
    sea_arrival = start + pd.Timedelta(days=pol.lead_time_days)
    if so10 is not None and _date(start, so10) < (arrival if pd.notna(arrival) else sea_arrival):
        alerts.append(
            f"stockout_before_arrival: P10 stock runs out {_date(start, so10).date()} "
            f"before the next order can arrive"
        )
    aged_now = sum(
        float(p.get(b, 0) or 0)
        for b in ("age_181_270", "age_271_365", "age_366_455", "age_456_plus")
    )
    if aged_now > 0 or fifo.max_aged_units > 0.5:
        when = _date(start, fifo.first_aged_day).date() if fifo.first_aged_day is not None else ""
        alerts.append(
            f"aged_stock: {aged_now:.0f} units older than 180 days now, up to "
            f"{fifo.max_aged_units:.0f} projected (from {when})"
        )
    daily = float(np.mean(d50[:28]))
    hdos = (
        float(inv.loc[(ser.sku, ser.mp), "historical_days_of_supply"])
        if ((ser.sku, ser.mp) in inv.index and "historical_days_of_supply" in inv.columns)
        else math.nan
    )
    proj_hdos = float(np.mean(p50[:30])) / daily if daily > 0 else math.inf
    exempt = daily * 7 < LILF_EXEMPT_UNITS_7D
    # LILF over the next 30 days: per unit shipped at the report's HDoS (else the projected one)
    hd = hdos if not math.isnan(hdos) else proj_hdos
    lilf_fee = fee_mod.low_inventory_fee_per_unit(table, start.date(), ser.tier, hd, daily * 7)
    served_30d = ser.on_hand + float(np.sum(arr[:30])) - float(p50[min(29, len(p50) - 1)])
    lilf_fee *= max(served_30d, 0.0)  # units shipped on the P50 path (lost sales are not)
    if not exempt and ((not math.isnan(hdos) and hdos < LILF_DAYS) or proj_hdos < LILF_DAYS):
        reported = "not reported" if math.isnan(hdos) else f"{hdos:.0f}"  # a new listing has none
        alerts.append(
            f"below_lilf: historical days of supply {reported} / projected {proj_hdos:.0f} "
            f"< {LILF_DAYS} days"
        )
    deferred = mine[mine["destination"] != "FBA"]
    if len(deferred):
        alerts.append(
            f"capacity_overflow: {int(deferred['units'].sum())} units held at an overseas 3PL "
            f"until FBA capacity frees up"
        )
    if any(o.below_moq for o in res.orders if o.day == 0):  # the order to place now
        alerts.append("moq_exceeds_aged_cap: MOQ would leave stock older than 180 days")
    if ser.extended:
        alerts.append("forecast_extended: forecast shorter than the plan, last 28 days repeated")
    if ser.on_hand <= 0 and float(mu[:28].sum()) <= 0:
        alerts.append("no_demand: no stock and no forecast demand")
    cover_after = math.nan
    a_day = (arrival - start).days if pd.notna(arrival) else None
    if a_day is not None and a_day < hp:
        cover_after = days_of_cover(float(p50[a_day]), d50[a_day + 1 :]) + 1
    fee_cur = table.currency
    row = {
        SKU: ser.sku,
        MARKETPLACE: ser.mp,
        "service_level": pol.service_level,
        "alerts": "; ".join(alerts),
        "ship_qty": int(first["units"].sum()) if len(first) else 0,
        "mode": "+".join(sorted(first["mode"].unique(), key=lambda x: x != "sea")[::-1])
        if len(first)
        else "",
        "ship_by": first["ship_date"].min() if len(first) else pd.NaT,
        "production_needed_by": first["production_needed_by"].min() if len(first) else pd.NaT,
        "arrival_date": arrival,
        "next_ship_date": new["ship_date"].min() if len(new) else pd.NaT,
        "daily_demand_p50": daily,
        "sellable": ser.on_hand,
        "inbound": float(p.get("inbound_total", 0.0)),
        "factory_allocated": int(mine[mine["source"] != "new_order"]["units"].sum()),
        "inventory_position": ser.on_hand + float(ser.fixed.sum()),
        "reorder_point": res.reorder_point,
        "order_up_to": res.order_up_to,
        "safety_stock": res.safety_stock,
        "lilf_floor_units": res.lilf_floor_units,
        "days_of_cover_now": days_of_cover(ser.on_hand, d50),
        "days_of_cover_after_arrival": cover_after,
        "stockout_date_p50": _date(start, so50),
        "stockout_date_p10": _date(start, so10),
        "days_short_p10_with_plan": int(np.sum((p10[:h] <= 0) & (d90[:h] > 0))),
        "historical_days_of_supply": hdos,
        "aged_units_now": aged_now,
        "projected_aged_units_max": fifo.max_aged_units,
        "projected_storage_fee": round(fifo.storage_fee, 2),
        "projected_aged_fee": round(fifo.aged_fee, 2),
        "projected_lilf_fee_30d": round(lilf_fee, 2),
        "fee_currency": fee_cur,
        "units_planned_horizon": int(new["units"].sum()) if len(new) else 0,
    }
    cum = np.concatenate([[0.0], np.cumsum(d50)])
    idx = np.arange(hp)
    proj = pd.DataFrame(
        {
            SKU: ser.sku,
            MARKETPLACE: ser.mp,
            "date": start + pd.to_timedelta(idx, unit="D"),
            "p10": p10,
            "p50": p50,
            "p90": p90,
            "demand_p50": d50[:hp],
            "arrivals": arr[:hp],
            "lilf_min_units": LILF_DAYS * (cum[idx + 28] - cum[idx]) / 28,
            "aged_limit_units": cum[np.minimum(idx + AGED_DAYS, len(d50))] - cum[idx],
        }
    )
    return row, proj
