"""Forecasting models behind one interface (:mod:`forecasting.models.base`).

Get a model by alias with :func:`forecasting.models.registry.get_model`; the aliases are
``naive``, ``seasonal_naive``, ``moving_average``, ``empirical`` (:mod:`.baselines`), ``croston``,
``sba``, ``tsb`` (:mod:`.intermittent`), ``ets``, ``sarimax`` (:mod:`.statsmodels_models`),
``prophet`` (:mod:`.prophet_model`) and ``ensemble`` (:mod:`.ensemble`). Shared maths (count
distributions, empirical quantiles, seasonal index) is in :mod:`.distributions`; the per-series
loop with its fallback in :mod:`.per_series`. Nothing heavy is imported here.
"""
