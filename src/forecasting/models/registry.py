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


def available_models() -> list[str]:
    """Aliases of every registered model, in registration order (fast ones first)."""
    return list(_MODELS)


def model_class(name: str) -> type[ForecastModel]:
    """The class registered under alias ``name`` (its module imported, no heavy library).

    Raises
    ------
    InputError
        Unknown alias.
    """
    if name not in _MODELS:
        raise InputError(f"unknown model {name!r}; available: {', '.join(_MODELS)}")
    module_name, class_name = _MODELS[name].split(":")
    return getattr(import_module(f"forecasting.models.{module_name}"), class_name)


def is_per_series(name: str) -> bool:
    """Whether the model registered as ``name`` fits one series at a time.

    The trait lives on the model class (:attr:`ForecastModel.per_series
    <forecasting.models.base.ForecastModel.per_series>`); such models take seconds per hundred
    series, so the backtest uses them selectively.

    Examples
    --------
    >>> is_per_series("ets"), is_per_series("tsb")
    (True, False)
    """
    return bool(model_class(name).per_series)


def per_series_models() -> frozenset[str]:
    """Aliases of the registered models that fit one series at a time (:func:`is_per_series`).

    Examples
    --------
    >>> sorted(per_series_models())
    ['ets', 'prophet', 'sarimax']
    """
    return frozenset(name for name in _MODELS if is_per_series(name))


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
    cls = model_class(name)
    try:
        return cls(**params)
    except TypeError as exc:
        raise InputError(f"bad parameters for model {name!r}: {exc}") from exc
