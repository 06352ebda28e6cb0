"""The weekly run as plain functions: store → demand forecast → FBA replenishment → production.

Notebooks and commands call these instead of composing the stages themselves, so that every report
of one run sees the same numbers. Each stage is cached on disk (``paths.cache_dir()/pipeline``)
under a key made of everything it depends on — the store's tables, the settings file, the
parameters and the package's source — so the report's notebooks, which run in separate kernels,
compute the forecast once and reuse it; any change to data, settings or code recomputes.

This module only wires; the logic lives in ``demand/``, ``backtest/`` and ``planning/``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from forecasting import schema as s
from forecasting.config import Settings, load_settings, resolve_as_of
from forecasting.paths import cache_dir

T = TypeVar("T")

#: Minimum days of history (after launch) for a series to be forecast by the backtested models;
#: shorter series get the analog forecast (:func:`forecasting.demand.analog_forecast`), and those
#: without analogs (a seller's first weeks, a new marketplace) their own sales rate
#: (:func:`forecasting.demand.new_sku_forecast`). ``DemandForecast.notes`` says which.
MIN_HISTORY_DAYS = 56
#: series named in one note at most (the rest are counted)
NOTE_SERIES_SHOWN = 10


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
        ``sku, marketplace, adi, cv2, demand_class`` and ``abc``.
    as_of : date
        Last day of history.
    horizon_days : int
        Days forecast after ``as_of``.
    notes : tuple of str
        What the forecast could not do and what it used instead (no backtest on a young history,
        series forecast from analogs or without a backtest, series left without a forecast).
    """

    forecast: pd.DataFrame
    sales: pd.DataFrame
    run: Any
    classes: pd.DataFrame
    as_of: dt.date
    horizon_days: int
    notes: tuple[str, ...] = ()


def _store(store: Any) -> Any:
    from forecasting.io.store import Store, open_store

    return store if isinstance(store, Store) else open_store(store)


def _settings(settings: Settings | str | Path | None, store: Any = None) -> Settings:
    """Settings as given or loaded; ``as_of: latest`` resolved from ``store`` when given."""
    cfg = settings if isinstance(settings, Settings) else load_settings(settings)
    return cfg if store is None else resolve_as_of(cfg, store)


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


def forecast_horizon_days(settings: Settings) -> int:
    """Days to forecast so every shipment of the planning horizon can be planned.

    horizon = planning horizon + the longest mean lead time + one review period (days).
    """
    longest = max((lt.mean_days for lt in settings.lead_times), default=0.0)
    return int(settings.planning_horizon_days + round(longest) + settings.review_period_days)


def amazon_events(settings: Settings, horizon_days: int) -> pd.DataFrame:
    """Amazon's sales events of every marketplace, as Prophet holidays: ``date, event``.

    Prime Day, Prime Big Deal Days and Black Friday–Cyber Monday of all configured marketplaces
    from three years before ``as_of`` to the end of the forecast (days); ``event`` is the event's
    kind (``prime_day`` …), so one effect per kind is learned from past years and applied to the
    coming ones. The marketplaces are pooled because one model instance serves every series.
    """
    from forecasting.demand import event_calendar

    start = pd.Timestamp(settings.as_of) - pd.DateOffset(years=3)
    end = pd.Timestamp(settings.as_of) + pd.Timedelta(days=horizon_days)
    frames = [
        event_calendar(m.code, start, end, country=m.country, holidays_included=False)
        for m in settings.marketplaces
    ]
    cal = pd.concat(frames, ignore_index=True)
    return (
        cal.assign(event=cal["kind"])[["date", "event"]]
        .drop_duplicates()
        .sort_values(["date", "event"])
        .reset_index(drop=True)
    )


def forecast(
    store: Any = None,
    settings: Settings | str | Path | None = None,
    *,
    horizon_days: int | None = None,
    models: str = "auto",
    n_windows: int = 2,
    jobs: int = 1,
    use_cache: bool = True,
) -> DemandForecast:
    """Daily probabilistic demand forecast for every SKU × marketplace of the store.

    Steps: daily series (:func:`~forecasting.demand.daily_series`) → stockout days marked from the
    ledger and inferred (:func:`~forecasting.demand.mark_stockouts`), true demand estimated →
    backtest-based model choice and forecast (:func:`~forecasting.backtest.auto_forecast`) for
    series with ≥ :data:`MIN_HISTORY_DAYS` days after launch, analog forecasts for newer ones,
    and for new series without analogs a forecast from their own days (see
    :data:`MIN_HISTORY_DAYS`). Works from the first day of data; ``notes`` says what was used.

    Parameters
    ----------
    store : Store, path or None
        History store; None = the sample store.
    settings : Settings, path or None
        Settings; None = the sample settings. ``as_of`` ends the history.
    horizon_days : int, optional
        Days to forecast; default :func:`forecast_horizon_days`.
    models : str
        ``"auto"`` or comma-separated model aliases.
    n_windows : int
        Backtest windows (rolling origins).
    jobs : int
        Worker processes.
    use_cache : bool
        Reuse a cached result for identical inputs.
    """
    from forecasting.demand import (
        abc_classes,
        classify_demand,
        daily_series,
        estimate_true_demand,
        mark_stockouts,
    )

    st = _store(store)
    cfg = _settings(settings, st)
    as_of = cfg.as_of
    horizon = int(horizon_days or forecast_horizon_days(cfg))
    raw = st.sales(as_of=as_of)
    products = st.products()
    key = _key("forecast", raw, products, cfg, horizon, models, n_windows)

    def compute() -> DemandForecast:
        sales = estimate_true_demand(mark_stockouts(daily_series(raw, end=as_of)))
        history = sales[[s.SKU, s.MARKETPLACE, s.DATE, s.UNITS, s.IN_STOCK]]
        fc, run, notes = _forecast_series(
            history, sales, products, cfg, horizon=horizon, models=models,
            n_windows=n_windows, jobs=jobs,
        )  # fmt: skip
        classes = classify_demand(history, freq="W").merge(
            abc_classes(sales, cfg.fx_to_base)[[s.SKU, s.MARKETPLACE, "abc"]],
            on=[s.SKU, s.MARKETPLACE],
            how="outer",
        )
        fc = s.validate_forecast(fc.reset_index(drop=True))
        return DemandForecast(fc, sales, run, classes, as_of, horizon, notes)

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
    horizon: int,
    models: str,
    n_windows: int,
    jobs: int,
) -> tuple[pd.DataFrame, Any, tuple[str, ...]]:
    """Forecast every series of ``history`` by the rule of its age; the forecast, run and notes.

    Mature series (sales on or before ``as_of − MIN_HISTORY_DAYS + 1``) → backtested models;
    younger ones → analogs; young ones without analogs and series that never sold → their own
    rate (:func:`~forecasting.demand.new_sku_forecast`). Nothing is dropped silently: a series
    left without a forecast is named in the notes.
    """
    from forecasting.backtest import BacktestSettings, ComputeSettings, auto_forecast, combine_runs
    from forecasting.backtest.run import count_of
    from forecasting.demand import analog_forecast, new_sku_forecast

    as_of = cfg.as_of
    key_cols = [s.SKU, s.MARKETPLACE]
    keys = list(history[key_cols].drop_duplicates().itertuples(index=False, name=None))
    first = history[history[s.UNITS] > 0].groupby(key_cols)[s.DATE].min()
    age = (pd.Timestamp(as_of) - first).dt.days + 1
    mature = set(age[age >= MIN_HISTORY_DAYS].index)
    series_key = pd.Series(list(zip(history[s.SKU], history[s.MARKETPLACE], strict=True)))
    is_mature = series_key.isin(mature).to_numpy()
    young = [k for k in keys if k not in mature]
    event_params = {"prophet": {"events": amazon_events(cfg, horizon)}}
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
    store: Any = None,
    settings: Settings | str | Path | None = None,
    *,
    demand: DemandForecast | None = None,
    use_cache: bool = True,
) -> Any:
    """FBA replenishment plan for every SKU × marketplace (``ReplenishmentPlan``).

    Uses :func:`forecast` unless ``demand`` is given; the plan itself is
    :func:`forecasting.planning.replenishment_output.replenishment_from_store`. The forecast's
    notes (young history, series without a forecast) come first in the plan's notes.
    """
    from dataclasses import replace

    from forecasting.planning.replenishment_output import replenishment_from_store

    st = _store(store)
    cfg = _settings(settings, st)
    demand = demand or forecast(st, cfg, use_cache=use_cache)
    inventory, products, stock = st.inventory(), st.products(), st.factory_stock()
    key = _key("replenishment", demand.forecast, inventory, products, stock, cfg, demand.notes)

    def compute() -> Any:
        plan = replenishment_from_store(st, cfg, forecast=demand.forecast)
        return replace(plan, notes=list(dict.fromkeys([*demand.notes, *plan.notes])))

    return _cached("replenishment", key, compute, use_cache)


def production(
    store: Any = None,
    settings: Settings | str | Path | None = None,
    *,
    plan: Any = None,
    weeks: int = 26,
    what_ifs: Any = None,
    use_cache: bool = True,
) -> tuple[Any, pd.DataFrame]:
    """Factory production plan within capacity for the planned shipments, and its what-ifs.

    Requirements come from the replenishment plan's shipments (:func:`replenishment` unless
    ``plan`` is given), net of factory stock; the plan and the side-by-side what-if table are
    :func:`forecasting.planning.production_report.production_from_store`'s
    (``what_ifs=None``: its default scenarios; ``[]``: none).

    Returns
    -------
    (ProductionPlan, DataFrame)
        The base plan and the what-if table (first row = base).
    """
    from forecasting.planning.production_report import production_from_store

    st = _store(store)
    cfg = _settings(settings, st)
    plan = plan or replenishment(st, cfg, use_cache=use_cache)
    products, stock = st.products(), st.factory_stock()
    key = _key("production", plan.shipments, products, stock, cfg, weeks, what_ifs)

    def compute() -> tuple[Any, pd.DataFrame]:
        return production_from_store(
            st, cfg, shipments=plan.shipments, weeks=weeks, what_ifs=what_ifs
        )

    return _cached("production", key, compute, use_cache)
