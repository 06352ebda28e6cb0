"""Small synthetic batches shared by the model tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.models.base import SeriesBatch

QUANTILES = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def make_batch(
    values: np.ndarray,
    freq: str = "MS",
    season_length: int = 12,
    promo: np.ndarray | None = None,
    start: str = "2020-01-01",
) -> SeriesBatch:
    """A batch over ``values`` with skus s0, s1, … starting at ``start``."""
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values[None, :]
    n, t = values.shape
    return SeriesBatch(
        keys=pd.DataFrame({"sku": [f"s{i}" for i in range(n)]}),
        values=values,
        dates=pd.date_range(start, periods=t, freq=freq),
        freq=freq,
        season_length=season_length,
        promo=promo,
    )


@pytest.fixture
def mixed_batch() -> SeriesBatch:
    """Six monthly series, 40 months: smooth, intermittent, late launch, censored gaps,
    censored at the end, and all-zero."""
    rng = np.random.default_rng(42)
    t = 40
    smooth = rng.poisson(20 + 5 * np.sin(np.arange(t) * 2 * np.pi / 12))
    intermittent = rng.binomial(1, 0.3, t) * rng.poisson(3, t)
    late = rng.poisson(8, t).astype(float)
    late[:15] = np.nan
    gaps = rng.poisson(6, t).astype(float)
    gaps[[10, 11, 25]] = np.nan
    censored_end = rng.poisson(4, t).astype(float)
    censored_end[-3:] = np.nan
    zeros = np.zeros(t)
    return make_batch(np.vstack([smooth, intermittent, late, gaps, censored_end, zeros]))
