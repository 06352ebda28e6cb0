"""The store built from the bundled sample against the generator's ground truth (``_truth/``)."""

from __future__ import annotations

import pandas as pd
import pytest

from forecasting.io.store import Store, open_store
from forecasting.paths import SAMPLE_DIR

TRUTH = SAMPLE_DIR / "_truth" / "latent_demand.csv.gz"
pytestmark = pytest.mark.skipif(
    not (SAMPLE_DIR / "products.csv").exists() or not TRUTH.exists(),
    reason="data/sample/ not generated",
)


@pytest.fixture(scope="module")
def store() -> Store:
    return open_store()


@pytest.fixture(scope="module")
def merged(store: Store) -> pd.DataFrame:
    truth = pd.read_csv(TRUTH, parse_dates=["date"])
    return store.sales().merge(
        truth, on=["sku", "marketplace", "date"], how="outer", indicator=True
    )


def test_every_sample_file_ingested_and_accounted(store: Store) -> None:
    log = store.ingest_log()
    assert not log["file"].str.contains("_truth|README|settings").any()
    kinds = set(log["kind"])
    assert kinds >= {"orders", "business_report", "ledger", "planning_report", "ads",
                     "search_terms", "returns", "products", "factory_stock"}  # fmt: skip
    parts = log.rows_stored + log.rows_quarantined + log.rows_duplicate + log.rows_excluded
    assert (parts == log.rows_in).all()


def test_series_grid_matches_truth(merged: pd.DataFrame) -> None:
    assert (merged["_merge"] == "both").all(), merged.loc[merged["_merge"] != "both"].head()


def test_units_match_truth_outside_orders_and_minus_cancellations_inside(
    store: Store, merged: pd.DataFrame
) -> None:
    covered = store.query(
        "SELECT DISTINCT marketplace, date::TIMESTAMP AS date FROM orders_coverage"
    )
    both = merged[merged["_merge"] == "both"]
    m = both.merge(covered.assign(by_orders=True), how="left", on=["marketplace", "date"])
    m["by_orders"] = m["by_orders"].eq(True)
    outside = m[~m["by_orders"]]
    assert (outside["units"] == outside["sold"]).all()
    cancelled = store.query("SELECT sum(units) AS n FROM orders WHERE lower(status) = 'cancelled'")[
        "n"
    ].iloc[0]
    inside = m[m["by_orders"]]
    assert (inside["units"] <= inside["sold"]).all()
    assert int((inside["sold"] - inside["units"]).sum()) == int(cancelled)


def test_in_stock_matches_truth(merged: pd.DataFrame) -> None:
    truth = merged["in_stock_y"].astype(str).str.lower().map({"true": True, "false": False})
    known = truth.notna() & merged["in_stock_x"].notna()
    assert known.mean() > 0.95
    assert (merged.loc[known, "in_stock_x"].astype(bool) == truth[known].astype(bool)).all()
