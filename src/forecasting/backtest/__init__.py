"""Rolling-origin backtests, accuracy metrics, model choice and quantile calibration.

The entry point is :func:`auto_forecast` (returns a :class:`ForecastRun`), set up by
:class:`BacktestSettings` and :class:`ComputeSettings`. The names below load on first use, so a
light submodule (``windows.DEFAULT_WINDOWS`` for the command line's defaults) does not import the
orchestrator.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forecasting.backtest.run import (
        BacktestSettings,
        ComputeSettings,
        ForecastRun,
        auto_forecast,
        combine_runs,
    )
    from forecasting.backtest.series import history_to_batch, infer_freq

#: public name → submodule that defines it
_HOMES = {
    "BacktestSettings": "run",
    "ComputeSettings": "run",
    "ForecastRun": "run",
    "auto_forecast": "run",
    "combine_runs": "run",
    "history_to_batch": "series",
    "infer_freq": "series",
}

__all__ = [
    "BacktestSettings",
    "ComputeSettings",
    "ForecastRun",
    "auto_forecast",
    "combine_runs",
    "history_to_batch",
    "infer_freq",
]


def __getattr__(name: str) -> Any:  # noqa: ANN401 - any public object of the package
    """Import the public name's submodule on first use (PEP 562)."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
