"""Production-plan charts: line utilisation heat map and factory requirement against capacity.

Both take plain data frames (the production plan's ``capacity`` table and its weekly load, see
:mod:`forecasting.planning.production_report`) and return a :class:`~matplotlib.figure.Figure`;
they never call ``show()`` and import nothing from ``models`` or ``planning``. Labels are zh/en from
:data:`LABELS`, also registered with :mod:`forecasting.reports.i18n` (keys ``prod.*`` and the
``col.*`` labels of the production tables) for the headings of notebook 04.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from forecasting.charts.style import BAD, GOOD, NEUTRAL, WARN, new_axes

#: zh/en labels of the production charts and of notebook 04.
LABELS: dict[str, dict[str, str]] = {
    "prod.title": {"zh": "# 工厂生产计划", "en": "# Factory production plan"},
    "prod.intro": {
        "zh": "截至 **{as_of}**，计划 **{weeks}** 周（{first} 起）：需求 {required:,} 件，"
        "按时 {on_time:,}，延迟 {late:,}，缺口 {short:,}（另有 {beyond:,} 件到期在计划期之后）；"
        "加班 {overtime:,.0f} 小时。",
        "en": "As of **{as_of}**, planning **{weeks}** weeks from {first}: {required:,} units "
        "required, {on_time:,} on time, {late:,} late, {short:,} short ({beyond:,} more due after "
        "the horizon); {overtime:,.0f} overtime hours.",
    },
    "prod.quality": {
        "zh": "产能、换线、最小批量和箱规决定至少 **{forced:,}** 件必然延迟或缺口（任何计划都无法避免），"
        "本计划延迟或缺口 **{plan_late:,}** 件。目标（{objective}）：本计划 {value:,.0f}，"
        "**已证明与最优相差不超过 {gap:.1%}**（下界 {bound:,.0f}）。"
        "求解：{method}（{status}，{seconds} 秒）。",
        "en": "Capacity, changeovers, minimum batches and case packs force at least **{forced:,}** "
        "units late or short (no plan avoids them); this plan has **{plan_late:,}** late or short. "
        "Objective ({objective}): this plan {value:,.0f}, **proven within {gap:.1%}** of the "
        "optimum (lower bound {bound:,.0f}). Solver: {method} ({status}, {seconds} s).",
    },
    "prod.objective.cost": {"zh": "成本", "en": "cost"},
    "prod.objective.units": {"zh": "延迟件数优先", "en": "late units first"},
    "prod.heatmap": {"zh": "## 各产线每周负荷", "en": "## Line utilisation by week"},
    "prod.load": {"zh": "## 需求与产能（工时）", "en": "## Requirement against capacity (hours)"},
    "prod.shortfalls": {
        "zh": "## 延迟与缺口：哪些站点何时会断货",
        "en": "## Late and short: which marketplaces stock out, when",
    },
    "prod.whatif": {"zh": "## 假设情景对比", "en": "## What-if scenarios"},
    "prod.schedule": {"zh": "## 主生产计划（前几周）", "en": "## Master production schedule"},
    "prod.written": {"zh": "计划已写入 `{path}`。", "en": "Plan written to `{path}`."},
    "prod.demand_notes": {
        "zh": "## 需求预测说明（生产需求来自此预测）",
        "en": "## Notes on the demand forecast the requirements come from",
    },
    "col.note": {"zh": "说明", "en": "note"},
    "prod.none": {"zh": "（无）", "en": "(none)"},
    "prod.utilisation": {"zh": "产线负荷（计划工时 / 正常工时）", "en": "planned / regular hours"},
    "prod.line": {"zh": "产线", "en": "line"},
    "prod.week": {"zh": "周", "en": "week"},
    "prod.hours": {"zh": "工时 / 周", "en": "hours / week"},
    "prod.required": {"zh": "到期需求工时", "en": "hours due"},
    "prod.planned": {"zh": "计划工时（含换线）", "en": "planned hours (incl. changeovers)"},
    "prod.capacity": {"zh": "正常产能", "en": "regular capacity"},
    "prod.overtime_cap": {"zh": "含加班上限", "en": "with overtime cap"},
    "prod.shutdown": {"zh": "停产（春节等）", "en": "shutdown (CNY etc.)"},
    "col.line": {"zh": "产线", "en": "line"},
    "col.due_date": {"zh": "完工期限", "en": "due date"},
    "col.required": {"zh": "需生产（件）", "en": "required (units)"},
    "col.on_time": {"zh": "按时（件）", "en": "on time (units)"},
    "col.late": {"zh": "延迟（件）", "en": "late (units)"},
    "col.short": {"zh": "缺口（件）", "en": "short (units)"},
    "col.ready_week": {"zh": "完工周", "en": "ready week"},
    "col.weeks_late": {"zh": "延迟周数", "en": "weeks late"},
    "col.stockout_from": {"zh": "断货起（原定到仓）", "en": "stockout from (planned arrival)"},
    "col.expected_arrival": {"zh": "预计到仓", "en": "expected arrival"},
    "col.scenario": {"zh": "情景", "en": "scenario"},
    "col.late_units": {"zh": "延迟（件）", "en": "late units"},
    "col.short_units": {"zh": "缺口（件）", "en": "short units"},
    "col.late_unit_weeks": {"zh": "延迟件·周", "en": "late unit-weeks"},
    "col.overtime_hours": {"zh": "加班工时", "en": "overtime hours"},
    "col.overtime_cost": {"zh": "加班费", "en": "overtime cost"},
    "col.holding_cost": {"zh": "成品持有成本", "en": "holding cost"},
    "col.late_cost": {"zh": "延迟惩罚", "en": "lateness penalty"},
    "col.cost": {"zh": "总成本", "en": "total cost"},
    "col.short_cost": {"zh": "缺口惩罚", "en": "short penalty"},
    "col.bound": {"zh": "下界", "en": "lower bound"},
    "col.gap": {"zh": "与下界差距", "en": "proven gap"},
    "col.forced_late_units": {"zh": "必然延迟（件）", "en": "forced late (units)"},
    "col.planned_units": {"zh": "计划产量（件）", "en": "planned units"},
}

try:  # share the labels with the report headings when the reports area is installed
    from forecasting.reports import i18n as _i18n

    _i18n.register({k: v for k, v in LABELS.items() if k not in _i18n.LABELS})
except ImportError:  # pragma: no cover - reports area missing
    _i18n = None


def label(key: str, lang: str = "zh") -> str:
    """The chart label ``key`` in ``lang`` (``"zh"`` or ``"en"``)."""
    return LABELS[key]["en" if lang == "en" else "zh"]


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
