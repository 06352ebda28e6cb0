"""The history store: an embedded DuckDB file that accumulates weekly exports.

``forecasting ingest`` appends exports; re-importing the same or overlapping exports changes
nothing. Each table has a key (:mod:`forecasting.io.tables`); an incoming row whose key exists with identical values is a
*duplicate*, one with different values replaces the stored row (latest export wins; for orders the
later ``last-updated-date`` wins), a new key is inserted. Every ingest of a file writes one line to
``ingest_log`` with ``rows_in = rows_stored + rows_quarantined + rows_duplicate + rows_excluded``
(excluded = left out by rule, e.g. cancelled orders). Bad rows go to ``quarantine`` with file, row,
column and reason. One ingest is one transaction: if any file fails, the store is unchanged.

``open_store()`` without a path gives the store built from ``data/sample/`` in
:func:`forecasting.paths.cache_dir`, rebuilt when the sample changes
(:mod:`forecasting.io.sample_cache`). Readers open the file read-only for each call, so several
processes (notebooks, test workers) can read at once; ``ingest`` needs the file to itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from forecasting import schema as s
from forecasting.errors import InputError
from forecasting.io.base import ParsedExport
from forecasting.io.sales import DATA_END_SQL, PARTIAL_SQL, SALES_SQL
from forecasting.io.tables import DAY, KIND_TABLE, STAMP, TABLES, TEXT


@dataclass(frozen=True)
class IngestResult:
    """Accounting of one file's ingest (one line of the ingest log)."""

    file: str
    kind: str
    marketplace: str | None
    rows_in: int
    rows_stored: int
    rows_quarantined: int
    rows_duplicate: int
    rows_excluded: int

    def __post_init__(self) -> None:
        total = self.rows_stored + self.rows_quarantined + self.rows_duplicate
        if total + self.rows_excluded != self.rows_in:  # pragma: no cover - invariant
            raise AssertionError(f"{self.file}: rows do not add up ({self})")


def _q(name: str) -> str:
    return f'"{name}"'


def _with_file(columns: dict[str, str]) -> dict[str, str]:
    """Columns plus ``file`` (the export each row came from), unless the table has it already."""
    return columns if "file" in columns else {**columns, "file": TEXT}


def _create_tables(con: Any) -> None:
    for table, (columns, _) in TABLES.items():
        cols = ", ".join(f"{_q(c)} {t}" for c, t in _with_file(columns).items())
        con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({cols})")


def _upsert(con: Any, table: str, frame: pd.DataFrame, file: str) -> tuple[int, int]:
    """Merge ``frame`` into ``table`` by key; returns (export rows stored, duplicate rows).

    A ``rows`` column in ``frame`` says how many export rows a row stands for (readers that
    sum rows sharing a key within one file); without it each row is one export row.
    """
    columns, keys = TABLES[table]
    if frame.empty:
        return 0, 0
    staged = frame[list(columns)].copy()
    staged["file"] = file if "file" not in columns else staged["file"]
    staged["_rows"] = frame.get("rows", 1)
    con.register("incoming", staged)
    cols = ", ".join(_q(c) for c in _with_file(columns))
    casts = ", ".join(f"CAST({_q(c)} AS {t}) AS {_q(c)}" for c, t in columns.items())
    if "file" not in columns:
        casts += ", file"
    order = "last_updated DESC" if table == "orders" else "1"
    part = ", ".join(_q(k) for k in keys)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE stg AS SELECT * FROM (SELECT {casts}, _rows, "
        f"row_number() OVER () AS _n FROM incoming) "
        f"QUALIFY row_number() OVER (PARTITION BY {part} ORDER BY {order}, _n DESC) = 1"
    )
    con.unregister("incoming")
    total = int(staged["_rows"].sum())
    on = " AND ".join(f"t.{_q(k)} = stg.{_q(k)}" for k in keys)
    if table == "orders":
        same = "t.last_updated >= stg.last_updated"
    else:
        values = [c for c in columns if c not in keys]
        same = " AND ".join(f"t.{_q(c)} IS NOT DISTINCT FROM stg.{_q(c)}" for c in values)
    con.execute(f"DELETE FROM stg USING {table} t WHERE {on} AND {same or 'TRUE'}")
    con.execute(f"DELETE FROM {table} t USING stg WHERE {on}")
    stored = con.execute("SELECT coalesce(sum(_rows), 0) FROM stg").fetchone()[0]
    con.execute(f"INSERT INTO {table} SELECT {cols} FROM stg")
    return int(stored), total - int(stored)


def _coverage(parsed: ParsedExport) -> pd.DataFrame:
    """Days (per marketplace) an orders export covers, from its ``extra["coverage"]`` spans."""
    spans = parsed.extra.get("coverage")
    parts = [
        pd.DataFrame({s.MARKETPLACE: row[s.MARKETPLACE], s.DATE: pd.date_range(row["min"],
                      row["max"], freq="D")})
        for _, row in (spans if spans is not None else pd.DataFrame()).iterrows()
    ]  # fmt: skip
    if not parts:
        return pd.DataFrame({s.MARKETPLACE: pd.Series(dtype=object), s.DATE: pd.Series(
            dtype="datetime64[ns]")})  # fmt: skip
    return pd.concat(parts, ignore_index=True)


class Store:
    """A DuckDB history store (see the module docstring). Methods return pandas frames.

    Parameters
    ----------
    path : Path
        The DuckDB file.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    @contextlib.contextmanager
    def _connect(self, *, write: bool = False) -> Iterator[Any]:
        import duckdb

        if not write and not self.path.exists():
            raise InputError("no history store here; create it with `forecasting ingest`",
                             file=self.path)  # fmt: skip
        try:
            con = duckdb.connect(str(self.path), read_only=not write)
        except duckdb.Error as exc:
            msg = str(exc).splitlines()[0]
            raise InputError(f"cannot open the history store: {msg}", file=self.path) from None
        try:
            yield con
        finally:
            con.close()

    def query(self, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        """Run read-only SQL against the store and return a frame."""
        with self._connect() as con:
            return con.execute(sql, params or {}).df()

    # --- writing ---------------------------------------------------------------------------
    def ingest(
        self, parsed: Sequence[ParsedExport], *, now: dt.datetime | None = None
    ) -> list[IngestResult]:
        """Append parsed exports in one transaction; returns the accounting per file.

        Parameters
        ----------
        parsed : sequence of ParsedExport
            Files read by :func:`forecasting.io.read_export`.
        now : datetime, optional
            Time stamp for the ingest log (default: now, UTC).
        """
        now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        results: list[IngestResult] = []
        with self._connect(write=True) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                _create_tables(con)
                for p in parsed:
                    results.append(self._ingest_one(con, p, now))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return results

    def _ingest_one(self, con: Any, p: ParsedExport, now: dt.datetime) -> IngestResult:
        table = KIND_TABLE[p.kind]
        stored, dup = _upsert(con, table, p.table, p.file)
        if p.kind == "orders":
            cancelled = p.extra.get("cancelled")
            if cancelled is not None and len(cancelled):  # stored, but excluded from sales
                _upsert(con, "orders", cancelled, p.file)
            _upsert(con, "orders_coverage", _coverage(p), p.file)
            partial = p.extra.get("partial")
            if partial is not None and len(partial):
                _upsert(con, "orders_partial", partial, p.file)
        if len(p.quarantine):
            _upsert(con, "quarantine", p.quarantine, p.file)
        lo, hi = p.date_range
        result = IngestResult(
            p.file, p.kind, p.marketplace, p.rows_in, stored, len(p.quarantine), dup,
            p.rows_excluded,
        )  # fmt: skip
        log = pd.DataFrame(
            [{**result.__dict__, "excluded_reasons": json.dumps(p.excluded_reasons,
              ensure_ascii=False), "date_min": lo, "date_max": hi, "skus": p.skus,
              "ingested_at": now}]
        )  # fmt: skip
        con.register("log_row", log)
        cols = ", ".join(_q(c) for c in TABLES["ingest_log"][0])
        con.execute(f"INSERT INTO ingest_log ({cols}) SELECT {cols} FROM log_row")
        con.unregister("log_row")
        return result

    # --- reading ---------------------------------------------------------------------------
    def _table(self, table: str, order: str) -> pd.DataFrame:
        cols = ", ".join(_q(c) for c in TABLES[table][0])
        with self._connect() as con:
            exists = con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
            ).fetchone()[0]
            if not exists:
                return _typed(pd.DataFrame(columns=list(TABLES[table][0])), table)
            return _typed(con.execute(f"SELECT {cols} FROM {table} ORDER BY {order}").df(), table)

    def sales(self, as_of: dt.date | str | None = None) -> pd.DataFrame:
        """Daily sales per SKU × marketplace × day by the rule in :mod:`forecasting.io.sales`.

        Parameters
        ----------
        as_of : date, optional
            Last day of every series (default: :meth:`default_as_of`, the last day every active
            marketplace has sales data).

        Returns
        -------
        DataFrame
            sku, marketplace, date (datetime64 day), units (int64, units), revenue (float, local
            currency), currency, in_stock (nullable boolean; NA without a ledger row).
        """
        day = pd.Timestamp(as_of).date() if as_of is not None else self.default_as_of()
        with self._connect() as con:
            if not {"orders", "business_report"} <= _tables(con):
                return _sales_frame(pd.DataFrame(columns=[*s.SALES_COLUMNS, s.REVENUE]))
            return _sales_frame(con.execute(_older_store(con, SALES_SQL), {"as_of": day}).df())

    def partial_days(self, as_of: dt.date | str | None = None) -> pd.DataFrame:
        """Partial days up to ``as_of`` that :meth:`sales` counts with the orders known so far.

        A partial day is the last day of an orders export pulled during that day, that no
        complete export and no Business Report covers (rule 1 of :mod:`forecasting.io.sales`).

        Parameters
        ----------
        as_of : date, optional
            Last day looked at (default: :meth:`default_as_of`).

        Returns
        -------
        DataFrame
            marketplace, date (datetime64 day), exported_local (the newest such export's pull
            time, local time), file, units (orders known that day, a lower bound).
        """
        day = pd.Timestamp(as_of).date() if as_of is not None else self.default_as_of()
        empty = pd.DataFrame(
            {
                s.MARKETPLACE: pd.Series(dtype=object),
                s.DATE: pd.Series(dtype="datetime64[ns]"),
                "exported_local": pd.Series(dtype="datetime64[ns]"),
                "file": pd.Series(dtype=object),
                s.UNITS: pd.Series(dtype="int64"),
            }
        )
        with self._connect() as con:
            if day is None or not {"orders", "business_report"} <= _tables(con):
                return empty
            out = con.execute(_older_store(con, PARTIAL_SQL), {"as_of": day}).df()
        if out.empty:
            return empty
        for col in (s.DATE, "exported_local"):
            out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
        out[s.UNITS] = out[s.UNITS].astype("int64")
        return out

    def data_end(self) -> pd.DataFrame:
        """Last day of sales data per marketplace, and which ones bound the default ``as_of``.

        Returns
        -------
        DataFrame
            marketplace, last_day (datetime64 day: last day covered by an orders export or a
            Business Report), active (bool: within ``sales.ACTIVE_DAYS`` days of the newest
            marketplace, so :meth:`sales` waits for it). The default ``as_of`` is the earliest
            ``last_day`` of the active marketplaces.
        """
        with self._connect() as con:
            if not {"orders_coverage", "business_report"} <= _tables(con):
                return pd.DataFrame(
                    {
                        s.MARKETPLACE: pd.Series(dtype=object),
                        "last_day": pd.Series(dtype="datetime64[ns]"),
                        "active": pd.Series(dtype=bool),
                    }
                )
            out = con.execute(DATA_END_SQL).df()
        out["last_day"] = pd.to_datetime(out["last_day"])
        out["active"] = out["active"].astype(bool)
        return out

    def default_as_of(self) -> dt.date | None:
        """The last day every active marketplace has sales data (the default end of
        :meth:`sales`, and ``as_of: latest`` in the settings); ``None`` without sales data."""
        ends = self.data_end()
        active = ends.loc[ends["active"], "last_day"]
        return None if active.empty else pd.Timestamp(active.min()).date()

    def orders(self) -> pd.DataFrame:
        """Stored order lines, cancelled ones left out: order_id, sku, marketplace, date …"""
        t = self._table("orders", "marketplace, date, order_id, sku")
        return t[t["status"].str.lower() != "cancelled"].reset_index(drop=True)

    def orders_coverage(self) -> pd.DataFrame:
        """Days on which orders exports are the sales record: marketplace, date, file (the
        export that last covered the day); see :mod:`forecasting.io.coverage`."""
        if not self._has("orders_coverage"):
            return pd.DataFrame({s.MARKETPLACE: pd.Series(dtype=object),
                                 s.DATE: pd.Series(dtype="datetime64[ns]")})  # fmt: skip
        frame = self.query("SELECT marketplace, date, file FROM orders_coverage "
                           "ORDER BY marketplace, date")  # fmt: skip
        frame[s.DATE] = pd.to_datetime(frame[s.DATE]).astype("datetime64[ns]")
        return frame

    def ledger(self) -> pd.DataFrame:
        """SELLABLE ending balance per sku × marketplace × day: sku, marketplace, date, on_hand
        (units, summed over FNSKUs)."""
        if not self._has("ledger"):
            return pd.DataFrame(columns=[s.SKU, s.MARKETPLACE, s.DATE, s.ON_HAND])
        frame = self.query(
            "SELECT sku, marketplace, date, sum(ending_balance)::BIGINT AS on_hand FROM ledger "
            "WHERE disposition = 'SELLABLE' GROUP BY ALL ORDER BY sku, marketplace, date"
        )
        frame[s.DATE] = pd.to_datetime(frame[s.DATE]).astype("datetime64[ns]")
        return frame

    def inventory(self, as_of: dt.date | str | None = None) -> pd.DataFrame:
        """Current FBA stock per sku × marketplace from the planning-report pulls, guarded
        against truncated pulls and SKUs left out of them (:mod:`forecasting.io.stock`).

        Columns of the ``inventory`` table (on_hand = available units, item_volume_cuft in cubic
        feet) plus ``stock_source`` (which pull or ledger day the figure comes from); pulls and
        ledger days after ``as_of`` are ignored. :meth:`fba_stock` also says what was guarded.
        """
        return self.fba_stock(as_of)[0]

    def fba_stock(self, as_of: dt.date | str | None = None) -> tuple[pd.DataFrame, list[str]]:
        """:meth:`inventory` and the notes on what it had to decide (truncated pulls, SKUs
        missing from a pull), computed once."""
        from forecasting.io.stock import current_fba_stock

        return current_fba_stock(self.inventory_history(), self.ledger(), as_of)

    def inventory_history(self) -> pd.DataFrame:
        """Every inventory planning snapshot (all dates)."""
        return self._table("inventory", "sku, marketplace, date")

    def products(self) -> pd.DataFrame:
        """The product master (sku, …, unit_cost CNY, price, marketplaces "US;DE;JP")."""
        return self._table("products", "sku")

    def factory_stock(self) -> pd.DataFrame:
        """Factory stock: sku, title, finished_goods, open_production, open_production_due."""
        return self._table("factory_stock", "sku")

    def returns(self) -> pd.DataFrame:
        """Customer returns: sku, marketplace, date, units, reason (+ order_id, disposition …)."""
        return self._table("returns", "marketplace, date, sku")

    def ads(self) -> pd.DataFrame:
        """Sponsored Products advertised-product rows per day × SKU × campaign × ad group."""
        return self._table("ads", "marketplace, date, sku, campaign, ad_group")

    def search_terms(self) -> pd.DataFrame:
        """Sponsored Products search-term rows per day × campaign × ad group × search term."""
        return self._table("search_terms", "marketplace, date, campaign, ad_group, search_term")

    def business_report(self) -> pd.DataFrame:
        """Business report rows per sku × marketplace × day (sessions, units_ordered …)."""
        return self._table("business_report", "sku, marketplace, date")

    def quarantine(self) -> pd.DataFrame:
        """Rows that could not be used: file, row, column, reason, raw."""
        return self._table("quarantine", "file, row")

    def ingest_log(self) -> pd.DataFrame:
        """One line per file per ingest with the row accounting."""
        return self._table("ingest_log", "ingested_at, file")

    def _has(self, table: str) -> bool:
        with self._connect() as con:
            return table in _tables(con)


def _older_store(con: Any, sql: str) -> str:
    """``sql`` for a store written before a table existed: the missing tables read as empty."""
    have = _tables(con)
    for table in ("orders_coverage", "orders_partial"):
        if table not in have:
            cols = ", ".join(
                f"NULL::{typ} AS {_q(c)}" for c, typ in _with_file(TABLES[table][0]).items()
            )
            sql = re.sub(rf"\b{table}\b", f"(SELECT {cols} WHERE false) AS {table}", sql)
    return sql


def _tables(con: Any) -> set[str]:
    return {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }


def _typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    for col, typ in TABLES[table][0].items():
        if typ in (DAY, STAMP):
            frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    return frame


def _sales_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            s.SKU: frame[s.SKU].astype(object),
            s.MARKETPLACE: frame[s.MARKETPLACE].astype(object),
            s.DATE: pd.to_datetime(frame[s.DATE]).astype("datetime64[ns]"),
            s.UNITS: frame[s.UNITS].astype("int64"),
            s.REVENUE: frame[s.REVENUE].astype(float),
            s.CURRENCY: frame.get(s.CURRENCY, pd.Series(dtype=object)).astype(object),
            s.IN_STOCK: frame.get(s.IN_STOCK, pd.Series(dtype="boolean")).astype("boolean"),
        }
    )
    return s.validate_sales(out.reset_index(drop=True))


# --- building and opening -------------------------------------------------------------------


def build_store(files: Sequence[Path], path: Path, *, root: Path | None = None,
                marketplace: str | None = None) -> list[IngestResult]:  # fmt: skip
    """Read ``files`` and ingest them into the store at ``path`` (created if missing).

    File names in the store are relative to ``root`` when given (so a store does not depend on
    where the project is checked out).
    """
    from forecasting.io import read_export

    parsed = []
    for f in files:
        p = read_export(f, marketplace=marketplace)
        if root is not None:
            rel = Path(f).resolve().relative_to(root.resolve()).as_posix()
            p.file = rel
            if len(p.quarantine):
                p.quarantine["file"] = rel
        parsed.append(p)
    return Store(path).ingest(parsed)


def open_store(path: str | Path | None = None, *, create: bool = False) -> Store:
    """Open the history store.

    Parameters
    ----------
    path : str or Path, optional
        A DuckDB file written by ``forecasting ingest``. None: the store built from
        ``data/sample/`` (cached, rebuilt when the sample changes).
    create : bool
        Allow a path that does not exist yet (``ingest`` creates it).

    Raises
    ------
    InputError
        ``path`` does not exist (and ``create`` is False).
    """
    if path is None:
        from forecasting.io.sample_cache import sample_store

        return sample_store()
    path = Path(path)
    if not create and not path.exists():
        raise InputError("no history store here; create it with `forecasting ingest`", file=path)
    return Store(path)
