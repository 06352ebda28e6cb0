"""`forecasting forecast` and `forecasting backtest`: outputs and one-line input errors."""

import numpy as np
import pandas as pd
import pytest

from forecasting.cli import main


@pytest.fixture
def history_csv(tmp_path):
    rng = np.random.default_rng(0)
    dates = pd.date_range("2024-01-01", periods=40, freq="W-MON")
    df = pd.DataFrame(
        {
            "sku": np.repeat(["007", "b"], 40),
            "marketplace": "US",
            "date": np.tile(dates.strftime("%Y-%m-%d"), 2),
            "units": rng.poisson(5, 80),
        }
    )
    path = tmp_path / "history.csv"
    df.to_csv(path, index=False)
    return path


def test_forecast_writes_one_row_per_series_and_period(history_csv, tmp_path):
    out = tmp_path / "fc.csv"
    code = main(["forecast", "--input", str(history_csv), "--horizon", "5", "--models",
                 "tsb,empirical", "--quantiles", "0.1,0.5,0.9", "--output", str(out)])  # fmt: skip
    assert code == 0
    fc = pd.read_csv(out, dtype={"sku": str})
    assert list(fc.columns) == ["sku", "marketplace", "date", "model", "mean", "p10", "p50", "p90"]
    assert len(fc) == 10 and set(fc["sku"]) == {"007", "b"}
    assert (pd.to_datetime(fc["date"]).dt.day_of_week == 0).all()


def test_backtest_writes_metrics_choice_and_details(history_csv, tmp_path):
    out, details = tmp_path / "bt.csv", tmp_path / "rows.csv"
    code = main(["backtest", "--input", str(history_csv), "--horizon", "4", "--windows", "2",
                 "--models", "tsb,empirical", "--output", str(out), "--details", str(details)])  # fmt: skip
    assert code == 0
    table = pd.read_csv(out)
    assert len(table) == 2 * 3  # series × (2 models + their combination)
    assert table.groupby("sku")["chosen"].sum().eq(1).all()
    assert {"mase", "rmsse", "wql", "bias", "coverage_80", "reason"} <= set(table.columns)
    assert len(pd.read_csv(details)) == 2 * 4 * 2 * 3  # windows × horizon × series × models


@pytest.mark.parametrize(
    ("edit", "extra", "expected"),
    [
        (lambda d: d.drop(columns="units"), [], ":1: column 'units': missing column"),
        (lambda d: d.assign(units=d["units"].astype(object).where(d.index != 3, "x")), [],
         ":5: column 'units': units 'x'"),
        (lambda d: d.assign(date=d["date"].where(d.index != 0, "someday")), [],
         ":2: column 'date': date 'someday'"),
        (lambda d: d, ["--models", "nope"], "column 'models': unknown model 'nope'"),
        (lambda d: d, ["--quantiles", "0.1,1.5"], "--quantiles: quantile 1.5"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_with_file_row_column(
    history_csv, tmp_path, capsys, edit, extra, expected
):
    bad = tmp_path / "bad.csv"
    edit(pd.read_csv(history_csv, dtype=str)).to_csv(bad, index=False)
    code = main(["forecast", "--input", str(bad), "--horizon", "3", "--output",
                 str(tmp_path / "x.csv"), *extra])  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1
    assert str(bad) in err and expected in err
