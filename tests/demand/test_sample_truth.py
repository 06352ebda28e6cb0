"""Stockout inference and demand estimation against the sample generator's ground truth.

``data/sample/_truth/latent_demand.csv.gz`` holds, per sku × marketplace × day, the uncensored
demand, the units sold and whether sellable stock was left at the end of the day. The ledger is
withheld (``in_stock`` dropped) to test the inference; given back to test the estimate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.demand import estimate_true_demand, mark_stockouts
from forecasting.paths import SAMPLE_DIR

TRUTH = SAMPLE_DIR / "_truth" / "latent_demand.csv.gz"
KEYS = ["sku", "marketplace", "date"]

pytestmark = pytest.mark.skipif(not TRUTH.exists(), reason="sample ground truth not generated")


@pytest.fixture(scope="module")
def truth() -> pd.DataFrame:
    t = pd.read_csv(TRUTH, parse_dates=["date"])
    t["in_stock"] = t["in_stock"].astype(str).str.lower().eq("true")
    return t.sort_values(KEYS).reset_index(drop=True)


def _out(frame: pd.DataFrame) -> np.ndarray:
    return frame["in_stock"].astype("boolean").eq(False).fillna(False).to_numpy(bool)


def test_inference_finds_the_stockouts_without_the_ledger(truth: pd.DataFrame) -> None:
    sales = truth.rename(columns={"sold": "units"})[[*KEYS, "units"]]
    marked = estimate_true_demand(mark_stockouts(sales))
    pred, real = _out(marked), ~truth["in_stock"].to_numpy(bool)
    hit = pred & real
    precision, recall = hit.sum() / pred.sum(), hit.sum() / real.sum()
    lost = (truth["demand"] - truth["sold"]).to_numpy(float)
    lost_share = lost[hit].sum() / lost[real].sum()  # lost demand on the days found
    estimate = marked["demand_estimate"].to_numpy()[hit].sum()
    latent = truth["demand"].to_numpy()[hit].sum()
    print(
        f"\ninferred stockouts: precision {precision:.3f}, recall {recall:.3f} of "
        f"{int(real.sum())} days, {lost_share:.3f} of lost demand; estimated demand "
        f"{estimate:.0f} vs latent {latent:.0f} on the days found ({estimate / latent:.3f})"
    )
    assert precision >= 0.90
    assert recall >= 0.65
    assert lost_share >= 0.80
    assert estimate / latent == pytest.approx(1.0, abs=0.10)


def test_estimated_demand_on_ledger_stockout_days_is_close_to_latent(truth: pd.DataFrame) -> None:
    sales = truth.rename(columns={"sold": "units"})[[*KEYS, "units", "in_stock"]].copy()
    sales["in_stock"] = sales["in_stock"].astype("boolean")
    est = estimate_true_demand(mark_stockouts(sales, infer=False))
    out = _out(est)
    assert (out == ~truth["in_stock"].to_numpy(bool)).all()
    estimate = est["demand_estimate"].to_numpy()[out].sum()
    latent = truth["demand"].to_numpy()[out].sum()
    sold = truth["sold"].to_numpy()[out].sum()
    # per spell: relative error of the spell's total
    spell = np.cumsum(np.r_[True, np.diff(out.astype(int)) != 0]) * out
    frame = pd.DataFrame({"spell": spell, "est": est["demand_estimate"], "dem": truth["demand"]})
    per = frame[out].groupby("spell")[["est", "dem"]].sum()
    mape = float((per.est - per.dem).abs().sum() / per.dem.sum())
    print(
        f"\nledger stockouts: {int(out.sum())} days, estimated demand {estimate:.0f} vs latent "
        f"{latent:.0f} ({estimate / latent:.3f}; sold {sold}); spell-level WAPE {mape:.3f}"
    )
    assert estimate / latent == pytest.approx(1.0, abs=0.10)
    assert mape < 0.5
