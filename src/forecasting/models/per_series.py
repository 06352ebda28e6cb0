"""Base of the models that fit one series at a time (statsmodels, Prophet), with fallback.

:class:`PerSeriesModel` loops over the rows of a batch, cuts each series to its launch (leading
``NaN`` dropped), and hands the rest to the subclass's :meth:`PerSeriesModel.fit_one`. A row
that raises, returns non-finite numbers, has fewer than ``min_observations`` observed periods or
a constant history (nothing to fit; common for all-zero series) does not fail the batch: it is forecast by the fallback model (a vectorised
:class:`~forecasting.models.baselines.MovingAverageModel` by default, negative-binomial quantiles
around the recent mean), and recorded:

- ``model.fallback_rows``: ``list[int]``, batch row positions that fell back in the last
  :meth:`forecast` call (empty when none);
- ``model.fallback_reasons``: ``dict[int, str]``, row position → one-line reason.

The backtest / engine reads these attributes right after each ``forecast`` call (the arrays
contract :class:`~forecasting.models.base.ForecastArrays` is unchanged).
"""

from __future__ import annotations

import warnings
from abc import abstractmethod
from collections.abc import Sequence

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from forecasting.models.base import ForecastArrays, ForecastModel, SeriesBatch
from forecasting.models.distributions import assemble, check_request


class PerSeriesModel(ForecastModel):
    """A model fitted series by series; subclasses implement :meth:`fit_one`.

    Parameters
    ----------
    min_observations : int
        Observed periods (after launch) a series needs; shorter ones use the fallback.
    fallback : ForecastModel, optional
        Model for rows that fail; default ``MovingAverageModel()``.
    """

    per_series = True

    def __init__(self, min_observations: int = 8, fallback: ForecastModel | None = None) -> None:
        from forecasting.models.baselines import MovingAverageModel

        self.min_observations = int(min_observations)
        self.fallback = fallback if fallback is not None else MovingAverageModel()
        self.fallback_rows: list[int] = []
        self.fallback_reasons: dict[int, str] = {}

    def prepare(self) -> None:  # noqa: B027 - optional hook, empty by default
        """Import heavy libraries once per :meth:`forecast`, before the per-series warnings are
        silenced (an import inside the silenced block would install its own filters there)."""

    @abstractmethod
    def fit_one(
        self,
        y: np.ndarray,
        dates: pd.DatetimeIndex,
        batch: SeriesBatch,
        promo: np.ndarray | None,
        horizon: int,
        levels: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Fit one series and forecast it.

        Parameters
        ----------
        y : ndarray, shape (n,)
            Demand from launch on (units); interior and trailing ``NaN`` = unknown.
        dates : DatetimeIndex, length n
            Period dates of ``y``.
        batch : SeriesBatch
            The whole batch (for ``freq``, ``season_length``).
        promo : ndarray, shape (n + horizon,), optional
            Promotion flags over ``y``'s periods and the horizon.
        horizon : int
        levels : ndarray
            Quantile levels.

        Returns
        -------
        mean : ndarray, shape (horizon,)
        quantiles : ndarray, shape (horizon, n_quantiles)
        """

    def forecast(
        self, batch: SeriesBatch, horizon: int, quantiles: Sequence[float]
    ) -> ForecastArrays:
        """Fit every row; rows that fail use the fallback (see module docstring)."""
        values = np.asarray(batch.values, dtype=float)
        levels = check_request(values, horizon, quantiles)
        n, t = values.shape
        mean = np.zeros((n, horizon))
        qs = np.zeros((n, horizon, levels.size))
        reasons: dict[int, str] = {}
        observed = np.isfinite(values)
        self.prepare()
        # one BLAS thread: these fits use tiny matrices, and threaded BLAS on a busy machine
        # oversubscribes the cores (measured: SARIMAX 16 s → 0.3 s per series under load)
        with threadpool_limits(limits=1):
            self._fit_rows(batch, values, observed, horizon, levels, mean, qs, reasons)
        self.fallback_rows = sorted(reasons)
        self.fallback_reasons = reasons
        if reasons:
            rows = np.array(self.fallback_rows)
            fb = self.fallback.forecast(batch.take(rows), horizon, levels)
            mean[rows], qs[rows] = fb.mean, fb.quantiles
        return assemble(mean, qs, horizon)

    def _fit_rows(
        self,
        batch: SeriesBatch,
        values: np.ndarray,
        observed: np.ndarray,
        horizon: int,
        levels: np.ndarray,
        mean: np.ndarray,
        qs: np.ndarray,
        reasons: dict[int, str],
    ) -> None:
        """Fill ``mean`` and ``qs`` row by row; failing rows go into ``reasons``."""
        for row in range(values.shape[0]):
            if observed[row].sum() < self.min_observations:
                reasons[row] = f"{int(observed[row].sum())} observed periods, fewer than "
                reasons[row] += f"{self.min_observations}"
                continue
            seen = values[row, observed[row]]
            if seen.min() == seen.max():
                reasons[row] = f"constant history ({seen[0]:g} units every observed period)"
                continue
            start = int(np.argmax(observed[row]))
            promo = None
            if batch.promo is not None:
                # history + horizon; future periods the input did not cover count as no promotion
                promo = np.zeros(values.shape[1] - start + horizon)
                known = np.nan_to_num(np.asarray(batch.promo[row, start:], dtype=float))
                promo[: min(promo.size, known.size)] = known[: promo.size]
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    m, q = self.fit_one(
                        values[row, start:], batch.dates[start:], batch, promo, horizon, levels
                    )
                m, q = np.asarray(m, dtype=float), np.asarray(q, dtype=float)
                if m.shape != (horizon,) or q.shape != (horizon, levels.size):
                    raise ValueError(f"bad output shapes {m.shape}, {q.shape}")
                if not (np.isfinite(m).all() and np.isfinite(q).all()):
                    raise ValueError("non-finite forecast")
                mean[row], qs[row] = m, np.sort(q, axis=-1)
            except Exception as exc:  # noqa: BLE001 - one series must not fail the batch
                reasons[row] = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]


def trailing_unknown(y: np.ndarray) -> int:
    """Number of ``NaN`` periods at the end of ``y`` (censored up to the forecast origin).

    Examples
    --------
    >>> trailing_unknown(np.array([1.0, np.nan, 2.0, np.nan, np.nan]))
    2
    """
    finite = np.flatnonzero(np.isfinite(y))
    return int(len(y) - 1 - finite[-1]) if finite.size else len(y)
