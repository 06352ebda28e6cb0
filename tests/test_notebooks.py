"""Every report notebook: committed clean, and run once on the sample through `forecasting report`.

The session fixture ``report_dir`` (tests/conftest.py) runs ``forecasting report`` ONCE on the
bundled sample into a temporary folder (all notebooks in ``notebooks/``); the tests then check each
HTML report. A second run of notebook 01 with ``-p lang=en`` checks the language switch.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from forecasting.cli import main
from forecasting.config import load_settings
from forecasting.paths import NOTEBOOKS_DIR
from forecasting.reports import i18n
from forecasting.reports.params import declared_parameters, literal_assignments

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
AS_OF = load_settings().as_of.isoformat()
CJK = re.compile(r"[\u4e00-\u9fff]")
HEALTH_HEADINGS = ["health.title", "health.ingest", "health.coverage", "health.gaps"]
HEALTH_HEADINGS += ["health.stockouts", "health.quarantine"]
#: notebook → fewest embedded figures its report must have (default 4)
MIN_FIGURES = {"04_production_plan": 2}
#: notebook → heading keys its report must show
HEADINGS = {
    "01_data_health": HEALTH_HEADINGS,
    "02_demand_forecast": [
        "forecast.title",
        "forecast.stockouts",
        "forecast.classes",
        "forecast.leaderboard",
        "forecast.fans",
        "forecast.table",
        "forecast.effects",
    ],
    "03_fba_replenishment": [
        "replenish.title",
        "replenish.summary",
        "replenish.plan",
        "replenish.paths",
        "replenish.stockouts",
        "replenish.ageing",
    ],
    "04_production_plan": [
        "prod.title",
        "prod.heatmap",
        "prod.load",
        "prod.shortfalls",
        "prod.whatif",
    ],
    "05_inventory_ads": [
        "invads.title",
        "invads.age",
        "invads.supply",
        "invads.ads",
        "invads.economics",
        "invads.break_even",
        "invads.spend_share",
        "invads.stockout_ads",
        "invads.waste",
    ],
}


def _heading_text(key: str, lang: str) -> str:
    return i18n.t(key, lang).lstrip("# ").strip()


def _code_cells(path: Path) -> list[nbformat.NotebookNode]:
    nb = nbformat.read(path, as_version=4)
    return [c for c in nb.cells if c.cell_type == "code"]


# --- committed state ------------------------------------------------------------------------
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_committed_without_outputs(path: Path) -> None:
    for cell in _code_cells(path):
        assert cell.outputs == [], f"{path.name}: clear outputs before committing"
        assert cell.execution_count is None, f"{path.name}: execution_count must be null"
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_code_cell_is_literal_parameters(path: Path) -> None:
    first = _code_cells(path)[0]
    assert "parameters" in first.metadata.get("tags", []), f"{path.name}: tag the first code cell"
    try:
        values = literal_assignments(first.source)
    except ValueError as exc:
        pytest.fail(f"{path.name}: parameters cell: {exc}")
    assert values.get("lang") == "zh"
    for name in ("store", "settings"):
        assert name in values and values[name] is None, f"{path.name}: {name} = None"
    assert list(declared_parameters(path)) == list(values)  # papermill reads every line


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_def_or_class_in_notebooks(path: Path) -> None:
    for cell in _code_cells(path):
        source = "\n".join(
            line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!"))
        )
        for node in ast.walk(ast.parse(source)):
            assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef), (
                f"{path.name}: move `{getattr(node, 'name', '?')}` into src/forecasting/"
            )


def test_notebook_01_is_there() -> None:
    assert NOTEBOOKS_DIR / "01_data_health.ipynb" in NOTEBOOKS


# --- one run of every notebook on the sample ------------------------------------------------
# report_dir: tests/conftest.py (the session's single run of `forecasting report`)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_report_html_is_complete_and_self_contained(report_dir: Path, path: Path) -> None:
    html = (report_dir / f"{path.stem}.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=[\"']?https?:", html), "script loaded from the network"
    assert not re.search(r"<link[^>]+href=[\"']?https?:", html), "stylesheet from the network"
    for src in re.findall(r"<img[^>]+src=[\"']([^\"']+)", html):
        assert src.startswith("data:image/"), f"image not inline: {src[:60]}"
    assert "Traceback" not in html and 'class="ansi-red-fg"' not in html
    # headings follow lang (zh default): the report's title heading is Chinese
    title = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert title and CJK.search(title.group(1)), f"{path.name}: no Chinese <h1> heading"


@pytest.mark.parametrize("name", sorted(HEADINGS))
def test_report_has_every_heading_and_charts(report_dir: Path, name: str) -> None:
    if not (NOTEBOOKS_DIR / f"{name}.ipynb").exists():
        pytest.skip(f"{name} not in notebooks/")
    html = (report_dir / f"{name}.html").read_text(encoding="utf-8")
    for key in HEADINGS[name]:
        assert _heading_text(key, "zh") in html, key
    assert html.count("data:image/png;base64,") >= MIN_FIGURES.get(name, 4)
    # no temporary render folder leaks into the report (files are named, not pathed)
    assert ".tmp-" not in html
    # no warning, font or log line printed on stderr by any cell
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in html


def test_index_links_every_report(report_dir: Path) -> None:
    index = (report_dir / "index.html").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert f'href="{path.stem}.html"' in index
    for href in re.findall(r'href="([^"]+)"', index):
        assert (report_dir / href).exists(), href
    assert i18n.t("index.title", "zh", as_of=AS_OF) in index


def test_one_notebook_in_english(tmp_path: Path) -> None:
    assert main(["report", "--out", str(tmp_path), "--notebooks", "01", "-p", "lang=en"]) == 0
    folder = tmp_path / AS_OF
    html = (folder / "01_data_health.html").read_text(encoding="utf-8")
    for key in HEALTH_HEADINGS:
        assert _heading_text(key, "en") in html, key
    assert _heading_text("health.title", "zh") not in html
    assert sorted(p.name for p in folder.glob("*.html")) == ["01_data_health.html", "index.html"]
    assert "Planning reports" in (folder / "index.html").read_text(encoding="utf-8")
