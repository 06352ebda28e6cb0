"""`forecasting validate | ingest | history` through the CLI entry point."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from forecasting.cli import main


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_validate_reports_table_and_quarantine(
    fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    q = tmp_path / "q.csv"
    code, out, _ = _run(["validate", str(fixtures), "--quarantine", str(q)], capsys)
    assert code == 1  # some rows quarantined
    assert "business_report" in out and "not a date: '31.02.2026'" in out
    bad = pd.read_csv(q, encoding="utf-8-sig")
    assert list(bad.columns) == ["file", "row", "column", "reason", "raw"] and len(bad) == 4


def test_validate_clean_file_exits_zero(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["validate", str(fixtures / "Ledger_Summary_US.csv")], capsys)
    assert code == 0 and "ledger" in out and "2026-11-10..2026-11-22" in out


def test_validate_unreadable_file_one_line_exit_2(
    fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code, out, err = _run(["validate", str(empty), str(fixtures / "products.csv")], capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(empty) in lines[0] and "empty file" in lines[0]
    assert "products" in out  # the other file is still reported


def test_ingest_history_roundtrip(
    fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "h.duckdb"
    code, out, _ = _run(["ingest", str(fixtures), "--store", str(store)], capsys)
    assert code == 1  # stored, but 4 rows quarantined (the README's exit code 1)
    assert "89 rows in = 80 stored + 4 quarantined + 1 duplicate + 4 excluded" in out
    assert (
        "note: All_Orders_NA_20261117_20261122.txt: US covers 2026-11-17..2026-11-21 (from the "
        "orders and the file name); 1 stray row outside it (2026-11-16)"
    ) in out
    code, out, _ = _run(["ingest", str(fixtures), "--store", str(store)], capsys)
    assert code == 1
    assert "89 rows in = 0 stored + 4 quarantined + 81 duplicate + 4 excluded" in out
    csv = tmp_path / "sales.csv"
    code, out, _ = _run(["history", "--store", str(store), "--output", str(csv)], capsys)
    # DE's data end 19 Nov: the series wait for it, and the output says why
    assert code == 0 and "4 series, 2026-11-10..2026-11-19" in out
    assert "the last day DE has sales data; US data to 2026-11-22 wait" in out
    assert "JP sales data end 2026-11-13" in out
    args = ["history", "--store", str(store), "--output", str(csv), "--as-of", "2026-11-22"]
    code, out, _ = _run(args, capsys)
    assert code == 0 and "5 series" in out and "note:" not in out
    sales = pd.read_csv(csv, keep_default_na=False)
    assert list(sales.columns) == [
        "sku", "marketplace", "date", "units", "revenue", "currency", "in_stock"
    ]  # fmt: skip
    assert set(sales["in_stock"]) == {"true", "false", ""}
    code, out, _ = _run(["validate", "--store", str(store)], capsys)
    assert code == 1 and "4 quarantined row(s)" in out


def test_ingest_bad_file_writes_nothing(
    fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "h.duckdb"
    bad = tmp_path / "Ledger_Summary_US.csv"
    bad.write_text("Date,MSKU,Disposition\n11/22/2026,WID-0001,SELLABLE\n")
    code, _, err = _run(
        ["ingest", str(fixtures / "products.csv"), str(bad), "--store", str(store)], capsys
    )
    assert code == 2 and "Ending Warehouse Balance" in err and len(err.strip().splitlines()) == 1
    assert not store.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ingest", "nowhere.csv", "--store", "x.duckdb"], "no such file"),
        (["ingest", "{fixtures}/products.csv"], "needs --store"),
        (["history", "--store", "{tmp}/none.duckdb", "-o", "{tmp}/x.csv"], "no history store"),
        (["validate", "{fixtures}/Returns_US.txt", "--marketplace", "JP"], ""),
    ],
)
def test_cli_input_errors_are_one_line(
    argv: list[str],
    message: str,
    fixtures: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = [a.format(fixtures=fixtures, tmp=tmp_path) for a in argv]
    code, _, err = _run(argv, capsys)
    if message:
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    else:
        assert code == 2 and "contradicts" in err  # Returns_US vs --marketplace JP


def test_validate_missing_path_is_reported_and_others_checked(
    fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nothere.csv"
    code, out, err = _run(["validate", str(missing), str(fixtures / "products.csv")], capsys)
    assert code == 2 and "no such file" in err and "products" in out


def test_ingest_says_when_an_export_was_pulled_mid_day(
    fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (fixtures / "All_Orders_NA_20261117_20261122.txt").read_text("utf-8").splitlines()
    row = lines[1].split("\t")
    row[0], row[2], row[3] = (
        "111-0000099-0000099",
        "2026-11-23T20:00:00+00:00",
        ("2026-11-23T20:30:00+00:00"),
    )
    f = tmp_path / "All_Orders_NA_20261117_20261123.txt"
    f.write_text("\n".join([*lines, "\t".join(row)]) + "\n", encoding="utf-8")
    code, out, _ = _run(["ingest", str(f), "--store", str(tmp_path / "h.duckdb")], capsys)
    assert code == 0
    assert (
        "note: All_Orders_NA_20261117_20261123.txt: US 2026-11-23 is partial (export reached "
        "12:30 local time)" in out
    )


def test_history_notes_doctest() -> None:
    import doctest

    from forecasting.commands import history

    result = doctest.testmod(history, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_history_to_stdout_keeps_the_csv_clean_and_notes_partial_days_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = Path(__file__).parents[1] / "catalogue" / "history_partial_day_as_of"
    store = str(tmp_path / "h.duckdb")
    orders = case / "All_Orders_NA_2026-11-01_2026-11-22.txt"
    assert _run(["ingest", str(orders), "--store", store], capsys)[0] == 0
    code, out, err = _run(["history", "--store", store, "-o", "-", "--as-of", "2026-11-22"], capsys)
    assert code == 0
    assert out.splitlines()[0] == "sku,marketplace,date,units,revenue,currency,in_stock"
    assert out.splitlines()[-1].startswith("WID-0001,US,2026-11-22,5,")
    assert "note:" not in out
    assert "note: US 2026-11-22 is a partial day" in err


def test_validate_lists_stray_rows(capsys: pytest.CaptureFixture[str]) -> None:
    case = Path(__file__).parents[1] / "catalogue" / "history_orders_stray_old_order"
    code, out, _ = _run(["validate", str(case / "All_Orders_by_last_update_US.txt")], capsys)
    assert code == 0  # a stray row is kept: not a problem that stops anything
    assert "1 stray row(s) outside the days it covers (US 2026-11-01..2026-11-22)" in out
