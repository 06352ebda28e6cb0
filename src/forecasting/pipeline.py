"""The weekly run as plain functions: run context → demand forecast → FBA replenishment → production.

Commands and notebooks call these instead of composing the stages themselves, so every report of
one run sees the same numbers. Each stage takes the run context (:class:`forecasting.run.Run`,
built once by :func:`forecasting.run.open_run`: store, settings, ``as_of`` = last day of history,
horizon) and owns all glue from the store to its result. Each stage is cached on disk
(``paths.cache_dir()/pipeline``) under a key made of everything it depends on — the store's
tables, the settings, the parameters and the package's source — so the report's notebooks, which
run in separate kernels, compute each stage once and reuse it; any change to data, settings or
code recomputes.

This module only wires; the logic lives in ``demand/``, ``backtest/`` and ``planning/``, none of
which imports this module.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from forecasting import schema as s
from forecasting.backtest.windows import DEFAULT_WINDOWS
from forecasting.config import Settings
from forecasting.paths import cache_dir
from forecasting.run import Run

if TYPE_CHECKING:
    from forecasting.backtest.run import ForecastRun
    from forecasting.planning.fba.replenishment import ReplenishmentPlan
    from forecasting.planning.production.factory_calendar import WhatIf
    from forecasting.planning.production.plan import ProductionPlan, SolveSettings

T = TypeVar("T")

#: Minimum days of history (after launch) for a series to be forecast by the backtested models;
#: shorter series get the analog forecast (:func:`forecasting.demand.analog_forecast`), and those
#: without analogs (a seller's first weeks, a new marketplace) their own sales rate
#: (:func:`forecasting.demand.new_sku_forecast`). ``DemandForecast.notes`` says which.
MIN_HISTORY_DAYS = 56
#: series named in one note at most (the rest are counted)
NOTE_SERIES_SHOWN = 10
#: years of past Amazon events the forecast learns from (before ``as_of``)
EVENT_YEARS_BACK = 3


@dataclass(frozen=True)
class DemandForecast:
    """Result of :func:`forecast`.

    Attributes
    ----------
    forecast : DataFrame
        Daily forecast per series (contract ``sku, marketplace, date, model, mean, p10 … p90``,
        units per day), backtested models and ``analog`` rows for new SKUs.
    sales : DataFrame
        Daily history with ``in_stock`` (ledger or inferred), ``stockout_source``, ``partial`` and
        ``demand_estimate`` (units; the estimated true demand on stockout days).
    run : ForecastRun
        Backtest, metrics and model choice of the backtested series.
    classes : DataFrame
        ``sku, marketplace, adi, cv2, demand_class`` and ``abc`` (:func:`demand_classes`): the one
        ABC classification of the run, which the replenishment plan uses too.
    events : DataFrame
        Event calendar of every marketplace (:func:`event_calendars`) from
        :data:`EVENT_YEARS_BACK` years before ``as_of`` to the end of the forecast.
    as_of : date
        Last day of history.
    horizon_days : int
        Days forecast after ``as_of``.
    notes : tuple of str
        What the forecast could not do and what it used instead (no backtest on a young history,
        series forecast from analogs or without a backtest, series left without a forecast).
    event_effects : DataFrame
        The learned event factors applied to the forecast
        (:func:`forecasting.demand.uplift.event_effects`: ``level, sku, marketplace, kind, phase,
        factor, log_sd …``); empty when none could be learned or effects were switched off.
    """

    forecast: pd.DataFrame
    sales: pd.DataFrame
    run: ForecastRun
    classes: pd.DataFrame
    events: pd.DataFrame
    as_of: dt.date
    horizon_days: int
    notes: tuple[str, ...] = ()
    event_effects: pd.DataFrame | None = None


@dataclass(frozen=True)
class ProductionResult:
    """Result of :func:`production`.

    Attributes
    ----------
    plan : ProductionPlan
        The base production plan.
    what_ifs : DataFrame
        The side-by-side what-if table (first row = base; see
        :func:`forecasting.planning.production.report.compare_what_ifs`).
    """

    plan: ProductionPlan
    what_ifs: pd.DataFrame


def _code_fingerprint() -> str:
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.suffix in {".py", ".yml", ".yaml"} and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def _frame_hash(df: pd.DataFrame) -> str:
    h = hashlib.sha256("|".join(map(str, df.columns)).encode())
    h.update(pd.util.hash_pandas_object(df.astype(str), index=False).to_numpy().tobytes())
    return h.hexdigest()


def _key(stage: str, *parts: Any) -> str:
    h = hashlib.sha256(stage.encode())
    h.update(_code_fingerprint().encode())
    for p in parts:
        h.update(b"\0")
        h.update(_frame_hash(p).encode() if isinstance(p, pd.DataFrame) else repr(p).encode())
    return h.hexdigest()[:24]


def _cached(stage: str, key: str, compute: Callable[[], T], use_cache: bool) -> T:
    folder = cache_dir() / "pipeline"
    path = folder / f"{stage}-{key}.pkl"
    if use_cache and path.exists():
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except Exception:  # a corrupt or stale-format cache entry is recomputed, never trusted
            path.unlink(missing_ok=True)
    value = compute()
    if use_cache:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    return value


def event_calendars(settings: Settings, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Events of every configured marketplace between ``start`` and ``end`` (days, inclusive).

    Returns
    -------
    DataFrame
        ``date, marketplace, event, kind, estimate`` (:func:`forecasting.demand.event_calendar`
        per marketplace, public holidays included), sorted by marketplace and date.
    """
    from forecasting.demand import event_calendar

    frames = [
        event_calendar(m.code, start, end, country=m.country).assign(marketplace=m.code)
        for m in settings.marketplaces
    ]
    cols = [s.DATE, s.MARKETPLACE, "event", "kind", "estimate"]
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols]


def amazon_events(events: pd.DataFrame) -> pd.DataFrame:
    """Amazon's sales events of every marketplace, as Prophet holidays: ``date, event``.

    Prime Day, Prime Big Deal Days and Black Friday–Cyber Monday of ``events``
    (:func:`event_calendars`, public holidays left out); ``event`` is the event's kind
    (``prime_day`` …), so one effect per kind is learned from past years and applied to the
    coming ones. The marketplaces are pooled because one model instance serves every series.
    """
    amazon = events[events["kind"] != "holiday"]
    return (
        amazon.assign(event=amazon["kind"])[[s.DATE, "event"]]
        .drop_duplicates()
        .sort_values([s.DATE, "event"])
        .reset_index(drop=True)
    )


def demand_classes(sales: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The run's one classification of every series: demand pattern and ABC class.

    ``classify_demand`` (Syntetos–Boylan–Croston on weekly sums: ``adi, cv2, demand_class``)
    outer-joined with ``abc_classes`` (revenue in the base currency over the last 365 days up to
    the last day of ``sales``: A = top 80 %, B = next 15 %, C = the rest, per marketplace).
    ``sales`` (with ``in_stock`` when known: out-of-stock days are censored, not zero demand) must
    end at ``as_of``; the replenishment plan takes its ABC classes from here.

    Returns
    -------
    DataFrame
        ``sku, marketplace, adi, cv2, demand_class, abc``.
    """
    from forecasting.demand import abc_classes, classify_demand

    cols = [s.SKU, s.MARKETPLACE, s.DATE, s.UNITS, s.IN_STOCK]
    history = sales[[c for c in cols if c in sales.columns]]
    return classify_demand(history, freq="W").merge(
        abc_classes(sales, settings.fx_to_base)[[s.SKU, s.MARKETPLACE, "abc"]],
        on=[s.SKU, s.MARKETPLACE],
        how="outer",
    )


def forecast(
    run: Run,
    *,
    models: str = "auto",
    n_windows: int = DEFAULT_WINDOWS,
    jobs: int = 1,
    event_effects: bool = True,
    use_cache: bool = True,
) -> DemandForecast:
    """Daily probabilistic demand forecast for every SKU × marketplace of the run's store.

    Steps: daily series up to ``run.as_of`` (:func:`~forecasting.demand.daily_series`) →
    stockout days marked from the ledger and inferred (:func:`~forecasting.demand.mark_stockouts`),
    true demand estimated → backtest-based model choice and forecast
    (:func:`~forecasting.backtest.auto_forecast`) for series with ≥ :data:`MIN_HISTORY_DAYS` days
    after launch, analog forecasts for newer ones, and for new series without analogs a forecast
    from their own days → event effects (Prime Day, Prime Big Deal Days, BFCM with their pre- and
    after-dips) learned from the whole batch up to ``as_of`` and applied to every series whose
    model does not model events itself (:mod:`forecasting.demand.uplift`). Works from the first
    day of data; ``notes`` says what was used.

    Parameters
    ----------
    run : Run
        Store, settings, ``as_of`` (last day of history) and ``horizon_days`` (days forecast).
    models : str
        ``"auto"`` or comma-separated model aliases.
    n_windows : int
        Backtest windows (rolling origins; default
        :data:`forecasting.backtest.windows.DEFAULT_WINDOWS`, as everywhere).
    jobs : int
        Worker processes.
    event_effects : bool
        Learn and apply the event effects (False: the models' forecast as it is, for comparison).
    use_cache : bool
        Reuse a cached result for identical inputs.
    """
    from forecasting.demand import daily_series, estimate_true_demand, mark_stockouts
    from forecasting.demand.uplift import EFFECT_COLUMNS, apply_event_effects
    from forecasting.demand.uplift import event_effects as learn_effects

    cfg, as_of, horizon = run.settings, run.as_of, run.horizon_days
    raw = run.store.sales(as_of=as_of)
    products = run.store.products()
    key = _key("forecast", raw, products, cfg, horizon, models, n_windows, event_effects)

    def compute() -> DemandForecast:
        sales = estimate_true_demand(mark_stockouts(daily_series(raw, end=as_of)))
        history = sales[[s.SKU, s.MARKETPLACE, s.DATE, s.UNITS, s.IN_STOCK]]
        start = (pd.Timestamp(as_of) - pd.DateOffset(years=EVENT_YEARS_BACK)).date()
        events = event_calendars(cfg, start, as_of + dt.timedelta(days=horizon))
        fc, fitted, notes = _forecast_series(
            history, sales, products, cfg, events=events, horizon=horizon, models=models,
            n_windows=n_windows, jobs=jobs,
        )  # fmt: skip
        effects = pd.DataFrame(columns=EFFECT_COLUMNS)
        if event_effects:
            effects = learn_effects(sales, events)
            if effects.empty:
                notes = (*notes, "no past Prime Day, Prime Big Deal Days or BFCM with usable "
                         "in-stock days in the history: the forecast carries no event uplift")  # fmt: skip
            fc = apply_event_effects(fc, effects, events)
        fc = s.validate_forecast(fc.reset_index(drop=True))
        classes = demand_classes(sales, cfg)
        return DemandForecast(
            fc, sales, fitted, classes, events, as_of, horizon, notes, event_effects=effects
        )

    return _cached("forecast", key, compute, use_cache)


def _series_list(keys: Sequence[tuple[str, str]]) -> str:
    """``"A US, B DE"`` for at most :data:`NOTE_SERIES_SHOWN` series, then ``… and N more``."""
    shown = ", ".join(f"{k} {m}" for k, m in sorted(keys)[:NOTE_SERIES_SHOWN])
    more = len(keys) - NOTE_SERIES_SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def _forecast_series(
    history: pd.DataFrame,
    sales: pd.DataFrame,
    products: pd.DataFrame,
    cfg: Settings,
    *,
    events: pd.DataFrame,
    horizon: int,
    models: str,
    n_windows: int,
    jobs: int,
) -> tuple[pd.DataFrame, ForecastRun, tuple[str, ...]]:
    """Forecast every series of ``history`` by the rule of its age; the forecast, run and notes.

    Mature series (sales on or before ``as_of − MIN_HISTORY_DAYS + 1``) → backtested models;
    younger ones → analogs; young ones without analogs and series that never sold → their own
    rate (:func:`~forecasting.demand.new_sku_forecast`). Nothing is dropped silently: a series
    left without a forecast is named in the notes.
    """
    from forecasting.backtest import BacktestSettings, ComputeSettings, auto_forecast, combine_runs
    from forecasting.backtest.run import count_of

    as_of = cfg.as_of
    key_cols = [s.SKU, s.MARKETPLACE]
    keys = list(history[key_cols].drop_duplicates().itertuples(index=False, name=None))
    first = history[history[s.UNITS] > 0].groupby(key_cols)[s.DATE].min()
    age = (pd.Timestamp(as_of) - first).dt.days + 1
    mature = set(age[age >= MIN_HISTORY_DAYS].index)
    series_key = pd.Series(list(zip(history[s.SKU], history[s.MARKETPLACE], strict=True)))
    is_mature = series_key.isin(mature).to_numpy()
    young = [k for k in keys if k not in mature]
    event_params = {"prophet": {"events": amazon_events(events)}}
    runs, parts, notes = [], [], []
    if mature:
        run = auto_forecast(
            history[is_mature], horizon, freq="D", models=models,
            backtest=BacktestSettings(n_windows=n_windows),
            compute=ComputeSettings(jobs=jobs), model_params=event_params,
        )  # fmt: skip
        runs.append(run)
        parts.append(run.forecast)
    elif young:
        span = (pd.Timestamp(as_of) - history[s.DATE].min()).days + 1
        notes.append(
            f"no backtest: {count_of(span, 'days')} of history, at least {MIN_HISTORY_DAYS} "
            f"days of sales needed for a series to be forecast by a backtested model; every "
            f"series is forecast by the new-SKU rules (analogs, else its own rate)"
        )
    young_parts, young_notes = _young_series_forecasts(young, sales, products, as_of, horizon)
    parts += young_parts
    notes += young_notes
    listed = _listed_without_sales(products, keys)
    if listed:
        notes.append(
            f"{len(listed)} series listed in the product master have no sales yet and no "
            f"forecast (nothing is planned for them): {_series_list(listed)}"
        )
    run = combine_runs(runs, keys=key_cols)
    notes = [*run.notes, *notes]
    frames = [p for p in parts if len(p)]
    if frames:
        fc = pd.concat(frames, ignore_index=True).sort_values([s.SKU, s.MARKETPLACE, s.DATE])
    else:
        fc = run.forecast
    return fc.reset_index(drop=True), run, tuple(dict.fromkeys(notes))


def _young_series_forecasts(
    young: Sequence[tuple[str, str]],
    sales: pd.DataFrame,
    products: pd.DataFrame,
    as_of: dt.date,
    horizon: int,
) -> tuple[list[pd.DataFrame], list[str]]:
    """Forecasts and notes of the series younger than :data:`MIN_HISTORY_DAYS` (days of sales).

    Analogous SKUs first (:func:`~forecasting.demand.analog_forecast`: the same parent or
    category with enough history in the marketplace); series without an analog from their own
    sales rate (:func:`~forecasting.demand.new_sku_forecast`, flat, units per day); a series that
    never sold is forecast 0 and named, never dropped.
    """
    from forecasting.demand import analog_forecast, new_sku_forecast

    parts: list[pd.DataFrame] = []
    notes: list[str] = []
    analog_keys: list[tuple[str, str]] = []
    if young:
        analog = analog_forecast(sales, products, as_of=as_of, horizon_days=horizon)
        analog = analog[pd.Series(list(zip(analog[s.SKU], analog[s.MARKETPLACE], strict=True)),
                                  index=analog.index).isin(set(young))]  # fmt: skip
        analog_keys = sorted(set(zip(analog[s.SKU], analog[s.MARKETPLACE], strict=True)))
        if analog_keys:
            parts.append(analog)
            notes.append(
                f"{len(analog_keys)} new series (under {MIN_HISTORY_DAYS} days of sales) "
                f"forecast from analogous SKUs (model analog): {_series_list(analog_keys)}"
            )
    own = [k for k in young if k not in set(analog_keys)]
    if own:
        own_fc = new_sku_forecast(sales, own, as_of=as_of, horizon_days=horizon)
        parts.append(own_fc)
        rate = own_fc.groupby([s.SKU, s.MARKETPLACE])[s.MEAN].first()
        silent = [k for k in own if rate.get(k, 0.0) <= 0]
        selling = [k for k in own if k not in set(silent)]
        if selling:
            notes.append(
                f"{len(selling)} new series without an analog (no SKU of the same parent or "
                f"category with enough history in its marketplace) forecast from their own sales "
                f"rate (model new_sku, flat): {_series_list(selling)}"
            )
        if silent:
            notes.append(
                f"{len(silent)} series sold nothing on any day of the history: forecast 0, nothing "
                f"planned (give a forecast file if they are about to sell): {_series_list(silent)}"
            )
    return parts, notes


def _listed_without_sales(
    products: pd.DataFrame, keys: Sequence[tuple[str, str]]
) -> list[tuple[str, str]]:
    """(sku, marketplace) pairs the product master lists (``marketplaces`` ``US;DE``) with no sales."""
    if products.empty or "marketplaces" not in products.columns:
        return []
    have = set(keys)
    out = []
    for sku, mps in zip(products[s.SKU], products["marketplaces"], strict=True):
        for mp in str(mps).split(";") if pd.notna(mps) else []:
            if mp.strip() and (str(sku), mp.strip()) not in have:
                out.append((str(sku), mp.strip()))
    return sorted(set(out))


def replenishment(
    run: Run,
    *,
    demand: DemandForecast | None = None,
    forecast_frame: pd.DataFrame | None = None,
    use_cache: bool = True,
) -> ReplenishmentPlan:
    """FBA replenishment plan for every SKU × marketplace of the run (``ReplenishmentPlan``).

    The forecast is ``forecast_frame`` when given (a forecast file the planner supplies, read by
    :func:`forecasting.io.forecast_file.read_forecast_csv`), else ``demand`` or :func:`forecast`.
    Stock is the FBA position on ``run.as_of`` (:meth:`Store.fba_stock`, with its caveats and the
    partial days up to ``as_of`` in the notes); ABC classes are the forecast's
    (:func:`demand_classes`), or computed by the same rule from the sales up to ``as_of`` when the
    forecast comes from a file. The forecast's notes (young history, series without a forecast)
    come first in the plan's notes. The plan itself is
    :func:`forecasting.planning.fba.replenishment.plan_replenishment`.
    """
    from forecasting.io.sales import partial_day_notes
    from forecasting.planning.fba.replenishment import plan_replenishment

    st, cfg = run.store, run.settings
    if forecast_frame is None:
        demand = demand or forecast(run, use_cache=use_cache)
        fc, classes, forecast_notes = demand.forecast, demand.classes, demand.notes
    else:
        fc, forecast_notes = forecast_frame, ()
        classes = demand_classes(st.sales(as_of=run.as_of), cfg)
    inventory, stock_notes = st.fba_stock(run.as_of)
    stock_notes = [*stock_notes, *partial_day_notes(st.partial_days(run.as_of))]
    products, factory = st.products(), st.factory_stock()
    abc = classes[[s.SKU, s.MARKETPLACE, "abc"]].dropna(subset=["abc"])
    key = _key(
        "replenishment", fc, inventory, products, factory, abc, cfg, forecast_notes, stock_notes
    )

    def compute() -> ReplenishmentPlan:
        plan = plan_replenishment(
            fc, inventory, products, cfg, factory_stock=factory, abc=abc, stock_notes=stock_notes
        )
        return replace(plan, notes=list(dict.fromkeys([*forecast_notes, *plan.notes])))

    return _cached("replenishment", key, compute, use_cache)


def factory_abc(products: pd.DataFrame, classes: pd.DataFrame) -> pd.DataFrame:
    """The product master with each SKU's ABC class at the factory (``abc_class``).

    A SKU's factory class is its best class in any marketplace (A before B before C) from the
    run's one classification (:func:`demand_classes`): a SKU that is A anywhere is made as an A.
    A class the product master already sets is kept (the planner's word wins).
    """
    best = (
        classes.dropna(subset=["abc"]).groupby(s.SKU)["abc"].min()  # "A" < "B" < "C"
        if len(classes)
        else pd.Series(dtype=object)
    )
    run_class = products[s.SKU].astype(str).map(best)
    if "abc_class" in products.columns:
        given = products["abc_class"].where(products["abc_class"].notna(), run_class)
    else:
        given = run_class
    return products.assign(abc_class=given)


def production(
    run: Run,
    *,
    demand: DemandForecast | None = None,
    plan: ReplenishmentPlan | None = None,
    shipments: pd.DataFrame | None = None,
    weeks: int = 26,
    what_ifs: Sequence[WhatIf] | None = None,
    solve: SolveSettings | None = None,
    use_cache: bool = True,
) -> ProductionResult:
    """Factory production plan within capacity for the planned shipments, and its what-ifs.

    Requirements are ``shipments`` when given (a shipments file the planner supplies), else the
    replenishment plan's (``plan`` or :func:`replenishment` on ``demand``), net of factory stock
    (:func:`~forecasting.planning.production.requirements.requirements_from_shipments`); each
    SKU's lateness weight comes from the run's ABC classes (``demand`` or :func:`forecast`, through
    :func:`factory_abc`; the forecast is computed once for both); the base plan is
    :func:`~forecasting.planning.production.plan.plan_production` over ``weeks`` weeks from the week
    after ``run.as_of``, and the what-if table
    :func:`~forecasting.planning.production.report.compare_what_ifs`
    (``what_ifs=None``: :func:`~forecasting.planning.production.report.default_what_ifs`;
    ``[]``: none). ``solve`` (:class:`~forecasting.planning.production.plan.SolveSettings`: method,
    objective, time budget in seconds, seed; default its defaults) is the same for every what-if.
    """
    from forecasting.planning.production.plan import SolveSettings, plan_production
    from forecasting.planning.production.report import compare_what_ifs, default_what_ifs
    from forecasting.planning.production.requirements import requirements_from_shipments

    st, cfg = run.store, run.settings
    if shipments is None:
        demand = demand or forecast(run, use_cache=use_cache)
        plan = plan or replenishment(run, demand=demand, use_cache=use_cache)
        shipments, classes = plan.shipments, demand.classes
    else:
        classes = demand_classes(st.sales(as_of=run.as_of), cfg)
    products = factory_abc(st.products(), classes)
    stock = st.factory_stock()
    solve = solve or SolveSettings()
    scenarios = None if what_ifs is None else list(what_ifs)
    key = _key("production", shipments, products, stock, cfg, weeks, solve, scenarios)

    def compute() -> ProductionResult:
        requirements = requirements_from_shipments(shipments, cfg, stock)
        base = plan_production(requirements, cfg, products, weeks=weeks, solve=solve)
        chosen = default_what_ifs(base, cfg) if scenarios is None else scenarios
        table = compare_what_ifs(
            requirements, cfg, products, chosen, base=base, weeks=weeks, solve=solve
        )
        return ProductionResult(base, table)

    return _cached("production", key, compute, use_cache)
