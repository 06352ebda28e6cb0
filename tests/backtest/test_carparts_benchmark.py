"""The carparts benchmark (bench/forecast_accuracy.py protocol): achieved figures hold."""

import sys
import time

import numpy as np
import pytest

from forecasting.paths import PROJECT_ROOT


def _carparts_auto():
    sys.path.insert(0, str(PROJECT_ROOT / "bench"))
    from forecast_accuracy import load_carparts, run_auto, score

    hist, train, test, _dates, m, _freq = load_carparts()
    assert train.shape == (2509, 39)
    start = time.perf_counter()
    q, choice = run_auto(hist, 12, jobs=1)
    return hist, score(test, train, q, m), q, choice, time.perf_counter() - start


def test_carparts_auto_meets_the_accuracy_aims():
    """The published protocol, all 2,509 parts (about 8 s): WQL ≤ 0.87 and MASE ≤ 0.82."""
    _hist, got, q, choice, _seconds = _carparts_auto()
    # achieved on 2026-11-28 (bench/README.md): WQL 0.8679, MASE 0.795
    assert got["WQL"] <= 0.870
    assert got["MASE"] <= 0.82
    assert np.all(np.diff(q, axis=-1) >= 0)
    assert len(choice) == 2509


@pytest.mark.slow
def test_carparts_auto_is_faster_than_autoets():
    hist, got, _q, _choice, auto_seconds = _carparts_auto()
    assert got["WQL"] <= 0.870
    pytest.importorskip("statsforecast")
    from forecast_accuracy import run_statsforecast

    start = time.perf_counter()
    run_statsforecast(hist, 12, 12, "MS", "AutoETS", 1)
    assert auto_seconds <= time.perf_counter() - start  # measured 0.32× (bench/README.md)
