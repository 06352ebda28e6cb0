"""Inventory-health charts (notebook ``05_inventory_ads``), from
:mod:`forecasting.reports.inventory_health`: age structure and days of supply against the fee lines.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from forecasting.charts.style import BAD, GOOD, MARKETPLACE_COLORS, NEUTRAL, WARN, new_axes
from forecasting.i18n import column_label, lookup
from forecasting.schema import AGE_BUCKETS

#: zh/en labels of the inventory-health charts (looked up by :func:`label`).
LABELS: dict[str, dict[str, str]] = {
    "chart.age_title": {
        "zh": "库龄结构（超 180 天件数最多的 SKU × 站点）",
        "en": "Inventory age (SKU × marketplace with most units over 180 days)",
    },
    "chart.units": {"zh": "件数", "en": "units"},
    "chart.supply_title": {
        "zh": "长期可售天数与 28 天低库存费线、180 天超龄线",
        "en": "Long-term days of supply vs the 28-day low-inventory and 180-day ageing lines",
    },
    "chart.days_of_supply": {"zh": "可售天数", "en": "days of supply"},
    "chart.lilf_line": {"zh": "28 天（低库存费）", "en": "28 days (low-inventory fee)"},
    "chart.ais_line": {"zh": "180 天（超龄附加费）", "en": "180 days (aged surcharge)"},
}


def label(key: str, lang: str = "zh", **fmt: object) -> str:
    """The chart label ``key`` in ``lang`` (``"zh"`` or ``"en"``), fields filled from ``fmt``.

    >>> label("chart.units", "en")
    'units'
    """
    return lookup(LABELS, key, lang, **fmt)


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
    ax.set_xlabel(label("chart.units", lang))
    ax.set_title(label("chart.age_title", lang))
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=6, fontsize=8)
    return fig


def days_of_supply_chart(
    supply: pd.DataFrame,
    *,
    low_inventory_days: float,
    aged_days: float,
    ax: Axes | None = None,
    lang: str = "zh",
    cap_days: float = 365.0,
) -> Figure:
    """Bars of long-term days of supply per series (capped at ``cap_days``) with the
    low-inventory-fee line and the ageing line.

    Parameters
    ----------
    supply : DataFrame
        :func:`~forecasting.reports.inventory_health.days_of_supply`.
    low_inventory_days : float
        Days of supply below which the low-inventory-level fee applies (days; the fee table's
        threshold: :class:`forecasting.planning.fees.FeeThresholds`).
    aged_days : float
        Age from which the aged-inventory surcharge applies (days; the fee table's, see
        :class:`forecasting.planning.fees.FeeThresholds`).
    cap_days : float
        Bars longer than this are cut here (days).
    """

    part = supply.iloc[::-1]
    fig, ax = new_axes(ax, figsize=(9.0, max(3.0, 0.13 * len(part) + 1.6)))
    days = np.minimum(part["long_term_days"].to_numpy(dtype=float), cap_days)
    colors = [MARKETPLACE_COLORS.get(str(m), NEUTRAL) for m in part["marketplace"]]
    ax.barh(_series_labels(part), days, color=colors)
    ax.axvline(low_inventory_days, color=BAD, linestyle="--", label=label("chart.lilf_line", lang))
    ax.axvline(aged_days, color=WARN, linestyle="--", label=label("chart.ais_line", lang))
    ax.set_xlim(0, cap_days)
    ax.set_xlabel(label("chart.days_of_supply", lang))
    ax.set_title(label("chart.supply_title", lang))
    ax.tick_params(axis="y", labelsize=max(4, min(8, int(500 / max(len(part), 1)))))
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    return fig
