"""Replenishment plan: hand-worked golden cases, fee bounds, capacity, properties, sample run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.config import parse_settings
from forecasting.errors import InputError
from forecasting.planning.fba.replenishment import plan_replenishment

AS_OF = "2026-06-01"
DAY0 = pd.Timestamp("2026-06-02")


def make_settings(*, air: bool = False, horizon: int = 28, review: int = 7):
    lead_times = [
        {
            "marketplace": "US",
            "mode": "sea",
            "cost_per_kg": 1.0,
            "segments": [
                {"name": "production", "mean_days": 10},
                {"name": "first_leg", "mean_days": 20},
            ],
        }
    ]
    if air:
        lead_times.append(
            {
                "marketplace": "US",
                "mode": "air",
                "cost_per_kg": 5.0,
                "segments": [
                    {"name": "production", "mean_days": 10},
                    {"name": "first_leg", "mean_days": 5},
                ],
            }
        )
    raw = {
        "as_of": AS_OF,
        "base_currency": "CNY",
        "fx_to_base": {"USD": 7.0},
        "review_period_days": review,
        "planning_horizon_days": horizon,
        "fee_table": "amazon-us-2026",
        "service_levels": {"A": 0.95, "B": 0.95, "C": 0.95},
        "marketplaces": {"US": {"currency": "USD", "sales_channel": "Amazon.com", "country": "US"}},
        "lead_times": lead_times,
        "factory": {"lines": [{"id": "L1", "shifts_per_day": 1, "days_per_week": 5}]},
    }
    return parse_settings(raw, source="test")


def flat_forecast(skus, level, days=400, spread=0.0):
    dates = pd.date_range(DAY0, periods=days)
    parts = []
    for sku in skus:
        df = pd.DataFrame({"sku": sku, "marketplace": "US", "date": dates, "model": "flat"})
        df["mean"] = float(level)
        for q in range(1, 10):
            df[f"p{q * 10}"] = max(0.0, level + (q - 5) / 4 * 1.28155 * spread)
        parts.append(df)
    return pd.concat(parts, ignore_index=True)


def inventory(skus, on_hand, **extra):
    rows = [
        {"sku": s, "marketplace": "US", "date": pd.Timestamp(AS_OF), "on_hand": on_hand,
         "item_volume_cuft": 0.5, **extra}
        for s in skus
    ]  # fmt: skip
    return pd.DataFrame(rows)


def products(skus, *, case_pack=20, moq=0, unit_cost=50.0):
    return pd.DataFrame(
        {
            "sku": skus,
            "case_pack": case_pack,
            "moq": moq,
            "length_cm": 30.0,
            "width_cm": 20.0,
            "height_cm": 10.0,
            "weight_kg": 1.0,
            "price": 30.0,
            "unit_cost": unit_cost,
        }
    )


def test_golden_order_up_to_sea_only():
    """10 units/day, no spread, L = 30, R = 7, case pack 20, 100 on hand (worked by hand).

    S = 37 days × 10 + LILF floor (28 − 7/2) × 10 = 370 + 245 = 615.
    Review 0: IP 100 → order 515 → 520 (26 cases), arrives day 30.
    Review 7: stock 30, IP 550 → 65 → 80.  Review 14: stock 0, IP 600 → 15 → 20.  Review 21: none.
    """
    r = plan_replenishment(
        flat_forecast(["A"], 10), inventory(["A"], 100), products(["A"]), make_settings()
    )
    ships = r.shipments
    assert ships["units"].tolist() == [520, 80, 20]
    assert ships["mode"].eq("sea").all()
    assert ships["order_date"].tolist() == [DAY0 + pd.Timedelta(days=d) for d in (0, 7, 14)]
    assert ships["arrival_date"].tolist() == [DAY0 + pd.Timedelta(days=d) for d in (30, 37, 44)]
    row = r.plan.iloc[0]
    assert row["order_up_to"] == pytest.approx(615)
    assert row["reorder_point"] == pytest.approx(300)  # 30 days × 10, no spread
    assert row["safety_stock"] == pytest.approx(245)
    assert row["lilf_floor_units"] == pytest.approx(245)
    assert row["ship_qty"] == 520 and row["mode"] == "sea"
    assert row["production_needed_by"] == pd.Timestamp("2026-06-12")  # day 0 + 10 days
    assert row["ship_by"] == pd.Timestamp("2026-06-12")  # no QC / inland legs
    assert row["days_of_cover_now"] == 10
    assert row["stockout_date_p50"] == pd.Timestamp("2026-06-12")  # day 10
    assert "stockout_before_arrival" in row["alerts"]
    assert row["fee_table"] == "amazon-us-2026"
    # projection: P50 on hand 90, 80, … ; the 520 arrive on day 30
    p = r.projection
    assert p["p50"].iloc[:3].tolist() == [90, 80, 70]
    assert p.loc[p["date"] == DAY0 + pd.Timedelta(days=30), "p50"].iloc[0] == 510
    assert (p["p10"] <= p["p50"] + 1e-9).all() and (p["p50"] <= p["p90"] + 1e-9).all()


def test_golden_expedite_by_air():
    """Same, with air (L = 15) and a good margin: the stockout on day 10 comes before sea (30).

    Air covers P50 demand from day 15 to day 30: 150 → 160 (8 cases); sea covers the rest:
    615 − 100 − 160 = 355 → 360.
    """
    r = plan_replenishment(
        flat_forecast(["A"], 10), inventory(["A"], 100), products(["A"]),
        make_settings(air=True),
    )  # fmt: skip
    first = r.shipments[r.shipments["order_date"] == DAY0].set_index("mode")["units"]
    assert first.to_dict() == {"air": 160, "sea": 360}
    row = r.plan.iloc[0]
    assert row["mode"] == "air+sea" and row["ship_qty"] == 520
    assert row["arrival_date"] == DAY0 + pd.Timedelta(days=15)


def test_no_expedite_when_margin_negative():
    r = plan_replenishment(
        flat_forecast(["A"], 10), inventory(["A"], 100), products(["A"], unit_cost=500.0),
        make_settings(air=True),
    )  # fmt: skip
    assert set(r.shipments["mode"]) == {"sea"}


def test_aged_cap_beats_moq_and_lilf_exempt_slow_mover():
    """1 unit/day (exempt from LILF: 7 < 20 a week), MOQ 500, case 20, 10 on hand.

    S = 37; order 27 → MOQ 500, but only 180 units sell within 180 days of arrival → 180.
    """
    r = plan_replenishment(
        flat_forecast(["A"], 1), inventory(["A"], 10), products(["A"], moq=500),
        make_settings(horizon=60),
    )  # fmt: skip
    assert r.shipments["units"].iloc[0] == 180
    row = r.plan.iloc[0]
    assert row["lilf_floor_units"] == 0
    assert "moq_exceeds_aged_cap" in row["alerts"]
    assert row["projected_aged_units_max"] == pytest.approx(0)


def test_factory_stock_counts_and_is_listed_as_shipment():
    fs = pd.DataFrame(
        {"sku": ["A"], "finished_goods": [200], "open_production": [0],
         "open_production_due": [pd.NaT]}
    )  # fmt: skip
    r = plan_replenishment(
        flat_forecast(["A"], 10), inventory(["A"], 100), products(["A"]), make_settings(),
        factory_stock=fs,
    )  # fmt: skip
    fg = r.shipments[r.shipments["source"] == "finished_goods"]
    assert fg["units"].tolist() == [200]
    # finished goods skip production: arrive after the 20-day first leg
    assert fg["arrival_date"].iloc[0] == DAY0 + pd.Timedelta(days=20)
    new = r.shipments[r.shipments["source"] == "new_order"]
    assert new["units"].iloc[0] == 320  # 615 − 100 − 200 = 315 → 320
    assert r.plan.iloc[0]["factory_allocated"] == 200


def test_capacity_limit_defers_overflow_and_conserves_units():
    skus = ["A", "B", "C"]
    args = (flat_forecast(skus, 10), inventory(skus, 0), products(skus), make_settings(horizon=90))
    free = plan_replenishment(*args)
    limit = 250.0  # cu ft; units are 0.5 cu ft
    capped = plan_replenishment(*args, capacity_limits_cuft={"US": {"standard": limit}})
    assert capped.shipments["units"].sum() == free.shipments["units"].sum()
    moved = capped.shipments[capped.shipments["destination"] == "overseas_3pl"]
    assert len(moved) > 0
    assert moved["arrival_date"].dt.day.eq(1).all()  # sent on on the 1st of the next month
    cap = capped.capacity
    assert (cap["units_deferred"] > 0).any()
    assert (cap["peak_cuft_after"] <= cap["peak_cuft_before"] + 1e-9).all()
    fixed = cap[cap["units_deferred"] > 0]
    assert (fixed["peak_cuft_after"] <= limit + 1e-6).any()
    assert capped.plan["alerts"].str.contains("capacity_overflow").any()
    # overage fee: $10 per cu ft above the limit (fee table), 0 where the peak fits
    assert cap["overage_fee"].to_numpy() == pytest.approx(10.0 * cap["overage_cuft"].to_numpy())
    assert (cap["overage_cuft"] >= 0).all() and cap["fee_currency"].eq("USD").all()


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_properties_random_cases(seed):
    rng = np.random.default_rng(seed)
    skus = [f"S{i}" for i in range(4)]
    fc = pd.concat(
        [flat_forecast([s], float(rng.gamma(2, 5)), spread=float(rng.uniform(0, 6))) for s in skus]
    )
    inv = pd.concat([inventory([s], int(rng.integers(0, 600))) for s in skus])
    case = int(rng.choice([1, 6, 12, 24]))
    r = plan_replenishment(
        fc, inv, products(skus, case_pack=case, moq=int(rng.integers(0, 300))),
        make_settings(air=bool(seed % 2), horizon=56),
    )  # fmt: skip
    s = r.shipments
    assert (s["units"] > 0).all()
    new = s[s["source"] == "new_order"]
    assert (new["units"] % case == 0).all()
    assert (new["production_needed_by"] >= new["order_date"]).all()
    assert (new["ship_date"] >= new["production_needed_by"]).all()
    assert (new["arrival_date"] > new["ship_date"]).all()
    assert (r.plan["ship_qty"] >= 0).all()
    assert (r.projection[["p10", "p50", "p90"]] >= 0).all().all()


def test_no_forecast_series_is_reported_not_dropped():
    r = plan_replenishment(
        flat_forecast(["A"], 5), inventory(["A", "Z"], 50), products(["A", "Z"]), make_settings()
    )
    z = r.plan.set_index("sku").loc["Z"]
    assert z["alerts"].startswith("no_forecast") and z["ship_qty"] == 0


def test_same_input_same_output():
    args = (flat_forecast(["A", "B"], 7, spread=3), inventory(["A", "B"], 40), products(["A", "B"]))
    a = plan_replenishment(*args, make_settings(air=True))
    b = plan_replenishment(*args, make_settings(air=True))
    pd.testing.assert_frame_equal(a.plan, b.plan)
    pd.testing.assert_frame_equal(a.shipments, b.shipments)
    pd.testing.assert_frame_equal(a.projection, b.projection)


# --- command line and the sample, end to end ---------------------------------------------------


def test_cli_bad_forecast_file_is_one_line_exit_2(tmp_path, capsys):
    from forecasting.cli import main

    bad = tmp_path / "fc.csv"
    bad.write_text("sku,marketplace,date,mean,p10,p50,p90\nA,US,not-a-date,1,0,1,2\n")
    assert main(["plan", "--forecast", str(bad), "--output", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert "fc.csv:2" in err and "date" in err and "\n" not in err


@pytest.fixture(scope="module")
def sample_store():
    from forecasting.paths import SAMPLE_DIR

    if not (SAMPLE_DIR / "inventory").is_dir() or not (SAMPLE_DIR / "products.csv").exists():
        pytest.skip("sample data not generated")
    from forecasting.errors import InputError
    from forecasting.io.store import open_store

    try:
        store = open_store()
    except InputError as exc:  # the sample is being regenerated
        pytest.skip(f"sample store unavailable: {exc}")
    if store.inventory().empty:
        pytest.skip("sample store has no inventory snapshot")
    return store


def test_end_to_end_on_sample(sample_store, tmp_path):
    """The CLI on the sample with a simple forecast (mean of the last 8 weeks, Poisson spread)."""
    from scipy import stats

    from forecasting.cli import main
    from forecasting.config import load_settings

    settings = load_settings()
    sales = sample_store.sales()
    recent = sales[sales["date"] > sales["date"].max() - pd.Timedelta(days=56)]
    level = recent.groupby(["sku", "marketplace"])["units"].mean().reset_index()
    start = pd.Timestamp(settings.as_of) + pd.Timedelta(days=1)
    dates = pd.date_range(start, periods=settings.planning_horizon_days + 80)
    fc = level.merge(pd.DataFrame({"date": dates}), how="cross").rename(columns={"units": "mean"})
    fc["model"] = "recent_mean"
    for q in range(1, 10):
        fc[f"p{q * 10}"] = stats.poisson.ppf(q / 10, fc["mean"].clip(lower=1e-9))
    fc.to_csv(tmp_path / "fc.csv", index=False)
    out = tmp_path / "plan"
    assert main(["plan", "--forecast", str(tmp_path / "fc.csv"), "--output", str(out)]) == 0
    plan = pd.read_csv(out / "replenishment.csv")
    ships = pd.read_csv(out / "shipments.csv", parse_dates=["ship_date", "arrival_date"])
    proj = pd.read_csv(out / "projection.csv")
    inv = sample_store.inventory()
    assert len(plan) >= len(inv.drop_duplicates(["sku", "marketplace"]))
    assert set(plan["marketplace"]) == {"US", "DE", "JP"}
    assert (ships["units"] > 0).all() and (ships["arrival_date"] > ships["ship_date"]).all()
    assert (proj[["p10", "p50", "p90"]] >= 0).all().all()
    assert plan["fee_table"].dropna().str.startswith("amazon-").all()
    wb = __import__("openpyxl").load_workbook(out / "replenishment.xlsx", read_only=True)
    assert {"Summary", "US", "DE", "JP", "Shipments", "Capacity", "Notes"} <= set(wb.sheetnames)


def test_files_views_and_summary(tmp_path):
    from forecasting.planning.fba import report as ro

    skus = ["A", "B"]
    r = plan_replenishment(
        flat_forecast(skus, 10), inventory(skus, 100, age_181_270=5), products(skus),
        make_settings(horizon=56),
    )  # fmt: skip
    paths = ro.write_replenishment(r, tmp_path, as_of=pd.Timestamp(AS_OF).date())
    assert sorted(paths) == [
        "projection.csv", "replenishment.csv", "replenishment.xlsx", "shipments.csv"
    ]  # fmt: skip
    ships = pd.read_csv(paths["shipments.csv"])
    assert ships["ship_date"].str.match(r"^\d{4}-\d{2}-\d{2}$").all()
    summary = ro.summary_table(r).iloc[0]
    assert summary["series"] == 2 and summary["ship_now_units"] == 1040  # 2 × 520
    assert summary["stockout_before_arrival"] == 2 and summary["aged_stock"] == 2
    assert len(ro.plan_view(r, "ship_now")) == 2
    assert ro.plan_view(r, "ageing")["aged_units_now"].tolist() == [5, 5]
    assert ro.urgent_series(r, 1) == [("A", "US")]
    with pytest.raises(InputError):
        ro.plan_view(r, "nonsense")


def test_read_forecast_csv_names_bad_rows(tmp_path):
    from forecasting.io.forecast_file import read_forecast_csv

    p = tmp_path / "fc.csv"
    flat_forecast(["A"], 3, days=5).to_csv(p, index=False)
    assert len(read_forecast_csv(p)) == 5
    bad = flat_forecast(["A"], 3, days=5)
    bad.loc[2, "p90"] = 0.0  # p90 below p50
    bad.to_csv(p, index=False)
    with pytest.raises(InputError, match="p90"):
        read_forecast_csv(p)
    p.write_bytes(b"\xff\xfe\x00garbage")  # not text: refused like a shipments file, by name
    with pytest.raises(InputError, match="not a readable CSV") as err:
        read_forecast_csv(p)
    assert err.value.file is not None and str(p) in str(err.value.file)
    with pytest.raises(InputError, match="forecast file not found"):
        read_forecast_csv(tmp_path / "missing.csv")


def test_low_inventory_fee_projected_when_below_28_days():
    """20 units/day, 300 on hand (15 days), HDoS 15 in the report: large standard ≤ 3 lb, band
    14–21 days → $0.70 per unit shipped; next 30 days ship 300 units → $210."""
    r = plan_replenishment(
        flat_forecast(["A"], 20), inventory(["A"], 300, historical_days_of_supply=15.0),
        products(["A"]), make_settings(),
    )  # fmt: skip
    row = r.plan.iloc[0]
    assert "below_lilf" in row["alerts"]
    assert row["projected_lilf_fee_30d"] == pytest.approx(0.70 * 300)


def test_sku_left_out_of_the_stock_pull_is_planned_from_zero_and_flagged():
    """A SKU that ran out is missing from Amazon's newest planning report. Planning from its
    week-old row (100 on hand) ships 520; taken as out of stock (the guard) the plan ships the
    full order-up-to 615 → 620, and the row and the notes say where the figure came from."""
    from forecasting.io.stock import current_fba_stock

    old = inventory(["A", "B", "C", "D", "E"], 100).assign(date=pd.Timestamp("2026-05-25"))
    new = inventory(["B", "C", "D", "E"], 100)  # 4 of 5 rows: a whole pull, A left out
    hist = pd.concat([old, new], ignore_index=True)
    stale = plan_replenishment(
        flat_forecast(["A"], 10), old[old["sku"] == "A"], products(["A"]), make_settings()
    )
    assert stale.plan.iloc[0]["ship_qty"] == 520
    stock, notes = current_fba_stock(hist, as_of=AS_OF)
    r = plan_replenishment(
        flat_forecast(["A"], 10), stock, products(["A", "B"]), make_settings(), stock_notes=notes
    )
    a = r.plan.set_index("sku").loc["A"]
    assert a["sellable"] == 0 and a["ship_qty"] == 620  # 615 rounded up to whole cases of 20
    assert a["stock_source"] == "missing from the pull of 2026-06-01: out of stock"
    assert r.plan.set_index("sku").loc["B", "stock_source"] == "planning report 2026-06-01"
    assert any("1 taken as out of stock" in n for n in r.notes)


def test_cli_says_when_the_stock_pull_looks_truncated(tmp_path, capsys):
    """A store whose newest planning report has 2 rows after one of 3: the plan command prints
    the truncation and the SKU kept from the older pull; the CSV says where each figure came
    from."""
    from pathlib import Path

    from forecasting.cli import main
    from forecasting.io import expand_paths
    from forecasting.io.store import build_store

    fixtures = Path(__file__).parents[1] / "io" / "fixtures"
    text = (fixtures / "Inventory_Planning_US_2026-11-22.txt").read_text("utf-8").splitlines()
    extra = text[1].replace("WID-0001", "WID-0003").replace("X00001", "X00003")
    older = [text[0]] + [ln.replace("2026-11-22", "2026-11-15", 1) for ln in (*text[1:], extra)]
    old_file = tmp_path / "Inventory_Planning_US_2026-11-15.txt"
    old_file.write_text("\n".join(older) + "\n", encoding="utf-8")
    store = tmp_path / "h.duckdb"
    build_store([*expand_paths([fixtures]), old_file], store)
    dates = pd.date_range("2026-11-23", periods=300)
    fc = pd.concat(
        [
            pd.DataFrame(
                {"sku": s, "marketplace": "US", "date": dates, "model": "flat", "mean": 1.0}
            )
            for s in ("WID-0001", "WID-0002", "WID-0003")
        ]
    )
    for q in range(1, 10):
        fc[f"p{q * 10}"] = float(q >= 5)
    fc.to_csv(tmp_path / "fc.csv", index=False)
    out = tmp_path / "plan"
    args = ["plan", "--store", str(store), "--forecast", str(tmp_path / "fc.csv")]
    assert main([*args, "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "note: US: the planning report of 2026-11-22 has 2 rows, 67% of the 3" in printed
    plan = pd.read_csv(out / "replenishment.csv").set_index("sku")
    assert plan.loc["WID-0003", "stock_source"] == "older pull 2026-11-15, latest truncated"
    assert plan.loc["WID-0001", "stock_source"] == "planning report 2026-11-22"
