"""New-SKU forecasts from analogs: scaling on a toy case, analog choice, contract."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.demand import analog_forecast, find_analogs, new_series
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
    f = analog_forecast(sales, products, as_of=AS_OF, horizon_days=14)
    sales2, _ = _toy()
    g = analog_forecast(sales2, products, as_of=AS_OF, horizon_days=14)
    rel_f = ((f.p90 - f.p10) / f["mean"]).iloc[-1]
    rel_g = ((g.p90 - g.p10) / g["mean"]).iloc[-1]
    assert rel_f > 1.3 * rel_g  # analogs that disagree → wider band relative to the mean


def test_category_analogs_on_the_calendar_when_no_launch_in_data() -> None:
    sales, products = _toy()
    products.loc[products.sku == "N", "parent_sku"] = "NEWPARENT"
    products.loc[products.sku == "N", "category"] = "garden"  # only OLD (mature) is garden
    an = find_analogs(
        sales, products, new_series(sales, products, AS_OF), horizon_days=14, as_of=AS_OF
    )
    assert an.analog_sku.tolist() == ["OLD"] and an["mode"].tolist() == ["calendar"]
    f = analog_forecast(sales, products, as_of=AS_OF, horizon_days=14)
    # OLD sold 3/day last year over the same days; N sells 2/day → 2/day ahead
    assert f["mean"].to_numpy() == pytest.approx(np.full(14, 2.0))


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
