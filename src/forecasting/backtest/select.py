"""Demand classes, candidate models per class, and the choice of model on the backtest.

Demand class (Syntetos, Boylan & Croston 2005, *On the categorization of demand patterns*, JORS
56(5)): ADI = observed periods / periods with demand, CV² = squared coefficient of variation of the
non-zero demand sizes; cut-offs ADI 1.32 and CV² 0.49 give ``smooth`` (low, low), ``erratic`` (low
ADI, high CV²), ``intermittent`` (high, low) and ``lumpy`` (high, high). A series that never sold
is ``intermittent``. (``forecasting.demand.classify_demand`` labels tables for reports; this is the
array version the orchestrator needs per batch.)

Choice: every candidate is scored by its mean pinball loss over the backtest windows (all quantile
levels, units). A smooth or erratic series with enough evidence (at least half of its backtest
periods observed and some demand in them) gets its own best model; a short, silent, intermittent or
lumpy one gets the model that is best on average over its demand class (on carparts, per-series
choice among intermittent methods scored WQL 0.886 against 0.876 for the per-class choice), with losses divided by each series' mean demand so that big series
do not decide for small ones (Fildes & Petropoulos 2015, *Simple versus complex selection rules
for forecasting many time series*, J. Business Research 68(8): per-series selection on a hold-out
works when the hold-out is informative, aggregate selection otherwise).

The ``combination`` of a series' candidates (median of their quantiles, see
``run._add_combination``) is one more candidate and wins unless a single model beats it by more
than :data:`COMBINATION_MARGIN`: on online retail the backtest's single pick was worse on the
hold-out than every alternative; with the combination and the margin WQL went from 0.641 to 0.622.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

from forecasting.demand.classify import demand_classes
from forecasting.models.registry import per_series_models

CLASSES = ("smooth", "erratic", "intermittent", "lumpy")
#: alias of the combination of a series' candidates (median of their quantiles) in every output
COMBINATION = "combination"
#: share of backtest loss by which a single model must beat the combination to be chosen
COMBINATION_MARGIN = 0.03

#: model aliases tried by ``models="auto"`` per demand class, best-first as tie-break; only those
#: present in the model registry are used. ``poisson_gamma`` (a shrunk, discounted demand rate)
#: replaced ``tsb`` (the same kind of rate, unshrunk): a near-duplicate candidate weighs twice in
#: the median combination. Carparts backtest WQL 0.8456 → 0.8445, hold-out 0.871 → 0.871 (0.8713
#: → 0.8705); online retail backtest 0.7058 → 0.7056, hold-out 0.618 → 0.616 (bench/README.md).
AUTO_CANDIDATES: dict[str, tuple[str, ...]] = {
    "smooth": ("ets", "ensemble", "seasonal_naive", "empirical", "moving_average", "poisson_gamma"),
    "erratic": ("ets", "ensemble", "poisson_gamma", "empirical", "moving_average"),
    "intermittent": ("ensemble", "poisson_gamma", "sba", "empirical", "moving_average"),
    "lumpy": ("ensemble", "poisson_gamma", "sba", "empirical", "moving_average"),
}
#: models that fit one series at a time (about a second per series and window; the trait of the
#: model class, :func:`~forecasting.models.registry.per_series_models`): ``auto`` tries them only
#: on the smooth/erratic series with the largest demand, at most this many per run
PER_SERIES_BUDGET = 12
#: Prophet is added for smooth/erratic series with at least two years of history, at most this many
PROPHET_BUDGET = 12
PERIODS_PER_YEAR = {7: 365, 52: 52, 12: 12}


def demand_class(values: np.ndarray) -> np.ndarray:
    """Syntetos–Boylan demand class of every row of ``values`` (NaN = unknown, skipped).

    Examples
    --------
    >>> demand_class(np.array([[5.0, 6, 5, 6], [0, 0, 9, 0], [0, 1, 0, 20]])).tolist()
    ['smooth', 'intermittent', 'lumpy']
    """
    x = np.atleast_2d(np.asarray(values, float))
    observed = np.isfinite(x).sum(axis=1)
    positive = np.where(np.isfinite(x) & (x > 0), x, np.nan)
    n_pos = np.sum(np.isfinite(positive), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        adi = np.where(n_pos > 0, observed / np.maximum(n_pos, 1), np.inf)
        mu = np.nanmean(np.where(n_pos[:, None] > 0, positive, 1.0), axis=1)
        sd = np.nanstd(np.where(n_pos[:, None] > 0, positive, 1.0), axis=1)
        cv2 = np.where(n_pos > 1, (sd / mu) ** 2, 0.0)
    # a series without demand is treated as intermittent: it gets the intermittent candidates
    return demand_classes(adi, cv2, no_demand="intermittent")


def auto_candidates(
    classes: np.ndarray,
    observed_periods: np.ndarray,
    volume: np.ndarray,
    season_length: int,
    available: Sequence[str],
) -> list[tuple[str, ...]]:
    """Candidate model aliases per series for ``models="auto"``.

    Fast vectorised models are tried everywhere; per-series models
    (:func:`~forecasting.models.registry.per_series_models`)
    only on the :data:`PER_SERIES_BUDGET` smooth/erratic series with the most demand, Prophet on
    the :data:`PROPHET_BUDGET` biggest of those with two years of history.

    Parameters
    ----------
    classes : ndarray of str
        Demand class per series.
    observed_periods : ndarray of int
        Observed (non-NaN) history periods per series.
    volume : ndarray of float
        Total observed demand per series (units), to rank series for the per-series models.
    season_length : int
        Periods per season.
    available : sequence of str
        Aliases in the model registry that can run here.

    Returns
    -------
    list of tuple of str
        One candidate tuple per series (never empty).
    """
    avail = set(available)
    per_series = per_series_models()
    regular = np.isin(classes, ["smooth", "erratic"])
    rank = np.argsort(-np.where(regular, np.nan_to_num(volume), -np.inf), kind="stable")
    costly = np.zeros(len(classes), bool)
    costly[rank[: min(PER_SERIES_BUDGET, int(regular.sum()))]] = True
    year = PERIODS_PER_YEAR.get(season_length, season_length)
    prophet = np.zeros(len(classes), bool)
    eligible = rank[costly[rank] & (observed_periods[rank] >= 2 * year)]
    prophet[eligible[:PROPHET_BUDGET]] = True
    out = []
    for i, cls in enumerate(classes):
        names = [
            m
            for m in AUTO_CANDIDATES[str(cls)]
            if m in avail and (costly[i] or m not in per_series)
        ]
        if prophet[i] and "prophet" in avail:
            names.append("prophet")
        if not names:
            names = sorted(avail)[:1]
        out.append(tuple(names))
    return out


def choose_models(
    losses: np.ndarray,
    names: Sequence[str],
    classes: np.ndarray,
    informative: np.ndarray,
    series_scale: np.ndarray,
    *,
    per: str = "auto",
    prefer: int | None = None,
    margin: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """The chosen model per series and how it was chosen.

    Parameters
    ----------
    losses : ndarray, shape (n_series, n_models)
        Mean pinball loss on the backtest (units); NaN where the model was not a candidate.
    names : sequence of str
        Model aliases (columns of ``losses``), in tie-break order.
    classes : ndarray of str
        Demand class per series.
    informative : ndarray of bool
        Series whose backtest is informative enough for a choice of its own.
    series_scale : ndarray
        Mean demand per period of each series (units), to compare losses across series.
    per : {"auto", "series", "class"}
        ``series``: always the series' own best; ``class``: always the class's best; ``auto``: own
        best where informative, else the class's.
    prefer : int, optional
        Column of a preferred model (the combination of the candidates) …
    margin : float, default 0
        … which any other model must beat by more than this share of its loss to be chosen.

    Returns
    -------
    chosen : ndarray of int, shape (n_series,)
        Column of the chosen model.
    chosen_by : ndarray of str
        ``"series"``, ``"demand class"`` or ``"only candidate"``.
    """
    n, k = losses.shape
    finite = np.isfinite(losses)
    if prefer is not None and margin > 0:
        handicap = np.full(k, 1.0 + margin)
        handicap[prefer] = 1.0
        losses = losses * handicap  # ties and near-ties go to the preferred model
    own = np.where(finite.any(axis=1), np.argmin(np.where(finite, losses, np.inf), axis=1), 0)
    scale = np.where(series_scale > 0, series_scale, 1.0)
    scaled = losses / scale[:, None]
    chosen = own.copy()
    by = np.full(n, "series", dtype=object)
    for cls in np.unique(classes):
        rows = classes == cls
        # only models that were a candidate of every series in the class can be its choice
        common = finite[rows].all(axis=0)
        if not common.any():
            continue
        ref = rows & (informative if informative[rows].any() else True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a model never scored: NaN
            mean_loss = np.where(common, np.nanmean(scaled[ref], axis=0), np.inf)
        best = int(np.argmin(mean_loss))
        if per == "auto":
            # intermittent demand: a few windows of mostly zeros cannot rank models per series
            use_class = rows & (~informative | (cls in ("intermittent", "lumpy")))
        else:
            use_class = rows & (per == "class")
        chosen[use_class] = best
        by[use_class] = "demand class"
    by[finite.sum(axis=1) <= 1] = "only candidate"
    return chosen, by


def describe_choice(
    losses: np.ndarray, names: Sequence[str], chosen: int, chosen_by: str = "series"
) -> tuple[str, str]:
    """``(scores, reason)`` strings of one series for the choice table.

    ``scores`` lists ``model=loss`` for every candidate (mean pinball loss over the backtest,
    units); ``reason`` says why the chosen model won.

    Examples
    --------
    >>> describe_choice(np.array([2.0, 1.5, np.nan]), ["ets", "tsb", "sba"], 1)
    ('ets=2;tsb=1.5', 'lowest backtest quantile loss on this series, 25.0% below ets')
    """
    pairs = [(n, v) for n, v in zip(names, losses, strict=True) if np.isfinite(v)]
    scores = ";".join(f"{n}={v:.4g}" for n, v in pairs)
    others = [(v, n) for n, v in pairs if n != names[chosen]]
    if not others:
        return scores, f"{names[chosen]} was the only candidate that ran"
    v2, n2 = min(others)
    if chosen_by == "demand class":
        return scores, (
            f"lowest average quantile loss over its demand class (series too short or "
            f"intermittent to choose alone; here best alone: {min(pairs, key=lambda p: p[1])[0]})"
        )
    if names[chosen] == COMBINATION:
        return scores, (
            f"combination of the candidates: no single model beat it by more than "
            f"{COMBINATION_MARGIN:.0%} on the backtest (best alone: {n2})"
        )
    gain = (1.0 - losses[chosen] / v2) * 100 if v2 > 0 else 0.0
    return scores, f"lowest backtest quantile loss on this series, {gain:.1f}% below {n2}"
