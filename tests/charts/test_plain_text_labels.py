"""Text from data is drawn as plain text in every chart (no mathtext, no markup).

A shopper's search term ``cheap $$ dog bed`` once failed report 05 (matplotlib parsed it as math).
Every chart function of ``forecasting.charts`` is drawn here under the house style with hostile
labels in every text field its data has, rendered to PNG (as the reports do), and every label must
appear verbatim in the figure's texts, none parsed as math.
"""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
from collections.abc import Callable
from itertools import cycle, islice
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

import forecasting.charts
from forecasting.charts import ads as ads_charts
from forecasting.charts.style import use_house_style
from forecasting.schema import AGE_BUCKETS

HOSTILE = [
    "cheap $$ dog bed",
    r"$\frac{1}{0}$",
    "a_b_c",
    "x^2",
    "back\\slash",
    "<script>alert(1)</script>",
    r"$\undefinedcommand$ 100$",
]


def _labels(n: int, offset: int = 0) -> list[str]:
    return list(islice(cycle(HOSTILE), offset, offset + n))


def _acos() -> tuple[dict, list[str]]:
    weeks = pd.date_range("2026-10-05", periods=4, freq="W-MON")
    markets = _labels(2)
    data = pd.DataFrame(
        {"marketplace": np.repeat(markets, 4), "week": list(weeks) * 2, "acos": 0.3, "tacos": 0.1}
    )
    return {"market_weekly": data}, markets


def _break_even() -> tuple[dict, list[str]]:
    skus = _labels(3)
    data = pd.DataFrame(
        {"sku": skus, "marketplace": "US", "program": _labels(3, 3), "acos": [0.3, np.nan, 0.1],
         "break_even_acos": 0.2, "above_break_even": [True, True, False]}
    )  # fmt: skip
    return {"above": data}, [*skus, *_labels(3, 3)]


def _wasted() -> tuple[dict, list[str]]:
    terms = _labels(len(HOSTILE))
    data = pd.DataFrame({"search_term": terms, "marketplace": "US", "spend_base": 5.0})
    return {"wasted": data, "top": len(terms)}, terms


def _ingest() -> tuple[dict, list[str]]:
    files = _labels(len(HOSTILE))
    data = pd.DataFrame(
        {"file": files, "rows_in": 10, "rows_stored": 7, "rows_quarantined": 1,
         "rows_duplicate": 1, "rows_excluded": 1}
    )  # fmt: skip
    return {"accounting": data, "total_row": "Σ"}, files


def _coverage() -> tuple[dict, list[str]]:
    series = _labels(len(HOSTILE))
    months = pd.date_range("2026-01-01", periods=3, freq="MS")
    data = pd.DataFrame(20.0, index=series, columns=months)
    return {"matrix": data}, series


def _stockout_weekly() -> tuple[dict, list[str]]:
    markets = _labels(3)
    weeks = pd.date_range("2026-10-05", periods=3, freq="W-MON")
    data = pd.DataFrame(
        {"week": list(weeks) * 3, "marketplace": np.repeat(markets, 3), "stockout_days": 2}
    )
    return {"weekly": data}, markets


def _stockout_top() -> tuple[dict, list[str]]:
    skus = _labels(len(HOSTILE))
    data = pd.DataFrame(
        {"sku": skus, "marketplace": _labels(len(HOSTILE), 3), "stockout_days": 5,
         "longest_spell_days": 2}
    )  # fmt: skip
    return {"summary": data, "top": len(skus)}, skus


def _quarantine() -> tuple[dict, list[str]]:
    reasons = _labels(len(HOSTILE))
    data = pd.DataFrame({"file": "f.csv", "reason": reasons, "count": range(1, len(reasons) + 1)})
    return {"reasons": data}, reasons


def _age() -> tuple[dict, list[str]]:
    skus = _labels(len(HOSTILE))
    data = pd.DataFrame({"sku": skus, "marketplace": "US"})
    for bucket in AGE_BUCKETS:
        data[bucket] = 3.0
    return {"profile": data, "top": len(skus)}, skus


def _supply() -> tuple[dict, list[str]]:
    skus = _labels(len(HOSTILE))
    data = pd.DataFrame({"sku": skus, "marketplace": "US", "long_term_days": 90.0})
    return {"supply": data, "low_inventory_days": 28, "aged_days": 180}, skus


def _fan() -> tuple[dict, list[str]]:
    sku, market, event, model = _labels(4)
    dates = pd.date_range("2026-10-01", "2026-11-22")
    history = pd.DataFrame({"sku": sku, "marketplace": market, "date": dates, "units": 3})
    future = pd.date_range("2026-11-23", periods=14)
    forecast = pd.DataFrame(
        {"sku": sku, "marketplace": market, "date": future, "model": model, "mean": 3.0}
    )
    for q in range(10, 100, 10):
        forecast[f"p{q}"] = 3.0 + (q - 50) / 20
    events = pd.DataFrame({"date": [pd.Timestamp("2026-11-27")], "event": event, "kind": "bfcm"})
    kwargs = {"history": history, "forecast": forecast, "sku": sku, "marketplace": market}
    return kwargs | {"events": events}, [sku, market, event, model]


def _effects() -> tuple[dict, list[str]]:
    (market,) = _labels(1, 2)
    data = pd.DataFrame(
        {"level": "marketplace", "marketplace": market, "kind": "bfcm",
         "phase": ["pre", "event", "post"], "factor": [1.3, 2.5, 0.8], "log_sd": 0.2}
    )  # fmt: skip
    return {"effects": data, "marketplace": market}, [market]


def _leaderboard() -> tuple[dict, list[str]]:
    models = _labels(len(HOSTILE))
    data = pd.DataFrame(
        {"sku": "A", "marketplace": "US", "model": models, "wql": np.linspace(0.5, 1.0, 7),
         "demand_class": "smooth"}
    )  # fmt: skip
    return {"metrics": data}, models


def _inventory_path() -> tuple[dict, list[str]]:
    sku, market = _labels(2, 5)
    dates = pd.date_range("2026-11-23", periods=10)
    data = pd.DataFrame(
        {"sku": sku, "marketplace": market, "date": dates, "p10": 5.0, "p50": 8.0, "p90": 11.0}
    )
    return {"data": data, "sku": sku, "marketplace": market}, [sku, market]


def _utilisation() -> tuple[dict, list[str]]:
    lines = _labels(3, 1)
    weeks = pd.date_range("2026-11-23", periods=4, freq="W-MON")
    data = pd.DataFrame(
        {"line": np.repeat(lines, 4), "week": list(weeks) * 3, "planned_hours": 30.0,
         "capacity_hours": 40.0}
    )  # fmt: skip
    return {"data": data}, lines


def _requirements() -> tuple[dict, list[str]]:
    weeks = pd.date_range("2026-11-23", periods=4, freq="W-MON")
    data = pd.DataFrame(
        {"week": weeks, "required_hours": 10.0, "planned_hours": 12.0, "capacity_hours": 40.0,
         "overtime_cap_hours": 8.0, "shutdown": [False, True, False, False]}
    )  # fmt: skip
    return {"data": data}, []  # weeks and hours only: no text from data


def _tiles() -> tuple[dict, list[str]]:
    names = _labels(len(HOSTILE))
    data = pd.DataFrame(
        {"name": names, "value": _labels(7, 1), "target": _labels(7, 2), "status": "green"}
    )
    return {"tiles": data}, names


def _money_at_risk() -> tuple[dict, list[str]]:
    skus = _labels(4)
    data = pd.DataFrame(
        {"kind": ["ship", "produce", "ship", "pause_ads"], "sku": skus,
         "marketplace": ["US", "", "DE", "JP"], "line": ["", "L1", "", ""],
         "money_at_risk": [40.0, 30.0, 20.0, 10.0]}
    )  # fmt: skip
    kinds = {"ship": HOSTILE[4], "produce": HOSTILE[5], "pause_ads": HOSTILE[6]}
    kwargs = {"actions": data, "title": HOSTILE[1], "xlabel": HOSTILE[0], "kind_labels": kinds}
    return kwargs, [*skus, *kinds.values(), HOSTILE[0], HOSTILE[1]]


#: every chart function → its data with hostile labels in every text field, and those labels
CASES: dict[str, Callable[[], tuple[dict, list[str]]]] = {
    "ads.acos_tacos_chart": _acos,
    "ads.wasted_terms_chart": _wasted,
    "ads.break_even_chart": _break_even,
    "health.ingest_chart": _ingest,
    "health.coverage_heatmap": _coverage,
    "health.stockout_weekly_chart": _stockout_weekly,
    "health.stockout_top_chart": _stockout_top,
    "health.quarantine_chart": _quarantine,
    "inventory_health.age_chart": _age,
    "inventory_health.days_of_supply_chart": _supply,
    "forecast.fan_chart": _fan,
    "forecast.accuracy_leaderboard": _leaderboard,
    "forecast.event_effects_chart": _effects,
    "inventory.inventory_path_chart": _inventory_path,
    "production.utilisation_heatmap": _utilisation,
    "production.requirement_vs_capacity": _requirements,
    "scorecard.kpi_tiles": _tiles,
    "scorecard.money_at_risk_chart": _money_at_risk,
}


def chart_functions() -> dict[str, Callable[..., Figure]]:
    """Every public function of the chart modules that returns a Figure, by ``module.name``."""
    found = {}
    for info in pkgutil.iter_modules(forecasting.charts.__path__):
        module = importlib.import_module(f"forecasting.charts.{info.name}")
        for name, func in inspect.getmembers(module, inspect.isfunction):
            returns = inspect.signature(func).return_annotation
            public = func.__module__ == module.__name__ and not name.startswith("_")
            if public and returns in ("Figure", Figure) and name != "new_axes":
                found[f"{info.name}.{name}"] = func
    return found


def test_every_chart_function_has_a_hostile_label_case() -> None:
    assert sorted(chart_functions()) == sorted(CASES)


def _render(name: str, lang: str) -> tuple[Figure, list[str]]:
    kwargs, labels = CASES[name]()
    func = chart_functions()[name]
    if "lang" in inspect.signature(func).parameters:  # others take their labels as arguments
        kwargs = {**kwargs, "lang": lang}
    fig = func(**kwargs)
    fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")  # as the reports display it
    return fig, labels


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_labels_from_data_render_as_plain_text(name: str, lang: str) -> None:
    use_house_style(lang)
    fig, labels = _render(name, lang)
    texts = [t for t in fig.findobj(Text) if t.get_text()]
    shown = "\n".join(t.get_text() for t in texts)
    for wanted in labels:
        assert wanted in shown, f"{name}: label {wanted!r} not drawn"
    mathy = [t.get_text() for t in texts if "$" in t.get_text() and t.get_parse_math()]
    assert not mathy, f"{name}: parsed as mathtext: {mathy}"


def test_without_the_house_rule_a_search_term_breaks_the_chart() -> None:
    # the check above can fail: with mathtext parsing on, "$$" cannot be drawn
    use_house_style("en")
    with mpl.rc_context({"text.parse_math": True}), pytest.raises(ValueError):
        _render("ads.wasted_terms_chart", "en")


def test_a_real_search_term_report_with_dollars_draws_and_shows_as_text(tmp_path: Path) -> None:
    """The catalogue's ads export (``cheap $$ dog bed``) through the store, the wasted-terms
    table (HTML escaped), its CSV and the chart report 05 draws."""
    from forecasting.config import load_settings
    from forecasting.io.store import build_store, open_store
    from forecasting.reports import ads_performance as ap
    from forecasting.reports.tables import save_table, show_table

    case = Path(__file__).parents[1] / "catalogue" / "runpath_ads_dollar_search_term"
    store = tmp_path / "h.duckdb"
    build_store([case / "SP_Search_Term_US_2026.csv"], store, root=case)
    cfg = load_settings()
    wasted = ap.wasted_search_terms(open_store(store).search_terms(), fx_to_base=cfg.fx_to_base)
    terms = ["cheap $$ dog bed", r"$\frac{1}{0}$ bed_x^2"]
    assert sorted(wasted["search_term"]) == sorted(terms)
    use_house_style("en")
    fig = ads_charts.wasted_terms_chart(wasted, base_currency=cfg.base_currency, lang="en")
    fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")
    shown = [t.get_text() for t in fig.findobj(Text)]
    for term in terms:
        assert f"{term} · US" in shown
    html = show_table(wasted, "en").to_html()
    assert "cheap $$ dog bed" in html  # the table shows the text as it is
    path = save_table(wasted, tmp_path, "wasted_search_terms.csv")
    assert path is not None and "cheap $$ dog bed" in path.read_text(encoding="utf-8-sig")
