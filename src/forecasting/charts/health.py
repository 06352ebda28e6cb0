"""Data-health charts (notebook ``01_data_health``), from :mod:`forecasting.reports.data_health`.

Every function takes the table that module computes, draws with the house style
(:func:`forecasting.charts.style.use_house_style`) and returns the Figure without showing it.
Labels are zh/en from :data:`LABELS` and :func:`forecasting.i18n.column_label`.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from forecasting.charts.style import BAD, GOOD, MARKETPLACE_COLORS, NEUTRAL, WARN, new_axes
from forecasting.i18n import column_label, lookup

#: zh/en labels of the data-health charts (looked up by :func:`label`).
LABELS: dict[str, dict[str, str]] = {
    "chart.ingest_title": {"zh": "各文件行数去向", "en": "Where each file's rows went"},
    "chart.rows": {"zh": "行数", "en": "rows"},
    "chart.coverage_title": {
        "zh": "每月有销量的天数（SKU × 站点）",
        "en": "Days with sales per month (SKU × marketplace)",
    },
    "chart.month": {"zh": "月份", "en": "month"},
    "chart.active_days": {"zh": "有销量天数", "en": "days with sales"},
    "chart.stockout_title": {
        "zh": "每周断货的 SKU·天（按站点）",
        "en": "Stockout SKU-days per week, by marketplace",
    },
    "chart.sku_days_out": {"zh": "断货 SKU·天", "en": "SKU-days out of stock"},
    "chart.stockout_top_title": {
        "zh": "断货天数最多的 SKU × 站点",
        "en": "SKU × marketplace with the most stockout days",
    },
    "chart.stockout_days": {"zh": "断货天数", "en": "stockout days"},
    "chart.longest_spell": {"zh": "最长连续断货", "en": "longest spell"},
    "chart.quarantine_title": {"zh": "隔离原因", "en": "Quarantine reasons"},
}


def label(key: str, lang: str = "zh", **fmt: object) -> str:
    """The chart label ``key`` in ``lang`` (``"zh"`` or ``"en"``), fields filled from ``fmt``.

    >>> label("chart.rows", "en")
    'rows'
    """
    return lookup(LABELS, key, lang, **fmt)


def ingest_chart(
    accounting: pd.DataFrame, *, total_row: str, ax: Axes | None = None, lang: str = "zh"
) -> Figure:
    """Stacked bars per file: share of its rows stored, quarantined, duplicated, excluded (%).

    Shares rather than row counts, so a small file's quarantined rows stay visible next to a
    large orders export; each bar is annotated with the file's rows in.

    Parameters
    ----------
    accounting : DataFrame
        :func:`~forecasting.reports.data_health.ingest_accounting`.
    total_row : str
        ``file`` value of the accounting's totals row, which is not drawn
        (:data:`forecasting.reports.data_health.TOTAL`).
    """
    acc = accounting.loc[accounting["file"] != total_row].iloc[::-1]
    fig, ax = new_axes(ax, figsize=(9.0, max(2.5, 0.32 * len(acc) + 1.6)))
    rows_in = acc["rows_in"].to_numpy(dtype=float)
    left = np.zeros(len(acc))
    fates = [
        ("rows_stored", GOOD),
        ("rows_quarantined", BAD),
        ("rows_duplicate", WARN),
        ("rows_excluded", NEUTRAL),
    ]
    labels = acc["file"].astype(str).to_numpy()
    for column, color in fates:
        share = np.divide(
            acc[column].to_numpy(dtype=float), rows_in, out=np.zeros(len(acc)), where=rows_in > 0
        )
        ax.barh(labels, 100 * share, left=left, color=color, label=column_label(column, lang))
        left += 100 * share
    for y, n in enumerate(rows_in):
        ax.text(101, y, f"{int(n):,}", va="center", fontsize=7)
    ax.set_xlim(0, 112)
    ax.set_xlabel(f"% {column_label('rows_in', lang)}")
    ax.set_title(label("chart.ingest_title", lang))
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18 if len(acc) < 8 else -0.05), ncols=4)
    ax.grid(axis="y", visible=False)
    return fig


def coverage_heatmap(
    matrix: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh", max_days: int = 31
) -> Figure:
    """Heat map of days with sales per month: one row per "sku · marketplace", one column a month.

    Parameters
    ----------
    matrix : DataFrame
        :func:`~forecasting.reports.data_health.coverage_matrix` (NaN = no row that month, blank).
    max_days : int
        Top of the colour scale (days in a month).
    """
    fig, ax = new_axes(ax, figsize=(10.0, max(3.0, 0.11 * len(matrix) + 1.5)))
    data = np.ma.masked_invalid(matrix.to_numpy(dtype=float))
    cmap = mpl.colormaps["YlGnBu"].with_extremes(bad="white")
    mesh = ax.pcolormesh(data, cmap=cmap, vmin=0, vmax=max_days)
    months = [pd.Timestamp(m) for m in matrix.columns]
    step = max(1, len(months) // 12)
    ticks = list(range(0, len(months), step))
    ax.set_xticks([i + 0.5 for i in ticks], [months[i].strftime("%Y-%m") for i in ticks])
    ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    ax.set_yticks(np.arange(len(matrix)) + 0.5, matrix.index.astype(str))
    ax.tick_params(axis="y", labelsize=max(4, min(8, int(600 / max(len(matrix), 1)))))
    ax.invert_yaxis()
    ax.grid(False)
    ax.set_xlabel(label("chart.month", lang))
    ax.set_title(label("chart.coverage_title", lang))
    fig.colorbar(mesh, ax=ax, label=label("chart.active_days", lang), shrink=0.6)
    return fig


def stockout_weekly_chart(
    weekly: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh"
) -> Figure:
    """Lines of out-of-stock SKU-days per week, one per marketplace.

    Parameters
    ----------
    weekly : DataFrame
        :func:`~forecasting.reports.data_health.stockouts_by_week` (week, marketplace,
        stockout_days).
    """
    fig, ax = new_axes(ax, figsize=(10.0, 3.6))
    for market, part in weekly.groupby("marketplace", sort=True):
        ax.plot(
            part["week"],
            part["stockout_days"],
            label=str(market),
            color=MARKETPLACE_COLORS.get(str(market)),
            linewidth=1.4,
        )
    ax.set_xlabel(column_label("week", lang))
    ax.set_ylabel(label("chart.sku_days_out", lang))
    ax.set_title(label("chart.stockout_title", lang))
    ax.set_ylim(bottom=0)
    if not weekly.empty:
        ax.legend(loc="upper left")
    return fig


def stockout_top_chart(
    summary: pd.DataFrame, *, top: int = 15, ax: Axes | None = None, lang: str = "zh"
) -> Figure:
    """Horizontal bars of the ``top`` series by stockout days, with their longest spell (days).

    Parameters
    ----------
    summary : DataFrame
        :func:`~forecasting.reports.data_health.stockout_summary`.
    """
    part = summary.loc[summary["stockout_days"] > 0].head(top).iloc[::-1]
    fig, ax = new_axes(ax, figsize=(9.0, max(2.5, 0.3 * len(part) + 1.2)))
    labels = (part["sku"].astype(str) + " · " + part["marketplace"].astype(str)).to_numpy()
    colors = [MARKETPLACE_COLORS.get(str(m), NEUTRAL) for m in part["marketplace"]]
    ax.barh(labels, part["stockout_days"], color=colors)
    ax.barh(labels, part["longest_spell_days"], height=0.3, color="black", alpha=0.55)
    ax.set_xlabel(label("chart.stockout_days", lang))
    ax.set_title(label("chart.stockout_top_title", lang))
    ax.grid(axis="y", visible=False)
    if len(part):
        markets = sorted(part["marketplace"].astype(str).unique())
        handles = [Patch(color=MARKETPLACE_COLORS.get(m, NEUTRAL), label=m) for m in markets]
        handles.append(Patch(color="black", alpha=0.55, label=label("chart.longest_spell", lang)))
        ax.legend(handles=handles, loc="lower right")
    return fig


def quarantine_chart(reasons: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh") -> Figure:
    """Horizontal bars of quarantined rows per reason (summed over files).

    Parameters
    ----------
    reasons : DataFrame
        :func:`~forecasting.reports.data_health.quarantine_reasons` (file, reason, count).
    """
    per = reasons.groupby("reason")["count"].sum().sort_values()
    fig, ax = new_axes(ax, figsize=(9.0, max(2.2, 0.32 * len(per) + 1.2)))
    ax.barh(per.index.astype(str), per.to_numpy(), color=BAD)
    ax.set_xlabel(label("chart.rows", lang))
    ax.set_title(label("chart.quarantine_title", lang))
    ax.tick_params(axis="y", labelsize=8)
    ax.grid(axis="y", visible=False)
    return fig
