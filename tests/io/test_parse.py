"""Numbers, money, percentages and dates as Amazon and Excel write them."""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecasting.io.parse import (
    clean_text,
    parse_dates,
    parse_numbers,
    parse_timestamps,
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
