"""Lead-time segments against the sample settings, worked by hand."""

from __future__ import annotations

import math

import pytest

from forecasting.config import LeadTime, LeadTimeSegment, load_settings
from forecasting.planning.leadtime import (
    inbound_arrival_days,
    lead_time_table,
    order_timeline,
    protection_period_days,
    segment_stats,
)


@pytest.fixture(scope="module")
def settings():
    return load_settings()


def test_us_sea_total(settings):
    lt = settings.lead_time("US", "sea")
    # 14 + 2 + 3 + 30 + 4 + 10 = 63 days; sd √(9 + .25 + 1 + 25 + 4 + 25) = √64.25
    assert segment_stats(lt) == pytest.approx((63.0, math.sqrt(64.25)))
    # finished goods at the factory skip production: 49 days, sd √55.25
    assert segment_stats(lt, after="production") == pytest.approx((49.0, math.sqrt(55.25)))
    assert segment_stats(lt, after="no-such-leg") == segment_stats(lt)


def test_protection_period(settings):
    assert protection_period_days(settings.lead_time("US", "sea").mean_days, 7) == 70
    with pytest.raises(ValueError):
        protection_period_days(-1, 7)


def test_order_timeline_matches_production_area(settings):
    tl = order_timeline(settings.lead_time("US", "sea"))
    # production 14; ship after production + qc 2 + inland 3 = 19; arrival 63
    assert (tl.production_done_day, tl.ship_day, tl.arrival_day) == (14, 19, 63)


def test_inbound_states_ordered():
    lt = LeadTime(
        "US",
        "sea",
        (
            LeadTimeSegment("production", 14),
            LeadTimeSegment("inland", 4),
            LeadTimeSegment("first_leg", 30),
            LeadTimeSegment("customs", 6),
            LeadTimeSegment("fba_check_in", 10),
        ),
    )
    d = inbound_arrival_days(lt)
    # receiving: 10/2; shipped: (4+30+6)/2 + 10; working: 40 + 10
    assert d == {"inbound_receiving": 5.0, "inbound_shipped": 30.0, "inbound_working": 50.0}


def test_lead_time_table(settings):
    t = lead_time_table(settings)
    assert set(t["marketplace"]) == {"US", "DE", "JP"}
    us_air = t[(t["marketplace"] == "US") & (t["mode"] == "air")]
    assert us_air["mean_days"].sum() == pytest.approx(us_air["total_mean_days"].iloc[0])
