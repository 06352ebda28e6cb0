"""Demand: history → series per (sku, marketplace); stockout censoring; events; demand classes.

- :func:`to_series` — daily / weekly / monthly series with censored days counted per period;
- :func:`mark_stockouts`, :func:`estimate_true_demand` — days without stock (ledger and inferred)
  and the demand those days would have had;
- :func:`event_calendar`, :func:`event_regressors` — Prime Day, Prime Big Deal Days, BFCM, public
  holidays, promotions per marketplace;
- :func:`classify_demand`, :func:`abc_classes` — Syntetos–Boylan–Croston classes, ABC by revenue;
- :func:`analog_forecast` — forecasts for new SKUs from analogous SKUs; :func:`new_sku_forecast`
  — from their own rate where there is no analog;
- :func:`stockout_summary`, :func:`top_series`, :func:`with_analogs`, :func:`forecast_table` —
  small report tables.
"""

from __future__ import annotations

from forecasting.demand.analogs import (
    analog_forecast,
    find_analogs,
    new_series,
    new_sku_forecast,
)
from forecasting.demand.classify import abc_classes, classify_demand
from forecasting.demand.events import (
    event_calendar,
    event_regressors,
    promotions_from_sales,
    read_promotions,
)
from forecasting.demand.series import daily_series, to_series
from forecasting.demand.stockouts import estimate_true_demand, mark_stockouts
from forecasting.demand.summary import forecast_table, stockout_summary, top_series, with_analogs

__all__ = [
    "abc_classes",
    "analog_forecast",
    "classify_demand",
    "daily_series",
    "estimate_true_demand",
    "event_calendar",
    "event_regressors",
    "find_analogs",
    "forecast_table",
    "mark_stockouts",
    "new_series",
    "new_sku_forecast",
    "promotions_from_sales",
    "read_promotions",
    "stockout_summary",
    "to_series",
    "top_series",
    "with_analogs",
]
