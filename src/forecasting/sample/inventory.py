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
    n, t_hist = demand.shape
    t_all = t_hist + EXTRA_DAYS
    day0 = dates[0].date()
    shutdowns = [((a - day0).days, (b - day0).days) for a, b in PAST_SHUTDOWNS]
    doy = np.arange(t_all) + dates[0].day_of_year
    doy = ((doy - 1) % 365) + 1
    seg = {
        mp: {s.name: (s.mean_days, s.sd_days) for s in settings.lead_time(mp, "sea").segments}
        for mp in ("US", "DE", "JP")
    }
    lt_mean = {mp: sum(m for m, _ in seg[mp].values()) for mp in seg}

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

    arrivals = np.zeros((n, t_all), dtype=np.int64)
    ret_s = np.zeros((n, t_all), dtype=np.int64)
    ret_u = np.zeros((n, t_all), dtype=np.int64)
    out = {
        k: np.zeros((n, t_hist), dtype=np.int64)
        for k in ("ordered", "cancelled", "shipped", "receipts", "start", "end")
    }
    lots: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    rows: list[tuple] = []
    stock = np.zeros(n, dtype=np.int64)
    pipeline = np.zeros(n, dtype=np.int64)  # ordered, not yet available at FBA
    case = np.array([s.product.case_pack for s in series])

    def ship(i: int, day: int, units: int) -> None:
        s = series[i]
        sg = seg[s.marketplace]
        finish = _production_finish(day, _segment_draw(rng, *sg["production"]), shutdowns, rng)
        ship_day = finish + _segment_draw(rng, *sg["qc"]) + _segment_draw(rng, *sg["inland"])
        if rng.random() < 0.1:  # late ship: container missed, booking rolled
            ship_day += int(rng.integers(7, 29))
        dock = ship_day + _segment_draw(rng, *sg["first_leg"]) + _segment_draw(rng, *sg["customs"])
        avail = dock + _segment_draw(rng, *sg["fba_check_in"])
        rows.append((i, day, finish, ship_day, dock, avail, units))
        if avail < t_all:
            arrivals[i, avail] += units
        pipeline[i] += units

    # opening stock and a first shipment in transit for series already selling
    for i, s in enumerate(series):
        if launch_idx[i] == 0:
            rate = s.base * season[i, 0]
            stock[i] = int(np.ceil(rate * rng.uniform(25, 60)))
            lots[i].append((-int(rng.integers(10, 150)), int(stock[i])))
            q = int(np.ceil(rate * 40 / case[i]) * case[i])
            a = int(rng.integers(8, 50))
            rows.append((i, a - 60, a - 45, a - 40, a - 8, a, q))
            arrivals[i, a] += q
            pipeline[i] += q
        else:  # launch: first shipment arrives in the week before the launch day
            q = int(np.ceil(guess[i] * 50 / case[i]) * case[i])
            a = int(launch_idx[i]) - int(rng.integers(1, 8))
            lt = int(lt_mean[s.marketplace])
            rows.append((i, a - lt, a - lt + 14, a - lt + 17, a - 8, a, q))
            arrivals[i, a] += q
            pipeline[i] += q

    committed = np.zeros((n, t_all), dtype=np.int64)
    # over-buying: a few slow series get one lot of a year's sales or more (ages past 180 days)
    for mp, k in (("US", 3), ("DE", 2), ("JP", 2)):
        slow = [
            i
            for i, s in enumerate(series)
            if s.marketplace == mp and s.base < 2.0 and launch_idx[i] < 300
        ]
        for i in rng.choice(slow, size=min(k, len(slow)), replace=False):
            a = int(rng.integers(550, 850))
            q = int(np.ceil(series[i].base * rng.uniform(450, 600) / case[i]) * case[i])
            rows.append((i, a - 70, a - 56, a - 50, a - 8, a, q))
            arrivals[i, a] += q
            committed[i, a - 70] += q  # counts as on order from its order day only

    cancel_p = np.array([CANCEL_RATE[s.marketplace] for s in series])
    ret_rate = np.array([s.product.return_rate for s in series])
    for t in range(t_hist):
        out["start"][:, t] = stock
        stock = stock + arrivals[:, t] + ret_s[:, t]
        out["receipts"][:, t] = arrivals[:, t]
        pipeline += committed[:, t] - arrivals[:, t]
        for i in np.nonzero(arrivals[:, t])[0]:
            lots[i].append((t, int(arrivals[i, t])))
        ordered = np.minimum(demand[:, t], stock)
        cancelled = rng.binomial(ordered, cancel_p)
        shipped = ordered - cancelled
        stock = stock - shipped
        returned = rng.binomial(shipped, ret_rate)
        if returned.any():
            sellable = rng.binomial(returned, RETURN_SELLABLE)
            lag = rng.integers(4, 35, n)
            idx = np.minimum(t + lag, t_all - 1)
            ret_s[np.arange(n), idx] += sellable
            ret_u[np.arange(n), idx] += returned - sellable
        out["ordered"][:, t] = ordered
        out["cancelled"][:, t] = cancelled
        out["shipped"][:, t] = shipped
        out["end"][:, t] = stock

        due = (review_dow == t % 7) & (t >= launch_idx) & ~blocked[:, t]
        for i in np.nonzero(due)[0]:
            s = series[i]
            lt = lt_mean[s.marketplace]
            lo = max(int(launch_idx[i]), t - 27)
            rate = out["ordered"][i, lo : t + 1].mean() if t - launch_idx[i] >= 28 else guess[i]
            ahead = min(t_all - 1, t + int(lt))
            rate *= float(np.clip(season[i, ahead] / season[i, t], 0.5, 2.5))
            md = dates[t].month * 100 + dates[t].day
            if s.product.category in ("home", "power tools") and 815 <= md <= 1015:
                rate *= 1.25  # the seller does know Q4 is coming
            rate *= float(np.exp(rng.normal(0, 0.15)))
            position = stock[i] + pipeline[i]
            if position >= rate * (lt + cover[i] / 2):
                continue
            units = rate * (lt + cover[i] + 7) - position
            min_lot = 50 if rate < 0.5 else max(case[i], rate * 14)
            units = int(np.ceil(max(units, min_lot) / case[i]) * case[i])
            ship(i, t, units)

    returns_sellable, returns_unsellable = ret_s[:, :t_hist], ret_u[:, :t_hist]
    shipments = pd.DataFrame(
        rows,
        columns=["series", "order_day", "finish_day", "ship_day", "dock_day", "avail_day", "units"],
    )
    has = (out["start"] > 0) | (out["end"] > 0) | (out["receipts"] > 0) | (demand > 0)
    first_day = np.where(has.any(axis=1), has.argmax(axis=1), t_hist - 1)
    return Simulation(
        demand=demand,
        ordered=out["ordered"],
        cancelled=out["cancelled"],
        shipped=out["shipped"],
        receipts=out["receipts"],
        returns_sellable=returns_sellable,
        returns_unsellable=returns_unsellable,
        start_balance=out["start"],
        end_balance=out["end"],
        shipments=shipments,
        first_day=first_day,
        lots=lots,
    )
