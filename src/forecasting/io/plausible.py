"""Implausible dates: rows dated where the export cannot have data are quarantined, not stored.

One mistyped date (a purchase in 2099, a Business Report row of 1999) must not move the end of
every series, name a report folder 2099-09-30, or turn years of history into zero sales. Each
export is judged by its own content (a file's modification time says when it was copied, not when
it was pulled, and the clock of the machine is not the data's clock):

- the export's *body* runs from the first to the last run of dense dates that holds a real share
  of its rows (:func:`forecasting.io.coverage.dense_span` with ``across_breaks``, all marketplaces
  of the file together): a file with a long break keeps both sides, one or two rows far away are
  not the body;
- a date more than :data:`FUTURE_DAYS` day after the body's last day is later than the export can
  have been pulled (an export ends at its pull time, and its newest days are dense);
- a date more than :data:`PAST_DAYS` days before the body's first day is older than any order an
  export carries (an export by last-update date holds orders bought weeks or months earlier, e.g.
  returns and refunds, not years);
- a date before :data:`AMAZON_FIRST_DAY` (Amazon's first order) is impossible.

An order's ``last-updated-date`` is judged against its own ``purchase-date``
(:func:`implausible_updates`): an export pulled long after its orders holds late updates (returns,
refunds), so the body rule does not apply; an update before the purchase or more than
:data:`PAST_DAYS` days after it is impossible, and would otherwise pass for the export's pull
time.

Such rows are quarantined with the file, row, column and the reason; the rest of the file is read
as usual. So the store's default ``as_of`` can never jump to 2099.
"""

from __future__ import annotations

import pandas as pd

from forecasting.io.coverage import dense_span

#: Amazon.com's first order: no export holds an earlier date
AMAZON_FIRST_DAY = pd.Timestamp("1995-07-16")
#: days after the export's newest dense day that a date may still fall on (time zones)
FUTURE_DAYS = 1
#: days before the export's oldest dense day that a date may fall on (stray old orders)
PAST_DAYS = 366


def implausible_dates(days: pd.Series, column: str) -> pd.Series:
    """Why each date of an export's column is implausible ('' where it is plausible).

    Parameters
    ----------
    days : Series of datetime64
        One date (or time: cut to the day) per row of the export; NaT rows are left alone.
    column : str
        The column's name in the export, for the reason text.

    Returns
    -------
    Series of str
        Same index: the reason, e.g. ``purchase-date 2099-09-30 is after the export's newest
        data (2026-11-22): later than the export can have been pulled``.

    Examples
    --------
    >>> d = pd.Series(pd.to_datetime(["1999-03-01", *["2026-11-20"] * 3, "2026-11-21",
    ...     "2099-09-30"]))
    >>> for reason in implausible_dates(d, "Date"):
    ...     print(reason or "-")
    Date 1999-03-01 is more than 366 days before the export's other dates (from 2026-11-20)
    -
    -
    -
    -
    Date 2099-09-30 is after the export's newest data (2026-11-21): later than the export can have been pulled
    """
    t = pd.to_datetime(days)
    if t.dt.tz is not None:
        t = t.dt.tz_convert("UTC").dt.tz_localize(None)
    t = t.dt.normalize()
    reasons = pd.Series("", index=days.index, dtype=object)
    known = t.notna()
    ancient = known & (t < AMAZON_FIRST_DAY)
    reasons[ancient] = (
        f"{column} " + t[ancient].dt.strftime("%Y-%m-%d")
        + f" is before Amazon's first order ({AMAZON_FIRST_DAY:%Y-%m-%d})"
    )  # fmt: skip
    span = dense_span(t[known & ~ancient], across_breaks=True)
    if span is None:
        return reasons
    late = known & ~ancient & (t > span.last + pd.Timedelta(days=FUTURE_DAYS))
    early = known & ~ancient & (t < span.first - pd.Timedelta(days=PAST_DAYS))
    reasons[late] = (
        f"{column} " + t[late].dt.strftime("%Y-%m-%d")
        + f" is after the export's newest data ({span.last:%Y-%m-%d}): later than the export "
        "can have been pulled"
    )  # fmt: skip
    reasons[early] = (
        f"{column} " + t[early].dt.strftime("%Y-%m-%d")
        + f" is more than {PAST_DAYS} days before the export's other dates (from "
        f"{span.first:%Y-%m-%d})"
    )  # fmt: skip
    return reasons


def implausible_updates(purchased: pd.Series, updated: pd.Series, column: str) -> pd.Series:
    """Why each order's last-updated time is implausible ('' where it is plausible).

    Parameters
    ----------
    purchased, updated : Series of datetime64 (UTC)
        ``purchase-date`` and ``last-updated-date`` of each row (NaT rows are left alone).
    column : str
        The last-updated column's name in the export, for the reason text.

    Returns
    -------
    Series of str
        Same index: the reason, or ''.

    Examples
    --------
    >>> p = pd.Series(pd.to_datetime(["2026-11-20T10:00Z"] * 3))
    >>> u = pd.Series(pd.to_datetime(["2026-11-21T10:00Z", "2026-11-19T10:00Z",
    ...     "2099-01-01T00:00Z"]))
    >>> list(implausible_updates(p, u, "last-updated-date"))  # doctest: +NORMALIZE_WHITESPACE
    ['', 'last-updated-date 2026-11-19 10:00 is before the purchase-date 2026-11-20 10:00',
     'last-updated-date 2099-01-01 00:00 is more than 366 days after the purchase-date
     2026-11-20 10:00']
    """
    reasons = pd.Series("", index=updated.index, dtype=object)
    both = purchased.notna() & updated.notna()
    before = both & (updated < purchased - pd.Timedelta(minutes=1))
    after = both & (updated > purchased + pd.Timedelta(days=PAST_DAYS))
    fmt = "%Y-%m-%d %H:%M"
    for mask, why in [(before, "is before the purchase-date"),
                      (after, f"is more than {PAST_DAYS} days after the purchase-date")]:  # fmt: skip
        reasons[mask] = (
            f"{column} " + updated[mask].dt.strftime(fmt) + f" {why} "
            + purchased[mask].dt.strftime(fmt)
        )  # fmt: skip
    return reasons
