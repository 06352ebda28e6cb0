"""Long demand history → :class:`~forecasting.models.base.SeriesBatch` on one regular calendar.

Input is long: ``sku, [marketplace], date, units, [in_stock], [promo]``, one row per series and
period. Rules (the planner's reading of the data):

- ``in_stock`` False → the period's demand is unknown (``NaN``, censored): sales on a stocked-out
  day say nothing about demand.
- A date missing *inside* a series' span (between its first date and the last date of the whole
  input) is zero demand; dates before a series' first row are ``NaN`` (not launched yet).
- The frequency is inferred from the dates: daily; weekly keeping its weekday (``W-WED``); monthly
  on month starts (``MS``) or month ends (``ME``). ``freq="D"|"W"|"M"`` forces a calendar; daily
  input is then summed into Monday weeks (``W-MON``) or calendar months (``MS``).
- When summing days into a week or month, censored days and days outside the data (the current,
  unfinished week) are *estimated*: the period total is the in-stock days' sum scaled up by
  ``days in period / in-stock days``. A period with no in-stock day at all stays ``NaN``. This is the
  "ratio estimator" of censored demand used for lost-sales correction (e.g. Nahmias 1994,
  *Demand estimation in lost sales inventory systems*, Naval Research Logistics 41(6)).

Output dates of every forecast continue the input's own calendar (month starts stay month starts,
weeks keep their weekday) through :meth:`SeriesBatch.future_dates`.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.errors import InputError
from forecasting.models.base import SeriesBatch
from forecasting.schema import DATE, IN_STOCK, MARKETPLACE, PROMO, SKU, UNITS

#: periods per seasonal cycle by calendar base
SEASON_LENGTHS = {"D": 7, "W": 52, "M": 12}
_WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def series_keys(history: pd.DataFrame) -> list[str]:
    """The key columns of ``history``: ``["sku"]`` or ``["sku", "marketplace"]``."""
    return [SKU, MARKETPLACE] if MARKETPLACE in history.columns else [SKU]


def infer_freq(dates: pd.Series | pd.DatetimeIndex) -> str:
    """The calendar of a set of period dates.

    Parameters
    ----------
    dates : Series or DatetimeIndex
        Dates of the observations (any order, repeats allowed, gaps allowed).

    Returns
    -------
    str
        ``"D"``, ``"W-<weekday>"``, ``"MS"`` or ``"ME"``.

    Examples
    --------
    >>> infer_freq(pd.to_datetime(["2024-01-03", "2024-01-17", "2024-01-24"]))
    'W-WED'
    >>> infer_freq(pd.to_datetime(["2024-01-01", "2024-03-01"]))
    'MS'
    """
    idx = pd.DatetimeIndex(pd.unique(pd.DatetimeIndex(dates).normalize())).sort_values()
    if len(idx) < 2:
        raise InputError("cannot infer the frequency from fewer than two dates; give --freq")
    days = np.diff(idx.to_numpy().astype("datetime64[D]").astype(np.int64))
    if (idx.day == 1).all() and len(idx) >= 2 and days.min() >= 28:
        return "MS"
    if idx.is_month_end.all() and days.min() >= 28:
        return "ME"
    if (days % 7 == 0).all():
        return f"W-{_WEEKDAYS[idx[0].weekday()]}"
    return "D"


def _base(freq: str) -> str:
    f = freq.upper()
    if f == "D":
        return "D"
    if f.startswith("W"):
        return "W"
    if f in {"M", "MS", "ME"}:
        return "M"
    raise InputError(f"unknown frequency {freq!r}; use D, W or M", column="freq")


def _parse(history: pd.DataFrame, file: str | Path | None) -> pd.DataFrame:
    missing = [c for c in (SKU, DATE, UNITS) if c not in history.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; has {', '.join(map(str, history.columns))}",
            file=file,
            row=1,
            column=missing[0],
        )
    df = history.reset_index(drop=True)
    units = pd.to_numeric(df[UNITS], errors="coerce")
    bad = units.isna() & df[UNITS].notna() | (units < 0)
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"units {df[UNITS].iloc[pos]!r} is not a non-negative number",
            file=file,
            row=pos + 2,
            column=UNITS,
        )
    if pd.api.types.is_datetime64_any_dtype(df[DATE]):
        dates = df[DATE]
    else:
        dates = pd.to_datetime(df[DATE], errors="coerce", format="ISO8601")
        if dates.isna().any():  # not all ISO: let pandas guess other layouts element by element
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                dates = pd.to_datetime(df[DATE], errors="coerce", format="mixed")
    bad = dates.isna()
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"date {df[DATE].iloc[pos]!r} is not a date", file=file, row=pos + 2, column=DATE
        )
    out = pd.DataFrame({SKU: df[SKU].astype(str)})
    if MARKETPLACE in df.columns:
        out[MARKETPLACE] = df[MARKETPLACE].astype(str)
    out[DATE] = dates.dt.normalize()
    out[UNITS] = units.astype(float)
    if IN_STOCK in df.columns:
        stocked = df[IN_STOCK]
        if stocked.dtype == object:
            stocked = stocked.map(
                lambda v: (
                    {"true": True, "false": False, "1": True, "0": False}.get(
                        str(v).strip().lower(), pd.NA
                    )
                    if not pd.isna(v)
                    else pd.NA
                )
            )
        out.loc[stocked.astype("boolean").fillna(True).eq(False).to_numpy(), UNITS] = np.nan
    if PROMO in df.columns:
        out[PROMO] = pd.to_numeric(df[PROMO], errors="coerce").fillna(0.0).clip(0, 1)
    dup = out.duplicated([*series_keys(out), DATE])
    if dup.any():
        pos = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(
            "duplicate row for this series and date", file=file, row=pos + 2, column=DATE
        )
    return out


def _aggregate(
    values: np.ndarray, first: np.ndarray, dates: pd.DatetimeIndex, target: str
) -> tuple[np.ndarray, pd.DatetimeIndex, np.ndarray]:
    """Sum a daily matrix into ``target`` periods (``W-MON`` or ``MS``), ratio-estimating gaps.

    Returns the period matrix, the period start dates and, per period, the column of its first day.
    """
    starts = pd.date_range(
        dates[0].to_period("W-SUN" if target == "W-MON" else "M").start_time, dates[-1], freq=target
    )
    edges = np.searchsorted(dates.as_unit("ns").asi8, starts.as_unit("ns").asi8)
    ends = np.r_[edges[1:], len(dates)]
    # days per period on the full calendar (the last one may run past the data)
    full_len = np.array(
        [
            ((s + (pd.offsets.Week(1) if target == "W-MON" else pd.offsets.MonthBegin(1))) - s).days
            for s in starts
        ]
    )
    seen = np.add.reduceat(~np.isnan(values), edges, axis=1)
    total = np.add.reduceat(np.nan_to_num(values), edges, axis=1)
    # days the product existed: from launch (``first``) to the end of the period
    offset = (dates[edges] - starts).days.to_numpy()  # first period may start before the data
    day0 = edges - offset
    launch_in = np.clip(first[:, None] - day0[None, :], 0, None)
    launch_in[first == 0] = 0  # present from the first day of data: not a launch
    possible = np.clip(full_len[None, :] - launch_in, 0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(seen > 0, total * np.maximum(possible / seen, 1.0), np.nan)
    del ends
    return out, starts, edges


def _output_calendar(freq: str | None, inferred: str, file: str | Path | None) -> str:
    """The calendar of the batch: the input's own (``inferred``), or ``freq`` when it is coarser.

    Only daily input is aggregated (to Monday weeks or month starts); a ``freq`` finer than the
    input's, or a weekly / monthly input asked for another calendar, is an InputError.
    """
    if freq is None:
        _base(inferred)  # an unsupported calendar is refused here
        return inferred
    want, have = _base(freq), _base(inferred)
    if "DWM".index(want) < "DWM".index(have):
        raise InputError(
            f"--freq {freq} is finer than the input's own calendar ({inferred})",
            file=file,
            column=DATE,
        )
    if want == have:
        return inferred
    if have != "D":
        raise InputError(
            f"can only aggregate daily input to weeks or months; the input is {inferred}",
            file=file,
            column=DATE,
        )
    return "W-MON" if want == "W" else "MS"


def history_to_batch(
    history: pd.DataFrame,
    *,
    freq: str | None = None,
    season_length: int | None = None,
    horizon: int = 0,
    file: str | Path | None = None,
) -> SeriesBatch:
    """Turn long demand history into a :class:`SeriesBatch` on one regular calendar.

    Parameters
    ----------
    history : DataFrame
        ``sku, [marketplace], date, units, [in_stock], [promo]``; units per period (units).
    freq : {"D", "W", "M"} or pandas alias, optional
        Calendar of the output; default inferred from the dates (see module docstring).
    season_length : int, optional
        Periods per season; default 7 (daily), 52 (weekly), 12 (monthly).
    horizon : int, default 0
        Future periods for which promotion flags are carried (0 where unknown).
    file : str or Path, optional
        Name of the input file, for error messages.

    Returns
    -------
    SeriesBatch
        Series sorted by key; ``NaN`` before a series' first date and on censored periods.

    Examples
    --------
    >>> h = pd.DataFrame({"sku": ["a", "a", "b"], "date": ["2024-01-01", "2024-02-01",
    ...                   "2024-02-01"], "units": [3, 4, 5]})
    >>> b = history_to_batch(h)
    >>> b.freq, b.values.tolist()
    ('MS', [[3.0, 4.0], [nan, 5.0]])
    """
    df = _parse(history, file)
    if df.empty:
        raise InputError("the history has no rows", file=file)
    keys = series_keys(df)
    inferred = infer_freq(df[DATE]) if df[DATE].nunique() > 1 else "D"
    target = _output_calendar(freq, inferred, file)
    dates = pd.date_range(df[DATE].min(), df[DATE].max(), freq=inferred)
    col = dates.get_indexer(df[DATE])
    if (col < 0).any():
        pos = int(np.flatnonzero(col < 0)[0])
        raise InputError(
            f"date {df[DATE].iloc[pos].date()} is not on the {inferred} calendar of the other rows",
            file=file,
            row=pos + 2,
            column=DATE,
        )
    key_frame = df[keys].drop_duplicates().sort_values(keys).reset_index(drop=True)
    row = pd.MultiIndex.from_frame(key_frame).get_indexer(pd.MultiIndex.from_frame(df[keys]))
    values = np.zeros((len(key_frame), len(dates)))
    values[row, col] = df[UNITS].to_numpy()
    first = np.full(len(key_frame), len(dates))
    np.minimum.at(first, row, col)
    values[np.arange(len(dates))[None, :] < first[:, None]] = np.nan
    promo_hist = None
    if PROMO in df.columns:
        promo_hist = np.zeros((len(key_frame), len(dates)))
        promo_hist[row, col] = df[PROMO].to_numpy()
    if target != inferred:
        values, dates, edges = _aggregate(values, first, dates, target)
        if promo_hist is not None:
            promo_hist = np.maximum.reduceat(promo_hist, edges, axis=1)
    promo = None
    if promo_hist is not None:
        promo = np.concatenate([promo_hist, np.zeros((len(key_frame), horizon))], axis=1)
    return SeriesBatch(
        keys=key_frame,
        values=values,
        dates=pd.DatetimeIndex(dates, freq=None),
        freq=target,
        season_length=int(season_length or SEASON_LENGTHS[_base(target)]),
        promo=promo,
    )
