"""Label tables: one lookup rule below charts and reports, headings merged in one place."""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys

import pytest

import forecasting.charts
from forecasting import i18n
from forecasting.errors import InputError
from forecasting.paths import NOTEBOOKS_DIR
from forecasting.reports import i18n as report_i18n


def _chart_modules() -> list:
    names = [info.name for info in pkgutil.iter_modules(forecasting.charts.__path__)]
    return [importlib.import_module(f"forecasting.charts.{n}") for n in names]


def test_every_label_the_notebooks_name_is_in_the_report_table() -> None:
    keys = set()
    for path in sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")):
        keys |= set(re.findall(r'i18n\.(?:t|md)\(\\?"([a-z_.]+)\\?"', path.read_text("utf-8")))
    assert len(keys) > 50  # the pattern finds the notebooks' headings
    missing = sorted(k for k in keys if k not in report_i18n.LABELS)
    assert missing == []


def test_importing_the_charts_registers_nothing() -> None:
    code = (
        "import json, pkgutil, importlib\n"
        "import forecasting.charts\n"
        "from forecasting.reports import i18n\n"
        "before = json.dumps(i18n.LABELS, sort_keys=True)\n"
        "for info in pkgutil.iter_modules(forecasting.charts.__path__):\n"
        "    importlib.import_module('forecasting.charts.' + info.name)\n"
        "print(before == json.dumps(i18n.LABELS, sort_keys=True))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_report_labels_do_not_need_matplotlib() -> None:
    code = "import sys\nimport forecasting.reports.i18n\nprint('matplotlib' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("module", _chart_modules(), ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_chart_labels_have_both_languages_and_stay_out_of_the_report_table(module) -> None:  # noqa: ANN001
    labels = getattr(module, "LABELS", {})
    assert all(set(v) == set(i18n.LANGS) for v in labels.values())
    assert not set(labels) & set(report_i18n.LABELS)  # chart labels live with the charts only


def test_merge_refuses_a_key_defined_twice_differently_or_a_missing_language() -> None:
    same = {"a": {"zh": "甲", "en": "A"}}
    assert i18n.merge_labels(same, same) == {"a": {"zh": "甲", "en": "A"}}
    with pytest.raises(ValueError, match="'a' is defined differently"):
        i18n.merge_labels(same, {"a": {"zh": "乙", "en": "A"}})
    with pytest.raises(ValueError, match=r"'b' lacks language\(s\) \['en'\]"):
        i18n.merge_labels({"b": {"zh": "乙"}})


def test_lookup_checks_language_and_key() -> None:
    assert i18n.t("col.rows_in", "en") == "rows in"
    assert report_i18n.column_label("rows_in", "zh") == i18n.column_label("rows_in", "zh")
    with pytest.raises(InputError, match="lang must be one of zh, en"):
        i18n.t("col.rows_in", "de")
    with pytest.raises(KeyError, match="no label 'col.nope'"):
        i18n.t("col.nope", "en")
