"""Which days an All Orders export is the sales record for (its *coverage*), and its stray rows.

On a covered day the export's orders replace the Business Report (:mod:`forecasting.io.sales`),
so a covered day without orders means *no sales*. Coverage must therefore never be stretched by a
few rows far from the rest: an export by last-update date normally carries orders bought months
earlier, and a mistyped purchase date (1999, 2099) is one row, not a year of zero sales.

The rule, per marketplace of the file (local purchase days; every readable row counts, cancelled
and replacement orders too, since they show the export reached that day; quarantined rows do not):

1. **Dense span** (:func:`dense_span`). The order rate λ (lines per day) is measured on the middle
   80 % of the lines (between their 10th and 90th percentile day), so stray rows do not dilute it.
   A run of ``k`` days without any order has probability ``exp(-λ k)``; over ``n`` lines a run
   longer than ``k_max = ln(n / STRAY_ALPHA) / λ`` days is unexpected (below 1 % in the whole file
   at that rate). ``k_max`` is kept within [:data:`MIN_EMPTY_DAYS`, :data:`MAX_EMPTY_DAYS`].
   The order days split into runs wherever more than ``k_max`` days in a row have no order. The
   body starts as the run with the most lines (the earliest on a tie) and takes in a neighbouring
   run while that run holds at least :data:`BODY_SHARE` of the lines and at least
   :data:`MIN_BODY_LINES` lines, and is at most :data:`MAX_EMPTY_DAYS` empty days away (a busy
   seller's week-long outage stays inside; months apart never join). The dense span runs from the
   body's first to its last day.
   A seller with one order a week has ``k_max`` ≈ 47 days over three months: sparse but genuine
   orders keep their coverage.
2. **Requested range in the file name** (:func:`name_range`): when the name holds exactly two
   year-first dates (``All_Orders_NA_2026-09-28_2026-11-22.txt``, ``…_20261116_20261119.txt``,
   ``…2026-09-28-to-2026-11-22…``), read as local days of each marketplace, the coverage is the
   dense span cut to that range: the name may narrow the coverage (orders bought before the range
   in an export by last-update date are strays), never widen it (a renamed file cannot invent
   zero-sales days). A range that does not overlap the dense span at all is not used, and said so.
   Day-first or month-first names (``11-22-2026``) are ambiguous and ignored.
3. **Complete last day**: the last covered day counts only when the export's pull time (its
   latest plausible purchase or last-updated time, any marketplace) reached
   :data:`DAY_COMPLETE_HOUR` local time on that day or later; otherwise the day is *partial*:
   left out of the coverage, its orders kept (see :mod:`forecasting.io.sales`, rule 1).

Rows outside the coverage are *strays*: kept as orders (another export may cover their day), but
they do not replace the Business Report. ``ingest`` and ``validate`` say how many each file had.

DESIGN: written by hand (numpy for the counting): no library decides which days an export is the
record for. The same :func:`dense_span` judges implausible dates (:mod:`forecasting.io.plausible`),
so "where a file's data are" has one definition.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting import schema as s
from forecasting.io.aliases import MARKETPLACES

#: local hour (0–24) the export's pull time must reach for its last purchase day to count as
#: complete (orders placed in the last hour of a day may lag in the report)
DAY_COMPLETE_HOUR = 23
#: probability, over the whole file, below which a run of empty days at the measured order rate
#: is unexpected (and splits the order days)
STRAY_ALPHA = 0.01
#: empty days in a row that never split the order days (a quiet day or two is normal)
MIN_EMPTY_DAYS = 2
#: empty days in a row that always split them, however sparse the file (two months without an
#: order is a break, not a sparse export)
MAX_EMPTY_DAYS = 62
#: share of the file's lines a neighbouring run needs to join the body
BODY_SHARE = 0.10
#: lines a neighbouring run needs to join the body (one or two rows are never the body's edge)
MIN_BODY_LINES = 3

_EPOCH = pd.Timestamp("1970-01-01")
_DATE = r"(\d{4})(-?)(\d{2})\2(\d{2})"
_RANGE = re.compile(rf"(?<!\d){_DATE}(?:_to_|-to-|_|-|\.\.|~)(?<!\d){_DATE}(?!\d)", re.IGNORECASE)
_ANY_DATE = re.compile(rf"(?<!\d){_DATE}(?!\d)")


@dataclass(frozen=True)
class DenseSpan:
    """Where a file's dated lines are dense (see the module docstring, rule 1).

    Attributes
    ----------
    first, last : Timestamp
        First and last day of the body (days).
    empty_days : int
        ``k_max``: the most empty days in a row that stay inside one run.
    lines : int
        All lines given.
    inside : int
        Lines dated within ``first .. last``.
    """

    first: pd.Timestamp
    last: pd.Timestamp
    empty_days: int
    lines: int
    inside: int


def dense_span(days: pd.Series, *, across_breaks: bool = False) -> DenseSpan | None:
    """The dense span of dated lines (one entry per order line or report row).

    Parameters
    ----------
    days : Series of datetime64
        The day of each line (NaT ignored; times are cut to the day).
    across_breaks : bool
        Let the body run from the first to the last run that is large enough, however far apart
        (for telling impossible dates from a file with a long break, :mod:`.plausible`); the
        coverage rule (False) never joins runs more than :data:`MAX_EMPTY_DAYS` apart.

    Returns
    -------
    DenseSpan or None
        None when no line has a day.

    Examples
    --------
    >>> weekly = pd.Series(pd.date_range("2026-08-31", periods=13, freq="7D"))
    >>> stray = pd.Series(pd.to_datetime(["2026-02-02"]))
    >>> span = dense_span(pd.concat([stray, weekly]))
    >>> (f"{span.first:%Y-%m-%d}", f"{span.last:%Y-%m-%d}", span.empty_days, span.inside)
    ('2026-08-31', '2026-11-23', 48, 13)
    """
    d = pd.to_datetime(days.dropna()).dt.normalize()
    if d.empty:
        return None
    counts = d.value_counts().sort_index()
    day_no = np.asarray((counts.index - _EPOCH).days, dtype=np.int64)
    lines = counts.to_numpy(dtype=np.int64)
    n = int(lines.sum())
    every = np.repeat(day_no, lines)
    lo, hi = np.quantile(every, 0.1, method="lower"), np.quantile(every, 0.9, method="higher")
    middle = (day_no >= lo) & (day_no <= hi)
    rate = lines[middle].sum() / (hi - lo + 1)
    k_max = math.ceil(math.log(n / STRAY_ALPHA) / rate)
    k_max = int(min(max(k_max, MIN_EMPTY_DAYS), MAX_EMPTY_DAYS))
    run_id = np.concatenate([[0], np.cumsum(np.diff(day_no) - 1 > k_max)])
    run_lines = np.bincount(run_id, weights=lines).astype(np.int64)
    core = int(np.argmax(run_lines))  # the earliest of the largest
    need = max(MIN_BODY_LINES, BODY_SHARE * n)
    starts = np.flatnonzero(np.r_[True, np.diff(run_id) > 0])
    ends = np.r_[starts[1:] - 1, len(day_no) - 1]
    # empty days between run i and run i + 1
    between = day_no[starts[1:]] - day_no[ends[:-1]] - 1

    def joins(run: int, gap: int) -> bool:
        return run_lines[run] >= need and between[gap] <= MAX_EMPTY_DAYS

    left = right = core
    while left > 0 and joins(left - 1, left - 1):
        left -= 1
    while right < len(run_lines) - 1 and joins(right + 1, right):
        right += 1
    large = np.flatnonzero(run_lines >= need)
    if across_breaks and len(large):
        left, right = min(left, int(large[0])), max(right, int(large[-1]))
    body = (run_id >= left) & (run_id <= right)
    first, last = counts.index[body][0], counts.index[body][-1]
    return DenseSpan(first, last, k_max, n, int(lines[body].sum()))


def name_range(file: str | Path) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The requested date range in an export's file name, when it can be read unambiguously.

    Exactly two year-first dates (``2026-09-28`` or ``20260928``, same form for both) joined by
    ``_``, ``-``, ``_to_``, ``-to-``, ``..`` or ``~``, first ≤ last, both real dates, and no
    other date in the name. Anything else (one date, three, day-first forms) gives None.

    Examples
    --------
    >>> name_range("All_Orders_NA_2026-09-28_2026-11-22.txt")
    (Timestamp('2026-09-28 00:00:00'), Timestamp('2026-11-22 00:00:00'))
    >>> name_range("orders_20261116-to-20261119.txt")
    (Timestamp('2026-11-16 00:00:00'), Timestamp('2026-11-19 00:00:00'))
    >>> name_range("Inventory_Planning_US_2026-11-22.txt") is None
    True
    >>> name_range("orders_11-22-2026_12-01-2026.txt") is None
    True
    """
    name = Path(str(file)).name
    found = list(_RANGE.finditer(name))
    if len(found) != 1 or len(_ANY_DATE.findall(name)) != 2:
        return None
    g = found[0].groups()
    if g[1] != g[5]:  # 2026-09-28_20261122: mixed forms
        return None
    try:
        first = pd.Timestamp(int(g[0]), int(g[2]), int(g[3]))
        last = pd.Timestamp(int(g[4]), int(g[6]), int(g[7]))
    except ValueError:
        return None
    return (first, last) if first <= last else None


@dataclass
class Coverage:
    """The coverage of one orders export (see the module docstring).

    Attributes
    ----------
    spans : DataFrame
        marketplace, min, max (days), source (``orders`` or ``orders ∩ file name``), lines,
        strays (lines outside ``min .. max`` and not on a partial last day).
    partial : DataFrame
        marketplace, date, exported_local: last days left out because the export was pulled
        before :data:`DAY_COMPLETE_HOUR` local time.
    strays : DataFrame
        marketplace, date, lines: the days of the lines outside the coverage.
    notes : list of str
        What was decided about the file name's range.
    """

    spans: pd.DataFrame
    partial: pd.DataFrame
    strays: pd.DataFrame
    notes: list[str]


def orders_coverage(
    lines: pd.DataFrame, exported: pd.Timestamp, *, file: str | Path = ""
) -> Coverage:
    """The days an orders export covers per marketplace, its partial last days and strays.

    Parameters
    ----------
    lines : DataFrame
        marketplace (code), date (local purchase day): one row per readable order line.
    exported : Timestamp (UTC) or NaT
        The export's pull time: its latest plausible purchase or last-updated time.
    file : str or Path
        The export's name, for the requested range (:func:`name_range`).

    Returns
    -------
    Coverage
    """
    requested = name_range(file)
    rows, partial, strays, notes = [], [], [], []
    for mp, g in lines.groupby(s.MARKETPLACE, sort=True):
        span = dense_span(g[s.DATE])
        if span is None:
            continue
        first, last, source = span.first, span.last, "orders"
        if requested is not None:
            lo, hi = requested
            if hi < first or lo > last:
                notes.append(
                    f"{mp}: the file name's range {lo:%Y-%m-%d}..{hi:%Y-%m-%d} misses the "
                    f"orders ({first:%Y-%m-%d}..{last:%Y-%m-%d}); the name is not used"
                )
            else:
                first, last, source = max(first, lo), min(last, hi), "orders ∩ file name"
        partial_day = pd.NaT
        if pd.notna(exported):
            reached = exported.tz_convert(MARKETPLACES[str(mp)].timezone).tz_localize(None)
            if reached < last + pd.Timedelta(hours=DAY_COMPLETE_HOUR):
                partial.append((mp, last, reached))
                partial_day, last = last, last - pd.Timedelta(days=1)
        days = g[s.DATE]
        outside = g[((days < first) | (days > last)) & days.ne(partial_day)]
        for day, n in outside[s.DATE].value_counts().sort_index().items():
            strays.append((mp, day, int(n)))
        if last >= first:
            rows.append((mp, first, last, source, len(g), len(outside)))
    spans = pd.DataFrame(rows, columns=[s.MARKETPLACE, "min", "max", "source", "lines", "strays"])
    return Coverage(
        spans,
        pd.DataFrame(partial, columns=[s.MARKETPLACE, s.DATE, "exported_local"]),
        pd.DataFrame(strays, columns=[s.MARKETPLACE, s.DATE, "lines"]),
        notes,
    )


def coverage_notes(file: str, coverage: pd.DataFrame, strays: pd.DataFrame) -> list[str]:
    """One line per marketplace: the days an orders export covers and its stray rows.

    Parameters
    ----------
    file : str
        The export (its name is printed).
    coverage, strays : DataFrame
        ``Coverage.spans`` and ``Coverage.strays``.

    Examples
    --------
    >>> spans = pd.DataFrame({"marketplace": ["US"], "min": [pd.Timestamp("2026-09-28")],
    ...     "max": [pd.Timestamp("2026-11-22")], "source": ["orders"], "lines": [7457],
    ...     "strays": [1]})
    >>> strays = pd.DataFrame({"marketplace": ["US"], "date": [pd.Timestamp("2026-03-02")],
    ...     "lines": [1]})
    >>> for line in coverage_notes("x/All_Orders.txt", spans, strays):
    ...     print(line)
    note: All_Orders.txt: US covers 2026-09-28..2026-11-22 (from the orders); 1 stray row outside it (2026-03-02), kept as orders but not used as sales days
    """
    name = Path(file).name
    out = []
    for row in coverage.itertuples(index=False):
        line = (
            f"note: {name}: {row.marketplace} covers {row.min:%Y-%m-%d}..{row.max:%Y-%m-%d} "
            f"(from the {'orders and the file name' if '∩' in row.source else 'orders'})"
        )
        mine = strays[strays[s.MARKETPLACE].eq(row.marketplace)]
        if row.strays:
            days = ", ".join(f"{d:%Y-%m-%d}" for d in mine[s.DATE].head(5))
            more = ", …" if len(mine) > 5 else ""
            line += (
                f"; {row.strays} stray row{'s' if row.strays != 1 else ''} outside it "
                f"({days}{more}), kept as orders but not used as sales days"
            )
        out.append(line)
    return out
