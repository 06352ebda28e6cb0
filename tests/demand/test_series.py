"""History → daily / weekly / monthly series: calendars kept, censored days counted."""

from __future__ import annotations

import pandas as pd
import pytest

from forecasting.demand import daily_series, to_series
from forecasting.errors import InputError


def _sales() -> pd.DataFrame:
    # 2026-10-26 (Mon) … 2026-11-22 (Sun), a gap on 11-02 (missing day), two stockout days
    dates = pd.date_range("2026-10-26", "2026-11-22")
    df = pd.DataFrame({"sku": "A", "marketplace": "US", "date": dates, "units": 2})
    df["in_stock"] = pd.array([True] * len(df), dtype="boolean")
    df.loc[df.date.isin(pd.to_datetime(["2026-11-10", "2026-11-11"])), ["units", "in_stock"]] = [
        0,
        False,
    ]
    return df[df.date != "2026-11-02"].reset_index(drop=True)


def test_daily_fills_missing_days_with_zero_and_unknown_stock() -> None:
    d = daily_series(_sales())
    assert len(d) == 28
    gap = d[d.date == "2026-11-02"].iloc[0]
    assert gap.units == 0 and pd.isna(gap.in_stock)


def test_daily_extends_to_end() -> None:
    d = daily_series(_sales(), end="2026-11-25")
    assert d.date.max() == pd.Timestamp("2026-11-25") and d.units.iloc[-1] == 0


def test_weekly_keeps_weekday_and_counts_censored_days() -> None:
    w = to_series(_sales(), "W")  # last date is a Sunday → Monday-start weeks
    assert w.attrs["freq"] == "W-MON"
    assert (w.date.dt.day_of_week == 0).all()
    assert w.date.tolist() == list(pd.date_range("2026-10-26", periods=4, freq="7D"))
    assert w.units.tolist() == [14, 12, 10, 14]  # gap week 6 × 2; stockout week 5 × 2
    assert w.censored_days.tolist() == [0, 0, 2, 0]
    assert w.censored_fraction.iloc[2] == pytest.approx(2 / 7)
    assert w.in_stock.tolist() == [True, True, False, True]


def test_weekly_with_explicit_weekday() -> None:
    w = to_series(_sales(), "W-WED")
    assert (w.date.dt.day_of_week == 2).all()
    assert w.units.sum() == _sales().units.sum()


def test_monthly_starts_on_first_and_sums() -> None:
    m = to_series(_sales(), "M")
    assert m.date.tolist() == [pd.Timestamp("2026-10-01"), pd.Timestamp("2026-11-01")]
    assert m.units.tolist() == [12, 38]
    assert m.days.tolist() == [6, 22]
    assert m.censored_days.tolist() == [0, 2]


def test_unknown_frequency_is_an_input_error() -> None:
    with pytest.raises(InputError, match="frequency"):
        to_series(_sales(), "Q")
