"""History → SeriesBatch: calendars, censoring, aggregation, windows."""

import numpy as np
import pandas as pd
import pytest

from forecasting.backtest.series import history_to_batch, infer_freq
from forecasting.backtest.windows import rolling_origin_cutoffs, window_actuals
from forecasting.errors import InputError


@pytest.mark.parametrize(
    ("dates", "freq"),
    [
        (["2024-01-01", "2024-02-01", "2024-04-01"], "MS"),
        (["2024-01-31", "2024-02-29", "2024-03-31"], "ME"),
        (["2024-01-03", "2024-01-10", "2024-01-31"], "W-WED"),
        (["2024-01-01", "2024-01-02", "2024-01-05"], "D"),
    ],
)
def test_infer_freq(dates, freq):
    assert infer_freq(pd.to_datetime(dates)) == freq


def test_calendar_continues_month_starts_and_weekdays():
    ms = pd.DataFrame({"sku": "a", "date": pd.date_range("2024-01-01", periods=5, freq="MS"),
                       "units": 1.0})  # fmt: skip
    future = history_to_batch(ms).future_dates(3)
    assert list(future.strftime("%Y-%m-%d")) == ["2024-06-01", "2024-07-01", "2024-08-01"]
    wed = ms.assign(date=pd.date_range("2024-01-03", periods=5, freq="W-WED"))
    future = history_to_batch(wed).future_dates(4)
    assert (future.day_of_week == 2).all() and future[0] == pd.Timestamp("2024-02-07")


def test_out_of_stock_is_censored_and_gaps_are_zero_and_prelaunch_nan():
    h = pd.DataFrame(
        {
            "sku": ["a", "a", "a", "b"],
            "marketplace": "US",
            "date": ["2024-01-01", "2024-01-02", "2024-01-04", "2024-01-03"],
            "units": [5, 0, 7, 2],
            "in_stock": [True, False, True, True],
        }
    )
    b = history_to_batch(h)
    assert b.freq == "D" and list(b.keys.columns) == ["sku", "marketplace"]
    np.testing.assert_array_equal(b.values[0], [5.0, np.nan, 0.0, 7.0])  # Jan 3 missing → 0
    np.testing.assert_array_equal(b.values[1], [np.nan, np.nan, 2.0, 0.0])


def test_daily_to_weeks_scales_up_censored_days():
    days = pd.date_range("2024-01-01", periods=14, freq="D")  # two Monday weeks
    h = pd.DataFrame({"sku": "a", "date": days, "units": 2.0, "in_stock": True})
    h.loc[[7, 8], "in_stock"] = False  # two censored days in week 2: 5 days seen → 10 · 7/5
    b = history_to_batch(h, freq="W")
    assert b.freq == "W-MON" and b.season_length == 52
    np.testing.assert_allclose(b.values[0], [14.0, 14.0])
    m = history_to_batch(h, freq="M")
    assert m.freq == "MS" and m.values.shape == (1, 1)


def test_freq_finer_than_input_is_an_error():
    h = pd.DataFrame({"sku": "a", "date": ["2024-01-01", "2024-02-01"], "units": [1, 2]})
    with pytest.raises(InputError, match="finer"):
        history_to_batch(h, freq="D")


def test_bad_units_names_the_row():
    h = pd.DataFrame({"sku": "a", "date": ["2024-01-01", "2024-01-02"], "units": ["1", "x"]})
    with pytest.raises(InputError) as err:
        history_to_batch(h, file="in.csv")
    assert err.value.one_line().startswith("in.csv:3: column 'units'")


def test_cutoffs_and_window_actuals():
    cut = rolling_origin_cutoffs(51, 12, 3)
    assert cut.tolist() == [15, 27, 39]
    values = np.arange(51.0)[None, :]
    act = window_actuals(values, cut, 12)
    assert act.shape == (3, 1, 12) and act[2, 0, 0] == 39.0 and act[0, 0, -1] == 26.0
    with pytest.raises(InputError, match="too short"):
        rolling_origin_cutoffs(10, 12, 3)
