"""Forecasts for new SKUs from analogous SKUs (launch curves and seasonal profiles).

A series is NEW when its first sale (or the product master's ``launch_date``, whichever is later)
is less than ``min_history_days`` (8 weeks) before the as-of date: too little history for any model.
Its forecast is built from ANALOGS in the same marketplace: SKUs with the same ``parent_sku`` first
(colour/size variants of one listing), else the same ``category``. Two ways to align an analog:

``launch``
    The analog's own launch lies inside the data and it has sold for at least the new SKU's age plus
    the horizon: its daily sales are read by AGE (days since launch), i.e. its launch curve.
``calendar``
    Otherwise (mature analogs launched before the history starts): its sales are read on the same
    calendar days one year (364 days, same weekday) earlier, i.e. its seasonal profile, events
    included, multiplied by the average launch ramp of all SKUs whose launch the data shows
    (:func:`launch_ramp`: a new listing sells below its mature level for its first months).

Scaling (ratio of the new SKU's sales to the analogs' sales over the same age / calendar window):
``r = S_new / mean_i S_i`` with ``S`` the units sold over the new SKU's observed days (``r = 1`` when
the new SKU has fewer than 7 days of sales). Mean forecast ``m_h = r · mean_i a_i(h)`` with
``a_i(h)`` analog ``i``'s daily units at step ``h``. Quantiles from the analogs' dispersion: each
analog scaled on its own (``r_i = S_new / S_i``) gives a path ``r_i·a_i(h)``; the negative-binomial
dispersion ``k`` (variance ``m + k·m²``) is the moments estimate of those paths around ``m``, and
the quantiles are NB(m_h, k + 1/S_new) quantiles (the second term: the Poisson uncertainty of
the scale, estimated from ``S_new`` units; Poisson when both are 0). Censored analog days use their
``demand_estimate`` where the sales carry one (see :func:`forecasting.demand.estimate_true_demand`).

A new series WITHOUT analogs (the store's first weeks, a new marketplace, a category of its own)
gets :func:`new_sku_forecast` (``model = "new_sku"``): its own rate, flat over the horizon,
``m = S / N`` with ``S`` the units it sold on its ``N`` days on sale (from its first sale, days known
to be out of stock left out; every day of the series when it never sold), and NB(m, 1/S)
quantiles: the demand is Poisson around a rate whose relative variance, estimated from ``S``
units, is ``1/S`` (the gamma posterior of a Poisson rate after ``S`` events; Poisson when S = 0,
i.e. a series that never sold is forecast 0). No launch ramp is applied (a new listing usually
sells more later, so the flat rate errs low, and next week's run sees the newer days).

Reference: the "forecasting by analogy" approach, Hyndman & Athanasopoulos, *Forecasting: Principles
and Practice* (3rd ed.), §6.6 "Forecasting by analogy"; written by hand because no forecasting
library builds launch curves from a product hierarchy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from forecasting.errors import InputError
from forecasting.schema import (
    CATEGORY,
    DATE,
    DEFAULT_QUANTILES,
    LAUNCH_DATE,
    MARKETPLACE,
    MEAN,
    MODEL,
    SKU,
    UNITS,
    quantile_columns,
)

PARENT_SKU = "parent_sku"
ANALOG_MODEL = "analog"
NEW_SKU_MODEL = "new_sku"
YEAR_DAYS = 364  # 52 weeks: same weekday one year earlier
MIN_SCALE_DAYS = 7
RAMP_DAYS = 182


def _daily(sales: pd.DataFrame) -> dict[tuple[str, str], pd.Series]:
    """Daily units per (sku, marketplace) on a full calendar (``demand_estimate`` if present)."""
    value = "demand_estimate" if "demand_estimate" in sales else UNITS
    return {
        (str(k[0]), str(k[1])): g.set_index(DATE)[value].astype(float).asfreq("D", fill_value=0.0)
        for k, g in sales.groupby([SKU, MARKETPLACE], sort=True, observed=True)
    }


def _shift_days(horizon_days: int) -> int:
    """Whole years of 364 days back so that every forecast day maps onto a past day."""
    return YEAR_DAYS * (1 + (horizon_days - 1) // YEAR_DAYS)


def new_series(
    sales: pd.DataFrame,
    products: pd.DataFrame,
    as_of: str | pd.Timestamp,
    *,
    min_history_days: int = 56,
) -> pd.DataFrame:
    """The (sku, marketplace) series with less than ``min_history_days`` of history at ``as_of``.

    Returns
    -------
    DataFrame
        ``sku, marketplace, launch`` (first sale, or the master's launch date if later or if there
        is no sale yet), ``age_days`` (days from launch to ``as_of``, inclusive; 0 if not launched).
        Products listed for a marketplace (``marketplaces`` like ``US;DE``) with a launch date but
        no sales there are included.
    """
    as_of = pd.Timestamp(as_of)
    first_sale, _ = _first_and_span(sales)
    launch = first_sale.copy()
    prod = products.set_index(SKU)
    if LAUNCH_DATE in prod:
        master = pd.to_datetime(prod[LAUNCH_DATE], errors="coerce")
        for (sku, mp), first in first_sale.items():
            m = master.get(sku)
            if m is not None and pd.notna(m) and m > first:
                launch[(sku, mp)] = m
        if "marketplaces" in prod:
            for sku, mps in prod["marketplaces"].dropna().items():
                m = master.get(sku)
                for mp in str(mps).split(";"):
                    key = (sku, mp.strip())
                    if mp.strip() and key not in launch.index and pd.notna(m):
                        launch[key] = m
    age = (as_of - launch).dt.days + 1
    out = pd.DataFrame({"launch": launch, "age_days": age.clip(lower=0)})
    out = out[out["age_days"] < min_history_days]
    out.index.names = [SKU, MARKETPLACE]
    return out.reset_index().sort_values([SKU, MARKETPLACE]).reset_index(drop=True)


def _first_and_span(sales: pd.DataFrame) -> tuple[pd.Series, pd.Timestamp]:
    first = sales[sales[UNITS] > 0].groupby([SKU, MARKETPLACE], observed=True)[DATE].min()
    return first, sales[DATE].min()


def find_analogs(
    sales: pd.DataFrame,
    products: pd.DataFrame,
    new: pd.DataFrame,
    *,
    horizon_days: int,
    as_of: str | pd.Timestamp,
) -> pd.DataFrame:
    """Analogs of each new series: same parent first, else same category, same marketplace.

    Returns
    -------
    DataFrame
        ``sku, marketplace, analog_sku, basis`` (``parent`` or ``category``), ``mode`` (``launch``
        or ``calendar``, see module docstring).
    """
    as_of = pd.Timestamp(as_of)
    first, history_start = _first_and_span(sales)
    last = sales.groupby([SKU, MARKETPLACE], observed=True)[DATE].max()
    prod = products.set_index(SKU)
    new_keys = set(zip(new[SKU], new[MARKETPLACE], strict=True))
    rows = []
    for r in new.itertuples(index=False):
        sku, mp, age = r.sku, r.marketplace, int(r.age_days)
        if sku not in prod.index:
            continue
        cands = [s for (s, m) in first.index if m == mp and s != sku and (s, m) not in new_keys]
        for basis, col in (("parent", PARENT_SKU), ("category", CATEGORY)):
            if col not in prod:
                continue
            mine = prod.at[sku, col]
            if pd.isna(mine) or mine == "":
                continue
            group = [s for s in cands if s in prod.index and prod.at[s, col] == mine]
            launched = [
                s
                for s in group
                if (
                    first[(s, mp)] > history_start + pd.Timedelta(days=14)
                    or _master_launch(prod, s) >= history_start
                )
                and (last[(s, mp)] - first[(s, mp)]).days + 1 >= age + horizon_days
            ]
            shifted_launch = min(r.launch, as_of) - pd.Timedelta(days=_shift_days(horizon_days))
            mature = [
                s
                for s in group
                if first[(s, mp)] <= shifted_launch and shifted_launch >= history_start
            ]
            if launched:
                rows += [(sku, mp, s, basis, "launch") for s in launched]
                break
            if mature:
                rows += [(sku, mp, s, basis, "calendar") for s in mature]
                break
    return pd.DataFrame(rows, columns=[SKU, MARKETPLACE, "analog_sku", "basis", "mode"])


def launch_ramp(sales: pd.DataFrame, *, mature_days: int = RAMP_DAYS) -> np.ndarray:
    """Average launch ramp: sales by age (days since first sale) relative to the mature level.

    For every series whose launch lies inside the data (first sale more than 14 days after the
    history starts) and that has sold for at least ``mature_days`` days: units by age for ages
    0 … ``mature_days`` − 1, divided by its mean over the last 8 weeks of that span; averaged over
    those series, smoothed with a centred 15-day mean, 1.0 from the start of those 8 weeks on.
    All ones when fewer than 2 series have an observed launch.

    Returns
    -------
    ndarray, length ``mature_days``
        Relative demand at each age (1.0 = mature level).
    """
    first, history_start = _first_and_span(sales)
    last = sales.groupby([SKU, MARKETPLACE], observed=True)[DATE].max()
    value = "demand_estimate" if "demand_estimate" in sales else UNITS
    curves = []
    for (sku, mp), start in first.items():
        if start <= history_start + pd.Timedelta(days=14) or (last[(sku, mp)] - start).days + 1 < (
            mature_days
        ):
            continue
        g = sales[(sales[SKU] == sku) & (sales[MARKETPLACE] == mp)].set_index(DATE)[value]
        v = g.reindex(pd.date_range(start, periods=mature_days), fill_value=0.0).to_numpy(float)
        mature = v[-56:].mean()
        if mature > 0:
            curves.append(v / mature)
    if len(curves) < 2:
        return np.ones(mature_days)
    curve = pd.Series(np.mean(curves, axis=0)).rolling(15, center=True, min_periods=1).mean()
    out = curve.to_numpy(copy=True)
    out[-56:] = 1.0
    return np.clip(out, 0.05, 1.5)


def _master_launch(prod: pd.DataFrame, sku: str) -> pd.Timestamp:
    """Launch date of ``sku`` in the product master (``Timestamp.min`` when unknown)."""
    if LAUNCH_DATE not in prod:
        return pd.Timestamp.min
    value = pd.to_datetime(prod.at[sku, LAUNCH_DATE], errors="coerce")
    return pd.Timestamp.min if pd.isna(value) else pd.Timestamp(value)


def _nb_quantiles(mean: np.ndarray, k: float, quantiles: Sequence[float]) -> np.ndarray:
    q = np.asarray(quantiles, float)[:, None]
    m = np.maximum(mean, 1e-12)[None, :]
    if k < 1e-6:
        out = stats.poisson.ppf(q, m)
    else:
        n = 1.0 / k
        out = stats.nbinom.ppf(q, n, n / (n + m))
    out = np.where(mean[None, :] <= 1e-12, 0.0, out)
    return np.maximum.accumulate(out, axis=0).T


@dataclass(frozen=True)
class _AnalogWindow:
    """Where a new series stands: ``as_of``, its age and the days to its launch (days), the
    horizon (days) and the launch ramp (share of the mature rate by day since launch)."""

    as_of: pd.Timestamp
    age: int
    horizon_days: int
    lead: int
    ramp: np.ndarray

    def ramp_at(self, ages: np.ndarray) -> np.ndarray:
        """Ramp share at each age in days (0 before launch, the last share after the ramp)."""
        return np.where(ages < 0, 0.0, self.ramp[np.clip(ages, 0, len(self.ramp) - 1)])


def _analog_paths(
    group: pd.DataFrame,
    marketplace: str,
    per: dict[tuple[str, str], pd.Series],
    first: pd.Series,
    w: _AnalogWindow,
) -> tuple[np.ndarray, np.ndarray]:
    """Each analog's units over the new series' first ``age`` days and over the horizon.

    ``launch`` analogs are read from their own launch; ``calendar`` analogs over the same
    calendar days a season earlier (:func:`_shift_days`), put on the launch ramp. Returns the
    early sums ``(n_analogs,)`` and the daily paths ``(n_analogs, horizon_days)`` (units).
    """
    age, horizon_days = w.age, w.horizon_days
    early, paths = [], []
    for a in group.itertuples(index=False):
        s = per[(a.analog_sku, marketplace)]
        if a.mode == "launch":
            start = first[(a.analog_sku, marketplace)]
            days = pd.date_range(start, periods=age + horizon_days, freq="D")
        else:
            days = pd.date_range(w.as_of - pd.Timedelta(days=age - 1), periods=age + horizon_days)
            days = days - pd.Timedelta(days=_shift_days(horizon_days))
        v = s.reindex(days, fill_value=0.0).to_numpy()
        if a.mode == "calendar":  # a mature analog's season, on the new SKU's launch ramp
            v = v * w.ramp_at(np.arange(age + horizon_days) - (0 if age else w.lead))
        early.append(v[:age].sum())
        paths.append(v[age:])
    return np.asarray(early), np.vstack(paths)


def _scaled_mean_and_dispersion(
    early: np.ndarray, paths: np.ndarray, own_sum: float, age: int
) -> tuple[np.ndarray, float]:
    """Mean daily path (units) scaled to the new series' own sales, and the NB dispersion ``k``.

    From :data:`MIN_SCALE_DAYS` of age on, the analogs' mean is scaled by own sales ÷ the
    analogs' sales over the same days; ``k`` is the spread of the (scaled) analog paths beyond
    Poisson, clipped to [0, 5], plus 1 / own sales when the scale is estimated from them.
    """
    use_own = age >= MIN_SCALE_DAYS and early.mean() > 0
    ratio = own_sum / early.mean() if use_own else 1.0
    mean = ratio * paths.mean(axis=0)
    r_i = np.where(early > 0, own_sum / np.where(early > 0, early, 1), ratio)
    scaled = (r_i if use_own else np.ones(len(early)))[:, None] * paths
    k = 0.0
    if len(paths) > 1 and np.mean(mean**2) > 0:
        k = (np.mean((scaled - mean) ** 2) - np.mean(mean)) / np.mean(mean**2)
        k = float(np.clip(k, 0.0, 5.0))
    if use_own:  # the scale is estimated from own_sum units: relative variance ≈ 1 / own_sum
        k += 1.0 / max(own_sum, 1.0)
    return mean, k


def analog_forecast(
    sales: pd.DataFrame,
    products: pd.DataFrame,
    *,
    as_of: str | pd.Timestamp,
    horizon_days: int,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    min_history_days: int = 56,
) -> pd.DataFrame:
    """Daily forecasts for new SKUs built from analogous SKUs, labelled ``model = "analog"``.

    Parameters
    ----------
    sales : DataFrame
        Daily sales ``sku, marketplace, date, units`` (+ ``demand_estimate`` if estimated), no
        missing days inside a series (see :func:`forecasting.demand.series.daily_series`).
    products : DataFrame
        Product master: ``sku, parent_sku, category, launch_date`` (+ ``marketplaces``).
    as_of : date-like
        Last day of history; the forecast starts the day after.
    horizon_days : int
        Days to forecast (days).
    quantiles : sequence of float
        Quantile levels; columns named by :func:`forecasting.schema.quantile_column`.
    min_history_days : int
        Series with less history than this are "new" (days; 56 = 8 weeks).

    Returns
    -------
    DataFrame
        The forecast contract ``sku, marketplace, date, model, mean, p10 … p90`` (units per day),
        one row per new series with analogs × day; series without analogs are left out (see
        :func:`find_analogs`).
    """
    if horizon_days < 1:
        raise InputError(f"analog_forecast: horizon_days must be ≥ 1, got {horizon_days}")
    as_of = pd.Timestamp(as_of).normalize()
    sales = sales[sales[DATE] <= as_of]
    qcols = quantile_columns(quantiles)
    cols = [SKU, MARKETPLACE, DATE, MODEL, MEAN, *qcols]
    new = new_series(sales, products, as_of, min_history_days=min_history_days)
    if new.empty:
        return pd.DataFrame(columns=cols)
    analogs = find_analogs(sales, products, new, horizon_days=horizon_days, as_of=as_of)
    first, _ = _first_and_span(sales)
    per = _daily(sales)
    future = pd.date_range(as_of + pd.Timedelta(days=1), periods=horizon_days, freq="D")
    ramp = launch_ramp(sales)
    parts = []
    for r in new.itertuples(index=False):
        sku, mp, age = r.sku, r.marketplace, int(r.age_days)
        group = analogs[(analogs[SKU] == sku) & (analogs[MARKETPLACE] == mp)]
        if group.empty:
            continue
        lead = max(0, (pd.Timestamp(r.launch) - future[0]).days)  # launch still to come
        own = per.get((sku, mp))
        own_sum = float(own[own.index >= r.launch].sum()) if own is not None else 0.0
        window = _AnalogWindow(as_of, age, horizon_days, lead, ramp)
        early_a, paths_a = _analog_paths(group, mp, per, first, window)
        mean, k = _scaled_mean_and_dispersion(early_a, paths_a, own_sum, age)
        if lead and group["mode"].iloc[0] == "launch":
            mean = np.concatenate([np.zeros(min(lead, horizon_days)), mean])[:horizon_days]
        elif lead:
            mean[:lead] = 0.0
        qs = _nb_quantiles(mean, k, quantiles)
        frame = pd.DataFrame(qs, columns=qcols)
        frame.insert(0, MEAN, mean)
        frame.insert(0, MODEL, ANALOG_MODEL)
        frame.insert(0, DATE, future)
        frame.insert(0, MARKETPLACE, mp)
        frame.insert(0, SKU, sku)
        parts.append(frame)
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)[cols]


def new_sku_forecast(
    sales: pd.DataFrame,
    series: Sequence[tuple[str, str]],
    *,
    as_of: str | pd.Timestamp,
    horizon_days: int,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
) -> pd.DataFrame:
    """Daily forecasts of new series without analogs from their own rate, ``model = "new_sku"``.

    The rate ``m = S / N`` (units per day): ``S`` units sold on the ``N`` days from the series'
    first sale to ``as_of`` (every day of the series when it never sold), days with ``in_stock``
    False left out; flat over the horizon. Quantiles NB(m, k = 1/S) (variance ``m + k·m²``; the
    Poisson uncertainty of a rate estimated from ``S`` units), 0 when ``S = 0``.

    Parameters
    ----------
    sales : DataFrame
        Daily sales ``sku, marketplace, date, units`` (+ ``in_stock``), no missing days inside a
        series (:func:`forecasting.demand.series.daily_series`).
    series : sequence of (sku, marketplace)
        The series to forecast; a series without rows in ``sales`` gets no forecast.
    as_of : date-like
        Last day of history; the forecast starts the day after.
    horizon_days : int
        Days to forecast (days).
    quantiles : sequence of float
        Quantile levels.

    Returns
    -------
    DataFrame
        The forecast contract ``sku, marketplace, date, model, mean, p10 … p90`` (units per day).

    Examples
    --------
    10 units on 5 days on sale (from the first sale, the stock-out day left out): 2 a day.

    >>> days = pd.date_range("2026-11-15", periods=7)
    >>> sales = pd.DataFrame({"sku": "A", "marketplace": "US", "date": days,
    ...                       "units": [0, 3, 1, 2, 0, 2, 2],
    ...                       "in_stock": [True, True, True, True, False, True, True]})
    >>> fc = new_sku_forecast(sales, [("A", "US")], as_of="2026-11-21", horizon_days=2)
    >>> print(fc[["date", "model", "mean", "p50", "p90"]].to_string(index=False))
          date   model  mean  p50  p90
    2026-11-22 new_sku   2.0  2.0  4.0
    2026-11-23 new_sku   2.0  2.0  4.0
    """
    if horizon_days < 1:
        raise InputError(f"new_sku_forecast: horizon_days must be ≥ 1, got {horizon_days}")
    as_of = pd.Timestamp(as_of).normalize()
    qcols = quantile_columns(quantiles)
    cols = [SKU, MARKETPLACE, DATE, MODEL, MEAN, *qcols]
    future = pd.date_range(as_of + pd.Timedelta(days=1), periods=horizon_days, freq="D")
    wanted = set(series)
    sales = sales[sales[DATE] <= as_of]
    parts = []
    for (sku, mp), g in sales.groupby([SKU, MARKETPLACE], sort=True, observed=True):
        if (str(sku), str(mp)) not in wanted:
            continue
        sold = g[g[UNITS] > 0]
        on_sale = g[g[DATE] >= sold[DATE].min()] if len(sold) else g
        if "in_stock" in on_sale:
            on_sale = on_sale[on_sale["in_stock"].astype("boolean").fillna(True).to_numpy(bool)]
        units, days = float(on_sale[UNITS].sum()), len(on_sale)
        rate = units / days if days else 0.0
        mean = np.full(horizon_days, rate)
        qs = _nb_quantiles(mean, 1.0 / units if units > 0 else 0.0, quantiles)
        frame = pd.DataFrame(qs, columns=qcols)
        frame.insert(0, MEAN, mean)
        frame.insert(0, MODEL, NEW_SKU_MODEL)
        frame.insert(0, DATE, future)
        frame.insert(0, MARKETPLACE, str(mp))
        frame.insert(0, SKU, str(sku))
        parts.append(frame)
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)[cols]
