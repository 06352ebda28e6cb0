"""Event effects (demand/uplift.py): learned from a synthetic batch with known multipliers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting import schema as s
from forecasting.demand import event_calendar
from forecasting.demand.uplift import (
    UpliftSettings,
    apply_event_effects,
    dersimonian_laird,
    event_effects,
)
from forecasting.errors import InputError

START, END = "2023-06-01", "2025-12-31"
AS_OF = pd.Timestamp("2025-12-31")
PRIME, PRE, POST = 2.5, 1.0, 0.7  # true multipliers: Prime Day, the week before, the week after


def _calendar(mp: str = "US") -> pd.DataFrame:
    cal = event_calendar(mp, START, "2026-12-31", holidays_included=False)
    return cal.assign(marketplace=mp)[[s.DATE, s.MARKETPLACE, "event", "kind"]]


def _batch(n_sku: int = 30, *, seed: int = 1, censor: bool = False) -> pd.DataFrame:
    """Poisson daily demand per SKU; Prime Day × PRIME, the 7 days after × POST; BFCM and PBDD
    × 1.5. ``censor``: every other SKU runs out of stock on its event days (sales capped, day
    marked out of stock)."""
    rng = np.random.default_rng(seed)
    days = pd.date_range(START, END)
    cal = _calendar()
    mult = pd.Series(1.0, index=days)
    for (kind, _), g in cal.groupby(["kind", "event"]):
        d = pd.DatetimeIndex(g[s.DATE]).intersection(days)
        mult[d] = PRIME if kind == "prime_day" else 1.5
        if kind == "prime_day" and len(d):
            after = pd.date_range(d.max() + pd.Timedelta(days=1), periods=7)
            mult[after.intersection(days)] = POST
    frames = []
    for i in range(n_sku):
        rate = rng.uniform(3, 15)
        demand = rng.poisson(rate * mult.to_numpy())
        units, in_stock = demand.copy(), np.ones(len(days), bool)
        if censor and i % 2:
            hit = mult.to_numpy() > 1
            units[hit] = np.minimum(units[hit], 2)
            in_stock[hit] = False
        frames.append(
            pd.DataFrame({s.SKU: f"S{i:02d}", s.MARKETPLACE: "US", s.DATE: days,
                          s.UNITS: units, s.IN_STOCK: in_stock, "partial": False,
                          "demand_estimate": units.astype(float)})
        )  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def _row(eff: pd.DataFrame, level: str, kind: str, phase: str, sku: str = "") -> pd.Series:
    m = (eff["level"] == level) & (eff["kind"] == kind) & (eff["phase"] == phase)
    if sku:
        m &= eff[s.SKU] == sku
    assert m.sum() >= 1, f"no {level} row for {kind} {phase} {sku}"
    return eff[m].iloc[0]


@pytest.mark.parametrize("censor", [False, True])
def test_known_multiplier_recovered_within_10_percent(censor: bool) -> None:
    eff = event_effects(_batch(censor=censor), _calendar())
    for kind, phase, truth in (("prime_day", "event", PRIME), ("prime_day", "post", POST),
                               ("prime_day", "pre", PRE), ("bfcm", "event", 1.5)):  # fmt: skip
        got = _row(eff, "marketplace", kind, phase)["factor"]
        assert abs(got / truth - 1) < 0.10, (kind, phase, got, truth)
    sku = eff[(eff["level"] == "sku") & (eff["kind"] == "prime_day") & (eff["phase"] == "event")]
    assert np.median(np.abs(sku["factor"] / PRIME - 1)) < 0.10


def test_stockout_days_are_censored_not_counted() -> None:
    """Counting capped sales on out-of-stock event days as demand would halve the factor."""
    sales = _batch(censor=True)
    naive = sales.assign(**{s.IN_STOCK: True})
    got = _row(event_effects(sales, _calendar()), "marketplace", "prime_day", "event")["factor"]
    bad = _row(event_effects(naive, _calendar()), "marketplace", "prime_day", "event")["factor"]
    assert abs(got / PRIME - 1) < 0.10
    assert bad < 0.8 * PRIME


def _future(skus: list[str], model: str = "ets") -> pd.DataFrame:
    days = pd.date_range(AS_OF + pd.Timedelta(days=1), periods=240)
    rows = []
    for sku in skus:
        base = np.full(len(days), 4.0)
        rows.append(
            pd.DataFrame({s.SKU: sku, s.MARKETPLACE: "US", s.DATE: days, s.MODEL: model,
                          s.MEAN: base, "p10": base * 0.4, "p20": base * 0.55, "p30": base * 0.7,
                          "p40": base * 0.85, "p50": base, "p60": base * 1.15, "p70": base * 1.3,
                          "p80": base * 1.5, "p90": base * 1.8})
        )  # fmt: skip
    return pd.concat(rows, ignore_index=True)


def _prime_days_2026() -> pd.DatetimeIndex:
    cal = _calendar()
    return pd.DatetimeIndex(cal.loc[(cal["kind"] == "prime_day") & (cal[s.DATE].dt.year == 2026),
                                    s.DATE])  # fmt: skip


def test_sku_without_event_history_gets_pooled_uplift() -> None:
    sales = _batch()
    late = sales[sales[s.SKU] == "S00"].assign(**{s.SKU: "NEW"})
    late = late[late[s.DATE] >= "2025-11-01"]  # launched after the last Prime Day and PBDD
    eff = event_effects(pd.concat([sales, late], ignore_index=True), _calendar())
    assert not ((eff[s.SKU] == "NEW") & (eff["kind"] == "prime_day")).any()
    pooled = _row(eff, "marketplace", "prime_day", "event")["factor"]
    out = apply_event_effects(_future(["NEW"]), eff, _calendar())
    on = out[out[s.DATE].isin(_prime_days_2026())]
    assert len(on) == 4
    assert np.allclose(on[s.MEAN], 4.0 * pooled)


def test_quantiles_non_decreasing_and_widened() -> None:
    eff = event_effects(_batch(n_sku=8), _calendar())
    fc = _future(["S00", "S01"])
    out = apply_event_effects(fc, eff, _calendar())
    s.validate_forecast(out)
    q = out[s.quantile_columns()].to_numpy()
    assert (np.diff(q, axis=1) >= -1e-12).all()
    on = out[s.DATE].isin(_prime_days_2026()).to_numpy()
    f = out.loc[on, s.MEAN].to_numpy() / 4.0
    assert (f > 2.0).all()
    sd = _row(eff, "sku", "prime_day", "event", "S00")["log_sd"]
    assert sd > 0
    # p90 grows by more than the factor (spread), p10 by less
    assert (out.loc[on, "p90"].to_numpy() / (4.0 * 1.8) > f).all()
    assert (out.loc[on, "p10"].to_numpy() / (4.0 * 0.4) < f).all()
    # days away from any event phase are unchanged
    off = out[s.DATE].between("2026-02-01", "2026-03-01").to_numpy()
    pd.testing.assert_frame_equal(out[off], fc[off])


def test_prophet_series_untouched() -> None:
    eff = event_effects(_batch(n_sku=8), _calendar())
    fc = pd.concat([_future(["S00"], model="prophet"), _future(["S01"])], ignore_index=True)
    out = apply_event_effects(fc, eff, _calendar())
    prophet = (fc[s.MODEL] == "prophet").to_numpy()
    pd.testing.assert_frame_equal(out[prophet], fc[prophet])
    assert not out[~prophet].equals(fc[~prophet])


def test_no_event_history_gives_no_effects() -> None:
    sales = _batch(n_sku=3)
    short = sales[sales[s.DATE] >= "2025-12-05"]
    assert event_effects(short, _calendar()).empty


def test_dersimonian_laird_between_variance() -> None:
    same = dersimonian_laird(np.array([0.5, 0.5, 0.5]), np.array([0.01, 0.01, 0.01]))
    assert same == pytest.approx((0.5, 0.0))
    spread_mean, tau2 = dersimonian_laird(np.array([0.0, 1.0]), np.array([0.01, 0.01]))
    assert spread_mean == pytest.approx(0.5)
    assert tau2 == pytest.approx(0.5 - 0.01)  # (Q − 1) / (Σw − Σw²/Σw) = (50 − 1) / 100


def test_bad_settings_named() -> None:
    with pytest.raises(InputError, match="baseline_days"):
        UpliftSettings(baseline_days=7, min_baseline_days=14)


def test_effects_chart_draws_each_kind_and_phase() -> None:
    from forecasting.charts.forecast import event_effects_chart

    eff = event_effects(_batch(n_sku=6), _calendar())
    fig = event_effects_chart(eff, "US", lang="en")
    ax = fig.axes[0]
    kinds = eff.loc[eff["level"] == "marketplace", "kind"].nunique()
    assert len(ax.patches) == 3 * kinds  # one bar per kind × phase
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "Prime Day"
