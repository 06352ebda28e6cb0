"""Inventory charts: the projected FBA stock path of one series with its fee bounds.

:func:`inventory_path_chart` draws the replenishment plan's ``projection`` frame (plain columns,
nothing imported from ``planning``): P10–P90 band and P50 of on-hand units, planned arrivals marked,
the low-inventory-level line (28 days of supply) and the 180-day ageing line (stock above it will
not sell within 180 days at P50 demand). The safe zone lies between the two lines. Labels are zh/en
(:data:`LABELS`; notebook 03's headings live in :mod:`forecasting.reports.i18n`).
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from forecasting.charts.style import BAD, GOOD, NEUTRAL, WARN, new_axes
from forecasting.i18n import lookup

#: zh/en labels of the inventory chart (looked up by :func:`label`).
LABELS: dict[str, dict[str, str]] = {
    "inv.on_hand": {"zh": "FBA 在库（件）", "en": "FBA on hand (units)"},
    "inv.p50": {"zh": "预计在库 P50", "en": "projected on hand P50"},
    "inv.band": {"zh": "P10–P90 区间", "en": "P10–P90 band"},
    "inv.arrival": {"zh": "计划到货", "en": "planned arrival"},
    "inv.lilf": {"zh": "低库存费线（28 天）", "en": "low-inventory fee line (28 days)"},
    "inv.aged": {"zh": "180 天库龄线", "en": "180-day ageing line"},
}


def label(key: str, lang: str = "zh", **fmt: object) -> str:
    """The chart label ``key`` in ``lang`` (``"zh"`` or ``"en"``), fields filled from ``fmt``.

    >>> label("inv.arrival", "en")
    'planned arrival'
    """
    return lookup(LABELS, key, lang, **fmt)


def inventory_path_chart(
    data: pd.DataFrame,
    *,
    sku: str | None = None,
    marketplace: str | None = None,
    ax: Axes | None = None,
    lang: str = "zh",
) -> Figure:
    """Projected FBA stock of one SKU × marketplace with P10–P90 band, arrivals and fee lines.

    Parameters
    ----------
    data : DataFrame
        The plan's projection: ``sku, marketplace, date, p10, p50, p90`` (units on hand at the end
        of each day) and optionally ``arrivals`` (units arriving that day), ``lilf_min_units``
        (28 days of P50 demand, units) and ``aged_limit_units`` (P50 demand over the next 180
        days, units).
    sku, marketplace : str, optional
        The series to draw; default the first series in ``data``.
    ax : Axes, optional
        Draw into this axes.
    lang : {"zh", "en"}
        Label language.

    Returns
    -------
    Figure
    """
    fig, ax = new_axes(ax, figsize=(9.0, 3.4))
    if data.empty:
        return fig
    sku = sku if sku is not None else data["sku"].iloc[0]
    d = data[data["sku"] == sku]
    if marketplace is None and "marketplace" in d:
        marketplace = d["marketplace"].iloc[0] if len(d) else None
    if marketplace is not None and "marketplace" in d:
        d = d[d["marketplace"] == marketplace]
    d = d.sort_values("date")
    ax.fill_between(d["date"], d["p10"], d["p90"], color=GOOD, alpha=0.2, lw=0,
                    label=label("inv.band", lang))  # fmt: skip
    ax.plot(d["date"], d["p50"], color=GOOD, lw=1.6, label=label("inv.p50", lang))
    if "lilf_min_units" in d:
        ax.plot(d["date"], d["lilf_min_units"], color=WARN, lw=1.0, ls="--",
                label=label("inv.lilf", lang))  # fmt: skip
    if "aged_limit_units" in d:
        ax.plot(d["date"], d["aged_limit_units"], color=BAD, lw=1.0, ls=":",
                label=label("inv.aged", lang))  # fmt: skip
    if "arrivals" in d:
        arr = d[d["arrivals"] > 0]
        if len(arr):
            ax.scatter(arr["date"], arr["p50"], marker="^", s=36, color=NEUTRAL, zorder=3,
                       label=label("inv.arrival", lang))  # fmt: skip
    top = float(d[["p90"]].max().max()) if len(d) else 1.0
    if "aged_limit_units" in d and len(d):
        top = max(top, float(d["lilf_min_units"].max()) if "lilf_min_units" in d else 0.0)
        ax.set_ylim(0, max(top * 1.15, 1.0))
    ax.set_title(f"{sku} · {marketplace}" if marketplace else str(sku))
    ax.set_ylabel(label("inv.on_hand", lang))
    ax.legend(loc="upper right", fontsize="small", ncols=2)
    fig.autofmt_xdate()
    return fig
