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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from forecasting import schema as s
from forecasting.config import Settings, load_settings, resolve_as_of
from forecasting.paths import cache_dir

T = TypeVar("T")

#: Minimum days of history (after launch) for a series to be forecast by the backtested models;
#: shorter series get the analog forecast (:func:`forecasting.demand.analog_forecast`).
MIN_HISTORY_DAYS = 56


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
    """

    forecast: pd.DataFrame
    sales: pd.DataFrame
    run: Any
    classes: pd.DataFrame
    as_of: dt.date
    horizon_days: int


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
    series with ≥ :data:`MIN_HISTORY_DAYS` days after launch, analog forecasts for newer ones.

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
    from forecasting.backtest import auto_forecast
    from forecasting.demand import (
        abc_classes,
        analog_forecast,
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
        first = history[history[s.UNITS] > 0].groupby([s.SKU, s.MARKETPLACE])[s.DATE].min()
        age = (pd.Timestamp(as_of) - first).dt.days + 1
        mature = set(age[age >= MIN_HISTORY_DAYS].index)
        is_mature = pd.Series(
            [k in mature for k in zip(history[s.SKU], history[s.MARKETPLACE], strict=True)],
            index=history.index,
        )
        run = auto_forecast(
            history[is_mature],
            horizon,
            freq="D",
            models=models,
            n_windows=n_windows,
            jobs=jobs,
            model_params={"prophet": {"events": amazon_events(cfg, horizon)}},
        )
        parts = [run.forecast]
        if (~is_mature).any():
            young = analog_forecast(sales, products, as_of=as_of, horizon_days=horizon)
            parts.append(
                young[
                    young[[s.SKU, s.MARKETPLACE]]
                    .apply(tuple, axis=1)
                    .isin(
                        set(
                            zip(
                                history.loc[~is_mature, s.SKU],
                                history.loc[~is_mature, s.MARKETPLACE],
                                strict=True,
                            )
                        )
                    )
                ]
            )
        fc = pd.concat(parts, ignore_index=True).sort_values([s.SKU, s.MARKETPLACE, s.DATE])
        classes = classify_demand(history, freq="W").merge(
            abc_classes(sales, cfg.fx_to_base)[[s.SKU, s.MARKETPLACE, "abc"]],
            on=[s.SKU, s.MARKETPLACE],
            how="outer",
        )
        return DemandForecast(
            s.validate_forecast(fc.reset_index(drop=True)), sales, run, classes, as_of, horizon
        )

    return _cached("forecast", key, compute, use_cache)


def replenishment(
    store: Any = None,
    settings: Settings | str | Path | None = None,
    *,
    demand: DemandForecast | None = None,
    use_cache: bool = True,
) -> Any:
    """FBA replenishment plan for every SKU × marketplace (``ReplenishmentPlan``).

    Uses :func:`forecast` unless ``demand`` is given; the plan itself is
    :func:`forecasting.planning.replenishment_output.replenishment_from_store`.
    """
    from forecasting.planning.replenishment_output import replenishment_from_store

    st = _store(store)
    cfg = _settings(settings, st)
    demand = demand or forecast(st, cfg, use_cache=use_cache)
    inventory, products, stock = st.inventory(), st.products(), st.factory_stock()
    key = _key("replenishment", demand.forecast, inventory, products, stock, cfg)

    def compute() -> Any:
        return replenishment_from_store(st, cfg, forecast=demand.forecast)

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
