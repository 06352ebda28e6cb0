"""Charts of the Monday page (notebook ``00_weekly_summary``): the KPI tile row and the
money-at-risk bars.

Like every chart module: ``(data, *, labels…, ax=None) -> Figure``, no pyplot state, labels passed
in by the caller (this module imports no report code). Text from the data (SKUs) is drawn as plain
text, never mathtext.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from forecasting.charts.style import BAD, GOOD, NEUTRAL, WARN, new_axes

#: Tile colour per traffic-light status (``no_target`` / ``no_data`` grey).
STATUS_COLORS = {"green": GOOD, "amber": WARN, "red": BAD, "no_target": NEUTRAL, "no_data": NEUTRAL}
#: Tiles per row of the tile chart.
TILES_PER_ROW = 6


def kpi_tiles(
    tiles: pd.DataFrame,
    *,
    ax: Axes | None = None,
    per_row: int = TILES_PER_ROW,
) -> Figure:
    """The scorecard as a compact row of coloured tiles (name, value, target).

    Parameters
    ----------
    tiles : DataFrame
        One row per KPI: ``name`` (label in the report's language), ``value`` and ``target``
        (display text), ``status`` (``green`` / ``amber`` / ``red`` / ``no_target`` /
        ``no_data``, which sets the colour).
    per_row : int
        Tiles per row; more KPIs wrap onto further rows.
    """
    n = max(len(tiles), 1)
    rows = int(np.ceil(n / per_row))
    fig, ax = new_axes(ax, figsize=(min(n, per_row) * 1.9, rows * 1.25 + 0.1))
    ax.set_xlim(0, min(n, per_row))
    ax.set_ylim(0, rows)
    ax.set_axis_off()
    for i, rec in enumerate(tiles.to_dict("records")):
        x, y = i % per_row, rows - 1 - i // per_row
        color = STATUS_COLORS.get(str(rec["status"]), NEUTRAL)
        ax.add_patch(
            FancyBboxPatch(
                (x + 0.05, y + 0.06), 0.9, 0.88, boxstyle="round,pad=0,rounding_size=0.06",
                facecolor=color, edgecolor="none", alpha=0.9,
            )
        )  # fmt: skip
        for dy, text, size in (
            (0.76, rec["name"], 8.0),
            (0.47, rec["value"], 15.0),  # the CJK font has no bold face: size, not weight
            (0.18, rec["target"], 7.5),
        ):
            ax.text(
                x + 0.5, y + dy, str(text), ha="center", va="center", fontsize=size,
                color="white", parse_math=False,
            )  # fmt: skip
    return fig


def money_at_risk_chart(
    actions: pd.DataFrame,
    *,
    title: str,
    xlabel: str,
    kind_labels: Mapping[str, str],
    top: int = 15,
    ax: Axes | None = None,
) -> Figure:
    """Horizontal bars of the actions with the most money at risk (base currency).

    Parameters
    ----------
    actions : DataFrame
        ``kind, sku, marketplace, line, money_at_risk`` (rows without an amount are left out).
    title, xlabel : str
        Chart title and x-axis label in the report's language.
    kind_labels : mapping
        Action kind → its label (bar colours follow the kind, the legend shows the label).
    top : int
        Bars drawn at most.
    """
    part = actions.loc[pd.to_numeric(actions["money_at_risk"], errors="coerce") > 0].copy()
    part = part.sort_values("money_at_risk", ascending=False, kind="mergesort").head(top)
    fig, ax = new_axes(ax, figsize=(9.0, 0.38 * max(len(part), 3) + 1.2))
    names = [
        " ".join(str(v) for v in (r["sku"], r["marketplace"] or r["line"]) if v)
        for r in part.to_dict("records")
    ]
    palette = [GOOD, WARN, BAD, "#1f5fa8", "#7a5aa6", "#3f9a9a", NEUTRAL]
    kinds: Sequence[str] = list(dict.fromkeys(part["kind"]))
    colors = {k: palette[i % len(palette)] for i, k in enumerate(kinds)}
    y = np.arange(len(part))[::-1]
    for kind in kinds:
        sel = (part["kind"] == kind).to_numpy()
        ax.barh(
            y[sel], part.loc[sel, "money_at_risk"].astype(float), color=colors[kind],
            label=kind_labels.get(kind, kind),
        )  # fmt: skip
    ax.set_yticks(y, names)
    for label in ax.get_yticklabels():
        label.set_parse_math(False)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    if len(part):
        ax.legend(loc="lower right")
    return fig
