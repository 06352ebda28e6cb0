"""The Monday page (notebook 00): KPI metrics on hand-computed examples, the actions and their
money at risk, the summary a run leaves for the next, the labels, the charts, and the page itself
in both languages (rendered, read in Chromium, screenshots kept in tests/artifacts/screenshots/).
"""

from __future__ import annotations

import datetime as dt
import doctest
import io
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

from forecasting.charts import scorecard as charts
from forecasting.cli import main
from forecasting.config import load_settings
from forecasting.errors import InputError
from forecasting.reports import i18n, weekly_labels
from forecasting.reports import weekly_kpis as k
from forecasting.reports import weekly_summary as ws
from forecasting.reports.index import render_index
from forecasting.reports.runner import NotebookRun, ReportRun

AS_OF = load_settings().as_of
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
PAGE = "00_weekly_summary"
#: labels that are the same sign in both languages
NEUTRAL_LABELS = {"weekly.no_money"}
FX = {"USD": 7.0, "EUR": 8.0, "JPY": 0.05, "CNY": 1.0}


# --- metrics: hand-computed examples ----------------------------------------------------------
@pytest.mark.parametrize("module", [k, ws])
def test_docstring_examples_run(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0


def _economics(**cols: list) -> pd.DataFrame:
    base = {"units_sold": [10, 20], "net_price": [20.0, 10.0], "landed_cost": [8.0, 6.0],
            "contribution_margin": [3.0, -1.0], "fulfilment_fee": [4.0, 3.0],
            "storage_per_unit": [0.5, 0.25], "currency": ["USD", "EUR"]}  # fmt: skip
    return pd.DataFrame({**base, **cols})


def test_margins_and_fee_share_in_base_currency() -> None:
    e = _economics()
    # net sales: 10 × 20 × 7 + 20 × 10 × 8 = 1400 + 1600 = 3000 CNY
    assert k.gross_margin(e, FX) == pytest.approx((10 * 12 * 7 + 20 * 4 * 8) / 3000)  # 0.4933
    assert k.contribution_margin(e, FX) == pytest.approx((10 * 3 * 7 - 20 * 1 * 8) / 3000)
    assert k.fba_fee_share(e, FX) == pytest.approx((10 * 4.5 * 7 + 20 * 3.25 * 8) / 3000)


def test_zero_sales_give_no_figure_not_zero() -> None:
    e = _economics(units_sold=[0, 0])
    assert math.isnan(k.gross_margin(e, FX)) and math.isnan(k.fba_fee_share(e, FX))
    assert math.isnan(k.return_rate(pd.DataFrame({"units": [0]}), pd.DataFrame({"units": [1]})))
    empty = pd.DataFrame(columns=["sku", "marketplace", "date", "units", "revenue", "currency"])
    values = k.kpi_values(
        sales=empty, returns=pd.DataFrame(columns=["units"]), ads=pd.DataFrame(),
        economics=pd.DataFrame(), inventory=pd.DataFrame(), currencies={"US": "USD"},
        fx_to_base=FX, base_currency="CNY",
    )  # fmt: skip
    assert set(values) == set(k.KPI_ORDER)
    assert all(math.isnan(v) for v in values.values())
    card = k.scorecard(values)
    assert set(card["status"]) == {"no_data"}
    assert (card["trend"] == "").all()


def test_zero_clicks_is_zero_spend_share_not_missing() -> None:
    ads = pd.DataFrame({"sku": ["A"], "marketplace": ["US"], "impressions": [500], "clicks": [0],
                        "spend": [0.0], "currency": ["USD"]})  # fmt: skip
    sales = pd.DataFrame({"sku": ["A", "B"], "marketplace": "US", "revenue": [300.0, 700.0],
                          "currency": "USD"})  # fmt: skip
    assert k.tacos_advertised(ads, sales, FX) == 0.0
    share = k.ad_spend_share(ads, sales, {"US": "USD"}, FX, "CNY")
    assert share == 0.0
    assert k.traffic_light(share, k.TARGETS["ad_spend_share"]) == "red"  # far below 10 %
    assert math.isnan(k.tacos_advertised(ads.iloc[:0], sales, FX))  # no ads at all: unknown


def test_mixed_currencies_at_the_configured_rate() -> None:
    ads = pd.DataFrame({"sku": ["A", "J"], "marketplace": ["US", "JP"], "spend": [120.0, 10000.0],
                        "currency": ["USD", "JPY"]})  # fmt: skip
    sales = pd.DataFrame({"sku": ["A", "J", "X"], "marketplace": ["US", "JP", "US"],
                          "revenue": [1000.0, 200000.0, 5000.0], "currency": ["USD", "JPY", "USD"]})  # fmt: skip
    # spend 120 × 7 + 10 000 × 0.05 = 1340; advertised sales 7000 + 10 000; all sales + 35 000
    assert k.tacos_advertised(ads, sales, FX) == pytest.approx(1340 / 17000)
    assert k.ad_spend_share(ads, sales, {"US": "USD", "JP": "JPY"}, FX, "CNY") == pytest.approx(
        1340 / 52000
    )
    with pytest.raises(InputError, match="fx_to_base.JPY"):
        k.tacos_advertised(ads, sales, {"USD": 7.0})


def test_missing_days_count_in_neither_part_of_the_in_stock_rate() -> None:
    # a week with three days of data: 2 in stock, 1 out, four days missing (not rows)
    sales = pd.DataFrame({"date": pd.to_datetime(["2026-11-16", "2026-11-18", "2026-11-22"]),
                          "in_stock": pd.array([True, False, True], dtype="boolean")})  # fmt: skip
    assert k.in_stock_rate(sales) == pytest.approx(2 / 3)
    unknown = sales.assign(in_stock=pd.array([None, None, None], dtype="boolean"))
    assert math.isnan(k.in_stock_rate(unknown))


def test_inventory_metrics_and_the_ipi_style_score() -> None:
    inv = pd.DataFrame({"on_hand": [100, 300], "units_shipped_t90": [150, 50],
                        "age_0_90": [90, 200], "age_91_180": [10, 40], "age_181_270": [0, 40],
                        "age_271_365": [0, 10], "age_366_455": [0, 0], "age_456_plus": [0, 10]})  # fmt: skip
    assert k.sell_through(inv) == pytest.approx(200 / 400)
    assert k.inventory_turnover(inv) == pytest.approx(0.5 * 365 / 90)  # 2.03 a year
    assert k.excess_share(inv) == pytest.approx(250 / 400)  # 0 + (300 − 50)
    assert k.aged_share(inv) == pytest.approx(60 / 400)
    # parts: 1 − 0.625, min(1, 0.5 ÷ (4 × 90/365)), stranded unknown, in-stock 0.9
    expected = 1000 * (0.375 + 0.5 / (4 * 90 / 365) + 0.9) / 3
    assert k.ipi_style_score(0.625, 0.5, math.nan, 0.9) == pytest.approx(expected)
    assert math.isnan(k.ipi_style_score(math.nan, math.nan, math.nan, math.nan))


def test_traffic_lights_targets_and_trend() -> None:
    assert k.traffic_light(0.021, k.TARGETS["return_rate"]) == "green"
    assert k.traffic_light(0.023, k.TARGETS["return_rate"]) == "amber"
    assert k.traffic_light(0.05, k.TARGETS["return_rate"]) == "red"
    assert k.traffic_light(0.5, None) == "no_target"
    assert k.target_text("ad_spend_share", "-") == "10.0 %–15.0 %"
    assert k.target_text("tacos", "not set") == "not set"
    card = k.scorecard({"gross_margin": 0.45, "return_rate": 0.03}, {"gross_margin": 0.40})
    row = card.set_index("kpi")
    assert row.loc["gross_margin", "trend"] == "↑" and row.loc["gross_margin", "status"] == "green"
    assert row.loc["return_rate", "trend"] == "" and row.loc["odr", "status"] == "no_data"


# --- actions ---------------------------------------------------------------------------------
def _plan(**cols: list) -> pd.DataFrame:
    base = {"sku": ["A"], "marketplace": ["US"], "ship_qty": [100], "mode": ["sea"],
            "ship_by": pd.to_datetime(["2026-12-01"]), "arrival_date": pd.to_datetime(["2027-01-10"]),
            "daily_demand_p50": [2.0], "stockout_date_p50": pd.to_datetime(["2027-01-01"]),
            "stockout_date_p10": pd.to_datetime(["2026-12-20"])}  # fmt: skip
    return pd.DataFrame({**base, **cols})


SHIPMENTS = pd.DataFrame({"sku": ["A"], "marketplace": ["US"], "source": ["new_order"],
                          "ship_date": pd.to_datetime(["2026-12-01"]),
                          "arrival_date": pd.to_datetime(["2027-01-10"])})  # fmt: skip


def test_ship_money_at_risk_is_lost_units_times_margin() -> None:
    out = ws.ship_actions(_plan(), SHIPMENTS, {("A", "US"): 5.0},
                          horizon_end=dt.date(2027, 1, 30), default_modes={"US": "sea"})  # fmt: skip
    # no later order: empty from arrival 01-10 (after the 01-01 stock-out) to the horizon 01-30
    assert out["money_at_risk"].tolist() == [2.0 * 20 * 5.0]
    assert out["fields"].iloc[0] == {"lost": 40, "stockout": "2027-01-01"}
    capped = ws.ship_actions(_plan(ship_qty=[10]), SHIPMENTS, {("A", "US"): 5.0},
                             horizon_end=dt.date(2027, 1, 30), default_modes={"US": "sea"})  # fmt: skip
    assert capped["money_at_risk"].tolist() == [10 * 5.0]  # never more than the shipment


def test_expedite_unknown_margin_and_no_median_stockout() -> None:
    air = ws.ship_actions(_plan(mode=["air"]), SHIPMENTS, {},
                          horizon_end=dt.date(2027, 1, 30), default_modes={"US": "sea"})  # fmt: skip
    assert air["kind"].tolist() == ["expedite"]
    assert math.isnan(air["money_at_risk"].iloc[0])  # margin unknown: no amount, not 0
    safe = ws.ship_actions(_plan(stockout_date_p50=[pd.NaT]), SHIPMENTS, {("A", "US"): 5.0},
                           horizon_end=dt.date(2027, 1, 30), default_modes={"US": "sea"})  # fmt: skip
    assert safe["money_at_risk"].tolist() == [0.0]
    assert safe["reason_key"].tolist() == ["weekly.reason.ship_safe"]


def test_aged_and_ads_money_in_base_currency() -> None:
    plan = pd.DataFrame({"sku": ["A", "B"], "marketplace": ["DE", "US"],
                         "projected_aged_units_max": [10.4, 0.0], "projected_aged_fee": [12.5, 3.0],
                         "fee_currency": ["EUR", "USD"]})  # fmt: skip
    aged = ws.aged_actions(plan, FX)
    assert aged[["sku", "units", "money_at_risk"]].values.tolist() == [["A", 10, 100.0]]
    risk = pd.DataFrame({"sku": ["A"], "marketplace": ["US"], "action": ["reduce"],
                         "stockout_date": pd.to_datetime(["2026-12-15"]), "arrival_date": pd.NaT,
                         "spend": [30.0], "currency": ["USD"], "spend_base": [210.0]})  # fmt: skip
    ads = ws.ads_actions(risk)
    assert ads[["kind", "money_at_risk"]].values.tolist() == [["reduce_ads", 210.0]]


def _money_actions(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {"kind": "ship", "sku": [f"S{i:02d}" for i in range(n)], "marketplace": "US", "line": "",
         "units": 1, "mode": "sea", "date": "", "money_at_risk": [float(i) for i in range(n)],
         "reason_key": "weekly.reason.ship_plain", "fields": [{} for _ in range(n)]}
    )  # fmt: skip


def test_ranking_keeps_data_problems_and_at_most_fifteen() -> None:
    quarantine = pd.DataFrame({"file": ["b.txt", "a.txt", "a.txt"], "row": [3, 1, 2],
                               "reason": ["bad date", "bad sku", "x"]})  # fmt: skip
    partial = pd.DataFrame({"marketplace": ["US"], "date": pd.to_datetime(["2026-11-22"])})
    data = ws.data_actions(quarantine, partial)
    assert [f.get("rows") for f in data["fields"]] == [2, 1, None]
    shown, every = ws.rank_actions([_money_actions(20), data])
    assert len(every) == 23 and len(shown) == ws.ACTIONS_SHOWN
    assert shown["rank"].tolist() == list(range(1, 16))
    assert shown["sku"].head(12).tolist() == [f"S{i:02d}" for i in range(19, 7, -1)]
    assert shown["kind"].tail(3).tolist() == ["investigate"] * 3  # no amount: last, kept


def test_actions_table_escapes_data_and_links_only_the_reports() -> None:
    acts = _money_actions(1).assign(sku=["<script>alert(1)</script>"], units=[5], date="2026-12-01")
    shown, _ = ws.rank_actions([acts])
    page = ws.actions_html(shown, "en", i18n.t, "CNY")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert re.findall(r'href="([^"]+)"', page) == ["03_fba_replenishment.html"]


# --- the summary a run leaves, and what changed ------------------------------------------------
def _record(risks: list[tuple[str, str]], ship: dict[str, int], gm: float) -> dict:
    frame = pd.DataFrame(risks, columns=["sku", "marketplace"])
    kpis = dict.fromkeys(k.KPI_ORDER, math.nan) | {"gross_margin": gm}
    return ws.summary_record(AS_OF, kpis, _money_actions(2), ship, frame)


def test_summary_round_trip_and_changes(tmp_path: Path) -> None:
    old = tmp_path / "2026-11-15"
    old.mkdir()
    ws.write_summary(_record([("A", "US")], {"US": 100, "DE": 5}, 0.41), old)
    previous = ws.read_summary(old)
    assert previous["stockout_risks"] == {("A", "US")} and previous["kpis"]["gross_margin"] == 0.41
    assert math.isnan(previous["kpis"]["odr"])  # NaN written as null, read back as NaN
    now = _record([("A", "US"), ("B", "JP")], {"US": 80, "JP": 10}, 0.38)
    risks, plan, moves = ws.changes(now, previous)
    assert risks.values.tolist() == [["B", "JP"]]
    assert plan.values.tolist() == [["DE", 0, 5, -5], ["JP", 10, 0, 10], ["US", 80, 100, -20]]
    assert moves.values.tolist() == [["gross_margin", 0.38, 0.41]]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "unreadable"),
        ('{"as_of": "2026-11-15", "kpis": {"gross_margin": "0.4"}}', "kpis.gross_margin"),
        ('{"as_of": "2026-11-15", "ship_units": {"US": 1.5}}', "ship_units.US"),
        ('{"as_of": "2026-11-15", "stockout_risks": [["A"]]}', "stockout_risks"),
        ('{"as_of": "<b>yesterday</b>"}', "unreadable"),
        ("[1, 2]", "not a JSON object"),
    ],
)
def test_a_bad_previous_summary_is_refused_naming_the_file(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / ws.SUMMARY_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as err:
        ws.read_summary(tmp_path)
    assert ws.SUMMARY_FILE in str(err.value)
    folder, record, problem = ws.previous_run(AS_OF, tmp_path, None, tmp_path)
    assert folder == tmp_path and record is None and message in problem


def test_previous_folder_is_the_newest_dated_one_before_as_of(tmp_path: Path) -> None:
    for name in ["2026-11-01", "2026-11-15", "2026-11-22", "latest", ".2026-11-21.tmp-1-ab"]:
        (tmp_path / name).mkdir()
    (tmp_path / "2026-11-20").write_text("a file, not a report folder")
    assert ws.find_previous(tmp_path, dt.date(2026, 11, 22)) == tmp_path / "2026-11-15"
    assert ws.find_previous(tmp_path, dt.date(2026, 11, 1)) is None
    run_folder = tmp_path / ".2026-11-29.tmp-1-ab"  # where `report` renders this run
    folder, record, problem = ws.previous_run(dt.date(2026, 11, 29), None, run_folder, "/x")
    assert folder == tmp_path / "2026-11-22" and record is None and "no summary.json" in problem
    assert ws.previous_run(dt.date(2026, 11, 1), None, run_folder, "/x") == (None, None, "")


# --- labels, charts, index -------------------------------------------------------------------
def test_labels_complete_and_in_their_language() -> None:
    for key, texts in weekly_labels.LABELS.items():
        assert set(texts) == set(i18n.LANGS), key
        assert not CJK.search(texts["en"]), f"{key}: Chinese in the English text"
        if key not in NEUTRAL_LABELS:
            assert CJK.search(texts["zh"]), f"{key}: no Chinese in the zh text"
    for kind in ws.REPORT_PAGES:
        assert f"weekly.kind.{kind}" in weekly_labels.LABELS
    for kpi in k.KPI_ORDER:
        assert f"weekly.kpi.{kpi}" in weekly_labels.LABELS
        assert f"weekly.basis.{kpi}" in weekly_labels.LABELS


def test_charts_draw_plain_text_and_return_figures() -> None:
    tiles = pd.DataFrame({"name": ["Gross margin", "ODR"], "value": ["41.0 %", "no data"],
                          "target": ["≥ 40.0 %", "≤ 1.0 %"], "status": ["green", "no_data"]})  # fmt: skip
    fig = charts.kpi_tiles(tiles)
    assert isinstance(fig, Figure) and len(fig.axes[0].texts) == 6
    acts = _money_actions(4).assign(sku=["$$", "a$b$c", "C", "D"])
    bars = charts.money_at_risk_chart(acts, title="t", xlabel="x", kind_labels={"ship": "Ship"})
    assert len(bars.axes[0].patches) == 3  # the action with 0 at risk is not drawn
    bars.savefig(io.BytesIO(), format="png")  # "$$" drawn as text, not mathtext


def test_index_leads_with_the_monday_page(tmp_path: Path) -> None:
    nbs = [
        NotebookRun(name, title, f"{name}.html", 1.0, {}, {})
        for name, title in [("00_weekly_summary", "This week <x>"), ("01_data_health", "Data")]
    ]
    run = ReportRun(AS_OF, tmp_path, dt.datetime(2026, 11, 23, tzinfo=dt.UTC), 2.0, "en", nbs)
    page = render_index(run, tmp_path)
    assert re.findall(r'href="([^"]+)"', page)[0] == "00_weekly_summary.html"
    assert '<p class="lead"><a href="00_weekly_summary.html">→ This week &lt;x&gt;</a></p>' in page
    run.notebooks = nbs[1:]
    assert 'class="lead"' not in render_index(run, tmp_path)


# --- the page in the sample report, in both languages ------------------------------------------
def _headers(page: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", page, re.S)
    ]


def _visible_text(page: str) -> str:
    page = re.sub(r"data:image/[^\"']+", "", page)
    page = re.sub(r"<style.*?</style>", "", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


def test_zh_page_in_the_sample_report(report_dir: Path) -> None:
    page = (report_dir / f"{PAGE}.html").read_text(encoding="utf-8")
    for key in ["weekly.actions", "weekly.scorecard", "weekly.changes"]:
        assert i18n.t(key, "zh").lstrip("# ") in page, key
    headers = _headers(page)
    assert headers and not [h for h in headers if SNAKE.match(h)], headers
    assert page.count("data:image/png;base64,") >= 2  # tiles and money-at-risk bars
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in page
    index = (report_dir / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'href="([^"]+)"', index)[0] == f"{PAGE}.html"
    record = ws.read_summary(report_dir)  # what the next run will read
    assert record["as_of"] == AS_OF and set(record["kpis"]) == set(k.KPI_ORDER)
    actions = pd.read_csv(report_dir / ws.ACTIONS_FILE, encoding="utf-8-sig")
    assert len(actions) >= len(json.loads((report_dir / ws.SUMMARY_FILE).read_text())["actions"])


@pytest.fixture(scope="module")
def en_page(report_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Notebook 00 alone in English, compared with the sample report (zh) as the last run."""
    out = tmp_path_factory.mktemp("weekly-en")
    args = ["report", "--out", str(out), "--notebooks", "00", "-p", "lang=en"]
    assert main([*args, "-p", f"previous_dir={report_dir}"]) == 0
    return out / AS_OF.isoformat() / f"{PAGE}.html"


def test_en_page_has_no_chinese_and_compares_with_the_last_run(en_page: Path) -> None:
    page = en_page.read_text(encoding="utf-8")
    text = _visible_text(page)
    assert not CJK.search(text), CJK.findall(text)[:20]
    headers = _headers(page)
    assert "money at risk" in headers and "KPI" in headers
    assert (
        i18n.t("weekly.previous", "en", as_of=AS_OF.isoformat(), folder=AS_OF.isoformat()) in text
    )
    assert i18n.t("weekly.no_new_risks", "en") in text  # same data, same risks


def test_screenshots_of_both_languages(report_dir: Path, en_page: Path) -> None:
    browser_mod = pytest.importorskip("test_browser")
    executable = browser_mod.chromium_executable()
    if executable is None:
        pytest.skip("chromium not found (see tests/reports/test_browser.py)")
    import tempfile

    with (
        tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile,
        browser_mod.Chromium(executable, Path(profile)) as browser,
    ):
        for lang, path in [("zh", report_dir / f"{PAGE}.html"), ("en", en_page)]:
            visit = browser.visit(path)
            shot = browser_mod.SCREENSHOTS / f"{PAGE}_{lang}.png"
            shot.parent.mkdir(parents=True, exist_ok=True)
            shot.write_bytes(visit.screenshot)
            problems = browser_mod.page_problems(visit, path.parent, local_links_only=False)
            if lang == "en":  # 00 ran alone: its detail reports are not in that folder
                problems = [p for p in problems if not p.startswith("link to a missing file")]
            assert not problems, f"{lang}: " + "\n".join(problems[:20])
            assert len(visit.facts["images"]) >= 2
            assert browser_mod.png_size(visit.screenshot)[1] > 900  # the whole page, not a viewport


def test_action_texts_in_the_run_language() -> None:
    acts = ws.ship_actions(
        _plan(), SHIPMENTS, {("A", "US"): 5.0}, horizon_end=dt.date(2027, 1, 30),
        default_modes={"US": "sea"},
    )  # fmt: skip
    shown, _ = ws.rank_actions([acts])
    kinds, whats, reasons = ws.action_texts(shown, "zh", i18n.t)
    assert kinds == ["发货"] and "海运" in whats[0] and "2027-01-01" in reasons[0]
    kinds, whats, reasons = ws.action_texts(shown, "en", i18n.t)
    assert whats == ["A → US: 100 units by sea, ship by 2026-12-01"]
    assert reasons == [
        "Median stock runs out on 2027-01-01; without this shipment about 40 units go unsold."
    ]
    assert ws.mode_text("hovercraft", "zh", i18n.t) == "hovercraft"  # no label: as written
