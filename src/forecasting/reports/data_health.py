"""Data-health tables: what was read, coverage, gaps, stockouts, duplicates and quarantined rows.

Pure functions over the store's frames (``store.ingest_log()``, ``store.sales()``,
``store.ledger()``, ``store.quarantine()``) for notebook ``01_data_health``. Planners check these
before trusting any forecast: a series with gaps or long stockouts under-states demand, and rows
quarantined at import are left out of every plan.

Counts are rows (ingest), days (coverage, gaps, stockouts) and SKU-days (a SKU × marketplace out of
stock on one day counts one SKU-day).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from forecasting.schema import DATE, IN_STOCK, MARKETPLACE, ON_HAND, SKU, UNITS, require_columns

KEYS = [SKU, MARKETPLACE]
#: Ingest-log columns whose sum must equal ``rows_in``.
ROW_FATES = ["rows_stored", "rows_quarantined", "rows_duplicate", "rows_excluded"]
#: Label of the totals row of :func:`ingest_accounting`.
TOTAL = "Σ"
_DAY = pd.Timedelta(days=1)


def ingest_accounting(log: pd.DataFrame) -> pd.DataFrame:
    """Per file: rows in = stored + quarantined + duplicates + excluded, with a totals row.

    Parameters
    ----------
    log : DataFrame
        ``store.ingest_log()``: file, kind, rows_in, rows_stored, rows_quarantined,
        rows_duplicate (+ marketplace, date_min, date_max, skus, optional rows_excluded).

    Returns
    -------
    DataFrame
        One row per file plus a last row with ``file == "Σ"`` summing the row counts (its
        date_min / date_max span all files, its skus is the largest per-file count).
        ``rows_excluded`` (cancelled orders, unsellable dispositions …) is taken from the log when
        present, else derived as ``rows_in − stored − quarantined − duplicate``. ``balanced`` is
        True when the four fates add up to ``rows_in`` with none negative.

    Examples
    --------
    >>> log = pd.DataFrame({"file": ["a.csv"], "kind": ["orders"], "rows_in": [10],
    ...     "rows_stored": [7], "rows_quarantined": [1], "rows_duplicate": [1]})
    >>> acc = ingest_accounting(log)
    >>> acc[["file", "rows_excluded", "balanced"]].to_dict("records")
    [{'file': 'a.csv', 'rows_excluded': 1, 'balanced': True}, {'file': 'Σ', 'rows_excluded': 1, 'balanced': True}]
    """
    require_columns(log, ["file", "kind", "rows_in", *ROW_FATES[:3]], table="ingest log")
    acc = log.copy()
    counts = ["rows_in", *ROW_FATES]
    if "rows_excluded" not in acc.columns:
        acc["rows_excluded"] = acc["rows_in"] - acc[ROW_FATES[:3]].sum(axis=1)
    acc[counts] = acc[counts].fillna(0).astype("int64")
    if "excluded_reasons" in acc.columns:
        acc["excluded_reasons"] = acc["excluded_reasons"].map(_reasons_text)
    acc["balanced"] = (acc[ROW_FATES].sum(axis=1) == acc["rows_in"]) & (acc[ROW_FATES] >= 0).all(
        axis=1
    )
    front = [c for c in ["file", "kind", MARKETPLACE] if c in acc.columns]
    rest = [c for c in ["excluded_reasons", "date_min", "date_max", "skus"] if c in acc.columns]
    acc = acc[[*front, *counts, "balanced", *rest]].sort_values(["kind", "file"], kind="stable")
    total: dict[str, Any] = {c: "" for c in front} | {c: int(acc[c].sum()) for c in counts}
    total |= {"file": TOTAL, "balanced": bool(acc["balanced"].all())}
    for column, how in [("excluded_reasons", ""), ("date_min", "min"), ("date_max", "max")]:
        if column in rest:
            total[column] = acc[column].agg(how) if how else ""
    if "skus" in rest:
        total["skus"] = acc["skus"].max()
    out = acc.reset_index(drop=True)
    out.loc[len(out)] = pd.Series(total)
    out["balanced"] = out["balanced"].astype(bool)
    return out


def _reasons_text(value: object) -> str:
    """``{"cancelled": 26}`` (a dict or its JSON text) → ``"cancelled: 26"``; other text as is."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip().startswith("{") else value
        except ValueError:
            return value
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def data_overview(sales: pd.DataFrame) -> dict[str, Any]:
    """Headline numbers of the sales history: SKUs, marketplaces, first and last date, series."""
    require_columns(sales, [*KEYS, DATE], table="sales")
    dates = pd.to_datetime(sales[DATE])
    return {
        "skus": int(sales[SKU].nunique()),
        "marketplaces": int(sales[MARKETPLACE].nunique()),
        "series": int(sales[KEYS].drop_duplicates().shape[0]),
        "first": dates.min().date().isoformat() if len(dates) else "—",
        "last": dates.max().date().isoformat() if len(dates) else "—",
    }


def coverage_by_month(sales: pd.DataFrame) -> pd.DataFrame:
    """Days present and days with sales per series and calendar month.

    Parameters
    ----------
    sales : DataFrame
        sku, marketplace, date, units (one row per series and day).

    Returns
    -------
    DataFrame
        sku, marketplace, month (first day of the month), days_present (rows that month),
        days_with_sales (rows with units > 0). Months a series has no row are absent.
    """
    require_columns(sales, [*KEYS, DATE, UNITS], table="sales")
    frame = sales[[*KEYS, DATE, UNITS]].copy()
    frame["month"] = pd.to_datetime(frame[DATE]).dt.to_period("M").dt.to_timestamp()
    frame["selling"] = frame[UNITS] > 0
    out = (
        frame.groupby([*KEYS, "month"], observed=True, sort=True)
        .agg(days_present=(DATE, "size"), days_with_sales=("selling", "sum"))
        .reset_index()
    )
    out["days_with_sales"] = out["days_with_sales"].astype("int64")
    return out


def _spells(frame: pd.DataFrame) -> pd.DataFrame:
    """Runs of consecutive calendar days per series in ``frame`` (sku, marketplace, date)."""
    if frame.empty:
        return pd.DataFrame(
            {
                SKU: pd.Series(dtype=object),
                MARKETPLACE: pd.Series(dtype=object),
                "start": pd.Series(dtype="datetime64[ns]"),
                "end": pd.Series(dtype="datetime64[ns]"),
                "days": pd.Series(dtype="int64"),
            }
        )
    f = frame[[*KEYS, DATE]].sort_values([*KEYS, DATE]).reset_index(drop=True)
    same_series = (f[KEYS] == f[KEYS].shift()).all(axis=1)
    consecutive = (f[DATE] - f[DATE].shift()) == _DAY
    spell_id = (~(same_series & consecutive)).cumsum()
    out = (
        f.groupby(spell_id, sort=True)
        .agg(**{SKU: (SKU, "first"), MARKETPLACE: (MARKETPLACE, "first")}, start=(DATE, "min"))
        .join(f.groupby(spell_id)[DATE].agg(end="max", days="size"))
        .reset_index(drop=True)
    )
    out["days"] = out["days"].astype("int64")
    return out


def gap_spans(sales: pd.DataFrame) -> pd.DataFrame:
    """Missing days inside each series' span: one row per gap (sku, marketplace, start, end, days).

    A gap is a run of calendar days between a series' first and last date with no row at all
    (a day with zero sales is a row, not a gap).

    Examples
    --------
    >>> s = pd.DataFrame({"sku": "A", "marketplace": "US", "units": 1,
    ...     "date": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-05"])})
    >>> gap_spans(s)[["start", "end", "days"]].astype(str).values.tolist()
    [['2026-01-03', '2026-01-04', '2']]
    """
    require_columns(sales, [*KEYS, DATE], table="sales")
    f = sales[[*KEYS, DATE]].drop_duplicates().sort_values([*KEYS, DATE])
    f[DATE] = pd.to_datetime(f[DATE])
    prev = f.groupby(KEYS, sort=False)[DATE].shift()
    step = (f[DATE] - prev).dt.days
    hit = step > 1
    out = pd.DataFrame(
        {
            SKU: f.loc[hit, SKU].to_numpy(),
            MARKETPLACE: f.loc[hit, MARKETPLACE].to_numpy(),
            "start": (prev[hit] + _DAY).to_numpy(),
            "end": (f.loc[hit, DATE] - _DAY).to_numpy(),
            "days": (step[hit] - 1).astype("int64").to_numpy(),
        }
    )
    return out.reset_index(drop=True)


def series_gaps(sales: pd.DataFrame) -> pd.DataFrame:
    """Per series: first and last date, days expected (span), present, missing, longest gap.

    Returns
    -------
    DataFrame
        sku, marketplace, first_date, last_date, days_expected, days_present, days_missing,
        longest_gap_days; sorted by days_missing (most first), then sku and marketplace.
    """
    require_columns(sales, [*KEYS, DATE], table="sales")
    f = sales[[*KEYS, DATE]].drop_duplicates().copy()
    f[DATE] = pd.to_datetime(f[DATE])
    per = (
        f.groupby(KEYS, sort=True)[DATE]
        .agg(first_date="min", last_date="max", days_present="size")
        .reset_index()
    )
    per["days_expected"] = (per["last_date"] - per["first_date"]).dt.days + 1
    per["days_missing"] = per["days_expected"] - per["days_present"]
    gaps = gap_spans(sales).groupby(KEYS)["days"].max().rename("longest_gap_days")
    per = per.merge(gaps, left_on=KEYS, right_index=True, how="left")
    per["longest_gap_days"] = per["longest_gap_days"].fillna(0).astype("int64")
    cols = [*KEYS, "first_date", "last_date", "days_expected", "days_present", "days_missing"]
    per = per[[*cols, "longest_gap_days"]]
    return per.sort_values(["days_missing", *KEYS], ascending=[False, True, True]).reset_index(
        drop=True
    )


def stock_status(frame: pd.DataFrame) -> pd.DataFrame:
    """Daily in-stock flags (sku, marketplace, date, in_stock bool) from a ledger or sales frame.

    A ledger (``on_hand`` column: SELLABLE ending balance, units) gives ``in_stock = on_hand > 0``;
    a sales frame gives its ``in_stock`` column with unknown days (NA: no ledger) dropped.
    """
    if ON_HAND in frame.columns:
        require_columns(frame, [*KEYS, DATE, ON_HAND], table="ledger")
        out = frame[[*KEYS, DATE]].copy()
        out[IN_STOCK] = frame[ON_HAND].to_numpy() > 0
    else:
        require_columns(frame, [*KEYS, DATE, IN_STOCK], table="sales")
        known = frame[IN_STOCK].notna()
        out = frame.loc[known, [*KEYS, DATE]].copy()
        out[IN_STOCK] = frame.loc[known, IN_STOCK].astype(bool).to_numpy()
    out[DATE] = pd.to_datetime(out[DATE])
    return out.reset_index(drop=True)


def stockout_spells(status: pd.DataFrame) -> pd.DataFrame:
    """Runs of consecutive out-of-stock days: sku, marketplace, start, end, days.

    Parameters
    ----------
    status : DataFrame
        :func:`stock_status` output (sku, marketplace, date, in_stock).
    """
    return _spells(status.loc[~status[IN_STOCK].astype(bool)])


def stockout_summary(status: pd.DataFrame) -> pd.DataFrame:
    """Per series: days with a known stock level, stockout days, share, longest spell, last day.

    Returns
    -------
    DataFrame
        sku, marketplace, days_with_ledger, stockout_days, stockout_share (0–1),
        longest_spell_days, last_stockout (NaT if none); most stockout days first.

    Examples
    --------
    >>> st = pd.DataFrame({"sku": "A", "marketplace": "US",
    ...     "date": pd.date_range("2026-01-01", periods=6),
    ...     "in_stock": [True, False, False, True, False, True]})
    >>> stockout_summary(st)[["stockout_days", "longest_spell_days"]].values.tolist()
    [[3, 2]]
    """
    require_columns(status, [*KEYS, DATE, IN_STOCK], table="stock status")
    f = status[[*KEYS, DATE]].copy()
    f["out"] = ~status[IN_STOCK].astype(bool)
    f["out_date"] = f[DATE].where(f["out"])
    per = (
        f.groupby(KEYS, sort=True)
        .agg(
            days_with_ledger=(DATE, "size"),
            stockout_days=("out", "sum"),
            last_stockout=("out_date", "max"),
        )
        .reset_index()
    )
    per["stockout_days"] = per["stockout_days"].astype("int64")
    per["stockout_share"] = per["stockout_days"] / per["days_with_ledger"].clip(lower=1)
    longest = stockout_spells(status).groupby(KEYS)["days"].max().rename("longest_spell_days")
    per = per.merge(longest, left_on=KEYS, right_index=True, how="left")
    per["longest_spell_days"] = per["longest_spell_days"].fillna(0).astype("int64")
    cols = [*KEYS, "days_with_ledger", "stockout_days", "stockout_share", "longest_spell_days"]
    per = per[[*cols, "last_stockout"]]
    return per.sort_values(["stockout_days", *KEYS], ascending=[False, True, True]).reset_index(
        drop=True
    )


def stockouts_by_week(status: pd.DataFrame) -> pd.DataFrame:
    """Out-of-stock SKU-days per week (starting Monday) and marketplace.

    Every week with a known stock level appears, with 0 if nothing was out of stock.

    Returns
    -------
    DataFrame
        week (Monday), marketplace, stockout_days (SKU-days), series (series with a known stock
        level that week).
    """
    require_columns(status, [*KEYS, DATE, IN_STOCK], table="stock status")
    f = status[[*KEYS, DATE]].copy()
    f["out"] = (~status[IN_STOCK].astype(bool)).astype("int64")
    f["week"] = f[DATE].dt.to_period("W-SUN").dt.start_time
    out = (
        f.groupby(["week", MARKETPLACE], sort=True)
        .agg(stockout_days=("out", "sum"), series=(SKU, "nunique"))
        .reset_index()
    )
    return out.astype({"stockout_days": "int64", "series": "int64"})


def quarantine_reasons(quarantine: pd.DataFrame) -> pd.DataFrame:
    """Quarantined rows counted per file and reason (most first): file, reason, count."""
    require_columns(quarantine, ["file", "reason"], table="quarantine")
    out = quarantine.groupby(["file", "reason"], sort=True).size().rename("count").reset_index()
    return out.sort_values(["count", "file", "reason"], ascending=[False, True, True]).reset_index(
        drop=True
    )


def quarantine_rows(
    quarantine: pd.DataFrame, *, limit: int = 200, raw_chars: int = 80
) -> pd.DataFrame:
    """The first ``limit`` quarantined rows (file, row, column, reason, raw cut to ``raw_chars``).

    Sorted by file and row so the table reads like the files; use ``limit`` to keep reports short.
    """
    require_columns(quarantine, ["file", "row", "column", "reason"], table="quarantine")
    cols = [c for c in ["file", "row", "column", "reason", "raw"] if c in quarantine.columns]
    out = quarantine[cols].sort_values(["file", "row"], kind="stable").head(limit).copy()
    if "raw" in out.columns:
        raw = out["raw"].astype(str)
        out["raw"] = raw.where(raw.str.len() <= raw_chars, raw.str.slice(0, raw_chars - 1) + "…")
    return out.reset_index(drop=True)


def duplicates_by_file(log: pd.DataFrame) -> pd.DataFrame:
    """Files with duplicate rows (the same key read twice, kept once): file, kind, rows_duplicate."""
    require_columns(log, ["file", "kind", "rows_duplicate"], table="ingest log")
    hit = log["rows_duplicate"].fillna(0).to_numpy() > 0
    out = log.loc[hit, ["file", "kind", "rows_duplicate"]]
    return out.sort_values("rows_duplicate", ascending=False).reset_index(drop=True)


def coverage_matrix(coverage: pd.DataFrame, value: str = "days_with_sales") -> pd.DataFrame:
    """Wide form of :func:`coverage_by_month`: rows "sku · marketplace", columns months, NaN absent."""
    f = coverage.assign(
        series=coverage[SKU].astype(str) + " · " + coverage[MARKETPLACE].astype(str)
    )
    wide = f.pivot_table(index="series", columns="month", values=value, aggfunc="sum")
    return wide.reindex(sorted(wide.index)).astype(float)


def orders_coverage_spans(coverage: pd.DataFrame) -> pd.DataFrame:
    """Runs of consecutive days on which All Orders exports are the sales record, per marketplace.

    Outside these runs the daily sales come from the Business Reports (rule in
    :mod:`forecasting.io.sales`); an export's coverage never includes its stray rows
    (:mod:`forecasting.io.coverage`).

    Parameters
    ----------
    coverage : DataFrame
        ``store.orders_coverage()``: marketplace, date (one row per covered day).

    Returns
    -------
    DataFrame
        marketplace, start, end, days (calendar days in the run).

    Examples
    --------
    >>> c = pd.DataFrame({"marketplace": "US",
    ...     "date": pd.to_datetime(["2026-11-01", "2026-11-02", "2026-11-05"])})
    >>> orders_coverage_spans(c).astype(str).values.tolist()
    [['US', '2026-11-01', '2026-11-02', '2'], ['US', '2026-11-05', '2026-11-05', '1']]
    """
    require_columns(coverage, [MARKETPLACE, DATE], table="orders coverage")
    f = coverage[[MARKETPLACE, DATE]].drop_duplicates().copy()
    f[DATE] = pd.to_datetime(f[DATE])
    f = f.sort_values([MARKETPLACE, DATE]).reset_index(drop=True)
    new_run = f[MARKETPLACE].ne(f[MARKETPLACE].shift()) | f[DATE].diff().ne(_DAY)
    out = (
        f.groupby(new_run.cumsum(), sort=True)
        .agg(**{MARKETPLACE: (MARKETPLACE, "first")}, start=(DATE, "min"), end=(DATE, "max"))
        .reset_index(drop=True)
    )
    out["days"] = ((out["end"] - out["start"]) / _DAY).astype("int64") + 1
    return out


def partial_days(partial: pd.DataFrame) -> pd.DataFrame:
    """Partial days in the sales history, for display: what is known of them and from where.

    Parameters
    ----------
    partial : DataFrame
        ``store.partial_days(as_of)``: marketplace, date, exported_local, file, units.

    Returns
    -------
    DataFrame
        marketplace, date, exported_local (the export's pull time, local), file (name only),
        units (orders known so far: a lower bound of the day's sales).
    """
    require_columns(
        partial, [MARKETPLACE, DATE, "exported_local", "file", UNITS], table="partial days"
    )
    out = partial[[MARKETPLACE, DATE, "exported_local", "file", UNITS]].copy()
    out["file"] = out["file"].astype(str).str.replace(r"^.*[\\/]", "", regex=True)
    return out.reset_index(drop=True)
