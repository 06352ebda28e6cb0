"""The simulated world behind every sample file: catalogue, demand, stock, traffic.

:func:`build_world` runs the whole simulation once from ``numpy.random.default_rng(seed)``; the
writers in :mod:`forecasting.sample.exports`, :mod:`~forecasting.sample.orders`,
:mod:`~forecasting.sample.planning_report` and :mod:`~forecasting.sample.ads` only format what is
here, so all files tell one consistent story (Business Report units = orders = ledger shipments +
cancellations).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.config import Settings, load_settings
from forecasting.sample import capacity, demand
from forecasting.sample.catalog import AS_OF, Product, build_catalog, local_price
from forecasting.sample.inventory import Simulation, simulate_stock

#: the settings the sample is generated for (copied verbatim to ``data/sample/settings.yml``)
SETTINGS_TEMPLATE = Path(__file__).with_name("settings.yml")


@dataclass
class World:
    """Everything simulated, plus where to write it."""

    out: Path
    rng: np.random.Generator
    settings: Settings
    products: list[Product]
    by_sku: dict[str, Product]
    listed: dict[str, list[str]]  #: sku → marketplaces where it is actually sold
    series: list[demand.Series]
    dates: pd.DatetimeIndex
    promotions: demand.Promotions
    mu: np.ndarray  #: expected demand, units per day (series × days)
    sim: Simulation
    traffic: pd.DataFrame  #: Business Report figures per series × day (days with sessions)
    t_end: int  #: index of the as-of date in ``dates``
    seed: int = 7  #: the generator's seed

    def stream(self, *key: int) -> np.random.Generator:
        """An independent generator for one writer: ``default_rng([seed, *key])``.

        Writers draw from their own stream so that a change in one file's details does not shift
        the random numbers of every other file.
        """
        return np.random.default_rng([self.seed, *key])

    def price(self, i: int) -> float:
        """List price of series ``i`` in its marketplace's currency."""
        s = self.series[i]
        return local_price(s.product.price, s.marketplace)


def _traffic(world: World) -> pd.DataFrame:
    """Sessions, page views, buy box, B2B split and order items per series and day."""
    rng, sim = world.rng, world.sim
    frames = []
    for i, s in enumerate(world.series):
        start = max(0, (pd.Timestamp(s.launch) - world.dates[0]).days)
        days = np.arange(start, len(world.dates))
        units = sim.ordered[i, days]
        cvr = rng.uniform(0.07, 0.16)
        in_stock = (sim.start_balance[i, days] + sim.receipts[i, days]) > 0
        lam = np.maximum(world.mu[i, days], 0.2) / cvr * np.where(in_stock, 1.0, 0.6)
        sessions = np.maximum(rng.poisson(lam), units)
        page_views = sessions + rng.binomial(sessions, 0.35)
        units_b2b = rng.binomial(units, 0.03)
        sessions_b2b = np.maximum(rng.binomial(sessions, 0.03), units_b2b)
        extra = rng.binomial(np.maximum(units - 1, 0), 0.06)
        order_items = units - extra
        disc = world.promotions.discount[i, days]
        unit_price = world.price(i) * (1 - disc)
        if s.marketplace == "JP":
            unit_price = np.round(unit_price)
        buy_box = np.where(rng.random(len(days)) < 0.1, rng.uniform(0.88, 1.0, len(days)), 1.0)
        frames.append(
            pd.DataFrame(
                {
                    "series": i,
                    "sku": s.product.sku,
                    "marketplace": s.marketplace,
                    "date": world.dates[days],
                    "day": days,
                    "sessions": sessions,
                    "sessions_b2b": sessions_b2b,
                    "page_views": page_views,
                    "page_views_b2b": sessions_b2b + rng.binomial(sessions_b2b, 0.3),
                    "buy_box": np.where(in_stock, buy_box, 0.0),
                    "buy_box_b2b": np.where(in_stock, 1.0, 0.0),
                    "units": units,
                    "units_b2b": units_b2b,
                    "order_items": order_items,
                    "order_items_b2b": np.minimum(units_b2b, order_items),
                    "unit_price": unit_price,
                    "discount": disc,
                }
            )
        )
    tr = pd.concat(frames, ignore_index=True)
    tr = tr[tr["sessions"] > 0].copy()
    tr["sales"] = np.round(tr["units"] * tr["unit_price"], 2)
    tr["sales_b2b"] = np.round(tr["units_b2b"] * tr["unit_price"], 2)
    for col in ("sessions", "page_views"):
        tot = tr.groupby(["marketplace", "day"])[col].transform("sum")
        tot_b2b = tr.groupby(["marketplace", "day"])[f"{col}_b2b"].transform("sum")
        tr[f"{col.rstrip('s')}_pct" if col == "sessions" else "page_views_pct"] = tr[col] / tot
        name = "session_pct_b2b" if col == "sessions" else "page_views_pct_b2b"
        tr[name] = np.where(tot_b2b > 0, tr[f"{col}_b2b"] / tot_b2b.where(tot_b2b > 0, 1), 0.0)
    return tr.sort_values(["marketplace", "day", "sku"]).reset_index(drop=True)


def build_world(out: Path, seed: int = 7) -> World:
    """Simulate the sample seller from ``seed``.

    Parameters
    ----------
    out : Path
        Folder the writers write into.
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives byte-identical files.

    Returns
    -------
    World
    """
    rng = np.random.default_rng(seed)
    settings = load_settings(SETTINGS_TEMPLATE)
    products = build_catalog(rng)
    series = demand.build_series(products, rng)
    dates = demand.history_dates()
    promos = demand.draw_promotions(series, dates, rng)
    mu = demand.mean_demand(series, dates, promos, rng)
    units = demand.draw_demand(mu, series, rng)
    products = capacity.set_line_rates(products, series, units, settings)
    by_sku = {p.sku: p for p in products}
    series = [dataclasses.replace(s, product=by_sku[s.product.sku]) for s in series]
    listed = {p.sku: [s.marketplace for s in series if s.product.sku == p.sku] for p in products}
    sim = simulate_stock(series, units, dates, settings, rng)
    t_end = int(np.nonzero(dates == pd.Timestamp(AS_OF))[0][0])
    world = World(
        out,
        rng,
        settings,
        products,
        by_sku,
        listed,
        series,
        dates,
        promos,
        mu,
        sim,
        pd.DataFrame(),
        t_end,
        seed,
    )
    world.traffic = _traffic(world)
    return world
