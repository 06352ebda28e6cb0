"""Small summaries of the demand area for reports: stockouts, top series, forecast tables.

Plain functions over data frames so the demand-forecast notebook stays thin (no logic in cells).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from forecasting.demand.classify import abc_classes
from forecasting.demand.stockouts import DEMAND_ESTIMATE, STOCKOUT_SOURCE
from forecasting.errors import InputError
from forecasting.schema import DATE, IN_STOCK, MARKETPLACE, MEAN, MODEL, SKU, UNITS

SERIES = [SKU, MARKETPLACE]


def stockout_summary(marked: pd.DataFrame) -> pd.DataFrame:
    """Stockout days and estimated lost demand per series, most lost demand first.

    Parameters
    ----------
    marked : DataFrame
        Daily sales after :func:`~forecasting.demand.mark_stockouts` and
        :func:`~forecasting.demand.estimate_true_demand`.

    Returns
    -------
    DataFrame
        ``sku, marketplace, stockout_days, ledger_days, inferred_days, longest_spell_days``
        (days), ``lost_units`` (estimated demand − sales on stockout days, units), ``last_stockout``
        (date); only series with at least one stockout day.

    Examples
    --------
    >>> d = pd.DataFrame({"sku": "A", "marketplace": "US", "date": pd.date_range("2026-01-01",
    ...     periods=6), "units": [5, 0, 0, 5, 0, 5], "demand_estimate": [5, 4, 6, 5, 5, 5.0],
    ...     "in_stock": [True, False, False, True, False, True],
    ...     "stockout_source": [None, "ledger", "ledger", None, "inferred", None]})
    >>> r = stockout_summary(d).iloc[0]
    >>> int(r.stockout_days), int(r.ledger_days), int(r.longest_spell_days), float(r.lost_units)
    (3, 2, 2, 15.0)
    """
    out = marked[IN_STOCK].astype("boolean").eq(False).fillna(False).to_numpy(bool)
    df = marked.loc[:, [*SERIES, DATE, UNITS]].assign(_out=out)
    est = marked[DEMAND_ESTIMATE] if DEMAND_ESTIMATE in marked else marked[UNITS]
    df["_lost"] = np.where(out, est.to_numpy(float) - marked[UNITS].to_numpy(float), 0.0)
    source = marked[STOCKOUT_SOURCE] if STOCKOUT_SOURCE in marked else pd.Series(pd.NA, df.index)
    df["_ledger"] = out & source.eq("ledger").fillna(False).to_numpy(bool)
    df["_inferred"] = out & source.eq("inferred").fillna(False).to_numpy(bool)
    df = df.sort_values([*SERIES, DATE], kind="stable")
    new_spell = df["_out"] & ~df.groupby(SERIES, observed=True)["_out"].shift(fill_value=False)
    df["_spell"] = new_spell.cumsum().where(df["_out"])
    spells = df[df["_out"]].groupby([*SERIES, "_spell"], observed=True).size()
    longest = spells.groupby(level=[0, 1], observed=True).max().rename("longest_spell_days")
    g = df[df["_out"]].groupby(SERIES, observed=True)
    table = pd.DataFrame(
        {
            "stockout_days": g.size(),
            "ledger_days": g["_ledger"].sum(),
            "inferred_days": g["_inferred"].sum(),
            "longest_spell_days": longest,
            "lost_units": g["_lost"].sum().round(1),
            "last_stockout": g[DATE].max(),
        }
    )
    table = table.reset_index().sort_values(["lost_units", SKU], ascending=[False, True])
    for col in ("stockout_days", "ledger_days", "inferred_days", "longest_spell_days"):
        table[col] = table[col].astype("int64")
    return table.reset_index(drop=True)


def top_series(
    sales: pd.DataFrame,
    n: int = 6,
    *,
    fx_to_base: Mapping[str, float] | None = None,
    skus: Sequence[str] = (),
    window_days: int | None = 365,
) -> list[tuple[str, str]]:
    """The (sku, marketplace) series with the most revenue (base currency), largest first.

    Parameters
    ----------
    sales : DataFrame
        ``sku, marketplace, date, revenue, currency``.
    n : int
        How many series (when ``skus`` is empty).
    fx_to_base : mapping, optional
        Currency → base currency (settings ``fx_to_base``).
    skus : sequence of str
        Only these SKUs (all their marketplaces, by revenue); empty = the top ``n`` of all. A SKU
        without sales raises :class:`~forecasting.errors.InputError`.
    window_days : int, optional
        Revenue of the last ``window_days`` days (days); None = all history.
    """
    wanted = [skus] if isinstance(skus, str) else list(skus)
    unknown = sorted(set(wanted) - set(sales[SKU].astype(str)))
    if unknown:
        raise InputError(f"no sales of SKU(s) {', '.join(unknown)}", column="skus")
    ranked = abc_classes(sales, fx_to_base, window_days=window_days, by_marketplace=False)
    ranked = ranked.sort_values(["revenue_base", SKU, MARKETPLACE], ascending=[False, True, True])
    ranked = ranked[ranked[SKU].isin(wanted)] if wanted else ranked.head(n)
    return list(zip(ranked[SKU], ranked[MARKETPLACE], strict=True))


def with_analogs(forecast: pd.DataFrame, analog: pd.DataFrame) -> pd.DataFrame:
    """The forecast with each new series' rows replaced by its analog forecast (``model="analog"``).

    Series in ``analog`` lose their rows in ``forecast``; the others are kept; sorted by series and
    date, columns of ``forecast``.
    """
    if analog is None or analog.empty:
        return forecast
    keys = pd.MultiIndex.from_frame(analog[SERIES].drop_duplicates())
    keep = ~pd.MultiIndex.from_frame(forecast[SERIES]).isin(keys)
    out = pd.concat([forecast[keep], analog[forecast.columns]], ignore_index=True)
    return out.sort_values([*SERIES, DATE], kind="stable").reset_index(drop=True)


def forecast_table(forecast: pd.DataFrame, *, weeks: int = 8) -> pd.DataFrame:
    """Weekly totals of the mean forecast per series (units per week), one column per week.

    Weeks start on the forecast's first day (7-day blocks); only the first ``weeks`` blocks are
    shown, plus ``total`` over the whole horizon. Quantiles are not summed (a sum of daily
    quantiles is not a quantile of the weekly sum); the planning area works on the daily rows.

    Returns
    -------
    DataFrame
        ``sku, marketplace, model``, one column per week labelled by its first day (``MM-DD``)
        in date order (``12-28`` before ``01-04`` across a year end), ``total``.
    """
    if forecast.empty:
        return pd.DataFrame(columns=[*SERIES, MODEL, "total"])
    start = forecast[DATE].min()
    block = ((forecast[DATE] - start).dt.days // 7).astype(int)
    df = forecast.assign(_block=block)
    models = df.groupby(SERIES, observed=True)[MODEL].agg(lambda s: ", ".join(sorted(set(s))))
    total = df.groupby(SERIES, observed=True)[MEAN].sum().rename("total")
    first = df[df["_block"] < weeks]
    # pivot on the block number (sorted as numbers = by date), then label each week by its day
    wide = first.pivot_table(index=SERIES, columns="_block", values=MEAN, aggfunc="sum")
    wide = wide.sort_index(axis="columns")
    wide.columns = [(start + pd.Timedelta(days=7 * int(b))).strftime("%m-%d") for b in wide.columns]
    out = pd.concat([models, wide, total], axis=1).reset_index()
    num = [c for c in out.columns if c not in (*SERIES, MODEL)]
    out[num] = out[num].round(1)
    return out.sort_values("total", ascending=False).reset_index(drop=True)
