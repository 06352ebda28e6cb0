"""What a replenishment plan tells the planners: summary, views, alert legend, CSV + Excel files.

Used by ``forecasting plan`` and ``notebooks/03_fba_replenishment.ipynb`` so both show and write
the same; the plan itself comes from :func:`forecasting.pipeline.replenishment`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from forecasting.errors import InputError
from forecasting.i18n import check_lang, column_label, lookup, value_label
from forecasting.planning.excel import labelled, write_workbook
from forecasting.planning.fba.plan_rows import ALERT_TEMPLATES, alert_legend
from forecasting.planning.fba.replenishment import ReplenishmentPlan
from forecasting.planning.fees import load_fee_table
from forecasting.schema import MARKETPLACE, SKU
from forecasting.spreadsheet import write_csv

#: Alert codes and what they mean, with the fee tables' thresholds as placeholders; a plan's own
#: legend, thresholds filled in from its fee tables, is ``ReplenishmentPlan.alert_legend``.
ALERT_LEGEND = ALERT_TEMPLATES

#: The alert templates in Chinese (same codes and fields as :data:`ALERT_TEMPLATES`).
ALERT_TEMPLATES_ZH = {
    "stockout_before_arrival": "高需求（P10）情形下，下一批货到达前库存会卖完",
    "aged_stock": "现有或预计有库龄超过 {aged_after_days} 天的库存（超龄附加费）",
    "below_lilf": "历史可售天数低于 {lilf_threshold_days} 天（低库存水平费）",
    "capacity_overflow": "FBA 库容已满：货物先存海外仓，下个月再发",
    "moq_exceeds_aged_cap": "现在要下的单低于起订量：起订量超过到货后 {aged_after_days} 天内能卖出的数量",
    "forecast_extended": "预测短于计划期：重复使用最后 {extension_days} 天的预测",
    "no_forecast": "该序列没有预测：未做计划",
    "no_demand": "没有库存，也没有预测需求",
}  # fmt: skip

#: Alert templates by report language.
ALERT_TEMPLATES_BY_LANG = {"en": ALERT_TEMPLATES, "zh": ALERT_TEMPLATES_ZH}

#: Sheet names and notes of ``replenishment.xlsx`` (looked up with :func:`forecasting.i18n.lookup`).
LABELS: dict[str, dict[str, str]] = {
    "sheet.summary": {"zh": "汇总", "en": "Summary"},
    "sheet.shipments": {"zh": "发货计划", "en": "Shipments"},
    "sheet.capacity": {"zh": "库容检查", "en": "Capacity"},
    "sheet.notes": {"zh": "说明", "en": "Notes"},
    "title": {"zh": "FBA 补货计划", "en": "FBA replenishment plan"},
    "title.as_of": {"zh": "FBA 补货计划，截至 {as_of}", "en": "FBA replenishment plan, as of {as_of}"},
    "legend": {"zh": "提醒说明：", "en": "Alerts:"},
    "plan_notes": {"zh": "计划说明：", "en": "Notes on the plan:"},
    "money": {
        "zh": "金额为各站点费用表的币种（“费用币种”列；站点表头中注明）。",
        "en": "Money in each marketplace's fee-table currency (column fee currency; in the "
        "marketplace sheets' headers).",
    },
}  # fmt: skip

#: Money columns of the plan (in the row's ``fee_currency``).
MONEY_COLUMNS = ("projected_storage_fee", "projected_aged_fee", "projected_lilf_fee_30d",
                 "overage_fee")  # fmt: skip


def money_columns(frame: pd.DataFrame) -> list[str]:
    """The money columns of :data:`MONEY_COLUMNS` that ``frame`` has (each in its row's
    ``fee_currency``), for showing them with their currency.

    >>> money_columns(pd.DataFrame(columns=["sku", "overage_fee", "fee_currency"]))
    ['overage_fee']
    """
    return [c for c in MONEY_COLUMNS if c in frame.columns]


def alert_legend_in(plan: ReplenishmentPlan, lang: str = "zh") -> dict[str, str]:
    """The plan's alert legend in ``lang``: each code's text with its fee tables' thresholds (days).

    The English legend is the plan's own (:attr:`ReplenishmentPlan.alert_legend`); another
    language fills its templates (:data:`ALERT_TEMPLATES_BY_LANG`) with the thresholds of the same
    fee tables (:attr:`ReplenishmentPlan.fee_tables`).
    """
    templates = ALERT_TEMPLATES_BY_LANG[check_lang(lang)]
    if lang == "en" and plan.alert_legend:
        return dict(plan.alert_legend)
    thresholds = {mp: load_fee_table(name).thresholds for mp, name in plan.fee_tables.items()}
    return alert_legend(thresholds, templates)


def alert_codes(alerts: object) -> list[str]:
    """The alert codes of one plan row's ``alerts`` text (``"code: reason; code: reason"``).

    Examples
    --------
    >>> alert_codes("stockout_before_arrival: P10 runs out 2026-11-28; aged_stock: 5 units")
    ['stockout_before_arrival', 'aged_stock']
    >>> alert_codes(None), alert_codes("")
    ([], [])
    """
    if not isinstance(alerts, str) or not alerts:
        return []
    heads = (part.split(":", 1)[0].strip() for part in alerts.split("; "))
    return [h for h in heads if h in ALERT_TEMPLATES]


def alert_text(alerts: pd.Series, legend: dict[str, str], sep: str = "; ") -> pd.Series:
    """Each row's alerts as the legend's texts (one per code, ``sep``-joined); codes not shown."""
    return alerts.map(lambda a: sep.join(legend[c] for c in alert_codes(a)))


def _sep(lang: str) -> str:
    return "；" if lang == "zh" else "; "


def _sheet(key: str, lang: str) -> str:
    return lookup(LABELS, key, lang)


def summary_table(plan: ReplenishmentPlan) -> pd.DataFrame:
    """One row per marketplace: series, units to ship now, alerts by kind, projected fees."""
    p = plan.plan
    if p.empty:
        return pd.DataFrame()
    rows = []
    for mp, g in p.groupby(MARKETPLACE, sort=True):
        row = {
            MARKETPLACE: mp,
            "series": len(g),
            "ship_now_series": int((g["ship_qty"] > 0).sum()),
            "ship_now_units": int(g["ship_qty"].sum()),
            "units_planned_horizon": int(g.get("units_planned_horizon", pd.Series(0)).sum()),
            "projected_storage_fee": float(g.get("projected_storage_fee", pd.Series(0.0)).sum()),
            "projected_aged_fee": float(g.get("projected_aged_fee", pd.Series(0.0)).sum()),
            "projected_lilf_fee_30d": float(g.get("projected_lilf_fee_30d", pd.Series(0.0)).sum()),
            "fee_currency": next(iter(g["fee_currency"].dropna()), ""),
            "fee_table": plan.fee_tables.get(mp, ""),
        }
        alerts = g["alerts"].fillna("")
        for code in ALERT_LEGEND:
            row[code] = int(alerts.str.contains(code, regex=False).sum())
        rows.append(row)
    return pd.DataFrame(rows)


def write_replenishment(
    plan: ReplenishmentPlan,
    output_dir: str | Path,
    *,
    as_of: dt.date | None = None,
    lang: str = "en",
) -> dict[str, Path]:
    """Write ``replenishment.csv``, ``shipments.csv``, ``projection.csv`` and ``replenishment.xlsx``.

    The CSV files keep the machine column names and alert codes. The workbook, for planners, is
    in ``lang`` (``"zh"`` or ``"en"``): a summary sheet, one sheet per marketplace (plan rows,
    alerts as the legend's texts, money headers with the fee currency), the shipments, the
    capacity check and a notes sheet (alert legend, fee tables used, uncertain fee values).
    Returns the paths written, by file name.
    """
    check_lang(lang)
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "replenishment.csv": plan.plan,
        "shipments.csv": plan.shipments,
        "projection.csv": plan.projection,
    }
    paths = {}
    for name, df in files.items():
        paths[name] = out / name
        write_csv(df, paths[name], index=False, date_format="%Y-%m-%d", float_format="%.4g")
    legend = alert_legend_in(plan, lang)
    sheets = {_sheet("sheet.summary", lang): labelled(summary_table(plan), lang)}
    for mp, g in plan.plan.groupby(MARKETPLACE, sort=True):
        rows = g.sort_values(["ship_by", SKU], na_position="last")
        rows = _codes(rows.assign(alerts=alert_text(rows["alerts"], legend, _sep(lang))), lang)
        currencies = set(rows["fee_currency"].dropna()) if "fee_currency" in rows else set()
        money = {c: next(iter(currencies)) for c in MONEY_COLUMNS} if len(currencies) == 1 else {}
        sheets[str(mp)] = labelled(rows, lang, currency=money)
    sheets[_sheet("sheet.shipments", lang)] = labelled(_codes(plan.shipments, lang), lang)
    sheets[_sheet("sheet.capacity", lang)] = labelled(plan.capacity, lang)
    title = lookup(LABELS, "title.as_of", lang, as_of=as_of) if as_of else _sheet("title", lang)
    notes = [
        _sheet("legend", lang),
        *[f"{column_label(k, lang)}: {v}" for k, v in legend.items()],
        "",
        _sheet("money", lang),
        "",
        _sheet("plan_notes", lang),
        *plan.notes,
    ]
    paths["replenishment.xlsx"] = write_workbook(
        sheets, out / "replenishment.xlsx", title=title, notes=notes,
        notes_sheet=_sheet("sheet.notes", lang),
    )  # fmt: skip
    return paths


def _codes(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with the codes of ``mode``, ``source``, ``destination`` by their labels."""
    out = frame.copy()
    for col in ("mode", "source", "destination"):
        if col in out:
            out[col] = out[col].map(lambda v, c=col: value_label(c, v, lang))
    return out


#: Columns the notebook's tables show (all columns are in the CSV and workbook).
VIEW_COLUMNS = {
    "ship_now": [SKU, MARKETPLACE, "abc", "ship_qty", "mode", "ship_by", "production_needed_by",
                 "arrival_date", "days_of_cover_now", "days_of_cover_after_arrival", "alerts"],
    "stockouts": [SKU, MARKETPLACE, "abc", "sellable", "inbound", "daily_demand_p50",
                  "stockout_date_p10", "stockout_date_p50", "arrival_date", "mode",
                  "days_short_p10_with_plan"],
    "ageing": [SKU, MARKETPLACE, "aged_units_now", "projected_aged_units_max",
               "projected_aged_fee", "projected_storage_fee", "fee_currency",
               "historical_days_of_supply", "daily_demand_p50"],
}  # fmt: skip


def plan_view(
    plan: ReplenishmentPlan, kind: str, *, rows: int | None = None, lang: str | None = None
) -> pd.DataFrame:
    """A planner's view of the plan (``kind`` one of :data:`VIEW_COLUMNS`), most urgent first.

    - ``ship_now``: series with units to ship now, by ship-by date;
    - ``stockouts``: series whose P10 stock runs out within the horizon, earliest first;
    - ``ageing``: series with units older than 180 days now or projected, by projected fee.

    With ``lang``, the ``alerts`` column holds the legend's texts in that language
    (:func:`alert_legend_in`) instead of the machine codes and reasons.
    """
    if kind not in VIEW_COLUMNS:
        raise InputError(f"unknown plan view {kind!r}; one of {sorted(VIEW_COLUMNS)}")
    p = plan.plan
    if p.empty:
        return p
    if kind == "ship_now":
        out = p[p["ship_qty"] > 0].sort_values(["ship_by", SKU, MARKETPLACE])
    elif kind == "stockouts":
        out = p[p["stockout_date_p10"].notna()].sort_values(["stockout_date_p10", SKU])
    else:
        aged = (p["aged_units_now"].fillna(0) > 0) | (p["projected_aged_units_max"].fillna(0) >= 1)
        out = p[aged].sort_values(["projected_aged_fee", SKU], ascending=[False, True])
    out = out[[c for c in VIEW_COLUMNS[kind] if c in out.columns]].reset_index(drop=True)
    out = out.head(rows) if rows is not None else out
    if lang is not None and "alerts" in out:
        texts = alert_text(out["alerts"], alert_legend_in(plan, lang), _sep(lang))
        out = out.assign(alerts=texts)
    return out


def urgent_series(plan: ReplenishmentPlan, n: int = 6) -> list[tuple[str, str]]:
    """The ``n`` most urgent (sku, marketplace): earliest P10 stockout, then most aged units."""
    p = plan.plan
    if p.empty or plan.projection.empty:
        return []
    order = p.assign(
        _so=pd.to_datetime(p["stockout_date_p10"]).fillna(pd.Timestamp.max),
        _aged=-pd.to_numeric(p["projected_aged_units_max"]).fillna(0.0),
    ).sort_values(["_so", "_aged", SKU, MARKETPLACE])
    drawn = plan.projection[[SKU, MARKETPLACE]].drop_duplicates()
    order = order.merge(drawn, on=[SKU, MARKETPLACE], how="inner", sort=False)
    return list(zip(order[SKU].head(n), order[MARKETPLACE].head(n), strict=True))


def notes_markdown(plan: ReplenishmentPlan, lang: str = "zh"):  # noqa: ANN201 - IPython type
    """``IPython.display.Markdown``: the alert legend in ``lang`` (each alert by its column label,
    no machine code) and the plan's notes (fee tables, ABC)."""
    from IPython.display import Markdown

    legend = alert_legend_in(plan, lang)
    lines = [f"- **{plain_markdown(column_label(k, lang))}**: {v}" for k, v in legend.items()]
    lines += [f"- {plain_markdown(n)}" for n in plan.notes]  # notes quote SKUs: text, not markup
    return Markdown("\n".join(lines))


def plain_markdown(text: str) -> str:
    r"""``text`` escaped so Markdown shows it literally (HTML escaped, markup characters quoted).

    Examples
    --------
    >>> print(plain_markdown("SKU *A*_1 <b>"))
    SKU \*A\*\_1 &lt;b&gt;
    """
    import html
    import re

    return re.sub(r"([\\`*_{}\[\]()#+!|~>-])", r"\\\1", html.escape(str(text), quote=False))
