"""Production-plan charts: line utilisation heat map and factory requirement against capacity.

Both take plain data frames (the production plan's ``capacity`` table and its weekly load, see
:mod:`forecasting.planning.production.report`) and return a :class:`~matplotlib.figure.Figure`;
they never call ``show()`` and import nothing from ``models`` or ``planning``. Labels are zh/en from
:data:`LABELS` (notebook 04's headings and table columns live in :mod:`forecasting.reports.i18n`
and :mod:`forecasting.i18n`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from forecasting.charts.style import BAD, GOOD, NEUTRAL, WARN, new_axes
from forecasting.i18n import lookup

#: zh/en labels of the production charts (looked up by :func:`label`).
LABELS: dict[str, dict[str, str]] = {
    "prod.utilisation": {"zh": "产线负荷（计划工时 / 正常工时）", "en": "planned / regular hours"},
    "prod.line": {"zh": "产线", "en": "line"},
    "prod.week": {"zh": "周", "en": "week"},
    "prod.hours": {"zh": "工时 / 周", "en": "hours / week"},
    "prod.required": {"zh": "到期需求工时", "en": "hours due"},
    "prod.planned": {"zh": "计划工时（含换线）", "en": "planned hours (incl. changeovers)"},
    "prod.capacity": {"zh": "正常产能", "en": "regular capacity"},
    "prod.overtime_cap": {"zh": "含加班上限", "en": "with overtime cap"},
    "prod.shutdown": {"zh": "停产（春节等）", "en": "shutdown (CNY etc.)"},
}


def label(key: str, lang: str = "zh", **fmt: object) -> str:
    """The chart label ``key`` in ``lang`` (``"zh"`` or ``"en"``), fields filled from ``fmt``.

    >>> label("prod.line", "en")
    'line'
    """
    return lookup(LABELS, key, lang, **fmt)


def utilisation_heatmap(data: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh") -> Figure:
    """Heat map of planned / regular hours by line (rows) × week (columns).

    Parameters
    ----------
    data : DataFrame
        The plan's capacity table: ``line, week, planned_hours, capacity_hours`` (hours).
    ax : Axes, optional
        Draw into this axes.
    lang : {"zh", "en"}
        Label language.

    Returns
    -------
    Figure
        Green below 85 %, amber to 100 %, red above (overtime); closed weeks are grey with "—".
    """
    lines = list(dict.fromkeys(data["line"]))
    grid = data.pivot(index="line", columns="week", values="planned_hours").loc[lines]
    cap = data.pivot(index="line", columns="week", values="capacity_hours").loc[lines]
    util = (grid / cap.where(cap > 0)).to_numpy(float)
    fig, ax = new_axes(ax, figsize=(max(8.0, 0.35 * grid.shape[1] + 2), 0.45 * len(lines) + 1.6))
    cmap = LinearSegmentedColormap.from_list(
        "util", [(0.0, "#f4f8f4"), (0.5, GOOD), (0.71, WARN), (0.83, BAD), (1.0, "#6e1a12")]
    ).with_extremes(bad=NEUTRAL)
    img = ax.imshow(np.ma.masked_invalid(util), aspect="auto", cmap=cmap, vmin=0.0, vmax=1.2)
    for (i, j), v in np.ndenumerate(util):
        text = "—" if np.isnan(v) else f"{v:.0%}"
        ax.text(j, i, text, ha="center", va="center", fontsize=6.5,
                color="white" if not np.isnan(v) and v > 0.9 else "black")  # fmt: skip
    weeks = pd.to_datetime(grid.columns)
    step = max(1, len(weeks) // 13)
    ax.set_xticks(range(0, len(weeks), step))
    ax.set_xticklabels([w.strftime("%m-%d") for w in weeks[::step]], rotation=45, ha="right")
    ax.set_yticks(range(len(lines)))
    ax.set_yticklabels(lines)
    ax.set_xlabel(label("prod.week", lang))
    ax.set_ylabel(label("prod.line", lang))
    ax.grid(False)
    fig.colorbar(img, ax=ax, label=label("prod.utilisation", lang), format="{x:.0%}")
    return fig


def requirement_vs_capacity(
    data: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh"
) -> Figure:
    """Factory-wide hours due, planned and available per week, shutdown weeks shaded.

    Parameters
    ----------
    data : DataFrame
        ``week, required_hours, planned_hours, capacity_hours, overtime_cap_hours, shutdown``
        (hours; ``shutdown`` bool) — the plan's weekly load.
    ax : Axes, optional
        Draw into this axes.
    lang : {"zh", "en"}
        Label language.

    Returns
    -------
    Figure
        Bars: hours due that week (what the marketplaces need); line: hours planned (pre-builds
        show as planned above due before a shutdown); steps: regular capacity and the overtime cap.
    """
    fig, ax = new_axes(ax)
    weeks = pd.to_datetime(data["week"])
    x = np.arange(len(weeks))
    for i in x[data["shutdown"].to_numpy(bool)]:
        ax.axvspan(i - 0.5, i + 0.5, color=NEUTRAL, alpha=0.25, lw=0)
    ax.bar(x, data["required_hours"], color="#9db7d5", width=0.8,
           label=label("prod.required", lang))  # fmt: skip
    ax.plot(x, data["planned_hours"], color="#1f5fa8", lw=1.8, marker="o", ms=3,
            label=label("prod.planned", lang))  # fmt: skip
    ax.step(x, data["capacity_hours"], where="mid", color=GOOD, lw=1.5,
            label=label("prod.capacity", lang))  # fmt: skip
    ax.step(x, data["capacity_hours"] + data["overtime_cap_hours"], where="mid", color=WARN,
            lw=1.2, ls="--", label=label("prod.overtime_cap", lang))  # fmt: skip
    if data["shutdown"].any():
        ax.fill_between([], [], color=NEUTRAL, alpha=0.25, label=label("prod.shutdown", lang))
    step = max(1, len(weeks) // 13)
    ax.set_xticks(x[::step])
    ax.set_xticklabels([w.strftime("%m-%d") for w in weeks[::step]], rotation=45, ha="right")
    ax.set_xlim(-0.6, len(x) - 0.4)
    ax.set_ylabel(label("prod.hours", lang))
    ax.set_xlabel(label("prod.week", lang))
    ax.legend(loc="upper right", ncols=2)
    return fig
