"""FBA replenishment plan: what to ship to which marketplace, when, by which mode, and the risks.

Per SKU × marketplace: a periodic-review order-up-to policy (review every ``review_period_days``,
protection period = sea lead time + review period, service level by ABC class) on the probabilistic
daily forecast (:mod:`forecasting.planning.fba.projection`), inside Amazon's fee bounds read from the
marketplace's fee table — a low-inventory floor (historical days of supply ≥ the table's LILF
threshold, 28 days), an ageing cap (no unit older than the table's aged-inventory age, 180 days,
FIFO) and the
monthly FBA capacity per storage type (overflow held at an overseas 3PL and sent on the first day of
the next month). The position counts FBA stock, inbound, reserved transfers and the factory's
finished goods and open production allocated by need ratio (:mod:`forecasting.planning.fba.position`).

The plan is built in named steps per series — :func:`series_demand_from_forecast` (forecast →
:class:`~forecasting.planning.fba.projection.SeriesDemand`), :func:`series_stock`
(:class:`~forecasting.planning.fba.projection.SeriesStock`), :func:`series_item`
(:class:`~forecasting.planning.fba.projection.SeriesItem`), :func:`series_policy`, the policy
(:func:`~forecasting.planning.fba.projection.run_order_up_to_policy`), then the capacity step and one
plan row per series (:mod:`forecasting.planning.fba.plan_rows`). ABC classes (service level) come from
``abc`` or from :func:`forecasting.demand.classify.abc_classes` on the sales up to ``as_of``.

Mode rule: sea by default; the first order is partly sent by the fastest configured mode when the P50
stock runs out before a sea order could arrive and the unit still earns a positive contribution
(price × fx × (1 − 15 % referral) − unit cost − fast freight > 0; freight = ``cost_per_kg`` ×
chargeable weight = max(kg, cm³ / 6000)).

Outputs (:class:`ReplenishmentPlan`): ``plan`` (one row per series: ship quantity, mode, ship-by and
production-needed-by dates, reorder point, order-up-to level, safety stock, days of cover, stockout
dates, projected storage / aged / low-inventory fees, alerts; columns in
:data:`forecasting.planning.fba.plan_rows.PLAN_COLUMNS`), ``shipments`` (every shipment over the horizon,
including finished goods and open production already at the factory, so the production area can net
them), ``projection`` (P10/P50/P90 on-hand per day) and ``capacity`` (monthly peak volume against
the limit, overage and its fee).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecasting.config import LeadTime, Settings
from forecasting.demand.classify import abc_classes
from forecasting.errors import InputError
from forecasting.planning import fees as fee_mod
from forecasting.planning.fba.capacity import CapacityResult, SeriesKey, apply_capacity_limits
from forecasting.planning.fba.plan_rows import (
    PLAN_COLUMNS,
    alert_legend,
    no_forecast_row,
    summarise_series,
)
from forecasting.planning.fba.position import allocate_factory_stock, fba_position
from forecasting.planning.fba.projection import (
    FORECAST_EXTENSION_DAYS,
    Expedite,
    Policy,
    SeriesDemand,
    SeriesItem,
    SeriesPlan,
    SeriesStock,
    demand_path,
    run_order_up_to_policy,
)
from forecasting.planning.leadtime import (
    OrderTimeline,
    inbound_arrival_days,
    order_timeline,
    required_forecast_days,
    segment_stats,
)
from forecasting.planning.safety_stock import (
    DEFAULT_DAILY_CORRELATION,
    daily_sd_from_quantiles,
    order_up_to_level,
)
from forecasting.planning.unit_economics import chargeable_weight_kg
from forecasting.schema import DATE, MARKETPLACE, MEAN, SKU, validate_forecast, validate_shipments

REFERRAL_FEE_SHARE = 0.15
#: Days of look-ahead beyond the aged-inventory age, so the last order's ageing cap and a
#: deferral to the next month stay inside the demand arrays.
LOOK_AHEAD_SPARE_DAYS = 31
#: Product fields the plan reads and the value used when the product master lacks one
#: (a documented placeholder: a 30 × 20 × 10 cm, 1 kg carton of one unit, no price or cost).
PRODUCT_DEFAULTS = {
    "case_pack": 1,
    "moq": 0,
    "length_cm": 30.0,
    "width_cm": 20.0,
    "height_cm": 10.0,
    "weight_kg": 1.0,
    "price": 0.0,
    "unit_cost": 0.0,
}


@dataclass
class ReplenishmentPlan:
    """Result of :func:`plan_replenishment` (frames described in the module docstring)."""

    plan: pd.DataFrame
    shipments: pd.DataFrame
    projection: pd.DataFrame
    capacity: pd.DataFrame
    fee_tables: dict[str, str] = field(default_factory=dict)  #: marketplace → fee table used
    notes: list[str] = field(default_factory=list)
    #: alert code → meaning, with the fee tables' thresholds (days) filled in
    alert_legend: dict[str, str] = field(default_factory=dict)


def series_demand_from_forecast(
    forecast: pd.DataFrame,
    *,
    start: pd.Timestamp,
    days: int,
    required_days: int,
    correlation: float = DEFAULT_DAILY_CORRELATION,
) -> dict[SeriesKey, SeriesDemand]:
    """Daily demand per series over ``days`` from ``start``, a short forecast extended flat.

    Per series, one model (the first listed): ``daily_mean`` = the forecast mean (units per day),
    ``daily_sd`` from P10 / P90 (:func:`forecasting.planning.safety_stock.daily_sd_from_quantiles`),
    gaps filled forward; days after the forecast's last day take the mean of its last
    :data:`~forecasting.planning.fba.projection.FORECAST_EXTENSION_DAYS` days; ``daily_median`` is
    the P50 path (:func:`~forecasting.planning.fba.projection.demand_path`). ``extended`` is set when
    the forecast ends before ``required_days``
    (:func:`forecasting.planning.leadtime.required_forecast_days`); days beyond that only feed
    the ageing cap and are not flagged.
    """
    fc = forecast[forecast[DATE] >= start]
    first_model = fc.groupby([SKU, MARKETPLACE], sort=False)["model"].transform("first")
    fc = fc[fc["model"] == first_model]
    out = {}
    for (sku, mp), g in fc.groupby([SKU, MARKETPLACE], sort=True):
        idx = ((g[DATE] - start).dt.days).to_numpy()
        sd = daily_sd_from_quantiles(g["p10"].to_numpy(float), g["p90"].to_numpy(float))
        mean = _extended_flat(idx, g[MEAN].to_numpy(float), days)
        spread = _extended_flat(idx, sd, days)
        out[(str(sku), str(mp))] = SeriesDemand(
            daily_mean=mean,
            daily_sd=spread,
            daily_median=demand_path(mean, spread, 0.5, correlation=correlation),
            extended=bool((int(idx.max()) if len(idx) else -1) < required_days - 1),
        )
    return out


def _extended_flat(day_index: np.ndarray, values: np.ndarray, days: int) -> np.ndarray:
    """``values`` placed on their day indices over ``days``; after the last day, the mean of the
    last :data:`FORECAST_EXTENSION_DAYS` days; gaps filled forward (then back); clipped at 0."""
    keep = day_index < days
    out = np.full(days, np.nan)
    out[day_index[keep]] = values[keep]
    last = int(day_index.max()) if len(day_index) else -1
    end = min(last, days - 1)
    tail = slice(max(0, end - (FORECAST_EXTENSION_DAYS - 1)), end + 1)
    fill = float(np.nanmean(out[tail])) if last >= 0 else 0.0
    out = pd.Series(out).ffill().bfill().fillna(fill).to_numpy(copy=True)
    if last < days - 1:
        out[last + 1 :] = fill
    return np.clip(out, 0, None)


def plan_abc_classes(
    sales: pd.DataFrame | None,
    abc: pd.DataFrame | None,
    settings: Settings,
    *,
    as_of: dt.date,
) -> tuple[dict[SeriesKey, str], str]:
    """ABC class per (sku, marketplace) and the plan's note saying where the classes came from.

    One rule (:func:`forecasting.demand.classify.abc_classes`: A = the top 80 % of revenue, B
    the next 15 %, C the rest): ``abc`` (``sku, marketplace, abc``, e.g. the forecast result's
    classes) when given; else ``abc_classes`` on ``sales`` up to and including ``as_of`` (never
    later days); with neither, every series is C. A series without a class is C.
    """
    if abc is not None:
        for col in (SKU, MARKETPLACE, "abc"):
            if col not in abc.columns:
                raise InputError("ABC classes given without this column", column=col)
        classes, source = abc, "given"
    elif sales is not None:
        upto = sales[pd.to_datetime(sales[DATE]) <= pd.Timestamp(as_of)] if DATE in sales else sales
        classes = abc_classes(upto, settings.fx_to_base or None)
        source = "forecasting.demand.abc_classes (revenue)"
    else:
        return {}, "ABC classes: none given and no sales, so every series is class C"
    pairs = zip(classes[SKU], classes[MARKETPLACE], classes["abc"], strict=True)
    return {(str(s), str(m)): str(c) for s, m, c in pairs}, f"ABC classes from {source}"


def _freight_per_unit(settings: Settings, mp: str, mode: str, prod: Mapping[str, float]) -> float:
    weight = chargeable_weight_kg(
        prod["length_cm"], prod["width_cm"], prod["height_cm"], float(prod["weight_kg"])
    )
    return settings.lead_time(mp, mode).cost_per_kg * weight


def expedite_option(
    settings: Settings, marketplace: str, product: Mapping[str, float]
) -> Expedite | None:
    """The fastest non-sea mode of a marketplace and whether it pays (None when there is none).

    Formula: contribution = price × fx(USD) × (1 − 15 % referral) − unit cost − freight per unit,
    freight = ``cost_per_kg`` × chargeable weight (max(kg, cm³ ÷ 6000)); economic when > 0.
    """
    modes = [m for m in settings.modes(marketplace) if m != "sea"]
    if not modes:
        return None
    fastest = min(modes, key=lambda m: settings.lead_time(marketplace, m).mean_days)
    fx = settings.fx_to_base.get("USD", 1.0)
    margin = (
        float(product["price"]) * fx * (1 - REFERRAL_FEE_SHARE)
        - float(product["unit_cost"])
        - _freight_per_unit(settings, marketplace, fastest, product)
    )
    days = int(round(settings.lead_time(marketplace, fastest).mean_days))
    return Expedite(fastest, days, economic=bool(margin > 0))


def product_fields(products: pd.DataFrame) -> dict[str, dict[str, float]]:
    """sku → the product fields the plan reads (:data:`PRODUCT_DEFAULTS` where a value is missing)."""
    out = {}
    for rec in products.to_dict("records"):
        d = dict(PRODUCT_DEFAULTS)
        for k in PRODUCT_DEFAULTS:
            v = rec.get(k)
            if v is not None and not (isinstance(v, float) and math.isnan(v)):
                d[k] = float(v)
        out[str(rec[SKU])] = d
    return out


def _protection_needs(
    demand: Mapping[SeriesKey, SeriesDemand],
    positions: Mapping[SeriesKey, Mapping[str, float | str]],
    sea: Mapping[str, LeadTime],
    service: Mapping[SeriesKey, float],
    *,
    review_period_days: int,
    correlation: float,
) -> pd.DataFrame:
    """Units each series is short of its order-up-to level before factory stock (for allocation).

    ``need = S − FBA position`` with ``S`` the service quantile of demand over the protection
    period ``L + R`` (sea); ``demand`` = expected units over it (the allocation's fallback weight).
    """
    rows = []
    for (s, m), d in demand.items():
        lt = sea[m]
        end = int(round(lt.mean_days)) + review_period_days
        level, _ = order_up_to_level(
            d.daily_mean[:end],
            d.daily_sd[:end],
            service[(s, m)],
            lead_time_sd=lt.sd_days,
            correlation=correlation,
        )
        have = float(positions[(s, m)]["fba_position"]) if (s, m) in positions else 0.0
        rows.append((s, m, level - have, float(d.daily_mean[:end].sum())))
    return pd.DataFrame(rows, columns=[SKU, MARKETPLACE, "need", "demand"])


def series_stock(
    position: Mapping[str, float | str],
    allocation: Mapping[str, float | pd.Timestamp] | None,
    lead_time: LeadTime,
    *,
    start: pd.Timestamp,
    days: int,
) -> tuple[SeriesStock, list[dict[str, object]]]:
    """Sellable stock on day 0 and the arrivals already fixed, with the factory's shipment rows.

    Inbound units arrive on the days of :func:`forecasting.planning.leadtime.inbound_arrival_days`
    (day ``round(d) − 1``); finished goods allocated to the marketplace after the legs that follow
    production; open production after its due date plus those legs (days).
    """
    fixed = np.zeros(days)
    for col, arrive in inbound_arrival_days(lead_time).items():
        fixed[min(max(int(round(arrive)) - 1, 0), days - 1)] += float(position.get(col, 0.0))
    ships = []
    if allocation is not None:
        after_production = int(round(segment_stats(lead_time, after="production")[0]))
        timeline = order_timeline(lead_time)
        fg = int(allocation["finished_goods_alloc"])
        op = int(allocation["open_production_alloc"])
        due = allocation["open_production_due"]
        common = dict(sku=position[SKU], marketplace=position[MARKETPLACE], mode=lead_time.mode)
        if fg > 0:
            fixed[after_production] += fg
            ships.append(shipment_row(
                **common, source="finished_goods", start=start, order_day=None,
                timeline=timeline, arrival_day=after_production, units=fg,
            ))  # fmt: skip
        if op > 0:
            due_day = 0 if pd.isna(due) else max((pd.Timestamp(due) - start).days, 0)
            day = min(due_day + after_production, days - 1)
            fixed[day] += op
            ships.append(shipment_row(
                **common, source="open_production", start=start, order_day=due_day,
                timeline=timeline, arrival_day=day, units=op,
            ))  # fmt: skip
    on_hand = float(position.get("sellable", 0.0))
    return SeriesStock(on_hand_units=on_hand, fixed_arrivals=fixed), ships


def series_item(
    product: Mapping[str, float],
    inventory_row: Mapping[str, object] | None,
    *,
    default_mode: str,
) -> SeriesItem:
    """Unit volume (cu ft), size tier, case pack and default mode of a series.

    Volume: the report's ``item_volume_cuft``, else L × W × H of the product (cm → cu ft). Size
    tier from the dimensions (cm) and weight (kg) (:func:`forecasting.planning.fees.size_tier`);
    the report's ``storage_type`` wins (oversize / bulky → oversize; standard caps an oversize
    tier at large standard).
    """
    row = inventory_row or {}
    cuft = float(pd.to_numeric(row.get("item_volume_cuft"), errors="coerce"))
    dims = (product["length_cm"], product["width_cm"], product["height_cm"])
    if not cuft > 0:  # NaN or missing: from the product's dimensions
        cuft = fee_mod.unit_volume_cuft(*dims)
    tier = fee_mod.size_tier(*dims, product["weight_kg"])
    if "storage_type" in row:  # Amazon's own word wins
        kind = str(row["storage_type"]).lower()
        if "over" in kind or "bulky" in kind:
            tier = "oversize"
        elif "standard" in kind and tier == "oversize":
            tier = "large_standard_20lb"
    return SeriesItem(
        cuft_per_unit=cuft,
        size_tier=tier,
        case_pack=int(product["case_pack"]),
        default_mode=default_mode,
    )


def series_policy(
    lead_time: LeadTime,
    product: Mapping[str, float],
    *,
    service_level: float,
    review_period_days: int,
    fee_thresholds: fee_mod.FeeThresholds,
    correlation: float,
) -> Policy:
    """The (R, S) policy of one series: sea lead time (days), review period, case pack, MOQ."""
    return Policy(
        service_level=service_level,
        lead_time_days=int(round(lead_time.mean_days)),
        lead_time_sd=lead_time.sd_days,
        review_period_days=review_period_days,
        fee_thresholds=fee_thresholds,
        case_pack=int(product["case_pack"]),
        moq=int(product["moq"]),
        correlation=correlation,
        mode=lead_time.mode,
    )


@dataclass(frozen=True, kw_only=True)
class PlanFrame:
    """What the plan works on, resolved once from the settings and the inputs.

    Attributes
    ----------
    start : Timestamp
        Day 0 of the plan: the day after ``as_of``.
    horizon_days, review_period_days : int
        Planning horizon and review period (days).
    required_days : int
        Days of forecast the plan needs (:func:`~forecasting.planning.leadtime.required_forecast_days`).
    array_days : int
        Length of the daily arrays: ``required_days`` + the largest aged-inventory age + 31 spare.
    sea : dict
        marketplace → lead time of its default (first-listed, sea) mode.
    tables, fee_tables : dict
        marketplace → fee table name, and the loaded :class:`~forecasting.planning.fees.FeeTable`.
    """

    start: pd.Timestamp
    horizon_days: int
    review_period_days: int
    required_days: int
    array_days: int
    sea: dict[str, LeadTime]
    tables: dict[str, str]
    fee_tables: dict[str, fee_mod.FeeTable]


def plan_frame(settings: Settings, *, as_of: dt.date) -> PlanFrame:
    """Day 0, horizon, review period, forecast days needed, default lead times and fee tables."""
    mps = [m.code for m in settings.marketplaces]
    tables = {mp: fee_mod.fee_table_name_for(mp, settings.fee_table) for mp in mps}
    loaded = {mp: fee_mod.load_fee_table(name) for mp, name in tables.items()}
    required = required_forecast_days(settings)
    aged_after = max(t.aged_after_days for t in loaded.values())
    return PlanFrame(
        start=pd.Timestamp(as_of) + pd.Timedelta(days=1),
        horizon_days=int(settings.planning_horizon_days),
        review_period_days=int(settings.review_period_days),
        required_days=required,
        array_days=required + aged_after + LOOK_AHEAD_SPARE_DAYS,
        sea={mp: settings.lead_time(mp, settings.modes(mp)[0]) for mp in mps if settings.modes(mp)},
        tables=tables,
        fee_tables=loaded,
    )


def latest_stock(inventory: pd.DataFrame) -> pd.DataFrame:
    """One inventory snapshot row per SKU × marketplace: the latest (by ``date`` when present)."""
    if DATE in inventory.columns:
        inventory = inventory.sort_values(DATE, kind="stable")
    return inventory.drop_duplicates([SKU, MARKETPLACE], keep="last")


def plan_replenishment(
    forecast: pd.DataFrame,
    inventory: pd.DataFrame,
    products: pd.DataFrame,
    settings: Settings,
    *,
    factory_stock: pd.DataFrame | None = None,
    sales: pd.DataFrame | None = None,
    abc: pd.DataFrame | None = None,
    capacity_limits_cuft: dict[str, dict[str, float]] | None = None,
    correlation: float = DEFAULT_DAILY_CORRELATION,
    as_of: dt.date | None = None,
    stock_notes: Sequence[str] = (),
) -> ReplenishmentPlan:
    """Plan FBA replenishment for every SKU × marketplace over the planning horizon.

    The steps are listed in the module docstring.

    Parameters
    ----------
    forecast : DataFrame
        Daily forecast: sku, marketplace, date, model, mean, p10 … p90 (units per day); one model
        per series is used (the first listed). Shorter than
        :func:`~forecasting.planning.leadtime.required_forecast_days`: extended flat and flagged.
    inventory : DataFrame
        ``store.inventory()`` snapshot (units; ``item_volume_cuft`` cu ft per unit).
    products : DataFrame
        ``store.products()``: case_pack, moq, dimensions (cm), weight (kg), price (USD),
        unit_cost (base currency).
    settings : Settings
        Lead times, service levels, review period (days), horizon (days), fee table, fx.
    factory_stock : DataFrame, optional
        ``store.factory_stock()``: finished goods and open production shared by marketplaces.
    sales : DataFrame, optional
        ``store.sales()``: revenue ABC classes (:func:`plan_abc_classes`) from the days up to
        ``as_of``; ``abc`` (sku, marketplace, abc) overrides it; with neither every series is C.
    abc : DataFrame, optional
        ABC class per sku × marketplace (the forecast result's classes).
    capacity_limits_cuft : dict, optional
        marketplace → storage type → cu ft per month; default: settings
        ``capacity_limits_cuft`` when present, else the fee table's defaults.
    correlation : float
        Day-to-day forecast error correlation for demand over a period (see
        :func:`forecasting.planning.safety_stock.demand_over_period`).
    as_of : date, optional
        Planning date; default ``settings.as_of``. Day 0 of the plan is the day after.
    stock_notes : sequence of str
        Caveats about the stock figures (``Store.fba_stock``), added to the plan's notes;
        a ``stock_source`` column of ``inventory`` is carried into the plan.

    Returns
    -------
    ReplenishmentPlan
    """
    as_of = as_of or settings.as_of
    validate_forecast(forecast)
    forecast = forecast.assign(date=pd.to_datetime(forecast[DATE]))
    frame = plan_frame(settings, as_of=as_of)
    demand = series_demand_from_forecast(
        forecast, start=frame.start, days=frame.array_days, required_days=frame.required_days,
        correlation=correlation,
    )  # fmt: skip
    inv = latest_stock(inventory)
    pos = fba_position(inv)
    pos = pos[pos[MARKETPLACE].isin(frame.tables)]
    positions = {(r[SKU], r[MARKETPLACE]): r for r in pos.to_dict("records")}
    keys = sorted({k for k in demand if k[1] in frame.tables} | set(positions))
    notes: list[str] = list(stock_notes)
    for t in {t.name: t for t in frame.fee_tables.values()}.values():
        notes += t.uncertain_rows()
    classes, abc_note = plan_abc_classes(sales, abc, settings, as_of=as_of)
    notes.append(abc_note)
    planned = {k: demand[k] for k in keys if k in demand and k[1] in frame.sea}
    service = {k: settings.service_levels.get(classes.get(k, "C"), 0.95) for k in planned}
    series, ships = _plan_series(
        planned, positions, inv.set_index([SKU, MARKETPLACE]), product_fields(products),
        settings, frame=frame, service=service, factory_stock=factory_stock,
        correlation=correlation,
    )  # fmt: skip
    limits = capacity_limits_cuft or getattr(settings, "capacity_limits_cuft", None) or {}
    cap = apply_capacity_limits(
        series, pd.DataFrame(ships, columns=SHIPMENT_COLUMNS),
        {mp: fee_mod.capacity_limits(t, limits.get(mp)) for mp, t in frame.fee_tables.items()},
        start=frame.start, horizon_days=frame.horizon_days,
    )  # fmt: skip
    notes += _horizon_notes(frame, planned)
    plan, projection = _plan_rows(keys, series, cap, positions, inv, classes, frame=frame)
    return _assemble(plan, projection, cap, frame=frame, notes=notes)


def _assemble(
    plan: pd.DataFrame,
    projection: pd.DataFrame,
    cap: CapacityResult,
    *,
    frame: PlanFrame,
    notes: list[str],
) -> ReplenishmentPlan:
    """The :class:`ReplenishmentPlan`: shipments checked, capacity fees, notes once, legend."""
    tables = ", ".join(f"{mp} {name}" for mp, name in sorted(frame.tables.items()))
    return ReplenishmentPlan(
        plan=plan,
        shipments=validate_shipments(cap.shipments),
        projection=projection,
        capacity=capacity_with_overage_fee(cap.capacity, frame.fee_tables),
        fee_tables=frame.tables,
        notes=list(dict.fromkeys([*notes, f"fee tables: {tables}"])),  # the same caveat once
        alert_legend=alert_legend({mp: t.thresholds for mp, t in frame.fee_tables.items()}),
    )


def _plan_series(
    demand: Mapping[SeriesKey, SeriesDemand],
    positions: Mapping[SeriesKey, Mapping[str, float | str]],
    inventory: pd.DataFrame,
    products: Mapping[str, Mapping[str, float]],
    settings: Settings,
    *,
    frame: PlanFrame,
    service: Mapping[SeriesKey, float],
    factory_stock: pd.DataFrame | None,
    correlation: float,
) -> tuple[dict[SeriesKey, SeriesPlan], list[dict[str, object]]]:
    """Stock, item, policy and planned orders of every series, and all their shipment rows."""
    needs = _protection_needs(
        demand, positions, frame.sea, service, review_period_days=frame.review_period_days,
        correlation=correlation,
    )  # fmt: skip
    alloc = allocate_factory_stock(factory_stock, needs).set_index([SKU, MARKETPLACE])
    allocations = {k: r for k, r in zip(alloc.index, alloc.to_dict("records"), strict=True)}
    series: dict[SeriesKey, SeriesPlan] = {}
    ships: list[dict[str, object]] = []
    for (s, m), d in demand.items():
        lt = frame.sea[m]
        prod = products.get(s, PRODUCT_DEFAULTS)
        position = positions.get((s, m), {SKU: s, MARKETPLACE: m})
        stock, factory_ships = series_stock(
            position, allocations.get((s, m)), lt, start=frame.start, days=frame.array_days
        )
        ships += factory_ships
        row = inventory.loc[(s, m)].to_dict() if (s, m) in inventory.index else None
        policy = series_policy(
            lt, prod, service_level=service[(s, m)], review_period_days=frame.review_period_days,
            fee_thresholds=frame.fee_tables[m].thresholds, correlation=correlation,
        )  # fmt: skip
        result = run_order_up_to_policy(
            stock, d, policy, horizon_days=frame.horizon_days,
            expedite=expedite_option(settings, m, prod),
        )  # fmt: skip
        series[(s, m)] = SeriesPlan(
            sku=s, marketplace=m, demand=d, stock=stock,
            item=series_item(prod, row, default_mode=lt.mode), policy=policy, result=result,
        )  # fmt: skip
        for o in result.orders:
            ships.append(shipment_row(
                sku=s, marketplace=m, mode=o.mode, source="new_order", start=frame.start,
                order_day=o.day, timeline=order_timeline(settings.lead_time(m, o.mode)),
                arrival_day=o.arrival_day, units=o.units,
            ))  # fmt: skip
    return series, ships


def _horizon_notes(frame: PlanFrame, demand: Mapping[SeriesKey, SeriesDemand]) -> list[str]:
    """Notes on the horizon: shorter than 26 weeks; forecasts shorter than the plan needs."""
    notes = []
    if frame.horizon_days < 182:
        notes.append(f"planning horizon {frame.horizon_days} days is shorter than 26 weeks")
    extended = sum(d.extended for d in demand.values())
    if extended:
        notes.append(
            f"forecast_extended: {extended} of {len(demand)} series have a forecast shorter than "
            f"the {frame.required_days} days the plan needs (planning horizon + longest lead "
            f"time + review period); their last {FORECAST_EXTENSION_DAYS} days are repeated"
        )
    return notes


def _plan_rows(
    keys: Sequence[SeriesKey],
    series: Mapping[SeriesKey, SeriesPlan],
    cap: CapacityResult,
    positions: Mapping[SeriesKey, Mapping[str, float | str]],
    inventory: pd.DataFrame,
    classes: Mapping[SeriesKey, str],
    *,
    frame: PlanFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plan (one row per series, :data:`PLAN_COLUMNS`) and the projection frame."""
    inv = inventory.set_index([SKU, MARKETPLACE])
    has_hdos = "historical_days_of_supply" in inv.columns
    rows, parts = [], []
    by_series = dict(iter(cap.shipments.groupby([SKU, MARKETPLACE], sort=False)))
    empty = cap.shipments.iloc[:0]
    for key in keys:
        s, m = key
        if key not in series:
            rows.append(no_forecast_row(s, m, positions.get(key, {}), frame.tables.get(m, "")))
            continue
        hdos = (
            float(inv.loc[key, "historical_days_of_supply"])
            if has_hdos and key in inv.index
            else math.nan
        )
        row, proj = summarise_series(
            series[key], arrivals=cap.arrivals[key], position=positions.get(key, {}),
            historical_days_of_supply=hdos, shipments=by_series.get(key, empty),
            table=frame.fee_tables[m], start=frame.start, horizon_days=frame.horizon_days,
        )  # fmt: skip
        row.update(abc=classes.get(key, "C"), fee_table=frame.tables[m])
        rows.append(row)
        parts.append(proj)
    plan = pd.DataFrame(rows)
    if "stock_source" in inv.columns and len(plan):
        source = inv["stock_source"].to_dict()
        plan["stock_source"] = [
            source.get((s, m), "no planning-report row")
            for s, m in zip(plan[SKU], plan[MARKETPLACE], strict=True)
        ]
    projection = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return plan.reindex(columns=PLAN_COLUMNS), projection


def capacity_with_overage_fee(
    capacity: pd.DataFrame, fee_tables: Mapping[str, fee_mod.FeeTable]
) -> pd.DataFrame:
    """The capacity table with ``overage_cuft`` (cu ft above the limit at the month's peak),
    ``overage_fee`` (× the fee table's rate per cu ft, its currency) and ``fee_currency``."""
    over = capacity["peak_cuft_after"].astype(float) - capacity["limit_cuft"].astype(float)
    over = over.clip(lower=0).fillna(0.0)
    rates = {mp: float(t.capacity.get("overage_fee_per_cuft", 0.0)) for mp, t in fee_tables.items()}
    rate = capacity[MARKETPLACE].map(rates).astype(float)
    out = capacity.copy()
    out["overage_cuft"] = over
    out["overage_fee"] = (over * rate).round(2)
    out["fee_currency"] = out[MARKETPLACE].map({m: t.currency for m, t in fee_tables.items()})
    return out


SHIPMENT_COLUMNS = [
    SKU,
    MARKETPLACE,
    "mode",
    "source",
    "destination",
    "order_date",
    "production_needed_by",
    "ship_date",
    "arrival_date",
    "units",
    "note",
]


def shipment_row(
    *,
    sku: str,
    marketplace: str,
    mode: str,
    source: str,
    start: pd.Timestamp,
    order_day: int | None,
    timeline: OrderTimeline,
    arrival_day: int,
    units: int,
) -> dict[str, object]:
    """One shipment row (:data:`SHIPMENT_COLUMNS`) to FBA; days counted from day 0 ``start``.

    ``order_day`` None: finished goods ready now (no production; ships after the factory legs
    that follow production). ``open_production``: ``order_day`` is the production due day.
    Otherwise a new order released on ``order_day``: production done after the ``production``
    leg, shipped after :data:`~forecasting.planning.leadtime.PRE_SHIPMENT_SEGMENTS`.
    """
    day0 = pd.Timestamp(start)
    arrival = day0 + pd.Timedelta(days=int(arrival_day))
    after_production = pd.Timedelta(days=round(timeline.ship_day - timeline.production_done_day))
    if order_day is None:
        order, done, ship = pd.NaT, pd.NaT, day0 + after_production
    elif source == "open_production":
        order, done = pd.NaT, day0 + pd.Timedelta(days=int(order_day))
        ship = done + after_production
    else:
        order = day0 + pd.Timedelta(days=int(order_day))
        done = day0 + pd.Timedelta(days=int(order_day) + round(timeline.production_done_day))
        ship = done + after_production
    values = [sku, marketplace, mode, source, "FBA", order, done, ship, arrival, int(units), ""]
    return dict(zip(SHIPMENT_COLUMNS, values, strict=True))
