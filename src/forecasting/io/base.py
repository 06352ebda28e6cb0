"""What every reader shares: the parsed-export record and the row checker that quarantines.

A reader turns a :class:`~forecasting.io.detect.RawTable` into a :class:`ParsedExport`: a
canonical table (schema column names, parsed types, a ``line`` column with each row's spreadsheet
row number) plus a quarantine table of the rows it could not use, each with the file, row, column
and reason. The accounting always holds: ``rows_in == len(table) + len(quarantine) +
rows_excluded`` (the store adds duplicates when it ingests), where a table row with a ``rows``
column stands for that many export rows (ads rows summed by key).

Dates, timestamps and money are read with the marketplace of each row (its date convention, time
zone and currency); whole numbers have a believable upper bound per kind of column
(:data:`MAX_UNITS_PER_LINE` …). What a checker decides about a whole file (dates that contradict
the marketplace convention) becomes a note in :attr:`ParsedExport.problems`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting import schema as s
from forecasting.errors import InputError
from forecasting.io.aliases import (
    CURRENCY_MARKS,
    CURRENCY_SYMBOLS,
    MARKETPLACES,
    marketplace_code,
    marketplaces_for_currency,
    marketplaces_in_filename,
)
from forecasting.io.dates import AmbiguousDates, DateOrder, read_dates, read_timestamps
from forecasting.io.detect import RawTable
from forecasting.io.parse import clean_text, currency_marks, parse_numbers

QUARANTINE_COLUMNS = ["file", "row", "column", "reason", "raw"]
LINE = "line"  #: spreadsheet row number of a canonical row in its file

# Largest believable value of a whole-number column, by what it counts (units). A larger value is
# quarantined as implausible: a typo, a barcode in the wrong column, Excel's 1E+19. Each bound is
# far above any real figure and far below 2**53, up to which a float holds whole numbers exactly
# (the default for whole-number columns without a bound of their own).
MAX_UNITS_PER_LINE = 100_000  #: units on one order line or one return line
MAX_UNITS_PER_DAY = 10_000_000  #: units of one SKU in one marketplace on one day
MAX_STOCK_UNITS = 1_000_000_000  #: units in stock, inbound, at the factory; MOQ, case pack
MAX_WHOLE_NUMBER = 2**53  #: any other whole number (sessions, page views, impressions, clicks)
MAX_MONEY = 10**10  #: one money cell, local currency (ten billion: yen and won included)


@dataclass
class ParsedExport:
    """One export read into canonical form, with its bad rows and accounting."""

    file: str
    kind: str
    marketplace: str | None  #: code, or several joined by ";" (orders), None (products)
    table: pd.DataFrame
    quarantine: pd.DataFrame
    rows_in: int
    rows_excluded: int = 0
    excluded_reasons: dict[str, int] = field(default_factory=dict)
    encoding: str = ""
    problems: list[str] = field(default_factory=list)  #: file-level warnings
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)  #: kind-specific side tables

    @property
    def date_range(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        """First and last date of the rows (None when the table has no dates)."""
        if s.DATE not in self.table or self.table[s.DATE].isna().all():
            return None, None
        return self.table[s.DATE].min(), self.table[s.DATE].max()

    @property
    def rows_kept(self) -> int:
        """Export rows represented in ``table`` (a ``rows`` column counts summed rows)."""
        return int(self.table["rows"].sum()) if "rows" in self.table else len(self.table)

    @property
    def skus(self) -> int:
        """Number of distinct SKUs."""
        return int(self.table[s.SKU].nunique()) if s.SKU in self.table else 0


_ORDER_WORDS = {"MDY": "month-first", "DMY": "day-first", "YMD": "year-first"}


class RowChecker:
    """Parses canonical columns of a raw table, quarantining the first problem of each bad row.

    Rows the file reader could not split into cells (``raw.malformed``: wrong number of fields,
    a NUL byte, a stray quote) are quarantined on construction, before any column is parsed.

    Parameters
    ----------
    raw : RawTable
        The export as read, kind detected.
    marketplace : str or Series of str, optional
        The file's marketplace code, or each row's (aligned with the raw rows; "" unknown);
        may be set later as ``checker.marketplace``, before dates, timestamps and money are
        parsed. It gives the date convention of numeric dates, the time zone of timestamps
        written without one, and the currency money cells must be in.
    """

    def __init__(self, raw: RawTable, *, marketplace: str | pd.Series | None = None) -> None:
        self.raw = raw
        self.bad = np.zeros(raw.rows, dtype=bool)
        self._records: list[pd.DataFrame] = []
        self.excluded = np.zeros(raw.rows, dtype=bool)
        self.excluded_reasons: dict[str, int] = {}
        self.decimal_comma = raw.delimiter == ";"
        self.marketplace: str | pd.Series | None = marketplace
        self.notes: list[str] = []  #: what was decided about the file, for ``problems``
        if raw.malformed:  # rows that could not be read as cells: quarantined before any parsing
            pos, column, reason, text = (list(v) for v in zip(*raw.malformed, strict=True))
            self._records.append(
                pd.DataFrame(
                    {"file": raw.file, "row": raw.line(np.asarray(pos)), "column": column,
                     "reason": reason, "raw": text}
                )
            )  # fmt: skip
            self.bad[pos] = True

    def has(self, column: str) -> bool:
        """Whether the export has the canonical ``column``."""
        return column in self.raw.columns

    def cells(self, column: str) -> pd.Series:
        """The raw strings of a canonical column ('' everywhere when the export lacks it)."""
        if column not in self.raw.columns:
            return pd.Series("", index=self.raw.frame.index)
        return self.raw.frame[self.raw.columns[column]]

    def flag(self, mask: pd.Series | np.ndarray, column: str, reason: str | pd.Series) -> None:
        """Quarantine rows in ``mask`` (unless already quarantined or excluded) with ``reason``."""
        mask = np.asarray(mask, dtype=bool) & ~self.bad & ~self.excluded
        if not mask.any():
            return
        pos = np.flatnonzero(mask)
        frame = self.raw.frame
        header = self.raw.columns.get(column, column)
        joined = frame.iloc[pos].astype(str).agg(self.raw.delimiter.join, axis=1)
        reasons = reason.iloc[pos].to_numpy() if isinstance(reason, pd.Series) else reason
        self._records.append(
            pd.DataFrame(
                {
                    "file": self.raw.file,
                    "row": self.raw.line(pos),
                    "column": header,
                    "reason": reasons,
                    "raw": joined.to_numpy(),
                }
            )
        )
        self.bad |= mask

    def exclude(self, mask: pd.Series | np.ndarray, reason: str) -> None:
        """Leave rows out by a business rule (counted, not quarantined): e.g. cancelled orders."""
        mask = np.asarray(mask, dtype=bool) & ~self.bad & ~self.excluded
        if mask.any():
            self.excluded |= mask
            self.excluded_reasons[reason] = self.excluded_reasons.get(reason, 0) + int(mask.sum())

    def text(self, column: str, *, required: bool = False) -> pd.Series:
        """Stripped text; ``required`` quarantines empty cells."""
        t = clean_text(self.cells(column))
        if required:
            self.flag(t.eq(""), column, "empty value")
        return t

    def number(
        self,
        column: str,
        *,
        required: bool = False,
        integer: bool = False,
        minimum: float = 0.0,
        maximum: float | None = None,
    ) -> pd.Series:
        """Parsed number (float; NaN where empty).

        Quarantined: garbage and non-finite values (``N/A``, ``NaN``, ``inf``), values below
        ``minimum`` and above ``maximum`` (default for ``integer`` columns
        :data:`MAX_WHOLE_NUMBER`; see the ``MAX_*`` bounds), and, when ``integer``, fractions;
        ``required`` also quarantines empty cells.
        """
        raw = clean_text(self.cells(column))
        values, bad = parse_numbers(raw, decimal_comma=self.decimal_comma)
        if bad.any():
            self.flag(bad, column, "not a number: '" + raw + "'")
        if required:
            self.flag(values.isna() & ~bad, column, "empty value")
        below = values < minimum
        if below.any():
            self.flag(below, column, "negative value: '" + raw + "'")
        if maximum is None and integer:
            maximum = MAX_WHOLE_NUMBER
        if maximum is not None:
            above = values > maximum
            if above.any():
                self.flag(above, column, f"implausibly large (over {maximum:,.0f}): '" + raw + "'")
        if integer:
            fraction = values.notna() & (values % 1 != 0)
            if fraction.any():
                self.flag(fraction, column, "not a whole number: '" + raw + "'")
        return values

    def money(self, column: str, *, required: bool = False) -> pd.Series:
        """A money amount (float, local currency): :meth:`number` up to :data:`MAX_MONEY`, and
        cells whose currency mark (``¥``, ``JPY``, ``$`` …) does not stand for the row's
        marketplace currency quarantined (``$`` is any dollar: US, CA, MX, AU). Without a known
        marketplace marks are not checked.
        """
        values = self.number(column, required=required, maximum=MAX_MONEY)
        currency = (
            self.marketplaces().map({m: MARKETPLACES[m].currency for m in MARKETPLACES}).fillna("")
        )
        marks, _ = currency_marks(clean_text(self.cells(column)))
        pairs = pd.DataFrame({"mark": marks, "currency": currency})
        checked = pairs[marks.ne("") & currency.ne("")].drop_duplicates()
        for mark, code in checked.itertuples(index=False):
            if code in CURRENCY_MARKS[mark]:
                continue
            rows = marks.eq(mark) & currency.eq(code)
            markets = "/".join(sorted(set(self.marketplaces()[rows])))
            self.flag(
                rows,
                column,
                f"currency '{mark}' does not match {markets}'s {code}: '"
                + clean_text(self.cells(column))
                + "'",
            )
        return values

    def currency(self, column: str) -> pd.Series:
        """An ISO currency column (``currency``); codes other than the row's marketplace
        currency are quarantined (a ``JPY`` line in an ``Amazon.de`` order)."""
        codes = self.text(column).str.upper()
        expected = (
            self.marketplaces().map({m: MARKETPLACES[m].currency for m in MARKETPLACES}).fillna("")
        )
        wrong = codes.ne("") & expected.ne("") & codes.ne(expected)
        if wrong.any():
            self.flag(
                wrong,
                column,
                "currency '" + codes + "' does not match " + self.marketplaces() + "'s " + expected,
            )
        return codes

    def marketplaces(self) -> pd.Series:
        """The marketplace code of each row ("" where unknown)."""
        index = self.raw.frame.index
        if isinstance(self.marketplace, pd.Series):
            return self.marketplace.reindex(index).fillna("").astype(str)
        return pd.Series(self.marketplace or "", index=index, dtype=object)

    def _convention(self, rows: pd.Series, order: str | None) -> tuple[str | None, str]:
        """The date convention for ``rows`` and who sets it (for notes): the report's own
        documented ``order`` or the one convention of the rows' marketplaces."""
        if order:
            return order, f"the {self.raw.kind.replace('_', ' ')} writes {_ORDER_WORDS[order]}"
        codes = sorted({m for m in self.marketplaces()[rows].unique() if m in MARKETPLACES})
        orders = {MARKETPLACES[m].date_order for m in codes}
        if len(orders) == 1:
            found = orders.pop()
            return found, f"{'/'.join(codes)} writes {_ORDER_WORDS[found]}"
        return None, ""

    def _settled(self, order: DateOrder, column: str, said: str) -> None:
        """Note a date order that the cells settled against the convention."""
        if order.overrides and order.position is not None:
            header = self.raw.columns.get(column, column)
            line = self.raw.line(order.position)
            self.notes.append(
                f"dates in column '{header}' are {order.describe()} (row {line}: "
                f"'{order.example}') although {said}: read {order.describe()}"
            )

    def _ambiguous(self, exc: AmbiguousDates, column: str) -> InputError:
        """The refusal of a file whose numeric dates nothing settles (names file, row, column)."""
        return InputError(
            f"cannot tell whether the dates are day-first or month-first: {exc}; "
            "export them as YYYY-MM-DD",
            file=self.raw.file,
            row=None if exc.position is None else int(self.raw.line(exc.position)),
            column=self.raw.columns.get(column, column),
        )

    def date_cells(
        self, cells: pd.Series, column: str, *, order: str | None = None
    ) -> tuple[pd.Series, pd.Series]:
        """Parse date cells of ``column`` (aligned with the raw rows) with the rows'
        marketplace convention (or the report's own ``order``: "MDY", "DMY").

        Returns
        -------
        (dates, bad) : (Series of datetime64 day, Series of bool)

        Raises
        ------
        InputError
            Numeric dates nothing settles as day-first or month-first (names file and column).
        """
        text = clean_text(cells)
        convention, said = self._convention(text.ne(""), order)
        try:
            values, bad, settled = read_dates(text, convention=convention)
        except AmbiguousDates as exc:
            raise self._ambiguous(exc, column) from None
        self._settled(settled, column, said)
        return values, bad

    def date(self, column: str, *, required: bool = True, order: str | None = None) -> pd.Series:
        """Parsed calendar date (datetime64 day); bad dates quarantined. Numeric dates
        (``01/10/2026``) follow :func:`~forecasting.io.dates.settle_date_order` with the
        marketplace convention, or the report's own documented ``order``."""
        raw = clean_text(self.cells(column))
        values, bad = self.date_cells(raw, column, order=order)
        if bad.any():
            self.flag(bad, column, "not a date: '" + raw + "'")
        if required:
            self.flag(values.isna() & ~bad, column, "empty date")
        return values

    def timestamp(self, column: str, *, required: bool = True) -> pd.Series:
        """Parsed timestamp in UTC (any of Amazon's formats, see
        :func:`~forecasting.io.dates.read_timestamps`); a cell without a zone is wall-clock
        time in the row's marketplace. Unreadable cells quarantined with the reason."""
        raw = clean_text(self.cells(column))
        markets = self.marketplaces()
        zones = markets.map({m: MARKETPLACES[m].timezone for m in MARKETPLACES}).fillna("")
        convention, said = self._convention(raw.ne(""), None)
        try:
            values, reasons, settled = read_timestamps(raw, timezone=zones, convention=convention)
        except AmbiguousDates as exc:
            raise self._ambiguous(exc, column) from None
        self._settled(settled, column, said)
        bad = reasons.ne("")
        if bad.any():
            self.flag(bad, column, reasons + ": '" + raw + "'")
        if required:
            self.flag(values.isna() & ~bad, column, "empty date")
        return values

    def finish(
        self, table: pd.DataFrame, *, marketplace: str | None, problems: list[str] | None = None
    ) -> ParsedExport:
        """Keep the good rows of ``table`` (aligned with the raw rows) and build the record."""
        keep = ~self.bad & ~self.excluded
        table = table.loc[keep].copy()
        table[LINE] = self.raw.line(np.flatnonzero(keep))
        table = table.reset_index(drop=True)
        quarantine = (
            pd.concat(self._records, ignore_index=True).sort_values("row", kind="stable")
            if self._records
            else pd.DataFrame(columns=QUARANTINE_COLUMNS)
        ).reset_index(drop=True)
        return ParsedExport(
            file=self.raw.file,
            kind=self.raw.kind,
            marketplace=marketplace,
            table=table,
            quarantine=quarantine,
            rows_in=self.raw.rows,
            rows_excluded=int(self.excluded.sum()),
            excluded_reasons=dict(self.excluded_reasons),
            encoding=self.raw.encoding,
            problems=[*self.notes, *(problems or [])],
        )


def currency_of(values: pd.Series) -> str | None:
    """ISO currency of money cells from their symbols ("$12.00" → USD), or None: the currency
    most cells are written in (a stray ``¥`` row in a euro file does not make it a yen file;
    :meth:`RowChecker.money` quarantines that row)."""
    marks, _ = currency_marks(clean_text(values.astype(str)))
    counts = marks[marks.isin(list(CURRENCY_SYMBOLS))].map(CURRENCY_SYMBOLS).value_counts()
    if counts.empty:
        return None
    top = counts[counts.eq(counts.iloc[0])]
    return str(sorted(top.index)[0])


def marketplace_column(
    raw: RawTable, checker: RowChecker, column: str, label: str, given: str | None
) -> pd.Series:
    """Marketplace code per row from a column of names (``Location``, ``marketplace``).

    Each distinct value is looked up once (:func:`~forecasting.io.aliases.marketplace_code`).
    Without the column, or when no value is known, the file's marketplace is inferred
    (:func:`infer_marketplace`, ``given`` = ``--marketplace``); otherwise rows with an unknown
    name are quarantined with ``unknown <label> '<value>'``.
    """
    names = checker.text(column)
    codes = names.map({v: marketplace_code(v) or "" for v in names.unique()})
    if not checker.has(column) or codes.eq("").all():
        mp = infer_marketplace(raw, currency=None, country=None, given=given)
        return pd.Series(mp, index=raw.frame.index)
    checker.flag(codes.eq(""), column, f"unknown {label} '" + names + "'")
    return codes


def infer_marketplace(
    raw: RawTable,
    *,
    currency: str | None,
    country: pd.Series | None,
    given: str | None,
) -> str:
    """The one marketplace of an export that has no marketplace column.

    Evidence, combined by intersection: ``Country`` column values, the currency (symbols or a
    ``Currency`` column), a marketplace token in the file name (``_US_``), then ``given`` (the
    ``--marketplace`` option) which must agree with the evidence.

    Raises
    ------
    InputError
        The evidence conflicts, or does not single out one marketplace and none was given.
    """
    candidates: set[str] | None = None
    evidence: list[str] = []

    def narrow(found: set[str], what: str) -> None:
        nonlocal candidates
        if found:
            evidence.append(f"{what} → {'/'.join(sorted(found))}")
            candidates = found if candidates is None else candidates & found

    if country is not None:
        codes = {marketplace_code(v) for v in country.dropna().unique() if str(v).strip()}
        narrow({c for c in codes if c}, "Country column")
    if currency:
        narrow(marketplaces_for_currency(currency), f"currency {currency}")
    narrow(marketplaces_in_filename(Path(raw.file).name), "file name")
    if given:
        code = marketplace_code(given) or given.upper()
        if candidates is not None and code not in candidates:
            raise InputError(
                f"--marketplace {given} contradicts the file ({'; '.join(evidence)})",
                file=raw.file,
            )
        return code
    if candidates is not None and len(candidates) == 1:
        return next(iter(candidates))
    hint = f" ({'; '.join(evidence)})" if evidence else ""
    raise InputError(
        f"cannot tell the marketplace of this {raw.kind.replace('_', ' ')}{hint}; "
        "put it in the file name (e.g. _US_) or pass --marketplace",
        file=raw.file,
    )
