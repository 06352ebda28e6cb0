"""Current FBA stock from the inventory planning-report pulls, guarded against incomplete pulls.

The planning report (``GET_FBA_INVENTORY_PLANNING_DATA``) is where FBA stock, inbound and ages come
from, but Amazon's pulls are not always whole: some return only part of the rows, and SKUs without
stock are left out (seen in the SP-API issue tracker). :func:`current_fba_stock` decides per SKU
which figure to plan from and says where it came from (``stock_source``); ``Store.inventory()``
uses it.
"""

from __future__ import annotations

import pandas as pd

from forecasting.errors import InputError
from forecasting.schema import (
    AGE_BUCKETS,
    INBOUND_RECEIVING,
    INBOUND_SHIPPED,
    INBOUND_WORKING,
    MARKETPLACE,
    ON_HAND,
    RESERVED,
    SKU,
)

#: a planning-report pull with fewer rows than this share of the previous pull's rows (same
#: marketplace) is taken as truncated: Amazon sometimes returns 5–50 % of the report
TRUNCATED_SHARE = 0.8
#: a SKU missing from the latest pull is looked at only if an earlier pull (at most this many
#: days older) listed it; older ones have left the catalogue
STALE_DAYS = 90
#: the stock columns that are zeroed for a SKU missing from a complete pull (out of stock)
_STOCK_COLUMNS = (
    ON_HAND, "fc_transfer", RESERVED, INBOUND_WORKING, INBOUND_SHIPPED, INBOUND_RECEIVING,
    *AGE_BUCKETS,
)  # fmt: skip


def current_fba_stock(
    history: pd.DataFrame, ledger: pd.DataFrame | None = None, as_of: object | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """FBA stock per SKU × marketplace from the planning-report pulls, guarded against bad pulls.

    The FBA inventory planning report is the stock figure, but Amazon's pulls are not always
    whole: some return a fraction of the rows, and SKUs with no stock are left out. Taking each
    SKU's newest row, as a plain "latest snapshot" does, would then plan from a weeks-old stock
    figure for exactly the SKUs that ran out. Rule, per marketplace, with ``D`` its newest pull
    on or before ``as_of``:

    1. SKUs in the pull of ``D``: that row (``stock_source`` "planning report D").
    2. A SKU listed in an earlier pull (within :data:`STALE_DAYS` days) but missing from ``D``'s:
       a. the Inventory Ledger has its SELLABLE ending balance on ``D`` (or later, up to
          ``as_of``): that balance is the available stock; inbound and ages as last reported
          ("ledger …");
       b. else, if ``D``'s pull has fewer than :data:`TRUNCATED_SHARE` of the previous pull's
          rows (truncated): its last reported row ("older pull …, latest truncated");
       c. else it is out of stock: available, reserved, inbound and ages 0 ("missing from the
          pull of D: out of stock"). Zero inbound is the safe side: a shipment planned for
          stock that already arrived is caught at the next weekly run; a stock-out is not.
    3. Every case 2 and a truncated pull give a note, so the planner sees it.

    Parameters
    ----------
    history : DataFrame
        ``store.inventory_history()``: every pull (sku, marketplace, date, on_hand, … units).
    ledger : DataFrame, optional
        ``store.ledger()``: sku, marketplace, date, on_hand (SELLABLE ending balance, units).
    as_of : date-like, optional
        Planning date: pulls and ledger days after it are ignored.

    Returns
    -------
    (DataFrame, list of str)
        One row per SKU × marketplace with the columns of ``history`` plus ``stock_source``;
        and the notes.

    Raises
    ------
    InputError
        Pulls exist but none on or before ``as_of`` (the stock then is unknown, never guessed).
    """
    if history.empty:
        return history.assign(stock_source=pd.Series(dtype=object)), []
    h = history.copy()
    h["date"] = pd.to_datetime(h["date"])
    if as_of is not None:
        h = h[h["date"] <= pd.Timestamp(as_of)]
    lg = None
    if ledger is not None and len(ledger):
        lg = ledger.assign(date=pd.to_datetime(ledger["date"]))
        if as_of is not None:
            lg = lg[lg["date"] <= pd.Timestamp(as_of)]
    if h.empty:  # pulls exist, but all after as_of: no stock figure is known then
        first = pd.Timestamp(history["date"].min()).date()
        raise InputError(
            f"no FBA Inventory planning report pulled on or before as_of {pd.Timestamp(as_of).date()}"
            f" (the store's first pull is {first}): the stock on that day is unknown and is not "
            f"guessed; choose an as_of on or after {first}, or ingest an earlier pull",
            key="as_of",
        )
    parts, notes = [], []
    for mp, g in h.groupby(MARKETPLACE, sort=True):
        parts.extend(_marketplace_stock(str(mp), g, lg, notes))
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values([SKU, MARKETPLACE], kind="stable").reset_index(drop=True), notes


def _marketplace_stock(
    mp: str, g: pd.DataFrame, lg: pd.DataFrame | None, notes: list[str]
) -> list[pd.DataFrame]:
    """Rules 1–3 of :func:`current_fba_stock` for the pulls ``g`` of one marketplace: the
    newest pull's rows, then the SKUs missing from it; notes are appended to ``notes``."""
    dates = sorted(g["date"].unique())
    newest = pd.Timestamp(dates[-1])
    latest = g[g["date"] == newest].drop_duplicates(SKU, keep="last")
    latest = latest.assign(stock_source=f"planning report {newest:%Y-%m-%d}")
    previous = g[g["date"] == dates[-2]] if len(dates) > 1 else g.iloc[:0]
    truncated = len(previous) > 0 and len(latest) < TRUNCATED_SHARE * len(previous)
    if truncated:
        notes.append(
            f"{mp}: the planning report of {newest:%Y-%m-%d} has {len(latest)} rows, "
            f"{len(latest) / len(previous):.0%} of the {len(previous)} of "
            f"{pd.Timestamp(dates[-2]):%Y-%m-%d}: it looks truncated; pull it again"
        )
    recent = g[(g["date"] < newest) & (g["date"] >= newest - pd.Timedelta(days=STALE_DAYS))]
    missing = recent[~recent[SKU].isin(latest[SKU])].sort_values("date")
    missing = missing.drop_duplicates(SKU, keep="last")
    if missing.empty:
        return [latest]
    bal = None
    if lg is not None:
        lm = lg[(lg[MARKETPLACE] == mp) & (lg["date"] >= newest)].sort_values("date")
        bal = lm.drop_duplicates(SKU, keep="last").set_index(SKU)
    rows, how = _missing_skus(missing, bal, truncated, newest)
    notes.append(
        f"{mp}: {len(missing)} SKU(s) missing from the planning report of {newest:%Y-%m-%d}: "
        f"{how['ledger']} from the inventory ledger, {how['older']} from an older pull, "
        f"{how['out']} taken as out of stock (see stock_source)"
    )
    return [latest, pd.DataFrame(rows)]


def _missing_skus(
    missing: pd.DataFrame, bal: pd.DataFrame | None, truncated: bool, newest: pd.Timestamp
) -> tuple[list[dict], dict[str, int]]:
    """Rule 2 for the SKUs missing from the newest pull: their last reported rows with the
    ledger balance (a), kept as reported when the pull is truncated (b), else zeroed (c); and
    how many took each way."""
    rows, how = [], {"ledger": 0, "older": 0, "out": 0}
    for r in missing.to_dict("records"):
        sku = r[SKU]
        if bal is not None and sku in bal.index:
            r[ON_HAND] = float(bal.loc[sku, ON_HAND])
            r["stock_source"] = f"ledger {pd.Timestamp(bal.loc[sku, 'date']):%Y-%m-%d}"
            how["ledger"] += 1
        elif truncated:
            r["stock_source"] = f"older pull {pd.Timestamp(r['date']):%Y-%m-%d}, latest truncated"
            how["older"] += 1
        else:
            for col in _STOCK_COLUMNS:
                if col in r:
                    r[col] = 0.0
            r["stock_source"] = f"missing from the pull of {newest:%Y-%m-%d}: out of stock"
            how["out"] += 1
        rows.append(r)
    return rows, how
