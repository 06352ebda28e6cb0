"""Tables of a production plan: requirement allocation (on time / late / short) and line load.

Kept apart from the optimisation in :mod:`.production` so that the reporting rules can be tested on
hand-written schedules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.planning.production.factory_calendar import LINE, WEEK, line_of_extra
from forecasting.planning.production.requirements import DUE_DATE, DUE_WEEK, REQUIRED
from forecasting.schema import MARKETPLACE, SKU, UNITS, UNITS_PER_HOUR

CAPACITY_COLUMNS = [
    LINE,
    WEEK,
    "capacity_units",
    "planned_units",
    "capacity_hours",
    "planned_hours",
    "overtime_hours",
    "overtime_cap_hours",
    "changeover_hours",
    "setups",
    "working_days",
    "closed_days",
    "utilisation",
    "overtime_cost_per_hour",
]


def allocate_requirements(
    requirements: pd.DataFrame, schedule: pd.DataFrame, weeks: pd.DatetimeIndex
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split every requirement into units made on time, late and never (short): most on time.

    Per SKU, in due order (then due date, marketplace), every requirement first takes what was
    made by its due week and not yet taken (the latest such batches first), so that as many
    units as possible are on time: no allocation of the same production has fewer late units
    (earliest due first is optimal when a unit made in week t can serve any requirement due in
    week t or later). What is left of each requirement is then served, in due order, from the
    batches left, earliest first (late); the rest is short. So ``required = on_time + late +
    short`` exactly; ``ready_week`` is the week of the last batch a requirement takes (NaT if
    short) and ``weeks_late`` its distance from the due week (0 when on time; for a partly
    short requirement the weeks to the horizon's end).

    The stock and backlog of the finished-goods table (and so the plan's cost) depend on the
    cumulative production only, not on this allocation.

    Parameters
    ----------
    requirements : DataFrame
        ``sku, due_week, required`` (units) and any other columns, which are kept.
    schedule : DataFrame
        ``line, week, sku, units``.
    weeks : DatetimeIndex
        Mondays of the plan; requirements due before the first week count as due in it.

    Returns
    -------
    (DataFrame, DataFrame)
        The requirements with ``on_time, late, short, ready_week, weeks_late``; and the
        finished-goods build-up ``sku, week, produced, due, finished_goods, backlog`` (units at
        the end of each week).

    Examples
    --------
    One SKU, 100 units made in week 1 against 60 due in week 0 and 60 in week 1: the week-1
    requirement is met on time, the week-0 one gets the 40 left, one week late, 20 short:

    >>> weeks = pd.date_range("2026-11-23", periods=2, freq="7D")
    >>> req = pd.DataFrame({"sku": "A", "due_week": weeks, "required": [60, 60]})
    >>> sched = pd.DataFrame({"line": "L1", "week": weeks[1:], "sku": "A", "units": [100]})
    >>> out, _ = allocate_requirements(req, sched, weeks)
    >>> out[["on_time", "late", "short", "weeks_late"]].values.tolist()
    [[0, 40, 20, 2], [60, 0, 0, 0]]
    """
    T = len(weeks)
    order = [SKU, DUE_WEEK] + [c for c in (DUE_DATE, MARKETPLACE) if c in requirements]
    req = requirements.sort_values(order, kind="mergesort").reset_index(drop=True)
    w = ((req[DUE_WEEK].clip(lower=weeks[0]) - weeks[0]).dt.days // 7).to_numpy(int)
    q = req[REQUIRED].to_numpy(np.int64)
    skus = sorted(set(req[SKU]) | set(schedule[SKU]))
    pos = {s: i for i, s in enumerate(skus)}
    made = np.zeros((len(skus), T), np.int64)
    if len(schedule):
        t_idx = ((schedule[WEEK] - weeks[0]).dt.days // 7).to_numpy(int)
        np.add.at(made, (schedule[SKU].map(pos).to_numpy(), t_idx), schedule[UNITS].to_numpy())
    due = np.zeros_like(made)
    s_idx = req[SKU].map(pos).to_numpy(int)
    np.add.at(due, (s_idx, w), q)
    on_time, late, ready = _serve_requirements(s_idx, w, q, made)
    short = q - on_time - late
    req["on_time"] = on_time
    req["late"] = late
    req["short"] = short
    done = short == 0
    ready = np.where(q == 0, w, ready)
    req["ready_week"] = pd.NaT
    req.loc[done, "ready_week"] = weeks[np.clip(ready[done], 0, T - 1)]
    req["ready_week"] = pd.to_datetime(req["ready_week"])
    req["weeks_late"] = np.where(done, np.maximum(ready - w, 0), np.where(late > 0, T - w, 0))
    return req, _finished_goods(skus, weeks, made, due)


def _serve_requirements(
    s_idx: np.ndarray, w: np.ndarray, q: np.ndarray, made: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Units on time and late of every requirement (SKU index, due week index, units; rows in
    due order) from the units made per SKU and week, and the week index of the last batch each
    takes (−1: none). Earliest due first: optimal for the count of units on time."""
    T = made.shape[1]
    on_time = np.zeros(len(q), np.int64)
    late = np.zeros(len(q), np.int64)
    ready = np.full(len(q), -1)
    for s in np.unique(s_idx):
        rows = np.flatnonzero(s_idx == s)
        left = made[s].copy()
        for r in rows:  # on time: batches made by the due week, latest first
            need = q[r]
            for t in range(min(w[r], T - 1), -1, -1):
                if need == 0:
                    break
                take = min(need, left[t])
                left[t] -= take
                need -= take
                if take and ready[r] < 0:
                    ready[r] = t
            on_time[r] = q[r] - need
        t = 0
        for r in rows:  # late: what is left, earliest batches first
            need = q[r] - on_time[r]
            while need > 0 and t < T:
                take = min(need, left[t])
                left[t] -= take
                need -= take
                if take:
                    ready[r] = max(ready[r], t)
                if left[t] == 0:
                    t += 1
            late[r] = q[r] - on_time[r] - need
    return on_time, late, ready


def _finished_goods(
    skus: list[str], weeks: pd.DatetimeIndex, made: np.ndarray, due: np.ndarray
) -> pd.DataFrame:
    """``sku, week, produced, due, finished_goods, backlog``: finished goods = max(Σ made −
    Σ due, 0) and backlog = max(Σ due − Σ made, 0) at the end of each week (units)."""
    T = len(weeks)
    cum_made, cum_due = made.cumsum(axis=1), due.cumsum(axis=1)
    return pd.DataFrame(
        {
            SKU: np.repeat(skus, T),
            WEEK: np.tile(weeks, len(skus)),
            "produced": made.ravel(),
            "due": due.ravel(),
            "finished_goods": np.maximum(cum_made - cum_due, 0).ravel(),
            "backlog": np.maximum(cum_due - cum_made, 0).ravel(),
        }
    )


def line_week_table(
    schedule: pd.DataFrame, capacity: pd.DataFrame, skus: pd.DataFrame, lines: list[str]
) -> pd.DataFrame:
    """Load of every line in every week, in hours (exact) and units (approximate).

    ``planned_hours = Σ units / units_per_hour + changeover_hours × setups``;
    ``overtime_hours = max(planned_hours − capacity_hours, 0)``;
    ``capacity_units = capacity_hours × weighted average rate`` where the rate is planned units per
    production hour of the week's SKU mix (units/hour), or the simple mean rate of the SKUs that
    may run on the line when nothing is planned; ``utilisation = planned_hours / capacity_hours``.

    Parameters
    ----------
    schedule : DataFrame
        ``line, week, sku, units``.
    capacity : DataFrame
        :func:`~forecasting.planning.production.factory_calendar.weekly_capacity` output.
    skus : DataFrame
        Per-SKU parameters indexed by sku: ``units_per_hour`` and ``lines``.
    lines : list of str
        Line ids in display order.
    """
    cap = capacity.copy()
    sched = schedule.assign(_hours=schedule[UNITS] / schedule[SKU].map(skus[UNITS_PER_HOUR]))
    load = sched.groupby([LINE, WEEK]).agg(
        planned_units=(UNITS, "sum"), _prod_hours=("_hours", "sum"), setups=(SKU, "nunique")
    )
    cap = cap.merge(load.reset_index(), on=[LINE, WEEK], how="left")
    cap[["planned_units", "_prod_hours", "setups"]] = cap[
        ["planned_units", "_prod_hours", "setups"]
    ].fillna(0)
    cap["planned_units"] = cap["planned_units"].astype(np.int64)
    cap["setups"] = cap["setups"].astype(np.int64)
    cap["changeover_hours"] = cap["changeover_hours"] * cap["setups"]
    cap["planned_hours"] = (cap["_prod_hours"] + cap["changeover_hours"]).round(6)
    cap["overtime_hours"] = (cap["planned_hours"] - cap["capacity_hours"]).clip(lower=0).round(6)
    mean_rate = {
        ln: float(np.mean([r for r, ls in zip(skus[UNITS_PER_HOUR], skus["lines"], strict=True)
                           if line_of_extra(ln) in ls] or [0.0]))
        for ln in lines
    }  # fmt: skip
    mix_rate = cap["planned_units"] / cap["_prod_hours"].where(cap["_prod_hours"] > 0)
    rate = mix_rate.fillna(cap[LINE].map(mean_rate))
    cap["capacity_units"] = np.floor(cap["capacity_hours"] * rate + 1e-9).astype(np.int64)
    util = cap["planned_hours"] / cap["capacity_hours"].where(cap["capacity_hours"] > 0)
    cap["utilisation"] = util.fillna(0.0).round(4)
    hours = ["capacity_hours", "overtime_cap_hours", "changeover_hours"]
    cap[hours] = cap[hours].round(6)
    cap["_order"] = cap[LINE].map({ln: i for i, ln in enumerate(lines)})
    cap = cap.sort_values(["_order", WEEK], kind="mergesort").reset_index(drop=True)
    return cap[CAPACITY_COLUMNS]
