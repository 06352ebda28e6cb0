"""Current FBA stock from planning-report pulls: truncated pulls, SKUs left out, the ledger."""

from __future__ import annotations

import pandas as pd
import pytest

from forecasting.errors import InputError
from forecasting.io.stock import STALE_DAYS, current_fba_stock


def _pull(date: str, rows: list[tuple[str, float, float]], mp: str = "US") -> pd.DataFrame:
    """Planning-report rows (sku, available, inbound_shipped) of one pull."""
    return pd.DataFrame(
        {
            "sku": [r[0] for r in rows],
            "marketplace": mp,
            "date": pd.Timestamp(date),
            "on_hand": [r[1] for r in rows],
            "inbound_shipped": [r[2] for r in rows],
            "age_0_90": [r[1] for r in rows],
        }
    )


FULL = [(f"S{i}", 10.0 * i, 5.0) for i in range(1, 11)]  # S1 … S10


def _by_sku(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("sku")


def test_complete_pull_is_taken_as_is() -> None:
    hist = pd.concat([_pull("2026-11-15", FULL), _pull("2026-11-22", FULL)])
    got, notes = current_fba_stock(hist)
    assert len(got) == 10 and notes == []
    assert set(got["stock_source"]) == {"planning report 2026-11-22"}


def test_sku_left_out_of_a_complete_pull_is_out_of_stock() -> None:
    # 9 of 10 rows (90 % ≥ 80 %): the pull is whole, S3 was left out because it has no stock
    newest = [r for r in FULL if r[0] != "S3"]
    hist = pd.concat([_pull("2026-11-15", FULL), _pull("2026-11-22", newest)])
    got, notes = current_fba_stock(hist)
    s3 = _by_sku(got).loc["S3"]
    assert (s3["on_hand"], s3["inbound_shipped"], s3["age_0_90"]) == (0, 0, 0)
    assert s3["stock_source"] == "missing from the pull of 2026-11-22: out of stock"
    assert notes == [
        "US: 1 SKU(s) missing from the planning report of 2026-11-22: 0 from the inventory "
        "ledger, 0 from an older pull, 1 taken as out of stock (see stock_source)"
    ]
    # the plain "latest row per SKU" would have kept the week-old 30 units
    assert _by_sku(got).loc["S4", "on_hand"] == 40


def test_truncated_pull_keeps_the_older_figures_and_says_so() -> None:
    # 4 of 10 rows: a partial pull; the six missing SKUs keep their figures of the 15th
    hist = pd.concat([_pull("2026-11-15", FULL), _pull("2026-11-22", FULL[:4])])
    got, notes = current_fba_stock(hist)
    g = _by_sku(got)
    assert g.loc["S7", "on_hand"] == 70 and g.loc["S7", "inbound_shipped"] == 5
    assert g.loc["S7", "stock_source"] == "older pull 2026-11-15, latest truncated"
    assert g.loc["S2", "stock_source"] == "planning report 2026-11-22"
    assert notes[0] == (
        "US: the planning report of 2026-11-22 has 4 rows, 40% of the 10 of 2026-11-15: it "
        "looks truncated; pull it again"
    )
    assert "6 from an older pull" in notes[1]


def test_ledger_balance_wins_for_a_missing_sku() -> None:
    hist = pd.concat([_pull("2026-11-15", FULL), _pull("2026-11-22", FULL[:4])])
    ledger = pd.DataFrame(
        {
            "sku": ["S7", "S7", "S8"],
            "marketplace": "US",
            "date": pd.to_datetime(["2026-11-22", "2026-11-23", "2026-11-20"]),
            "on_hand": [3, 2, 99],
        }
    )
    got, notes = current_fba_stock(hist, ledger, as_of="2026-11-22")
    g = _by_sku(got)
    # the ledger day after as_of is ignored; S8's ledger row predates the pull: not used
    assert g.loc["S7", "on_hand"] == 3 and g.loc["S7", "stock_source"] == "ledger 2026-11-22"
    assert g.loc["S7", "inbound_shipped"] == 5  # inbound as last reported
    assert g.loc["S8", "on_hand"] == 80
    assert "1 from the inventory ledger, 5 from an older pull" in notes[1]


def test_old_skus_and_pulls_after_as_of_are_ignored() -> None:
    old = _pull("2026-01-01", [("GONE", 7.0, 0.0)])
    later = _pull("2026-11-29", FULL[:1])
    hist = pd.concat([old, _pull("2026-11-15", FULL), _pull("2026-11-22", FULL), later])
    got, notes = current_fba_stock(hist, as_of="2026-11-22")
    assert "GONE" not in set(got["sku"]) and notes == []  # listed > STALE_DAYS before
    assert pd.Timestamp("2026-11-22") - pd.Timestamp("2026-01-01") > pd.Timedelta(days=STALE_DAYS)
    assert len(got) == 10 and set(got["date"]) == {pd.Timestamp("2026-11-22")}


def test_marketplaces_are_judged_separately() -> None:
    hist = pd.concat(
        [
            _pull("2026-11-15", FULL),
            _pull("2026-11-22", FULL),
            _pull("2026-11-15", FULL, "DE"),
            _pull("2026-11-22", FULL[:2], "DE"),
        ]
    )
    got, notes = current_fba_stock(hist)
    assert len(got) == 20
    assert len(notes) == 2 and all(n.startswith("DE:") for n in notes)


def test_store_inventory_uses_the_guard(tmp_path, fixtures) -> None:  # noqa: ANN001
    from forecasting.io import expand_paths
    from forecasting.io.store import Store, build_store

    path = tmp_path / "h.duckdb"
    build_store(expand_paths([fixtures]), path, root=fixtures)
    store = Store(path)
    inv = store.inventory()
    assert len(inv) == len(inv[["sku", "marketplace"]].drop_duplicates())
    assert inv["stock_source"].str.startswith("planning report ").all()
    assert store.fba_stock()[1] == []


def test_as_of_before_every_pull_is_refused_not_guessed() -> None:
    pulls = pd.concat([_pull("2026-11-15", [("A", 5, 0)]), _pull("2026-11-22", [("A", 4, 0)])])
    with pytest.raises(InputError, match="on or before as_of 2026-11-08") as err:
        current_fba_stock(pulls, as_of="2026-11-08")
    assert "first pull is 2026-11-15" in err.value.message and err.value.key == "as_of"
    stock, _ = current_fba_stock(pulls, as_of="2026-11-15")  # the day of the first pull: known
    assert stock["on_hand"].tolist() == [5]
