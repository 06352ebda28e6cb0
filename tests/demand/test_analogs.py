"""New-SKU forecasts from analogs: scaling on a toy case, analog choice, contract."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from forecasting.demand import analog_forecast, find_analogs, new_series
from forecasting.demand.analogs import launch_ramp
from forecasting.schema import FORECAST_COLUMNS, validate_forecast

AS_OF = "2026-11-22"


def _toy(new_rate: int = 2) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = []
    for d in pd.date_range("2025-01-01", AS_OF):  # an old SKU in another category
        rows.append(("OLD", "US", d, 3))
    for sku, mult in (("A1", 1), ("A2", 3)):  # launch curve: 2/day for 30 days, then 4/day
        for i, d in enumerate(pd.date_range("2026-03-01", AS_OF)):
            rows.append((sku, "US", d, mult * (2 if i < 30 else 4)))
    for d in pd.date_range("2026-11-01", AS_OF):  # the new SKU: 22 days old
        rows.append(("N", "US", d, new_rate))
    sales = pd.DataFrame(rows, columns=["sku", "marketplace", "date", "units"])
    products = pd.DataFrame(
        {
            "sku": ["OLD", "A1", "A2", "N"],
            "parent_sku": ["Q", "P", "P", "P"],
            "category": ["garden", "home", "home", "home"],
            "launch_date": [None, "2026-03-01", "2026-03-01", "2026-11-01"],
            "marketplaces": "US",
        }
    )
    return sales, products


def test_new_series_and_analogs_by_parent() -> None:
    sales, products = _toy()
    new = new_series(sales, products, AS_OF)
    assert new[["sku", "age_days"]].values.tolist() == [["N", 22]]
    an = find_analogs(sales, products, new, horizon_days=14, as_of=AS_OF)
    assert sorted(an.analog_sku) == ["A1", "A2"]
    assert set(an.basis) == {"parent"} and set(an["mode"]) == {"launch"}


def test_scaling_to_own_early_sales() -> None:
    # analogs average 4/day over ages 0–21 and 8/day from age 30; N sells 2/day → ratio 0.5
    sales, products = _toy(new_rate=2)
    f = analog_forecast(sales, products, as_of=AS_OF, horizon_days=14)
    assert list(f.columns) == FORECAST_COLUMNS
    validate_forecast(f)
    assert (f.model == "analog").all() and (f.sku == "N").all()
    assert f.date.min() == pd.Timestamp("2026-11-23") and len(f) == 14
    # ages 22–29 → 0.5 × 4 = 2; ages 30–35 → 0.5 × 8 = 4
    assert f["mean"].tolist() == pytest.approx([2.0] * 8 + [4.0] * 6)
    # each analog scaled on its own gives the same path → Poisson quantiles around the mean
    assert f.p50.iloc[-1] == 4 and f.p10.iloc[-1] < 4 < f.p90.iloc[-1]


def test_dispersion_of_analogs_widens_the_band() -> None:
    sales, products = _toy()
    # A2 starts like A1 (2/day) but takes off to 20/day from age 22: analogs now disagree
    a2 = sales.sku == "A2"
    sales.loc[a2, "units"] = np.where(np.arange(a2.sum()) < 22, 2, 20)
    f = analog_forecast(sales, products, as_of=AS_OF, horizon_days=14).iloc[-1]
    # the same mean from analogs that agree would give about a Poisson band
    poisson_band = stats.poisson.ppf(0.9, f["mean"]) - stats.poisson.ppf(0.1, f["mean"])
    assert f["p90"] - f["p10"] > 1.5 * poisson_band


def test_category_analogs_on_the_calendar_when_no_launch_in_data() -> None:
    sales, products = _toy()
    products.loc[products.sku == "N", "parent_sku"] = "NEWPARENT"
    products.loc[products.sku == "N", "category"] = "garden"  # only OLD (mature) is garden
    an = find_analogs(
        sales, products, new_series(sales, products, AS_OF), horizon_days=14, as_of=AS_OF
    )
    assert an.analog_sku.tolist() == ["OLD"] and an["mode"].tolist() == ["calendar"]
    ramp = launch_ramp(sales)  # from A1, A2: 0.5 up to age 22, 15-day smoothed step to 1 at 37
    assert ramp[:23] == pytest.approx(0.5) and ramp[37:] == pytest.approx(1.0)
    f = analog_forecast(sales, products, as_of=AS_OF, horizon_days=14)
    # OLD sold 3/day last year; on the ramp its first 22 days weigh 3 × 0.5 × 22 = 33 units;
    # N sold 44 → ratio 4/3; ahead: 4/3 × 3 × ramp(22 + h) = 4 × (0.5 + h/30)
    assert f["mean"].to_numpy() == pytest.approx([2.0 + 4 * h / 30 for h in range(14)])


def test_not_yet_launched_product_starts_at_its_launch_date() -> None:
    sales, products = _toy()
    products = pd.concat(
        [
            products,
            pd.DataFrame(
                {
                    "sku": ["M"],
                    "parent_sku": ["P"],
                    "category": ["home"],
                    "launch_date": ["2026-11-26"],
                    "marketplaces": ["US"],
                }
            ),
        ],
        ignore_index=True,
    )
    f = analog_forecast(sales, products, as_of=AS_OF, horizon_days=10)
    m = f[f.sku == "M"]["mean"].to_numpy()
    # no own sales → analog average (scale 1): 4/day from launch day 2026-11-26 (4th day)
    assert m.tolist() == pytest.approx([0, 0, 0, 4, 4, 4, 4, 4, 4, 4])


def test_no_new_series_gives_an_empty_contract_frame() -> None:
    sales, products = _toy()
    f = analog_forecast(sales[sales.sku != "N"], products[products.sku != "N"], as_of=AS_OF,
                        horizon_days=7)  # fmt: skip
    assert f.empty and list(f.columns) == FORECAST_COLUMNS
