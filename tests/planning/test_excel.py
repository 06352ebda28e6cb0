"""The planner workbook: opens in openpyxl, typed cells, frozen header, formula text stays text."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from forecasting.planning.excel import is_formula_like, safe_sheet_name, write_workbook

EVIL = "=cmd|' /C calc'!A0"


@pytest.fixture()
def book(tmp_path):
    df = pd.DataFrame(
        {
            "sku": [EVIL, "SKU-1", "+1", "@SUM(A1)", "-2", "\tx"],
            "units": [1, 2, 3, 4, 5, 6],
            "fee": [1.5, float("nan"), 2.0, 0.0, 1.0, 3.25],
            "ship_by": pd.to_datetime(["2026-12-01", None, "2026-12-08", None, None, None]),
        }
    )
    path = write_workbook(
        {"US": df, "Summary": df.head(1)}, tmp_path / "out" / "plan.xlsx",
        title="FBA plan", notes=["legend", "=not a formula"],
    )  # fmt: skip
    return path


def test_workbook_structure(book):
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["US", "Summary", "Notes"]
    ws = wb["US"]
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == "A1:D7"
    assert [c.value for c in ws[1]] == ["sku", "units", "fee", "ship_by"]
    assert ws.column_dimensions["A"].width >= len(EVIL)
    assert wb["Notes"]["A1"].value == "FBA plan"


def test_cells_are_typed(book):
    ws = openpyxl.load_workbook(book)["US"]
    assert ws["B2"].value == 1 and ws["B2"].data_type == "n"
    assert ws["C2"].value == 1.5
    assert ws["C3"].value is None  # NaN → empty cell
    assert ws["D2"].value == dt.datetime(2026, 12, 1) and ws["D2"].is_date
    assert ws["D3"].value is None  # NaT → empty cell


def test_formula_injection_stays_text(book):
    wb = openpyxl.load_workbook(book)
    ws = wb["US"]
    for row, text in enumerate([EVIL, "SKU-1", "+1", "@SUM(A1)", "-2", "\tx"], start=2):
        cell = ws.cell(row=row, column=1)
        assert cell.value == text
        assert cell.data_type == "s"  # a string, never a formula ("f")
        assert cell.quotePrefix == is_formula_like(text)
    assert wb["Notes"]["A4"].data_type == "s"


def test_same_input_same_bytes(tmp_path):
    df = pd.DataFrame({"a": [1, 2], "d": pd.to_datetime(["2026-01-01", "2026-01-02"])})
    a = write_workbook({"x": df}, tmp_path / "a.xlsx", title="t")
    b = write_workbook({"x": df}, tmp_path / "b.xlsx", title="t")
    assert a.read_bytes() == b.read_bytes()


def test_sheet_names_made_valid_and_unique():
    taken = {"US"}
    assert safe_sheet_name("us", taken) == "us (2)"
    assert len(safe_sheet_name("x" * 40)) == 31
    assert safe_sheet_name("a/b*c") == "a_b_c"
