"""The seller's FBA stock, day by day: imperfect replenishment, censored sales, returns.

Each SKU × marketplace keeps an FBA stock. Every day ``sold = min(demand, stock available)``
(demand above the stock is lost: censored). Once a week the seller reviews each series with a naive
rule of thumb (last 28 days of *sales* – censored after a stockout – scaled by the expected
season, order-up-to ``rate × (lead time + cover)``) and ships sea freight from the factory. What goes
wrong, as in life: production around Chinese New Year stops for three weeks, some shipments leave
late, a few series are blocked for 2–3 months (mould repair, compliance hold), slow movers are shipped
in minimum lots or over-bought once and age, tight series run out on their peak days only.

Written by hand because no library simulates a seller's replenishment with these failure modes; the
loop is over days with numpy arrays over series; the whole history takes about a second.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.config import Settings
from forecasting.sample.demand import Series, yearly_profile

#: factory shutdowns of the past years (Chinese New Year), both days inclusive
PAST_SHUTDOWNS = [
    (dt.date(2024, 2, 3), dt.date(2024, 2, 25)),
    (dt.date(2025, 1, 22), dt.date(2025, 2, 13)),
    (dt.date(2026, 2, 9), dt.date(2026, 3, 3)),
]
#: extra days simulated after the as-of date, so shipments in transit have arrival days
EXTRA_DAYS = 200
#: share of ordered units cancelled by the customer, per marketplace
CANCEL_RATE = {"US": 0.02, "DE": 0.015, "JP": 0.01}
#: share of customer returns that go back to sellable stock
RETURN_SELLABLE = 0.7


@dataclass
class Simulation:
    """Daily stock flows per series (arrays series × history days) and every shipment."""

    demand: np.ndarray  #: latent units demanded
    ordered: np.ndarray  #: units ordered (= Business Report Units Ordered, cancellations included)
    cancelled: np.ndarray  #: units ordered then cancelled (never shipped)
    shipped: np.ndarray  #: customer shipments (units)
    receipts: np.ndarray  #: units received into sellable stock
    returns_sellable: np.ndarray  #: customer returns back to sellable stock
    returns_unsellable: np.ndarray  #: customer returns, damaged or defective
    start_balance: np.ndarray  #: sellable units at the start of the day
    end_balance: np.ndarray  #: sellable units at the end of the day (ledger Ending Balance)
    shipments: pd.DataFrame  #: series, order_day, finish_day, ship_day, dock_day, avail_day, units
    first_day: np.ndarray  #: per series, first day index with stock or sales (ledger start)
    lots: list[list[tuple[int, int]]]  #: per series, receipts (day index, units) incl. opening lot


def _segment_draw(rng: np.random.Generator, mean: float, sd: float) -> int:
    return max(1, round(rng.normal(mean, sd)))


def _production_finish(
    order_day: int, days: int, shutdowns: list[tuple[int, int]], rng: np.random.Generator
) -> int:
    """Day the batch is finished: ``days`` working days from ``order_day``, none in a shutdown."""
    finish = order_day + days
    for a, b in shutdowns:
        if order_day <= b and finish >= a - 20:
            # the pre-holiday rush: orders placed in the last weeks before CNY often slip past it
            if finish < a and rng.random() > 0.5:
                continue
            done_before = max(0, a - order_day)
            finish = b + 7 + max(days - done_before, 3)  # workers come back a week late
    return finish


@dataclass
class _Run:
    """The simulation's working state (arrays series × all days, the shipment rows, the stock)."""

    series: list[Series]
    demand: np.ndarray
    dates: pd.DatetimeIndex
    rng: np.random.Generator
    t_hist: int
    t_all: int
    shutdowns: list[tuple[int, int]]
    seg: dict[str, dict[str, tuple[float, float]]]  #: marketplace → segment → (mean, sd) days
    lt_mean: dict[str, float]  #: marketplace → mean sea lead time (days)
    launch_idx: np.ndarray
    review_dow: np.ndarray
    cover: np.ndarray  #: days of cover the seller orders up to (beyond the lead time)
    guess: np.ndarray  #: the seller's rate guess before 28 days of sales (units/day)
    season: np.ndarray
    blocked: np.ndarray  #: series × day: no shipment can be ordered (mould repair, compliance)
    case: np.ndarray
    arrivals: np.ndarray
    ret_s: np.ndarray
    ret_u: np.ndarray
    committed: np.ndarray
    out: dict[str, np.ndarray]
    lots: list[list[tuple[int, int]]]
    rows: list[tuple]
    stock: np.ndarray
    pipeline: np.ndarray  #: ordered, not yet available at FBA


def _start(
    series: list[Series],
    demand: np.ndarray,
    dates: pd.DatetimeIndex,
    settings: Settings,
    rng: np.random.Generator,
) -> _Run:
    """The seller's habits per series (review day, cover, first guess), blocks, empty arrays."""
    n, t_hist = demand.shape
    t_all = t_hist + EXTRA_DAYS
    day0 = dates[0].date()
    doy = np.arange(t_all) + dates[0].day_of_year
    doy = ((doy - 1) % 365) + 1
    seg = {
        mp: {s.name: (s.mean_days, s.sd_days) for s in settings.lead_time(mp, "sea").segments}
        for mp in ("US", "DE", "JP")
    }
    launch_idx = np.array([max(0, (s.launch - day0).days) for s in series])
    review_dow = rng.integers(0, 7, n)
    cover = np.where(rng.random(n) < 0.3, rng.uniform(8, 18, n), rng.uniform(25, 50, n))
    guess = np.array([s.base for s in series]) * rng.uniform(0.6, 1.4, n)
    season = np.array([yearly_profile(s.product.category, doy.astype(float)) for s in series])
    blocked = np.zeros((n, t_all), dtype=bool)
    big = [i for i, s in enumerate(series) if s.base > 1.0]
    for i in rng.choice(big, size=min(5, len(big)), replace=False):
        a = int(rng.integers(120, t_hist - 150))
        blocked[i, a : a + int(rng.integers(50, 90))] = True
    return _Run(
        series=series,
        demand=demand,
        dates=dates,
        rng=rng,
        t_hist=t_hist,
        t_all=t_all,
        shutdowns=[((a - day0).days, (b - day0).days) for a, b in PAST_SHUTDOWNS],
        seg=seg,
        lt_mean={mp: sum(m for m, _ in seg[mp].values()) for mp in seg},
        launch_idx=launch_idx,
        review_dow=review_dow,
        cover=cover,
        guess=guess,
        season=season,
        blocked=blocked,
        case=np.array([s.product.case_pack for s in series]),
        arrivals=np.zeros((n, t_all), dtype=np.int64),
        ret_s=np.zeros((n, t_all), dtype=np.int64),
        ret_u=np.zeros((n, t_all), dtype=np.int64),
        committed=np.zeros((n, t_all), dtype=np.int64),
        out={
            k: np.zeros((n, t_hist), dtype=np.int64)
            for k in ("ordered", "cancelled", "shipped", "receipts", "start", "end")
        },
        lots=[[] for _ in range(n)],
        rows=[],
        stock=np.zeros(n, dtype=np.int64),
        pipeline=np.zeros(n, dtype=np.int64),
    )


def _ship(run: _Run, i: int, day: int, units: int) -> None:
    """Order ``units`` of series ``i`` on ``day``: production, QC, sea freight, FBA check-in."""
    rng = run.rng
    sg = run.seg[run.series[i].marketplace]
    finish = _production_finish(day, _segment_draw(rng, *sg["production"]), run.shutdowns, rng)
    ship_day = finish + _segment_draw(rng, *sg["qc"]) + _segment_draw(rng, *sg["inland"])
    if rng.random() < 0.1:  # late ship: container missed, booking rolled
        ship_day += int(rng.integers(7, 29))
    dock = ship_day + _segment_draw(rng, *sg["first_leg"]) + _segment_draw(rng, *sg["customs"])
    avail = dock + _segment_draw(rng, *sg["fba_check_in"])
    run.rows.append((i, day, finish, ship_day, dock, avail, units))
    if avail < run.t_all:
        run.arrivals[i, avail] += units
    run.pipeline[i] += units


def _opening_stock(run: _Run) -> None:
    """Opening stock and a first shipment in transit for series already selling; a first
    shipment arriving in the week before launch for the others."""
    rng, case = run.rng, run.case
    for i, s in enumerate(run.series):
        if run.launch_idx[i] == 0:
            rate = s.base * run.season[i, 0]
            run.stock[i] = int(np.ceil(rate * rng.uniform(25, 60)))
            run.lots[i].append((-int(rng.integers(10, 150)), int(run.stock[i])))
            q = int(np.ceil(rate * 40 / case[i]) * case[i])
            a = int(rng.integers(8, 50))
            run.rows.append((i, a - 60, a - 45, a - 40, a - 8, a, q))
        else:  # launch: first shipment arrives in the week before the launch day
            q = int(np.ceil(run.guess[i] * 50 / case[i]) * case[i])
            a = int(run.launch_idx[i]) - int(rng.integers(1, 8))
            lt = int(run.lt_mean[s.marketplace])
            run.rows.append((i, a - lt, a - lt + 14, a - lt + 17, a - 8, a, q))
        run.arrivals[i, a] += q
        run.pipeline[i] += q


def _over_buy(run: _Run) -> None:
    """A few slow series get one lot of a year's sales or more (it ages past 180 days)."""
    rng, case = run.rng, run.case
    for mp, k in (("US", 3), ("DE", 2), ("JP", 2)):
        slow = [
            i
            for i, s in enumerate(run.series)
            if s.marketplace == mp and s.base < 2.0 and run.launch_idx[i] < 300
        ]
        for i in rng.choice(slow, size=min(k, len(slow)), replace=False):
            a = int(rng.integers(550, 850))
            q = int(np.ceil(run.series[i].base * rng.uniform(450, 600) / case[i]) * case[i])
            run.rows.append((i, a - 70, a - 56, a - 50, a - 8, a, q))
            run.arrivals[i, a] += q
            run.committed[i, a - 70] += q  # counts as on order from its order day only


def _sell_day(run: _Run, t: int, cancel_p: np.ndarray, ret_rate: np.ndarray) -> None:
    """Day ``t``: receive arrivals and returns, sell ``min(demand, stock)``, book cancellations
    and the returns that come back later."""
    rng, out, n = run.rng, run.out, len(run.series)
    out["start"][:, t] = run.stock
    run.stock = run.stock + run.arrivals[:, t] + run.ret_s[:, t]
    out["receipts"][:, t] = run.arrivals[:, t]
    run.pipeline += run.committed[:, t] - run.arrivals[:, t]
    for i in np.nonzero(run.arrivals[:, t])[0]:
        run.lots[i].append((t, int(run.arrivals[i, t])))
    ordered = np.minimum(run.demand[:, t], run.stock)
    cancelled = rng.binomial(ordered, cancel_p)
    shipped = ordered - cancelled
    run.stock = run.stock - shipped
    returned = rng.binomial(shipped, ret_rate)
    if returned.any():
        sellable = rng.binomial(returned, RETURN_SELLABLE)
        lag = rng.integers(4, 35, n)
        idx = np.minimum(t + lag, run.t_all - 1)
        run.ret_s[np.arange(n), idx] += sellable
        run.ret_u[np.arange(n), idx] += returned - sellable
    out["ordered"][:, t] = ordered
    out["cancelled"][:, t] = cancelled
    out["shipped"][:, t] = shipped
    out["end"][:, t] = run.stock


def _review_day(run: _Run, t: int) -> None:
    """The weekly review of the series due on day ``t``: the seller's naive order-up-to rule
    (last 28 days of censored sales × expected season, Q4 bump, noise), in case packs."""
    rng, case, lt_mean = run.rng, run.case, run.lt_mean
    due = (run.review_dow == t % 7) & (t >= run.launch_idx) & ~run.blocked[:, t]
    for i in np.nonzero(due)[0]:
        s = run.series[i]
        lt = lt_mean[s.marketplace]
        lo = max(int(run.launch_idx[i]), t - 27)
        if t - run.launch_idx[i] >= 28:
            rate = run.out["ordered"][i, lo : t + 1].mean()
        else:
            rate = run.guess[i]
        ahead = min(run.t_all - 1, t + int(lt))
        rate *= float(np.clip(run.season[i, ahead] / run.season[i, t], 0.5, 2.5))
        md = run.dates[t].month * 100 + run.dates[t].day
        if s.product.category in ("home", "power tools") and 815 <= md <= 1015:
            rate *= 1.25  # the seller does know Q4 is coming
        rate *= float(np.exp(rng.normal(0, 0.15)))
        position = run.stock[i] + run.pipeline[i]
        if position >= rate * (lt + run.cover[i] / 2):
            continue
        units = rate * (lt + run.cover[i] + 7) - position
        min_lot = 50 if rate < 0.5 else max(case[i], rate * 14)
        units = int(np.ceil(max(units, min_lot) / case[i]) * case[i])
        _ship(run, i, t, units)


def _result(run: _Run) -> Simulation:
    """The history part of the run's arrays, the shipment table and each series' first day."""
    out, t_hist = run.out, run.t_hist
    shipments = pd.DataFrame(
        run.rows,
        columns=["series", "order_day", "finish_day", "ship_day", "dock_day", "avail_day", "units"],
    )
    has = (out["start"] > 0) | (out["end"] > 0) | (out["receipts"] > 0) | (run.demand > 0)
    first_day = np.where(has.any(axis=1), has.argmax(axis=1), t_hist - 1)
    return Simulation(
        demand=run.demand,
        ordered=out["ordered"],
        cancelled=out["cancelled"],
        shipped=out["shipped"],
        receipts=out["receipts"],
        returns_sellable=run.ret_s[:, :t_hist],
        returns_unsellable=run.ret_u[:, :t_hist],
        start_balance=out["start"],
        end_balance=out["end"],
        shipments=shipments,
        first_day=first_day,
        lots=run.lots,
    )


def simulate_stock(
    series: list[Series],
    demand: np.ndarray,
    dates: pd.DatetimeIndex,
    settings: Settings,
    rng: np.random.Generator,
) -> Simulation:
    """Run the daily stock simulation for every series.

    Parameters
    ----------
    series : list of Series
        What sells where (one row of ``demand`` each).
    demand : numpy.ndarray
        Latent demand, units per day, shape series × days of ``dates``.
    dates : pandas.DatetimeIndex
        The history days.
    settings : Settings
        Sea lead-time segments per marketplace (days) are taken from here.
    rng : numpy.random.Generator
        The generator's only source of randomness.

    Returns
    -------
    Simulation
    """
    run = _start(series, demand, dates, settings, rng)
    _opening_stock(run)
    _over_buy(run)
    cancel_p = np.array([CANCEL_RATE[s.marketplace] for s in series])
    ret_rate = np.array([s.product.return_rate for s in series])
    for t in range(run.t_hist):
        _sell_day(run, t, cancel_p, ret_rate)
        _review_day(run, t)
    return _result(run)
