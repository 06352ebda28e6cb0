"""Latent (uncensored) daily demand of every SKU × marketplace, and the promotions behind it.

Demand on day t is negative-binomial with mean

    mu(t) = base · trend(t) · weekly(dow) · yearly(category, day of year) · events(t) · promo(t) · ramp(t)

and size k (variance mu + mu²/k, over-dispersed). Events are Prime Day, Prime Big Deal Days and the
Black Friday – Cyber Monday week on their dates per year; promotions are coupon or deal windows with
a price cut and a lift ``(1 - discount) ** -elasticity``. All randomness comes from one
``numpy.random.Generator``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.sample.catalog import AS_OF, HISTORY_START, Product

#: Sales events (name, first day, last day, demand multiplier on those days). 2024 and 2025 use the
#: real dates (Prime Day 2024-07-16/17 and 2025-07-08…11, Prime Big Deal Days 2024-10-08/09 and
#: 2025-10-07/08); the 2026 Prime Day and Prime Big Deal Days dates are ASSUMED (no reliable
#: source offline): replace them here when known. Black Friday / Cyber Monday are calendar facts.
EVENTS: list[tuple[str, dt.date, dt.date, float]] = [
    ("Black Friday week", dt.date(2023, 11, 23), dt.date(2023, 11, 23), 1.3),
    ("Black Friday", dt.date(2023, 11, 24), dt.date(2023, 11, 26), 2.0),
    ("Cyber Monday", dt.date(2023, 11, 27), dt.date(2023, 11, 27), 1.8),
    ("Prime Day", dt.date(2024, 7, 16), dt.date(2024, 7, 17), 2.3),
    ("Prime Big Deal Days", dt.date(2024, 10, 8), dt.date(2024, 10, 9), 1.6),
    ("Black Friday week", dt.date(2024, 11, 21), dt.date(2024, 11, 28), 1.3),
    ("Black Friday", dt.date(2024, 11, 29), dt.date(2024, 12, 1), 2.0),
    ("Cyber Monday", dt.date(2024, 12, 2), dt.date(2024, 12, 2), 1.8),
    ("Prime Day", dt.date(2025, 7, 8), dt.date(2025, 7, 11), 2.3),
    ("Prime Big Deal Days", dt.date(2025, 10, 7), dt.date(2025, 10, 8), 1.6),
    ("Black Friday week", dt.date(2025, 11, 20), dt.date(2025, 11, 27), 1.3),
    ("Black Friday", dt.date(2025, 11, 28), dt.date(2025, 11, 30), 2.0),
    ("Cyber Monday", dt.date(2025, 12, 1), dt.date(2025, 12, 1), 1.8),
    ("Prime Day", dt.date(2026, 7, 14), dt.date(2026, 7, 17), 2.3),
    ("Prime Big Deal Days", dt.date(2026, 10, 6), dt.date(2026, 10, 7), 1.6),
    ("Black Friday week", dt.date(2026, 11, 20), dt.date(2026, 11, 26), 1.3),
    ("Black Friday", dt.date(2026, 11, 27), dt.date(2026, 11, 29), 2.0),
    ("Cyber Monday", dt.date(2026, 11, 30), dt.date(2026, 11, 30), 1.8),
]

#: weekly profile per marketplace, Monday first (mean 1)
WEEKLY = {
    "US": (1.10, 1.05, 1.00, 0.96, 0.88, 0.90, 1.11),
    "DE": (1.08, 1.04, 1.00, 0.97, 0.90, 0.84, 1.17),
    "JP": (0.95, 0.93, 0.94, 0.96, 1.00, 1.10, 1.12),
}
#: marketplace size relative to US (mean of the per-SKU draw)
MARKET_SCALE = {"US": 1.0, "DE": 0.6, "JP": 0.5}
#: chance that a SKU allowed in a marketplace is actually listed there
LISTED = {"US": 1.0, "DE": 0.7, "JP": 0.5}
#: price elasticity used for the lift of a price promotion
ELASTICITY = 2.5


def _bump(doy: np.ndarray, centre: float, width: float) -> np.ndarray:
    """Gaussian bump on the circular day-of-year axis (days)."""
    d = np.abs(doy - centre)
    d = np.minimum(d, 365.25 - d)
    return np.exp(-0.5 * (d / width) ** 2)


def yearly_profile(category: str, doy: np.ndarray) -> np.ndarray:
    """Yearly seasonality of a category by day of year (mean about 1).

    garden peaks April–June, home and power tools have a Q4 gift peak (power tools also Father's
    Day), pet is steady, auto parts (towing, roof racks) have a broad summer peak.

    Parameters
    ----------
    category : str
        One of home, pet, garden, auto parts, power tools.
    doy : numpy.ndarray
        Day of year (1–366) per day.

    Returns
    -------
    numpy.ndarray
        Demand multiplier per day; divided by its mean when at least a year of days is given.

    Examples
    --------
    >>> import numpy as np
    >>> f = yearly_profile("garden", np.arange(1, 366).astype(float))
    >>> bool(f[130] > 2 * f[0])
    True
    """
    if category == "garden":
        f = 0.30 + 1.55 * _bump(doy, 130, 42)
    elif category == "home":
        f = 0.82 + 0.75 * _bump(doy, 345, 18) + 0.20 * _bump(doy, 12, 14)
    elif category == "power tools":
        f = 0.80 + 0.95 * _bump(doy, 348, 16) + 0.25 * _bump(doy, 165, 8)
    elif category == "pet":
        f = 1.0 + 0.05 * np.sin(2 * np.pi * doy / 365.25)
    else:
        f = 0.78 + 0.45 * _bump(doy, 165, 55)
    return f / f.mean() if f.size >= 365 else f


@dataclass(frozen=True)
class Series:
    """One SKU × marketplace whose latent demand is simulated."""

    product: Product
    marketplace: str
    launch: dt.date  #: first day of sales in this marketplace
    base: float  #: mean units per day at maturity, before seasonality
    size_k: float  #: negative-binomial size (lower = more dispersed)


def history_dates() -> pd.DatetimeIndex:
    """Every day of the simulated history, 2023-11-23 … 2026-11-22."""
    return pd.date_range(HISTORY_START, AS_OF, freq="D")


def build_series(products: list[Product], rng: np.random.Generator) -> list[Series]:
    """Draw which SKU sells where, its size (heavy-tailed) and dispersion.

    Base demand is log-normal across SKUs (sigma 0.9): a few A SKUs, many C SKUs; a few
    SKU × marketplace pairs get a base below 0.3 units per day (intermittent movers).

    Parameters
    ----------
    products : list of Product
        The catalogue; ``marketplaces`` lists where a SKU may be sold.
    rng : numpy.random.Generator
        The simulation's generator.

    Returns
    -------
    list of Series
        One per SKU × marketplace actually listed, with ``base`` in units per day at maturity
        and the negative-binomial size ``size_k`` (0.6–1.5 for slow movers, 2–9 otherwise).
    """
    series: list[Series] = []
    for p in products:
        sku_size = float(np.exp(rng.normal(np.log(3.0), 0.9)))
        for mp in p.marketplaces:
            if rng.random() > LISTED.get(mp, 1.0):  # not listed there after all
                continue
            base = sku_size * MARKET_SCALE[mp] * float(np.exp(rng.normal(0, 0.35)))
            if rng.random() < 0.15:
                base = float(rng.uniform(0.08, 0.3))
            base = min(base, 20.0)
            delay = 0 if mp == "US" else int(rng.integers(0, 120))
            launch = p.launch_date + dt.timedelta(days=delay)
            if launch > AS_OF - dt.timedelta(days=20):
                continue
            k = float(rng.uniform(0.6, 1.5)) if base < 1 else float(rng.uniform(2.0, 9.0))
            series.append(Series(p, mp, launch, base, k))
    return series


@dataclass
class Promotions:
    """Price promotions per series and day: discount share (0 = full price) and a label."""

    discount: np.ndarray  #: series × days, share of the list price taken off (0–1)
    table: pd.DataFrame  #: one row per promotion window: sku, marketplace, start, end, kind, ...


def draw_promotions(
    series: list[Series], dates: pd.DatetimeIndex, rng: np.random.Generator
) -> Promotions:
    """Coupon and deal windows: a few per series per year, plus event deals for some series.

    Parameters
    ----------
    series : list of Series
        The simulated series.
    dates : pandas.DatetimeIndex
        History days.
    rng : numpy.random.Generator
        The simulation's generator.

    Returns
    -------
    Promotions
        ``discount`` (share of list price, series × days) and a table of the windows: coupons
        (10–25 % off, 3–14 days), lightning deals (1–2 days) and 15 % event deals on Prime Day,
        Prime Big Deal Days, Black Friday and Cyber Monday for half of the series.
    """
    n, t = len(series), len(dates)
    disc = np.zeros((n, t))
    rows = []
    day0 = dates[0].date()
    for i, s in enumerate(series):
        windows = []
        for _ in range(int(rng.poisson(2.2 * t / 365))):
            start = int(rng.integers(0, t - 3))
            length = int(rng.integers(3, 15))
            d = float(rng.choice([0.10, 0.15, 0.20, 0.25]))
            kind = "Coupon" if rng.random() < 0.7 else "Lightning Deal"
            if kind == "Lightning Deal":
                length = int(rng.integers(1, 3))
            windows.append((start, min(t, start + length) - 1, kind, d))
        if rng.random() < 0.5:  # joins the Prime / Black Friday deals
            for name, a, b, _ in EVENTS:
                ia, ib = (a - day0).days, (b - day0).days
                if "week" not in name and ib >= 0 and ia < t:
                    windows.append((max(ia, 0), min(ib, t - 1), f"{name} Deal", 0.15))
        for a, b, kind, d in windows:
            disc[i, a : b + 1] = np.maximum(disc[i, a : b + 1], d)
            rows.append((s.product.sku, s.marketplace, a, b, kind, d))
    table = pd.DataFrame(rows, columns=["sku", "marketplace", "start", "end", "kind", "discount"])
    table["start"] = dates[table["start"].to_numpy()].strftime("%Y-%m-%d")
    table["end"] = dates[table["end"].to_numpy()].strftime("%Y-%m-%d")
    table = table.sort_values(["marketplace", "sku", "start", "kind"]).reset_index(drop=True)
    return Promotions(disc, table)


def event_multiplier(dates: pd.DatetimeIndex, category: str) -> np.ndarray:
    """Demand multiplier of the sales events per day (1 outside events).

    Gift categories (home, power tools) react more strongly to Black Friday; garden less:
    ``multiplier = 1 + (lift - 1) × strength(category)`` on Black Friday / Cyber Monday days.

    Parameters
    ----------
    dates : pandas.DatetimeIndex
        History days.
    category : str
        Product category.

    Returns
    -------
    numpy.ndarray
        Multiplier per day.
    """
    m = np.ones(len(dates))
    strength = {"home": 1.15, "power tools": 1.25, "garden": 0.6, "pet": 0.9, "auto parts": 0.8}
    day0 = dates[0].date()
    for name, a, b, lift in EVENTS:
        ia, ib = (a - day0).days, (b - day0).days
        if ib < 0 or ia >= len(dates):
            continue
        s = strength[category] if "Black" in name or "Cyber" in name else 1.0
        m[max(ia, 0) : ib + 1] = 1 + (lift - 1) * s
    return m


def mean_demand(
    series: list[Series], dates: pd.DatetimeIndex, promos: Promotions, rng: np.random.Generator
) -> np.ndarray:
    """Expected units per day (series × days) from all multiplicative effects, 0 before launch.

    ``mu = base · exp(growth · years) · weekly · yearly · events · (1 - discount)^-2.5 · ramp ·
    exp(AR(1) level)``; the launch ramp goes from 25 % to 100 % over 75 days.

    Parameters
    ----------
    series : list of Series
        The simulated series.
    dates : pandas.DatetimeIndex
        History days.
    promos : Promotions
        Price discounts per series and day.
    rng : numpy.random.Generator
        The simulation's generator.

    Returns
    -------
    numpy.ndarray
        Expected demand, units per day, shape series × days.
    """
    doy = dates.day_of_year.to_numpy().astype(float)
    dow = dates.day_of_week.to_numpy()
    years = (dates - dates[0]).days.to_numpy() / 365.25
    mu = np.zeros((len(series), len(dates)))
    for i, s in enumerate(series):
        growth = float(rng.normal(0.08, 0.18))
        trend = np.exp(growth * (years - years[-1]))
        weekly = np.asarray(WEEKLY[s.marketplace])[dow]
        yearly = yearly_profile(s.product.category, doy)
        events = event_multiplier(dates, s.product.category)
        promo = (1 - promos.discount[i]) ** -ELASTICITY
        since = (dates - pd.Timestamp(s.launch)).days.to_numpy()
        ramp = np.where(since < 0, 0.0, np.minimum(1.0, 0.25 + 0.75 * since / 75))
        # slow-moving noise in the level: an AR(1) on the log scale (competition, ranking)
        eps = rng.normal(0, 0.04, len(dates))
        level = np.empty(len(dates))
        acc = 0.0
        for t in range(len(dates)):
            acc = 0.97 * acc + eps[t]
            level[t] = acc
        mu[i] = s.base * trend * weekly * yearly * events * promo * ramp * np.exp(level)
    return mu


def draw_demand(mu: np.ndarray, series: list[Series], rng: np.random.Generator) -> np.ndarray:
    """Negative-binomial units per day with mean ``mu`` and each series' size k.

    Variance ``mu + mu² / k`` (over-dispersed; Poisson as k → ∞), the usual count model for
    retail demand (Syntetos & Boylan, Intermittent Demand Forecasting, 2021, ch. 3).

    Parameters
    ----------
    mu : numpy.ndarray
        Expected units per day, series × days.
    series : list of Series
        Supplies ``size_k`` per series.
    rng : numpy.random.Generator
        The simulation's generator.

    Returns
    -------
    numpy.ndarray
        Latent demand, integer units per day.
    """
    k = np.array([s.size_k for s in series])[:, None] * np.ones_like(mu)
    p = k / (k + np.maximum(mu, 1e-12))
    draws = rng.negative_binomial(k, p)
    return np.where(mu > 0, draws, 0).astype(np.int64)
