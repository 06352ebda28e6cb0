"""Every backtest window trains on at least a season (plus one period) where the history allows."""

import numpy as np
import pandas as pd

from forecasting.backtest import auto_forecast
from forecasting.backtest.run import SEASON_TRAIN_EXTRA, _backtest_cutoffs


def test_windows_that_would_train_on_less_than_a_season_are_dropped():
    # carparts' training years: 39 months, 12-month horizon. The old layout [3, 15, 27] trained
    # its oldest window on 3 months; now that window is dropped and the note says so.
    cutoffs, notes = _backtest_cutoffs(39, 12, 3, "MS", 12)
    assert cutoffs.tolist() == [15, 27]
    assert min(cutoffs) >= 12 + SEASON_TRAIN_EXTRA
    assert notes and "backtest on 2 of 3 windows" in notes[0]
    cutoffs, notes = _backtest_cutoffs(51, 12, 3, "MS", 12)
    assert cutoffs.tolist() == [15, 27, 39] and notes == ()
    # daily: a week and a day of training is enough for a 28-day horizon
    assert _backtest_cutoffs(120, 28, 3, "D", 7)[0].tolist() == [36, 64, 92]


def test_young_history_still_gets_a_backtest_with_short_training():
    # not one window fits a season: the young-history layout (2 training periods) is kept
    assert _backtest_cutoffs(10, 7, 3, "D", 7)[0].tolist() == [2, 3]


def test_auto_forecast_uses_the_season_rule():
    n, t = 20, 39
    rng = np.random.default_rng(0)
    dates = pd.date_range("2020-01-01", periods=t, freq="MS")
    hist = pd.DataFrame(
        {
            "sku": np.repeat([f"p{i}" for i in range(n)], t),
            "date": np.tile(dates, n),
            "units": rng.poisson(2.0, n * t).astype(float),
        }
    )
    run = auto_forecast(hist, 12, models="moving_average,poisson_gamma")
    assert list(run.cutoffs) == [dates[14], dates[26]]
