"""Event calendar: Amazon events on their dates, BFCM rule, holidays, promotions, regressors."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from forecasting.demand import (
    event_calendar,
    event_regressors,
    promotions_from_sales,
    read_promotions,
)
from forecasting.demand.events import amazon_events, bfcm_dates, thanksgiving
from forecasting.errors import InputError


def _days(cal: pd.DataFrame, kind: str) -> list[str]:
    return cal.loc[cal.kind == kind, "date"].dt.strftime("%Y-%m-%d").tolist()


def test_bfcm_2026_is_november_27_to_30_in_every_marketplace() -> None:
    assert thanksgiving(2026) == dt.date(2026, 11, 26)
    assert bfcm_dates(2026) == (dt.date(2026, 11, 27), dt.date(2026, 11, 30))
    for mp in ("US", "DE", "JP"):
        cal = event_calendar(mp, "2026-11-01", "2026-12-31", holidays_included=False)
        assert _days(cal, "bfcm") == ["2026-11-27", "2026-11-28", "2026-11-29", "2026-11-30"]


@pytest.mark.parametrize(
    ("year", "friday"), [(2023, "2023-11-24"), (2024, "2024-11-29"), (2025, "2025-11-28")]
)
def test_black_friday_follows_us_thanksgiving(year: int, friday: str) -> None:
    assert bfcm_dates(year)[0] == dt.date.fromisoformat(friday)


def test_prime_day_2025_dates_per_marketplace() -> None:
    us = event_calendar("US", "2025-07-01", "2025-07-31", holidays_included=False)
    assert _days(us, "prime_day") == ["2025-07-08", "2025-07-09", "2025-07-10", "2025-07-11"]
    de = event_calendar("DE", "2025-07-01", "2025-07-31", holidays_included=False)
    assert _days(de, "prime_day") == _days(us, "prime_day")
    jp = event_calendar("JP", "2025-07-01", "2025-07-31", holidays_included=False)
    assert _days(jp, "prime_day") == ["2025-07-11", "2025-07-12", "2025-07-13", "2025-07-14"]
    assert not us.estimate.any()


def test_unannounced_years_are_flagged_as_estimates() -> None:
    ev = amazon_events("US", range(2024, 2029))
    pd27 = ev[(ev.kind == "prime_day") & ev.event.str.endswith("2027")].iloc[0]
    assert pd27.estimate and pd27.start.month == 7
    pd28 = ev[(ev.kind == "prime_day") & ev.event.str.endswith("2028")].iloc[0]
    assert pd28.estimate and pd28.start.weekday() == 1  # projected onto a Tuesday
    assert not ev[ev.event.str.endswith("2024")].estimate.any()
    assert (ev.source != "").all()


def test_public_holidays_by_country() -> None:
    us = event_calendar("US", "2026-01-01", "2026-12-31")
    assert "2026-07-04" in _days(us, "holiday") and "2026-11-26" in _days(us, "holiday")
    de = event_calendar("DE", "2026-01-01", "2026-12-31")
    assert "2026-10-03" in _days(de, "holiday")  # German Unity Day
    jp = event_calendar("JP", "2026-01-01", "2026-12-31")
    assert "2026-11-03" in _days(jp, "holiday")  # Culture Day


def test_unknown_marketplace_needs_a_country() -> None:
    with pytest.raises(InputError, match="country"):
        event_calendar("XX", "2026-01-01", "2026-01-31")
    cal = event_calendar("XX", "2026-01-01", "2026-01-31", country="FR")
    assert _days(cal, "holiday") == ["2026-01-01"]


def test_promotions_csv_and_regressors(tmp_path) -> None:
    path = tmp_path / "promotions.csv"
    path.write_text(
        "sku,marketplace,start,end,kind\n"
        "A,US,2026-03-02,2026-03-04,coupon\n"
        "B,DE,2026-03-01,2026-03-01,deal\n",
        encoding="utf-8",
    )
    promos = read_promotions(path)
    cal = event_calendar("US", "2026-03-01", "2026-03-10", promotions=promos)
    assert _days(cal, "promotion") == ["2026-03-02", "2026-03-03", "2026-03-04"]
    assert set(cal.loc[cal.kind == "promotion", "sku"]) == {"A"}
    reg = event_regressors(cal, "2026-03-01", "2026-03-10", sku="A")
    assert list(reg.columns) == [
        "prime_day",
        "prime_big_deal_days",
        "bfcm",
        "holiday",
        "promotion",
    ]
    assert reg["promotion"].tolist() == [0, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    assert reg.drop(columns="promotion").to_numpy().sum() == 0
    assert event_regressors(cal, "2026-03-01", "2026-03-10")["promotion"].sum() == 0


def test_regressors_by_event_name() -> None:
    cal = event_calendar("US", "2025-07-01", "2025-12-31", holidays_included=False)
    reg = event_regressors(cal, "2025-07-01", "2025-12-31", by="event")
    assert reg["Prime Day 2025"].sum() == 4 and reg["Black Friday–Cyber Monday 2025"].sum() == 4
    assert len(reg) == 184 and set(reg.to_numpy().ravel()) <= {0, 1}


def test_bad_promotions_file_names_row_and_column(tmp_path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(
        "sku,marketplace,start,end,kind\nA,US,2026-03-02,2026-03-04,coupon\nB,US,3/5/26,"
        "2026-03-06,deal\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_promotions(path)
    assert err.value.row == 3 and err.value.column == "start" and "p.csv" in str(err.value)
    path.write_text("sku,marketplace,start,kind\n", encoding="utf-8")
    with pytest.raises(InputError, match="end"):
        read_promotions(path)


def test_promotions_from_sales_flag() -> None:
    sales = pd.DataFrame(
        {
            "sku": "A",
            "marketplace": "US",
            "date": pd.date_range("2026-01-01", periods=8),
            "units": 1,
            "promo": [False, True, True, False, False, True, True, True],
        }
    )
    spells = promotions_from_sales(sales)
    assert spells.start.dt.day.tolist() == [2, 6] and spells.end.dt.day.tolist() == [3, 8]
