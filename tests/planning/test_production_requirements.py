"""Requirements from shipments (due dates, netting earliest due first) and `forecasting produce`."""

from __future__ import annotations

import pandas as pd
import pytest

from forecasting.cli import main
from forecasting.config import load_settings
from forecasting.errors import InputError
from forecasting.planning.production.requirements import (
    read_shipments_csv,
    requirements_from_shipments,
)

SETTINGS = load_settings()


def ships(rows) -> pd.DataFrame:
    """(sku, marketplace, mode, ship_date, units) rows; arrival 40 days after shipping."""
    df = pd.DataFrame(rows, columns=["sku", "marketplace", "mode", "ship_date", "units"])
    df["ship_date"] = pd.to_datetime(df["ship_date"])
    df["arrival_date"] = df["ship_date"] + pd.Timedelta(days=40)
    return df


def test_due_date_is_ship_date_minus_qc_and_inland():
    # US sea: qc 2 + inland 3 = 5 days; DE rail: 2 + 2 = 4; JP air: 2 + 1 = 3
    s = ships([("A", "US", "sea", "2026-12-20", 10), ("A", "DE", "rail", "2026-12-20", 10),
               ("A", "JP", "air", "2026-12-20", 10)])  # fmt: skip
    req = requirements_from_shipments(s, SETTINGS).set_index("marketplace")
    assert req["due_date"].dt.strftime("%m-%d").to_dict() == {
        "US": "12-15", "DE": "12-16", "JP": "12-17"
    }  # fmt: skip
    assert req.loc["US", "due_week"] == pd.Timestamp("2026-12-14")
    assert req["required"].tolist() == [10, 10, 10]


def test_netting_earliest_due_first_with_open_production_due_date():
    """FG 50 covers the earliest row; open production 100 due 12-20 only rows due from 12-20."""
    s = ships(
        [
            ("A", "US", "sea", "2026-12-10", 80),  # due 12-05: 50 FG, 30 left
            ("A", "DE", "sea", "2026-12-12", 40),  # due 12-07: before open production
            ("A", "US", "sea", "2026-12-30", 150),
        ]
    )  # due 12-25: 100 from open production
    stock = pd.DataFrame({"sku": ["A"], "finished_goods": [50], "open_production": [100],
                          "open_production_due": [pd.Timestamp("2026-12-20")]})  # fmt: skip
    req = requirements_from_shipments(s, SETTINGS, stock)
    assert req["from_finished_goods"].tolist() == [50, 0, 0]
    assert req["from_open_production"].tolist() == [0, 0, 100]
    assert req["required"].tolist() == [30, 40, 50]
    assert req["gross"].sum() == req["required"].sum() + 150


def test_rows_already_sourced_from_stock_do_not_count_it_twice():
    s = ships([("A", "US", "sea", "2026-12-10", 30), ("A", "US", "sea", "2026-12-30", 60)])
    s["source"] = ["new_order", "finished_goods"]
    stock = pd.DataFrame({"sku": ["A"], "finished_goods": [60], "open_production": [0]})
    req = requirements_from_shipments(s, SETTINGS, stock)
    # the finished-goods row takes the 60 units first; the earlier new order is made
    assert req["required"].tolist() == [30, 0]


def test_bad_shipments_file_names_file_row_column(tmp_path):
    path = tmp_path / "ships.csv"
    path.write_text(
        "sku,marketplace,mode,ship_date,arrival_date,units\n"
        "A,US,sea,2026-12-10,2027-01-20,5\n"
        "A,US,sea,not-a-date,2027-01-20,5\n"
    )
    with pytest.raises(InputError) as err:
        read_shipments_csv(path)
    assert err.value.row == 3 and err.value.column == "ship_date"
    assert str(path) in err.value.one_line()
    path.write_text(
        "sku,marketplace,mode,ship_date,arrival_date,units\nA,US,sea,2026-12-10,2027-01-20,-1\n"
    )
    with pytest.raises(InputError, match="units must be a number"):
        read_shipments_csv(path)
    path.write_text("sku,units\nA,1\n")
    with pytest.raises(InputError, match="missing column"):
        read_shipments_csv(path)


def test_cli_produce_on_sample_store(tmp_path, capsys):
    ship = tmp_path / "ships.csv"
    ships([("HM-BIN-CLR", "US", "sea", "2026-12-20", 600), ("HM-BIN-CLR", "DE", "sea",
           "2027-02-25", 900), ("TL-JIG", "JP", "air", "2027-01-10", 400)]).to_csv(
        ship, index=False)  # fmt: skip
    out = tmp_path / "out"
    code = main(["produce", "--shipments", str(ship), "--output", str(out),
                 "--what-if", "overtime=off,extra_line=L4"])  # fmt: skip
    assert code == 0
    for name in ("schedule.csv", "capacity.csv", "requirements.csv", "production.xlsx",
                 "scenarios.csv"):  # fmt: skip
        assert (out / name).exists(), name
    req = pd.read_csv(out / "requirements.csv")
    assert list(req.columns[:7]) == ["sku", "marketplace", "due_date", "required", "on_time",
                                     "late", "short"]  # fmt: skip
    assert (req["required"] == req["on_time"] + req["late"] + req["short"]).all()
    scen = pd.read_csv(out / "scenarios.csv")
    assert scen["scenario"].tolist() == ["base", "overtime=off", "extra_line=L4",
                                         "overtime=off,extra_line=L4"]  # fmt: skip
    assert "units required" in capsys.readouterr().out


def test_cli_produce_bad_input_exits_2(tmp_path, capsys):
    assert main(["produce", "--shipments", str(tmp_path / "none.csv"), "--output",
                 str(tmp_path)]) == 2  # fmt: skip
    assert "shipments file not found" in capsys.readouterr().err
    ship = tmp_path / "s.csv"
    ships([("HM-BIN-CLR", "US", "sea", "2026-12-20", 6)]).to_csv(ship, index=False)
    assert main(["produce", "--shipments", str(ship), "--output", str(tmp_path),
                 "--what-if", "add_shift=L9"]) == 2  # fmt: skip
    assert "no factory line 'L9'" in capsys.readouterr().err
