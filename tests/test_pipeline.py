"""The weekly pipeline on the sample: store → forecast → replenishment → production, cached."""

from __future__ import annotations

import time

import numpy as np
import pytest

from forecasting import pipeline
from forecasting import schema as s
from forecasting.config import load_settings
from forecasting.io.store import open_store
from forecasting.planning.leadtime import required_forecast_days
from forecasting.run import open_run


@pytest.fixture(scope="module")
def demand() -> pipeline.DemandForecast:
    return pipeline.forecast(open_run())


def test_every_series_is_forecast_over_the_whole_horizon(demand: pipeline.DemandForecast) -> None:
    cfg = load_settings()
    assert demand.horizon_days == required_forecast_days(cfg)
    series = demand.sales[[s.SKU, s.MARKETPLACE]].drop_duplicates()
    fc = demand.forecast
    assert len(fc[[s.SKU, s.MARKETPLACE]].drop_duplicates()) == len(series)
    per_series = fc.groupby([s.SKU, s.MARKETPLACE]).size()
    assert (per_series == demand.horizon_days).all()
    assert fc[s.DATE].min().date().isoformat() == "2026-11-23"  # the day after as_of
    s.validate_forecast(fc)  # mean ≥ 0, quantiles non-decreasing


def test_new_skus_get_the_analog_forecast_and_mature_ones_a_backtested_model(
    demand: pipeline.DemandForecast,
) -> None:
    models = demand.forecast.groupby([s.SKU, s.MARKETPLACE])[s.MODEL].first()
    assert (models == "analog").any(), "the sample launches SKUs in the last 6 months"
    backtested = set(map(tuple, demand.run.choice[[s.SKU, s.MARKETPLACE]].to_numpy()))
    for key, model in models.items():
        assert (model == "analog") != (key in backtested), key


def test_stockout_days_are_censored_not_zero_demand(demand: pipeline.DemandForecast) -> None:
    out = demand.sales[demand.sales[s.IN_STOCK].eq(False)]
    assert len(out) > 100
    # true demand is estimated on stockout days: positive on most of them, where sales are ~0
    assert out["demand_estimate"].gt(0).mean() > 0.8
    assert out[s.UNITS].mean() < out["demand_estimate"].mean()


def test_replenishment_and_production_follow_from_the_forecast(
    demand: pipeline.DemandForecast,
) -> None:
    plan = pipeline.replenishment(open_run(), demand=demand)
    assert len(plan.plan) == len(demand.forecast[[s.SKU, s.MARKETPLACE]].drop_duplicates())
    assert (plan.shipments["units"] >= 0).all()
    result = pipeline.production(open_run(), plan=plan, what_ifs=[])
    production, scenarios = result.plan, result.what_ifs
    req = production.requirements
    np.testing.assert_allclose(req["required"], req["on_time"] + req["late"] + req["short"])
    cap = production.capacity
    # regular hours + overtime (within its cap) bound every line-week
    assert (cap["planned_hours"] <= cap["capacity_hours"] + cap["overtime_hours"] + 1e-6).all()
    assert (cap["overtime_hours"] <= cap["overtime_cap_hours"] + 1e-6).all()
    assert len(scenarios) == 1  # the base plan only


def test_a_second_call_is_served_from_the_cache(
    demand: pipeline.DemandForecast, monkeypatch: pytest.MonkeyPatch
) -> None:
    def recompute(*args: object, **kwargs: object) -> None:
        raise AssertionError("the forecast was recomputed instead of read from the cache")

    monkeypatch.setattr(pipeline, "_forecast_series", recompute)
    start = time.perf_counter()
    again = pipeline.forecast(open_run())
    assert again.forecast.equals(demand.forecast)
    assert time.perf_counter() - start < 60.0  # loading, not fitting (fitting takes minutes)
    with pytest.raises(AssertionError, match="recomputed"):  # … and a miss would show
        pipeline.forecast(open_run(), models="moving_average")


def test_the_cache_key_follows_the_store_contents() -> None:
    store = open_store()
    raw = store.sales()
    k1 = pipeline._key("forecast", raw, 1)
    changed = raw.copy()
    changed.loc[changed.index[0], s.UNITS] += 1
    assert pipeline._key("forecast", changed, 1) != k1
    assert pipeline._key("forecast", raw.copy(), 1) == k1
