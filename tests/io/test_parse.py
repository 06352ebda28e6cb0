"""Numbers, money, percentages and dates as Amazon and Excel write them."""

from __future__ import annotations

import doctest
import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecasting.io import dates, parse
from forecasting.io.dates import (
    ZONE_OFFSETS,
    AmbiguousDates,
    parse_dates,
    parse_timestamps,
    read_dates,
    read_timestamps,
    settle_date_order,
)
from forecasting.io.parse import (
    clean_text,
    currency_marks,
    parse_numbers,
    unwrap_excel_formulas,
)


@pytest.mark.parametrize(
    ("text", "decimal_comma", "expected"),
    [
        ("$1,234.56", False, 1234.56),
        ("1.234,56 €", True, 1234.56),
        ("1.234,56 €", False, 1234.56),
        ("￥1,234", False, 1234.0),
        ("¥1,234", False, 1234.0),
        ("12.5%", False, 12.5),
        ("12,5%", True, 12.5),
        ("12,5%", False, 12.5),
        ("1,234", False, 1234.0),
        ("1,234", True, 1.234),
        ("1.234", True, 1234.0),
        ("1.234", False, 1.234),
        ("1 234,50", True, 1234.5),
        ("(12.30)", False, -12.3),
        ("−5", False, -5.0),
        ("EUR 17,99", True, 17.99),
        ("US$ 1,000,000.5", False, 1000000.5),
        ("0", False, 0.0),
    ],
)
def test_parse_numbers_formats(text: str, decimal_comma: bool, expected: float) -> None:
    values, bad = parse_numbers(pd.Series([text]), decimal_comma=decimal_comma)
    assert not bad.iloc[0]
    assert values.iloc[0] == pytest.approx(expected)


@pytest.mark.parametrize("garbage", ["N/A", "1,2,3", "—", "-", "abc", "1.2.3,4,5", "12$34x"])
def test_parse_numbers_garbage_is_flagged(garbage: str) -> None:
    values, bad = parse_numbers(pd.Series(["5", garbage]))
    assert bad.tolist() == [False, True]
    assert math.isnan(values.iloc[1])


def test_parse_numbers_empty_is_missing_not_bad() -> None:
    values, bad = parse_numbers(pd.Series(["", "  ", "3"]))
    assert bad.tolist() == [False, False, False]
    assert values.isna().tolist() == [True, True, False]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["11/22/2026", "01/02/2026"], ["2026-11-22", "2026-01-02"]),
        (["22.11.2026", "01.02.2026"], ["2026-11-22", "2026-02-01"]),
        (["2026/11/22"], ["2026-11-22"]),
        (["2026-11-22"], ["2026-11-22"]),
        (["Nov 22, 2026", "Dec 1, 2026"], ["2026-11-22", "2026-12-01"]),
        (["22/11/2026", "13/01/2026"], ["2026-11-22", "2026-01-13"]),
        (["2026年11月22日"], ["2026-11-22"]),
        (["2026-11-22T08:00:00-08:00"], ["2026-11-22"]),
    ],
)
def test_parse_dates_formats(cells: list[str], expected: list[str]) -> None:
    dates, bad = parse_dates(pd.Series(cells))
    assert not bad.any()
    assert dates.dt.strftime("%Y-%m-%d").tolist() == expected


def test_parse_dates_bad_dates_flagged() -> None:
    dates, bad = parse_dates(pd.Series(["11/22/2026", "02/31/2026", "soon", ""]))
    assert bad.tolist() == [False, True, True, False]
    assert dates.isna().tolist() == [False, True, True, True]


def test_parse_timestamps_offsets_to_utc() -> None:
    stamps, bad = parse_timestamps(
        pd.Series(["2026-11-22T23:30:00-08:00", "2026-11-22T10:00:00+09:00", "garbage"])
    )
    assert bad.tolist() == [False, False, True]
    assert str(stamps.iloc[0]) == "2026-11-23 07:30:00+00:00"
    assert str(stamps.iloc[1]) == "2026-11-22 01:00:00+00:00"


def test_clean_text_strips() -> None:
    assert clean_text(pd.Series([" plain ", "x"])).tolist() == ["plain", "x"]


def test_unwrap_excel_formulas_in_csv_text() -> None:
    text = 'id,name\n"=""C123""",="G1"\n="7",x\n'
    assert unwrap_excel_formulas(text) == 'id,name\n"C123",G1\n7,x\n'
    assert unwrap_excel_formulas("a,b\n1,2\n") == "a,b\n1,2\n"


@settings(max_examples=150, deadline=None)
@given(st.decimals(min_value=-(10**7), max_value=10**7, places=2, allow_nan=False))
def test_parse_numbers_round_trips_us_and_german_formats(value: Decimal) -> None:
    us = f"${value:,.2f}"
    de = f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".") + " €"
    parsed_us, bad_us = parse_numbers(pd.Series([us]))
    parsed_de, bad_de = parse_numbers(pd.Series([de]), decimal_comma=True)
    assert not bad_us.iloc[0] and not bad_de.iloc[0]
    assert parsed_us.iloc[0] == pytest.approx(float(value))
    assert parsed_de.iloc[0] == pytest.approx(float(value))


# --- numbers beyond range, non-finite, currency marks -------------------------------------


@pytest.mark.parametrize("cells", [["99999999999999999999"], ["99999999999999999999", "N/A"]])
def test_number_beyond_int64_is_its_value_not_a_wrapped_negative(cells: list[str]) -> None:
    values, bad = parse_numbers(pd.Series(cells))
    assert values.iloc[0] == pytest.approx(1e20) and not bad.iloc[0]


@pytest.mark.parametrize("cell", ["NaN", "nan", "inf", "-Infinity", "9" * 400])
@pytest.mark.parametrize("with_plain_cells", [True, False])
def test_non_finite_numbers_are_bad(cell: str, with_plain_cells: bool) -> None:
    cells = ["5", cell] if with_plain_cells else ["$5.00", cell]
    values, bad = parse_numbers(pd.Series(cells))
    assert bad.tolist() == [False, True]
    assert math.isnan(values.iloc[1])


def test_currency_marks_are_kept_apart_from_the_number() -> None:
    cells = pd.Series(
        ["1.234,56 €", "¥1,2", "JPY 3", "12", "US$ 4", "C$5", "$6", "￥7", "", "EUR 1"]
    )
    marks, bad = currency_marks(cells)
    assert marks.tolist() == ["€", "¥", "JPY", "", "US$", "C$", "$", "￥", "", "EUR"]
    assert not bad.any()


# --- dates: each cell by its shape; numeric day/month order settled per column --------------


def test_each_cell_is_read_by_its_own_shape() -> None:
    cells = ["01.10.2026", "Oct 1, 2026", "2026/10/01", "1 Oct 2026", "2026-10-01", "20261001"]
    dates, bad = parse_dates(pd.Series([*cells, "2026年10月1日", "October 1, 2026"]))
    assert not bad.any()
    assert set(dates) == {pd.Timestamp("2026-10-01")}


@pytest.mark.parametrize(
    ("cells", "convention", "expected_month", "settled_by", "overrides"),
    [
        (["01/10/2026", "02/10/2026"], "DMY", 10, "convention", False),
        (["01/10/2026", "02/10/2026"], "MDY", 1, "convention", False),
        (["01/10/2026", "25/10/2026"], "MDY", 10, "cells", True),  # the cells win over US
        (["10/01/2026", "10/25/2026"], "DMY", 10, "cells", True),  # … and over DE
        (["01/10/2026", "25/10/2026"], None, 10, "cells", False),
        (["01/10/2026", "25/10/2026"], "YMD", 10, "cells", False),
        (["01-10-2026", "10-13-2026"], None, 1, "cells", False),
    ],
)
def test_numeric_date_order(
    cells: list[str], convention: str | None, expected_month: int, settled_by: str, overrides: bool
) -> None:
    dates, bad, order = read_dates(pd.Series(cells), convention=convention)
    assert not bad.any()
    assert dates.iloc[0].month == expected_month
    assert (order.settled_by, order.overrides) == (settled_by, overrides)


def test_the_settling_cell_and_its_position_are_reported() -> None:
    order = settle_date_order(pd.Series(["01/10/2026", "", "01/10/2026", "13/10/2026"]))
    assert (order.day_first, order.example, order.position) == (True, "13/10/2026", 3)


@pytest.mark.parametrize("convention", [None, "YMD"])
def test_dates_nothing_settles_are_refused(convention: str | None) -> None:
    with pytest.raises(AmbiguousDates, match="01/10/2026") as err:
        parse_dates(pd.Series(["", "01/10/2026", "02/10/2026"]), convention=convention)
    assert err.value.position == 1


def test_contradicting_cells_without_convention_are_refused() -> None:
    with pytest.raises(AmbiguousDates, match="mix day-first"):
        parse_dates(pd.Series(["13/10/2026", "10/13/2026"]))


def test_contradicting_cells_with_convention_follow_it_and_the_others_are_bad() -> None:
    dates, bad = parse_dates(pd.Series(["13/10/2026", "10/13/2026"]), convention="DMY")
    assert bad.tolist() == [False, True]
    assert dates.iloc[0] == pd.Timestamp("2026-10-13")


def test_no_month_first_default_for_unambiguous_shapes() -> None:
    """Dots are day-first and year-first shapes are read as written, whatever the convention."""
    for convention in (None, "MDY", "DMY", "YMD"):
        dates, bad = parse_dates(pd.Series(["01.10.2026", "2026/10/02"]), convention=convention)
        assert dates.dt.strftime("%m-%d").tolist() == ["10-01", "10-02"] and not bad.any()


@settings(max_examples=120, deadline=None)
@given(
    st.lists(
        st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), min_size=1, max_size=20
    ),
    st.sampled_from(["DMY", "MDY"]),
    st.sampled_from(["/", "-"]),
)
def test_numeric_dates_read_exactly_or_are_refused(days: list[date], order: str, sep: str) -> None:
    """Written in the marketplace's own order, numeric dates read exactly; written in the other
    order, they read exactly when a day above 12 settles it and are refused otherwise."""
    fmt = f"%d{sep}%m{sep}%Y" if order == "DMY" else f"%m{sep}%d{sep}%Y"
    cells = pd.Series([d.strftime(fmt) for d in days])
    parsed, bad = parse_dates(cells, convention=order)
    assert not bad.any() and parsed.dt.date.tolist() == days
    other = "MDY" if order == "DMY" else "DMY"
    settled = any(d.day > 12 and d.day != d.month for d in days)
    if settled:
        assert parse_dates(cells, convention=other)[0].dt.date.tolist() == days
    elif any(d.day != d.month for d in days):
        # nothing in the cells settles it: the other convention reads them the other way
        assert parse_dates(cells, convention=other)[0].dt.date.tolist() != days
        with pytest.raises(AmbiguousDates):
            parse_dates(cells)


# --- timestamps: time and zone kept, local wall time only with a marketplace zone -----------


@pytest.mark.parametrize(
    ("cell", "utc"),
    [
        ("Sep 28, 2026 12:02:00 AM PDT", "2026-09-28 07:02:00"),
        ("Nov 28, 2026 12:02:00 AM PST", "2026-11-28 08:02:00"),
        ("Nov 28, 2026 12:02:00 PM PST", "2026-11-28 20:02:00"),
        ("28.09.2026 00:02:00 MESZ", "2026-09-27 22:02:00"),
        ("28.09.2026 00:02:00 CEST", "2026-09-27 22:02:00"),
        ("28.11.2026 00:02:00 MEZ", "2026-11-27 23:02:00"),
        ("2026/10/01 12:02:00 JST", "2026-10-01 03:02:00"),
        ("2026-09-28T07:02:00+00:00", "2026-09-28 07:02:00"),
        ("2026-09-28T07:02:00Z", "2026-09-28 07:02:00"),
        ("2026-09-28T00:02:00-07:00", "2026-09-28 07:02:00"),
        ("2026-09-28 09:02:00 +0200", "2026-09-28 07:02:00"),
        ("28 Sep 2026 08:02:00 BST", "2026-09-28 07:02:00"),
        ("Sep 28, 2026 3:02:00 AM EDT", "2026-09-28 07:02:00"),
        ("Sep 28, 2026 2:02 AM CDT", "2026-09-28 07:02:00"),
        ("2026-09-28 07:02:00 UTC", "2026-09-28 07:02:00"),
        ("2026-09-28 09:02:00 UTC+2", "2026-09-28 07:02:00"),
    ],
)
def test_amazon_timestamp_formats_keep_time_and_zone(cell: str, utc: str) -> None:
    stamps, bad = parse_timestamps(pd.Series([cell]))
    assert not bad.iloc[0]
    assert stamps.iloc[0] == pd.Timestamp(utc, tz="UTC")


@pytest.mark.parametrize(
    ("cell", "zone", "wall"),
    [
        ("2026-09-28 00:02:00", "America/Los_Angeles", "2026-09-28 00:02:00"),
        ("2026/10/01", "Asia/Tokyo", "2026-10-01 00:00:00"),
        ("01.10.2026", "Europe/Berlin", "2026-10-01 00:00:00"),
        ("Oct 1, 2026 11:59:00 PM", "America/Los_Angeles", "2026-10-01 23:59:00"),
    ],
)
def test_timestamp_without_zone_is_the_marketplace_local_time(
    cell: str, zone: str, wall: str
) -> None:
    stamps, bad = parse_timestamps(pd.Series([cell]), timezone=zone)
    assert not bad.iloc[0]
    assert stamps.iloc[0] == pd.Timestamp(wall, tz=zone)


def test_timestamp_without_zone_and_without_marketplace_is_not_utc() -> None:
    stamps, reasons, _ = read_timestamps(pd.Series(["2026-09-28 00:02:00", "2026-09-28"]))
    assert stamps.isna().all()
    assert set(reasons) == {"no time zone, and no marketplace to take it from"}


def test_timestamp_zone_per_row() -> None:
    cells = pd.Series(["2026-09-28 00:30:00", "2026-09-28 00:30:00", "2026-09-28 00:30:00Z"])
    zones = pd.Series(["America/Los_Angeles", "Asia/Tokyo", ""])
    stamps, bad = parse_timestamps(cells, timezone=zones)
    assert not bad.any()
    assert stamps.astype(str).tolist() == [
        "2026-09-28 07:30:00+00:00",
        "2026-09-27 15:30:00+00:00",
        "2026-09-28 00:30:00+00:00",
    ]


def test_timestamp_problems_have_reasons() -> None:
    cells = pd.Series(
        [
            "2026-09-28 07:02 XYZ",
            "2026-03-08 02:30:00",  # Los Angeles skips 02:00-03:00 that night
            "2026-09-28T25:00:00Z",
            "Sep 31, 2026 1:00:00 AM PDT",
            "2026-09-28 13:02:00 PM PDT",
            "soon",
            "",
        ]
    )
    _, reasons, _ = read_timestamps(cells, timezone="America/Los_Angeles")
    assert reasons.tolist() == [
        "unknown time zone 'XYZ'",
        "not a local time in America/Los_Angeles (the clocks skip it)",
        "not a date/time",
        "not a date/time",
        "not a date/time",
        "not a date/time",
        "",
    ]


def test_repeated_wall_time_is_its_first_occurrence_on_the_same_day() -> None:
    stamps, bad = parse_timestamps(
        pd.Series(["2026-11-01 01:30:00"]), timezone="America/Los_Angeles"
    )
    assert not bad.iloc[0]
    assert str(stamps.iloc[0]) == "2026-11-01 08:30:00+00:00"  # PDT, the first 01:30


def test_numeric_dates_in_timestamps_follow_the_convention_and_report_the_row() -> None:
    cells = pd.Series(
        ["01/10/2026 10:00:00 PDT", "01/10/2026 11:00:00 PDT", "10/13/2026 09:00:00 PDT"]
    )
    stamps, reasons, order = read_timestamps(cells, convention="DMY")
    assert not reasons.ne("").any()
    assert stamps.dt.month.tolist() == [1, 1, 10]  # the cells say month-first
    assert (order.overrides, order.position, order.example) == (True, 2, cells.iloc[2])
    with pytest.raises(AmbiguousDates):
        read_timestamps(cells.iloc[:2])


_ABBREVIATIONS = {
    "America/Los_Angeles": ("PST", "PDT"),
    "America/Denver": ("MST", "MDT"),
    "America/Chicago": ("CST", "CDT"),
    "America/New_York": ("EST", "EDT"),
    "Europe/London": ("GMT", "BST"),
    "Europe/Berlin": ("MEZ", "MESZ"),
    "Europe/Paris": ("CET", "CEST"),
    "Asia/Tokyo": ("JST", "JST"),
}


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)),
    st.sampled_from(sorted(_ABBREVIATIONS)),
    st.sampled_from(["us", "de", "jp", "iso", "local"]),
)
def test_timestamps_round_trip_in_every_layout(moment: datetime, zone: str, layout: str) -> None:
    """A moment written the way Amazon writes it (abbreviation of that day's offset) reads back
    to the same UTC second, and a zone-less wall time reads back in the given zone."""
    utc = moment.replace(microsecond=0, tzinfo=UTC)
    local = utc.astimezone(ZoneInfo(zone))
    abbreviation = _ABBREVIATIONS[zone][bool(local.dst())]
    assert ZONE_OFFSETS[abbreviation] * 60 == local.utcoffset() / timedelta(seconds=1)
    text = {
        "us": local.strftime("%b %d, %Y %I:%M:%S %p ") + abbreviation,
        "de": local.strftime("%d.%m.%Y %H:%M:%S ") + abbreviation,
        "jp": local.strftime("%Y/%m/%d %H:%M:%S ") + abbreviation,
        "iso": local.isoformat(),
        "local": local.strftime("%Y-%m-%d %H:%M:%S"),
    }[layout]
    stamps, bad = parse_timestamps(pd.Series([text]), timezone=zone)
    if layout == "local" and local.fold:  # the second of two equal wall times: read as the first
        assert stamps.iloc[0] == pd.Timestamp(utc) - pd.Timedelta(hours=1)
        return
    assert not bad.iloc[0], text
    assert stamps.iloc[0] == pd.Timestamp(utc), text


@pytest.mark.parametrize("module", [parse, dates], ids=["parse", "dates"])
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_date_parsers_still_import_from_parse() -> None:
    assert parse.parse_dates is dates.parse_dates
    with pytest.raises(AttributeError):
        _ = parse.no_such_parser


def test_cst_is_us_central_only_where_the_marketplace_is_american() -> None:
    """Amazon's CST is US Central; a CST on a Japanese or German row may be China Standard Time."""
    cells = pd.Series(["2026-11-02 10:00:00 CST"] * 4)
    zones = pd.Series(["America/Los_Angeles", "Asia/Tokyo", "Europe/Berlin", ""])
    stamps, reasons, _ = read_timestamps(cells, timezone=zones)
    assert stamps.iloc[0] == stamps.iloc[3] == pd.Timestamp("2026-11-02 16:00:00", tz="UTC")
    assert stamps.iloc[1:3].isna().all()
    assert reasons.iloc[1] == (
        "time zone 'CST' outside the Americas (US Central or China Standard Time?)"
    )
