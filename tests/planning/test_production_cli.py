"""`forecasting produce` options of issue 13: --objective, --time-limit, --seed; scenarios.csv."""

from __future__ import annotations

import pandas as pd
from test_production_requirements import ships

from forecasting.cli import main


def test_produce_units_objective_writes_cost_bound_gap(tmp_path, capsys):
    ship = tmp_path / "ships.csv"
    ships([("HM-BIN-CLR", "US", "sea", "2026-12-20", 600),
           ("TL-JIG", "JP", "air", "2027-01-10", 400)]).to_csv(ship, index=False)  # fmt: skip
    out = tmp_path / "out"
    args = ["produce", "--shipments", str(ship), "--output", str(out), "--objective", "units",
            "--time-limit", "5", "--seed", "3", "--what-if", "overtime=off"]  # fmt: skip
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "objective (units)" in text and "proven within" in text
    scen = pd.read_csv(out / "scenarios.csv")
    assert {"cost", "bound", "gap", "forced_late_units"} <= set(scen.columns)
    assert ((scen["gap"] >= 0) & (scen["gap"] <= 1)).all()
    assert scen["scenario"].tolist() == ["base", "overtime=off"]


def test_produce_bad_time_limit_exits_2(tmp_path, capsys):
    ship = tmp_path / "s.csv"
    ships([("HM-BIN-CLR", "US", "sea", "2026-12-20", 6)]).to_csv(ship, index=False)
    code = main(["produce", "--shipments", str(ship), "--output", str(tmp_path),
                 "--time-limit", "0"])  # fmt: skip
    assert code == 2
    assert "--time-limit must be > 0" in capsys.readouterr().err
