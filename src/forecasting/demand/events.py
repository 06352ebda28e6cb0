"""The event calendar per marketplace: Amazon's sales events, public holidays, seller promotions.

Kinds of event (column ``kind``):

``prime_day``, ``prime_big_deal_days``
    From ``prime_events.yml`` in this package (dates per marketplace and year, with sources; dates
    not yet announced are projections flagged ``estimate``). Outside the years listed the July /
    October event is projected from the usual pattern and flagged the same way.
``bfcm``
    Black Friday – Cyber Monday: the Friday after US Thanksgiving (4th Thursday of November)
    through the following Monday, in every marketplace (Amazon runs its Black Friday week in DE and
    JP on the same dates).
``holiday``
    Public holidays of the marketplace's country from the ``holidays`` package (offline data).
``promotion``
    The seller's own promotions, per SKU: from a promotions CSV (``sku,marketplace,start,end,kind``,
    see :func:`read_promotions`) or from the ``promo`` flag of the sales (:func:`promotions_from_sales`).

:func:`event_regressors` turns a calendar into a wide 0/1 frame (one column per kind or per event)
for models that take regressors.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from pathlib import Path

import holidays
import pandas as pd
import yaml

from forecasting.errors import InputError
from forecasting.schema import DATE, MARKETPLACE, PROMO, SKU

EVENT = "event"
KIND = "kind"
ESTIMATE = "estimate"
START = "start"
END = "end"
EVENT_KINDS = ("prime_day", "prime_big_deal_days", "bfcm", "holiday", "promotion")
#: Country of each Amazon marketplace code, for public holidays (ISO 3166).
MARKETPLACE_COUNTRY = {
    "US": "US",
    "CA": "CA",
    "MX": "MX",
    "BR": "BR",
    "UK": "GB",
    "GB": "GB",
    "DE": "DE",
    "FR": "FR",
    "IT": "IT",
    "ES": "ES",
    "NL": "NL",
    "SE": "SE",
    "PL": "PL",
    "BE": "BE",
    "JP": "JP",
    "AU": "AU",
    "SG": "SG",
    "IN": "IN",
    "AE": "AE",
    "SA": "SA",
}
CALENDAR_COLUMNS = [DATE, EVENT, KIND, ESTIMATE, SKU]


@cache
def _prime_events() -> dict:
    text = resources.files("forecasting.demand").joinpath("prime_events.yml").read_text("utf-8")
    return yaml.safe_load(text)["events"]


def thanksgiving(year: int) -> dt.date:
    """US Thanksgiving: the fourth Thursday of November.

    >>> thanksgiving(2026)
    datetime.date(2026, 11, 26)
    """
    first = dt.date(year, 11, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 21)


def bfcm_dates(year: int) -> tuple[dt.date, dt.date]:
    """Black Friday and Cyber Monday of ``year`` (first and last day of the BFCM weekend).

    >>> bfcm_dates(2026)
    (datetime.date(2026, 11, 27), datetime.date(2026, 11, 30))
    """
    friday = thanksgiving(year) + dt.timedelta(days=1)
    return friday, friday + dt.timedelta(days=3)


def _projected(kind: str, year: int) -> tuple[dt.date, dt.date]:
    """Usual pattern: Prime Day 2nd Tuesday of July + 1 day; PBDD 2nd Tuesday of October + 1 day."""
    month = 7 if kind == "prime_day" else 10
    first = dt.date(year, month, 1)
    tuesday = first + dt.timedelta(days=(1 - first.weekday()) % 7 + 7)
    return tuesday, tuesday + dt.timedelta(days=1)


def amazon_events(marketplace: str, years: range) -> pd.DataFrame:
    """Prime Day, Prime Big Deal Days and BFCM spells of ``marketplace`` in ``years``.

    Returns
    -------
    DataFrame
        ``kind, event, start, end, estimate, source``: one row per event spell (dates inclusive).
    """
    rows = []
    table = _prime_events()
    for kind in ("prime_day", "prime_big_deal_days"):
        spec = table[kind]
        listed = {int(r["year"]): r for r in spec.get(marketplace, spec.get("US", []))}
        for year in years:
            r = listed.get(year)
            if r is not None:
                start, end = pd.Timestamp(r["start"]).date(), pd.Timestamp(r["end"]).date()
                est, src = bool(r.get("estimate", False)), str(r.get("source", ""))
            else:
                (start, end), est, src = _projected(kind, year), True, "projection (usual pattern)"
            rows.append((kind, f"{spec['name']} {year}", start, end, est, src))
    for year in years:
        fri, mon = bfcm_dates(year)
        rows.append(("bfcm", f"Black Friday–Cyber Monday {year}", fri, mon, False, "rule"))
    return pd.DataFrame(rows, columns=[KIND, EVENT, START, END, ESTIMATE, "source"])


def _expand(spells: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """One row per day of each spell (``start``…``end`` inclusive), clipped to [start, end]."""
    rows = []
    for r in spells.itertuples(index=False):
        days = pd.date_range(max(pd.Timestamp(r.start), start), min(pd.Timestamp(r.end), end))
        for d in days:
            rows.append((d, r.event, r.kind, bool(r.estimate), getattr(r, "sku", None)))
    return pd.DataFrame(rows, columns=CALENDAR_COLUMNS)


def event_calendar(
    marketplace: str,
    start: str | dt.date | pd.Timestamp,
    end: str | dt.date | pd.Timestamp,
    *,
    country: str | None = None,
    promotions: pd.DataFrame | None = None,
    holidays_included: bool = True,
) -> pd.DataFrame:
    """All events of ``marketplace`` between ``start`` and ``end`` (inclusive), one row per day.

    Parameters
    ----------
    marketplace : str
        Marketplace code (``US``, ``DE``, ``JP`` …).
    start, end : date-like
        First and last day of the calendar.
    country : str, optional
        ISO country for public holidays; default from :data:`MARKETPLACE_COUNTRY` (settings'
        ``marketplaces.<code>.country`` should be passed when known).
    promotions : DataFrame, optional
        Seller promotions ``sku, marketplace, start, end, kind`` (see :func:`read_promotions`);
        only those of ``marketplace`` are used.
    holidays_included : bool
        Include public holidays.

    Returns
    -------
    DataFrame
        ``date, event, kind, estimate, sku``: ``kind`` one of :data:`EVENT_KINDS`, ``estimate`` True
        for projected (not yet announced) Amazon event dates, ``sku`` set for promotions only.
        Sorted by date, kind, event.

    Examples
    --------
    >>> cal = event_calendar("US", "2026-11-20", "2026-12-02", holidays_included=False)
    >>> cal[cal.kind == "bfcm"].date.dt.strftime("%m-%d").tolist()
    ['11-27', '11-28', '11-29', '11-30']
    """
    s, e = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if e < s:
        raise InputError(f"event calendar: end {e.date()} is before start {s.date()}")
    years = range(s.year, e.year + 1)
    parts = [_expand(amazon_events(marketplace, years), s, e)]
    if holidays_included:
        code = country or MARKETPLACE_COUNTRY.get(marketplace.upper())
        if code is None:
            raise InputError(
                f"no country known for marketplace '{marketplace}': pass country= (ISO code)"
            )
        try:
            hol = holidays.country_holidays(code, years=list(years), language="en_US")
        except (NotImplementedError, KeyError):
            raise InputError(f"the holidays package has no calendar for country '{code}'") from None
        rows = [
            (pd.Timestamp(d), name, "holiday", False, None)
            for d, name in sorted(hol.items())
            if s <= pd.Timestamp(d) <= e
        ]
        parts.append(pd.DataFrame(rows, columns=CALENDAR_COLUMNS))
    if promotions is not None and len(promotions):
        p = promotions[promotions[MARKETPLACE] == marketplace]
        spells = pd.DataFrame(
            {
                KIND: "promotion",
                EVENT: "promotion: " + p[KIND].astype(str),
                START: p[START],
                END: p[END],
                ESTIMATE: False,
                SKU: p[SKU],
            }
        )
        parts.append(_expand(spells, s, e))
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=CALENDAR_COLUMNS).astype({DATE: "datetime64[ns]"})
    cal = pd.concat(parts, ignore_index=True)
    cal[DATE] = pd.to_datetime(cal[DATE])
    cal[ESTIMATE] = cal[ESTIMATE].astype(bool)
    return cal.sort_values([DATE, KIND, EVENT], kind="stable").reset_index(drop=True)


def event_regressors(
    calendar: pd.DataFrame,
    start: str | dt.date | pd.Timestamp,
    end: str | dt.date | pd.Timestamp,
    *,
    by: str = KIND,
    sku: str | None = None,
) -> pd.DataFrame:
    """A wide 0/1 regressor frame: one row per day, one column per event kind (or event name).

    Parameters
    ----------
    calendar : DataFrame
        From :func:`event_calendar`.
    start, end : date-like
        Days of the frame (inclusive); days without events are all 0.
    by : {"kind", "event"}
        Column per kind (``prime_day`` …) or per individual event name.
    sku : str, optional
        Keep promotions of this SKU only (others dropped); None drops SKU-specific rows unless the
        calendar has no other SKUs.

    Returns
    -------
    DataFrame
        Index ``date`` (daily), int8 columns; with ``by="kind"`` every kind of :data:`EVENT_KINDS` is
        a column even if it never happens in the range.
    """
    if by not in (KIND, EVENT):
        raise InputError(f"event_regressors: by must be 'kind' or 'event', got '{by}'")
    idx = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="D", name=DATE)
    cal = calendar
    if SKU in cal.columns:
        has_sku = cal[SKU].notna()
        cal = cal[~has_sku | (cal[SKU] == sku)] if sku is not None else cal[~has_sku]
    flags = pd.crosstab(cal[DATE], cal[by]).clip(upper=1) if len(cal) else pd.DataFrame()
    out = flags.reindex(idx, fill_value=0)
    if by == KIND:
        out = out.reindex(columns=list(EVENT_KINDS), fill_value=0)
    out.columns.name = None
    return out.fillna(0).astype("int8")


def read_promotions(path: str | Path) -> pd.DataFrame:
    """Read a promotions CSV with columns ``sku,marketplace,start,end,kind`` (dates YYYY-MM-DD).

    Raises
    ------
    InputError
        Missing column, unparseable date or end before start, naming file, row and column.
    """
    p = Path(path)
    if not p.exists():
        raise InputError("promotions file not found", file=p)
    df = pd.read_csv(p, dtype=str, encoding="utf-8-sig")
    df.columns = [c.strip().lower() for c in df.columns]
    for col in (SKU, MARKETPLACE, START, END, KIND):
        if col not in df.columns:
            raise InputError(f"missing column; has {', '.join(df.columns)}", file=p, column=col)
    for col in (START, END):
        parsed = pd.to_datetime(df[col], format="%Y-%m-%d", errors="coerce")
        bad = parsed.isna()
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise InputError(
                f"not a date (YYYY-MM-DD): {df[col].iloc[row]!r}", file=p, row=row + 2, column=col
            )
        df[col] = parsed
    bad = df[END] < df[START]
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise InputError("promotion ends before it starts", file=p, row=row + 2, column=END)
    return df[[SKU, MARKETPLACE, START, END, KIND]]


def promotions_from_sales(sales: pd.DataFrame) -> pd.DataFrame:
    """Promotion spells from the ``promo`` flag of daily sales: consecutive promo days → one row.

    Returns
    -------
    DataFrame
        ``sku, marketplace, start, end, kind`` (kind ``"promo"``); empty if there is no flag.
    """
    cols = [SKU, MARKETPLACE, START, END, KIND]
    if PROMO not in sales.columns:
        return pd.DataFrame(columns=cols)
    df = sales.loc[sales[PROMO].fillna(False).astype(bool), [SKU, MARKETPLACE, DATE]]
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = df.sort_values([SKU, MARKETPLACE, DATE])
    new = (
        (df[SKU] != df[SKU].shift())
        | (df[MARKETPLACE] != df[MARKETPLACE].shift())
        | (df[DATE] - df[DATE].shift() != pd.Timedelta(days=1))
    )
    df = df.assign(_spell=new.cumsum())
    out = df.groupby("_spell").agg(
        **{SKU: (SKU, "first"), MARKETPLACE: (MARKETPLACE, "first"), START: (DATE, "min")},
        **{END: (DATE, "max")},
    )
    out[KIND] = "promo"
    return out.reset_index(drop=True)[cols]
