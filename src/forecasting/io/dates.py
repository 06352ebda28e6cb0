"""Calendar dates and timestamps as Amazon's exports write them.

Dates: each cell is read by its own shape. Shapes that say which field is which are read as
written: ``2026-10-01``, ``2026/10/01``, ``2026.10.01``, ``20261001``, ``2026年10月1日``
(year first), ``01.10.2026`` (dots: day first, as every marketplace writing them does),
``Oct 1, 2026`` and ``1 Oct 2026`` (English month names). Numeric ``01/10/2026`` and ``01-10-2026`` are day-first or
month-first, one order per column, settled by one rule (:func:`settle_date_order`): the column's
own unambiguous cells (a field above 12 is the day), else the marketplace's convention (US/CA/MX
month-first, the European marketplaces and AU day-first; JP writes year first, which settles
nothing here). Cells that contradict the convention win (the reader notes it); a column that
nothing settles, or whose cells contradict each other with no convention, raises
:class:`AmbiguousDates` (the reader refuses the file, naming it and the column). There is no
month-first default.

Timestamps (:func:`read_timestamps`): a date of any shape above, a time (``00:02:00``,
``12:02:00 AM``, seconds optional, after ``T`` or a space) and a zone: an offset (``+00:00``,
``+0900``, ``Z``, ``UTC+2``) or an abbreviation Amazon writes (:data:`ZONE_OFFSETS`: PST/PDT,
MST/MDT, CST/CDT, EST/EDT, GMT/BST, CET/CEST and the German MEZ/MESZ, JST …, each a fixed
offset). A timestamp without a zone is wall-clock time in the marketplace's zone, which the reader
passes; a plain date is that local day's midnight; without a known zone the cell is not read,
never silently taken as UTC. Results are UTC; readers convert them to the marketplace's local day.

Hand-written because ``pandas.to_datetime`` knows one format per call, coerces silently and
knows nothing of a marketplace's conventions; here each failure becomes a quarantine reason and
the day/month order has one rule (:func:`settle_date_order`). Parsers work on a column's distinct
cells (exports repeat one date per day); Amazon's usual ISO timestamp layout is read without
regular expressions (an orders export holds one distinct timestamp per order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from forecasting.io.parse import _as_str

MONTH_FIRST, DAY_FIRST, YEAR_FIRST = "MDY", "DMY", "YMD"  #: marketplace date conventions

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

#: shapes of a calendar date: (kind, pattern). ``ymd``/``dmy``/``named`` say which field is which;
#: ``numeric`` (``01/10/2026``, ``01-10-2026``) is day-first or month-first, settled per column.
_DATE_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "ymd",
        re.compile(r"^(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})$", re.ASCII),
    ),
    (
        "ymd",
        re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日$", re.ASCII),
    ),
    ("ymd", re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$", re.ASCII)),
    ("dmy", re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$", re.ASCII)),
    (
        "numeric",
        re.compile(r"^(?P<p>\d{1,2})(?P<sep>[/-])(?P<q>\d{1,2})(?P=sep)(?P<y>\d{4})$", re.ASCII),
    ),
    (
        "named",
        re.compile(r"^(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})$", re.ASCII),
    ),
    (
        "named",
        re.compile(r"^(?P<d>\d{1,2})\.?\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>\d{4})$", re.ASCII),
    ),
)

#: zone abbreviations Amazon writes after a time → fixed offset from UTC in minutes. CST/CDT are
#: US Central (Amazon's meaning); on rows of a marketplace outside the Americas, where CST may be
#: China Standard Time, they are not read. MEZ/MESZ are the German CET/CEST.
ZONE_OFFSETS: dict[str, int] = {
    "UTC": 0,
    "GMT": 0,
    "UT": 0,
    "Z": 0,
    "WET": 0,
    "WEST": 60,
    "BST": 60,
    "CET": 60,
    "MEZ": 60,
    "CEST": 120,
    "MESZ": 120,
    "EET": 120,
    "EEST": 180,
    "JST": 540,
    "KST": 540,
    "AWST": 480,
    "ACST": 570,
    "ACDT": 630,
    "AEST": 600,
    "AEDT": 660,
    "NZST": 720,
    "NZDT": 780,
    "HST": -600,
    "AKST": -540,
    "AKDT": -480,
    "PST": -480,
    "PDT": -420,
    "MST": -420,
    "MDT": -360,
    "CST": -360,
    "CDT": -300,
    "EST": -300,
    "EDT": -240,
}

_AMERICAN_ONLY = ("CST", "CDT")  #: read only for marketplaces in the Americas (or none given)
_TIMESTAMP = re.compile(
    r"^(?P<date>.+?)"
    r"(?:(?:T|\s+)(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<frac>\d{1,9}))?)?"
    r"(?:\s*(?P<ampm>[AaPp])\.?[Mm]\.?)?"
    r"(?:\s*(?P<zone>Z|[+-]\d{2}(?::?\d{2})?|(?:UTC|GMT)\s*[+-]\s*\d{1,2}(?::?\d{2})?"
    r"|[A-Za-z]{2,5}))?)?$",
    re.ASCII,
)
_NUMERIC_ZONE = re.compile(
    r"^(?:UTC|GMT)?\s*(?P<sign>[+-])\s*(?P<h>\d{1,2}):?(?P<m>\d{2})?$", re.ASCII
)
_TIME_PART = re.compile(r"(?:T|\s+)\d{1,2}:\d{2}.*$", re.ASCII)


class AmbiguousDates(ValueError):
    """Numeric dates (``01/10/2026``) that neither the column's own cells nor a marketplace
    convention settle as day-first or month-first. ``example`` is a cell, ``position`` its row
    position in the values given."""

    def __init__(self, message: str, *, example: str, position: int | None) -> None:
        super().__init__(message)
        self.example = example
        self.position = position


@dataclass(frozen=True)
class DateOrder:
    """How a column's numeric dates (``01/10/2026``) are read, and what settled it."""

    day_first: bool | None  #: None: the column has no numeric dates
    #: "cells" (an unambiguous cell), "convention", "given" (by the caller), "" (nothing to settle)
    settled_by: str = ""
    example: str = ""  #: the cell that settled it (or the first numeric one)
    position: int | None = None  #: its row position in the values
    overrides: bool = False  #: the cells contradict the convention given

    def describe(self) -> str:
        """``day-first``/``month-first`` for messages."""
        return "day-first" if self.day_first else "month-first"


def _date_fields(text: pd.Series) -> pd.DataFrame:
    """Year, month, day of each cell by its shape (NaN where no shape matches); for numeric
    cells the two leading fields ``p``, ``q`` instead of month and day. ``text`` has a unique
    RangeIndex-like index."""
    n = len(text)
    out = pd.DataFrame({c: np.full(n, np.nan) for c in ("y", "m", "d", "p", "q")}, index=text.index)
    todo = np.ones(n, dtype=bool)
    for kind, pattern in _DATE_SHAPES:
        if not todo.any():
            break
        found = text[todo].str.extract(pattern)
        found = found[found["y"].notna()]
        if found.empty:
            continue
        rows = found.index
        out.loc[rows, "y"] = pd.to_numeric(found["y"]).to_numpy(float)
        if kind == "numeric":
            out.loc[rows, "p"] = pd.to_numeric(found["p"]).to_numpy(float)
            out.loc[rows, "q"] = pd.to_numeric(found["q"]).to_numpy(float)
        else:
            out.loc[rows, "d"] = pd.to_numeric(found["d"]).to_numpy(float)
            month = (
                found["mon"].str.lower().map(_MONTHS)
                if kind == "named"
                else pd.to_numeric(found["m"])
            )
            out.loc[rows, "m"] = month.to_numpy(float)
        todo[text.index.get_indexer(rows)] = False
    return out


def _settle(
    fields: pd.DataFrame, cells: np.ndarray, first_row: np.ndarray, convention: str | None
) -> DateOrder:
    """The one rule for numeric dates (see the module docstring). ``fields`` of distinct cells,
    ``cells`` their text, ``first_row`` the row position where each first occurs."""
    numeric = fields["p"].notna().to_numpy()
    if not numeric.any():
        return DateOrder(None)
    p, q = fields["p"].to_numpy(), fields["q"].to_numpy()
    day_evidence = numeric & (p > 12) & (q <= 12)  # only a day can exceed 12
    month_evidence = numeric & (q > 12) & (p <= 12)
    said = {DAY_FIRST: True, MONTH_FIRST: False}.get(convention or "")

    def first(mask: np.ndarray) -> int:
        hits = np.flatnonzero(mask)
        return int(hits[np.argmin(first_row[hits])])

    if day_evidence.any() and month_evidence.any():
        a, b = first(day_evidence), first(month_evidence)
        if said is None:
            raise AmbiguousDates(
                f"the dates mix day-first ('{cells[a]}') and month-first ('{cells[b]}') and no "
                "marketplace convention decides",
                example=str(cells[a]),
                position=int(first_row[a]),
            )
        k = a if said else b
        return DateOrder(said, "convention", str(cells[k]), int(first_row[k]))
    if day_evidence.any() or month_evidence.any():
        day_first = bool(day_evidence.any())
        k = first(day_evidence if day_first else month_evidence)
        overrides = said is not None and said != day_first
        return DateOrder(day_first, "cells", str(cells[k]), int(first_row[k]), overrides)
    k = first(numeric)
    if said is not None:
        return DateOrder(said, "convention", str(cells[k]), int(first_row[k]))
    a, b = int(p[k]), int(q[k])
    raise AmbiguousDates(
        f"'{cells[k]}' can be day {a} of month {b} or month {a} day {b}, no date in the column "
        "has a day above 12, and no marketplace convention says which comes first",
        example=str(cells[k]),
        position=int(first_row[k]),
    )


def _day_text(values: pd.Series) -> pd.Series:
    """Cells as stripped text without a time part ("2026-11-22T00:00:00+00:00" → the day as
    written)."""
    return _as_str(values).str.replace(_TIME_PART, "", regex=True).str.strip()


def settle_date_order(values: pd.Series, *, convention: str | None = None) -> DateOrder:
    """How the numeric dates of one column are read: the column's cells, then the convention.

    Parameters
    ----------
    values : Series of str
        The column's cells (a time part is ignored).
    convention : {"MDY", "DMY", "YMD"}, optional
        The marketplace's (or the report's) way of writing numeric dates; ``YMD`` settles nothing
        for ``01/10/2026``.

    Returns
    -------
    DateOrder
        ``overrides`` is True when the cells contradict ``convention`` (they win; say so).

    Raises
    ------
    AmbiguousDates
        Numeric dates that nothing settles, or that contradict each other with no convention.

    Examples
    --------
    >>> settle_date_order(pd.Series(["01/10/2026", "13/10/2026"]), convention="MDY").describe()
    'day-first'
    >>> settle_date_order(pd.Series(["01/10/2026"]), convention="DMY").settled_by
    'convention'
    >>> settle_date_order(pd.Series(["01/10/2026"]))
    Traceback (most recent call last):
    ...
    forecasting.io.dates.AmbiguousDates: '01/10/2026' can be day 1 of month 10 or month 1 day 10, \
no date in the column has a day above 12, and no marketplace convention says which comes first
    """
    text = _day_text(values)
    codes, uniques = pd.factorize(text, sort=False)
    cells = np.asarray(uniques, dtype=object)
    first_row = np.unique(codes, return_index=True)[1]
    fields = _date_fields(pd.Series(cells, dtype=object))
    return _settle(fields, cells, first_row, convention)


def _days(
    text: pd.Series, day_first: bool | None, convention: str | None
) -> tuple[np.ndarray, DateOrder]:
    """Dates (datetime64[ns], NaT where not a date) of cells without a time part, parsed on
    their distinct values."""
    codes, uniques = pd.factorize(text, sort=False)
    cells = np.asarray(uniques, dtype=object)
    fields = _date_fields(pd.Series(cells, dtype=object))
    order = DateOrder(day_first, "given" if day_first is not None else "")
    if day_first is None and fields["p"].notna().any():
        first_row = np.unique(codes, return_index=True)[1]
        order = _settle(fields, cells, first_row, convention)
        day_first = order.day_first
    numeric = fields["p"].notna()
    if numeric.any():
        first_field, second = fields["p"][numeric], fields["q"][numeric]
        fields.loc[numeric, "d"] = first_field if day_first else second
        fields.loc[numeric, "m"] = second if day_first else first_field
    parts = fields[["y", "m", "d"]].set_axis(["year", "month", "day"], axis=1)
    parsed = pd.to_datetime(parts, errors="coerce") if len(parts) else pd.Series([], "M8[ns]")
    out = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[ns]")
    known = codes >= 0
    out[known] = parsed.to_numpy("datetime64[ns]")[codes[known]]
    return out, order


def read_dates(
    values: pd.Series, *, day_first: bool | None = None, convention: str | None = None
) -> tuple[pd.Series, pd.Series, DateOrder]:
    """Parse calendar dates, each cell by its shape (see the module docstring).

    Parameters
    ----------
    values : Series of str
        Cells as read; a time part (``2026-11-22T08:00:00-08:00``) is ignored: the day as written.
    day_first : bool, optional
        How numeric dates (``01/10/2026``) are read; by default settled by
        :func:`settle_date_order` with ``convention``.
    convention : {"MDY", "DMY", "YMD"}, optional
        The marketplace's date convention.

    Returns
    -------
    (dates, bad, order) : (Series of datetime64 day, Series of bool, DateOrder)
        ``bad`` marks non-empty cells that are not a date (``31.02.2026``, ``soon``).

    Raises
    ------
    AmbiguousDates
        See :func:`settle_date_order`.
    """
    text = _day_text(values)
    empty = text.eq("")
    days, order = _days(text, day_first, convention)
    dates = pd.Series(days, index=values.index)
    return dates, dates.isna() & ~empty, order


def parse_dates(
    values: pd.Series, *, day_first: bool | None = None, convention: str | None = None
) -> tuple[pd.Series, pd.Series]:
    """Parse calendar dates: :func:`read_dates` without the order.

    Examples
    --------
    >>> d, bad = parse_dates(pd.Series(["11/22/2026", "12/01/2026", "13/45/2026"]))
    >>> d.dt.strftime("%Y-%m-%d").tolist()[:2], bad.tolist()
    (['2026-11-22', '2026-12-01'], [False, False, True])
    >>> cells = pd.Series(["01.10.2026", "Oct 1, 2026", "2026/10/01", "1 Oct 2026"])
    >>> parse_dates(cells)[0].nunique()
    1
    >>> parse_dates(pd.Series(["01/10/2026"]), convention="DMY")[0].dt.month.tolist()
    [10]
    """
    dates, bad, _ = read_dates(values, day_first=day_first, convention=convention)
    return dates, bad


def _zone_offsets(zones: pd.Series) -> pd.Series:
    """Offset in minutes of each zone text (NaN: no zone; -inf: not a zone known here)."""
    out = pd.Series(np.nan, index=zones.index)
    for zone in zones.dropna().unique():
        z = str(zone).strip()
        m = _NUMERIC_ZONE.match(z)
        if m:
            minutes = int(m["h"]) * 60 + int(m["m"] or 0)
            value = float(-minutes if m["sign"] == "-" else minutes)
            if minutes > 14 * 60 or int(m["m"] or 0) >= 60:
                value = -np.inf
        else:
            value = float(ZONE_OFFSETS.get(z.upper(), -np.inf))
        out[zones.eq(zone)] = value
    return out


def _iso_fast(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Amazon's usual ``2026-09-28T07:02:00-07:00`` / ``…Z`` read without regular expressions
    (an orders export holds one distinct timestamp per order). Returns which cells had exactly
    that layout and were valid, and their UTC times (NaT elsewhere)."""
    n = len(cells)
    stamps = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    length = np.fromiter((len(c) for c in cells), dtype=np.int64, count=n)
    fit = (length == 25) | (length == 20)
    if not fit.any():
        return np.zeros(n, dtype=bool), stamps
    u = np.array(cells[fit], dtype="U25").view(np.uint32).reshape(-1, 25).astype(np.int64)
    digit = (u >= 48) & (u <= 57)
    d = u - 48
    long = length[fit] == 25
    layout = (
        digit[:, [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]].all(axis=1)
        & (u[:, 4] == 45)
        & (u[:, 7] == 45)
        & ((u[:, 10] == 84) | (u[:, 10] == 32))  # "T" or a space
        & (u[:, 13] == 58)
        & (u[:, 16] == 58)
        & np.where(
            long,
            ((u[:, 19] == 43) | (u[:, 19] == 45))
            & digit[:, [20, 21, 23, 24]].all(axis=1)
            & (u[:, 22] == 58),
            u[:, 19] == 90,  # "Z"
        )
    )

    def num(*pos: int) -> np.ndarray:
        out = np.zeros(len(u), dtype=np.int64)
        for p in pos:
            out = out * 10 + d[:, p]
        return out

    sign = np.where(u[:, 19] == 45, -1, 1)
    offset = np.where(long, sign * (num(20, 21) * 60 + num(23, 24)), 0)
    year, month, day = num(0, 1, 2, 3), num(5, 6), num(8, 9)
    hour, minute, second = num(11, 12), num(14, 15), num(17, 18)
    valid = (
        layout
        & (year >= 1678)  # the range of nanosecond timestamps
        & (year <= 2261)
        & (month >= 1)
        & (month <= 12)
        & (day >= 1)
        & (hour < 24)
        & (minute < 60)
        & (second < 60)
        & ~(long & (num(23, 24) >= 60))
    )
    first = np.where(valid, (year - 1970) * 12 + month - 1, 0).astype("datetime64[M]")
    valid &= day <= ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(
        int
    )
    seconds = ((hour * 60 + minute - offset) * 60 + second) * 1_000_000_000
    utc = first.astype("datetime64[D]").astype("datetime64[ns]") + (
        (day - 1) * 86_400_000_000_000 + seconds
    ).astype("timedelta64[ns]")
    utc[~valid] = np.datetime64("NaT")
    ok = np.zeros(n, dtype=bool)
    ok[fit] = ~np.isnat(utc)
    stamps[fit] = utc
    return ok, stamps


def _unnamed(pattern: str) -> str:
    """A date shape's pattern without anchors and named groups, to sit inside another one."""
    body = pattern[1:-1]
    sep = re.search(r"\(\?P<sep>(\[[^\]]*\])\)", body)
    if sep:
        body = body.replace("(?P=sep)", sep.group(1))
    return re.sub(r"\(\?P<\w+>", "(?:", body)


#: :data:`_TIMESTAMP` for one cell per line, its date part spelled out from :data:`_DATE_SHAPES`
#: (twice as fast as a lazy ``.+?``); a line of any other form is caught whole by ``other``
_TIMESTAMP_LINES = re.compile(
    "^(?:"
    + _TIMESTAMP.pattern[1:-1]
    .replace(
        "(?P<date>.+?)", "(?P<date>" + "|".join(_unnamed(p.pattern) for _, p in _DATE_SHAPES) + ")"
    )
    .replace(r"\s", r"[ \t]")
    + r"|(?P<other>.*))$",
    re.ASCII | re.MULTILINE,
)


def _split_timestamps(cells: np.ndarray) -> dict[str, np.ndarray]:
    """Date, time fields and zone of each cell ("" where absent; ``date`` "" where the cell is
    not a timestamp). One regular-expression pass over the joined cells (several times faster
    than ``Series.str.extract``); cells holding a line break take the slower path."""
    names = list(_TIMESTAMP.groupindex)
    if any("\n" in c or "\r" in c for c in cells):
        found = pd.Series(cells, dtype=object).str.extract(_TIMESTAMP).fillna("")
        return {name: found[name].to_numpy(object) for name in names}
    rows = _TIMESTAMP_LINES.findall("\n".join(cells))
    if len(rows) != len(cells):  # cannot happen without line breaks; never misalign rows
        found = pd.Series(cells, dtype=object).str.extract(_TIMESTAMP).fillna("")
        return {name: found[name].to_numpy(object) for name in names}
    table = np.array(rows, dtype=object).reshape(len(cells), len(names) + 1)
    return {name: table[:, i] for i, name in enumerate(names)}


def _digits(texts: np.ndarray, width: int) -> np.ndarray:
    """Whole numbers written with at most ``width`` ASCII digits (NaN where "")."""
    u = np.array(texts, dtype=f"U{width}").view(np.uint32).reshape(-1, width).astype(np.int64)
    value = np.zeros(len(u), dtype=float)
    for i in range(width):
        present = u[:, i] != 0
        value = np.where(present, value * 10 + (u[:, i] - 48), value)
    value[u[:, 0] == 0] = np.nan
    return value


def read_timestamps(
    values: pd.Series,
    *,
    timezone: str | pd.Series | None = None,
    day_first: bool | None = None,
    convention: str | None = None,
) -> tuple[pd.Series, pd.Series, DateOrder]:
    """Parse timestamps in any of Amazon's formats to UTC (see the module docstring).

    Parameters
    ----------
    values : Series of str
        ``2026-09-28T07:02:00+00:00``, ``Sep 28, 2026 12:02:00 AM PDT``, ``28.09.2026 00:02:00
        MESZ``, ``2026/10/01 12:02:00 JST``, plain dates (``2026/10/01``, ``01.10.2026``) …
    timezone : str or Series of str, optional
        IANA zone (one, or one per row aligned with ``values``; empty/None where unknown) in
        which cells *without* a zone are wall-clock time: the marketplace's zone. A plain date
        is that local day's midnight. A repeated wall time (clocks going back) is read as its
        first occurrence (the local day is the same either way); a wall time the clocks skip is
        not a time there. Without a zone, such cells are not read: never silently UTC.
    day_first, convention
        As in :func:`read_dates`, for the date part.

    Returns
    -------
    (stamps, reasons, order) : (Series of datetime64[ns, UTC], Series of str, DateOrder)
        ``reasons`` is "" for readable and empty cells, else why the cell cannot be read.

    Raises
    ------
    AmbiguousDates
        See :func:`settle_date_order`.
    """
    text = _as_str(values)
    empty = text.eq("").to_numpy()
    codes, uniques = pd.factorize(text, sort=False)
    cells = np.asarray(uniques, dtype=object)
    fast, wall = _iso_fast(cells)
    offset = np.where(fast, 0.0, np.nan)
    unreadable = np.zeros(len(cells), dtype=bool)
    zone_text = np.full(len(cells), "", dtype=object)
    order = DateOrder(None)
    slow = np.flatnonzero(~fast)
    if len(slow):
        order = _read_slow_cells(
            cells, slow, codes, wall, offset, unreadable, zone_text, day_first, convention
        )
    unknown_zone = ~unreadable & np.isneginf(offset)
    reason = np.full(len(cells), "", dtype=object)
    reason[unreadable] = "not a date/time"
    reason[unknown_zone] = "unknown time zone '" + zone_text[unknown_zone] + "'"
    # from the distinct cells to the rows
    reasons = reason[codes]
    row_wall = wall[codes]
    row_offset = offset[codes]
    zones = _row_zones(timezone, values.index)
    _refuse_american_zones_elsewhere(zone_text, codes, zones, reasons)
    zones = zones.to_numpy(object)
    stamps = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[ns]")
    zoned = np.isfinite(row_offset) & (reasons == "")
    stamps[zoned] = row_wall[zoned] - (row_offset[zoned] * 60e9).astype("timedelta64[ns]")
    local = np.isnan(row_offset) & (reasons == "") & ~empty
    if local.any():
        _localize_wall_times(row_wall, zones, local, stamps, reasons)
    reasons[empty] = ""
    out = pd.Series(stamps, index=values.index).dt.tz_localize("UTC")
    return out, pd.Series(reasons, index=values.index, dtype=object), order


def _read_slow_cells(
    cells: np.ndarray,
    slow: np.ndarray,
    codes: np.ndarray,
    wall: np.ndarray,
    offset: np.ndarray,
    unreadable: np.ndarray,
    zone_text: np.ndarray,
    day_first: bool | None,
    convention: str | None,
) -> DateOrder:
    """Read the distinct cells ``slow`` that are not plain ISO: fill their wall time (ns),
    zone offset (minutes; NaN without a zone, -inf for an unknown one), ``unreadable`` flag and
    written zone in place; return the date order (its position a row of the column)."""
    parts = _split_timestamps(cells[slow])
    days, order = _days(pd.Series(parts["date"], dtype=object), day_first, convention)
    if order.position is not None:  # among the slow distinct cells → a row position
        k = slow[order.position]
        rows = np.unique(codes, return_index=True)[1]
        order = replace(order, position=int(rows[k]), example=str(cells[k]))
    hour = np.nan_to_num(_digits(parts["h"], 2))
    minute = np.nan_to_num(_digits(parts["mi"], 2))
    second = np.nan_to_num(_digits(parts["s"], 2))
    fraction = np.array(["0." + f for f in parts["frac"]], dtype=float)
    ampm = np.char.upper(np.asarray(parts["ampm"], dtype=str))
    clock = ampm != ""
    bad_time = (minute > 59) | (second > 59) | np.where(clock, (hour < 1) | (hour > 12), hour > 23)
    hour = np.where(clock, hour % 12 + np.where(ampm == "P", 12, 0), hour)
    seconds = hour * 3600 + minute * 60 + second + fraction
    wall[slow] = days + (seconds * 1e9).astype("timedelta64[ns]")
    zone = pd.Series(parts["zone"], dtype=object)
    offset[slow] = _zone_offsets(zone.where(zone.ne(""))).to_numpy(float)
    unreadable[slow] = np.isnat(days) | bad_time
    zone_text[slow] = parts["zone"]
    return order


def _row_zones(timezone: str | pd.Series | None, index: pd.Index) -> pd.Series:
    """The IANA zone of each row ("" where unknown), from one zone or a per-row Series."""
    return (
        (
            pd.Series(timezone, index=index)
            if not isinstance(timezone, pd.Series)
            else timezone.reindex(index)
        )
        .fillna("")
        .astype(str)
    )


def _refuse_american_zones_elsewhere(
    zone_text: np.ndarray, codes: np.ndarray, zones: pd.Series, reasons: np.ndarray
) -> None:
    """Set a reason on readable rows whose written zone exists only in the Americas (``CST``)
    while their marketplace's zone is elsewhere (US Central or China Standard Time?)."""
    american_only = pd.Series(zone_text, dtype=object).str.upper().isin(_AMERICAN_ONLY).to_numpy()
    elsewhere = zones.ne("").to_numpy() & ~zones.str.startswith("America/").to_numpy()
    clash = american_only[codes] & elsewhere & (reasons == "")
    if clash.any():
        written = pd.Series(zone_text[codes][clash], dtype=object)
        reasons[clash] = (
            "time zone '" + written + "' outside the Americas (US Central or China Standard Time?)"
        ).to_numpy(object)


def _localize_wall_times(
    row_wall: np.ndarray,
    zones: np.ndarray,
    local: np.ndarray,
    stamps: np.ndarray,
    reasons: np.ndarray,
) -> None:
    """UTC ``stamps`` of the ``local`` rows (wall time without a written zone) in their row's
    zone, in place; a repeated wall time is its first occurrence, a skipped one gets a reason."""
    for tz in pd.unique(zones[local]):
        rows = local & (zones == tz)
        if not tz:
            reasons[rows] = "no time zone, and no marketplace to take it from"
            continue
        index = pd.DatetimeIndex(row_wall[rows])
        utc = (
            index.tz_localize(tz, ambiguous=np.ones(len(index), dtype=bool), nonexistent="NaT")
            .tz_convert("UTC")
            .tz_localize(None)
        )
        got = utc.to_numpy("datetime64[ns]")
        stamps[rows] = got
        skipped = np.flatnonzero(rows)[np.isnat(got)]
        reasons[skipped] = f"not a local time in {tz} (the clocks skip it)"


def parse_timestamps(
    values: pd.Series,
    *,
    timezone: str | pd.Series | None = None,
    day_first: bool | None = None,
    convention: str | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Parse timestamps to UTC: :func:`read_timestamps` with a bad-cell mask for the reasons.

    Examples
    --------
    >>> t, bad = parse_timestamps(pd.Series(["Sep 28, 2026 12:02:00 AM PDT",
    ...     "28.09.2026 00:02:00 MESZ", "2026-09-28T07:02:00+00:00", "2026-09-28 00:02:00"]))
    >>> t.dt.strftime("%Y-%m-%d %H:%M").tolist()[:3], bad.tolist()
    (['2026-09-28 07:02', '2026-09-27 22:02', '2026-09-28 07:02'], [False, False, False, True])
    >>> parse_timestamps(pd.Series(["2026/10/01"]), timezone="Asia/Tokyo")[0].astype(str).tolist()
    ['2026-09-30 15:00:00+00:00']
    """
    stamps, reasons, _ = read_timestamps(
        values, timezone=timezone, day_first=day_first, convention=convention
    )
    return stamps, reasons.ne("")
