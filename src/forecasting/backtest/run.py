"""``auto_forecast``: backtest every candidate, calibrate, choose per series, forecast.

Flow: history → :class:`SeriesBatch` (``series.py``) → demand class and candidates per series
(``select.py``) → series grouped by candidate set and cut into fixed-size chunks (one chunk of up
to 20,000 where every candidate is vectorised, see :data:`POOLED_CHUNK_SIZE`) → every chunk runs
every candidate over the rolling-origin windows and the future (``windows.py``), on the chosen
backend (``forecasting.engine``) → quantiles calibrated on the backtest (``calibrate.py``) →
metrics (``metrics.py``) → the model with the lowest backtest quantile loss per series (or per
demand class for short series) → output frames.

A history too short for even one backtest window (fewer than ``horizon + 2`` periods, see
:func:`~forecasting.backtest.windows.rolling_origin_cutoffs`) is not refused: every series is
forecast by one model without a backtest (:data:`NO_BACKTEST_MODEL` for ``models="auto"``, else
the first model named), its quantiles uncalibrated, and :attr:`ForecastRun.notes` says so. A
seller's first weeks of data, or a new marketplace, still get a forecast.

Chunk boundaries depend only on the data (never on ``jobs``), so sequential, process-pool and Dask
runs give identical numbers.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from forecasting.backtest import calibrate as cal
from forecasting.backtest import metrics as mt
from forecasting.backtest import select as _select
from forecasting.backtest.select import (
    COMBINATION,
    auto_candidates,
    choose_models,
    demand_class,
)
from forecasting.backtest.select import describe_choice as _describe
from forecasting.backtest.series import history_to_batch
from forecasting.backtest.windows import (
    DEFAULT_WINDOWS,
    WindowForecasts,
    forecast_windows,
    rolling_origin_cutoffs,
    window_actuals,
)
from forecasting.engine import run_tasks
from forecasting.errors import InputError
from forecasting.models.base import ForecastModel, SeriesBatch
from forecasting.schema import (
    CUTOFF,
    DATE,
    DEFAULT_QUANTILES,
    MEAN,
    MODEL,
    UNITS,
    quantile_columns,
)

#: series per task where a candidate fits one series at a time (per-series models, model
#: instances); fixed so that results do not depend on the number of workers
CHUNK_SIZE = 256
#: series per task where every candidate is a vectorised registry model. Those pool across the
#: series of their batch (smoothing constants, dispersion prior, Poisson–gamma prior), and pooled
#: estimates are better from more series: on carparts (2,490 intermittent parts) one batch instead
#: of chunks of 256 took WQL from 0.875 to 0.873, and TSB alone from 0.893 to 0.877 (``bench/
#: README.md``). They forecast 10,000 series in well under a second, so little parallelism is lost.
POOLED_CHUNK_SIZE = 20_000
METRIC_COLUMNS = ("mase", "rmsse", "wql", "qloss", "bias", "coverage")
#: the model of ``models="auto"`` when the history is too short to backtest: a demand rate per
#: series, discounted towards the recent past and shrunk to an empirical-Bayes prior pooled over
#: the batch (``models/poisson_gamma.py``), with negative-binomial quantiles. It is a candidate
#: of every demand class, needs no season and is defined from the first observed period.
NO_BACKTEST_MODEL = "poisson_gamma"
#: fewest training periods of a backtest window on a young history (``windows.
#: rolling_origin_cutoffs``' default), used only when not one window fits a season's training
MIN_TRAIN_PERIODS = 2
#: every backtest window trains on at least one season plus this many periods where the history
#: allows (windows that would train on less are dropped, not squeezed): the least on which the
#: window's seasonal-naive scale (MASE, RMSSE) and a seasonal index are defined. Set on that
#: principle, not on any benchmark result (a 3-month oldest window on carparts was the flaw).
SEASON_TRAIN_EXTRA = 1
#: calendar alias → the word for its periods in notes
PERIOD_WORDS = {"D": "days", "W": "weeks", "M": "months"}


@dataclass(frozen=True)
class ForecastRun:
    """Result of :func:`auto_forecast`.

    Attributes
    ----------
    forecast : DataFrame
        ``sku, [marketplace], date, model, mean, p10 … p90``: one row per series and future period
        from the chosen model (units per period). ``mean`` is the model's own; the quantiles are
        calibrated on the backtest, so in rare cases the mean lies outside the p10–p90 band.
    backtest : DataFrame
        ``sku, [marketplace], cutoff, date, model, units, mean, p10 …``: every candidate on every
        window (calibrated quantiles); ``units`` is the actual (NaN = unknown).
    metrics : DataFrame
        Per series × model: ``mase, rmsse, wql, qloss`` (mean pinball loss, units), ``bias``,
        ``coverage_<band>`` (share of actuals inside the outermost quantile band), ``n_obs``,
        ``failed`` (model fell back to the safety net).
    choice : DataFrame
        Per series: ``model, demand_class, chosen_by, candidates, scores`` (``model=qloss`` …),
        ``reason``.
    calibration : dict of str to Calibration
        Model alias → :class:`~forecasting.backtest.calibrate.Calibration` used on its forecasts.
    cutoffs : DatetimeIndex
        Last training date of every backtest window (empty: no backtest).
    freq : str
        Calendar of the forecast (pandas alias).
    notes : tuple of str
        What the run could not do and what it did instead (e.g. no backtest on a short history).
    window_choice : DataFrame or None
        ``sku, [marketplace], cutoff, model, demand_class, chosen_by``: the model ``auto`` would
        have chosen at every backtest cutoff from what was known then (no look-ahead; scoring the
        window with it measures the selection out of sample).
    window_calibration : dict of str to dict of Timestamp to Calibration or None
        Model alias → {cutoff date → Calibration or None}: the correction applied to that
        window's backtest quantiles, fitted on earlier windows only.
    """

    forecast: pd.DataFrame
    backtest: pd.DataFrame
    metrics: pd.DataFrame
    choice: pd.DataFrame
    calibration: dict[str, cal.Calibration]
    cutoffs: pd.DatetimeIndex
    freq: str
    notes: tuple[str, ...] = ()
    window_choice: pd.DataFrame | None = None
    window_calibration: dict[str, dict[pd.Timestamp, cal.Calibration | None]] = field(
        default_factory=dict
    )


@dataclass(frozen=True)
class BacktestSettings:
    """How :func:`auto_forecast` backtests the candidate models and chooses among them.

    Attributes
    ----------
    n_windows : int, default :data:`~forecasting.backtest.windows.DEFAULT_WINDOWS`
        Rolling-origin backtest windows, each ``horizon`` periods long; fewer where the history
        is too short for them, none where it is too short for one (then one model without a
        backtest; the run's ``notes`` say so).
    select : {"auto", "series", "class"}
        How the model is chosen (:func:`select.choose_models`): per series where its backtest is
        informative, else per demand class (``auto``); always per series; always per class.
    calibrate : bool, default True
        Correct quantiles on backtest residuals (:mod:`forecasting.backtest.calibrate`).
    combine : bool, default True
        Add the ``combination`` of each series' candidates (median of their calibrated
        quantiles) as one more candidate, chosen unless a single model beats it on the backtest
        by more than :data:`select.COMBINATION_MARGIN`.
    season_length : int, optional
        Periods per season (default by calendar: 7 days, 52 weeks, 12 months).

    Examples
    --------
    >>> BacktestSettings().n_windows, BacktestSettings(select="class").select
    (3, 'class')
    """

    n_windows: int = DEFAULT_WINDOWS
    select: Literal["auto", "series", "class"] = "auto"
    calibrate: bool = True
    combine: bool = True
    season_length: int | None = None

    def __post_init__(self) -> None:
        if self.select not in ("auto", "series", "class"):
            raise InputError(
                f"select must be auto, series or class, got {self.select!r}", column="select"
            )


@dataclass(frozen=True)
class ComputeSettings:
    """Where :func:`auto_forecast` runs its chunks of series; never changes the numbers.

    Attributes
    ----------
    jobs : int, default 1
        Worker processes (:func:`forecasting.engine.resolve_jobs`; -1 = all CPUs).
    backend : {"local", "dask"}
        This machine's processes or a Dask cluster.
    progress : bool or None, default False
        Progress bar on stderr (``None``: when stderr is a terminal).
    """

    jobs: int = 1
    backend: Literal["local", "dask"] = "local"
    progress: bool | None = False


def _resolve_models(spec: str | Sequence[str | ForecastModel]) -> list[str | ForecastModel]:
    if isinstance(spec, str):
        spec = [s.strip() for s in spec.split(",") if s.strip()]
    out: list[str | ForecastModel] = []
    if any(isinstance(m, str) and m != "auto" for m in spec):
        from forecasting.models.registry import available_models

        known = set(available_models())
        for m in spec:
            if isinstance(m, str) and m != "auto" and m not in known:
                raise InputError(
                    f"unknown model {m!r}; available: auto, {', '.join(sorted(known))}",
                    column="models",
                )
    out.extend(spec)
    if not out:
        raise InputError("no model given", column="models")
    return out


def usable_models() -> list[str]:
    """Registered model aliases whose code and libraries import in this environment."""
    from forecasting.models.registry import available_models, get_model

    out = []
    for name in available_models():
        try:
            get_model(name)
        except (ImportError, InputError):
            continue
        out.append(name)
    return out


def _alias(m: str | ForecastModel) -> str:
    return m if isinstance(m, str) else m.alias


def _instantiate(m: str | ForecastModel) -> ForecastModel:
    if isinstance(m, ForecastModel):
        return m
    from forecasting.models.registry import get_model

    return get_model(m)


def _chunk_size(models: Sequence[str | ForecastModel]) -> int:
    """Series per task: :data:`POOLED_CHUNK_SIZE` when every model is a vectorised registry alias."""
    from forecasting.models.registry import is_per_series

    pooled = all(isinstance(m, str) and not is_per_series(m) for m in models)
    return POOLED_CHUNK_SIZE if pooled else CHUNK_SIZE


def _chunk_task(
    task: tuple[SeriesBatch, list[str | ForecastModel], int, tuple[float, ...], np.ndarray],
) -> dict[str, WindowForecasts]:
    """Worker: every candidate of one chunk over all windows (module-level: picklable)."""
    batch, models, horizon, quantiles, cutoffs = task
    return {
        _alias(m): forecast_windows(_instantiate(m), batch, horizon, quantiles, cutoffs)
        for m in models
    }


def _check_horizon(horizon: int) -> int:
    if int(horizon) < 1:
        raise InputError(f"horizon must be at least 1 period, got {horizon}", column="horizon")
    return int(horizon)


def _check_quantiles(quantiles: Sequence[float]) -> tuple[float, ...]:
    qs = tuple(float(q) for q in quantiles)
    for q in qs:
        if not 0.0 < q < 1.0:
            raise InputError(f"quantile {q} is outside (0, 1)", column="quantiles")
    if not qs or list(qs) != sorted(set(qs)):
        raise InputError("quantiles must be distinct and ascending", column="quantiles")
    return qs


def auto_forecast(
    history: pd.DataFrame,
    horizon: int,
    *,
    freq: str | None = None,
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    models: str | Sequence[str | ForecastModel] = "auto",
    backtest: BacktestSettings | None = None,
    compute: ComputeSettings | None = None,
    file: str | Path | None = None,
    model_params: Mapping[str, Mapping[str, object]] | None = None,
) -> ForecastRun:
    """Backtest candidate models, choose one per series and forecast ``horizon`` periods.

    Steps: batch and cutoffs → :func:`_candidates_per_series` → :func:`_run_candidates` (every
    window and the future) → :func:`_calibrate_candidates` → combination → :func:`_choose`.

    Parameters
    ----------
    history : DataFrame
        Long demand history ``sku, [marketplace], date, units, [in_stock], [promo]`` (units per
        period; see :func:`~forecasting.backtest.series.history_to_batch` for the rules).
    horizon : int
        Periods to forecast (days, weeks or months, by the calendar); also the backtest horizon.
    freq : {"D", "W", "M"}, optional
        Calendar; inferred from the dates when omitted.
    quantiles : sequence of float
        Quantile levels of the output, ascending in (0, 1).
    models : "auto", comma-separated aliases, or a list of aliases / ForecastModel instances
        ``"auto"`` picks candidates by demand class (:data:`select.AUTO_CANDIDATES`).
    backtest : BacktestSettings, optional
        Windows, choice rule, calibration, combination, season; default ``BacktestSettings()``.
    compute : ComputeSettings, optional
        Workers, backend, progress bar; default one process. Never changes the numbers.
    file : str or Path, optional
        Input file name, for error messages.
    model_params : mapping, optional
        Model alias → constructor parameters (:func:`forecasting.models.registry.get_model`) for
        the models chosen by name, e.g. ``{"prophet": {"events": calendar}}``.

    Returns
    -------
    ForecastRun
    """
    settings = backtest if backtest is not None else BacktestSettings()
    horizon, qs = _check_horizon(horizon), _check_quantiles(quantiles)
    batch = history_to_batch(history, freq=freq, season_length=settings.season_length, file=file)
    spec = _resolve_models(models)
    cutoffs, notes = _backtest_cutoffs(
        len(batch.dates), horizon, settings.n_windows, batch.freq, batch.season_length
    )
    classes = demand_class(batch.values)
    cands, notes = _candidates_per_series(batch, spec, classes, cutoffs, notes)
    names, objects = _candidate_models(cands, model_params)
    paths = _run_candidates(
        batch, cands, names, objects, horizon, qs, cutoffs, compute or ComputeSettings()
    )
    actual = window_actuals(batch.values, cutoffs, horizon)
    # what was known at each backtest cutoff: demand classes from the periods before it only
    classes_at = [demand_class(batch.values[:, : int(c)]) for c in cutoffs]
    calibrations, window_cal = {}, {}
    if settings.calibrate and len(cutoffs):
        calibrations, window_cal = _calibrate_candidates(
            paths, names, actual, qs, cutoffs, classes, classes_at
        )
    prefer = None
    if settings.combine and len(names) > 1:
        paths, names, prefer = _add_combination(paths), [*names, COMBINATION], len(names)
    scores = _metrics(batch, actual, cutoffs, paths.backtest_mean, paths.backtest_quantiles, qs)
    qloss = scores[:, :, METRIC_COLUMNS.index("qloss")].T  # (n, k)
    chosen, chosen_by = _choose(batch, names, classes, actual, qloss, settings.select, prefer)
    at_cutoff = _choices_at_cutoffs(
        batch, names, qs, cutoffs, actual, paths, classes_at, settings.select, prefer
    )
    run = _assemble(
        batch, names, qs, cutoffs, actual, paths, scores, qloss, chosen, chosen_by, classes, notes
    )  # fmt: skip
    by_date = {alias: dict(zip(run.cutoffs, c, strict=True)) for alias, c in window_cal.items()}
    return replace(
        run, calibration=calibrations, window_choice=at_cutoff, window_calibration=by_date
    )


def _candidates_per_series(
    batch: SeriesBatch,
    spec: list[str | ForecastModel],
    classes: np.ndarray,
    cutoffs: np.ndarray,
    notes: tuple[str, ...],
) -> tuple[list[tuple[str | ForecastModel, ...]], tuple[str, ...]]:
    """Candidate models of every series, and the notes (extended when there is no backtest).

    Too short to backtest: one model for every series (:data:`NO_BACKTEST_MODEL` for ``"auto"``,
    else the first model named), named in the notes. ``"auto"``: candidates by demand class
    (:func:`select.auto_candidates`). Named models: all of them for every series.
    """
    if not len(cutoffs):  # too short to backtest: one model, named in the notes
        only = NO_BACKTEST_MODEL if spec == ["auto"] else next(m for m in spec if m != "auto")
        notes = (f"{notes[0]}; forecast by {_alias(only)}, quantiles uncalibrated",)
        return [(only,)] * batch.n_series, notes
    if spec == ["auto"]:
        observed = np.isfinite(batch.values).sum(axis=1)
        volume = np.nansum(batch.values, axis=1)
        cands = auto_candidates(classes, observed, volume, batch.season_length, usable_models())
        return cands, notes
    named = tuple(m for m in spec if m != "auto")
    return [named] * batch.n_series, notes


def _candidate_models(
    cands: Sequence[tuple[str | ForecastModel, ...]],
    model_params: Mapping[str, Mapping[str, object]] | None,
) -> tuple[list[str], dict[str, str | ForecastModel]]:
    """Every candidate's alias (first-seen order) and alias → alias or model instance to run.

    Models named in ``model_params`` become instances built with those parameters.
    """
    names = list(dict.fromkeys(_alias(m) for c in cands for m in c))
    objects = {_alias(m): m for c in cands for m in c}
    for alias, params in (model_params or {}).items():
        if isinstance(objects.get(alias), str):
            from forecasting.models.registry import get_model

            objects[alias] = get_model(alias, **params)
    return names, objects


@dataclass(frozen=True)
class _CandidatePaths:
    """Every candidate's forecasts in units per period (NaN where not a candidate of a series).

    Shapes: ``backtest_mean`` (models, windows, series, horizon), ``backtest_quantiles`` the same
    × quantile levels, ``mean`` (models, series, horizon), ``quantiles`` the same × levels,
    ``failed`` (models, series): the model fell back to the safety net.
    """

    backtest_mean: np.ndarray
    backtest_quantiles: np.ndarray
    mean: np.ndarray
    quantiles: np.ndarray
    failed: np.ndarray


def _run_candidates(
    batch: SeriesBatch,
    cands: Sequence[tuple[str | ForecastModel, ...]],
    names: list[str],
    objects: Mapping[str, str | ForecastModel],
    horizon: int,
    qs: tuple[float, ...],
    cutoffs: np.ndarray,
    compute: ComputeSettings,
) -> _CandidatePaths:
    """Every candidate over every backtest window and the future, chunk by chunk.

    Series with the same candidates form a group, cut into chunks of :func:`_chunk_size` series
    (fixed by the data, never by ``jobs``); the chunks run on ``compute``'s backend.
    """
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, c in enumerate(cands):
        groups.setdefault(tuple(_alias(m) for m in c), []).append(i)
    tasks, rows_of = [], []
    for key, rows in groups.items():
        size = _chunk_size([objects[k] for k in key])
        for start in range(0, len(rows), size):
            part = rows[start : start + size]
            tasks.append((batch.take(part), [objects[k] for k in key], horizon, qs, cutoffs))
            rows_of.append(np.array(part))
    results = run_tasks(
        _chunk_task, tasks, jobs=compute.jobs, backend=compute.backend, progress=compute.progress
    )
    n, n_w, n_q, k = batch.n_series, len(cutoffs), len(qs), len(names)
    paths = _CandidatePaths(
        backtest_mean=np.full((k, n_w, n, horizon), np.nan),
        backtest_quantiles=np.full((k, n_w, n, horizon, n_q), np.nan),
        mean=np.full((k, n, horizon), np.nan),
        quantiles=np.full((k, n, horizon, n_q), np.nan),
        failed=np.zeros((k, n), bool),
    )
    for rows, res in zip(rows_of, results, strict=True):
        for alias, wf in res.items():
            j = names.index(alias)
            paths.backtest_mean[j][:, rows] = wf.backtest_mean
            paths.backtest_quantiles[j][:, rows] = wf.backtest_quantiles
            paths.mean[j][rows], paths.quantiles[j][rows] = wf.mean, wf.quantiles
            paths.failed[j][rows] = wf.failed
    return paths


def _calibrate_candidates(
    paths: _CandidatePaths,
    names: list[str],
    actual: np.ndarray,
    qs: tuple[float, ...],
    cutoffs: np.ndarray,
    classes: np.ndarray,
    classes_at: list[np.ndarray],
) -> tuple[dict[str, cal.Calibration], dict[str, list[cal.Calibration | None]]]:
    """Calibrate every candidate's quantiles in place; its calibration, and each window's.

    The future's quantiles use the calibration fitted on all windows; each backtest window's use
    one fitted on the earlier windows only (:func:`calibrate.calibrate_as_of_cutoffs`, no
    look-ahead). Groups are demand classes (by volume tercile as well scored worse on carparts,
    ``bench/README.md``).
    """
    calibrations: dict[str, cal.Calibration] = {}
    window_cal: dict[str, list[cal.Calibration | None]] = {}
    for j, alias in enumerate(names):
        has = np.isfinite(paths.mean[j]).all(axis=1)
        if not has.any():
            continue
        a, m = actual[:, has], paths.backtest_mean[j][:, has]
        q = paths.backtest_quantiles[j][:, has]
        calibrations[alias] = cal.fit_calibration(a, m, q, qs, classes[has])
        paths.backtest_quantiles[j][:, has], window_cal[alias] = cal.calibrate_as_of_cutoffs(
            a, m, q, qs, cutoffs, [c[has] for c in classes_at]
        )
        paths.quantiles[j][has] = cal.apply_calibration(
            calibrations[alias], paths.mean[j][has], paths.quantiles[j][has], classes[has]
        )
    return calibrations, window_cal


def _choose(
    batch: SeriesBatch,
    names: list[str],
    classes: np.ndarray,
    actual: np.ndarray,
    qloss: np.ndarray,
    select: str,
    prefer: int | None,
) -> tuple[np.ndarray, np.ndarray]:
    """The chosen model (index into ``names``) of every series and what chose it.

    A series' backtest is informative when at least half of its backtest periods are observed
    and some demand fell in them (:func:`select.choose_models`); without a backtest every series
    is ``"no backtest"``.
    """
    n_w, horizon = actual.shape[0], actual.shape[-1]
    has_actual = np.isfinite(actual).sum(axis=(0, 2))
    informative = (has_actual >= n_w * horizon / 2) & (np.nansum(actual, axis=(0, 2)) > 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # never-observed series: NaN → 0
        scale = np.nanmean(batch.values, axis=1)
    chosen, chosen_by = choose_models(
        qloss, names, classes, informative, np.nan_to_num(scale), per=select,
        prefer=prefer, margin=_select.COMBINATION_MARGIN,
    )  # fmt: skip
    if not n_w:
        chosen_by = np.full(batch.n_series, "no backtest", dtype=object)
    return chosen, chosen_by


def _choices_at_cutoffs(
    batch: SeriesBatch,
    names: list[str],
    qs: tuple[float, ...],
    cutoffs: np.ndarray,
    actual: np.ndarray,
    paths: _CandidatePaths,
    classes_at: list[np.ndarray],
    select: str,
    prefer: int | None,
) -> pd.DataFrame:
    """The model ``auto`` would have chosen at every backtest cutoff, from what was known then.

    At cutoff ``k`` the choice uses only the earlier windows whose actuals precede it, the demand
    classes and mean demand of the periods before it, and the calibrated quantiles of those
    windows (themselves calibrated as of their own cutoffs). Where no earlier window exists the
    choice is the one made without a backtest (:data:`NO_BACKTEST_MODEL` when it is a candidate,
    else the first candidate). Scoring each window's forecast by the model chosen at its cutoff
    measures the selection itself, out of sample.
    """
    keys = batch.keys.reset_index(drop=True)
    n, h = batch.n_series, actual.shape[-1]
    bt_mean, bt_q = paths.backtest_mean, paths.backtest_quantiles
    cut_dates = batch.dates[np.asarray(cutoffs, dtype=int) - 1]
    frames = []
    cand = np.isfinite(bt_mean).all(axis=(1, 3)).T  # (n, k): a candidate of the series
    for w, c in enumerate(cutoffs):
        known = np.array([int(cutoffs[j]) + h <= int(c) for j in range(len(cutoffs))])
        if known.any():
            scores = _metrics(
                batch, actual[known], np.asarray(cutoffs)[known], bt_mean[:, known],
                bt_q[:, known], qs,
            )  # fmt: skip
            qloss = scores[:, :, METRIC_COLUMNS.index("qloss")].T
            past = actual[known]
            informative = (np.isfinite(past).sum(axis=(0, 2)) >= known.sum() * h / 2) & (
                np.nansum(past, axis=(0, 2)) > 0
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # never observed: NaN → 0
                scale = np.nan_to_num(np.nanmean(batch.values[:, : int(c)], axis=1))
            chosen, by = choose_models(
                qloss, names, classes_at[w], informative, scale, per=select, prefer=prefer,
                margin=_select.COMBINATION_MARGIN,
            )  # fmt: skip
        else:
            first = np.argmax(cand, axis=1)
            if NO_BACKTEST_MODEL in names:
                j0 = names.index(NO_BACKTEST_MODEL)
                first = np.where(cand[:, j0], j0, first)
            chosen, by = first, np.full(n, "no backtest", dtype=object)
        part = keys.copy()
        part[CUTOFF] = cut_dates[w]
        part[MODEL] = np.array(names, dtype=object)[chosen]
        part["demand_class"] = classes_at[w]
        part["chosen_by"] = by
        frames.append(part)
    if not frames:
        return pd.DataFrame(columns=[*keys.columns, CUTOFF, MODEL, "demand_class", "chosen_by"])
    return pd.concat(frames, ignore_index=True)


def min_backtest_periods(horizon: int) -> int:
    """Fewest periods of history for one rolling-origin backtest window of ``horizon`` periods.

    ``horizon + MIN_TRAIN_PERIODS``: the window trains on at least 2 periods and is scored on
    ``horizon`` periods (see :func:`~forecasting.backtest.windows.rolling_origin_cutoffs`).

    Examples
    --------
    >>> min_backtest_periods(28)
    30
    """
    return int(horizon) + MIN_TRAIN_PERIODS


def _backtest_cutoffs(
    n_periods: int, horizon: int, n_windows: int, freq: str, season_length: int = 1
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Cutoffs of the backtest that fits the history, and a note when it is less than asked.

    Windows ``horizon`` periods apart, each training on at least ``season_length +``
    :data:`SEASON_TRAIN_EXTRA` periods: ``n_windows`` where they fit, else as many as fit. When
    not even one fits, a young history still gets a backtest as before: as many windows as fit
    with :data:`MIN_TRAIN_PERIODS` of training, their steps shrunk (at least one); none when even
    one does not fit (the note then says how many periods there are and how many are needed).
    """
    word = PERIOD_WORDS.get(freq[:1], "periods")
    needed = min_backtest_periods(horizon)
    if n_periods < needed:
        return np.zeros(0, dtype=int), (
            f"no backtest: {count_of(n_periods, word)} of history, at least {needed} needed for "
            f"a {horizon}-{word.rstrip('s')} horizon",
        )
    min_train = max(MIN_TRAIN_PERIODS, int(season_length) + SEASON_TRAIN_EXTRA)
    room = n_periods - horizon - min_train
    if room >= 0:  # at least one window trains on a full season
        fit = min(int(n_windows), room // horizon + 1)
        cutoffs = rolling_origin_cutoffs(n_periods, horizon, fit, min_train=min_train)
    else:
        fit = min(int(n_windows), n_periods - needed + 1)
        cutoffs = rolling_origin_cutoffs(n_periods, horizon, fit, min_train=MIN_TRAIN_PERIODS)
    if fit == n_windows:
        return cutoffs, ()
    return cutoffs, (
        f"backtest on {fit} of {n_windows} windows: {n_periods} {word} of history are "
        f"too few for more windows of {count_of(horizon, word)}",
    )


def count_of(n: int, word: str) -> str:
    """``"1 day"``, ``"10 days"``: a count and its plural word (``word`` given in the plural).

    Examples
    --------
    >>> count_of(1, "days"), count_of(10, "days")
    ('1 day', '10 days')
    """
    return f"{n} {word.removesuffix('s') if n == 1 else word}"


def _add_combination(paths: _CandidatePaths) -> _CandidatePaths:
    """Append the combination of each series' candidates as one more model (first axis).

    Quantile by quantile the median of the candidates' (calibrated) quantiles, the mean of their
    means: "Vincentization", which keeps the quantiles ordered (Lichtendahl, Grushka-Cockayne &
    Winkler 2013, *Is it better to average probabilities or quantiles?*, Management Science
    59(7)). Combinations of simple methods are hard to beat by selecting one of them (the
    "forecast combination puzzle": Claeskens et al. 2016, IJF 32(3)); on online retail the
    backtest picked a model that was worse than every alternative on the hold-out.
    """
    bt_mean, bt_q, fc_mean, fc_q = (
        paths.backtest_mean, paths.backtest_quantiles, paths.mean, paths.quantiles
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # series with no candidate: NaN
        return _CandidatePaths(
            backtest_mean=np.concatenate([bt_mean, np.nanmean(bt_mean, axis=0)[None]]),
            backtest_quantiles=np.concatenate(
                [bt_q, np.sort(np.nanmedian(bt_q, axis=0), axis=-1)[None]]
            ),
            mean=np.concatenate([fc_mean, np.nanmean(fc_mean, axis=0)[None]]),
            quantiles=np.concatenate([fc_q, np.sort(np.nanmedian(fc_q, axis=0), axis=-1)[None]]),
            failed=np.concatenate([paths.failed, paths.failed.any(axis=0)[None]]),
        )


def _metrics(
    batch: SeriesBatch,
    actual: np.ndarray,
    cutoffs: np.ndarray,
    bt_mean: np.ndarray,
    bt_q: np.ndarray,
    qs: tuple[float, ...],
) -> np.ndarray:
    """Per model × series: the columns of :data:`METRIC_COLUMNS` (NaN where not a candidate)."""
    k, n_w, n, h = bt_mean.shape
    out = np.full((k, n, len(METRIC_COLUMNS)), np.nan)
    if n_w == 0:  # no backtest: nothing to score
        return out
    m = batch.season_length
    for j in range(k):
        if not np.isfinite(bt_mean[j]).any():
            continue
        per_w_mase = np.stack(
            [
                mt.mase(actual[w], bt_mean[j, w], batch.values[:, : cutoffs[w]], m)
                for w in range(n_w)
            ]
        )
        per_w_rmsse = np.stack(
            [
                mt.rmsse(actual[w], bt_mean[j, w], batch.values[:, : cutoffs[w]], m)
                for w in range(n_w)
            ]
        )
        y = actual.transpose(1, 0, 2).reshape(n, n_w * h)
        mean = bt_mean[j].transpose(1, 0, 2).reshape(n, n_w * h)
        quant = bt_q[j].transpose(1, 0, 2, 3).reshape(n, n_w * h, len(qs))
        ql = mt.quantile_loss_sum(y, quant, qs)  # (n, n_q) sums in units
        n_obs = np.isfinite(y).sum(axis=1)
        denom = np.nansum(np.abs(y), axis=1)
        with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows give NaN
            out[j, :, 0] = np.nanmean(np.where(np.isfinite(per_w_mase), per_w_mase, np.nan), axis=0)
            out[j, :, 1] = np.nanmean(per_w_rmsse, axis=0)
            out[j, :, 2] = np.where(denom > 0, (2 * ql / denom[:, None]).mean(axis=1), np.nan)
            out[j, :, 3] = np.where(n_obs > 0, ql.mean(axis=1) / np.maximum(n_obs, 1), np.nan)
        out[j, :, 4] = mt.bias(y, mean)
        out[j, :, 5] = mt.coverage(y, quant[..., 0], quant[..., -1])
        out[j, ~np.isfinite(bt_mean[j]).all(axis=(0, 2))] = np.nan
    return out


def _coverage_name(qs: Sequence[float]) -> str:
    """Metric column of the coverage of the outermost quantile band, e.g. ``coverage_80``."""
    return f"coverage_{round((qs[-1] - qs[0]) * 100):g}"


def _assemble(
    batch: SeriesBatch,
    names: list[str],
    qs: tuple[float, ...],
    cutoffs: np.ndarray,
    actual: np.ndarray,
    paths: _CandidatePaths,
    scores: np.ndarray,
    qloss: np.ndarray,
    chosen: np.ndarray,
    chosen_by: np.ndarray,
    classes: np.ndarray,
    notes: Sequence[str] = (),
) -> ForecastRun:
    """Long output frames of :class:`ForecastRun` from the arrays of :func:`auto_forecast`.

    The calibrations and the choices at every cutoff are added by the caller.
    """
    keys = batch.keys.reset_index(drop=True)
    n, h = batch.n_series, paths.mean.shape[-1]
    qcols = quantile_columns(qs)
    rows = np.arange(n)

    fc = keys.loc[np.repeat(rows, h)].reset_index(drop=True)
    fc[DATE] = np.tile(batch.future_dates(h).to_numpy(), n)
    fc[MODEL] = np.repeat(np.array(names, dtype=object)[chosen], h)
    fc[MEAN] = paths.mean[chosen, rows].reshape(-1)
    fc[qcols] = paths.quantiles[chosen, rows].reshape(n * h, len(qs))

    choice = keys.copy()
    choice[MODEL] = np.array(names, dtype=object)[chosen]
    choice["demand_class"] = classes
    choice["chosen_by"] = chosen_by
    described = [_describe(qloss[i], names, int(chosen[i]), chosen_by[i]) for i in range(n)]
    choice["candidates"] = [
        ";".join(nm for nm, v in zip(names, qloss[i], strict=True) if np.isfinite(v))
        for i in range(n)
    ]
    choice["scores"] = [d[0] for d in described]
    choice["reason"] = [d[1] for d in described] if len(cutoffs) else notes[0]
    choice["fallback"] = paths.failed[chosen, rows]
    return ForecastRun(
        forecast=fc,
        backtest=_backtest_frame(batch, names, qs, cutoffs, actual, paths),
        metrics=_metrics_frame(batch, names, qs, cutoffs, actual, paths, scores),
        choice=choice,
        calibration={},
        cutoffs=pd.DatetimeIndex(batch.dates[np.asarray(cutoffs) - 1]),
        freq=batch.freq,
        notes=tuple(notes),
    )


def _backtest_frame(
    batch: SeriesBatch,
    names: list[str],
    qs: tuple[float, ...],
    cutoffs: np.ndarray,
    actual: np.ndarray,
    paths: _CandidatePaths,
) -> pd.DataFrame:
    """:attr:`ForecastRun.backtest`: every candidate of every series on every window."""
    keys = batch.keys.reset_index(drop=True)
    h = paths.mean.shape[-1]
    qcols = quantile_columns(qs)
    cut_dates = batch.dates[np.asarray(cutoffs) - 1]
    parts = []
    for j, alias in enumerate(names):
        cand = np.flatnonzero(np.isfinite(paths.mean[j]).all(axis=1))
        for w in range(len(cutoffs)):
            dates = pd.date_range(cut_dates[w], periods=h + 1, freq=batch.freq)[1:]
            part = keys.loc[np.repeat(cand, h)].reset_index(drop=True)
            part[CUTOFF] = cut_dates[w]
            part[DATE] = np.tile(dates.to_numpy(), len(cand))
            part[MODEL] = alias
            part[UNITS] = actual[w, cand].reshape(-1)
            part[MEAN] = paths.backtest_mean[j, w, cand].reshape(-1)
            part[qcols] = paths.backtest_quantiles[j, w, cand].reshape(-1, len(qs))
            parts.append(part)
    bt_columns = [*keys.columns, CUTOFF, DATE, MODEL, UNITS, MEAN, *qcols]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=bt_columns)


def _metrics_frame(
    batch: SeriesBatch,
    names: list[str],
    qs: tuple[float, ...],
    cutoffs: np.ndarray,
    actual: np.ndarray,
    paths: _CandidatePaths,
    scores: np.ndarray,
) -> pd.DataFrame:
    """:attr:`ForecastRun.metrics`: per series × candidate (no rows without a backtest)."""
    keys = batch.keys.reset_index(drop=True)
    cov_name = _coverage_name(qs)
    mparts = []
    for j, alias in enumerate(names):
        cand = np.flatnonzero(np.isfinite(paths.mean[j]).all(axis=1))
        part = keys.loc[cand].reset_index(drop=True)
        part[MODEL] = alias
        for c, col in enumerate(METRIC_COLUMNS):
            part[cov_name if col == "coverage" else col] = scores[j, cand, c]
        part["n_obs"] = np.isfinite(actual[:, cand]).sum(axis=(0, 2))
        part["failed"] = paths.failed[j, cand]
        mparts.append(part if len(cutoffs) else part.iloc[:0])  # no backtest: no scores
    return pd.concat(mparts, ignore_index=True)


def combine_runs(
    runs: Sequence[ForecastRun],
    *,
    keys: Sequence[str] = ("sku", "marketplace"),
    quantiles: Sequence[float] = DEFAULT_QUANTILES,
    freq: str = "D",
    notes: Sequence[str] = (),
) -> ForecastRun:
    """One :class:`ForecastRun` from runs over disjoint sets of series (or none).

    The frames are stacked; calibrations and cutoffs come from the first run that has them
    (the main, backtested batch); ``notes`` come first, then every run's own notes. With no run,
    every frame is empty but has its columns, so a caller reads an empty run like a full one.

    Parameters
    ----------
    runs : sequence of ForecastRun
        Runs of one calendar on disjoint series.
    keys : sequence of str
        Key columns of the series (for the empty frames).
    quantiles : sequence of float
        Quantile levels (for the empty frames' columns).
    freq : str
        Calendar (pandas alias) when ``runs`` is empty.
    notes : sequence of str
        Notes of the caller, placed before the runs' own.

    Examples
    --------
    >>> empty = combine_runs([], notes=["no series to backtest"])
    >>> list(empty.forecast.columns[:5]), len(empty.choice), empty.notes
    (['sku', 'marketplace', 'date', 'model', 'mean'], 0, ('no series to backtest',))
    """
    qs = tuple(quantiles)
    qcols = quantile_columns(qs)
    k = list(keys)
    scored = [_coverage_name(qs) if c == "coverage" else c for c in METRIC_COLUMNS]
    empty = {
        "forecast": [*k, DATE, MODEL, MEAN, *qcols],
        "backtest": [*k, CUTOFF, DATE, MODEL, UNITS, MEAN, *qcols],
        "metrics": [*k, MODEL, *scored, "n_obs", "failed"],
        "choice": [*k, MODEL, "demand_class", "chosen_by", "candidates", "scores", "reason",
                   "fallback"],
    }  # fmt: skip

    def stack(name: str) -> pd.DataFrame:
        frames = [getattr(r, name) for r in runs if len(getattr(r, name))]
        if not frames:
            return pd.DataFrame(columns=empty[name])
        return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]

    wc = [r.window_choice for r in runs if r.window_choice is not None and len(r.window_choice)]
    backtested = [r for r in runs if len(r.cutoffs)]
    main = backtested[0] if backtested else None
    all_notes = [*notes, *(n for r in runs for n in r.notes)]
    return ForecastRun(
        forecast=stack("forecast"),
        backtest=stack("backtest"),
        metrics=stack("metrics"),
        choice=stack("choice"),
        calibration=dict(main.calibration) if main else {},
        cutoffs=main.cutoffs if main else pd.DatetimeIndex([]),
        freq=main.freq if main else (runs[0].freq if runs else freq),
        notes=tuple(dict.fromkeys(all_notes)),
        window_choice=pd.concat(wc, ignore_index=True) if wc else None,
        window_calibration=dict(main.window_calibration) if main else {},
    )
