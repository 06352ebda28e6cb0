"""Data-health tables on small hand-built frames (hand-counted expectations)."""

from __future__ import annotations

import pandas as pd
import pytest

from forecasting.errors import InputError
from forecasting.reports import data_health as dh


def _log(**extra: list) -> pd.DataFrame:
    base = {
        "file": ["orders_us.csv", "ledger.csv", "ads.xlsx"],
        "kind": ["orders", "ledger", "ads"],
        "marketplace": ["US", "US", "US"],
        "rows_in": [100, 50, 20],
        "rows_stored": [90, 40, 20],
        "rows_quarantined": [3, 0, 0],
        "rows_duplicate": [2, 5, 0],
    }
    base.update(extra)
    return pd.DataFrame(base)


def test_ingest_accounting_derives_excluded_and_totals() -> None:
    acc = dh.ingest_accounting(_log())
    by_file = acc.set_index("file")
    assert by_file.loc["orders_us.csv", "rows_excluded"] == 5  # 100 - 90 - 3 - 2
    assert by_file.loc["ledger.csv", "rows_excluded"] == 5
    assert by_file.loc["ads.xlsx", "rows_excluded"] == 0
    total = acc.iloc[-1]
    assert total["file"] == dh.TOTAL
    assert (total["rows_in"], total["rows_stored"], total["rows_excluded"]) == (170, 150, 10)
    assert acc["balanced"].all()
    fates = acc[dh.ROW_FATES].sum(axis=1)
    assert (fates == acc["rows_in"]).all()


def test_ingest_accounting_flags_rows_that_do_not_add_up() -> None:
    # explicit rows_excluded that does not balance, and a derived negative one
    acc = dh.ingest_accounting(_log(rows_excluded=[5, 4, 0]))
    assert acc.set_index("file")["balanced"].to_dict() == {
        "ads.xlsx": True,
        "ledger.csv": False,
        "orders_us.csv": True,
        dh.TOTAL: False,
    }
    over = _log(rows_stored=[99, 40, 20])  # 99 + 3 + 2 > 100 → excluded -4
    acc = dh.ingest_accounting(over).set_index("file")
    assert acc.loc["orders_us.csv", "rows_excluded"] == -4
    assert not acc.loc["orders_us.csv", "balanced"]


def test_ingest_accounting_names_missing_column() -> None:
    with pytest.raises(InputError, match="rows_duplicate"):
        dh.ingest_accounting(_log().drop(columns="rows_duplicate"))


def _sales() -> pd.DataFrame:
    # A/US: 2026-01-30 … 2026-02-03 with 2026-02-01 missing; B/DE: three days in February
    rows = [
        ("A", "US", "2026-01-30", 2, True),
        ("A", "US", "2026-01-31", 0, False),
        ("A", "US", "2026-02-02", 1, False),
        ("A", "US", "2026-02-03", 4, True),
        ("B", "DE", "2026-02-10", 0, False),
        ("B", "DE", "2026-02-11", 3, pd.NA),
        ("B", "DE", "2026-02-12", 1, False),
    ]
    frame = pd.DataFrame(rows, columns=["sku", "marketplace", "date", "units", "in_stock"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["in_stock"] = frame["in_stock"].astype("boolean")
    return frame


def test_coverage_by_month_counts_present_and_selling_days() -> None:
    cov = dh.coverage_by_month(_sales())
    got = {
        (r.sku, r.marketplace, r.month.strftime("%Y-%m")): (r.days_present, r.days_with_sales)
        for r in cov.itertuples()
    }
    assert got == {
        ("A", "US", "2026-01"): (2, 1),
        ("A", "US", "2026-02"): (2, 2),
        ("B", "DE", "2026-02"): (3, 2),
    }
    wide = dh.coverage_matrix(cov)
    assert list(wide.index) == ["A · US", "B · DE"]
    assert pd.isna(wide.loc["B · DE", pd.Timestamp("2026-01-01")])


def test_gap_spans_and_series_gaps() -> None:
    spans = dh.gap_spans(_sales())
    assert spans[["sku", "start", "end", "days"]].astype(str).values.tolist() == [
        ["A", "2026-02-01", "2026-02-01", "1"]
    ]
    per = dh.series_gaps(_sales()).set_index("sku")
    assert per.loc["A", ["days_expected", "days_present", "days_missing"]].tolist() == [5, 4, 1]
    assert per.loc["A", "longest_gap_days"] == 1
    assert per.loc["B", ["days_missing", "longest_gap_days"]].tolist() == [0, 0]
    assert per.index[0] == "A"  # most missing first


def test_stock_status_from_sales_drops_unknown_days_and_from_ledger() -> None:
    status = dh.stock_status(_sales())
    assert len(status) == 6  # the NA day is unknown, not in stock
    ledger = pd.DataFrame(
        {
            "sku": "A",
            "marketplace": "US",
            "date": pd.date_range("2026-01-01", periods=4),
            "on_hand": [5, 0, 0, 3],
        }
    )
    assert dh.stock_status(ledger)["in_stock"].tolist() == [True, False, False, True]


def test_stockout_spells_break_on_missing_days_and_series() -> None:
    spells = dh.stockout_spells(dh.stock_status(_sales()))
    # A: 01-31 out, 02-01 missing, 02-02 out → two spells; B: 02-10 and 02-12 (NA between)
    assert spells[["sku", "start", "days"]].astype(str).values.tolist() == [
        ["A", "2026-01-31", "1"],
        ["A", "2026-02-02", "1"],
        ["B", "2026-02-10", "1"],
        ["B", "2026-02-12", "1"],
    ]


def test_stockout_summary_hand_counted() -> None:
    status = pd.DataFrame(
        {
            "sku": ["A"] * 7 + ["B"] * 3,
            "marketplace": "US",
            "date": list(pd.date_range("2026-03-01", periods=7))
            + list(pd.date_range("2026-03-01", periods=3)),
            "in_stock": [True, False, False, False, True, False, True, True, True, True],
        }
    )
    summ = dh.stockout_summary(status).set_index("sku")
    assert summ.loc["A", "stockout_days"] == 4
    assert summ.loc["A", "longest_spell_days"] == 3
    assert summ.loc["A", "stockout_share"] == pytest.approx(4 / 7)
    assert summ.loc["A", "last_stockout"] == pd.Timestamp("2026-03-06")
    assert summ.loc["B", "stockout_days"] == 0
    assert pd.isna(summ.loc["B", "last_stockout"])
    assert summ.index[0] == "A"


def test_stockouts_by_week_counts_sku_days() -> None:
    status = pd.DataFrame(
        {
            "sku": ["A", "A", "A", "B", "B"],
            "marketplace": ["US", "US", "US", "US", "DE"],
            # 2026-03-01 is a Sunday (week of Mon 02-23); 03-02/03-03 week of Mon 03-02
            "date": pd.to_datetime(
                ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-02", "2026-03-02"]
            ),
            "in_stock": [False, False, True, False, True],
        }
    )
    weekly = dh.stockouts_by_week(status)
    got = {(r.week.strftime("%m-%d"), r.marketplace): r.stockout_days for r in weekly.itertuples()}
    assert got == {("02-23", "US"): 1, ("03-02", "DE"): 0, ("03-02", "US"): 2}


def test_quarantine_tables() -> None:
    q = pd.DataFrame(
        {
            "file": ["b.csv", "a.csv", "a.csv", "a.csv"],
            "row": [7, 12, 3, 5],
            "column": ["units", "date", "date", "sku"],
            "reason": ["negative units", "bad date", "bad date", "missing SKU"],
            "raw": ["x" * 100, "r2", "r3", "r4"],
        }
    )
    reasons = dh.quarantine_reasons(q)
    assert reasons.values.tolist()[0] == ["a.csv", "bad date", 2]
    assert reasons["count"].sum() == 4
    rows = dh.quarantine_rows(q, limit=3, raw_chars=10)
    assert rows[["file", "row"]].values.tolist() == [["a.csv", 3], ["a.csv", 5], ["a.csv", 12]]
    rows = dh.quarantine_rows(q, raw_chars=10)
    assert rows.loc[rows["file"] == "b.csv", "raw"].item() == "x" * 9 + "…"


def test_duplicates_by_file_and_overview() -> None:
    dup = dh.duplicates_by_file(_log())
    assert dup[["file", "rows_duplicate"]].values.tolist() == [
        ["ledger.csv", 5],
        ["orders_us.csv", 2],
    ]
    assert dh.data_overview(_sales()) == {
        "skus": 2,
        "marketplaces": 2,
        "series": 2,
        "first": "2026-01-30",
        "last": "2026-02-12",
    }


def test_excluded_reasons_shown_as_text() -> None:
    log = _log(rows_excluded=[5, 5, 0], excluded_reasons=['{"cancelled": 5}', "{}", None])
    acc = dh.ingest_accounting(log).set_index("file")
    assert acc.loc["orders_us.csv", "excluded_reasons"] == "cancelled: 5"
    assert acc.loc["ledger.csv", "excluded_reasons"] == ""
    assert acc.loc["ads.xlsx", "excluded_reasons"] == ""


def test_orders_coverage_spans_split_runs_per_marketplace() -> None:
    days = pd.to_datetime(["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-10", "2026-11-02"])
    cov = pd.DataFrame({"marketplace": ["US", "US", "US", "US", "DE"], "date": days})
    spans = dh.orders_coverage_spans(cov)
    assert spans.astype(str).values.tolist() == [
        ["DE", "2026-11-02", "2026-11-02", "1"],
        ["US", "2026-11-01", "2026-11-03", "3"],
        ["US", "2026-11-10", "2026-11-10", "1"],
    ]
    empty = dh.orders_coverage_spans(cov.iloc[0:0])
    assert empty.empty and list(empty.columns) == ["marketplace", "start", "end", "days"]


def test_partial_days_table_names_the_file_only() -> None:
    partial = pd.DataFrame(
        {
            "marketplace": ["US"],
            "date": [pd.Timestamp("2026-11-22")],
            "exported_local": [pd.Timestamp("2026-11-22 14:00")],
            "file": ["/inbox/2026/All_Orders_NA.txt"],
            "units": [5],
        }
    )
    shown = dh.partial_days(partial)
    assert shown["file"].tolist() == ["All_Orders_NA.txt"]
    assert shown["units"].tolist() == [5]
    with pytest.raises(InputError):
        dh.partial_days(partial.drop(columns="units"))


def test_notebook_01_shows_coverage_and_partial_days(tmp_path) -> None:
    """The data-health report of a store whose last day is partial lists that day."""
    from pathlib import Path

    from forecasting.cli import main
    from forecasting.io.store import build_store

    tests = Path(__file__).parents[1]
    case = tests / "catalogue" / "history_partial_day_as_of"
    fixtures = tests / "io" / "fixtures"
    store = tmp_path / "h.duckdb"
    build_store(
        [case / "All_Orders_NA_2026-11-01_2026-11-22.txt", fixtures / "products.csv",
         fixtures / "Ledger_Summary_US.csv"],
        store,
    )  # fmt: skip
    args = ["report", "--store", str(store), "--out", str(tmp_path / "r"), "--notebooks", "01"]
    assert main([*args, "-p", "lang=en", "-p", "as_of=2026-11-22"]) == 0
    html = (tmp_path / "r" / "2026-11-22" / "01_data_health.html").read_text(encoding="utf-8")
    assert "Days covered by orders exports" in html
    assert "1 partial day(s)" in html
    assert "All_Orders_NA_2026-11-01_2026-11-22.txt" in html
    assert "pulled at (local time)" in html
