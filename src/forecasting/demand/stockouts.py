"""Stockout censoring: which days had no sellable stock, and what the demand of those days was.

On a day without stock, sales are zero (or cut short) whatever the demand was, so a model that reads
those zeros learns "no demand" and under-forecasts exactly the SKUs that sell out. Two sources:

``ledger``
    The Inventory Ledger's SELLABLE ending balance is 0 (the store's ``sales().in_stock`` is
    False). The first such day of a run with sales > 0 ran out during the day (``partial``).
``inferred``
    Where no ledger exists (``in_stock`` NA), a run of ``L`` zero-sale days is a stockout when it is
    improbable under the series' local rate. Daily demand is taken as negative binomial with mean
    ``λ·w_d`` (``λ`` the weekday-adjusted mean of the in-stock days within ``window_days`` before and
    after the run — widened up to 8× until those days hold 10 units sold —, ``w_d`` the series'
    weekday index) and dispersion ``k`` (variance ``μ + kμ²``, moments estimate around a 4-week
    moving average). With ``p0_d = (1 + kμ_d)^(-1/k)`` the chance of zero sales on day ``d`` —
    never less than the observed share of zero days in that window, within ±182 days or over the
    whole series, which guards slow, bursty series against a noisy rate or a mis-estimated ``k`` —, the run's probability is ``P = Π p0_d``. Because a slow series has
    many places where such a run could start, ``P`` is corrected for ``scan_days`` possible starts
    (default: the length of the series, so that a series without stockouts raises a false alarm
    with probability about ``alpha``; Bonferroni over start points, each with chance ``1 - p̄0`` of
    ending a sale run):
    ``P_any = P · (1 + (1 - p̄0) · scan_days)``; the run is a stockout when ``P_any < alpha``
    (default 1%). The day before an inferred run is ``partial`` (stock ran out that day) when its
    sales are in the lower ``partial_alpha`` tail of its own distribution.
    Reference: Syntetos & Boylan (2005) for the count model of slow movers; the run test is the
    scan-statistic idea (Glaz, Naus & Wallenstein, *Scan Statistics*, 2001) in its simplest
    Bonferroni form.

Partial days are censored too (``in_stock`` False): their sales understate demand.

The true demand of censored days (:func:`estimate_true_demand`) is interpolated: the
weekday-adjusted level of up to ``window_days`` in-stock days before a run and after it, joined by a
straight line across the run (this follows slow seasonal change across long runs), times the
weekday index of each day. Days of an ongoing run (no stock at the end of the data) use the level
before. Written by hand: no library offers censoring detection for daily retail counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from forecasting.schema import DATE, IN_STOCK, MARKETPLACE, SKU, UNITS, validate_sales

STOCKOUT_SOURCE = "stockout_source"
PARTIAL = "partial"
DEMAND_ESTIMATE = "demand_estimate"


def _keys(df: pd.DataFrame) -> list[str]:
    return [SKU, MARKETPLACE] if MARKETPLACE in df.columns else [SKU]


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Start and end (inclusive) indices of the True runs of ``mask``."""
    m = np.concatenate([[False], mask.astype(bool), [False]])
    d = np.diff(m.astype(np.int8))
    starts = np.flatnonzero(d == 1)
    ends = np.flatnonzero(d == -1) - 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def weekday_index(units: np.ndarray, weekday: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """Weekday factors (mean = 1 over the week), shrunk towards 1 when few days are known.

    Each weekday's factor is ``(Σ units_w + 7·ū) / ((n_w + 7)·ū)``: the weekday mean with 7 days
    of the overall mean ``ū`` mixed in. Returns an array of 7 factors (Monday = 0).

    >>> import numpy as np
    >>> f = weekday_index(np.array([2.0, 0.0] * 70), np.arange(140) % 7, np.ones(140, bool))
    >>> bool(abs(f.mean() - 1) < 1e-9)
    True
    """
    u, w = units[usable], weekday[usable]
    mean = u.mean() if len(u) else 0.0
    if mean <= 0:
        return np.ones(7)
    sums = np.bincount(w, weights=u, minlength=7)
    counts = np.bincount(w, minlength=7)
    f = (sums + 7 * mean) / ((counts + 7) * mean)
    return f / f.mean()


def _dispersion(units: np.ndarray, usable: np.ndarray) -> float:
    """Negative-binomial dispersion ``k`` (var = μ + kμ²) around a 28-day moving average, ≥ 0."""
    u = np.where(usable, units, np.nan).astype(float)
    s = pd.Series(u)
    m = s.rolling(28, center=True, min_periods=7).mean().to_numpy()
    ok = usable & np.isfinite(m) & (m > 0)
    if ok.sum() < 28:
        return 0.0
    k = (np.mean((u[ok] - m[ok]) ** 2) - np.mean(m[ok])) / np.mean(m[ok] ** 2)
    return float(np.clip(k, 0.0, 5.0))


def _p_zero(mu: np.ndarray, k: float) -> np.ndarray:
    if k < 1e-6:
        return np.exp(-mu)
    return (1.0 + k * mu) ** (-1.0 / k)


def _cdf(x: float, mu: float, k: float) -> float:
    if k < 1e-6:
        return float(stats.poisson.cdf(x, mu))
    n = 1.0 / k
    return float(stats.nbinom.cdf(x, n, n / (n + mu)))


def _side_level(
    level: np.ndarray, usable: np.ndarray, start: int, end: int, window: int
) -> tuple[float, float]:
    """Mean deseasonalised level of usable days in ``window`` days before ``start`` and after ``end``."""
    before = slice(max(0, start - window), start)
    after = slice(end + 1, min(len(level), end + 1 + window))
    out = []
    for sl in (before, after):
        ok = usable[sl]
        out.append(float(level[sl][ok].mean()) if ok.sum() >= 7 else np.nan)
    return out[0], out[1]


def _local_rate(
    units: np.ndarray, level: np.ndarray, usable: np.ndarray, start: int, end: int, window: int
) -> tuple[float, float]:
    """Local rate ``λ`` (weekday-adjusted units/day) and share of zero days around a run.

    Pools the usable days within ``window`` days before ``start`` and after ``end``; the window
    doubles (up to 8×) while those days hold fewer than 10 units sold, so slow movers are judged
    on enough sales. The zero share is the largest of that window's, that of ±182 days and that of
    the whole series (a noisy local rate must not make a slow mover's natural gap look improbable).
    """
    n = len(units)
    for mult in (1, 2, 4, 8):
        w = window * mult
        idx = np.r_[max(0, start - w) : start, end + 1 : min(n, end + 1 + w)]
        idx = idx[usable[idx]]
        if len(idx) >= 7 and (units[idx].sum() >= 10 or mult == 8):
            wide = np.r_[max(0, start - 182) : start, end + 1 : min(n, end + 1 + 182)]
            wide = wide[usable[wide]]
            zero_share = max(
                np.mean(units[idx] == 0),
                np.mean(units[wide] == 0),
                np.mean(units[usable] == 0),
            )
            return float(level[idx].mean()), float(zero_share)
    return np.nan, np.nan


def _infer_series(
    units: np.ndarray,
    weekday: np.ndarray,
    ledger_out: np.ndarray,
    unknown: np.ndarray,
    *,
    alpha: float,
    partial_alpha: float,
    window_days: int,
    scan_days: int | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Inferred stockout days and partial days of one series (boolean arrays)."""
    n = len(units)
    inferred = np.zeros(n, bool)
    partial = np.zeros(n, bool)
    sold = np.flatnonzero(units > 0)
    if len(sold) == 0:
        return inferred, partial
    candidates = [
        (a, b)
        for a, b in _runs((units == 0) & unknown)
        if a > sold[0]  # leading zeros: not launched yet
    ]
    if not candidates:
        return inferred, partial
    starts = scan_days if scan_days is not None else n - int(sold[0])
    for _ in range(2):  # second pass: rates without the stockouts found in the first
        usable = ~ledger_out & ~inferred
        f = weekday_index(units, weekday, usable)
        k = _dispersion(units, usable)
        level = units / f[weekday]
        found = np.zeros(n, bool)
        for a, b in candidates:
            lam, zero_share = _local_rate(units, level, usable, a, b, window_days)
            if not np.isfinite(lam) or lam <= 0:
                continue
            p0 = np.maximum(_p_zero(lam * f[weekday[a : b + 1]], k), zero_share)
            p_run = float(np.prod(p0)) * (1.0 + (1.0 - float(p0.mean())) * starts)
            if p_run < alpha:
                found[a : b + 1] = True
        inferred = found
    for a, _b in _runs(inferred):
        d = a - 1
        if d >= 0 and unknown[d] and units[d] > 0:
            usable = ~ledger_out & ~inferred
            pre, _ = _side_level(units / f[weekday], usable, d, d, window_days)
            if np.isfinite(pre) and _cdf(units[d], pre * f[weekday[d]], k) < partial_alpha:
                partial[d] = True
    return inferred, partial


def mark_stockouts(
    sales: pd.DataFrame,
    *,
    infer: bool = True,
    alpha: float = 0.01,
    partial_alpha: float = 0.1,
    window_days: int = 28,
    scan_days: int | None = None,
) -> pd.DataFrame:
    """Mark the days without sellable stock (censored demand), from the ledger and inferred.

    Parameters
    ----------
    sales : DataFrame
        Daily sales, one row per (sku, marketplace, day) with no missing days (see
        :func:`forecasting.demand.series.daily_series`): ``sku, marketplace, date, units`` and
        optionally ``in_stock`` (False = ledger says no sellable stock, NA = no ledger).
    infer : bool
        Also infer stockouts on days without ledger information from improbable zero runs.
    alpha : float
        A zero run is a stockout when its probability, corrected for ``scan_days`` start points, is
        below this (0.01 = 1 %).
    partial_alpha : float
        Lower-tail probability below which the sales of the day before an inferred run count as cut
        short (a partial stockout day).
    window_days : int
        Days before and after a run used for the local rate (days).
    scan_days : int, optional
        Number of places a run could start that the test corrects for (days); None = the days of
        the series after its first sale; 1 = no correction.

    Returns
    -------
    DataFrame
        A copy sorted by key and date with ``in_stock`` (boolean: False on stockout and partial
        days; True elsewhere when ``infer``, else NA where unknown), ``stockout_source``
        (``"ledger"``, ``"inferred"`` or NA) and ``partial`` (bool: stock ran out during the day).
    """
    validate_sales(sales)
    keys = _keys(sales)
    df = sales.sort_values([*keys, DATE], kind="stable").reset_index(drop=True)
    ledger = (
        df[IN_STOCK].astype("boolean")
        if IN_STOCK in df
        else pd.Series(pd.NA, index=df.index, dtype="boolean")
    )
    ledger_out = ledger.eq(False).fillna(False).to_numpy(bool)
    unknown = ledger.isna().to_numpy(bool)
    units = df[UNITS].to_numpy(float)
    weekday = df[DATE].dt.weekday.to_numpy()
    inferred = np.zeros(len(df), bool)
    partial = np.zeros(len(df), bool)
    # partial: first ledger day out of stock with sales (ran out during that day)
    prev_out = np.concatenate([[False], ledger_out[:-1]])
    first_out = ledger_out & ~prev_out
    for rows in df.groupby(keys, sort=False, observed=True).indices.values():
        i0, i1 = int(rows[0]), int(rows[-1]) + 1
        first_out[i0] = ledger_out[i0]
        if infer and unknown[i0:i1].any():
            inf, par = _infer_series(
                units[i0:i1],
                weekday[i0:i1],
                ledger_out[i0:i1],
                unknown[i0:i1],
                alpha=alpha,
                partial_alpha=partial_alpha,
                window_days=window_days,
                scan_days=scan_days,
            )
            inferred[i0:i1] = inf
            partial[i0:i1] = par
    partial |= first_out & (units > 0)
    source = np.full(len(df), None, dtype=object)
    source[ledger_out] = "ledger"
    source[inferred | (partial & ~ledger_out)] = "inferred"
    out = df.copy()
    in_stock = ledger.copy()
    if infer:
        in_stock = in_stock.fillna(True)
    in_stock[inferred | partial] = False
    out[IN_STOCK] = in_stock.astype("boolean")
    out[STOCKOUT_SOURCE] = pd.Series(source, index=df.index, dtype="string")
    out[PARTIAL] = partial
    return out


def estimate_true_demand(sales: pd.DataFrame, *, window_days: int = 28) -> pd.DataFrame:
    """Add ``demand_estimate``: sales on in-stock days, estimated demand on censored days (units).

    Parameters
    ----------
    sales : DataFrame
        Daily sales with ``in_stock`` (from :func:`mark_stockouts`; if the column is missing,
        :func:`mark_stockouts` is run first) and optionally ``partial``.
    window_days : int
        In-stock days before and after a censored run that set its level (days).

    Returns
    -------
    DataFrame
        A copy with ``demand_estimate`` (float, units per day). On a censored day ``d`` of a run
        ``[a, b]`` of length ``L``: ``D_d = (ℓ_pre + (ℓ_post − ℓ_pre)·t) · w_d``, with ``t = (d − a
        + 1)/(L + 1)``, ``ℓ`` the mean of ``units / w`` over up to ``window_days`` usable days on each
        side (one side only when the other has fewer than 7), ``w_d`` the weekday index. A partial
        day keeps at least its sales: ``max(units, D_d)``.

    Examples
    --------
    >>> d = pd.DataFrame({"sku": "A", "marketplace": "US",
    ...                   "date": pd.date_range("2026-01-05", periods=70),
    ...                   "units": [4] * 28 + [0] * 14 + [8] * 28})
    >>> d["in_stock"] = pd.array([True] * 28 + [False] * 14 + [True] * 28, dtype="boolean")
    >>> est = estimate_true_demand(d)["demand_estimate"]
    >>> [round(float(est[28]), 2), round(float(est[41]), 2)]  # ramps 4 → 8 across the 14 censored days
    [4.27, 7.73]
    """
    df = sales if IN_STOCK in sales else mark_stockouts(sales)
    keys = _keys(df)
    df = df.sort_values([*keys, DATE], kind="stable").reset_index(drop=True)
    units = df[UNITS].to_numpy(float)
    out_mask = df[IN_STOCK].astype("boolean").eq(False).fillna(False).to_numpy(bool)
    partial = df[PARTIAL].to_numpy(bool) if PARTIAL in df else np.zeros(len(df), bool)
    weekday = df[DATE].dt.weekday.to_numpy()
    estimate = units.copy()
    for rows in df.groupby(keys, sort=False, observed=True).indices.values():
        i0, i1 = int(rows[0]), int(rows[-1]) + 1
        cens = out_mask[i0:i1]
        if not cens.any():
            continue
        u, wd = units[i0:i1], weekday[i0:i1]
        usable = ~cens
        f = weekday_index(u, wd, usable)
        level = u / f[wd]
        overall = float(level[usable].mean()) if usable.any() else 0.0
        for a, b in _runs(cens):
            pre, post = _side_level(level, usable, a, b, window_days)
            if not np.isfinite(pre) and not np.isfinite(post):
                pre = post = overall
            elif not np.isfinite(pre):
                pre = post
            elif not np.isfinite(post):
                post = pre
            t = (np.arange(a, b + 1) - a + 1) / (b - a + 2)
            est = (pre + (post - pre) * t) * f[wd[a : b + 1]]
            estimate[i0 + a : i0 + b + 1] = est
    estimate = np.where(partial, np.maximum(estimate, units), estimate)
    out = df.copy()
    out[DEMAND_ESTIMATE] = estimate
    return out
