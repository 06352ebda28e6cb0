"""Event effects: how much Prime Day, Prime Big Deal Days and BFCM lift demand, for every series.

The effects are learned from the whole batch's history up to ``as_of`` and applied to any model's
daily forecast afterwards, so the vectorised intermittent methods, the combination and the
analogs all see the peaks (Prophet models the events itself and is left alone).

What is learned
---------------
For each Amazon event spell of the calendar (kinds :data:`EFFECT_KINDS`) and each series, three
*phases*: ``pre`` (the :attr:`UpliftSettings.pre_days` days before the event: the dip while buyers
wait, or a lead-in week), ``event`` (the event's days) and ``post`` (the
:attr:`UpliftSettings.post_days` days after: demand pulled into the event). A phase's evidence
is the units sold on its usable days ``Y`` against the units expected at the series' baseline
rate ``X = b × days``, where ``b`` is the mean daily demand over the
:attr:`UpliftSettings.baseline_days` days before the pre-window. Usable days are in-stock days
that did not run out during the day (``in_stock`` and not ``partial`` of
:func:`~forecasting.demand.mark_stockouts`): a stocked-out day says nothing about demand, so it
is left out of both ``Y`` and ``X`` (censored, not zero). Days of other events (any phase) are
left out of the baseline.

Partial pooling (empirical Bayes on log ratios)
-----------------------------------------------
Three levels per event kind and phase: kind (all marketplaces) → marketplace × kind → SKU. At
each level the raw log factor ``l = log((Y + ½) / (X + ½))`` has a sampling variance
``v = 1/(Y + ½) + 1/(X + ½) + σ²_e / n`` (Poisson counts plus the between-event variance
``σ²_e`` of the marketplace's event-level log factors, over its ``n`` past events). The
between-group variance ``τ²`` is the DerSimonian–Laird moment estimate, and each group's factor
is shrunk toward its parent's:

    θ = μ + τ² / (τ² + v) · (l − μ),    posterior variance  v·τ² / (v + τ²)

(DerSimonian & Laird 1986, *Controlled Clinical Trials* 7:177; Efron & Morris 1975, *JASA*
70:311). A SKU with many units on past events keeps its own factor; one with one small past
Prime Day borrows most of its marketplace's; a SKU without event history gets the marketplace's
factor, and a marketplace without any the kind's.

Spread
------
The next event's factor varies around the learned one by the between-event standard deviation
``σ_e`` plus the estimate's own uncertainty: ``s = √(σ²_e + posterior variance)`` on the log
scale. :func:`apply_event_effects` multiplies the mean by ``exp(θ)`` and quantile ``q`` by
``exp(θ + z_q · s)`` (``z_q`` the standard normal quantile), which widens the upper quantiles
and keeps them non-decreasing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

from forecasting import schema as s
from forecasting.demand.stockouts import DEMAND_ESTIMATE, PARTIAL
from forecasting.errors import InputError

#: event kinds of the calendar whose effects are learned and applied
EFFECT_KINDS = ("prime_day", "prime_big_deal_days", "bfcm")
#: phases of an event spell, in the order they happen
PHASES = ("pre", "event", "post")
#: the model that models events itself (its forecast is left unchanged)
SELF_EVENT_MODELS = frozenset({"prophet"})
#: continuity correction of the log ratios (units)
HALF = 0.5
LEVEL = "level"
PHASE = "phase"
KIND = "kind"
FACTOR = "factor"
LOG_SD = "log_sd"
EFFECT_COLUMNS = [
    LEVEL, s.SKU, s.MARKETPLACE, KIND, PHASE, FACTOR, LOG_SD, "raw_factor", "weight",
    "events", "units", "expected_units",
]  # fmt: skip


@dataclass(frozen=True)
class UpliftSettings:
    """Windows of the event effects (days).

    Attributes
    ----------
    baseline_days : int
        Days before the pre-window whose mean daily demand is the series' baseline.
    pre_days, post_days : int
        Days before / after an event learned as their own factor (0 = none).
    min_baseline_days : int
        Usable (in-stock) baseline days needed for a series' event to count as evidence.
    """

    baseline_days: int = 28
    pre_days: int = 7
    post_days: int = 7
    min_baseline_days: int = 14

    def __post_init__(self) -> None:
        for name in ("baseline_days", "pre_days", "post_days", "min_baseline_days"):
            if getattr(self, name) < 0:
                raise InputError(f"event effects: {name} must be ≥ 0, got {getattr(self, name)}")
        if self.min_baseline_days > self.baseline_days or self.baseline_days < 1:
            raise InputError(
                f"event effects: baseline_days ({self.baseline_days}) must be ≥ 1 and ≥ "
                f"min_baseline_days ({self.min_baseline_days})"
            )


def event_spells(events: pd.DataFrame) -> pd.DataFrame:
    """The Amazon event spells of a calendar: one row per marketplace and event.

    Parameters
    ----------
    events : DataFrame
        ``date, marketplace, event, kind`` (:func:`forecasting.pipeline.event_calendars`).

    Returns
    -------
    DataFrame
        ``marketplace, event, kind, start, end`` (first and last day, inclusive) of the kinds in
        :data:`EFFECT_KINDS`, sorted by marketplace and start.
    """
    cols = [s.MARKETPLACE, "event", KIND, "start", "end"]
    ev = events[events[KIND].isin(EFFECT_KINDS)]
    if ev.empty:
        return pd.DataFrame(columns=cols)
    out = (
        ev.groupby([s.MARKETPLACE, "event", KIND], sort=False)[s.DATE]
        .agg(start="min", end="max")
        .reset_index()
    )
    return out.sort_values([s.MARKETPLACE, "start", "event"]).reset_index(drop=True)[cols]


def phase_days(spells: pd.DataFrame, cfg: UpliftSettings) -> pd.DataFrame:
    """Each spell's days by phase: ``marketplace, date, event, kind, phase``.

    A day belongs to one phase only: an event day beats a pre day, a pre day beats a post day
    (the first spell wins among equals), so a lead-in week is never also an earlier event's
    after-dip.
    """
    rows = []
    rank = {"event": 0, "pre": 1, "post": 2}
    for r in spells.itertuples(index=False):
        start, end = pd.Timestamp(r.start), pd.Timestamp(r.end)
        spans = {
            "pre": pd.date_range(start - pd.Timedelta(days=cfg.pre_days), periods=cfg.pre_days),
            "event": pd.date_range(start, end),
            "post": pd.date_range(end + pd.Timedelta(days=1), periods=cfg.post_days),
        }
        for phase, days in spans.items():
            rows += [(r.marketplace, d, r.event, r.kind, phase, rank[phase]) for d in days]
    cols = [s.MARKETPLACE, s.DATE, "event", KIND, PHASE]
    if not rows:
        return pd.DataFrame(columns=cols)
    df = pd.DataFrame(rows, columns=[*cols, "_rank"])
    df = df.sort_values([s.MARKETPLACE, s.DATE, "_rank"], kind="stable")
    return df.drop_duplicates([s.MARKETPLACE, s.DATE])[cols].reset_index(drop=True)


def event_evidence(
    sales: pd.DataFrame, events: pd.DataFrame, cfg: UpliftSettings | None = None
) -> pd.DataFrame:
    """Units sold against units expected at baseline, per series, event spell and phase.

    Parameters
    ----------
    sales : DataFrame
        Daily history ``sku, marketplace, date, demand_estimate`` (units) with ``in_stock`` and
        ``partial`` (:func:`~forecasting.demand.estimate_true_demand`); days up to ``as_of``.
    events : DataFrame
        ``date, marketplace, event, kind`` (the run's calendar).
    cfg : UpliftSettings, optional
        Windows; default :class:`UpliftSettings`.

    Returns
    -------
    DataFrame
        ``sku, marketplace, event, kind, phase, units, expected_units, days`` (units on the
        phase's usable days, baseline rate × those days, usable days) for each series whose
        baseline has ≥ ``min_baseline_days`` usable days and a rate above 0.
    """
    cfg = cfg or UpliftSettings()
    cols = [s.SKU, s.MARKETPLACE, "event", KIND, PHASE, "units", "expected_units", "days"]
    spells = event_spells(events)
    if spells.empty or sales.empty:
        return pd.DataFrame(columns=cols)
    phases = phase_days(spells, cfg)
    last = sales[s.DATE].max()
    usable = sales[s.IN_STOCK].fillna(False).astype(bool)
    if PARTIAL in sales.columns:
        usable &= ~sales[PARTIAL].fillna(False).astype(bool)
    demand = sales[DEMAND_ESTIMATE] if DEMAND_ESTIMATE in sales.columns else sales[s.UNITS]
    day = pd.DataFrame(
        {
            s.SKU: sales[s.SKU].to_numpy(),
            s.MARKETPLACE: sales[s.MARKETPLACE].to_numpy(),
            s.DATE: sales[s.DATE].to_numpy(),
            "y": demand.astype(float).to_numpy(),
            "ok": usable.to_numpy(),
        }
    )
    marked = pd.MultiIndex.from_frame(phases[[s.MARKETPLACE, s.DATE]])
    day["_ev"] = pd.MultiIndex.from_frame(day[[s.MARKETPLACE, s.DATE]]).isin(marked)
    out = []
    for r in spells[spells["start"] <= last].itertuples(index=False):
        start = pd.Timestamp(r.start)
        b_end = start - pd.Timedelta(days=cfg.pre_days + 1)
        b_start = b_end - pd.Timedelta(days=cfg.baseline_days - 1)
        mp = day[day[s.MARKETPLACE] == r.marketplace]
        base = mp[(mp[s.DATE] >= b_start) & (mp[s.DATE] <= b_end) & mp["ok"] & ~mp["_ev"]]
        g = base.groupby(s.SKU)["y"].agg(["mean", "size"])
        g = g[(g["size"] >= cfg.min_baseline_days) & (g["mean"] > 0)]
        if g.empty:
            continue
        own = phases[(phases["event"] == r.event) & (phases[s.MARKETPLACE] == r.marketplace)]
        for phase in PHASES:
            dates = own.loc[own[PHASE] == phase, s.DATE]
            if dates.empty:
                continue
            ph = mp[mp[s.DATE].isin(dates) & mp["ok"] & mp[s.SKU].isin(g.index)]
            agg = ph.groupby(s.SKU)["y"].agg(["sum", "size"])
            if agg.empty:
                continue
            rate = g["mean"].reindex(agg.index)
            out.append(
                pd.DataFrame(
                    {
                        s.SKU: agg.index,
                        s.MARKETPLACE: r.marketplace,
                        "event": r.event,
                        KIND: r.kind,
                        PHASE: phase,
                        "units": agg["sum"].to_numpy(),
                        "expected_units": (rate * agg["size"]).to_numpy(),
                        "days": agg["size"].to_numpy(),
                    }
                )
            )
    if not out:
        return pd.DataFrame(columns=cols)
    return pd.concat(out, ignore_index=True)[cols]


def _log_ratio(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Log factor and its Poisson sampling variance, with the ½ continuity correction."""
    y, x = np.asarray(y, float) + HALF, np.asarray(x, float) + HALF
    return np.log(y / x), 1.0 / y + 1.0 / x


def dersimonian_laird(l: np.ndarray, v: np.ndarray) -> tuple[float, float]:  # noqa: E741
    """Weighted mean and between-group variance ``τ²`` of log factors ``l`` with variances ``v``.

    DerSimonian & Laird (1986): ``τ² = max(0, (Q − (k − 1)) / (Σw − Σw²/Σw))`` with ``w = 1/v``
    and ``Q = Σw (l − l̄_w)²``; the mean is weighted by ``1 / (v + τ²)``.

    Returns
    -------
    (float, float)
        Mean log factor and ``τ²`` (log scale, squared); ``τ² = 0`` for fewer than 2 groups.
    """
    l, v = np.asarray(l, float), np.asarray(v, float)  # noqa: E741
    w = 1.0 / v
    if len(l) < 2:
        return float(np.sum(w * l) / np.sum(w)), 0.0
    mean_w = np.sum(w * l) / np.sum(w)
    q = float(np.sum(w * (l - mean_w) ** 2))
    denom = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    tau2 = max(0.0, (q - (len(l) - 1)) / denom) if denom > 0 else 0.0
    w2 = 1.0 / (v + tau2)
    return float(np.sum(w2 * l) / np.sum(w2)), tau2


def _shrink(
    l: np.ndarray,  # noqa: E741
    v: np.ndarray,
    mu: float,
    tau2: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shrunk log factors, their posterior variances and the weights on the own estimate."""
    w = tau2 / (tau2 + v) if tau2 > 0 else np.zeros_like(v)
    return mu + w * (l - mu), w * v, w


def learn_event_effects(evidence: pd.DataFrame) -> pd.DataFrame:
    """Pooled event factors per kind × phase at three levels (kind, marketplace, SKU).

    Parameters
    ----------
    evidence : DataFrame
        From :func:`event_evidence`.

    Returns
    -------
    DataFrame
        :data:`EFFECT_COLUMNS`: ``level`` (``kind``, ``marketplace`` or ``sku``; ``sku`` and
        ``marketplace`` empty where the level is above them), ``factor`` (multiplier of the
        baseline demand, shrunk), ``log_sd`` (spread of the next event's log factor: between-event
        plus estimate uncertainty), ``raw_factor`` (own ratio before pooling), ``weight`` (share
        of the own estimate in the shrunk one), ``events`` (past events seen), ``units`` and
        ``expected_units`` (sums of the evidence).
    """
    rows: list[dict] = []
    if evidence.empty:
        return pd.DataFrame(columns=EFFECT_COLUMNS)
    for (kind, phase), ev in evidence.groupby([KIND, PHASE], sort=True):
        # marketplace level: events as repeated measures give the between-event variance
        per_event = ev.groupby([s.MARKETPLACE, "event"])[["units", "expected_units"]].sum()
        le, _ = _log_ratio(per_event["units"], per_event["expected_units"])
        per_event = per_event.assign(l=le)
        dev, df = 0.0, 0
        for _, grp in per_event.groupby(level=0):
            if len(grp) > 1:
                dev += float(np.sum((grp["l"] - grp["l"].mean()) ** 2))
                df += len(grp) - 1
        sigma2 = dev / df if df else 0.0
        mp = ev.groupby(s.MARKETPLACE).agg(
            units=("units", "sum"), expected_units=("expected_units", "sum"),
            events=("event", "nunique"),
        )  # fmt: skip
        l_mp, v_mp = _log_ratio(mp["units"], mp["expected_units"])
        v_mp = v_mp + sigma2 / mp["events"].to_numpy()
        mu, tau2_mp = dersimonian_laird(l_mp, v_mp)
        mu_var = 1.0 / float(np.sum(1.0 / (v_mp + tau2_mp)))
        rows.append(
            {LEVEL: "kind", s.SKU: "", s.MARKETPLACE: "", KIND: kind, PHASE: phase,
             FACTOR: math.exp(mu), LOG_SD: math.sqrt(sigma2 + tau2_mp + mu_var),
             "raw_factor": float(mp["units"].sum() / mp["expected_units"].sum()), "weight": 1.0,
             "events": int(ev["event"].nunique()), "units": float(mp["units"].sum()),
             "expected_units": float(mp["expected_units"].sum())}
        )  # fmt: skip
        th_mp, pv_mp, w_mp = _shrink(l_mp, v_mp, mu, tau2_mp)
        for i, m in enumerate(mp.index):
            rows.append(
                {LEVEL: "marketplace", s.SKU: "", s.MARKETPLACE: m, KIND: kind, PHASE: phase,
                 FACTOR: math.exp(th_mp[i]), LOG_SD: math.sqrt(sigma2 + pv_mp[i] + (1 - w_mp[i])
                                                              * mu_var),
                 "raw_factor": float(mp["units"].iloc[i] / mp["expected_units"].iloc[i]),
                 "weight": float(w_mp[i]), "events": int(mp["events"].iloc[i]),
                 "units": float(mp["units"].iloc[i]),
                 "expected_units": float(mp["expected_units"].iloc[i])}
            )  # fmt: skip
            # SKU level within the marketplace
            sk = ev[ev[s.MARKETPLACE] == m].groupby(s.SKU).agg(
                units=("units", "sum"), expected_units=("expected_units", "sum"),
                events=("event", "nunique"),
            )  # fmt: skip
            l_sk, v_sk = _log_ratio(sk["units"], sk["expected_units"])
            v_sk = v_sk + sigma2 / sk["events"].to_numpy()
            _, tau2_sk = dersimonian_laird(l_sk - th_mp[i], v_sk)
            th_sk, pv_sk, w_sk = _shrink(l_sk, v_sk, float(th_mp[i]), tau2_sk)
            for j, sku in enumerate(sk.index):
                rows.append(
                    {LEVEL: "sku", s.SKU: sku, s.MARKETPLACE: m, KIND: kind, PHASE: phase,
                     FACTOR: math.exp(th_sk[j]),
                     LOG_SD: math.sqrt(sigma2 + pv_sk[j] + (1 - w_sk[j]) * pv_mp[i]),
                     "raw_factor": float(sk["units"].iloc[j] / sk["expected_units"].iloc[j]),
                     "weight": float(w_sk[j]), "events": int(sk["events"].iloc[j]),
                     "units": float(sk["units"].iloc[j]),
                     "expected_units": float(sk["expected_units"].iloc[j])}
                )  # fmt: skip
    out = pd.DataFrame(rows, columns=EFFECT_COLUMNS)
    order = {"kind": 0, "marketplace": 1, "sku": 2}
    out = out.assign(_o=out[LEVEL].map(order))
    return (
        out.sort_values(["_o", KIND, PHASE, s.MARKETPLACE, s.SKU], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def event_effects(
    sales: pd.DataFrame, events: pd.DataFrame, cfg: UpliftSettings | None = None
) -> pd.DataFrame:
    """Learned event factors of a batch: :func:`event_evidence` then :func:`learn_event_effects`.

    ``sales`` must end at ``as_of`` (nothing after it is seen); see those functions for the
    columns.
    """
    return learn_event_effects(event_evidence(sales, events, cfg))


def _factor_lookup(
    effects: pd.DataFrame, keys: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Factor, log sd and whether found, per row of ``keys`` (``sku, marketplace, kind, phase``):
    the SKU's own, else its marketplace's, else the kind's."""
    n = len(keys)
    fac, sd, found = np.ones(n), np.zeros(n), np.zeros(n, bool)
    levels = [
        ("sku", [s.SKU, s.MARKETPLACE, KIND, PHASE]),
        ("marketplace", [s.MARKETPLACE, KIND, PHASE]),
        ("kind", [KIND, PHASE]),
    ]
    for level, on in levels:
        table = effects.loc[effects[LEVEL] == level, [*on, FACTOR, LOG_SD]]
        if table.empty:
            continue
        m = keys[on].merge(table, on=on, how="left")
        hit = m[FACTOR].notna().to_numpy() & ~found
        fac[hit] = m[FACTOR].to_numpy()[hit]
        sd[hit] = m[LOG_SD].to_numpy()[hit]
        found |= hit
    return fac, sd, found


def apply_event_effects(
    forecast: pd.DataFrame,
    effects: pd.DataFrame,
    events: pd.DataFrame,
    cfg: UpliftSettings | None = None,
) -> pd.DataFrame:
    """The forecast with each event-phase day's mean and quantiles multiplied by its factor.

    Parameters
    ----------
    forecast : DataFrame
        Daily forecast ``sku, marketplace, date, model, mean, p10 … p90`` (units per day).
    effects : DataFrame
        From :func:`event_effects`.
    events : DataFrame
        The calendar (``date, marketplace, event, kind``) covering the forecast's days.
    cfg : UpliftSettings, optional
        The windows used when learning ``effects`` (pre/post days).

    Returns
    -------
    DataFrame
        Same rows and columns; on each series' pre, event and post days (unless its model is in
        :data:`SELF_EVENT_MODELS`) ``mean × f`` and ``p_q × f · exp(z_q · s)`` with ``f`` and
        ``s`` the SKU's factor and log sd (else its marketplace's, else the kind's). Quantiles
        stay non-decreasing; days without a learned factor are unchanged.
    """
    cfg = cfg or UpliftSettings()
    if forecast.empty or effects.empty:
        return forecast
    phases = phase_days(event_spells(events), cfg)
    if phases.empty:
        return forecast
    out = forecast.copy()
    keys = out[[s.SKU, s.MARKETPLACE, s.DATE]].merge(
        phases[[s.MARKETPLACE, s.DATE, KIND, PHASE]], on=[s.MARKETPLACE, s.DATE], how="left"
    )
    on_event = keys[PHASE].notna().to_numpy()
    if s.MODEL in out.columns:
        on_event &= ~out[s.MODEL].isin(SELF_EVENT_MODELS).to_numpy()
    if not on_event.any():
        return forecast
    fac, sd, found = _factor_lookup(effects, keys.loc[on_event].reset_index(drop=True))
    idx = np.flatnonzero(on_event)[found]
    fac, sd = fac[found], sd[found]
    out[s.MEAN] = out[s.MEAN].astype(float)
    out.loc[out.index[idx], s.MEAN] = out[s.MEAN].to_numpy()[idx] * fac
    qcols = [c for c in out.columns if c in set(s.quantile_columns())]
    qcols = sorted(qcols, key=lambda c: float(c[1:]))
    if qcols:
        qs = np.array([float(c[1:]) / 100 for c in qcols])
        vals = out[qcols].to_numpy(float)[idx]
        vals = vals * fac[:, None] * np.exp(norm.ppf(qs)[None, :] * sd[:, None])
        vals = np.maximum.accumulate(vals, axis=1)
        out[qcols] = out[qcols].astype(float)
        out.loc[out.index[idx], qcols] = vals
    return out
