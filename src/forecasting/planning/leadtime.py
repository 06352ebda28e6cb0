"""Lead time as a chain of segments: protection period, order timeline, inbound arrival dates.

A replenishment lead time is the chain production → QC → inland → first leg (sea / air / rail /
express) → customs → [overseas 3PL or AWD] → FBA check-in, each leg with a mean and a standard
deviation in days (settings ``lead_times``, :class:`forecasting.config.LeadTime`). Legs are taken as
independent, so the total has mean Σ mean and standard deviation √Σ sd² (Silver, Pyke & Thomas
2017, §6.9: "independent components of lead time").

Written by hand because the arithmetic is a few lines and no planning library models Amazon's
inbound states (working / shipped / receiving).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from forecasting.config import LeadTime, Settings

#: Segments that happen at the factory before goods leave it (production, then quality control).
FACTORY_SEGMENTS = ("production", "qc")
#: Segments before the ship date (goods leave the port of loading): the production area's
#: ``requirements.PRE_SHIPMENT_SEGMENTS`` follow production, so both areas agree on the dates.
PRE_SHIPMENT_SEGMENTS = ("production", "qc", "inland")


@dataclass(frozen=True)
class OrderTimeline:
    """Key days of one replenishment order, counted in days from the day it is released.

    Attributes
    ----------
    production_done_day : float
        Days until production must be finished (end of the ``production`` segment).
    ship_day : float
        Days until goods are shipped from the port of loading (end of production + QC + inland).
    arrival_day : float
        Days until goods are available for sale at FBA (mean total lead time).
    """

    production_done_day: float
    ship_day: float
    arrival_day: float


def segment_stats(lead_time: LeadTime, *, after: str | None = None) -> tuple[float, float]:
    """Mean and standard deviation (days) of the lead time, optionally only the legs after one.

    Parameters
    ----------
    lead_time : LeadTime
        Lead time of one marketplace × shipping mode.
    after : str, optional
        Name of a segment; only the segments *after* it count (e.g. ``"production"`` for finished
        goods already at the factory). ``None`` counts the whole chain; an unknown name counts the
        whole chain too (a chain without a ``qc`` leg simply has nothing to skip).

    Returns
    -------
    tuple of float
        ``(mean_days, sd_days)`` with mean = Σ means, sd = √Σ sd² (independent segments).

    Examples
    --------
    >>> from forecasting.config import LeadTime, LeadTimeSegment
    >>> lt = LeadTime("US", "sea", (LeadTimeSegment("production", 14, 3),
    ...                             LeadTimeSegment("first_leg", 30, 4)))
    >>> segment_stats(lt)
    (44.0, 5.0)
    >>> segment_stats(lt, after="production")
    (30.0, 4.0)
    """
    segs = list(lead_time.segments)
    names = [s.name for s in segs]
    if after is not None and after in names:
        segs = segs[names.index(after) + 1 :]
    mean = float(sum(s.mean_days for s in segs))
    sd = math.sqrt(sum(s.sd_days**2 for s in segs))
    return mean, float(sd)


def protection_period_days(lead_time_days: float, review_period_days: float) -> float:
    """Protection period of a periodic-review order-up-to policy, in days.

    Formula: ``P = L + R`` — an order placed now must cover demand until the order placed at the
    next review arrives (Silver, Pyke & Thomas 2017, §6.7, the (R, S) system).

    Examples
    --------
    >>> protection_period_days(63, 7)
    70.0
    """
    if lead_time_days < 0 or review_period_days < 0:
        raise ValueError("lead time and review period must be ≥ 0 days")
    return float(lead_time_days + review_period_days)


def required_forecast_days(settings: Settings) -> int:
    """Days of daily forecast the plan needs, counted from the day after ``as_of``.

    Formula: ``H + round(max L) + R`` — the planning horizon ``H`` (days), plus the longest mean
    lead time ``L`` over every marketplace and mode of the settings, plus one review period ``R``:
    the order placed at the last review of the horizon must cover demand until the next order
    placed after it arrives (the protection period ``L + R`` of the (R, S) system, Silver, Pyke &
    Thomas 2017, §6.7). The weekly run forecasts this many days; a shorter forecast is extended
    flat by the plan and flagged (``forecast_extended``). Beyond these days the plan looks a
    further aged-inventory age (180 days) ahead only for the ageing cap, on that flat extension.

    Examples
    --------
    >>> from forecasting.config import load_settings
    >>> required_forecast_days(load_settings())   # the sample: 210 + 70 (sea to DE) + 7
    287
    """
    longest = max((lt.mean_days for lt in settings.lead_times), default=0.0)
    return int(settings.planning_horizon_days + round(longest) + settings.review_period_days)


def order_timeline(lead_time: LeadTime) -> OrderTimeline:
    """Days from releasing an order to production done, shipping and arrival at FBA.

    Production is done after the ``production`` leg; goods ship after
    :data:`PRE_SHIPMENT_SEGMENTS` (production, QC, inland); arrival is the mean total lead time.
    Legs the chain lacks count 0.

    Examples
    --------
    >>> from forecasting.config import LeadTime, LeadTimeSegment as S
    >>> lt = LeadTime("US", "sea", (S("production", 14), S("qc", 2), S("inland", 3),
    ...                             S("first_leg", 30)))
    >>> order_timeline(lt)
    OrderTimeline(production_done_day=14.0, ship_day=19.0, arrival_day=49.0)
    """
    prod = sum(s.mean_days for s in lead_time.segments if s.name == "production")
    factory = sum(s.mean_days for s in lead_time.segments if s.name in PRE_SHIPMENT_SEGMENTS)
    return OrderTimeline(float(prod), float(factory), lead_time.mean_days)


def inbound_arrival_days(lead_time: LeadTime) -> dict[str, float]:
    """Expected days until inbound units of each FBA inbound state are available for sale.

    Amazon reports inbound units only by state, not by shipment date, so each state is placed at
    the middle of the legs it still has to pass (a documented assumption):

    - ``inbound_receiving``: half of the ``fba_check_in`` leg;
    - ``inbound_shipped``: half of the transport legs (inland … overseas warehouse) plus check-in;
    - ``inbound_working``: a shipment plan not yet handed over — all legs after the factory.

    Returns
    -------
    dict
        Inbound column name → days (≥ 0) from the as-of date to availability.

    Examples
    --------
    >>> from forecasting.config import LeadTime, LeadTimeSegment as S
    >>> lt = LeadTime("US", "sea", (S("production", 14), S("qc", 2), S("first_leg", 30),
    ...                             S("fba_check_in", 10)))
    >>> inbound_arrival_days(lt)
    {'inbound_receiving': 5.0, 'inbound_shipped': 25.0, 'inbound_working': 40.0}
    """
    check_in = sum(s.mean_days for s in lead_time.segments if s.name == "fba_check_in")
    transport = sum(
        s.mean_days
        for s in lead_time.segments
        if s.name not in FACTORY_SEGMENTS and s.name != "fba_check_in"
    )
    return {
        "inbound_receiving": float(check_in / 2),
        "inbound_shipped": float(transport / 2 + check_in),
        "inbound_working": float(transport + check_in),
    }


def lead_time_table(settings: Settings) -> pd.DataFrame:
    """All lead times of the settings as a table, one row per marketplace × mode × segment.

    Columns: marketplace, mode, segment, mean_days, sd_days, total_mean_days, total_sd_days
    (days; total sd = √Σ sd²).
    """
    rows = []
    for lt in settings.lead_times:
        for s in lt.segments:
            rows.append(
                {
                    "marketplace": lt.marketplace,
                    "mode": lt.mode,
                    "segment": s.name,
                    "mean_days": s.mean_days,
                    "sd_days": s.sd_days,
                    "total_mean_days": lt.mean_days,
                    "total_sd_days": lt.sd_days,
                }
            )
    return pd.DataFrame(rows)
