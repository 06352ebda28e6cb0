"""What every reader shares: the parsed-export record and the row checker that quarantines.

A reader turns a :class:`~forecasting.io.detect.RawTable` into a :class:`ParsedExport`: a
canonical table (schema column names, parsed types, a ``line`` column with each row's spreadsheet
row number) plus a quarantine table of the rows it could not use, each with the file, row, column
and reason. The accounting always holds: ``rows_in == len(table) + len(quarantine) +
rows_excluded`` (the store adds duplicates when it ingests), where a table row with a ``rows``
column stands for that many export rows (ads rows summed by key).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting import schema as s
from forecasting.errors import InputError
from forecasting.io.aliases import (
    CURRENCY_SYMBOLS,
    marketplace_code,
    marketplaces_for_currency,
    marketplaces_in_filename,
)
from forecasting.io.detect import RawTable
from forecasting.io.parse import clean_text, parse_dates, parse_numbers, parse_timestamps

QUARANTINE_COLUMNS = ["file", "row", "column", "reason", "raw"]
LINE = "line"  #: spreadsheet row number of a canonical row in its file


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


class RowChecker:
    """Parses canonical columns of a raw table, quarantining the first problem of each bad row.

    Rows the file reader could not split into cells (``raw.malformed``: wrong number of fields,
    a NUL byte, a stray quote) are quarantined on construction, before any column is parsed.

    Parameters
    ----------
    raw : RawTable
        The export as read, kind detected.
    """

    def __init__(self, raw: RawTable) -> None:
        self.raw = raw
        self.bad = np.zeros(raw.rows, dtype=bool)
        self._records: list[pd.DataFrame] = []
        self.excluded = np.zeros(raw.rows, dtype=bool)
        self.excluded_reasons: dict[str, int] = {}
        self.decimal_comma = raw.delimiter == ";"
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
        self, column: str, *, required: bool = False, integer: bool = False, minimum: float = 0.0
    ) -> pd.Series:
        """Parsed number (float; NaN where empty). Garbage, negative (below ``minimum``) and, when
        ``integer``, fractional values are quarantined; ``required`` also quarantines empty."""
        raw = clean_text(self.cells(column))
        values, bad = parse_numbers(raw, decimal_comma=self.decimal_comma)
        if bad.any():
            self.flag(bad, column, "not a number: '" + raw + "'")
        if required:
            self.flag(values.isna() & ~bad, column, "empty value")
        below = values < minimum
        if below.any():
            self.flag(below, column, "negative value: '" + raw + "'")
        if integer:
            fraction = values.notna() & (values % 1 != 0)
            if fraction.any():
                self.flag(fraction, column, "not a whole number: '" + raw + "'")
        return values

    def date(self, column: str, *, required: bool = True) -> pd.Series:
        """Parsed calendar date (datetime64 day); bad dates quarantined."""
        raw = clean_text(self.cells(column))
        values, bad = parse_dates(raw)
        if bad.any():
            self.flag(bad, column, "not a date: '" + raw + "'")
        if required:
            self.flag(values.isna() & ~bad, column, "empty date")
        return values

    def timestamp(self, column: str, *, required: bool = True) -> pd.Series:
        """Parsed UTC timestamp; bad timestamps quarantined."""
        raw = clean_text(self.cells(column))
        values, bad = parse_timestamps(raw)
        if bad.any():
            self.flag(bad, column, "not a date/time: '" + raw + "'")
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
            problems=list(problems or []),
        )


def currency_of(values: pd.Series) -> str | None:
    """ISO currency of money cells from their symbols ("$12.00" → USD), or None."""
    sample = values.astype(str).head(500)
    for symbol, code in sorted(CURRENCY_SYMBOLS.items(), key=lambda kv: -len(kv[0])):
        if sample.str.contains(symbol, regex=False).any():
            return code
    return None


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
