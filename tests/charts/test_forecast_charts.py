"""Fan chart and accuracy leaderboard: figures, no show(), zh glyphs render, labels per language."""

from __future__ import annotations

import io
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from forecasting.charts.forecast import LABELS, accuracy_leaderboard, fan_chart, label
from forecasting.charts.style import use_house_style
from forecasting.demand import event_calendar


def _history() -> pd.DataFrame:
    dates = pd.date_range("2026-08-01", "2026-11-22")
    units = np.random.default_rng(1).poisson(8, len(dates))
    units[60:70] = 0
    df = pd.DataFrame({"sku": "A", "marketplace": "US", "date": dates, "units": units})
    df["in_stock"] = pd.array([True] * len(df), dtype="boolean")
    df.loc[60:69, "in_stock"] = False
    df["demand_estimate"] = np.where(df["in_stock"].to_numpy(bool), df.units, 8.0)
    return df


def _forecast() -> pd.DataFrame:
    dates = pd.date_range("2026-11-23", periods=28)
    f = pd.DataFrame({"sku": "A", "marketplace": "US", "date": dates, "model": "ets", "mean": 8.0})
    for q in range(10, 100, 10):
        f[f"p{q}"] = 8.0 + (q - 50) / 10
    return f


def _texts(fig: Figure) -> str:
    ax = fig.axes[0]
    parts = [ax.get_title(), ax.get_ylabel(), ax.get_xlabel()]
    parts += [t.get_text() for t in ax.texts]
    if ax.get_legend():
        parts += [t.get_text() for t in ax.get_legend().get_texts()]
    parts += [t.get_text() for t in ax.get_xticklabels()]
    return " ".join(parts)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_fan_chart_draws_everything_without_missing_glyphs(lang: str) -> None:
    use_house_style(lang)
    events = event_calendar("US", "2026-08-01", "2026-12-31")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = fan_chart(
            _history(), _forecast(), sku="A", marketplace="US", events=events, lang=lang
        )
        fig.savefig(io.BytesIO(), format="png")
    assert isinstance(fig, Figure) and not plt.get_fignums()  # never a pyplot figure
    text = _texts(fig)
    keys = ("chart.sales", "chart.stockout", "chart.lost_demand", "chart.p50", "chart.band")
    for key in (*keys, "chart.mean"):
        assert label(key, lang) in text
    assert "Black Friday–Cyber Monday 2026" in text
    ax = fig.axes[0]
    assert ax.get_title().startswith("A · US")
    assert len(ax.collections) >= 1  # the band


def test_fan_chart_into_given_axes_and_without_optional_columns() -> None:
    fig0, ax = plt.subplots()
    hist = _history().drop(columns=["in_stock", "demand_estimate"])
    fig = fan_chart(hist, _forecast().drop(columns=["p10", "p90"]), sku="A", ax=ax, lang="en")
    assert fig is fig0
    plt.close(fig0)


def _metrics() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = []
    for i in range(4):
        for model, wql in (("ets", 0.5 + i * 0.1), ("sba", 0.6 + i * 0.05), ("naive", 1.0)):
            rows.append((f"S{i}", "US", model, wql, wql * 1.2))
    metrics = pd.DataFrame(rows, columns=["sku", "marketplace", "model", "wql", "mase"])
    choice = pd.DataFrame(
        {
            "sku": [f"S{i}" for i in range(4)],
            "marketplace": "US",
            "model": "ets",
            "demand_class": ["smooth", "smooth", "intermittent", "lumpy"],
        }
    )
    return metrics, choice


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_leaderboard_ranks_models_by_class(lang: str) -> None:
    use_house_style(lang)
    metrics, choice = _metrics()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = accuracy_leaderboard(metrics, choice=choice, lang=lang)
        fig.savefig(io.BytesIO(), format="png")
    ax = fig.axes[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    cols = [t.get_text() for t in ax.get_xticklabels()]
    # all: ets (0.5 + 0.6 + 0.7 + 0.8) / 4 = 0.65 < sba 0.675 < naive 1.0
    assert rows == ["ets", "sba", "naive"]
    assert cols == [label(f"class.{c}", lang) for c in ("smooth", "intermittent", "lumpy")] + [
        label("chart.all", lang)
    ]
    values = {t.get_text() for t in ax.texts}
    assert "0.550" in values  # ets on smooth: (0.5 + 0.6) / 2
    boxed = [t.get_text() for t in ax.texts if t.get_bbox_patch() is not None]
    # best per column, row by row: ets smooth 0.55, intermittent 0.70 (tie, first row), all 0.65;
    # sba lumpy 0.75
    assert boxed == ["0.550", "0.700", "0.650", "0.750"]
    assert "WQL" in ax.get_title()


def test_leaderboard_without_classes_has_only_all_column() -> None:
    metrics, _ = _metrics()
    fig = accuracy_leaderboard(metrics, metric="mase", lang="en")
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["all"]


def test_every_label_has_both_languages() -> None:
    assert all(set(v) == {"zh", "en"} for v in LABELS.values())


def test_docstring_examples() -> None:
    import doctest

    import forecasting.charts.forecast

    assert doctest.testmod(forecasting.charts.forecast).failed == 0
