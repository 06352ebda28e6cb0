"""Inventory simulation (policy backtest): replay a demand history under replenishment policies.

At every review the policy (see :mod:`forecasting.planning.simulation.policies`) sets an order-up-to level
``S`` from the history known then; the simulation orders ``⌈S − inventory position⌉`` units, which
arrive after a random lead time (normal, seeded, truncated at 0, rounded to whole periods; the same
draws for every policy — common random numbers), serves demand from stock and loses what it cannot
serve. It records, per policy × parameter × series: fill rate, stockout periods, average on hand,
units aged past 180 days (FIFO) and fees (:mod:`forecasting.planning.simulation.fees`).

Timing within a period ``t`` (Silver, Pyke & Thomas 2017 §6.7, the (R, S) system in discrete
time): arrivals due at ``t`` are received; on a review period the order is placed (a lead time of
``L`` periods makes it available at the start of ``t + L``); then demand is served. So an order must
cover the protection period ``t … t + L + R − 1``: ``P = L + R`` periods. A product exists from its
first sale (earlier zeros are read as "not launched yet"); each series starts at its first review
after both the warm-up and its first sale, with its policy's first ``S`` on hand (as if the policy
had run before), counted as one arriving lot for FIFO ageing.

The ``forecast`` policy's service level is a *fill-rate* target: unless a correlation is given, the
day-to-day correlation of forecast errors (which sets the safety stock) is calibrated causally on
shadow runs of the policy over the past (:func:`calibrate_correlation`).

Definitions: *fill rate* = units served ÷ units demanded (1 when nothing was demanded);
*stockout periods* = periods starting with no stock or with lost sales (days on a daily calendar);
*average on hand* = mean over the periods of (stock after arrivals + stock at the end) ÷ 2.
Demand on censored periods (``in_stock`` false) is unknown: the simulation serves the mean of the
last 28 days' observed demand instead (the policies still see ``NaN``). The engine
itself is :mod:`forecasting.planning.simulation.engine`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.backtest.run import count_of
from forecasting.backtest.series import history_to_batch
from forecasting.errors import InputError
from forecasting.models.base import SeriesBatch
from forecasting.planning.simulation import policies as pol
from forecasting.planning.simulation.engine import (
    InventoryPath,
    calibrate_correlation,
    simulate_order_up_to,
)
from forecasting.planning.simulation.fees import (
    FeeAssumptions,
    aged_period_count,
    aged_units_total,
    fee_tally,
)
from forecasting.schema import MARKETPLACE, SKU

__all__ = [
    "RESULT_COLUMNS",
    "InventoryPath",
    "LeadTime",
    "ReplaySettings",
    "ReviewPolicy",
    "calibrate_correlation",
    "impute_censored",
    "launch_at_first_sale",
    "parse_duration_days",
    "simulate_order_up_to",
    "simulate_policies",
]

#: Output columns of :func:`simulate_policies`, in order.
RESULT_COLUMNS = [
    "policy",
    "param",
    SKU,
    "units_demanded",
    "units_served",
    "fill_rate",
    "stockout_days",
    "avg_on_hand",
    "aged_units",
    "fees",
]
#: Days per period of each calendar base.
PERIOD_DAYS = {"D": 1.0, "W": 7.0, "M": 365.25 / 12}
#: calendar → the word for its periods in notes
PERIOD_WORDS = {"D": "days", "W": "weeks", "M": "months"}


def parse_duration_days(text: str | float, *, name: str) -> float:
    """A duration in days from ``"14"`` (days), ``"3w"`` (weeks) or ``"2m"`` (months of 30.44 days).

    Examples
    --------
    >>> parse_duration_days("14", name="--lead-time"), parse_duration_days("2w", name="x")
    (14.0, 14.0)
    >>> round(parse_duration_days("2M", name="x"), 2)
    60.88
    """
    s = str(text).strip().lower()
    unit = {"d": 1.0, "w": 7.0, "m": PERIOD_DAYS["M"]}.get(s[-1:])
    number = s[:-1] if unit is not None else s
    try:
        value = float(number) * (unit or 1.0)
    except ValueError:
        raise InputError(f"{text!r} is not a duration (e.g. 14, 2w, 2m)", column=name) from None
    if not np.isfinite(value) or value < 0:
        raise InputError(f"{text!r} must be a duration ≥ 0", column=name)
    return value


def impute_censored(values: np.ndarray, window: int) -> np.ndarray:
    """Demand to serve on censored periods: mean of the last ``window`` observed periods (units).

    Leading ``NaN`` (not launched) and periods with nothing observed before become 0.

    Examples
    --------
    >>> impute_censored(np.array([[np.nan, 2.0, 4.0, np.nan, 6.0]]), 2).tolist()
    [[0.0, 2.0, 4.0, 3.0, 6.0]]
    """
    frame = pd.DataFrame(np.asarray(values, float).T)
    fill = frame.rolling(window, min_periods=1).mean().shift(1).to_numpy().T
    out = np.where(np.isnan(values), fill, values)
    return np.nan_to_num(out)


def launch_at_first_sale(batch: SeriesBatch) -> SeriesBatch:
    """The batch with periods before each series' first sale set to ``NaN`` (not launched).

    Zeros before a product ever sold say nothing about its demand rate (the part was not in use
    yet); models and rules should not average them in.

    Examples
    --------
    >>> b = SeriesBatch(pd.DataFrame({"sku": ["a"]}), np.array([[0.0, 0.0, 2.0, 0.0]]),
    ...                 pd.date_range("2024-01-01", periods=4), "D", 7)
    >>> launch_at_first_sale(b).values.tolist()
    [[nan, nan, 2.0, 0.0]]
    """
    values = np.array(batch.values, dtype=float, copy=True)
    sold = np.nan_to_num(values) > 0
    first = np.where(sold.any(axis=1), sold.argmax(axis=1), values.shape[1])
    values[np.arange(values.shape[1])[None, :] < first[:, None]] = np.nan
    return replace(batch, values=values)


def _series_labels(keys: pd.DataFrame) -> list[str]:
    if MARKETPLACE in keys.columns:
        return [f"{s}@{m}" for s, m in zip(keys[SKU], keys[MARKETPLACE], strict=True)]
    return keys[SKU].astype(str).tolist()


@dataclass(frozen=True)
class LeadTime:
    """Replenishment lead time of the replay: normal draws, seeded, truncated at 0, rounded to
    whole periods (the same draws for every policy: common random numbers).

    Attributes
    ----------
    mean_days : float
        Mean lead time (days).
    sd_days : float, default 0
        Standard deviation of the lead time (days); 0 = fixed.
    """

    mean_days: float
    sd_days: float = 0.0


@dataclass(frozen=True)
class ReviewPolicy:
    """When the policies order and what they aim at.

    Attributes
    ----------
    review_period_days : float
        Days between reviews (at least one period).
    service_level : float, default 0.95
        Target of the ``forecast`` policy (without a sweep): a fill rate (share of units served)
        when ``correlation`` is calibrated (default), a cycle service level (quantile of demand
        over the protection period) when ``correlation`` is given.
    cover_days : float, optional
        Cover of the ``velocity`` / ``days_of_supply`` rules (days); default
        :data:`~forecasting.planning.simulation.policies.DEFAULT_COVER_FACTOR` × (L + R).
    model : str, default "empirical"
        Forecast model alias of the ``forecast`` policy.
    correlation : float, optional
        Correlation of forecast errors between periods of the protection period; default
        calibrated on the policy's own past (:func:`calibrate_correlation`), which makes
        ``service_level`` a fill-rate target.
    """

    review_period_days: float
    service_level: float = 0.95
    cover_days: float | None = None
    model: str = "empirical"
    correlation: float | None = None

    def __post_init__(self) -> None:
        if not 0 < self.service_level < 1:
            raise InputError(
                f"service level {self.service_level} is not in (0, 1)", option="--service-level"
            )


@dataclass(frozen=True)
class ReplaySettings:
    """Which policies are replayed, over which parameters, from when, with which seed.

    Attributes
    ----------
    policies : sequence of str
        Among :data:`~forecasting.planning.simulation.policies.POLICIES` (default: all).
    sweep : bool, default False
        Run :data:`~forecasting.planning.simulation.policies.SWEEP_SERVICE_LEVELS` for ``forecast`` and
        :data:`~forecasting.planning.simulation.policies.SWEEP_COVER_FACTORS` × (L + R) for the rules.
    warmup_periods : int, optional
        Periods only used to warm up; default one year or a third of the history, whichever is
        less (at least 1).
    seed : int, default 0
        Seed of the lead-time draws.
    """

    policies: Sequence[str] = pol.POLICIES
    sweep: bool = False
    warmup_periods: int | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "policies", tuple(self.policies))
        unknown = [p for p in self.policies if p not in pol.POLICIES]
        if unknown or not self.policies:
            raise InputError(
                f"unknown policy {unknown[0] if unknown else ''!r}; use {', '.join(pol.POLICIES)}",
                option="--policies",
            )


@dataclass(frozen=True)
class _Replay:
    """One replay's calendar and inputs, shared by the policies (periods of the batch's calendar).

    ``demand`` is what the simulation serves (censored periods imputed), ``lead`` the lead-time
    draw of every series × review (periods), ``start`` each series' first replayed period.
    """

    batch: SeriesBatch
    unit: str
    period_days: float
    warmup: int
    review_periods: int
    protection: int
    reviews: np.ndarray
    first_sale: np.ndarray
    start: np.ndarray
    demand: np.ndarray
    lead: np.ndarray


def simulate_policies(
    history: pd.DataFrame,
    *,
    lead_time: LeadTime,
    review: ReviewPolicy,
    fees: FeeAssumptions,
    replay: ReplaySettings | None = None,
    freq: str | None = None,
    file: str | Path | None = None,
) -> pd.DataFrame:
    """Replay ``history`` under each policy (and, with a sweep, each of its parameters).

    Steps: the calendar and the replay's start (:func:`_prepare_replay`) → the order-up-to
    targets of every policy × parameter (:func:`_forecast_policy_targets`,
    :func:`_rule_targets`) → one vectorised replay of all of them
    (:func:`~forecasting.planning.simulation.engine.simulate_order_up_to`) → per series sums.

    Parameters
    ----------
    history : DataFrame
        Long ``sku, [marketplace], date, units, [in_stock]`` (as ``forecasting forecast`` reads).
    lead_time : LeadTime
        Mean and sd of the replenishment lead time (days), rounded to whole periods.
    review : ReviewPolicy
        Review period (days), the ``forecast`` policy's target and model, the rules' cover.
    fees : FeeAssumptions
        Fee table, unit volume, size tier, fee year and holding cost.
    replay : ReplaySettings, optional
        Policies, sweep, warm-up and seed; default ``ReplaySettings()``.
    freq : {"D", "W", "M"}, optional
        Calendar; daily input is summed into weeks or months (default: the input's own).
    file : str or Path, optional
        Input file name for error messages.

    Returns
    -------
    DataFrame
        :data:`RESULT_COLUMNS`; ``param`` is the service level (``forecast``) or the cover in days
        (rules); ``sku`` is ``sku@marketplace`` when the input has a marketplace; ``stockout_days``
        counts periods of the calendar; ``fees`` in the fee table's currency. ``attrs["notes"]``:
        what the replay cannot show (:func:`replay_notes`, e.g. a history shorter than the lead
        time).
    """
    settings = replay if replay is not None else ReplaySettings()
    batch = history_to_batch(history, freq=freq, file=file)
    n = batch.values.shape[1]
    base = "M" if batch.freq in {"MS", "ME"} else batch.freq[0]
    if n < 2:  # nothing to replay yet: no rows, and the note says why
        out = pd.DataFrame(columns=RESULT_COLUMNS)
        out.attrs["notes"] = [
            f"nothing to replay: {count_of(n, PERIOD_WORDS[base])} of history, a replay needs at "
            f"least 2 (1 to warm up, 1 to replay)"
        ]
        return out
    r = _prepare_replay(batch, base, lead_time, review, settings)
    blocks: list[tuple[str, list[float], np.ndarray]] = []
    for policy in settings.policies:
        if policy == "forecast":
            levels = list(pol.SWEEP_SERVICE_LEVELS) if settings.sweep else [review.service_level]
            targets = _forecast_policy_targets(r, levels, lead_time, review, settings.seed)
            blocks.append((policy, levels, targets))
        else:
            covers = _rule_covers(r, review, settings.sweep)
            blocks.append((policy, covers, _rule_targets(r, policy, covers)))
    all_targets = np.concatenate([t.reshape(-1, len(r.reviews)) for _, _, t in blocks])
    reps = all_targets.shape[0] // batch.n_series
    path = simulate_order_up_to(
        np.tile(r.demand, (reps, 1)),
        all_targets,
        r.reviews,
        np.tile(r.lead, (reps, 1)),
        np.tile(r.start, reps),
    )
    out = _summarise(path, blocks, batch.keys, batch.dates, r.period_days, fees)
    out.attrs["notes"] = replay_notes(n, r.warmup, r.protection, r.unit)
    return out


def _prepare_replay(
    batch: SeriesBatch,
    base: str,
    lead_time: LeadTime,
    review: ReviewPolicy,
    settings: ReplaySettings,
) -> _Replay:
    """Calendar, reviews, each series' start, lead-time draws and the demand to serve.

    Reviews every ``R`` periods from the end of the warm-up; a series starts at its first review
    after both the warm-up and its first sale. Lead times are drawn per series × review from
    ``default_rng(seed)``.
    """
    pdays = PERIOD_DAYS[base]
    n_series, n = batch.values.shape
    lead_p = int(round(lead_time.mean_days / pdays))
    review_p = max(int(round(review.review_period_days / pdays)), 1)
    default_warmup = max(1, min(int(365 / pdays), n // 3))
    warmup = settings.warmup_periods if settings.warmup_periods is not None else default_warmup
    if not 0 < warmup < n:
        raise InputError(f"warm-up of {warmup} periods leaves nothing to simulate ({n} periods)")
    reviews = np.arange(warmup, n, review_p)
    batch = launch_at_first_sale(batch)
    sold = np.nan_to_num(batch.values) > 0
    first_sale = np.where(sold.any(axis=1), sold.argmax(axis=1), n)
    k0 = np.searchsorted(reviews, np.maximum(first_sale + 1, warmup))
    start = np.where(k0 < len(reviews), reviews[np.minimum(k0, len(reviews) - 1)], n)
    rng = np.random.default_rng(settings.seed)
    draws = rng.normal(lead_time.mean_days, lead_time.sd_days, size=(n_series, len(reviews)))
    return _Replay(
        batch=batch,
        unit=PERIOD_WORDS[base],
        period_days=pdays,
        warmup=warmup,
        review_periods=review_p,
        protection=max(lead_p + review_p, 1),
        reviews=reviews,
        first_sale=first_sale,
        start=start,
        demand=impute_censored(batch.values, max(int(round(28 / pdays)), 1)),
        lead=np.rint(np.maximum(draws, 0.0) / pdays).astype(int),
    )


def _forecast_policy_targets(
    r: _Replay, levels: list[float], lead_time: LeadTime, review: ReviewPolicy, seed: int
) -> np.ndarray:
    """Order-up-to levels of the ``forecast`` policy, ``(levels, series, reviews)`` (units).

    With a given correlation, straight from :func:`~forecasting.planning.simulation.policies.
    forecast_targets`; else every correlation of the grid is tried on shadow runs over the
    reviews before the replay (back to half the warm-up, their lead times drawn from
    ``default_rng([seed, 1])``) and the one meeting the fill-rate target is kept
    (:func:`calibrate_correlation`).
    """
    forecast_kw = dict(model=review.model, lead_time_sd_periods=lead_time.sd_days / r.period_days)
    reviews, review_p = r.reviews, r.review_periods
    if review.correlation is not None:
        return pol.forecast_targets(
            r.batch, reviews, r.protection, levels, correlations=[review.correlation], **forecast_kw
        )[0]
    early = np.arange(reviews[0] - review_p, max(reviews[0] // 2, 1) - 1, -review_p)
    times = np.r_[early[::-1], reviews].astype(int)
    early_draws = np.random.default_rng([seed, 1]).normal(
        lead_time.mean_days, lead_time.sd_days, size=(r.batch.n_series, len(early))
    )
    early_lead = np.rint(np.maximum(early_draws, 0.0) / r.period_days).astype(int)
    by_rho = pol.forecast_targets(
        r.batch, times, r.protection, levels, correlations=pol.CORRELATION_GRID, **forecast_kw
    )
    n = r.batch.values.shape[1]
    shadow_start = times[np.minimum(np.searchsorted(times, r.first_sale + 1), len(times) - 1)]
    shadow_start = np.where(r.first_sale + 1 <= times[-1], shadow_start, n)
    targets, _ = calibrate_correlation(
        by_rho,
        r.demand,
        times,
        np.c_[early_lead[:, ::-1], r.lead],
        shadow_start,
        levels,
        first_review=len(early),
    )
    return targets


def _rule_covers(r: _Replay, review: ReviewPolicy, sweep: bool) -> list[float]:
    """Covers (days) of the rules: the sweep's factors × (L + R), else the given or default one."""
    if sweep:
        return [round(f * r.protection * r.period_days, 4) for f in pol.SWEEP_COVER_FACTORS]
    if review.cover_days is None:
        return [float(pol.DEFAULT_COVER_FACTOR * r.protection * r.period_days)]
    return [float(review.cover_days)]


def _rule_targets(r: _Replay, policy: str, covers: list[float]) -> np.ndarray:
    """Order-up-to levels of a rule of thumb (``velocity`` / ``days_of_supply``) per cover (days).

    ``velocity``: mean of the last :data:`~forecasting.planning.simulation.policies.VELOCITY_DAYS` observed
    days × cover; ``days_of_supply``: mean of the last
    :data:`~forecasting.planning.simulation.policies.MOVING_AVERAGE_DAYS` days × cover.
    """
    window_days = pol.VELOCITY_DAYS if policy == "velocity" else pol.MOVING_AVERAGE_DAYS
    return pol.rule_targets(
        r.batch.values,
        r.reviews,
        [c / r.period_days for c in covers],
        window=max(int(round(window_days / r.period_days)), 1),
        observed_only=policy == "velocity",
    )


def replay_notes(n_periods: int, warmup: int, protection: int, unit: str = "days") -> list[str]:
    """What a replay of ``n_periods`` cannot show: notes for the ``simulate`` output.

    A replay shorter than one protection period (lead time + review, ``protection`` periods)
    after the warm-up never sees an order arrive: its fill rates and stock show the opening
    stock, not the policies.

    Examples
    --------
    >>> replay_notes(10, 3, 10)
    ['replay of 7 days after a 3-day warm-up is shorter than lead time + review (10 days): no order placed in the replay arrives within it, so the results show the opening stock, not the policies; a longer history is needed to compare them']
    >>> replay_notes(730, 365, 10)
    []
    """
    replayed = n_periods - warmup
    if replayed >= protection:
        return []
    return [
        f"replay of {count_of(replayed, unit)} after a {warmup}-{unit.rstrip('s')} warm-up is shorter "
        f"than lead time + review ({protection} {unit}): no order placed in the replay arrives "
        f"within it, so the results show the opening stock, not the policies; a longer history "
        f"is needed to compare them"
    ]


def _summarise(
    path: InventoryPath,
    blocks: list[tuple[str, list[float], np.ndarray]],
    keys: pd.DataFrame,
    dates: pd.DatetimeIndex,
    pdays: float,
    fees: FeeAssumptions,
) -> pd.DataFrame:
    act = path.active
    demanded = np.where(act, path.served + path.lost, 0.0).sum(axis=1)
    served = np.where(act, path.served, 0.0).sum(axis=1)
    periods = act.sum(axis=1)
    avg = (path.available + path.end_on_hand) / 2
    out = pd.DataFrame(
        {
            "units_demanded": demanded,
            "units_served": served,
            "fill_rate": np.where(demanded > 0, served / np.maximum(demanded, 1e-12), 1.0),
            "stockout_days": (act & ((path.available <= 0) | (path.lost > 1e-9))).sum(axis=1),
            "avg_on_hand": np.where(
                periods > 0, np.where(act, avg, 0.0).sum(axis=1) / np.maximum(periods, 1), 0.0
            ),
            "aged_units": aged_units_total(
                path.arrivals, path.served, aged_period_count(pdays, fees.table.aged_after_days)
            ),
            "fees": fee_tally(
                avg, path.end_on_hand, path.arrivals, path.served, act, dates, pdays, fees
            ),
        }
    )
    labels = _series_labels(keys)
    policy_col, param_col = [], []
    for policy, params, _ in blocks:
        for p in params:
            policy_col += [policy] * len(labels)
            param_col += [float(p)] * len(labels)
    out.insert(0, SKU, labels * (len(out) // max(len(labels), 1)))
    out.insert(0, "param", param_col)
    out.insert(0, "policy", policy_col)
    return out[RESULT_COLUMNS]
