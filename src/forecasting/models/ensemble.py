"""Combination of several models' forecasts (alias ``ensemble``).

Each quantile level is combined across the members separately — the median (default) or the mean
of the members' quantiles ("Vincentization"; Genest 1992, Lichtendahl, Grushka-Cockayne & Winkler
2013, *Management Science* 59(7)), which keeps the result a proper, non-decreasing set of
quantiles. The mean forecast is the mean of the members' means.

Defaults come from the carparts experiment (``bench/README.md``): the median of the Poisson–gamma
rate, the empirical distribution and the moving average, all vectorised, so the ensemble stays
fast. (With TSB in place of the Poisson–gamma rate, ``auto``'s backtest WQL on carparts' last
training year was 0.8854 against 0.8849; the choice was made on that backtest. The two are within
noise of each other; see ``bench/README.md``.)
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np

from forecasting.errors import InputError
from forecasting.models.base import ForecastArrays, ForecastModel, SeriesBatch
from forecasting.models.distributions import assemble, check_request

#: Default members of the ensemble (all vectorised).
DEFAULT_MEMBERS: tuple[str, ...] = ("poisson_gamma", "empirical", "moving_average")

Member = str | tuple[str, Mapping[str, object]] | ForecastModel


def _build(member: Member) -> ForecastModel:
    from forecasting.models.registry import get_model

    if isinstance(member, ForecastModel):
        return member
    if isinstance(member, str):
        if member == "ensemble":
            raise InputError("an ensemble cannot contain itself")
        return get_model(member)
    name, params = member
    return get_model(name, **dict(params))


class EnsembleModel(ForecastModel):
    """Combine the quantiles of several models level by level.

    Parameters
    ----------
    members : sequence
        Aliases, ``(alias, params)`` pairs or model instances; at least one.
    combine : {"median", "mean"}
        How each quantile level is combined across members.

    Notes
    -----
    A member that raises is left out of the combination (a warning names it) and its alias is
    listed in ``failed_members`` after :meth:`forecast`; if every member fails the error of the
    last one propagates. Per-row fallbacks inside members stay recorded on the members
    (``members_[i].fallback_rows``).
    """

    alias = "ensemble"

    def __init__(
        self, members: Sequence[Member] = DEFAULT_MEMBERS, combine: str = "median"
    ) -> None:
        if combine not in ("median", "mean"):
            raise InputError(f"combine must be 'median' or 'mean', got {combine!r}")
        if not members:
            raise InputError("an ensemble needs at least one member model")
        self.members_ = [_build(m) for m in members]
        self.combine = combine
        self.failed_members: list[str] = []

    def forecast(
        self, batch: SeriesBatch, horizon: int, quantiles: Sequence[float]
    ) -> ForecastArrays:
        """Forecast with every member and combine (see class docstring)."""
        check_request(np.asarray(batch.values, dtype=float), horizon, quantiles)
        self.failed_members = []
        results: list[ForecastArrays] = []
        last_error: Exception | None = None
        for model in self.members_:
            try:
                results.append(model.forecast(batch, horizon, quantiles))
            except Exception as exc:  # noqa: BLE001 - one member must not fail the ensemble
                last_error = exc
                self.failed_members.append(model.alias)
                warnings.warn(
                    f"ensemble member {model.alias!r} failed and is left out: {exc}",
                    RuntimeWarning,
                    stacklevel=2,
                )
        if not results:
            assert last_error is not None
            raise last_error
        stack_q = np.stack([r.quantiles for r in results])
        combined = np.median(stack_q, axis=0) if self.combine == "median" else stack_q.mean(axis=0)
        mean = np.mean(np.stack([r.mean for r in results]), axis=0)
        return assemble(mean, combined, horizon)
