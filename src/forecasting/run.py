"""The run context: which store, which settings, which last day of history, how far ahead.

Every stage of a weekly run (forecast, replenishment, production, the reports) takes one
:class:`Run`, built once by :func:`open_run`. Its ``as_of`` has one meaning everywhere: **the last
day of history any stage uses** — sales, stock snapshots and ABC classes stop there, and every
plan starts the day after. ``as_of`` is resolved here and only here (an explicit date, else the
settings' date, else ``latest`` = the store's last complete data day); ``horizon_days`` likewise
(:func:`forecasting.planning.leadtime.required_forecast_days` unless given).

Examples
--------
>>> from forecasting.run import open_run
>>> run = open_run(as_of="2026-11-22")          # the sample store and settings  # doctest: +SKIP
>>> run.as_of, run.settings.as_of == run.as_of  # doctest: +SKIP
(datetime.date(2026, 11, 22), True)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from forecasting.config import Settings, load_settings
from forecasting.errors import InputError

if TYPE_CHECKING:
    from forecasting.io.store import Store

#: the ``as_of`` value (parameter or settings) that means the store's last complete data day
LATEST = "latest"


@dataclass(frozen=True)
class Run:
    """One run's context, passed to every stage.

    Attributes
    ----------
    store : Store
        The history store (sales, stock, products, factory stock).
    settings : Settings
        The settings, with ``settings.as_of == as_of`` (never ``latest``).
    as_of : date
        Last day of history used by every stage; plans start the day after.
    horizon_days : int
        Days forecast after ``as_of`` (days).
    """

    store: Store
    settings: Settings
    as_of: dt.date
    horizon_days: int


def is_latest(value: object) -> bool:
    """Whether an ``as_of`` value means the store's last complete data day (``latest``)."""
    return isinstance(value, str) and value.strip().lower() == LATEST


def parse_as_of(value: object) -> dt.date | None:
    """An ``as_of`` value as a date (ISO text ``YYYY-MM-DD`` or a date); None for ``latest``.

    Examples
    --------
    >>> parse_as_of("2026-11-22"), parse_as_of("latest")
    (datetime.date(2026, 11, 22), None)
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if is_latest(value):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(
            f"parameter as_of must be a date YYYY-MM-DD or 'latest', got {value!r}"
        ) from None


def open_store_of(store: Store | str | Path | None) -> Store:
    """``open_store(store)`` for a path or None (the sample store); a store itself as given."""
    from forecasting.io.store import open_store

    return open_store(store) if store is None or isinstance(store, str | Path) else store


def open_run(
    store: Store | str | Path | None = None,
    settings: Settings | str | Path | None = None,
    *,
    as_of: dt.date | str | None = None,
    horizon_days: int | None = None,
) -> Run:
    """Build the run context once: open the store, load the settings, resolve ``as_of``.

    Parameters
    ----------
    store : Store, path or None
        History store or its path; None = the store built from the bundled sample.
    settings : Settings, path or None
        Settings or a settings YAML; None = the sample settings.
    as_of : date, ``YYYY-MM-DD``, ``latest`` or None
        Last day of history. None keeps the settings' ``as_of``; ``latest`` (here or in the
        settings) is the store's last complete data day (:meth:`Store.default_as_of`).
    horizon_days : int, optional
        Days to forecast after ``as_of``; default
        :func:`~forecasting.planning.leadtime.required_forecast_days` (0 or None = default).

    Raises
    ------
    InputError
        ``latest`` with a store that holds no sales data; an unreadable ``as_of``; a negative
        horizon.
    """
    from forecasting.planning.leadtime import required_forecast_days

    cfg = settings if isinstance(settings, Settings) else load_settings(settings)
    if as_of is not None:
        cfg = replace(cfg, as_of=parse_as_of(as_of))
    st = open_store_of(store)
    if cfg.as_of is None:
        day = st.default_as_of()
        if day is None:
            raise InputError(
                "as_of is 'latest' but the store holds no sales data", file=cfg.source, key="as_of"
            )
        cfg = replace(cfg, as_of=day)
    if horizon_days is not None and horizon_days < 0:
        raise InputError(f"horizon_days must be 0 or more, got {horizon_days}")
    horizon = int(horizon_days or required_forecast_days(cfg))
    return Run(store=st, settings=cfg, as_of=cfg.as_of, horizon_days=horizon)
