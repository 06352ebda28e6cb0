"""History → one regular demand series per (sku, marketplace), daily, weekly or monthly.

A daily series has one row per calendar day from the series' first to its last date (or to ``end``):
days with no sales are filled with 0 units, days with no stock information keep ``in_stock`` NA.
Weekly and monthly series are sums over those days, labelled by the period's FIRST day (the
convention of :class:`forecasting.models.base.SeriesBatch`): weeks keep one weekday (by default the
weekday after the last date, so the latest week is complete), months start on the 1st.

Censored (out-of-stock) days are carried into a period as counts: ``days`` (calendar days covered),
``censored_days`` (days with ``in_stock`` False) and ``censored_fraction``. A period with any
censored day gets ``in_stock`` False (its units understate demand; the models treat it as unknown),
True when every day is known in stock, NA when nothing is known. Where the daily frame has
``demand_estimate`` (see :func:`forecasting.demand.estimate_true_demand`), its period sum is kept so
a caller can use the estimated demand instead of dropping the period.
"""

from __future__ import annotations

import pandas as pd

from forecasting.errors import InputError
from forecasting.schema import (
    CURRENCY,
    DATE,
    IN_STOCK,
    MARKETPLACE,
    PROMO,
    REVENUE,
    SKU,
    UNITS,
    validate_sales,
)

DAYS = "days"
CENSORED_DAYS = "censored_days"
CENSORED_FRACTION = "censored_fraction"
DEMAND_ESTIMATE = "demand_estimate"
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def _keys(df: pd.DataFrame) -> list[str]:
    return [SKU, MARKETPLACE] if MARKETPLACE in df.columns else [SKU]


def daily_series(sales: pd.DataFrame, *, end: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """One row per day per (sku, marketplace) from the series' first sale day to its last day.

    Parameters
    ----------
    sales : DataFrame
        Daily sales: ``sku, marketplace, date, units`` (+ optional ``revenue``, ``currency``,
        ``in_stock``, ``promo``, ``demand_estimate``). One row per key and day.
    end : date-like, optional
        Extend every series to this day (the as-of date); added days have 0 units and unknown
        ``in_stock``.

    Returns
    -------
    DataFrame
        Same columns, sorted by key and date, no missing days: units 0 (int), revenue 0.0,
        promo False on filled days; ``in_stock`` stays NA there (unknown).
    """
    validate_sales(sales)
    keys = _keys(sales)
    df = sales.copy()
    df[DATE] = df[DATE].dt.normalize()
    end_ts = pd.Timestamp(end).normalize() if end is not None else None
    parts = []
    for key, g in df.groupby(keys, sort=True, observed=True):
        first, last = g[DATE].min(), g[DATE].max()
        if end_ts is not None and end_ts > last:
            last = end_ts
        idx = pd.date_range(first, last, freq="D", name=DATE)
        full = g.set_index(DATE).reindex(idx)
        for k, v in zip(keys, key if isinstance(key, tuple) else (key,), strict=True):
            full[k] = v
        parts.append(full.reset_index())
    if not parts:
        return df.iloc[0:0]
    out = pd.concat(parts, ignore_index=True)
    out[UNITS] = out[UNITS].fillna(0).astype("int64")
    if REVENUE in out:
        out[REVENUE] = out[REVENUE].fillna(0.0).astype(float)
    if CURRENCY in out:
        out[CURRENCY] = out.groupby(keys, observed=True)[CURRENCY].transform(
            lambda s: s.ffill().bfill()
        )
    if PROMO in out:
        out[PROMO] = out[PROMO].fillna(False).astype(bool)
    if IN_STOCK in out:
        out[IN_STOCK] = out[IN_STOCK].astype("boolean")
    if DEMAND_ESTIMATE in out:
        out[DEMAND_ESTIMATE] = out[DEMAND_ESTIMATE].fillna(out[UNITS]).astype(float)
    cols = keys + [DATE] + [c for c in sales.columns if c not in (*keys, DATE)]
    return out[cols]


def week_start_weekday(last_date: pd.Timestamp) -> str:
    """Weekday code (``"MON"`` …) on which weeks start so that the week ending ``last_date`` is full.

    >>> week_start_weekday(pd.Timestamp("2026-11-22"))  # a Sunday
    'MON'
    """
    return WEEKDAYS[(pd.Timestamp(last_date).weekday() + 1) % 7]


def period_start(dates: pd.Series, freq: str) -> pd.Series:
    """The first day of the period each date falls in.

    ``freq`` is ``"MS"`` (months start on the 1st) or ``"W-XXX"`` with ``XXX`` the weekday each
    week STARTS on (``"W-MON"``: Monday–Sunday weeks labelled by the Monday).

    >>> period_start(pd.Series(pd.to_datetime(["2026-11-22", "2026-11-23"])), "W-MON").tolist()
    [Timestamp('2026-11-16 00:00:00'), Timestamp('2026-11-23 00:00:00')]
    """
    if freq == "MS":
        return dates.dt.to_period("M").dt.to_timestamp()
    if freq.startswith("W-") and freq[2:] in WEEKDAYS:
        start = WEEKDAYS.index(freq[2:])
        offset = (dates.dt.day_of_week - start) % 7
        return dates.dt.normalize() - pd.to_timedelta(offset, unit="D")
    raise InputError(f"unknown period frequency '{freq}': use D, W, W-MON … W-SUN or M/MS")


def to_series(
    sales: pd.DataFrame,
    freq: str = "D",
    *,
    end: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """History → a regular demand series per (sku, marketplace) at daily, weekly or monthly steps.

    Parameters
    ----------
    sales : DataFrame
        Daily sales (see :func:`daily_series`).
    freq : {"D", "W", "W-MON" … "W-SUN", "M", "MS"}
        ``D`` daily; ``W`` weeks starting on the weekday after the last date of the data (so the
        latest week is complete), ``W-XXX`` weeks starting on weekday XXX; ``M``/``MS`` calendar
        months, labelled by the 1st.
    end : date-like, optional
        Extend every series to this day first (see :func:`daily_series`).

    Returns
    -------
    DataFrame
        ``sku, marketplace, date`` (period's first day), ``units`` (sum, units), ``revenue`` (sum,
        local currency, if present), ``days`` (days of data in the period), ``censored_days``,
        ``censored_fraction`` (0–1), ``in_stock`` (False if any censored day, True if all days known
        in stock, NA if unknown), ``promo_days`` and ``demand_estimate`` (sum, units) if present.
        Daily frequency returns :func:`daily_series` plus the censoring columns.

    Examples
    --------
    >>> d = pd.DataFrame({"sku": "A", "marketplace": "US", "units": [1, 2, 3, 4],
    ...                   "date": pd.to_datetime(["2026-10-30", "2026-10-31", "2026-11-01",
    ...                                           "2026-11-02"])})
    >>> to_series(d, "M")[["date", "units", "days"]].to_dict("list")["units"]
    [3, 7]
    """
    daily = daily_series(sales, end=end)
    keys = _keys(daily)
    censored = (
        daily[IN_STOCK].eq(False).fillna(False).astype(bool)
        if IN_STOCK in daily
        else pd.Series(False, index=daily.index)
    )
    f = freq.upper()
    if f == "D":
        out = daily.copy()
        out[DAYS] = 1
        out[CENSORED_DAYS] = censored.astype("int64")
        out[CENSORED_FRACTION] = out[CENSORED_DAYS].astype(float)
        return out
    if f == "W":
        f = "W-" + week_start_weekday(daily[DATE].max()) if len(daily) else "W-MON"
    if f == "M":
        f = "MS"
    work = daily.assign(**{DATE: period_start(daily[DATE], f), "_censored": censored})
    agg: dict[str, tuple[str, str]] = {UNITS: (UNITS, "sum"), DAYS: (UNITS, "size")}
    if REVENUE in work:
        agg[REVENUE] = (REVENUE, "sum")
    if CURRENCY in work:
        agg[CURRENCY] = (CURRENCY, "first")
    agg[CENSORED_DAYS] = ("_censored", "sum")
    if IN_STOCK in work:
        work["_known"] = work[IN_STOCK].notna()
        agg["_known"] = ("_known", "sum")
    if PROMO in work:
        agg["promo_days"] = (PROMO, "sum")
    if DEMAND_ESTIMATE in work:
        agg[DEMAND_ESTIMATE] = (DEMAND_ESTIMATE, "sum")
    out = work.groupby([*keys, DATE], sort=True, observed=True).agg(**agg).reset_index()
    out[CENSORED_DAYS] = out[CENSORED_DAYS].astype("int64")
    out[CENSORED_FRACTION] = out[CENSORED_DAYS] / out[DAYS]
    if "_known" in out:
        in_stock = pd.Series(pd.NA, index=out.index, dtype="boolean")
        in_stock[out["_known"] > 0] = True
        in_stock[out[CENSORED_DAYS] > 0] = False
        out[IN_STOCK] = in_stock
        out = out.drop(columns="_known")
    out.attrs["freq"] = f
    return out
