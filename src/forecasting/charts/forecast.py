"""Forecast charts: the fan chart of one series and the accuracy leaderboard of the models.

Both take plain data frames (the demand area's daily history, the forecast contract, the backtest's
metrics) and return a :class:`~matplotlib.figure.Figure`; they never call ``show()`` and import
nothing from ``models`` or ``planning``. Labels are zh/en from :data:`LABELS` (the headings of
the demand-forecast notebook live in :mod:`forecasting.reports.i18n`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from forecasting.charts.style import BAD, NEUTRAL, new_axes
from forecasting.i18n import lookup
from forecasting.schema import DATE, IN_STOCK, MARKETPLACE, MEAN, MODEL, SKU, UNITS

#: zh/en labels of the forecast charts (looked up by :func:`label`).
LABELS: dict[str, dict[str, str]] = {
    "chart.sales": {"zh": "销量", "en": "units sold"},
    "chart.units_per_day": {"zh": "件/天", "en": "units / day"},
    "chart.stockout": {"zh": "断货", "en": "out of stock"},
    "chart.lost_demand": {"zh": "估计损失需求", "en": "estimated lost demand"},
    "chart.p50": {"zh": "预测中位数 P50", "en": "forecast P50"},
    "chart.band": {"zh": "P10–P90 区间", "en": "P10–P90 band"},
    "chart.mean": {"zh": "预测均值", "en": "forecast mean"},
    "chart.leaderboard_title": {
        "zh": "回测准确度（{metric}，越低越好）",
        "en": "Backtest accuracy ({metric}, lower is better)",
    },
    "chart.model": {"zh": "模型", "en": "model"},
    "chart.all": {"zh": "全部", "en": "all"},
    "class.smooth": {"zh": "平稳", "en": "smooth"},
    "class.erratic": {"zh": "波动", "en": "erratic"},
    "class.intermittent": {"zh": "间歇", "en": "intermittent"},
    "class.lumpy": {"zh": "块状", "en": "lumpy"},
    "class.no_demand": {"zh": "无需求", "en": "no demand"},
    "chart.effects_title": {
        "zh": "{marketplace} 站活动效应（相对活动前基线的倍数，线段 = P10–P90）",
        "en": "Event effects in {marketplace} (× the baseline before the event; bars = P10–P90)",
    },
    "chart.factor": {"zh": "需求倍数", "en": "demand multiplier"},
    "phase.pre": {"zh": "活动前几天", "en": "days before"},
    "phase.event": {"zh": "活动期间", "en": "event days"},
    "phase.post": {"zh": "活动后几天", "en": "days after"},
    "kind.prime_day": {"zh": "Prime Day", "en": "Prime Day"},
    "kind.prime_big_deal_days": {"zh": "秋季 Prime 会员日", "en": "Prime Big Deal Days"},
    "kind.bfcm": {"zh": "黑五网一", "en": "Black Friday–Cyber Monday"},
}
_EVENT_COLORS = {"prime_day": "#1f5fa8", "prime_big_deal_days": "#5b8e3e", "bfcm": "#7a5aa6"}


def label(key: str, lang: str = "zh", **fmt: object) -> str:
    """The chart label ``key`` in ``lang`` (``"zh"`` or ``"en"``), fields filled from ``fmt``.

    >>> label("chart.stockout", "en")
    'out of stock'
    """
    return lookup(LABELS, key, lang, **fmt)


def _one(df: pd.DataFrame, sku: str, marketplace: str | None) -> pd.DataFrame:
    mask = df[SKU] == sku
    if marketplace is not None and MARKETPLACE in df:
        mask &= df[MARKETPLACE] == marketplace
    return df[mask].sort_values(DATE)


def _spans(dates: pd.Series, mask: np.ndarray) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """(first, day after last) of each run of True in ``mask`` over consecutive daily ``dates``."""
    out = []
    m = np.concatenate([[False], mask, [False]]).astype(np.int8)
    d = np.diff(m)
    for a, b in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1) - 1, strict=True):
        out.append((dates.iloc[a], dates.iloc[b] + pd.Timedelta(days=1)))
    return out


def _draw_history(ax: Axes, h: pd.DataFrame, lang: str) -> None:
    """Daily sales, stockout days shaded and, on those days, the estimated lost demand."""
    ax.plot(h[DATE], h[UNITS], color=NEUTRAL, lw=1.0, label=label("chart.sales", lang))
    out = (
        h[IN_STOCK].astype("boolean").eq(False).fillna(False).to_numpy(bool)
        if IN_STOCK in h
        else np.zeros(len(h), bool)
    )
    for i, (a, b) in enumerate(_spans(h[DATE].reset_index(drop=True), out)):
        ax.axvspan(
            a,
            b,
            color=BAD,
            alpha=0.12,
            lw=0,
            label=label("chart.stockout", lang) if not i else None,
        )
    if "demand_estimate" in h and out.any():
        est = h["demand_estimate"].where(out)
        ax.plot(h[DATE], est, ls=":", lw=1.6, color=BAD, label=label("chart.lost_demand", lang))


def _draw_forecast(ax: Axes, f: pd.DataFrame, lang: str) -> None:
    """The P10–P90 band, the P50 (the mean when there is no P50) and the mean, dashed."""
    if "p10" in f and "p90" in f:
        ax.fill_between(
            f[DATE],
            f["p10"],
            f["p90"],
            color="#1f5fa8",
            alpha=0.18,
            lw=0,
            label=label("chart.band", lang),
        )
    mid = f["p50"] if "p50" in f else f[MEAN]
    ax.plot(f[DATE], mid, color="#1f5fa8", lw=1.6, label=label("chart.p50", lang))
    if "p50" in f and MEAN in f:
        ax.plot(f[DATE], f[MEAN], color="#1f5fa8", lw=0.9, ls="--", label=label("chart.mean", lang))


def _draw_events(ax: Axes, events: pd.DataFrame, lo: pd.Timestamp, hi: pd.Timestamp) -> None:
    """Each sales event between ``lo`` and ``hi`` shaded in its kind's colour, named in text."""
    ev = events[events[DATE].between(lo, hi)]
    for name, g in ev.groupby("event", sort=False):
        color = _EVENT_COLORS[g["kind"].iloc[0]]
        first = g[DATE].min()
        ax.axvspan(first, g[DATE].max() + pd.Timedelta(days=1), color=color, alpha=0.12, lw=0)
        ax.text(
            first,
            0.02,
            str(name),
            transform=ax.get_xaxis_transform(),
            rotation=90,
            va="bottom",
            ha="right",
            fontsize=7,
            color=color,
        )


def fan_chart(
    history: pd.DataFrame,
    forecast: pd.DataFrame,
    *,
    sku: str,
    marketplace: str | None = None,
    events: pd.DataFrame | None = None,
    history_days: int = 180,
    ax: Axes | None = None,
    lang: str = "zh",
) -> Figure:
    """Fan chart of one series: history, stockout days, lost demand, P10–P90 band, P50, mean, events.

    Parameters
    ----------
    history : DataFrame
        Daily ``sku, marketplace, date, units`` (units per day) with optional ``in_stock`` (False
        days shaded) and ``demand_estimate`` (estimated demand, dotted on stockout days).
    forecast : DataFrame
        The forecast contract ``sku, marketplace, date, model, mean, p10 … p90``.
    sku, marketplace : str
        The series to draw.
    events : DataFrame, optional
        ``date, event, kind`` from :func:`forecasting.demand.event_calendar`; Amazon events
        (Prime Day, Prime Big Deal Days, BFCM) in the window are marked.
    history_days : int
        Days of history shown before the forecast (days).
    ax : Axes, optional
        Draw into this axes.
    lang : {"zh", "en"}
        Label language.

    Returns
    -------
    Figure
    """
    fig, ax = new_axes(ax, figsize=(9.0, 3.6))
    h = _one(history, sku, marketplace)
    f = _one(forecast, sku, marketplace)
    if len(h) and history_days:
        h = h[h[DATE] > h[DATE].max() - pd.Timedelta(days=history_days)]
    if len(h):
        _draw_history(ax, h, lang)
    if len(f):
        _draw_forecast(ax, f, lang)
    if events is not None and len(events) and (len(h) or len(f)):
        lo = min(x[DATE].min() for x in (h, f) if len(x))
        hi = max(x[DATE].max() for x in (h, f) if len(x))
        _draw_events(ax, events[events["kind"].isin(list(_EVENT_COLORS))], lo, hi)
    title = f"{sku} · {marketplace}" if marketplace else str(sku)
    if len(f) and MODEL in f:
        title += f"  ({', '.join(sorted(f[MODEL].astype(str).unique()))})"
    ax.set_title(title)
    ax.set_ylabel(label("chart.units_per_day", lang))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", ncols=3)
    fig.autofmt_xdate()
    return fig


def accuracy_leaderboard(
    metrics: pd.DataFrame,
    *,
    choice: pd.DataFrame | None = None,
    metric: str = "wql",
    classes: Sequence[str] = ("smooth", "erratic", "intermittent", "lumpy"),
    ax: Axes | None = None,
    lang: str = "zh",
) -> Figure:
    """Heat map of the mean backtest ``metric`` by model (rows) and demand class (columns).

    Parameters
    ----------
    metrics : DataFrame
        Per series × model: ``sku, marketplace, model`` and the metric columns (``wql``, ``mase``
        …, from ``auto_forecast(...).metrics``); a ``demand_class`` column is used when present.
    choice : DataFrame, optional
        ``sku, marketplace, demand_class`` (``auto_forecast(...).choice``), merged in when the
        metrics have no ``demand_class``.
    metric : str
        The metric column to rank by (lower is better).
    classes : sequence of str
        Demand classes shown as columns (those present), then an "all" column.
    ax : Axes, optional
    lang : {"zh", "en"}

    Returns
    -------
    Figure
        Rows sorted by the "all" column, best model first; the best value in each column is boxed.
    """
    df = metrics
    keys = [c for c in (SKU, MARKETPLACE) if c in df.columns]
    if "demand_class" not in df and choice is not None and "demand_class" in choice:
        df = df.merge(choice[[*keys, "demand_class"]].drop_duplicates(keys), on=keys, how="left")
    df = df[np.isfinite(pd.to_numeric(df[metric], errors="coerce").astype(float))]
    table = pd.DataFrame(index=sorted(df[MODEL].astype(str).unique()) if len(df) else [])
    if "demand_class" in df:
        for cls in classes:
            sub = df[df["demand_class"] == cls]
            if len(sub):
                table[label(f"class.{cls}", lang)] = sub.groupby(MODEL)[metric].mean()
    if len(df):
        table[label("chart.all", lang)] = df.groupby(MODEL)[metric].mean()
        table = table.sort_values(table.columns[-1])
    fig, ax = new_axes(ax, figsize=(1.6 + 1.3 * max(1, table.shape[1]), 0.9 + 0.4 * len(table)))
    values = table.to_numpy(float) if table.size else np.zeros((0, 0))
    if values.size:
        scaled = values / np.nanmin(values, axis=0, keepdims=True)
        ax.imshow(np.clip(scaled, 1, 2), cmap="RdYlGn_r", vmin=1, vmax=2, aspect="auto")
        best = np.nanargmin(np.where(np.isfinite(values), values, np.inf), axis=0)
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                if np.isfinite(values[i, j]):
                    box = (
                        {"boxstyle": "round", "fc": "white", "ec": "black"}
                        if best[j] == i
                        else None
                    )
                    ax.text(
                        j, i, f"{values[i, j]:.3f}", ha="center", va="center", fontsize=9, bbox=box
                    )
    ax.set_xticks(range(table.shape[1]), list(table.columns))
    ax.set_yticks(range(len(table)), list(table.index))
    ax.set_ylabel(label("chart.model", lang))
    ax.grid(False)
    ax.set_title(label("chart.leaderboard_title", lang, metric=metric.upper()))
    return fig


def event_effects_chart(
    effects: pd.DataFrame,
    marketplace: str,
    *,
    ax: Axes | None = None,
    lang: str = "zh",
) -> Figure:
    """Bars of the learned event factors of one marketplace: kind × phase (days before, event
    days, days after), with the P10–P90 range of the next event's factor.

    Parameters
    ----------
    effects : DataFrame
        ``level, marketplace, kind, phase, factor, log_sd`` (``DemandForecast.event_effects``,
        :func:`forecasting.demand.uplift.event_effects`); the ``marketplace`` level rows are drawn.
    marketplace : str
        Marketplace code.
    ax : Axes, optional
    lang : {"zh", "en"}

    Returns
    -------
    Figure
        One group of bars per event kind (dimensionless multipliers; 1 = no effect).
    """
    df = effects[(effects["level"] == "marketplace") & (effects[MARKETPLACE] == marketplace)]
    kinds = [k for k in _EVENT_COLORS if k in set(df["kind"])]
    phases = ("pre", "event", "post")
    fig, ax = new_axes(ax, figsize=(2.0 + 2.2 * max(1, len(kinds)), 3.6))
    width = 0.26
    z90 = 1.2815515655446004  # standard normal 0.9 quantile
    for j, phase in enumerate(phases):
        rows = df[df["phase"] == phase].set_index("kind").reindex(kinds)
        x = np.arange(len(kinds)) + (j - 1) * width
        f = rows["factor"].to_numpy(float)
        sd = rows["log_sd"].to_numpy(float)
        err = np.vstack([f - f * np.exp(-z90 * sd), f * np.exp(z90 * sd) - f])
        ax.bar(x, f, width, yerr=err, capsize=3, alpha=0.5 + 0.25 * (phase == "event"),
               color=[_EVENT_COLORS[k] for k in kinds], edgecolor="black", linewidth=0.5,
               hatch=None if phase == "event" else ("//" if phase == "pre" else ".."),
               label=label(f"phase.{phase}", lang))  # fmt: skip
    ax.axhline(1.0, color=NEUTRAL, linewidth=1)
    ax.set_xticks(np.arange(len(kinds)), [label(f"kind.{k}", lang) for k in kinds])
    ax.set_ylabel(label("chart.factor", lang))
    ax.set_title(label("chart.effects_title", lang, marketplace=marketplace))
    ax.legend(loc="upper left")
    return fig
