"""The sample generator: byte-identical regeneration, committed data current, realistic shape."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.cli import main
from forecasting.paths import SAMPLE_DIR
from forecasting.sample import generate_sample
from forecasting.sample.capacity import weekly_load
from forecasting.sample.world import SETTINGS_TEMPLATE, build_world

AS_OF = pd.Timestamp("2026-11-22")


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "README.md"
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("sample_a")
    assert main(["sample", "--out", str(out), "--seed", "7"]) == 0  # the CLI path
    world = build_world(out, seed=7)  # the same simulation in memory (writes nothing)
    return out, world


@pytest.fixture(scope="module")
def truth(generated) -> pd.DataFrame:
    out, _ = generated
    return pd.read_csv(out / "_truth" / "latent_demand.csv.gz", parse_dates=["date"])


def test_regenerating_equals_committed_sample(generated):
    out, _ = generated
    committed = _digests(SAMPLE_DIR)
    fresh = _digests(out)
    assert sorted(fresh) == sorted(committed), "file list differs: run `make sample`"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"committed sample is stale (run `make sample`): {stale[:5]}"


@pytest.mark.slow
def test_two_runs_are_byte_identical(generated, tmp_path):
    """Slow (a second full generation); the default run's committed-sample comparison already
    checks determinism across processes."""
    out, _ = generated
    generate_sample(tmp_path, seed=7)
    assert _digests(tmp_path) == _digests(out)


def test_other_seed_gives_other_data(generated, tmp_path):
    from forecasting.sample.exports import write_truth

    out, _ = generated
    world = build_world(tmp_path, seed=8)
    write_truth(world)
    a = (out / "_truth" / "latent_demand.csv.gz").read_bytes()
    assert (tmp_path / "_truth" / "latent_demand.csv.gz").read_bytes() != a


def test_gzip_members_carry_no_timestamp(generated):
    out, _ = generated
    for path in out.rglob("*.gz"):
        head = path.read_bytes()[:10]
        assert head[4:8] == b"\0\0\0\0", path


def test_settings_are_copied_verbatim(generated):
    out, _ = generated
    assert (out / "settings.yml").read_bytes() == SETTINGS_TEMPLATE.read_bytes()


def test_size_budget():
    size = sum(p.stat().st_size for p in SAMPLE_DIR.rglob("*") if p.is_file())
    assert size < 20e6, f"data/sample is {size / 1e6:.1f} MB"


def test_products_and_marketplaces(generated):
    out, _ = generated
    products = pd.read_csv(out / "products.csv", keep_default_na=False)
    assert list(products.columns) == [
        "sku",
        "parent_sku",
        "asin",
        "parent_asin",
        "title",
        "category",
        "launch_date",
        "length_cm",
        "width_cm",
        "height_cm",
        "weight_kg",
        "unit_cost",
        "price",
        "production_line",
        "units_per_hour",
        "moq",
        "case_pack",
        "marketplaces",
    ]
    assert len(products) >= 40 and products["sku"].is_unique
    assert set(products["category"]) == {"home", "auto parts", "power tools", "pet", "garden"}
    assert set(products["production_line"]) == {"L1", "L2", "L3", "L4", "L5"}
    assert (products["parent_sku"] != "").sum() >= 20  # colour/size children
    listed = products["marketplaces"].str.split(";")
    assert set().union(*listed) == {"US", "DE", "JP"}
    assert (listed.str.len() < 3).sum() >= 5  # not every SKU everywhere
    launches = pd.to_datetime(products["launch_date"])
    assert (launches > AS_OF - pd.Timedelta(days=183)).sum() >= 3


def test_history_range_and_launches(truth):
    assert truth["date"].min() == pd.Timestamp("2023-11-23")
    assert truth["date"].max() == AS_OF
    assert set(truth["marketplace"]) == {"US", "DE", "JP"}
    first = truth.groupby(["sku", "marketplace"])["date"].min()
    assert (first > AS_OF - pd.Timedelta(days=183)).sum() >= 3  # short histories


def test_sales_are_censored_demand(truth):
    assert (truth["sold"] <= truth["demand"]).all()
    out = truth[truth["in_stock"] == False]  # noqa: E712
    assert (out["sold"] < out["demand"]).mean() > 0.5  # lost sales on stockout days
    key = [truth["sku"], truth["marketplace"]]
    oos = ~truth["in_stock"]
    starts = oos & ~oos.groupby(key).shift(fill_value=False)
    spell_id = starts.cumsum()[oos]
    lengths = spell_id.value_counts()
    assert starts.sum() >= 50
    assert (lengths >= 30).sum() >= 3  # a few long stockouts
    feb_mar = truth[oos & truth["date"].dt.month.isin([2, 3, 4])]
    assert feb_mar["date"].dt.year.nunique() == 3  # CNY stockouts every year


def test_black_friday_uplift(truth):
    daily = truth.groupby("date")["sold"].sum()
    for bf in ("2024-11-29", "2025-11-28"):
        day = pd.Timestamp(bf)
        before = daily[day - pd.Timedelta(days=35) : day - pd.Timedelta(days=15)].mean()
        assert daily[day] > 1.8 * before


def test_intermittent_and_heavy_tailed(truth):
    last = truth[truth["date"] > AS_OF - pd.Timedelta(days=365)]
    share_nonzero = last.groupby(["sku", "marketplace"])["sold"].apply(lambda s: (s > 0).mean())
    assert (1 / share_nonzero.clip(lower=1e-9) > 1.32).sum() >= 5
    volume = last.groupby("sku")["sold"].sum().sort_values(ascending=False)
    assert volume.iloc[: len(volume) // 5].sum() > 0.4 * volume.sum()  # few A SKUs


def test_over_dispersed_demand(truth):
    big = truth.groupby(["sku", "marketplace"])["demand"].transform("mean") > 3
    d = truth[big]
    stats = d.groupby(["sku", "marketplace"])["demand"].agg(["mean", "var"])
    assert (stats["var"] > stats["mean"]).mean() > 0.9


def _read_br(out: Path, mp: str) -> pd.DataFrame:
    kw = {"US": {"encoding": "utf-8-sig"}, "DE": {"sep": ";"}, "JP": {"encoding": "cp932"}}[mp]
    files = sorted((out / "business_report").glob(f"BusinessReport_{mp}_*.csv.gz"))
    return pd.concat([pd.read_csv(f, dtype=str, **kw) for f in files], ignore_index=True)


def test_business_report_formats(generated):
    out, _ = generated
    raw_us = gzip.decompress(
        (out / "business_report" / "BusinessReport_US_2025.csv.gz").read_bytes()
    )
    assert raw_us.startswith("\ufeff".encode()) and '"日期","（父）ASIN"' in raw_us.decode(
        "utf-8-sig"
    )
    us = _read_br(out, "US")
    assert us["已订购商品销售额"].str.match(r"^\$[\d,]+\.\d\d$").all()
    de = _read_br(out, "DE")
    assert de["Date"].str.match(r"^\d\d\.\d\d\.\d{4}$").all()
    assert de["Ordered Product Sales"].str.match(r"^[\d.]+,\d\d €$").all()
    assert de["Unit Session Percentage"].str.match(r"^\d+,\d\d%$").all()
    raw_jp = gzip.decompress(
        (out / "business_report" / "BusinessReport_JP_2025.csv.gz").read_bytes()
    )
    with pytest.raises(UnicodeDecodeError):
        raw_jp.decode("utf-8")
    text = raw_jp.decode("cp932")
    assert "￥" in text and '"2025/01/01"' in text


def test_business_report_units_equal_truth(generated, truth):
    out, _ = generated
    frames = []
    for mp, date_col, units_col, fmt in (
        ("US", "日期", "已订购商品数量", "%m/%d/%Y"),
        ("DE", "Date", "Units Ordered", "%d.%m.%Y"),
        ("JP", "Date", "Units Ordered", "%Y/%m/%d"),
    ):
        br = _read_br(out, mp)
        frames.append(
            pd.DataFrame(
                {
                    "sku": br["SKU"],
                    "marketplace": mp,
                    "date": pd.to_datetime(br[date_col], format=fmt),
                    "units": br[units_col].str.replace(r"[.,]", "", regex=True).astype(int),
                }
            )
        )
    br = pd.concat(frames)
    merged = truth.merge(br, on=["sku", "marketplace", "date"], how="left")
    assert merged["units"].fillna(0).astype(int).eq(merged["sold"]).all()


def test_orders_match_business_report_and_overlap(generated):
    out, world = generated
    files = sorted((out / "orders").glob("All_Orders_*.txt"))
    names = [f.name for f in files]
    assert "All_Orders_NA_2026-09-28_2026-11-22.txt" in names
    assert {n[11:13] for n in names} == {"NA", "EU", "FE"}
    recent = pd.read_csv(
        out / "orders" / "All_Orders_NA_2026-09-28_2026-11-22.txt",
        sep="\t",
        dtype=str,
        keep_default_na=False,
    )
    assert "url" not in recent.columns and "is-buyer-requested-cancellation" in recent.columns
    assert {"Shipped", "Shipping", "Pending", "Cancelled"} <= set(recent["order-status"])
    assert (recent["fulfillment-channel"] == "Merchant").any()
    assert (recent["quantity"].astype(int) > 1).any() and (recent["promotion-ids"] != "").any()
    cancelled = (recent["order-status"] == "Cancelled").mean()
    assert 0.005 < cancelled < 0.04
    recent["date"] = pd.to_datetime(recent["purchase-date"].str[:10])
    units = recent.groupby(["sku", "date"])["quantity"].apply(lambda s: s.astype(int).sum())
    tr = world.traffic
    tr = tr[(tr["marketplace"] == "US") & (tr["date"] >= "2026-09-28") & (tr["units"] > 0)]
    assert units.to_dict() == tr.set_index(["sku", "date"])["units"].to_dict()
    older = [f for f in files if f.name.startswith("All_Orders_NA_2026-09-14")]
    old = pd.read_csv(older[0], sep="\t", dtype=str)
    both = old.merge(recent, on=["amazon-order-id", "sku"], suffixes=("_old", "_new"))
    assert len(both) > 100
    assert (both["last-updated-date_new"] >= both["last-updated-date_old"]).all()


def test_ledger_matches_simulated_stock(generated, truth):
    out, _ = generated
    led = pd.read_csv(out / "ledger" / "Ledger_Summary_DE.csv.gz", dtype={"Date": str})
    assert (led["Customer Shipments"] <= 0).all()
    assert set(led["Disposition"]) == {"SELLABLE", "UNSELLABLE"}
    sell = led[led["Disposition"] == "SELLABLE"]
    flow = (
        sell["Starting Warehouse Balance"]
        + sell["Receipts"]
        + sell["Customer Shipments"]
        + sell["Customer Returns"]
    )
    assert flow.eq(sell["Ending Warehouse Balance"]).all()
    sell = sell.assign(date=pd.to_datetime(sell["Date"], format="%m/%d/%Y"), sku=sell["MSKU"])
    de = truth[truth["marketplace"] == "DE"].merge(sell, on=["sku", "date"])
    assert len(de) > 0.9 * (truth["marketplace"] == "DE").sum()
    assert de["in_stock"].eq(de["Ending Warehouse Balance"] > 0).all()


def test_inventory_planning_2026_columns_and_ages(generated):
    out, _ = generated
    inv = pd.read_csv(out / "inventory" / "Inventory_Planning_US_2026-11-22.txt", sep="\t")
    assert {"inv-age-366-to-455-days", "inv-age-456-plus-days", "fc-transfer"} <= set(inv.columns)
    assert "inv-age-365-plus-days" not in inv.columns
    assert (inv["snapshot-date"] == "2026-11-22").all()
    assert (inv["volume-unit-measurement"] == "cubic feet").all()
    aged = inv[
        [
            "inv-age-181-to-270-days",
            "inv-age-271-to-365-days",
            "inv-age-366-to-455-days",
            "inv-age-456-plus-days",
        ]
    ].sum(axis=1)
    assert (aged > 0).sum() >= 2  # slow movers with stock older than 180 days
    assert (inv["inbound-shipped"] > 0).sum() >= 5


def test_ads_are_realistic_and_below_sales(generated):
    out, world = generated
    adv = pd.read_csv(out / "ads" / "SP_Advertised_Product_US.csv", dtype=str)
    assert "7 Day Total Sales " in adv.columns  # trailing space, as the legacy console writes
    money = adv["Spend"].str.replace(r"[$,]", "", regex=True).astype(float)
    sales = adv["7 Day Total Sales "].str.replace(r"[$,]", "", regex=True).astype(float)
    clicks, impressions = adv["Clicks"].astype(int), adv["Impressions"].astype(int)
    orders = adv["7 Day Total Orders (#)"].astype(int)
    assert 0.003 <= clicks.sum() / impressions.sum() <= 0.006
    assert 0.06 <= orders.sum() / clicks.sum() <= 0.16
    assert 0.15 <= money.sum() / sales.sum() <= 0.45
    adv["date"] = pd.to_datetime(adv["Date"], format="%m/%d/%Y")
    ad_units = adv.groupby(["Advertised SKU", "date"])["7 Day Total Units (#)"].apply(
        lambda s: s.astype(int).sum()
    )
    tr = world.traffic[world.traffic["marketplace"] == "US"].set_index(["sku", "date"])["units"]
    assert (ad_units.to_numpy() <= tr.reindex(ad_units.index).fillna(0).to_numpy()).all()
    st = pd.read_csv(out / "ads" / "SP_Search_Term_US.csv", dtype=str)
    wasted = st[(st["7 Day Total Orders (#)"] == "0")]
    assert len(wasted) > 0 and (st["Clicks"].astype(int) >= 1).all()
    st_orders = st["7 Day Total Orders (#)"].astype(int)
    assert (st_orders <= st["Clicks"].astype(int)).all()
    assert st_orders.sum() == orders.sum() and st["Clicks"].astype(int).sum() == clicks.sum()
    raw = (out / "ads" / "SP_Search_Term_DE_2026.csv").read_bytes()
    assert raw.startswith("\ufeff".encode()) and b',="' in raw  # IDs as ="…", unescaped
    de = pd.read_csv(out / "ads" / "SP_Search_Term_DE_2026.csv", encoding="utf-8-sig")
    assert de["Campaign ID"].str.fullmatch(r'="\d+"').all()
    assert (de["Purchases"] <= de["Clicks"]).all()


def test_factory_stock_and_line_load(generated):
    out, world = generated
    raw = (out / "factory_stock.csv").read_bytes()
    assert raw.startswith("\ufeff物料编码,品名,成品库存,在制数量,预计完工日期".encode())
    fs = pd.read_csv(out / "factory_stock.csv", encoding="utf-8-sig")
    assert len(fs) == len(world.products) and (fs["在制数量"] > 0).any()
    load = weekly_load(world.products, world.series, world.sim.demand, world.settings)
    for line, share in load.items():
        year = share[-52:]
        assert 0.6 <= year.mean() <= 0.9, line
    assert sum((share[-52:] > 1.0).sum() for share in load.values()) >= 5  # tight weeks exist
    assert np.median(np.concatenate([s[-52:] for s in load.values()])) < 1.0  # most fit


def test_returns_last_twelve_months(generated):
    out, _ = generated
    ret = pd.read_csv(out / "returns" / "Returns_US.txt", sep="\t", dtype=str)
    dates = pd.to_datetime(ret["return-date"].str[:10])
    assert dates.min() >= AS_OF - pd.Timedelta(days=365) and dates.max() <= AS_OF
    assert "SELLABLE" in set(ret["detailed-disposition"])


def test_cli_rejects_a_file_as_output(tmp_path, capsys):
    target = tmp_path / "file.txt"
    target.write_text("x")
    assert main(["sample", "--out", str(target)]) == 2
    assert "--out must be a folder" in capsys.readouterr().err
