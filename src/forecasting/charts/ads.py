"""Advertising charts (notebook ``05_inventory_ads``), from
:mod:`forecasting.reports.ads_performance`: weekly ACOS and TACOS, wasted search-term spend.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from forecasting.charts.style import BAD, MARKETPLACE_COLORS, new_axes
from forecasting.reports.i18n import t


def acos_tacos_chart(
    market_weekly: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh"
) -> Figure:
    """Weekly ACOS (solid) and TACOS (dashed) per marketplace, as percentages.

    Parameters
    ----------
    market_weekly : DataFrame
        :func:`~forecasting.reports.ads_performance.marketplace_weekly`.
    """
    fig, ax = new_axes(ax, figsize=(10.0, 3.8))
    for market, part in market_weekly.groupby("marketplace", sort=True):
        color = MARKETPLACE_COLORS.get(str(market))
        ax.plot(part["week"], part["acos"], color=color, label=f"{market} ACOS")
        ax.plot(part["week"], part["tacos"], color=color, linestyle="--", label=f"{market} TACOS")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(bottom=0)
    ax.set_xlabel(t("chart.week", lang))
    ax.set_ylabel(t("chart.share", lang))
    ax.set_title(t("chart.acos_title", lang))
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
    ax.set_title(t("chart.waste_title", lang, base=base_currency))
    ax.grid(axis="y", visible=False)
    return fig
