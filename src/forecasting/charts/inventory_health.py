"""Inventory-health charts (notebook ``05_inventory_ads``), from
:mod:`forecasting.reports.inventory_health`: age structure and days of supply against the fee lines.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from forecasting.charts.style import BAD, GOOD, MARKETPLACE_COLORS, NEUTRAL, WARN, new_axes
from forecasting.reports.i18n import column_label, t
from forecasting.schema import AGE_BUCKETS

#: Bucket colours from young (green) to old (dark red).
AGE_COLORS = [GOOD, "#9cc5a1", WARN, "#e07b39", BAD, "#7b1f1a"]


def _series_labels(frame: pd.DataFrame) -> np.ndarray:
    return (frame["sku"].astype(str) + " · " + frame["marketplace"].astype(str)).to_numpy()


def age_chart(
    profile: pd.DataFrame, *, top: int = 15, ax: Axes | None = None, lang: str = "zh"
) -> Figure:
    """Stacked bars of units per age bucket for the ``top`` series by units over 180 days.

    Parameters
    ----------
    profile : DataFrame
        :func:`~forecasting.reports.inventory_health.age_profile` (sorted, most aged first).
    """
    part = profile.head(top).iloc[::-1]
    fig, ax = new_axes(ax, figsize=(9.0, max(2.5, 0.3 * len(part) + 1.6)))
    labels = _series_labels(part)
    left = np.zeros(len(part))
    for bucket, color in zip(AGE_BUCKETS, AGE_COLORS, strict=True):
        values = part[bucket].to_numpy(dtype=float)
        ax.barh(labels, values, left=left, color=color, label=column_label(bucket, lang))
        left += values
    ax.set_xlabel(t("chart.units", lang))
    ax.set_title(t("chart.age_title", lang))
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=6, fontsize=8)
    return fig


def days_of_supply_chart(
    supply: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh", cap_days: float = 365.0
) -> Figure:
    """Bars of long-term days of supply per series (capped at ``cap_days``) with the 28-day
    low-inventory-fee line and the 180-day ageing line.

    Parameters
    ----------
    supply : DataFrame
        :func:`~forecasting.reports.inventory_health.days_of_supply`.
    """
    from forecasting.reports.inventory_health import AGED_DAYS, LOW_INVENTORY_DAYS

    part = supply.iloc[::-1]
    fig, ax = new_axes(ax, figsize=(9.0, max(3.0, 0.13 * len(part) + 1.6)))
    days = np.minimum(part["long_term_days"].to_numpy(dtype=float), cap_days)
    colors = [MARKETPLACE_COLORS.get(str(m), NEUTRAL) for m in part["marketplace"]]
    ax.barh(_series_labels(part), days, color=colors)
    ax.axvline(LOW_INVENTORY_DAYS, color=BAD, linestyle="--", label=t("chart.lilf_line", lang))
    ax.axvline(AGED_DAYS, color=WARN, linestyle="--", label=t("chart.ais_line", lang))
    ax.set_xlim(0, cap_days)
    ax.set_xlabel(t("chart.days_of_supply", lang))
    ax.set_title(t("chart.supply_title", lang))
    ax.tick_params(axis="y", labelsize=max(4, min(8, int(500 / max(len(part), 1)))))
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    return fig
