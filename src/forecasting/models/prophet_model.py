"""Prophet with the event calendar and promotions (alias ``prophet``), one series at a time.

The conversion to Prophet's format (``ds``, ``y``, ``holiday``) happens only here. Events
(Prime Day, Black Friday, Chinese New Year factory shutdown …) come as a data frame
``date, event`` (optionally ``lower_window``, ``upper_window`` in periods, as Prophet's holidays);
on a weekly or monthly calendar each event date is moved to the start of the period containing it.
Known promotions (``batch.promo``) enter as an extra regressor for series that had both promoted
and normal periods.

Missing values: leading ``NaN`` are cut off; interior and trailing ``NaN`` rows are dropped by
Prophet when fitting (unknown, never zero), and the forecast starts after ``batch.dates[-1]``.

Predictive distribution: ``uncertainty_samples`` draws of Prophet's simulated future (trend
change points + observation noise; Taylor & Letham 2018, *The American Statistician* 72(1)),
truncated at 0 demand; quantiles are the sample quantiles and the mean the mean of the truncated
draws. Draws use NumPy's global generator (Prophet's design), so it is seeded with ``seed`` for
each series and restored afterwards; the Stan optimiser gets the same seed. About 0.1–0.3 s per
series; rows that fail fall back as in :mod:`forecasting.models.per_series`.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from forecasting.errors import InputError
from forecasting.models.base import ForecastModel, SeriesBatch
from forecasting.models.per_series import PerSeriesModel
from forecasting.schema import DATE

#: Column of the event calendar naming the event.
EVENT = "event"


def _import_tqdm_quietly() -> None:
    """Import ``tqdm.auto`` (cmdstanpy and Prophet do at import) without its notebook warning.

    In a Jupyter kernel without ipywidgets ``tqdm.auto`` warns "IProgress not found" on stderr,
    which would show in every report; once imported here the module is cached and stays silent.
    """
    import warnings

    from tqdm import TqdmWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TqdmWarning)
        import tqdm.auto  # noqa: F401


def _quiet_stan() -> None:
    """Silence cmdstanpy's and Prophet's progress logging (INFO lines per fit)."""
    _import_tqdm_quietly()
    from cmdstanpy.utils import get_logger

    get_logger()  # installs cmdstanpy's own handler first; otherwise it resets the level later
    for name in ("cmdstanpy", "prophet"):
        logging.getLogger(name).setLevel(logging.WARNING)


def events_to_holidays(events: pd.DataFrame, calendar: pd.DatetimeIndex) -> pd.DataFrame:
    """Prophet's ``holidays`` frame from an event calendar, aligned to a forecast calendar.

    Parameters
    ----------
    events : DataFrame
        Columns ``date`` and ``event`` (+ optional ``lower_window``, ``upper_window``).
    calendar : DatetimeIndex
        Period start dates of history and horizon; each event moves to its period's start.

    Returns
    -------
    DataFrame
        Columns ``holiday``, ``ds`` (+ windows), one row per event and period.

    Examples
    --------
    >>> ev = pd.DataFrame({"date": pd.to_datetime(["2024-07-16"]), "event": ["prime_day"]})
    >>> events_to_holidays(ev, pd.date_range("2024-06-01", periods=3, freq="MS"))
         holiday         ds
    0  prime_day 2024-07-01
    """
    missing = {DATE, EVENT} - set(events.columns)
    if missing:
        raise InputError(f"event calendar lacks column(s) {sorted(missing)}", column=min(missing))
    dates = pd.to_datetime(events[DATE], errors="coerce")
    if dates.isna().any():
        row = int(np.flatnonzero(dates.isna().to_numpy())[0])
        raise InputError("event calendar has an unreadable date", row=row, column=DATE)
    if len(calendar) == 0:
        return pd.DataFrame({"holiday": pd.Series(dtype=str), "ds": pd.Series(dtype="M8[ns]")})
    step = calendar[-1] - calendar[-2] if len(calendar) > 1 else pd.Timedelta(days=1)
    pos = calendar.searchsorted(dates, side="right") - 1
    inside = (pos >= 0) & (dates.to_numpy() < calendar[-1] + step)
    out = pd.DataFrame(
        {"holiday": events[EVENT].astype(str).to_numpy(), "ds": calendar[np.maximum(pos, 0)]}
    )
    for col in ("lower_window", "upper_window"):
        if col in events.columns:
            out[col] = events[col].to_numpy()
    return out[inside].drop_duplicates().reset_index(drop=True)


class ProphetModel(PerSeriesModel):
    """Prophet per series with events as holidays and promotions as a regressor.

    Parameters
    ----------
    events : DataFrame, optional
        Event calendar ``date, event`` (see module docstring), e.g. from
        ``forecasting.demand.event_calendar``.
    uncertainty_samples : int
        Simulated futures per series for the quantiles.
    seed : int
        Seed of the simulation and the optimiser.
    seasonality_mode : {"additive", "multiplicative"}
    min_observations, fallback
        See :class:`~forecasting.models.per_series.PerSeriesModel`.
    """

    alias = "prophet"

    def prepare(self) -> None:
        """Import Prophet and silence the optimiser's logging (and the plotly notice)."""
        logging.getLogger("prophet.plot").setLevel(logging.CRITICAL)
        _import_tqdm_quietly()
        import prophet  # noqa: F401

        _quiet_stan()

    def __init__(
        self,
        events: pd.DataFrame | None = None,
        uncertainty_samples: int = 200,
        seed: int = 0,
        seasonality_mode: str = "additive",
        min_observations: int = 8,
        fallback: ForecastModel | None = None,
    ) -> None:
        super().__init__(min_observations, fallback)
        if events is not None and not isinstance(events, pd.DataFrame):
            raise InputError("prophet events must be a data frame with columns date, event")
        self.events = events
        self.uncertainty_samples = int(uncertainty_samples)
        self.seed = int(seed)
        self.seasonality_mode = seasonality_mode

    def fit_one(
        self,
        y: np.ndarray,
        dates: pd.DatetimeIndex,
        batch: SeriesBatch,
        promo: np.ndarray | None,
        horizon: int,
        levels: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Fit Prophet (MAP) on one series; sample-quantile forecasts of the horizon."""
        from prophet import Prophet

        future_dates = batch.future_dates(horizon)
        calendar = dates.append(future_dates)
        holidays = None
        if self.events is not None and len(self.events) and len(calendar) > 1:
            holidays = events_to_holidays(self.events, calendar)
            holidays = holidays if len(holidays) else None
        daily = batch.freq.upper().startswith("D")
        model = Prophet(
            holidays=holidays,
            weekly_seasonality="auto" if daily else False,
            daily_seasonality=False,
            seasonality_mode=self.seasonality_mode,
            uncertainty_samples=self.uncertainty_samples,
        )
        history = pd.DataFrame({"ds": dates, "y": y})
        future = pd.DataFrame({"ds": future_dates})
        if promo is not None and np.unique(promo[: len(y)]).size > 1:
            model.add_regressor("promo")
            history["promo"] = promo[: len(y)]
            future["promo"] = promo[len(y) : len(y) + horizon]
        state = np.random.get_state()  # noqa: NPY002 - Prophet draws from the global generator
        try:
            np.random.seed(self.seed)  # noqa: NPY002
            model.fit(history.dropna(subset=["y"]), seed=self.seed)
            draws = model.predictive_samples(future)["yhat"]  # (horizon, samples)
        finally:
            np.random.set_state(state)  # noqa: NPY002
        draws = np.clip(np.asarray(draws, dtype=float), 0.0, None)
        return draws.mean(axis=1), np.quantile(draws, levels, axis=1).T
