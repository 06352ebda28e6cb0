"""The history store: dedupe, accounting, transactions, the daily sales rule, the sample cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from forecasting.errors import InputError
from forecasting.io import expand_paths, read_export
from forecasting.io.sample_cache import sample_store
from forecasting.io.store import Store, build_store, open_store

ORDERS_1 = "All_Orders_NA_20261116_20261119.txt"
ORDERS_2 = "All_Orders_NA_20261117_20261122.txt"


def _counts(store: Store) -> dict[str, int]:
    tables = ["orders", "business_report", "ledger", "inventory", "ads", "search_terms",
              "returns", "products", "factory_stock", "quarantine"]  # fmt: skip
    return {t: int(store.query(f"SELECT count(*) AS n FROM {t}")["n"].iloc[0]) for t in tables}


def test_ingest_twice_changes_nothing(fixtures: Path, tmp_path: Path) -> None:
    files = expand_paths([fixtures])
    path = tmp_path / "h.duckdb"
    first = build_store(files, path)
    before, sales_before = _counts(Store(path)), Store(path).sales()
    second = build_store(files, path)
    assert _counts(Store(path)) == before
    pd.testing.assert_frame_equal(Store(path).sales(), sales_before)
    assert sum(r.rows_stored for r in second) == 0
    for a, b in zip(first, second, strict=True):
        assert b.rows_duplicate == a.rows_stored + a.rows_duplicate
        assert b.rows_quarantined == a.rows_quarantined


def test_accounting_invariant_per_file(fixture_store: Store) -> None:
    log = fixture_store.ingest_log()
    assert len(log) == len(expand_paths([Path(__file__).parent / "fixtures"]))
    parts = log.rows_stored + log.rows_quarantined + log.rows_duplicate + log.rows_excluded
    assert (parts == log.rows_in).all()
    orders = log.set_index("file").loc[ORDERS_1]
    assert (orders.rows_in, orders.rows_stored, orders.rows_quarantined) == (8, 4, 2)
    assert orders.rows_excluded == 2


def test_overlapping_orders_dedupe_and_cancellation(fixtures: Path, tmp_path: Path) -> None:
    path = tmp_path / "h.duckdb"
    build_store([fixtures / ORDERS_1], path)
    pending = Store(path).orders().set_index("order_id")
    assert pending.loc["111-0000004-0000004", "status"] == "Pending"
    result = build_store([fixtures / ORDERS_2], path)[0]
    # order 2 is in both exports: a duplicate; order 4 was cancelled later: excluded by rule
    assert (result.rows_duplicate, result.rows_stored, result.rows_excluded) == (1, 1, 2)
    assert "111-0000004-0000004" not in set(Store(path).orders()["order_id"])
    # importing the older export again does not bring the cancelled order back
    build_store([fixtures / ORDERS_1], path)
    assert "111-0000004-0000004" not in set(Store(path).orders()["order_id"])
    assert Store(path).orders()["order_id"].is_unique


def test_summed_ads_rows_count_as_stored_then_duplicate(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / "SP_Search_Term_DE_2026.csv").read_text(encoding="utf-8-sig").splitlines()
    f = tmp_path / "SP_Search_Term_DE_2026.csv"
    f.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8-sig")
    path = tmp_path / "h.duckdb"
    first = build_store([f], path)[0]
    again = build_store([f], path)[0]
    assert (first.rows_in, first.rows_stored, first.rows_duplicate) == (4, 4, 0)
    assert (again.rows_stored, again.rows_duplicate) == (0, 4)
    assert Store(path).search_terms()["impressions"].sum() == 300 + 301 + 302 + 300


def test_failed_ingest_leaves_store_unchanged(fixtures: Path, tmp_path: Path) -> None:
    path = tmp_path / "h.duckdb"
    build_store([fixtures / ORDERS_1], path)
    before = Store(path).orders()
    good = read_export(fixtures / ORDERS_2)
    broken = read_export(fixtures / "Returns_US.txt")
    broken.table = broken.table.drop(columns="units")  # fails inside the transaction
    with pytest.raises(KeyError):
        Store(path).ingest([good, broken])
    pd.testing.assert_frame_equal(Store(path).orders(), before)
    assert len(Store(path).ingest_log()) == 1


def test_sales_rule_orders_then_business_report(fixture_store: Store) -> None:
    sales = fixture_store.sales(as_of="2026-11-22").set_index(["sku", "marketplace", "date"])
    us = sales.loc[("WID-0001", "US")]
    # 10-15 Nov: business report; 16-20 Nov: orders (local day); 21-22: business report
    assert us.loc["2026-11-10", "units"] == 3
    assert us.loc["2026-11-16", "units"] == 3  # two orders, one at 23:30 local
    assert us.loc["2026-11-16", "revenue"] == pytest.approx(59.97)
    assert us.loc["2026-11-17", "units"] == 0  # covered by orders: business report ignored
    assert us.loc["2026-11-21", "units"] == 0  # replacement order excluded
    assert us.loc["2026-11-22", "units"] == 3
    wid2 = sales.loc[("WID-0002", "US")]
    assert wid2.loc["2026-11-18", "units"] == 0  # pending order cancelled later
    assert wid2.loc["2026-11-20", "units"] == 4


def test_sales_in_stock_from_ledger(fixture_store: Store) -> None:
    sales = fixture_store.sales().set_index(["sku", "marketplace", "date"])
    us = sales.loc[("WID-0001", "US"), "in_stock"]
    assert us.loc["2026-11-10"] is True or bool(us.loc["2026-11-10"])
    assert not bool(us.loc["2026-11-12"])  # SELLABLE ending balance 0
    assert pd.isna(sales.loc[("WID-0001", "DE", "2026-11-10"), "in_stock"])  # no ledger
    assert str(fixture_store.sales()["in_stock"].dtype) == "boolean"


def test_sales_series_complete_from_launch_or_first_sale(fixture_store: Store) -> None:
    sales = fixture_store.sales(as_of="2026-11-22")
    spans = sales.groupby(["sku", "marketplace"])["date"].agg(["min", "max", "count"])
    assert (spans["max"] == pd.Timestamp("2026-11-22")).all()
    assert ((spans["max"] - spans["min"]).dt.days + 1 == spans["count"]).all()
    # WID-0003 launched 20 Nov in the US without sales yet: zeros from launch
    assert spans.loc[("WID-0003", "US"), "min"] == pd.Timestamp("2026-11-20")
    assert sales.query("sku == 'WID-0003'")["units"].sum() == 0
    assert not sales.duplicated(["sku", "marketplace", "date"]).any()
    assert sales.dtypes["units"] == "int64"


def test_default_as_of_waits_for_every_active_marketplace(fixture_store: Store) -> None:
    # US data run to 22 Nov, DE's (one orders day) end 19 Nov, JP's business report 13 Nov
    ends = fixture_store.data_end().set_index("marketplace")
    assert ends["last_day"].dt.strftime("%m-%d").to_dict() == {
        "DE": "11-19", "JP": "11-13", "US": "11-22"
    }  # fmt: skip
    assert ends["active"].to_dict() == {"DE": True, "JP": False, "US": True}
    sales = fixture_store.sales()
    # no invented zero days for DE on 20–22 Nov; JP (inactive) runs to the same day with zeros
    assert sales["date"].max() == pd.Timestamp("2026-11-19")
    assert (sales.groupby(["sku", "marketplace"])["date"].max() == pd.Timestamp("2026-11-19")).all()


def _orders_file(fixtures: Path, tmp_path: Path, name: str, extra_line: str) -> Path:
    lines = (fixtures / ORDERS_2).read_text(encoding="utf-8").splitlines()
    out = tmp_path / name
    out.write_text("\n".join([*lines, extra_line]) + "\n", encoding="utf-8")
    return out


def test_export_pulled_mid_day_does_not_cover_its_last_day(fixtures: Path, tmp_path: Path) -> None:
    # one more order on 23 Nov 06:00 PST, the file's latest update 23 Nov 06:10 PST: pulled that
    # morning, so 23 Nov is partial and the export covers up to 22 Nov
    row = (
        "111-0000011-0000011\t\t2026-11-23T14:00:00+00:00\t2026-11-23T14:10:00+00:00\tShipped\t"
        "Amazon\tAmazon.com\t\t\tWidget WID-0001\tWID-0001\tB000000001\tShipped\t5\tUSD\t"
        "99.95\t\t\t\tfalse\t5\tfalse\tfalse"
    )
    f = _orders_file(fixtures, tmp_path, "All_Orders_NA_20261117_20261123.txt", row)
    p = read_export(f)
    cov = p.extra["coverage"].set_index("marketplace")
    assert cov.loc["US", "max"] == pd.Timestamp("2026-11-22")
    partial = p.extra["partial"]
    assert partial["date"].tolist() == [pd.Timestamp("2026-11-23")]
    assert partial["exported_local"].iloc[0] == pd.Timestamp("2026-11-23 06:10")
    # the same order pulled after midnight PST covers 23 Nov
    late = row.replace("2026-11-23T14:10:00+00:00", "2026-11-24T08:05:00+00:00")
    g = _orders_file(fixtures, tmp_path, "All_Orders_NA_late.txt", late)
    assert read_export(g).extra["coverage"].set_index("marketplace").loc["US", "max"] == (
        pd.Timestamp("2026-11-23")
    )
    assert read_export(g).extra["partial"].empty

    # in the store the partial day does not move the default end (the US sales data stop at the
    # last complete day); asked for explicitly, it shows the orders known so far (5 units, not an
    # invented 0) and is listed as partial; once the later export arrives the day counts in full
    path = tmp_path / "h.duckdb"
    build_store([fixtures / ORDERS_1, f], path)
    store = Store(path)
    assert "111-0000011-0000011" in set(store.orders()["order_id"])  # stored…
    us_end = store.data_end().set_index("marketplace").loc["US", "last_day"]
    assert us_end == pd.Timestamp("2026-11-22")  # … but not a complete sales day yet
    assert store.partial_days().empty  # the default end is before it
    sales = store.sales(as_of="2026-11-23").set_index(["sku", "marketplace", "date"])
    assert sales.loc[("WID-0001", "US", "2026-11-23"), "units"] == 5
    partial = store.partial_days("2026-11-23")
    assert partial[["marketplace", "units"]].values.tolist() == [["US", 5]]
    assert partial["date"].tolist() == [pd.Timestamp("2026-11-23")]
    assert partial["exported_local"].tolist() == [pd.Timestamp("2026-11-23 06:10")]
    assert partial["file"].tolist() == [str(f)]
    build_store([g], path)
    store = Store(path)
    assert store.partial_days("2026-11-23").empty
    assert store.data_end().set_index("marketplace").loc["US", "last_day"] == (
        pd.Timestamp("2026-11-23")
    )
    sales = store.sales(as_of="2026-11-23").set_index(["sku", "marketplace", "date"])
    assert sales.loc[("WID-0001", "US", "2026-11-23"), "units"] == 5


def test_sales_as_of_cuts_series(fixture_store: Store) -> None:
    sales = fixture_store.sales(as_of="2026-11-15")
    assert sales["date"].max() == pd.Timestamp("2026-11-15")
    assert "WID-0003" not in set(sales["sku"])


def test_other_tables(fixture_store: Store) -> None:
    assert fixture_store.ledger().iloc[2]["on_hand"] == 0
    inv = fixture_store.inventory()
    assert set(inv.columns) >= {"on_hand", "age_456_plus", "item_volume_cuft", "storage_type"}
    assert fixture_store.products().set_index("sku").loc["WID-0001", "marketplaces"] == "US;DE;JP"
    fs = fixture_store.factory_stock().set_index("sku")
    assert fs.loc["WID-0001", "open_production_due"] == pd.Timestamp("2026-12-05")
    assert len(fixture_store.returns()) == 2
    assert len(fixture_store.ads()) == 3 and len(fixture_store.search_terms()) == 3
    assert fixture_store.business_report()["units_ordered"].dtype == "int64"
    q = fixture_store.quarantine()
    assert list(q.columns) == ["file", "row", "column", "reason", "raw"] and len(q) == 4


def test_open_store_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no history store"):
        open_store(tmp_path / "nope.duckdb")


def test_sample_store_cached_and_rebuilt_on_change(
    fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORECASTING_CACHE", str(tmp_path / "cache"))
    sample = tmp_path / "sample"
    shutil.copytree(fixtures, sample)
    (sample / "_truth").mkdir()
    (sample / "_truth" / "truth.csv").write_text("not,an,export\n")
    (sample / "settings.yml").write_text("version: 1\n")
    store = sample_store(sample)
    mtime = store.path.stat().st_mtime_ns
    assert sample_store(sample).path.stat().st_mtime_ns == mtime  # cached
    (sample / "products.csv").touch()  # mtime only: content hash unchanged, no rebuild
    assert sample_store(sample).path.stat().st_mtime_ns == mtime
    with open(sample / "products.csv", "a") as f:
        f.write(
            "WID-0009,WID,B000000009,B0PARENT01,New,Kitchen,2026-11-01,1,1,1,1,1,1,L1,1,1,1,US\n"
        )
    rebuilt = sample_store(sample)
    assert "WID-0009" in set(rebuilt.products()["sku"])
    assert not any("_truth" in f for f in rebuilt.ingest_log()["file"])
