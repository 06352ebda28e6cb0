"""FBA replenishment plan: what to ship to which marketplace, when, by which mode, and the risks.

Per SKU × marketplace: a periodic-review order-up-to policy (review every ``review_period_days``,
protection period = sea lead time + review period, service level by ABC class) on the probabilistic
daily forecast (:mod:`forecasting.planning.projection`), inside Amazon's fee bounds — a low-inventory
floor (historical days of supply ≥ 28), an ageing cap (no unit older than 180 days, FIFO) and the
monthly FBA capacity per storage type (overflow held at an overseas 3PL and sent on the first day of
the next month). The position counts FBA stock, inbound, reserved transfers and the factory's
finished goods and open production allocated by need ratio (:mod:`forecasting.planning.position`).

Mode rule: sea by default; the first order is partly sent by the fastest configured mode when the P50
stock runs out before a sea order could arrive and the unit still earns a positive contribution
(price × fx × (1 − 15 % referral) − unit cost − fast freight > 0; freight = ``cost_per_kg`` ×
chargeable weight = max(kg, cm³ / 6000)).

Outputs (:class:`ReplenishmentPlan`): ``plan`` (one row per series: ship quantity, mode, ship-by and
production-needed-by dates, reorder point, order-up-to level, safety stock, days of cover, stockout
dates, projected storage / aged / low-inventory fees, alerts; columns in
:data:`forecasting.planning.plan_rows.PLAN_COLUMNS`), ``shipments`` (every shipment over the horizon,
including finished goods and open production already at the factory, so the production area can net
them), ``projection`` (P10/P50/P90 on-hand per day) and ``capacity`` (monthly peak volume against
the limit, overage and its fee).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecasting.config import Settings
from forecasting.errors import InputError
from forecasting.planning import fees as fee_mod
from forecasting.planning.capacity import apply_capacity_limits
from forecasting.planning.leadtime import inbound_arrival_days, order_timeline, segment_stats
from forecasting.planning.plan_rows import PLAN_COLUMNS, no_forecast_row, summarise_series
from forecasting.planning.position import allocate_factory_stock, fba_position
from forecasting.planning.projection import (
    AGED_DAYS,
    Expedite,
    Policy,
    demand_path,
    project_on_hand,
    run_order_up_to_policy,
)
from forecasting.planning.safety_stock import (
    DEFAULT_DAILY_CORRELATION,
    daily_sd_from_quantiles,
    order_up_to_level,
    revenue_abc,
)
from forecasting.planning.unit_economics import chargeable_weight_kg
from forecasting.schema import MARKETPLACE, MEAN, SKU, validate_forecast, validate_shipments

REFERRAL_FEE_SHARE = 0.15


@dataclass
class ReplenishmentPlan:
    """Result of :func:`plan_replenishment` (frames described in the module docstring)."""

    plan: pd.DataFrame
    shipments: pd.DataFrame
    projection: pd.DataFrame
    capacity: pd.DataFrame
    fee_tables: dict[str, str] = field(default_factory=dict)  #: marketplace → fee table used
    notes: list[str] = field(default_factory=list)


@dataclass
class _Series:
    sku: str
    mp: str
    mu: np.ndarray
    sd: np.ndarray
    d50: np.ndarray
    on_hand: float
    fixed: np.ndarray
    cuft: float
    tier: str
    extended: bool
    case_pack: int = 1
    default_mode: str = "sea"
    arrivals: np.ndarray | None = None
    p50: np.ndarray | None = None


def _forecast_arrays(
    forecast: pd.DataFrame, start: pd.Timestamp, n: int, needed: int
) -> dict[tuple[str, str], tuple[np.ndarray, np.ndarray, bool]]:
    """Daily mean and sd per series over ``n`` days from ``start``; short forecasts extended flat.

    The flag says whether the forecast ends before ``needed`` days (horizon + lead time + review);
    days beyond that only feed the 180-day ageing cap and are extended silently.
    """
    fc = forecast[forecast["date"] >= start]
    first_model = fc.groupby([SKU, MARKETPLACE], sort=False)["model"].transform("first")
    fc = fc[fc["model"] == first_model]
    out = {}
    for (sku, mp), g in fc.groupby([SKU, MARKETPLACE], sort=True):
        idx = ((g["date"] - start).dt.days).to_numpy()
        keep = idx < n
        mu = np.full(n, np.nan)
        sd = np.full(n, np.nan)
        mu[idx[keep]] = g[MEAN].to_numpy(float)[keep]
        sd[idx[keep]] = daily_sd_from_quantiles(g["p10"].to_numpy(float), g["p90"].to_numpy(float))[
            keep
        ]
        last = int(idx.max()) if len(idx) else -1
        extended = last < needed - 1
        tail = slice(max(0, min(last, n - 1) - 27), min(last, n - 1) + 1)
        fill_mu = float(np.nanmean(mu[tail])) if last >= 0 else 0.0
        fill_sd = float(np.nanmean(sd[tail])) if last >= 0 else 0.0
        mu = pd.Series(mu).ffill().bfill().fillna(fill_mu).to_numpy(copy=True)
        sd = pd.Series(sd).ffill().bfill().fillna(fill_sd).to_numpy(copy=True)
        if last < n - 1:
            mu[last + 1 :], sd[last + 1 :] = fill_mu, fill_sd
        out[(str(sku), str(mp))] = (np.clip(mu, 0, None), np.clip(sd, 0, None), extended)
    return out


def _abc(
    sales: pd.DataFrame | None, abc: pd.DataFrame | None, settings: Settings, fallback: pd.DataFrame
) -> tuple[pd.DataFrame, str]:
    """ABC class per sku × marketplace: given, demand area's ``abc_classes``, or our own helper."""
    if abc is not None:
        return abc[[SKU, MARKETPLACE, "abc"]], "given"
    if sales is not None and len(sales) and "revenue" in sales.columns:
        try:
            from forecasting.demand.classify import abc_classes

            out = abc_classes(sales, settings.fx_to_base or None)
            return out[[SKU, MARKETPLACE, "abc"]], "forecasting.demand.abc_classes (revenue)"
        except (ImportError, InputError, KeyError, TypeError, ValueError):
            pass
    parts = [revenue_abc(g) for _, g in fallback.groupby(MARKETPLACE, sort=True)]
    df = pd.concat(parts, ignore_index=True) if parts else fallback.assign(abc="C")
    return df[[SKU, MARKETPLACE, "abc"]], "forecast demand × list price (revenue_abc)"


def _freight_per_unit(settings: Settings, mp: str, mode: str, prod: dict) -> float:
    weight = chargeable_weight_kg(
        prod["length_cm"], prod["width_cm"], prod["height_cm"], float(prod["weight_kg"])
    )
    return settings.lead_time(mp, mode).cost_per_kg * weight


def _expedite_option(settings: Settings, mp: str, prod: dict) -> Expedite | None:
    modes = [m for m in settings.modes(mp) if m != "sea"]
    if not modes:
        return None
    fastest = min(modes, key=lambda m: settings.lead_time(mp, m).mean_days)
    fx = settings.fx_to_base.get("USD", 1.0)
    margin = (
        float(prod["price"]) * fx * (1 - REFERRAL_FEE_SHARE)
        - float(prod["unit_cost"])
        - _freight_per_unit(settings, mp, fastest, prod)
    )
    days = int(round(settings.lead_time(mp, fastest).mean_days))
    return Expedite(fastest, days, economic=bool(margin > 0))


def _products(products: pd.DataFrame) -> dict[str, dict]:
    defaults = {
        "case_pack": 1,
        "moq": 0,
        "length_cm": 30.0,
        "width_cm": 20.0,
        "height_cm": 10.0,
        "weight_kg": 1.0,
        "price": 0.0,
        "unit_cost": 0.0,
    }
    out = {}
    for rec in products.to_dict("records"):
        d = dict(defaults)
        for k in defaults:
            v = rec.get(k)
            if v is not None and not (isinstance(v, float) and math.isnan(v)):
                d[k] = float(v)
        out[str(rec[SKU])] = d
    return out


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

    Parameters
    ----------
    forecast : DataFrame
        Daily forecast: sku, marketplace, date, model, mean, p10 … p90 (units per day); one model
        per series is used (the first listed).
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
        ``store.sales()`` for revenue ABC classes; ``abc`` (sku, marketplace, abc) overrides it.
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
    forecast = forecast.assign(date=pd.to_datetime(forecast["date"]))
    start = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    horizon, rp = int(settings.planning_horizon_days), int(settings.review_period_days)
    mps = [m.code for m in settings.marketplaces]
    sea = {mp: settings.lead_time(mp, settings.modes(mp)[0]) for mp in mps if settings.modes(mp)}
    max_lt = max((int(round(lt.mean_days)) for lt in sea.values()), default=0)
    n = horizon + max_lt + rp + AGED_DAYS + 31
    arrays = _forecast_arrays(forecast, start, n, horizon + max_lt + rp)
    prods = _products(products)
    if "date" in inventory.columns:  # one snapshot per series: the latest
        inventory = inventory.sort_values("date", kind="stable")
    inventory = inventory.drop_duplicates([SKU, MARKETPLACE], keep="last")
    pos = fba_position(inventory)
    pos = pos[pos[MARKETPLACE].isin(mps)]
    inv = inventory.set_index([SKU, MARKETPLACE])
    keys = sorted(
        {k for k in arrays if k[1] in mps} | set(zip(pos[SKU], pos[MARKETPLACE], strict=True))
    )
    posd = {(r[SKU], r[MARKETPLACE]): r for r in pos.to_dict("records")}
    notes: list[str] = list(stock_notes)
    tables = {mp: fee_mod.fee_table_name_for(mp, settings.fee_table) for mp in mps}
    loaded = {mp: fee_mod.load_fee_table(name) for mp, name in tables.items()}
    for t in {t.name: t for t in loaded.values()}.values():
        notes += t.uncertain_rows()

    # ABC class → service level
    fallback = pd.DataFrame(
        [
            (s, m, float(arrays[(s, m)][0][:365].sum()) * prods.get(s, {"price": 1.0})["price"])
            for s, m in keys
            if (s, m) in arrays
        ],
        columns=[SKU, MARKETPLACE, "revenue"],
    )
    abc_df, abc_source = _abc(sales, abc, settings, fallback)
    abc_map = {(r[SKU], r[MARKETPLACE]): r["abc"] for r in abc_df.to_dict("records")}
    notes.append(f"ABC classes from {abc_source}")

    # need before factory stock → allocate finished goods and open production by need ratio
    need_rows = []
    for s, m in keys:
        if (s, m) not in arrays or m not in sea:
            continue
        mu, sd, _ = arrays[(s, m)]
        lt = sea[m]
        end = int(round(lt.mean_days)) + rp
        level, _ = order_up_to_level(
            mu[:end],
            sd[:end],
            settings.service_levels.get(abc_map.get((s, m), "C"), 0.95),
            lead_time_sd=lt.sd_days,
            correlation=correlation,
        )
        have = posd[(s, m)]["fba_position"] if (s, m) in posd else 0.0
        need_rows.append((s, m, level - have, float(mu[:end].sum())))
    needs = pd.DataFrame(need_rows, columns=[SKU, MARKETPLACE, "need", "demand"])
    alloc = allocate_factory_stock(factory_stock, needs).set_index([SKU, MARKETPLACE])

    series: dict[tuple[str, str], _Series] = {}
    policies: dict[tuple[str, str], Policy] = {}
    ship_rows: list[dict] = []
    results = {}
    for s, m in keys:
        if (s, m) not in arrays or m not in sea:
            continue
        mu, sd, extended = arrays[(s, m)]
        lt = sea[m]
        prod = prods[s] if s in prods else _products(pd.DataFrame([{SKU: s}]))[s]
        p = posd.get((s, m), {})
        fixed = np.zeros(n)
        for col, days in inbound_arrival_days(lt).items():
            fixed[min(max(int(round(days)) - 1, 0), n - 1)] += float(p.get(col, 0.0))
        tl = order_timeline(lt)
        after_prod = segment_stats(lt, after="production")[0]
        if (s, m) in alloc.index:
            a = alloc.loc[(s, m)]
            fg, op, due = (
                int(a["finished_goods_alloc"]),
                int(a["open_production_alloc"]),
                a["open_production_due"],
            )
            if fg > 0:
                day = int(round(after_prod))
                fixed[day] += fg
                ship_rows.append(_ship(s, m, lt.mode, "finished_goods", start, None, tl, day, fg))
            if op > 0:
                due_day = 0 if pd.isna(due) else max((pd.Timestamp(due) - start).days, 0)
                day = min(due_day + int(round(after_prod)), n - 1)
                fixed[day] += op
                ship_rows.append(
                    _ship(s, m, lt.mode, "open_production", start, due_day, tl, day, op)
                )
        cuft = 0.0
        if (s, m) in inv.index and "item_volume_cuft" in inv.columns:
            cuft = float(pd.to_numeric(inv.loc[(s, m), "item_volume_cuft"], errors="coerce"))
        if not cuft > 0:  # NaN or missing: from the product's dimensions
            cuft = fee_mod.unit_volume_cuft(prod["length_cm"], prod["width_cm"], prod["height_cm"])
        tier = fee_mod.size_tier(
            prod["length_cm"], prod["width_cm"], prod["height_cm"], prod["weight_kg"]
        )
        if (s, m) in inv.index and "storage_type" in inv.columns:  # Amazon's own word wins
            kind = str(inv.loc[(s, m), "storage_type"]).lower()
            if "over" in kind or "bulky" in kind:
                tier = "oversize"
            elif "standard" in kind and tier == "oversize":
                tier = "large_standard_20lb"
        d50 = demand_path(mu, sd, 0.5, correlation=correlation)
        ser = _Series(
            s,
            m,
            mu,
            sd,
            d50,
            float(p.get("sellable", 0.0)),
            fixed,
            cuft,
            tier,
            extended,
            int(prod["case_pack"]),
            lt.mode,
        )
        pol = Policy(
            service_level=settings.service_levels.get(abc_map.get((s, m), "C"), 0.95),
            lead_time_days=int(round(lt.mean_days)),
            lead_time_sd=lt.sd_days,
            review_period_days=rp,
            case_pack=int(prod["case_pack"]),
            moq=int(prod["moq"]),
            correlation=correlation,
            mode=lt.mode,
        )
        res = run_order_up_to_policy(
            ser.on_hand, fixed, mu, sd, d50, pol, horizon, _expedite_option(settings, m, prod)
        )
        ser.arrivals = res.arrivals
        ser.p50 = project_on_hand(ser.on_hand, res.arrivals[:horizon], d50[:horizon])
        series[(s, m)], policies[(s, m)], results[(s, m)] = ser, pol, res
        for o in res.orders:
            olt = settings.lead_time(m, o.mode)
            ship_rows.append(
                _ship(
                    s,
                    m,
                    o.mode,
                    "new_order",
                    start,
                    o.day,
                    order_timeline(olt),
                    o.arrival_day,
                    o.units,
                )
            )
    shipments = pd.DataFrame(ship_rows, columns=SHIPMENT_COLUMNS)

    limits = capacity_limits_cuft or getattr(settings, "capacity_limits_cuft", None) or {}
    cap_limits = {mp: fee_mod.capacity_limits(loaded[mp], limits.get(mp)) for mp in mps}
    shipments, capacity = apply_capacity_limits(series, shipments, cap_limits, start, horizon)
    over = capacity["peak_cuft_after"].astype(float) - capacity["limit_cuft"].astype(float)
    over = over.clip(lower=0).fillna(0.0)
    rate = (
        capacity[MARKETPLACE]
        .map({mp: float(t.capacity.get("overage_fee_per_cuft", 0.0)) for mp, t in loaded.items()})
        .astype(float)
    )
    capacity["overage_cuft"] = over
    capacity["overage_fee"] = (over * rate).round(2)  # fee table rate × cu ft above the limit
    capacity["fee_currency"] = capacity[MARKETPLACE].map({m: t.currency for m, t in loaded.items()})
    if horizon < 182:
        notes.append(f"planning horizon {horizon} days is shorter than 26 weeks")

    plan_rows, proj_parts = [], []
    by_series = dict(iter(shipments.groupby([SKU, MARKETPLACE], sort=False)))
    empty = shipments.iloc[:0]
    for s, m in keys:
        if (s, m) not in series:
            plan_rows.append(no_forecast_row(s, m, posd.get((s, m), {}), tables.get(m, "")))
            continue
        ser, res = series[(s, m)], results[(s, m)]
        row, proj = summarise_series(
            ser,
            res,
            policies[(s, m)],
            posd.get((s, m), {}),
            inv,
            by_series.get((s, m), empty),
            loaded[m],
            start,
            horizon,
            correlation,
        )
        row.update(abc=abc_map.get((s, m), "C"), fee_table=tables[m])
        plan_rows.append(row)
        proj_parts.append(proj)
    plan = pd.DataFrame(plan_rows)
    if "stock_source" in inv.columns and len(plan):
        source = inv["stock_source"].to_dict()
        plan["stock_source"] = [
            source.get((s, m), "no planning-report row")
            for s, m in zip(plan[SKU], plan[MARKETPLACE], strict=True)
        ]
    plan = plan.reindex(columns=PLAN_COLUMNS)
    projection = pd.concat(proj_parts, ignore_index=True) if proj_parts else pd.DataFrame()
    notes.append("fee tables: " + ", ".join(f"{mp} {name}" for mp, name in sorted(tables.items())))
    notes = list(dict.fromkeys(notes))  # the same caveat once
    return ReplenishmentPlan(
        plan, validate_shipments(shipments), projection, capacity, tables, notes
    )


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


def _ship(sku, mp, mode, source, start, order_day, tl, arrival_day, units) -> dict:
    """One shipment row; ``order_day`` None = finished goods ready now (no production)."""
    day0 = pd.Timestamp(start)
    arrival = day0 + pd.Timedelta(days=int(arrival_day))
    if order_day is None:
        ship = day0 + pd.Timedelta(days=round(tl.ship_day - tl.production_done_day))
        return dict(
            zip(
                SHIPMENT_COLUMNS,
                [sku, mp, mode, source, "FBA", pd.NaT, pd.NaT, ship, arrival, int(units), ""],
                strict=True,
            )
        )
    done = day0 + pd.Timedelta(days=int(order_day) + round(tl.production_done_day))
    if source == "open_production":
        order, done = pd.NaT, day0 + pd.Timedelta(days=int(order_day))
    else:
        order = day0 + pd.Timedelta(days=int(order_day))
    ship = done + pd.Timedelta(days=round(tl.ship_day - tl.production_done_day))
    return dict(
        zip(
            SHIPMENT_COLUMNS,
            [sku, mp, mode, source, "FBA", order, done, ship, arrival, int(units), ""],
            strict=True,
        )
    )
