"""Plan rows and projection frames of the replenishment plan, one series at a time.

Helpers of :func:`forecasting.planning.fba.replenishment.plan_replenishment`: after the policy and the
capacity step have fixed every arrival, :func:`summarise_series` projects the P10/P50/P90 stock,
FIFO ages it for fees, finds stockout dates and days of cover and writes the alerts with reasons.
The projection bands assume the plan is *not* revised when demand turns out high or low (the
policy re-plans weekly in practice), so the P10 band is a warning, not a forecast of shortages.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.planning import fees as fee_mod
from forecasting.planning.fba.position import age_lots, aged_buckets
from forecasting.planning.fba.projection import (
    FORECAST_EXTENSION_DAYS,
    SeriesPlan,
    days_of_cover,
    demand_path,
    project_on_hand,
    stockout_day,
)
from forecasting.planning.fees import FeeThresholds
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


#: Days of P50 demand averaged for the plan's daily demand rate (``daily_demand_p50``, LILF).
DEMAND_RATE_WINDOW_DAYS = 28

#: Alert codes and their meaning, with the fee table's thresholds as ``{lilf_threshold_days}`` and
#: ``{aged_after_days}``; :func:`alert_legend` fills them in.
ALERT_TEMPLATES = {
    "stockout_before_arrival": "P10 (high-demand) stock runs out before the next order can arrive",
    "aged_stock": "units older than {aged_after_days} days now or projected (aged inventory surcharge)",
    "below_lilf": "historical days of supply below {lilf_threshold_days} (low-inventory-level fee)",
    "capacity_overflow": "FBA capacity full: units held at an overseas 3PL, sent the next month",
    "moq_exceeds_aged_cap": "the order to place now is below the MOQ: the MOQ is more than sells within {aged_after_days} days of arrival",
    "forecast_extended": "forecast shorter than the plan: its last {extension_days} days repeated",
    "no_forecast": "no forecast for this series: nothing planned",
    "no_demand": "no stock and no forecast demand",
}  # fmt: skip


def _days(value: float) -> str:
    """A day count as written in alerts: ``28.0`` → ``28``."""
    return f"{value:g}"


def alert_legend(
    thresholds: Mapping[str, FeeThresholds], templates: Mapping[str, str] = ALERT_TEMPLATES
) -> dict[str, str]:
    """The alert legend with the fee tables' thresholds (days) filled in.

    Parameters
    ----------
    thresholds : mapping
        marketplace → the :class:`~forecasting.planning.fees.FeeThresholds` of its fee table.
        When marketplaces' tables disagree, each value is listed with its marketplaces.
    templates : mapping
        alert code → text with ``{lilf_threshold_days}``, ``{aged_after_days}``,
        ``{extension_days}`` fields (default :data:`ALERT_TEMPLATES`; another language's texts).

    Examples
    --------
    >>> t = FeeThresholds(lilf_threshold_days=28, lilf_exempt_below_units_7d=20, aged_after_days=180)
    >>> alert_legend({"US": t})["below_lilf"]
    'historical days of supply below 28 (low-inventory-level fee)'
    >>> u = FeeThresholds(lilf_threshold_days=35, lilf_exempt_below_units_7d=20, aged_after_days=180)
    >>> alert_legend({"US": t, "DE": t, "JP": u})["below_lilf"]
    'historical days of supply below 28 (DE, US) / 35 (JP) (low-inventory-level fee)'
    """

    def spelled(field: str) -> str:
        by_value: dict[str, list[str]] = {}
        for mp, t in sorted(thresholds.items()):
            by_value.setdefault(_days(getattr(t, field)), []).append(mp)
        if len(by_value) <= 1:
            return next(iter(by_value), "?")
        return " / ".join(f"{v} ({', '.join(mps)})" for v, mps in by_value.items())

    values = {
        "lilf_threshold_days": spelled("lilf_threshold_days"),
        "aged_after_days": spelled("aged_after_days"),
        "extension_days": str(FORECAST_EXTENSION_DAYS),
    }
    return {code: text.format(**values) for code, text in templates.items()}


def no_forecast_row(
    sku: str, mp: str, p: Mapping[str, float | str], table: str
) -> dict[str, object]:
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


@dataclass(frozen=True, kw_only=True)
class StockPaths:
    """Projected end-of-day stock of one series under the plan, and the demand behind it (units).

    ``p10`` is the stock on the high-demand (P90 demand) path, ``p90`` on the low-demand path.
    """

    p10: np.ndarray
    p50: np.ndarray
    p90: np.ndarray
    demand_p90: np.ndarray
    demand_p10: np.ndarray


def stock_paths(plan: SeriesPlan, arrivals: np.ndarray, *, days: int) -> StockPaths:
    """P10 / P50 / P90 stock (units) over ``days`` with lost sales, the plan not revised.

    Formula: ``x_t = max(0, x_{t−1} + a_t − d_t^q)`` (:func:`project_on_hand`) on the demand paths
    ``d^q`` of :func:`demand_path` at q = 0.1, 0.5, 0.9 (coherent cumulative-demand scenarios).
    """
    demand, corr = plan.demand, plan.policy.correlation
    d50 = demand.daily_median
    d90 = demand_path(demand.daily_mean, demand.daily_sd, 0.9, correlation=corr)
    d10 = demand_path(demand.daily_mean, demand.daily_sd, 0.1, correlation=corr)
    on_hand = plan.stock.on_hand_units
    return StockPaths(
        p10=project_on_hand(on_hand, arrivals[:days], d90[:days]),
        p50=project_on_hand(on_hand, arrivals[:days], d50[:days]),
        p90=project_on_hand(on_hand, arrivals[:days], d10[:days]),
        demand_p90=d90,
        demand_p10=d10,
    )


@dataclass(frozen=True, kw_only=True)
class LowInventoryCheck:
    """Where a series stands against the low-inventory-level fee (LILF) over the next 30 days."""

    daily_demand: float  #: P50 demand per day over the next 28 days (units per day)
    reported_days: float  #: the report's historical days of supply (days; NaN: not reported)
    projected_days: float  #: projected: mean P50 stock over 30 days ÷ daily demand (days)
    below: bool  #: below the table's threshold and not exempt
    fee_30d: float  #: projected fee over the next 30 days (table currency)


def low_inventory_check(
    plan: SeriesPlan,
    arrivals: np.ndarray,
    p50: np.ndarray,
    *,
    historical_days_of_supply: float,
    table: fee_mod.FeeTable,
    start: pd.Timestamp,
) -> LowInventoryCheck:
    """Historical days of supply, reported and projected, against the fee table's LILF threshold.

    Formula: projected HDoS = mean P50 stock over days 0–29 ÷ mean P50 demand per day over days
    0–27; below when the reported or the projected HDoS < the threshold (28 days) and at least the
    exemption (20 units) sells in 7 days; fee = per-unit band fee at the reported HDoS (else the
    projected one) × units shipped on the P50 path over 30 days
    (:func:`forecasting.planning.fees.low_inventory_fee_per_unit`; Amazon's LILF page).
    """
    d50 = plan.demand.daily_median
    on_hand = plan.stock.on_hand_units
    daily = float(np.mean(d50[:DEMAND_RATE_WINDOW_DAYS]))
    hdos = historical_days_of_supply
    proj_hdos = float(np.mean(p50[:30])) / daily if daily > 0 else math.inf
    exempt = daily * 7 < table.lilf_exempt_below_units_7d
    hd = hdos if not math.isnan(hdos) else proj_hdos
    fee = fee_mod.low_inventory_fee_per_unit(
        table, start.date(), plan.item.size_tier, hd, daily * 7
    )
    served_30d = on_hand + float(np.sum(arrivals[:30])) - float(p50[min(29, len(p50) - 1)])
    fee *= max(served_30d, 0.0)  # units shipped on the P50 path (lost sales are not)
    threshold = table.lilf_threshold_days
    below = not exempt and ((not math.isnan(hdos) and hdos < threshold) or proj_hdos < threshold)
    return LowInventoryCheck(
        daily_demand=daily, reported_days=hdos, projected_days=proj_hdos, below=below, fee_30d=fee
    )


def _date(start: pd.Timestamp, day: int | None) -> pd.Timestamp:
    return pd.NaT if day is None else start + pd.Timedelta(days=int(day))


def series_alerts(
    plan: SeriesPlan,
    *,
    stockout_p10_day: int | None,
    first_arrival: pd.Timestamp,
    aged_units_now: float,
    fifo: fee_mod.FifoResult,
    lilf: LowInventoryCheck,
    shipments: pd.DataFrame,
    table: fee_mod.FeeTable,
    start: pd.Timestamp,
) -> list[str]:
    """The series' alerts with their reasons, in the order of :data:`ALERT_TEMPLATES`."""
    alerts = []
    aged_after = table.aged_after_days
    sea_arrival = start + pd.Timedelta(days=plan.policy.lead_time_days)
    arrival = first_arrival if pd.notna(first_arrival) else sea_arrival
    if stockout_p10_day is not None and _date(start, stockout_p10_day) < arrival:
        alerts.append(
            f"stockout_before_arrival: P10 stock runs out {_date(start, stockout_p10_day).date()} "
            f"before the next order can arrive"
        )
    if aged_units_now > 0 or fifo.max_aged_units > 0.5:
        when = _date(start, fifo.first_aged_day).date() if fifo.first_aged_day is not None else ""
        alerts.append(
            f"aged_stock: {aged_units_now:.0f} units older than {aged_after} days now, up to "
            f"{fifo.max_aged_units:.0f} projected (from {when})"
        )
    if lilf.below:
        hdos = lilf.reported_days
        reported = "not reported" if math.isnan(hdos) else f"{hdos:.0f}"  # a new listing has none
        alerts.append(
            f"below_lilf: historical days of supply {reported} / projected "
            f"{lilf.projected_days:.0f} < {_days(table.lilf_threshold_days)} days"
        )
    deferred = shipments[shipments["destination"] != "FBA"]
    if len(deferred):
        alerts.append(
            f"capacity_overflow: {int(deferred['units'].sum())} units held at an overseas 3PL "
            f"until FBA capacity frees up"
        )
    if any(o.below_moq for o in plan.result.orders if o.day == 0):  # the order to place now
        alerts.append(f"moq_exceeds_aged_cap: MOQ would leave stock older than {aged_after} days")
    if plan.demand.extended:
        alerts.append(
            f"forecast_extended: forecast shorter than the plan, last {FORECAST_EXTENSION_DAYS} "
            f"days repeated"
        )
    recent = float(plan.demand.daily_mean[:DEMAND_RATE_WINDOW_DAYS].sum())
    if plan.stock.on_hand_units <= 0 and recent <= 0:
        alerts.append("no_demand: no stock and no forecast demand")
    return alerts


def summarise_series(
    plan: SeriesPlan,
    *,
    arrivals: np.ndarray,
    position: Mapping[str, float | str],
    historical_days_of_supply: float,
    shipments: pd.DataFrame,
    table: fee_mod.FeeTable,
    start: pd.Timestamp,
    horizon_days: int,
) -> tuple[dict[str, object], pd.DataFrame]:
    """Plan row and projection frame of one series after the capacity step.

    Parameters
    ----------
    plan : SeriesPlan
        The series' demand, stock, item, policy and policy result.
    arrivals : ndarray
        Units arriving per day after the capacity step (fixed + planned).
    position : mapping
        The series' row of :func:`forecasting.planning.fba.position.fba_position` (units).
    historical_days_of_supply : float
        The inventory report's historical days of supply (days); NaN when not reported.
    shipments : DataFrame
        This series' shipments after the capacity step.
    table : FeeTable
        Fee table of the marketplace (rates and thresholds).
    start : Timestamp
        Day 0 (the day after the as-of date).
    horizon_days : int
        Planning horizon (days).
    """
    # the projection runs past the horizon by one lead time, so every planned arrival shows;
    # fees, shortages and stockout dates count the horizon only
    h, hp = horizon_days, horizon_days + plan.policy.lead_time_days
    on_hand, fixed = plan.stock.on_hand_units, plan.stock.fixed_arrivals
    d50 = plan.demand.daily_median
    paths = stock_paths(plan, arrivals, days=hp)
    so10 = stockout_day(on_hand, fixed[:h], paths.demand_p90[:h])
    new = shipments[shipments["source"] == "new_order"]
    first = new[new["order_date"] == start] if len(new) else new
    fifo = fee_mod.project_fifo_fees(
        start.date(), age_lots(position, on_hand), arrivals[:h], d50[:h],
        cuft_per_unit=plan.item.cuft_per_unit, tier=plan.item.size_tier, table=table,
    )  # fmt: skip
    aged_now = sum(float(position.get(b, 0) or 0) for b in aged_buckets(table.aged_after_days))
    lilf = low_inventory_check(
        plan, arrivals, paths.p50, historical_days_of_supply=historical_days_of_supply,
        table=table, start=start,
    )  # fmt: skip
    arrival = first["arrival_date"].min() if len(first) else pd.NaT
    alerts = series_alerts(
        plan, stockout_p10_day=so10, first_arrival=arrival, aged_units_now=aged_now, fifo=fifo,
        lilf=lilf, shipments=shipments, table=table, start=start,
    )  # fmt: skip
    row = {
        SKU: plan.sku,
        MARKETPLACE: plan.marketplace,
        "service_level": plan.policy.service_level,
        "alerts": "; ".join(alerts),
        **_first_order_columns(first, new),
        "arrival_date": arrival,
        "daily_demand_p50": lilf.daily_demand,
        "sellable": on_hand,
        "inbound": float(position.get("inbound_total", 0.0)),
        "factory_allocated": int(shipments[shipments["source"] != "new_order"]["units"].sum()),
        "inventory_position": on_hand + float(fixed.sum()),
        "reorder_point": plan.result.reorder_point,
        "order_up_to": plan.result.order_up_to,
        "safety_stock": plan.result.safety_stock,
        "lilf_floor_units": plan.result.lilf_floor_units,
        **_cover_columns(plan, paths, arrival=arrival, stockout_p10_day=so10, start=start, days=h),
        "historical_days_of_supply": historical_days_of_supply,
        "aged_units_now": aged_now,
        "projected_aged_units_max": fifo.max_aged_units,
        "projected_storage_fee": round(fifo.storage_fee, 2),
        "projected_aged_fee": round(fifo.aged_fee, 2),
        "projected_lilf_fee_30d": round(lilf.fee_30d, 2),
        "fee_currency": table.currency,
        "units_planned_horizon": int(new["units"].sum()) if len(new) else 0,
    }
    return row, projection_frame(plan, arrivals, paths, table=table, start=start, days=hp)


def _cover_columns(
    plan: SeriesPlan,
    paths: StockPaths,
    *,
    arrival: pd.Timestamp,
    stockout_p10_day: int | None,
    start: pd.Timestamp,
    days: int,
) -> dict[str, object]:
    """Days of cover now and after the first arrival, stockout dates, P10 days short (horizon).

    Stockout dates count only the fixed arrivals (what happens without a new order); days short
    count the P10 stock path with the plan.
    """
    on_hand, fixed = plan.stock.on_hand_units, plan.stock.fixed_arrivals
    d50 = plan.demand.daily_median
    cover_after = math.nan
    a_day = (arrival - start).days if pd.notna(arrival) else None
    if a_day is not None and a_day < len(paths.p50):
        cover_after = days_of_cover(float(paths.p50[a_day]), d50[a_day + 1 :]) + 1
    short = (paths.p10[:days] <= 0) & (paths.demand_p90[:days] > 0)
    return {
        "days_of_cover_now": days_of_cover(on_hand, d50),
        "days_of_cover_after_arrival": cover_after,
        "stockout_date_p50": _date(start, stockout_day(on_hand, fixed[:days], d50[:days])),
        "stockout_date_p10": _date(start, stockout_p10_day),
        "days_short_p10_with_plan": int(np.sum(short)),
    }


def _first_order_columns(first: pd.DataFrame, new: pd.DataFrame) -> dict[str, object]:
    """Ship quantity, mode(s) and dates of the order to place now; the next ship date."""
    if not len(first):
        out: dict[str, object] = {"ship_qty": 0, "mode": "", "ship_by": pd.NaT}
        out["production_needed_by"] = pd.NaT
    else:
        out = {
            "ship_qty": int(first["units"].sum()),
            "mode": "+".join(sorted(first["mode"].unique(), key=lambda x: x != "sea")[::-1]),
            "ship_by": first["ship_date"].min(),
            "production_needed_by": first["production_needed_by"].min(),
        }
    out["next_ship_date"] = new["ship_date"].min() if len(new) else pd.NaT
    return out


def projection_frame(
    plan: SeriesPlan,
    arrivals: np.ndarray,
    paths: StockPaths,
    *,
    table: fee_mod.FeeTable,
    start: pd.Timestamp,
    days: int,
) -> pd.DataFrame:
    """The series' rows of ``ReplenishmentPlan.projection``: one per day (units).

    ``lilf_min_units`` = LILF threshold (days) × P50 demand per day over the next 28 days (the
    stock below which the low-inventory-level fee applies); ``aged_limit_units`` = P50 demand
    over the next aged-inventory age (180 days) (stock above it ages past the surcharge age).
    """
    d50 = plan.demand.daily_median
    w = DEMAND_RATE_WINDOW_DAYS
    cum = np.concatenate([[0.0], np.cumsum(d50)])
    idx = np.arange(days)
    return pd.DataFrame(
        {
            SKU: plan.sku,
            MARKETPLACE: plan.marketplace,
            "date": start + pd.to_timedelta(idx, unit="D"),
            "p10": paths.p10,
            "p50": paths.p50,
            "p90": paths.p90,
            "demand_p50": d50[:days],
            "arrivals": arrivals[:days],
            "lilf_min_units": table.lilf_threshold_days * (cum[idx + w] - cum[idx]) / w,
            "aged_limit_units": cum[np.minimum(idx + table.aged_after_days, len(d50))] - cum[idx],
        }
    )
