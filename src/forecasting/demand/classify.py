"""Demand classes (Syntetos–Boylan–Croston) and ABC classes by revenue.

Demand class of a series, from its non-censored periods (``in_stock`` False periods are dropped,
never counted as zero demand; periods before the first sale are "not launched" and dropped too):

- ``ADI`` (average demand interval) = number of periods / number of periods with demand > 0;
- ``CV²`` = (standard deviation / mean)² of the non-zero demand sizes (sample standard deviation,
  ddof = 1, as R's ``tsintermittent::idclass``).

=================  ==============  ==============
                   CV² < 0.49      CV² ≥ 0.49
=================  ==============  ==============
ADI < 1.32         smooth          erratic
ADI ≥ 1.32         intermittent    lumpy
=================  ==============  ==============

Reference: Syntetos, A.A., Boylan, J.E. & Croston, J.D. (2005), "On the categorization of demand
patterns", *Journal of the Operational Research Society* 56(5), 495–503.

ABC by revenue per marketplace (revenue converted to the base currency with settings
``fx_to_base``): SKUs sorted by revenue, descending; a SKU is ``A`` while the cumulative share up to
and including it is at most 80 % (the top SKU is always A), ``B`` while at most 95 %, ``C`` for the
rest (and for SKUs without revenue).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from forecasting.errors import InputError
from forecasting.schema import CURRENCY, DATE, IN_STOCK, MARKETPLACE, REVENUE, SKU, UNITS

ADI_CUTOFF = 1.32
CV2_CUTOFF = 0.49
DEMAND_CLASSES = ("smooth", "erratic", "intermittent", "lumpy")
DEMAND_CLASS = "demand_class"
ABC = "abc"


def _keys(df: pd.DataFrame) -> list[str]:
    return [SKU, MARKETPLACE] if MARKETPLACE in df.columns else [SKU]


def demand_classes(adi: np.ndarray, cv2: np.ndarray, *, no_demand: str = "no_demand") -> np.ndarray:
    """SBC classes of many series at once from their ADI (periods) and CV² (dimensionless).

    Syntetos, Boylan & Croston (2005): ADI < 1.32 and CV² < 0.49 smooth, ADI < 1.32 erratic,
    CV² < 0.49 intermittent, else lumpy. A series with no demand (ADI not finite) gets
    ``no_demand``; a CV² that is not finite counts as 0.

    >>> demand_classes(np.array([1.0, 2.0, np.inf]), np.array([0.6, 0.2, np.nan])).tolist()
    ['erratic', 'intermittent', 'no_demand']
    """
    adi = np.asarray(adi, float)
    cv2 = np.nan_to_num(np.asarray(cv2, float), nan=0.0, posinf=0.0)
    high_cv = cv2 >= CV2_CUTOFF
    out = np.where(
        adi < ADI_CUTOFF,
        np.where(high_cv, "erratic", "smooth"),
        np.where(high_cv, "lumpy", "intermittent"),
    ).astype(object)
    out[~np.isfinite(adi)] = no_demand
    return out


def demand_class(adi: float, cv2: float) -> str:
    """The SBC class of one series from its ADI (periods) and CV² (dimensionless).

    >>> demand_class(1.0, 0.2), demand_class(1.0, 0.6), demand_class(2.0, 0.2), demand_class(2.0, 0.6)
    ('smooth', 'erratic', 'intermittent', 'lumpy')
    """
    return str(demand_classes(np.array([adi]), np.array([cv2]))[0])


def classify_demand(
    series: pd.DataFrame,
    *,
    freq: str | None = None,
    adi_cutoff: float = ADI_CUTOFF,
    cv2_cutoff: float = CV2_CUTOFF,
) -> pd.DataFrame:
    """Syntetos–Boylan–Croston demand class per series, on non-censored periods.

    Parameters
    ----------
    series : DataFrame
        ``sku, [marketplace], date, units`` and optionally ``in_stock`` (False = censored period,
        dropped) — one row per period (days, weeks or months).
    freq : str, optional
        Aggregate daily input first with :func:`forecasting.demand.series.to_series` (``"W"``,
        ``"M"`` …); None classifies the periods as given. Weekly buckets are the usual choice.
    adi_cutoff, cv2_cutoff : float
        The SBC cut-offs (1.32 periods, 0.49).

    Returns
    -------
    DataFrame
        One row per series: ``sku, marketplace, n_periods`` (non-censored, after launch),
        ``n_demand`` (periods with demand), ``adi`` (periods), ``cv2``, ``mean_demand`` (units per
        period with demand), ``demand_class`` (smooth/erratic/intermittent/lumpy, or ``no_demand``).

    Examples
    --------
    >>> d = pd.DataFrame({"sku": "A", "date": pd.date_range("2026-01-05", periods=6, freq="W-MON"),
    ...                   "units": [0, 3, 0, 5, 0, 4]})
    >>> r = classify_demand(d).iloc[0]
    >>> float(r.adi), round(float(r.cv2), 4), r.demand_class
    (1.6667, 0.0625, 'intermittent')
    """
    if freq is not None and freq.upper() != "D":
        from forecasting.demand.series import to_series

        series = to_series(series, freq)
    keys = _keys(series)
    df = series.sort_values([*keys, DATE], kind="stable")
    if IN_STOCK in df:
        df = df[~df[IN_STOCK].astype("boolean").eq(False).fillna(False).to_numpy(bool)]
    units = pd.to_numeric(df[UNITS], errors="coerce").fillna(0.0)
    positive = units > 0
    launched = positive.groupby([df[k] for k in keys], observed=True).cummax()
    df = df.assign(_u=units)[launched.to_numpy()]
    rows = []
    for key, g in df.groupby(keys, sort=True, observed=True):
        u = g["_u"].to_numpy(float)
        nz = u[u > 0]
        n, k = len(u), len(nz)
        adi = round(n / k, 4) if k else np.inf
        cv2 = float((nz.std(ddof=1) / nz.mean()) ** 2) if k >= 2 else 0.0
        cls = (
            "no_demand"
            if not k
            else (
                ("smooth" if cv2 < cv2_cutoff else "erratic")
                if adi < adi_cutoff
                else ("intermittent" if cv2 < cv2_cutoff else "lumpy")
            )
        )
        key_t = key if isinstance(key, tuple) else (key,)
        rows.append((*key_t, n, k, adi, cv2, float(nz.mean()) if k else 0.0, cls))
    cols = [*keys, "n_periods", "n_demand", "adi", "cv2", "mean_demand", DEMAND_CLASS]
    out = pd.DataFrame(rows, columns=cols)
    # series with no non-censored period after launch at all
    every = series[keys].drop_duplicates()
    out = every.merge(out, on=keys, how="left")
    out[DEMAND_CLASS] = out[DEMAND_CLASS].fillna("no_demand")
    for col in ("n_periods", "n_demand"):
        out[col] = pd.to_numeric(out[col]).fillna(0).astype("int64")
    return out.sort_values(keys).reset_index(drop=True)


def abc_classes(
    sales: pd.DataFrame,
    fx_to_base: Mapping[str, float] | None = None,
    *,
    a_share: float = 0.80,
    b_share: float = 0.95,
    window_days: int | None = 365,
    by_marketplace: bool = True,
) -> pd.DataFrame:
    """ABC class of each SKU by revenue: A = top 80 % of revenue, B = next 15 %, C = the rest.

    Parameters
    ----------
    sales : DataFrame
        ``sku, marketplace, date, revenue`` (local currency) and ``currency`` when converting.
    fx_to_base : mapping, optional
        Currency → base currency per unit (settings ``fx_to_base``); None keeps local revenue (then
        ``by_marketplace`` must be True unless all rows share one currency).
    a_share, b_share : float
        Cumulative revenue shares closing classes A and B (0.80, 0.95).
    window_days : int, optional
        Only the last ``window_days`` days up to the latest date (days); None = all history.
    by_marketplace : bool
        Rank within each marketplace (default) or over all marketplaces together.

    Returns
    -------
    DataFrame
        ``sku, marketplace, revenue_base`` (base currency), ``share``, ``cumulative_share`` (of the
        SKUs before and including this one), ``abc``; sorted by marketplace and revenue.

    Examples
    --------
    >>> s = pd.DataFrame({"sku": list("ABCDE"), "marketplace": "US", "currency": "USD",
    ...                   "date": pd.Timestamp("2026-11-01"), "revenue": [50, 25, 12, 8, 5]})
    >>> abc_classes(s, {"USD": 7.1})["abc"].tolist()
    ['A', 'A', 'B', 'B', 'C']
    """
    for col in (SKU, DATE, REVENUE):
        if col not in sales.columns:
            raise InputError(f"abc_classes: sales lack column '{col}'", column=col)
    df = sales
    if window_days is not None and len(df):
        first = df[DATE].max() - pd.Timedelta(days=window_days - 1)
        df = df[df[DATE] >= first]
    rev = pd.to_numeric(df[REVENUE], errors="coerce").fillna(0.0)
    if fx_to_base is not None:
        if CURRENCY not in df.columns:
            raise InputError("abc_classes: converting revenue needs the 'currency' column")
        missing = sorted(set(df[CURRENCY].dropna().unique()) - set(fx_to_base))
        if missing:
            raise InputError(f"fx_to_base has no rate for currency {', '.join(missing)}")
        rev = rev * df[CURRENCY].map(fx_to_base).astype(float)
    elif not by_marketplace and CURRENCY in df.columns and df[CURRENCY].nunique() > 1:
        raise InputError("abc_classes: mixed currencies across marketplaces need fx_to_base")
    keys = _keys(df)
    totals = df.assign(revenue_base=rev).groupby(keys, observed=True)["revenue_base"].sum()
    out = totals.reset_index()
    group = [MARKETPLACE] if by_marketplace and MARKETPLACE in out else []
    out = out.sort_values(
        [*group, "revenue_base", SKU], ascending=[*[True] * len(group), False, True]
    )
    grp = out.groupby(group, observed=True)["revenue_base"] if group else out["revenue_base"]
    total = grp.transform("sum") if group else out["revenue_base"].sum()
    out["share"] = np.where(total > 0, out["revenue_base"] / total, 0.0)
    cum = out.groupby(group, observed=True)["share"].cumsum() if group else out["share"].cumsum()
    out["cumulative_share"] = cum
    parts = (
        out.groupby(group, observed=True)["revenue_base"]
        if group
        else [(None, out["revenue_base"])]
    )
    out[ABC] = pd.concat(
        [pd.Series(pareto_classes(v.to_numpy(float), a_share, b_share), v.index) for _, v in parts]
    ).reindex(out.index)
    return out.reset_index(drop=True)


def pareto_classes(values: np.ndarray, a_share: float = 0.80, b_share: float = 0.95) -> np.ndarray:
    """ABC class of each value by its cumulative share of the total (Pareto): the one ABC rule.

    Values are ranked largest first (ties keep their order); with ``c_i`` the cumulative share of
    the total up to and including value ``i``: A while ``c_i ≤ a_share`` (the largest value is A
    even when it alone exceeds it), B while ``c_i ≤ b_share``, C after; a value ≤ 0 is C. Used for
    revenue (:func:`abc_classes`) and, where no revenue is known, for required value at the
    factory. Reference: Silver, Pyke & Thomas (2017), *Inventory and Production Management in
    Supply Chains*, §2.3 (A = the top 80 % of the value).

    Parameters
    ----------
    values : array
        Value per item (any currency, comparable across items).
    a_share, b_share : float
        Cumulative shares (0–1) closing classes A and B.

    Returns
    -------
    array of str
        ``"A" | "B" | "C"`` in the order of ``values``.

    Examples
    --------
    >>> pareto_classes(np.array([20.0, 70.0, 4.0, 6.0])).tolist()
    ['B', 'A', 'C', 'C']
    """
    v = np.asarray(values, dtype=float)
    order = np.argsort(-v, kind="stable")
    total = float(v.sum())
    share = v[order] / total if total > 0 else np.zeros(len(v))
    cum = np.cumsum(share)
    first = (cum - share) <= 1e-12  # the top item is A even if it alone exceeds a_share
    ranked = np.where(
        v[order] <= 0,
        "C",
        np.where((cum <= a_share + 1e-9) | first, "A", np.where(cum <= b_share + 1e-9, "B", "C")),
    )
    out = np.empty(len(v), dtype=object)
    out[order] = ranked
    return out.astype(str)
