"""The planner's language in the workbooks and the action lines: sheet names, headers, notes and
alerts in zh / en; the CSV files keep machine names whatever the language."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest
from test_production import line, reqs, settings_with
from test_production import products as factory_products
from test_replenishment import (
    AS_OF,
    flat_forecast,
    inventory,
    make_settings,
    products,
)

from forecasting.planning.fba import report as ro
from forecasting.planning.fba.plan_rows import ALERT_TEMPLATES
from forecasting.planning.fba.replenishment import plan_replenishment
from forecasting.planning.production.plan import plan_production
from forecasting.planning.production.report import scenario_row, write_production_outputs
from forecasting.reports import action_lines

SNAKE = re.compile(r"^[a-z]+(_[a-z0-9]+)+$")
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


@pytest.fixture(scope="module")
def plan():
    """Two US series: both to ship now, both at stockout risk, both with aged stock (as in
    test_replenishment's file test: 2 × 520 units)."""
    skus = ["A", "B"]
    return plan_replenishment(
        flat_forecast(skus, 10), inventory(skus, 100, age_181_270=5), products(skus),
        make_settings(horizon=56),
    )  # fmt: skip


def _headers(path: Path) -> dict[str, list[str]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    out = {}
    for ws in wb.worksheets:
        first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
        out[ws.title] = [str(v) for v in first if v is not None]
    return out


def _column(path: Path, sheet: str, header: str) -> list[object]:
    ws = openpyxl.load_workbook(path, read_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    j = list(rows[0]).index(header)
    return [r[j] for r in rows[1:]]


def test_replenishment_workbook_in_chinese(plan, tmp_path: Path) -> None:
    paths = ro.write_replenishment(plan, tmp_path, as_of=pd.Timestamp(AS_OF).date(), lang="zh")
    sheets = _headers(paths["replenishment.xlsx"])
    assert list(sheets) == ["汇总", "US", "发货计划", "库容检查", "说明"]
    for name, headers in sheets.items():
        if name == "说明":
            continue
        assert not [h for h in headers if SNAKE.match(h)], name
    assert "预计超龄附加费 (USD)" in sheets["US"]  # money with its currency
    alerts = _column(paths["replenishment.xlsx"], "US", "提醒")
    assert alerts and all(a and "stockout_before_arrival" not in a for a in alerts)
    assert all(ro.ALERT_TEMPLATES_ZH["stockout_before_arrival"] in a for a in alerts)
    notes = [r[0] for r in openpyxl.load_workbook(paths["replenishment.xlsx"])["说明"].iter_rows(
        values_only=True) if r[0]]  # fmt: skip
    assert notes[0] == "FBA 补货计划，截至 2026-06-01"
    assert "低于低库存线: 历史可售天数低于 28 天（低库存水平费）" in notes  # threshold filled in
    assert _column(paths["replenishment.xlsx"], "发货计划", "运输方式")[0] == "海运"


def test_replenishment_workbook_in_english_and_csv_independent_of_language(
    plan, tmp_path: Path
) -> None:
    en = ro.write_replenishment(plan, tmp_path / "en", lang="en")
    zh = ro.write_replenishment(plan, tmp_path / "zh", lang="zh")
    sheets = _headers(en["replenishment.xlsx"])
    assert list(sheets) == ["Summary", "US", "Shipments", "Capacity", "Notes"]
    for name, headers in sheets.items():
        assert not [h for h in headers if SNAKE.match(h) or CJK.search(h)], name
    alerts = _column(en["replenishment.xlsx"], "US", "alerts")
    codes = ["stockout_before_arrival", "aged_stock", "below_lilf"]  # each row's three alerts
    assert alerts == ["; ".join(plan.alert_legend[c] for c in codes)] * 2
    for name in ("replenishment.csv", "shipments.csv", "projection.csv"):
        assert en[name].read_bytes() == zh[name].read_bytes(), name
    assert "alerts" in en["replenishment.csv"].read_text().splitlines()[0].split(",")


def test_alert_legend_in_each_language_has_every_code_and_the_thresholds(plan) -> None:
    assert set(ro.ALERT_TEMPLATES_ZH) == set(ALERT_TEMPLATES)
    zh, en = ro.alert_legend_in(plan, "zh"), ro.alert_legend_in(plan, "en")
    assert list(zh) == list(en) == list(ALERT_TEMPLATES)
    assert en == plan.alert_legend
    assert "180" in zh["aged_stock"] and "{" not in "".join(zh.values())
    view = ro.plan_view(plan, "ship_now", lang="zh")
    assert not view["alerts"].str.contains("_").any()
    assert ro.plan_view(plan, "ship_now")["alerts"].str.startswith("stockout_before_arrival").all()


def test_production_workbook_in_each_language(tmp_path: Path) -> None:
    st = settings_with(line())
    prod = plan_production(reqs([("A", 0, 1000)]), st, factory_products({"A": {}}), weeks=1)
    table = pd.DataFrame([scenario_row(prod, "base")])
    zh = write_production_outputs(prod, tmp_path / "zh", scenarios=table, lang="zh", currency="CNY")
    en = write_production_outputs(prod, tmp_path / "en", scenarios=table, lang="en", currency="CNY")
    zh_sheets, en_sheets = _headers(zh["excel"]), _headers(en["excel"])
    assert list(zh_sheets)[:3] == ["生产排程", "产线产能", "生产需求"]
    assert list(en_sheets)[:3] == ["Schedule", "Line capacity", "Requirements"]
    assert list(zh_sheets)[-1] == "说明" and list(en_sheets)[-1] == "Notes"
    for name, headers in zh_sheets.items():
        assert not [h for h in headers if SNAKE.match(h)], name
    for name, headers in en_sheets.items():
        assert not [h for h in headers if SNAKE.match(h) or CJK.search(h)], name
    assert "加班费/小时 (CNY)" in zh_sheets["产线产能"]
    assert "capacity (units)" in en_sheets["Line capacity"]
    assert _column(zh["excel"], "情景对比", "情景") == ["基准"]
    assert "总成本 (CNY)" in zh_sheets["情景对比"]
    for kind in ("schedule", "capacity", "requirements", "shortfalls", "scenarios"):
        assert zh[kind].read_bytes() == en[kind].read_bytes(), kind
    notes = openpyxl.load_workbook(zh["excel"])["说明"]
    assert notes["A1"].value == "工厂生产计划"
    assert any("缺口 600" in str(c.value) for c in notes["A"])  # 400 made of 1000
    assert any("目标（成本）" in str(c.value) for c in notes["A"])


def test_plan_and_produce_take_lang(tmp_path: Path) -> None:
    from forecasting.cli import build_parser

    parser = build_parser()
    for command in ("plan", "produce"):
        args = parser.parse_args([command, "--output", str(tmp_path), "--lang", "zh"])
        assert args.lang == "zh"
        assert parser.parse_args([command, "--output", str(tmp_path)]).lang == "en"
        with pytest.raises(SystemExit):
            parser.parse_args([command, "--output", str(tmp_path), "--lang", "fr"])


def test_replenishment_action_lines(plan) -> None:
    zh = action_lines.replenishment_actions(plan, "zh")
    en = action_lines.replenishment_actions(plan, "en")
    assert len(zh) == len(en) == 3
    assert en[0] == "**2** of 2 SKU × marketplace to ship now, **1,040** units."
    assert en[1].startswith("**2** stockout risks before the next arrival")
    assert en[2].startswith("**2** ageing risks, projected aged-inventory surcharge 0: ")
    fees = replace(plan, plan=plan.plan.assign(projected_aged_fee=[12.4, 30.0]))
    assert "surcharge 42 USD: " in action_lines.replenishment_actions(fees, "en")[2]
    assert zh[0] == "2 个 SKU × 站点中 **2** 个需要现在发货，共 **1,040** 件。"


def test_production_action_lines() -> None:
    st = settings_with(line())
    prod = plan_production(reqs([("A", 0, 1000)]), st, factory_products({"A": {}}), weeks=1)
    lines = action_lines.production_actions(prod, "en", currency="CNY")
    assert lines[0].startswith("**600** units late or short")  # 1000 due, 400 made in week 0
    assert "1 SKUs in 1 marketplaces" in lines[0]
    assert lines[1].startswith("Bottleneck line **L1**")
    assert lines[2].endswith("CNY.")


def test_inventory_ads_action_lines() -> None:
    risk = pd.DataFrame({"units_aged": [10, 5], "units_aged_in_90_days": [3, 0]})
    supply = pd.DataFrame({"low_inventory_fee": [True, False, True]})
    at_risk = pd.DataFrame({"action": ["pause", "reduce"], "spend_base": [100.0, 50.4]})
    lines = action_lines.inventory_ads_actions(
        risk, supply, at_risk, "en", base_currency="CNY", spend_days=30
    )
    assert lines[0].startswith("**15** units are older than 180 days; at the recent rate 3 ")
    assert lines[1].startswith("**2** SKU × marketplace are below the low-inventory level")
    assert lines[2] == (
        "**2** SKU × marketplace that will stock out are still advertised (1 to pause), "
        "150 CNY over the last 30 days."
    )
    empty = action_lines.inventory_ads_actions(
        risk.iloc[0:0], supply.iloc[0:0], at_risk.iloc[0:0], "zh", base_currency="CNY"
    )
    assert empty[0].startswith("**0** 件")


def test_forecast_action_lines() -> None:
    dates = pd.date_range("2026-11-01", periods=22)
    sales = pd.DataFrame({"sku": "A", "marketplace": "US", "date": dates, "units": 5.0,
                          "in_stock": True, "demand_estimate": 5.0})  # fmt: skip
    sales.loc[20:21, ["in_stock", "units"]] = [False, 0.0]  # out the last two days: 10 lost
    forecast = pd.DataFrame({"sku": ["A", "N"], "marketplace": "US",
                             "date": pd.Timestamp("2026-11-23"), "model": ["ets", "analog"],
                             "mean": 1.0})  # fmt: skip
    events = pd.DataFrame({"date": pd.to_datetime(["2026-11-01", "2026-11-27"]),
                           "marketplace": "US", "event": ["Old", "Black *Friday*"]})  # fmt: skip
    result = SimpleNamespace(
        as_of=pd.Timestamp("2026-11-22").date(), sales=sales, forecast=forecast,
        run=SimpleNamespace(choice=pd.DataFrame({"sku": ["A"], "marketplace": ["US"]})),
        events=events, horizon_days=90,
    )  # fmt: skip
    lines = action_lines.forecast_actions(result, "en")  # type: ignore[arg-type]
    assert lines[0].startswith("1 SKU × marketplace were out of stock in the last 28 days, an "
                               "estimated 10 units")  # fmt: skip
    assert lines[1].startswith("1 of 2 series have no backtested model")
    assert lines[2] == (
        "1 events in the next 90 days, the first US Black \\*Friday\\* on 2026-11-27: "
        "stock up ahead of them."
    )  # the event name is data: escaped, shown as text


def test_money_by_currency() -> None:
    got = action_lines.money_by_currency(
        pd.Series([1.0, 2000.0, 0.2]), pd.Series(["EUR", "JPY", "USD"])
    )
    assert got == "2,000 JPY + 1 EUR"
    assert (
        action_lines.money_by_currency(pd.Series([], dtype=float), pd.Series([], dtype=str)) == "0"
    )


@pytest.mark.parametrize(
    "name",
    [
        "forecasting.reports.action_lines",
        "forecasting.planning.excel",
        "forecasting.planning.fba.report",
    ],
)
def test_doctests(name: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
