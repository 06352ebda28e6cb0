"""Formula injection: files a planner opens in a spreadsheet never hold a live formula from data.

SKUs, titles and search terms come from Amazon exports; a cell ``=HYPERLINK(...)``, ``+cmd``,
``@SUM(1)`` or ``-2+3`` in a report-folder CSV would run in Excel. Every report-folder writer goes
through :mod:`forecasting.spreadsheet` (checked below on the source itself), readers of those files
get the exact text back, and the ``history`` export stays an exact data interchange.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from forecasting import spreadsheet as S
from forecasting.cli import main
from forecasting.paths import NOTEBOOKS_DIR, PROJECT_ROOT

HOSTILE_SKUS = ["=HYPERLINK(CONCAT(A1,B1))", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3"]
CASE = Path(__file__).parent / "catalogue" / "runpath_formula_skus"


def _cells(path: Path, column: str, encoding: str = "utf-8") -> list[str]:
    with path.open(encoding=encoding, newline="") as f:
        return [row[column] for row in csv.DictReader(f)]


def test_formula_like_text_is_quoted_and_numbers_stay_numbers() -> None:
    frame = pd.DataFrame(
        {
            "sku": [*HOSTILE_SKUS, "A-1", "\tx", "\rx", "'kept"],
            "units": [-3, 2, 0, -1, 5, 6, 7, 8],
            "share": [-0.5, 1.0, 0.0, 2.5, 1.0, 1.0, 1.0, 1.0],
        }
    )
    out = S.neutralise_formulas(frame)
    assert out["sku"].tolist() == [
        "'=HYPERLINK(CONCAT(A1,B1))",
        "'+cmd|' /C calc'!A0",
        "'@SUM(1)",
        "'-2+3",
        "A-1",
        "'\tx",
        "'\rx",
        "''kept",  # a leading quote is doubled, so reading back is exact
    ]
    pd.testing.assert_frame_equal(out[["units", "share"]], frame[["units", "share"]])
    assert frame["sku"].iloc[0] == HOSTILE_SKUS[0]  # the input is not modified
    pd.testing.assert_frame_equal(S.restore_formulas(out), frame)


@given(st.text())
def test_neutralised_text_is_never_a_formula_and_restores_exactly(text: str) -> None:
    safe = S.neutralise_text(text)
    assert not S.is_formula_like(safe)
    assert S.restore_text(safe) == text


def test_categorical_and_header_text_is_guarded_too() -> None:
    frame = pd.DataFrame({"=bad": pd.Categorical(["@x", "ok", "@x"]), "n": [1, 2, 3]})
    out = S.neutralise_formulas(frame)
    assert list(out.columns) == ["'=bad", "n"]
    assert out["'=bad"].tolist() == ["'@x", "ok", "'@x"]


def test_report_folder_table_csv_is_guarded(tmp_path: Path) -> None:
    from forecasting.reports.tables import save_table

    wasted = pd.DataFrame({"search_term": HOSTILE_SKUS, "clicks": [3, 2, 1, 4], "spend": -1.5})
    path = save_table(wasted, tmp_path, "wasted_search_terms.csv")
    assert path is not None
    assert _cells(path, "search_term", "utf-8-sig") == [f"'{t}" for t in HOSTILE_SKUS]
    assert _cells(path, "spend", "utf-8-sig") == ["-1.5"] * 4  # numbers as numbers


def _plan(skus: list[str]):  # noqa: ANN202
    from forecasting.planning.fba.replenishment import ReplenishmentPlan

    n = len(skus)
    plan = pd.DataFrame(
        {"sku": skus, "marketplace": "US", "ship_qty": [10, 0, 3, 4], "mode": "sea",
         "ship_by": pd.Timestamp("2026-12-01"), "fee_currency": "USD", "alerts": ""}
    )  # fmt: skip
    shipments = pd.DataFrame(
        {"sku": skus, "marketplace": "US", "mode": "sea", "ship_date": "2026-12-01",
         "arrival_date": "2027-01-20", "units": range(1, n + 1)}
    )  # fmt: skip
    projection = pd.DataFrame(
        {"sku": skus, "marketplace": "US", "date": pd.Timestamp("2026-12-01"), "p50": -1.0}
    )
    capacity = pd.DataFrame({"marketplace": ["US"], "limit_cuft": [100.0]})
    return ReplenishmentPlan(plan, shipments, projection, capacity)


def test_plan_outputs_are_guarded_and_read_back_exactly(tmp_path: Path) -> None:
    from forecasting.io.forecast_file import read_forecast_csv
    from forecasting.planning.fba.report import write_replenishment
    from forecasting.planning.production.requirements import read_shipments_csv

    paths = write_replenishment(_plan(HOSTILE_SKUS), tmp_path, as_of=dt.date(2026, 11, 22))
    for name in ("replenishment.csv", "shipments.csv", "projection.csv"):
        assert _cells(paths[name], "sku") == [f"'{t}" for t in HOSTILE_SKUS], name
    assert _cells(paths["projection.csv"], "p50") == ["-1"] * 4
    # produce --shipments reads plan --output's file: the SKUs come back exactly
    assert read_shipments_csv(paths["shipments.csv"])["sku"].tolist() == HOSTILE_SKUS

    dates = pd.date_range("2026-11-23", periods=2)
    forecast = pd.DataFrame(
        {"sku": HOSTILE_SKUS[0], "marketplace": "US", "date": dates, "model": "ets",
         "mean": 2.0, "p10": 1.0, "p50": 2.0, "p90": 3.0}
    )  # fmt: skip
    path = S.write_csv(forecast, tmp_path / "forecast.csv", index=False)
    assert _cells(path, "sku") == [f"'{HOSTILE_SKUS[0]}"] * 2
    assert read_forecast_csv(path)["sku"].tolist() == [HOSTILE_SKUS[0]] * 2


def test_history_export_keeps_formula_like_skus_exact(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    store = tmp_path / "h.duckdb"
    orders = CASE / "All_Orders_NA_20261117_20261122.txt"
    assert main(["ingest", str(orders), "--store", str(store)]) in (0, 1)
    out = tmp_path / "sales.csv"
    assert main(["history", "--store", str(store), "--output", str(out)]) == 0
    capsys.readouterr()
    assert set(_cells(out, "sku")) == {*HOSTILE_SKUS, "WID-0001"}  # exact: a data interchange
    # the same rows written to the report folder are guarded
    report = S.write_csv(pd.read_csv(out, dtype={"sku": str}), tmp_path / "r.csv", index=False)
    assert set(_cells(report, "sku")) == {*(f"'{t}" for t in HOSTILE_SKUS), "WID-0001"}


def _to_csv_calls(source: str) -> list[int]:
    tree = ast.parse(source)
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "to_csv"
    ]


#: the only places allowed to call DataFrame.to_csv directly
RAW_CSV_WRITERS = {"src/forecasting/spreadsheet.py", "src/forecasting/commands/history.py"}


def test_every_csv_writer_goes_through_the_spreadsheet_guard() -> None:
    """One rule, one home: no module or notebook writes a CSV with ``to_csv`` past the guard
    (the sample generator writes Amazon's own export formats with its own writer)."""
    found = []
    for path in sorted((PROJECT_ROOT / "src" / "forecasting").rglob("*.py")):
        rel = path.relative_to(PROJECT_ROOT).as_posix()
        if rel not in RAW_CSV_WRITERS and not rel.startswith("src/forecasting/sample/"):
            found += [f"{rel}:{n}" for n in _to_csv_calls(path.read_text(encoding="utf-8"))]
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code" and _to_csv_calls(cell.source):
                found.append(f"{path.name}:{cell.get('id')}")
    assert not found, f"CSV written without forecasting.spreadsheet: {found}"


def test_the_guard_test_can_fail() -> None:
    assert _to_csv_calls("df.to_csv('x.csv')\nwrite_csv(df, 'y.csv')\n") == [1]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\t1", "\r1"])
def test_excel_workbooks_use_the_same_rule(text: str) -> None:
    from forecasting.planning import excel

    assert excel.is_formula_like is S.is_formula_like
    assert excel.is_formula_like(text)


def test_quarantine_file_guards_the_raw_rows(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """``validate --quarantine``: the rows that could not be read are exactly the hostile ones."""
    lines = (CASE / "All_Orders_NA_20261117_20261122.txt").read_text(encoding="utf-8").splitlines()
    cells = lines[1].split("\t")
    cells[0] = "=HYPERLINK(CONCAT(A1,B1))"  # order id: the raw row now starts with "="
    cells[13] = "=1+1"  # quantity: the row is quarantined
    lines[1] = "\t".join(cells)
    export = tmp_path / "All_Orders_NA_20261117_20261122.txt"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    quarantine = tmp_path / "q.csv"
    assert main(["validate", str(export), "--quarantine", str(quarantine)]) == 1
    capsys.readouterr()
    rows = list(csv.DictReader(quarantine.open(encoding="utf-8-sig", newline="")))
    assert [row["row"] for row in rows] == ["2"]
    assert rows[0]["raw"].startswith("'=HYPERLINK(CONCAT(A1,B1))")  # guarded, else as read
    assert not any(S.is_formula_like(v) for v in rows[0].values())
