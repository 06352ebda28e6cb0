"""One odd row never erases or invents history: orders coverage, implausible dates, partial days.

The real-format files are the catalogue's ``history_*`` cases (``tests/catalogue/``) and the
bundled sample's exports; the checks here need more than a command's output (stored totals).
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from forecasting.io import read_export
from forecasting.io.coverage import MAX_EMPTY_DAYS, dense_span, name_range
from forecasting.io.plausible import PAST_DAYS
from forecasting.io.store import Store, build_store
from forecasting.paths import SAMPLE_DIR
from forecasting.reports import data_health as dh

CATALOGUE = Path(__file__).parents[1] / "catalogue"
STRAY_CASE = CATALOGUE / "history_orders_stray_old_order"
Y1999_CASE = CATALOGUE / "history_orders_purchase_1999"
PARTIAL_CASE = CATALOGUE / "history_partial_day_as_of"
PARTIAL_FILE = "All_Orders_NA_2026-11-01_2026-11-22.txt"
HEADER_FILE = Path(__file__).parent / "fixtures" / "All_Orders_NA_20261116_20261119.txt"


def _order(n: int, purchased: str, updated: str | None = None, qty: int = 1) -> str:
    """One All Orders row in the fixtures' real layout (US, WID-0001)."""
    updated = updated or purchased
    return "\t".join(
        [f"111-{n:07d}-{n:07d}", "", purchased, updated, "Shipped", "Amazon", "Amazon.com", "",
         "", "Widget WID-0001", "WID-0001", "B000000001", "Shipped", str(qty), "USD",
         f"{19.99 * qty:.2f}", "", "", "", "false", str(qty), "false", "false"]
    )  # fmt: skip


def _orders_file(path: Path, rows: list[str]) -> Path:
    header = HEADER_FILE.read_text(encoding="utf-8").splitlines()[0]
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _units(store: Store, first: str, last: str, as_of: str | None = None) -> int:
    sales = store.sales(as_of=as_of)
    return int(sales.loc[sales["date"].between(first, last), "units"].sum())


def _br_units(path: Path, first: str, last: str) -> int:
    br = read_export(path).table
    return int(br.loc[br["date"].between(first, last), "units_ordered"].sum())


# --- coverage: where the orders are dense ---------------------------------------------------


def test_order_bought_months_earlier_keeps_the_business_reports_months(tmp_path: Path) -> None:
    orders = STRAY_CASE / "All_Orders_by_last_update_US.txt"
    br = STRAY_CASE / "BusinessReport_US_2026.csv"
    store = Store(tmp_path / "h.duckdb")
    build_store([br, orders], store.path)
    # August to October: exactly the Business Report's units (the old coverage rule made the
    # export cover 20 Aug – 22 Nov and left 1 unit there)
    assert _units(store, "2026-08-01", "2026-10-31") == _br_units(br, "2026-08-01", "2026-10-31")
    assert _br_units(br, "2026-08-01", "2026-10-31") >= 2 * 92  # the case has ≥ 2 units a day
    # November: the orders (the Business Report is replaced on covered days)
    parsed = read_export(orders)
    nov = parsed.table[parsed.table["date"] >= "2026-11-01"]
    assert _units(store, "2026-11-01", "2026-11-22") == int(nov["units"].sum())
    # the stray is kept as an order, and named with its day
    stray = parsed.extra["strays"]
    assert stray[["marketplace", "lines"]].values.tolist() == [["US", 1]]
    assert stray["date"].tolist() == [pd.Timestamp("2026-08-20")]
    assert "111-0000067-0000067" in set(store.orders()["order_id"])
    cov = store.orders_coverage()
    assert (cov["date"].min(), cov["date"].max(), len(cov)) == (
        pd.Timestamp("2026-11-01"), pd.Timestamp("2026-11-22"), 22
    )  # fmt: skip


def test_purchase_date_1999_is_quarantined_not_a_duplicate(tmp_path: Path) -> None:
    orders = Y1999_CASE / "All_Orders_US.txt"
    br = Y1999_CASE / "BusinessReport_US_2026.csv"
    store = Store(tmp_path / "h.duckdb")
    results = build_store([br, orders], store.path)
    mine = next(r for r in results if r.kind == "orders")
    assert (mine.rows_quarantined, mine.rows_duplicate, mine.rows_stored) == (1, 0, 66)
    q = store.quarantine()
    assert q[["row", "column"]].values.tolist() == [[12, "purchase-date"]]
    assert q["file"].iloc[0] == str(orders)
    assert "1999-03-01 is more than 366 days before" in q["reason"].iloc[0]
    assert _units(store, "2026-08-01", "2026-10-31") == _br_units(br, "2026-08-01", "2026-10-31")
    assert store.sales()["date"].min() == pd.Timestamp("2026-08-01")


@pytest.fixture(scope="module")
def sample_us(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample's US Business Reports 2025–26 and its latest NA orders export, as files."""
    folder = tmp_path_factory.mktemp("sample_us")
    files = {}
    for year in (2025, 2026):
        src = SAMPLE_DIR / "business_report" / f"BusinessReport_US_{year}.csv.gz"
        files[f"br{year}"] = folder / src.name
        shutil.copy(src, files[f"br{year}"])
    files["orders"] = SAMPLE_DIR / "orders" / "All_Orders_NA_2026-09-28_2026-11-22.txt"
    return files


def _with_rows(src: Path, out: Path, rows: list[str]) -> Path:
    text = src.read_text(encoding="utf-8").rstrip("\n")
    first = text.splitlines()[1].split("\t")
    extra = []
    for i, (purchased, updated) in enumerate(rows):
        row = list(first)
        row[0] = f"999-{i:07d}-0000000"
        row[2], row[3] = purchased, updated
        extra.append("\t".join(row))
    out.write_text("\n".join([text, *extra]) + "\n", encoding="utf-8")
    return out


@pytest.mark.parametrize(
    ("label", "purchased", "updated", "quarantined"),
    [
        ("bought six months earlier", "2026-03-02T18:00:00+00:00", "2026-11-20T10:00:00+00:00", 0),
        ("1999", "1999-03-01T18:00:00+00:00", "2026-11-20T10:00:00+00:00", 1),
        ("2099", "2099-09-30T18:00:00+00:00", "2099-09-30T19:00:00+00:00", 1),
    ],
)
def test_one_odd_order_in_the_sample_changes_no_sales_day(
    sample_us: dict[str, Path],
    tmp_path: Path,
    label: str,
    purchased: str,
    updated: str,
    quarantined: int,
) -> None:
    clean = Store(tmp_path / "clean.duckdb")
    build_store([sample_us["br2025"], sample_us["br2026"], sample_us["orders"]], clean.path)
    odd_file = _with_rows(sample_us["orders"], tmp_path / sample_us["orders"].name,
                          [(purchased, updated)])  # fmt: skip
    odd = Store(tmp_path / "odd.duckdb")
    results = build_store([sample_us["br2025"], sample_us["br2026"], odd_file], odd.path)
    assert results[-1].rows_quarantined == quarantined, label
    assert odd.default_as_of() == clean.default_as_of() == pd.Timestamp("2026-11-22").date()
    pd.testing.assert_frame_equal(odd.sales(), clean.sales())
    total = int(clean.sales()["units"].sum())
    assert total > 20_000  # the issue: one 1999 date cut such a total to a few thousand


# --- the dense-span rule -------------------------------------------------------------------


def _days(*groups: tuple[str, int, int]) -> pd.Series:
    """Lines per day: (first day, number of days, lines per day) → one entry per line."""
    out = []
    for first, days, per_day in groups:
        out += [d for d in pd.date_range(first, periods=days) for _ in range(per_day)]
    return pd.Series(pd.to_datetime(out))


def test_weekly_seller_is_dense_enough(tmp_path: Path) -> None:
    # one order a week for three months, and a stray five months before: the coverage is the
    # three months (every week), the stray is not
    weeks = pd.date_range("2026-08-31", periods=13, freq="7D")
    rows = [_order(i, f"{d:%Y-%m-%d}T18:00:00+00:00") for i, d in enumerate(weeks, 1)]
    rows.insert(0, _order(99, "2026-03-30T18:00:00+00:00", "2026-11-24T09:00:00+00:00"))
    p = read_export(_orders_file(tmp_path / "All_Orders_US.txt", rows))
    cov = p.extra["coverage"].set_index("marketplace").loc["US"]
    assert (cov["min"], cov["max"]) == (weeks[0], weeks[-1])
    assert p.extra["strays"]["date"].tolist() == [pd.Timestamp("2026-03-30")]
    assert len(p.quarantine) == 0


def test_dense_span_splits_only_unexpected_gaps() -> None:
    busy = ("2026-10-01", 40, 30)
    # 30 lines a day: a lone line five days before is a stray …
    span = dense_span(pd.concat([_days(("2026-09-26", 1, 1)), _days(busy)]))
    assert span.first == pd.Timestamp("2026-10-01") and span.inside == 1200
    # … one two days before is not (a quiet day is normal)
    span = dense_span(pd.concat([_days(("2026-09-29", 1, 1)), _days(busy)]))
    assert span.first == pd.Timestamp("2026-09-29")
    # a week-long outage between two busy months stays inside the coverage (both are large)
    span = dense_span(_days(("2026-09-01", 30, 20), ("2026-10-08", 30, 20)))
    assert (span.first, span.last) == (pd.Timestamp("2026-09-01"), pd.Timestamp("2026-11-06"))
    # a sparse file never bridges more than MAX_EMPTY_DAYS empty days, nor joins runs that far
    # apart (five refunds of old orders in an export by update date are not months of sales)
    far = _days(("2026-01-01", 1, 5), ("2026-06-01", 1, 6))
    assert dense_span(far).empty_days == MAX_EMPTY_DAYS
    assert dense_span(far).first == dense_span(far).last == pd.Timestamp("2026-06-01")
    assert dense_span(pd.Series([], dtype="datetime64[ns]")) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("All_Orders_NA_2026-09-28_2026-11-22.txt", ("2026-09-28", "2026-11-22")),
        ("All_Orders_NA_20261116_20261119.txt", ("2026-11-16", "2026-11-19")),
        ("orders-2026-09-28-to-2026-11-22.txt.gz", ("2026-09-28", "2026-11-22")),
        ("orders_2026-09-28_to_2026-11-22.zip", ("2026-09-28", "2026-11-22")),
        ("All_Orders_2026-11-22_2026-09-28.txt", None),  # reversed
        ("All_Orders_2026-09-28_20261122.txt", None),  # mixed forms
        ("All_Orders_11-22-2026_12-01-2026.txt", None),  # month/day first: ambiguous
        ("All_Orders_2026-02-30_2026-03-05.txt", None),  # no such day
        ("All_Orders_2026-09-28.txt", None),  # one date
        ("x_2026-01-01_2026-02-01_2026-03-01.txt", None),  # three dates
        ("29394857201018.txt", None),  # Amazon's report id
    ],
)
def test_name_range(name: str, expected: tuple[str, str] | None) -> None:
    got = name_range(name)
    assert got == (None if expected is None else tuple(pd.Timestamp(d) for d in expected))


def test_file_name_range_narrows_never_widens(tmp_path: Path) -> None:
    days = pd.date_range("2026-11-01", "2026-11-20")
    rows = [_order(i, f"{d:%Y-%m-%d}T18:00:00+00:00") for i, d in enumerate(days, 1)]
    rows[-1] = _order(len(days), "2026-11-20T18:00:00+00:00", "2026-11-21T09:00:00+00:00")

    def span(name: str) -> tuple[str, str, str]:
        p = read_export(_orders_file(tmp_path / name, rows))
        c = p.extra["coverage"].iloc[0]
        return f"{c['min']:%m-%d}", f"{c['max']:%m-%d}", " | ".join(p.problems)

    # a wider name does not invent zero-sales days outside the orders
    assert span("All_Orders_2026-10-01_2026-11-30.txt")[:2] == ("11-01", "11-20")
    # a narrower one cuts the coverage (orders before it are strays of an export by update date)
    assert span("All_Orders_2026-11-05_2026-11-20.txt")[:2] == ("11-05", "11-20")
    # a name that misses the orders is not used, and that is said
    first, last, note = span("All_Orders_2026-01-01_2026-01-31.txt")
    assert (first, last) == ("11-01", "11-20")
    assert "the file name's range 2026-01-01..2026-01-31 misses the orders" in note


# --- implausible dates -----------------------------------------------------------------------


def test_implausible_last_updated_is_quarantined_and_does_not_set_the_pull_time(
    tmp_path: Path,
) -> None:
    days = pd.date_range("2026-11-01", "2026-11-22")
    rows = [_order(i, f"{d:%Y-%m-%d}T18:00:00+00:00") for i, d in enumerate(days, 1)]
    rows.append(_order(50, "2026-11-10T18:00:00+00:00", "2099-01-01T00:00:00+00:00"))
    rows.append(_order(51, "2026-11-10T18:00:00+00:00", "2026-11-09T00:00:00+00:00"))
    p = read_export(_orders_file(tmp_path / "All_Orders_US.txt", rows))
    q = p.quarantine
    assert q["column"].tolist() == ["last-updated-date", "last-updated-date"]
    assert q["row"].tolist() == [24, 25]
    assert "is more than 366 days after the purchase-date" in q["reason"].iloc[0]
    assert "is before the purchase-date" in q["reason"].iloc[1]
    # pulled at 10:00 PST on 22 Nov (the last order's time), not in 2099: 22 Nov is partial
    assert p.extra["partial"]["date"].tolist() == [pd.Timestamp("2026-11-22")]
    assert p.extra["coverage"]["max"].tolist() == [pd.Timestamp("2026-11-21")]


def test_business_report_rows_dated_1999_and_2099_are_quarantined(tmp_path: Path) -> None:
    src = CATALOGUE / "history_business_report_2099" / "BusinessReport_US_2026.csv"
    lines = src.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace('"10/03/2026"', '"10/03/1999"')
    f = tmp_path / "BusinessReport_US_2026.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    p = read_export(f)
    q = p.quarantine.set_index("row")
    assert q["column"].to_dict() == {4: "Date", 7: "Date"}
    assert f"Date 1999-10-03 is more than {PAST_DAYS} days before" in q.loc[4, "reason"]
    assert "Date 2099-09-30 is after the export's newest data (2026-11-22)" in q.loc[7, "reason"]
    assert p.date_range == (pd.Timestamp("2026-10-01"), pd.Timestamp("2026-11-22"))
    store = Store(tmp_path / "h.duckdb")
    build_store([f], store.path)
    assert store.default_as_of() == pd.Timestamp("2026-11-22").date()


def test_business_report_with_a_long_break_keeps_both_sides(tmp_path: Path) -> None:
    # January–March and June–July in one file (a seasonal listing): nothing is implausible; the
    # one row dated 2099 still is
    src = CATALOGUE / "history_business_report_2099" / "BusinessReport_US_2026.csv"
    header, row = src.read_text(encoding="utf-8").splitlines()[:2]
    days = [*pd.date_range("2026-01-01", "2026-03-31"), *pd.date_range("2026-06-01", "2026-07-31")]
    rows = [row.replace('"10/01/2026"', f'"{d:%m/%d/%Y}"') for d in days]
    rows.append(row.replace('"10/01/2026"', '"09/30/2099"'))
    f = tmp_path / "BusinessReport_US_2026.csv"
    f.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    p = read_export(f)
    assert p.quarantine["row"].tolist() == [len(days) + 2]
    assert p.date_range == (pd.Timestamp("2026-01-01"), pd.Timestamp("2026-07-31"))
    assert len(p.table) == len(days)


def test_sample_exports_have_no_implausible_dates_or_strays() -> None:
    # the rules leave a clean, real-format history alone (a threshold tuned too tight would not)
    for f in sorted((SAMPLE_DIR / "orders").glob("*.txt")):
        p = read_export(f)
        assert p.quarantine.empty, f.name
        assert p.extra["strays"].empty and p.extra["partial"].empty, f.name
        lines = p.extra["coverage"]["lines"].sum()
        assert lines == p.rows_in, f.name
    for f in sorted((SAMPLE_DIR / "business_report").glob("*.csv.gz")):
        with gzip.open(f) as fh:
            rows = sum(1 for _ in fh) - 1
        assert len(read_export(f).table) == rows, f.name


# --- partial days ----------------------------------------------------------------------------


def test_partial_day_counts_known_orders_and_is_listed(tmp_path: Path) -> None:
    f = PARTIAL_CASE / PARTIAL_FILE
    store = Store(tmp_path / "h.duckdb")
    build_store([f], store.path)
    assert store.default_as_of() == pd.Timestamp("2026-11-21").date()
    assert store.partial_days().empty  # the default end is before it
    sales = store.sales(as_of="2026-11-22").set_index("date")
    assert sales.loc["2026-11-22", "units"] == 5  # 2 + 3 units known, not an invented 0
    partial = store.partial_days("2026-11-22")
    assert partial[["marketplace", "units"]].values.tolist() == [["US", 5]]
    assert partial["exported_local"].tolist() == [pd.Timestamp("2026-11-22 14:00")]
    shown = dh.partial_days(partial)
    assert shown["file"].tolist() == [PARTIAL_FILE]


def test_partial_day_never_covered_later_is_not_zero_and_business_report_wins(
    tmp_path: Path,
) -> None:
    # export A pulled at 14:00 PST on 22 Nov; export B starts on 23 Nov: 22 Nov is never covered
    first = PARTIAL_CASE / PARTIAL_FILE
    days = pd.date_range("2026-11-23", "2026-11-30")
    rows = [_order(500 + i, f"{d:%Y-%m-%d}T18:00:00+00:00", qty=2) for i, d in enumerate(days)]
    rows[-1] = _order(599, "2026-11-30T18:00:00+00:00", "2026-12-01T09:00:00+00:00", qty=2)
    later = _orders_file(tmp_path / "All_Orders_NA_2026-11-23_2026-11-30.txt", rows)
    store = Store(tmp_path / "h.duckdb")
    build_store([first, later], store.path)
    assert store.default_as_of() == pd.Timestamp("2026-11-30").date()
    sales = store.sales().set_index("date")["units"]
    assert sales.loc["2026-11-22"] == 5 and sales.loc["2026-11-23"] == 2
    assert store.partial_days()["date"].tolist() == [pd.Timestamp("2026-11-22")]
    # a Business Report of that day is complete: it replaces the partial orders
    br = CATALOGUE / "history_business_report_2099" / "BusinessReport_US_2026.csv"
    build_store([br], store.path)
    assert store.partial_days().empty
    br_22 = read_export(br).table.set_index("date").loc["2026-11-22", "units_ordered"]
    assert store.sales().set_index("date").loc["2026-11-22", "units"] == br_22 != 5


def test_store_written_before_partial_days_existed_still_reads(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    build_store([PARTIAL_CASE / PARTIAL_FILE], store.path)
    con = duckdb.connect(str(store.path))
    con.execute("DROP TABLE orders_partial")
    con.close()
    sales = store.sales(as_of="2026-11-22").set_index("date")
    assert sales.loc["2026-11-22", "units"] == 0  # unknown partial day: the old behaviour
    assert store.partial_days("2026-11-22").empty


# --- data health -----------------------------------------------------------------------------


def test_orders_coverage_spans_from_the_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.duckdb")
    build_store([STRAY_CASE / "All_Orders_by_last_update_US.txt"], store.path)
    spans = dh.orders_coverage_spans(store.orders_coverage())
    assert spans.astype(str).values.tolist() == [["US", "2026-11-01", "2026-11-22", "22"]]
    assert np.issubdtype(spans["days"].dtype, np.integer)


def test_plan_notes_say_the_planning_day_is_partial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from forecasting.cli import main

    fixtures = HEADER_FILE.parent
    store = tmp_path / "h.duckdb"
    build_store(
        [PARTIAL_CASE / PARTIAL_FILE, fixtures / "products.csv",
         fixtures / "Inventory_Planning_US_2026-11-22.txt"],
        store,
    )  # fmt: skip
    dates = pd.date_range("2026-11-23", periods=300)
    fc = pd.DataFrame({"sku": "WID-0001", "marketplace": "US", "date": dates, "model": "flat",
                       "mean": 1.0})  # fmt: skip
    for q in range(1, 10):
        fc[f"p{q * 10}"] = float(q >= 5)
    fc.to_csv(tmp_path / "fc.csv", index=False)
    out = tmp_path / "plan"
    args = ["plan", "--store", str(store), "--forecast", str(tmp_path / "fc.csv")]
    assert main([*args, "--output", str(out)]) == 0  # the sample settings plan on 2026-11-22
    printed = capsys.readouterr().out
    assert (
        "note: US 2026-11-22 is a partial day (its newest orders export was pulled at 14:00 local "
        "time): its 5 units are the orders known so far" in printed
    )
    notes = pd.read_excel(out / "replenishment.xlsx", sheet_name=None)
    assert any(
        frame.astype(str).apply(lambda c: c.str.contains("is a partial day")).any().any()
        for frame in notes.values()
    )


@pytest.mark.parametrize(
    "module",
    ["forecasting.io.coverage", "forecasting.io.plausible", "forecasting.io.sales",
     "forecasting.reports.data_health"],
)  # fmt: skip
def test_worked_examples_in_the_docstrings(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(
        importlib.import_module(module), optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted > 0 and result.failed == 0
