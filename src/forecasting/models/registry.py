"""Model aliases → model classes: the one entry point the backtest and the engine use.

Heavy libraries (statsmodels, Prophet) are imported only when their model is asked for, so
``available_models()`` and the vectorised models load in a fraction of a second.

Examples
--------
>>> from forecasting.models.registry import available_models, get_model
>>> "tsb" in available_models()
True
>>> get_model("sba", alpha=0.2)
SBAModel(alias='sba')
"""

from __future__ import annotations

from importlib import import_module

from forecasting.errors import InputError
from forecasting.models.base import ForecastModel

#: alias → "module:Class" inside ``forecasting.models``.
_MODELS: dict[str, str] = {
    "naive": "baselines:NaiveModel",
    "seasonal_naive": "baselines:SeasonalNaiveModel",
    "moving_average": "baselines:MovingAverageModel",
    "empirical": "baselines:EmpiricalModel",
    "croston": "intermittent:CrostonModel",
    "sba": "intermittent:SBAModel",
    "tsb": "intermittent:TSBModel",
    "poisson_gamma": "poisson_gamma:PoissonGammaModel",
    "ets": "statsmodels_models:ExponentialSmoothingModel",
    "sarimax": "statsmodels_models:SARIMAXModel",
    "prophet": "prophet_model:ProphetModel",
    "ensemble": "ensemble:EnsembleModel",
}

#: Models that fit one series at a time (seconds per hundred series): use them selectively.
PER_SERIES_MODELS: frozenset[str] = frozenset({"ets", "sarimax", "prophet"})


def available_models() -> list[str]:
    """Aliases of every registered model, in registration order (fast ones first)."""
    return list(_MODELS)


def get_model(name: str, **params: object) -> ForecastModel:
    """A new model instance by alias.

    Parameters
    ----------
    name : str
        One of :func:`available_models`.
    **params
        Keyword arguments of the model's constructor (e.g. ``window=18`` for ``empirical``,
        ``events=`` for ``prophet``, ``members=`` for ``ensemble``).

    Raises
    ------
    InputError
        Unknown alias or parameter.
    """
    if name not in _MODELS:
        raise InputError(f"unknown model {name!r}; available: {', '.join(_MODELS)}")
    module_name, class_name = _MODELS[name].split(":")
    cls = getattr(import_module(f"forecasting.models.{module_name}"), class_name)
    try:
        return cls(**params)
    except TypeError as exc:
        raise InputError(f"bad parameters for model {name!r}: {exc}") from exc
