"""Production requirements: every marketplace's ship plan as units the factory owes, by due date.

A shipment that leaves the port on ``ship_date`` must be finished earlier by the quality check and
the inland haul to the port (the ``qc`` and ``inland`` segments of the settings' lead time of that
marketplace × mode):

    due_date = ship_date − ⌈qc_days + inland_days⌉

Gross requirements are then netted against what the factory already has, earliest due first
(the MRP netting logic of Orlicky; see Jacobs, Berry, Whybark & Vollmann, *Manufacturing Planning and
Control for Supply Chain Management*, 6th ed., ch. 6):

1. finished goods at the factory cover the earliest requirements of the SKU, whatever their date;
2. an open production order (``open_production`` units due ``open_production_due``) covers the
   earliest still-open requirements due on or after its due date (it cannot serve an earlier one).

What is left (``required``) is what the production plan must make. Tie-break of equal due dates:
marketplace, then mode, so the result is deterministic.

Shipments from :func:`~forecasting.planning.fba.replenishment.plan_replenishment` carry a ``source``
column: rows sourced from ``finished_goods`` or ``open_production`` already have factory stock
allocated to them. They are netted against that stock first (required 0 as far as it reaches) and
only what stock is left over nets the ``new_order`` rows, so no unit of stock counts twice.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.config import Settings
from forecasting.errors import InputError
from forecasting.planning.production.factory_calendar import week_start
from forecasting.schema import MARKETPLACE, SKU, UNITS, require_columns
from forecasting.spreadsheet import read_csv

MODE = "mode"
SHIP_DATE = "ship_date"
ARRIVAL_DATE = "arrival_date"
DUE_DATE = "due_date"
DUE_WEEK = "due_week"
REQUIRED = "required"
GROSS = "gross"
FINISHED_GOODS = "finished_goods"
OPEN_PRODUCTION = "open_production"
OPEN_PRODUCTION_DUE = "open_production_due"
SOURCE = "source"
SHIPMENT_COLUMNS = [SKU, MARKETPLACE, MODE, SHIP_DATE, ARRIVAL_DATE, UNITS]
#: lead-time segments between the end of production and the ship date
PRE_SHIPMENT_SEGMENTS = ("qc", "inland")


def pre_shipment_days(settings: Settings, marketplace: str, mode: str) -> int:
    """Whole days from the end of production to the ship date: ⌈Σ mean of qc and inland⌉ (days).

    >>> from forecasting.config import load_settings
    >>> pre_shipment_days(load_settings(), "US", "sea")  # qc 2 + inland 3
    5
    """
    lt = settings.lead_time(marketplace, mode)
    days = sum(s.mean_days for s in lt.segments if s.name in PRE_SHIPMENT_SEGMENTS)
    return int(math.ceil(days - 1e-9))


def read_shipments_csv(path: str | Path) -> pd.DataFrame:
    """Read planned shipments from a CSV (``sku, marketplace, mode, ship_date, arrival_date,
    units``; extra columns kept), checked: a bad value raises :class:`InputError` naming the file,
    the row (header = row 1) and the column.
    """
    p = Path(path)  # often written by plan --output with the spreadsheet guard
    raw = read_csv(p, "shipments file", dtype={SKU: str, MARKETPLACE: str, MODE: str})
    missing = [c for c in SHIPMENT_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; has {', '.join(map(str, raw.columns))}",
            file=p,
            column=missing[0],
        )
    try:
        _check_shipments(raw)
    except InputError as exc:
        raise InputError(exc.message, file=p, row=exc.row, column=exc.column) from None
    return raw


def _check_shipments(shipments: pd.DataFrame) -> pd.DataFrame:
    require_columns(shipments, SHIPMENT_COLUMNS, table="shipments")
    out = shipments[[*SHIPMENT_COLUMNS, *([SOURCE] if SOURCE in shipments else [])]].copy()
    for col in (SHIP_DATE, ARRIVAL_DATE):
        parsed = pd.to_datetime(out[col], errors="coerce")
        bad = parsed.isna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
            raise InputError(
                f"shipments: not a date: {out[col].iloc[row - 2]!r}", row=row, column=col
            )
        out[col] = parsed.dt.normalize()
    units = pd.to_numeric(out[UNITS], errors="coerce")
    bad = units.isna() | (units < 0)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise InputError(
            f"shipments: units must be a number ≥ 0, got {out[UNITS].iloc[row - 2]!r}",
            row=row,
            column=UNITS,
        )
    out[UNITS] = np.ceil(units - 1e-9).astype(np.int64)
    out[SKU] = out[SKU].astype(str)
    out[MARKETPLACE] = out[MARKETPLACE].astype(str)
    return out


def requirements_from_shipments(
    shipments: pd.DataFrame, settings: Settings, factory_stock: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Net production requirements per SKU × marketplace × due date.

    Parameters
    ----------
    shipments : DataFrame
        Planned shipments (``plan_replenishment(...).shipments``): ``sku, marketplace, mode,
        ship_date, arrival_date, units`` (units of product; fractional units round up).
    settings : Settings
        Lead-time segments ``qc`` and ``inland`` per marketplace × mode (days).
    factory_stock : DataFrame, optional
        ``store.factory_stock()``: ``sku, finished_goods, open_production, open_production_due``
        (units; date). None or a missing SKU means nothing on hand.

    Returns
    -------
    DataFrame
        ``sku, marketplace, due_date, due_week, required`` (net units to produce) and, for
        tracing, ``mode, ship_date, arrival_date, gross`` (units shipped),
        ``from_finished_goods``, ``from_open_production`` (units netted). One row per shipment,
        sorted by sku, due_date, marketplace, mode; rows fully covered keep ``required = 0``.

    Examples
    --------
    Two US sea shipments of 100 (due 5 days before shipping) against 30 finished goods:

    >>> from forecasting.config import load_settings
    >>> ships = pd.DataFrame({"sku": ["A", "A"], "marketplace": "US", "mode": "sea",
    ...     "ship_date": pd.to_datetime(["2026-12-10", "2026-12-24"]),
    ...     "arrival_date": pd.to_datetime(["2027-01-20", "2027-02-03"]), "units": 100})
    >>> stock = pd.DataFrame({"sku": ["A"], "finished_goods": [30], "open_production": [0],
    ...     "open_production_due": [pd.NaT]})
    >>> req = requirements_from_shipments(ships, load_settings(), stock)
    >>> req[["due_date", "required"]].astype(str).values.tolist()
    [['2026-12-05', '70'], ['2026-12-19', '100']]
    """
    ships = _check_shipments(shipments)
    lag = {
        key: pre_shipment_days(settings, *key)
        for key in ships[[MARKETPLACE, MODE]].drop_duplicates().itertuples(index=False)
    }
    offset = [lag[(m, o)] for m, o in zip(ships[MARKETPLACE], ships[MODE], strict=True)]
    ships[DUE_DATE] = ships[SHIP_DATE] - pd.to_timedelta(offset, unit="D")
    ships = ships.sort_values([SKU, DUE_DATE, MARKETPLACE, MODE], kind="mergesort")
    ships = ships.reset_index(drop=True)
    gross = ships[UNITS].to_numpy(np.int64)
    from_fg = np.zeros(len(ships), np.int64)
    from_open = np.zeros(len(ships), np.int64)
    stock = _stock_by_sku(factory_stock)
    for sku, idx in ships.groupby(SKU, sort=False).indices.items():
        fg, open_units, open_due = stock.get(sku, (0, 0, pd.NaT))
        order = list(idx)
        if SOURCE in ships:  # rows the replenishment plan already sourced from stock go first
            src = ships[SOURCE].to_numpy()[idx]
            order = [*idx[src == FINISHED_GOODS], *idx[src == OPEN_PRODUCTION],
                     *idx[(src != FINISHED_GOODS) & (src != OPEN_PRODUCTION)]]  # fmt: skip
        for i in order:  # earliest due first (within source when given)
            take = min(fg, gross[i])
            from_fg[i], fg = take, fg - take
            rest = gross[i] - take
            sourced = SOURCE in ships and ships[SOURCE].iat[i] == OPEN_PRODUCTION
            fits = pd.isna(open_due) or open_due <= ships[DUE_DATE].iat[i] or sourced
            if rest and open_units and fits:
                take = min(open_units, rest)
                from_open[i], open_units = take, open_units - take
    out = ships.rename(columns={UNITS: GROSS})
    out["from_finished_goods"] = from_fg
    out["from_open_production"] = from_open
    out[REQUIRED] = gross - from_fg - from_open
    out[DUE_WEEK] = out[DUE_DATE].map(week_start)
    cols = [SKU, MARKETPLACE, DUE_DATE, DUE_WEEK, REQUIRED, MODE, SHIP_DATE, ARRIVAL_DATE, GROSS]
    return out[[*cols, "from_finished_goods", "from_open_production"]]


def _stock_by_sku(factory_stock: pd.DataFrame | None) -> dict[str, tuple[int, int, object]]:
    if factory_stock is None or factory_stock.empty:
        return {}
    require_columns(factory_stock, [SKU, FINISHED_GOODS], table="factory_stock")
    fs = factory_stock.copy()
    for col in (FINISHED_GOODS, OPEN_PRODUCTION):
        if col not in fs:
            fs[col] = 0
        fs[col] = pd.to_numeric(fs[col], errors="coerce").fillna(0).clip(lower=0).astype(np.int64)
    if OPEN_PRODUCTION_DUE not in fs:
        fs[OPEN_PRODUCTION_DUE] = pd.NaT
    fs[OPEN_PRODUCTION_DUE] = pd.to_datetime(fs[OPEN_PRODUCTION_DUE], errors="coerce")
    fs = fs.groupby(fs[SKU].astype(str)).agg(
        {FINISHED_GOODS: "sum", OPEN_PRODUCTION: "sum", OPEN_PRODUCTION_DUE: "max"}
    )
    return {
        str(k): (int(r[FINISHED_GOODS]), int(r[OPEN_PRODUCTION]), r[OPEN_PRODUCTION_DUE])
        for k, r in fs.iterrows()
    }
