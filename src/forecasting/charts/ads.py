"""Advertising charts (notebook ``05_inventory_ads``), from
:mod:`forecasting.reports.ads_performance`: weekly ACOS and TACOS (one line per marketplace and ad
program: Sponsored Brands' 14-day attribution is never drawn as Sponsored Products' 7-day), ACOS
against each SKU's break-even ACOS, wasted search-term spend.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from forecasting.charts.style import BAD, GOOD, MARKETPLACE_COLORS, new_axes
from forecasting.i18n import column_label, lookup

#: zh/en labels of the advertising charts (looked up by :func:`label`).
LABELS: dict[str, dict[str, str]] = {
    "chart.acos_title": {
        "zh": "每周 ACOS 与 TACOS（按站点）",
        "en": "Weekly ACOS and TACOS by marketplace",
    },
    "chart.share": {"zh": "比例", "en": "share"},
    "chart.waste_title": {
        "zh": "浪费花费最多的搜索词（折合 {base}）",
        "en": "Search terms wasting the most ({base})",
    },
    "chart.break_even": {"zh": "盈亏平衡 ACOS", "en": "break-even ACOS"},
    "chart.break_even_title": {
        "zh": "ACOS 与盈亏平衡 ACOS（红色 = 广告亏钱）",
        "en": "ACOS vs break-even ACOS (red = ads losing money)",
    },
}


def label(key: str, lang: str = "zh", **fmt: object) -> str:
    """The chart label ``key`` in ``lang`` (``"zh"`` or ``"en"``), fields filled from ``fmt``.

    >>> label("chart.share", "en")
    'share'
    """
    return lookup(LABELS, key, lang, **fmt)


def acos_tacos_chart(
    market_weekly: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh"
) -> Figure:
    """Weekly ACOS (solid) and TACOS (dashed) per marketplace, as percentages.

    Parameters
    ----------
    market_weekly : DataFrame
        :func:`~forecasting.reports.ads_performance.marketplace_weekly` (one line per
        marketplace × program; programs are named in the legend when there are several).
    """
    fig, ax = new_axes(ax, figsize=(10.0, 3.8))
    data = market_weekly
    if "program" not in data.columns:
        data = data.assign(program="SP")
    several = data["program"].nunique() > 1
    for (market, program), part in data.groupby(["marketplace", "program"], sort=True):
        color = MARKETPLACE_COLORS.get(str(market))
        name = f"{market} {program}" if several else str(market)
        marker = "o" if program != "SP" else None
        ax.plot(part["week"], part["acos"], color=color, marker=marker, label=f"{name} ACOS")
        ax.plot(
            part["week"], part["tacos"], color=color, linestyle="--", marker=marker,
            label=f"{name} TACOS",
        )  # fmt: skip
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(bottom=0)
    ax.set_xlabel(column_label("week", lang))
    ax.set_ylabel(label("chart.share", lang))
    ax.set_title(label("chart.acos_title", lang))
    if not market_weekly.empty:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=6)
    return fig


def wasted_terms_chart(
    wasted: pd.DataFrame,
    *,
    top: int = 15,
    base_currency: str = "CNY",
    ax: Axes | None = None,
    lang: str = "zh",
) -> Figure:
    """Bars of the ``top`` search terms by wasted spend in the base currency.

    Parameters
    ----------
    wasted : DataFrame
        :func:`~forecasting.reports.ads_performance.wasted_search_terms` called with
        ``fx_to_base`` (uses ``spend_base``).
    """
    part = wasted.head(top).iloc[::-1]
    fig, ax = new_axes(ax, figsize=(9.0, max(2.5, 0.3 * len(part) + 1.2)))
    labels = (part["search_term"].astype(str) + " · " + part["marketplace"].astype(str)).to_numpy()
    ax.barh(labels, part["spend_base"].to_numpy(dtype=float), color=BAD)
    ax.set_xlabel(base_currency)
    ax.set_title(label("chart.waste_title", lang, base=base_currency))
    ax.grid(axis="y", visible=False)
    return fig


def break_even_chart(
    above: pd.DataFrame, *, top: int = 15, ax: Axes | None = None, lang: str = "zh"
) -> Figure:
    """ACOS (bars) against each SKU's break-even ACOS (black ticks), the ``top`` rows given.

    Bars over their tick (red) lose money on ads; a SKU that spent without an ad sale has no
    ACOS bar, only its tick.

    Parameters
    ----------
    above : DataFrame
        :func:`~forecasting.reports.ads_performance.acos_vs_break_even` (sku, marketplace,
        program, acos, break_even_acos, above_break_even), most loss first.
    """
    part = above.dropna(subset=["break_even_acos"]).head(top).iloc[::-1]
    fig, ax = new_axes(ax, figsize=(9.0, max(2.5, 0.32 * len(part) + 1.2)))
    labels = (
        part["sku"].astype(str)
        + " · "
        + part["marketplace"].astype(str)
        + " · "
        + part["program"].astype(str)
    ).to_numpy()
    y = np.arange(len(part))
    acos = part["acos"].to_numpy(dtype=float)
    colors = [BAD if bool(a) else GOOD for a in part["above_break_even"]]
    ax.barh(y, np.nan_to_num(acos, nan=0.0), color=colors, height=0.6)
    ax.scatter(
        part["break_even_acos"].to_numpy(dtype=float), y, marker="|", s=260, color="black",
        zorder=3, label=label("chart.break_even", lang),
    )  # fmt: skip
    ax.set_yticks(y, labels)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("ACOS")
    ax.set_title(label("chart.break_even_title", lang))
    ax.grid(axis="y", visible=False)
    if len(part):
        ax.legend(loc="lower right")
    return fig
