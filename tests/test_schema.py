"""The data contract: each canonical table's schema refuses a broken frame, naming table, column,
row count and first row; a good frame passes unchanged (same object, no copy)."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from forecasting import schema as s
from forecasting.errors import InputError


def _sales(n: int = 6) -> pd.DataFrame:
    return pd.DataFrame(
        {
            s.SKU: [f"S{i % 3}" for i in range(n)],
            s.MARKETPLACE: ["US"] * n,
            s.DATE: pd.date_range("2026-11-01", periods=n, freq="D"),
            s.UNITS: np.arange(n, dtype="int64"),
            s.REVENUE: np.arange(n) * 9.99,
        }
    )


def _forecast(n: int = 4) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            s.SKU: ["A"] * n,
            s.MARKETPLACE: ["US"] * n,
            s.DATE: pd.date_range("2026-11-23", periods=n, freq="D"),
            s.MODEL: ["ets"] * n,
            s.MEAN: [2.0] * n,
        }
    )
    for k, q in enumerate(s.quantile_columns()):
        df[q] = float(k)
    return df


def _shipments() -> pd.DataFrame:
    return pd.DataFrame(
        {
            s.SKU: ["A", "B"],
            s.MARKETPLACE: ["US", "DE"],
            s.MODE: ["sea", "rail"],
            s.SHIP_DATE: pd.to_datetime(["2026-12-01", "2026-12-05"]),
            s.ARRIVAL_DATE: pd.to_datetime(["2027-01-20", "2027-01-02"]),
            s.UNITS: np.array([120, 0], dtype="int64"),
        }
    )


def _schedule() -> pd.DataFrame:
    return pd.DataFrame(
        {
            s.LINE: ["L1", "L1", "L2"],
            s.WEEK: pd.to_datetime(["2026-11-23", "2026-11-30", "2026-11-23"]),
            s.SKU: ["A", "A", "B"],
            s.UNITS: np.array([500, 250, 40], dtype="int64"),
        }
    )


def test_good_frames_pass_unchanged() -> None:
    for frame, check in [
        (_sales(), s.validate_sales),
        (_forecast(), s.validate_forecast),
        (_shipments(), s.validate_shipments),
        (_schedule(), s.validate_schedule),
    ]:
        before = frame.copy()
        assert check(frame) is frame
        pd.testing.assert_frame_equal(frame, before)
    empty = _sales().iloc[:0]
    assert s.validate_sales(empty) is empty


def _set(df: pd.DataFrame, row: int, col: str, value) -> pd.DataFrame:  # noqa: ANN001
    df = df.copy()
    if isinstance(value, str) or value is None:
        df[col] = df[col].astype(object)
    elif isinstance(value, float):
        df[col] = df[col].astype(float)
    df.loc[row, col] = value
    return df


@pytest.mark.parametrize(
    ("frame", "column", "words"),
    [
        (lambda: _set(_sales(), 4, s.UNITS, -3), s.UNITS, "1 row(s) with negative or infinite units; first at data row 5 (value -3)"),
        (lambda: _set(_sales(), 2, s.UNITS, "three"), s.UNITS, "non-numeric units; first at data row 3"),
        (lambda: _set(_sales(), 2, s.UNITS, np.inf), s.UNITS, "negative or infinite units; first at data row 3"),
        (lambda: _set(_sales(), 1, s.SKU, "  "), s.SKU, "with a blank SKU; first at data row 2"),
        (lambda: _set(_sales(), 5, s.SKU, None), s.SKU, "without a value; first at data row 6"),
        (lambda: _set(_sales(), 0, s.MARKETPLACE, None), s.MARKETPLACE, "without a value"),
        (lambda: _sales().assign(date=[f"2026-11-0{i}" for i in range(1, 7)]), s.DATE,
         "not of date type"),
        (lambda: pd.concat([_sales(), _sales().iloc[[3]]], ignore_index=True), s.SKU,
         "1 row(s) duplicated on (sku, marketplace, date); first at data row 7"),
        (lambda: _sales().drop(columns=s.UNITS), None, "missing column(s) units"),
    ],
)  # fmt: skip
def test_sales_schema_names_column_and_first_row(frame, column, words: str) -> None:  # noqa: ANN001
    with pytest.raises(InputError) as err:
        s.validate_sales(frame())
    assert err.value.message.startswith("sales: ")
    assert words in err.value.message, err.value.one_line()
    if column:
        assert err.value.column == column


def test_forecast_schema() -> None:
    bad = _forecast()
    bad.loc[2, "p60"] = bad.loc[2, "p50"] - 0.5
    with pytest.raises(InputError, match=r"1 row\(s\) where p60 < p50; first at data row 3") as e:
        s.validate_forecast(bad)
    assert e.value.column == "p60"
    with pytest.raises(InputError, match="negative or infinite mean; first at data row 1"):
        s.validate_forecast(_set(_forecast(), 0, s.MEAN, -1.0))
    with pytest.raises(InputError, match="negative or infinite mean; first at data row 4"):
        s.validate_forecast(_set(_forecast(), 3, s.MEAN, np.inf))
    with pytest.raises(InputError, match="non-numeric p10"):
        s.validate_forecast(_set(_forecast(), 0, "p10", "x"))
    with pytest.raises(InputError, match="duplicated on"):
        s.validate_forecast(pd.concat([_forecast(), _forecast().iloc[[0]]], ignore_index=True))
    with pytest.raises(InputError, match="missing column"):
        s.validate_forecast(_forecast().drop(columns=s.MARKETPLACE))
    # only the quantiles asked for are required, in any order given
    three = _forecast()[[s.SKU, s.MARKETPLACE, s.DATE, s.MODEL, s.MEAN, "p10", "p50", "p90"]]
    assert s.validate_forecast(three, quantiles=(0.9, 0.1, 0.5)) is three


def test_plan_schemas() -> None:
    with pytest.raises(InputError, match="mode not in") as e:
        s.validate_shipments(_set(_shipments(), 1, s.MODE, "boat"))
    assert e.value.column == s.MODE
    late = _shipments()
    late.loc[0, s.ARRIVAL_DATE] = pd.Timestamp("2026-11-01")
    with pytest.raises(InputError, match="arriving before they ship; first at data row 1") as e:
        s.validate_shipments(late)
    assert e.value.column == s.ARRIVAL_DATE
    with pytest.raises(InputError, match="not whole units"):
        s.validate_shipments(_shipments().assign(units=[1.5, 2.0]))
    with pytest.raises(InputError, match="units ≤ 0; first at data row 2"):
        s.validate_schedule(_set(_schedule(), 1, s.UNITS, 0))
    with pytest.raises(InputError, match=r"duplicated on \(line, week, sku\)"):
        s.validate_schedule(pd.concat([_schedule(), _schedule().iloc[[2]]], ignore_index=True))


def test_row_numbers_are_positions_not_index_labels() -> None:
    df = _set(_sales(), 4, s.UNITS, -3)
    df.index = df.index + 100
    with pytest.raises(InputError, match="first at data row 5"):
        s.validate_sales(df)


def test_schemas_are_built_on_first_use() -> None:
    """Importing the contract does not import pandera (commands that never meet a table)."""
    import subprocess

    code = "import forecasting.schema, forecasting.config, sys; print('pandera' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_empty_plans_pass_but_typed_rows_are_still_checked() -> None:
    """A plan with nothing to ship or make has untyped empty columns: nothing to check. One row
    with a text date still fails."""
    empty = pd.DataFrame(columns=s.SHIPMENT_KEYS)
    assert s.validate_shipments(empty) is empty
    assert s.validate_schedule(pd.DataFrame(columns=s.SCHEDULE_COLUMNS)).empty
    one = pd.DataFrame([["A", "US", "sea", "2026-12-01", "2027-01-10", 5]], columns=s.SHIPMENT_KEYS)
    with pytest.raises(InputError, match="not of date type"):
        s.validate_shipments(one)
