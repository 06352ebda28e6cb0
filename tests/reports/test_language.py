"""The detail reports (02–05) in the planner's language: no snake_case column header in the zh
report, no Chinese in the en report's headers, no alert code in report 03, three action lines on
top of each, the weekly forecast columns in date order.

The zh checks read the session's sample report (``report_dir``, run once for the whole suite).
The en report's headers come from the same tables through the same label lookup, so the fast test
maps each zh header back to its label key and checks the key's English text; the full en run is
``slow``.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from forecasting.cli import main
from forecasting.reports.i18n import LABELS

DETAIL = ("02_demand_forecast", "03_fba_replenishment", "04_production_plan", "05_inventory_ads")
SNAKE = re.compile(r"^[a-z]+(_[a-z0-9]+)+$")
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def headers(page: Path) -> list[str]:
    """Text of every table header cell of an HTML report."""
    text = page.read_text(encoding="utf-8")
    cells = re.findall(r"<th\b[^>]*>(.*?)</th>", text, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells]


def test_zh_detail_reports_have_no_snake_case_header(report_dir: Path) -> None:
    for name in DETAIL:
        found = headers(report_dir / f"{name}.html")
        assert found, name
        assert [h for h in found if SNAKE.match(h)] == [], name


def test_en_headers_of_the_same_tables_have_no_chinese(report_dir: Path) -> None:
    zh_to_key = {v["zh"]: k for k, v in LABELS.items() if k.startswith("col.")}
    for name in DETAIL:
        for h in headers(report_dir / f"{name}.html"):
            en = LABELS[zh_to_key[h]]["en"] if h in zh_to_key else h  # unlabelled: shown as is
            assert not CJK.search(en), (name, h, en)


def test_report_03_shows_alert_texts_not_codes(report_dir: Path) -> None:
    page = (report_dir / "03_fba_replenishment.html").read_text(encoding="utf-8")
    for code in ("stockout_before_arrival", "aged_stock", "below_lilf", "moq_exceeds_aged_cap"):
        assert code not in page, code
    assert "下一批货到达前库存会卖完" in page
    assert "stockout_before_arrival" in (report_dir / "replenishment.csv").read_text()


def test_each_detail_report_opens_with_three_action_lines(report_dir: Path) -> None:
    for name in DETAIL:
        page = (report_dir / f"{name}.html").read_text(encoding="utf-8")
        at = page.find("本周需要处理")
        assert at > 0, name
        block = page[at : page.find("</ul>", at)]
        assert block.count("<li>") == 3, name


def test_weekly_forecast_columns_in_date_order(report_dir: Path) -> None:
    """The sample's weeks cross the year end (as of 2026-11-22): 11-23 … 12-28, 01-04 …"""
    weeks = [
        h for h in headers(report_dir / "02_demand_forecast.html") if re.match(r"^\d\d-\d\d$", h)
    ]
    first = dt.date.fromisoformat(report_dir.name) + dt.timedelta(days=1)
    expected = [(first + dt.timedelta(days=7 * i)).strftime("%m-%d") for i in range(len(weeks))]
    assert len(weeks) >= 2 and weeks == expected


@pytest.mark.slow
def test_en_detail_reports_have_no_chinese_header(tmp_path: Path) -> None:
    code = main(["report", "--out", str(tmp_path), "--notebooks", "02,03,04,05", "-p", "lang=en"])
    assert code == 0
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    for name in DETAIL:
        found = headers(folder / f"{name}.html")
        assert [h for h in found if CJK.search(h) or SNAKE.match(h)] == [], name
