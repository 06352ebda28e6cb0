"""Report labels in Chinese and English (``lang="zh"`` default, ``"en"``).

Reports are read by planners in a Chinese factory and by English-speaking partners, so every
heading, table column and chart label comes from this one table instead of being typed into a
notebook. Notebooks emit headings from code, ``Markdown(t("health.title", lang))``, so a run with
``-p lang=en`` switches the whole report. A plain dict is enough here (gettext catalogues would add
a build step for two languages and a few hundred strings).

Other areas add their own labels with :func:`register` from their own module (keys prefixed by
area, e.g. ``"plan.title"``) rather than editing this table.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from forecasting.errors import InputError

#: Supported report languages; the first is the default.
LANGS = ("zh", "en")

#: key → {"zh": …, "en": …}. Values may hold ``str.format`` fields, filled from ``t(..., **fmt)``.
LABELS: dict[str, dict[str, str]] = {
    # --- report index ---------------------------------------------------------------------
    "index.title": {"zh": "计划报告 {as_of}", "en": "Planning reports {as_of}"},
    "index.run_at": {"zh": "运行时间", "en": "Run at"},
    "index.total": {"zh": "总用时", "en": "Total time"},
    "index.notebook": {"zh": "报告", "en": "Report"},
    "index.duration": {"zh": "用时（秒）", "en": "Time (s)"},
    "index.status": {"zh": "状态", "en": "Status"},
    "index.ok": {"zh": "完成", "en": "done"},
    "index.params": {"zh": "参数", "en": "Parameters"},
    "index.params_note": {
        "zh": "加粗的参数为本次运行传入的值，其余为笔记本默认值。",
        "en": "Parameters in bold were passed to this run; the others are notebook defaults.",
    },
    "index.files": {"zh": "其他输出文件", "en": "Other output files"},
    "index.no_files": {"zh": "无", "en": "none"},
    "index.size": {"zh": "大小", "en": "Size"},
    # --- 01 data health -------------------------------------------------------------------
    "health.title": {"zh": "# 数据健康检查", "en": "# Data health"},
    "health.intro": {
        "zh": "截至 **{as_of}** 的数据：{skus} 个 SKU，{marketplaces} 个站点，"
        "{first} 至 {last}。数据源：{source}。",
        "en": "Data up to **{as_of}**: {skus} SKUs, {marketplaces} marketplaces, "
        "{first} to {last}. Source: {source}.",
    },
    "health.sample": {"zh": "内置样例数据", "en": "the bundled sample"},
    "health.ingest": {"zh": "## 读取了哪些文件", "en": "## What was read"},
    "health.ingest_note": {
        "zh": "每个文件：读入行数 = 入库 + 隔离 + 重复 + 排除（如已取消订单、非可售库存）。"
        "所有文件合计 {rows_in} 行，对账{balanced}。",
        "en": "Per file: rows in = stored + quarantined + duplicates + excluded (e.g. cancelled "
        "orders, unsellable stock). {rows_in} rows in total; the accounting {balanced}.",
    },
    "health.balanced": {"zh": "一致", "en": "adds up"},
    "health.unbalanced": {"zh": "不一致（见 balanced 列）", "en": "does NOT add up (see balanced)"},
    "health.coverage": {
        "zh": "## 各 SKU × 站点的覆盖情况",
        "en": "## Coverage per SKU × marketplace",
    },
    "health.coverage_note": {
        "zh": "热力图：每月有销量的天数。空白表示该月还未上架或没有数据。",
        "en": "Heat map: days with sales per month. Blank means not yet listed or no data.",
    },
    "health.gaps": {"zh": "## 缺失日期", "en": "## Gaps (missing days)"},
    "health.no_gaps": {
        "zh": "所有序列在其起止日期内都没有缺失日期。",
        "en": "No series has a missing day between its first and last date.",
    },
    "health.stockouts": {"zh": "## 断货天数", "en": "## Stockout days"},
    "health.stockouts_note": {
        "zh": "断货 = 库存流水中可售期末库存为 0 的天数。{series} 个序列中有 {with_stockout} "
        "个出现过断货，共 {days} 个 SKU·天。",
        "en": "Stockout = a day whose SELLABLE ending balance in the inventory ledger is 0. "
        "{with_stockout} of {series} series had stockouts, {days} SKU-days in total.",
    },
    "health.no_ledger": {
        "zh": "没有库存流水，无法识别断货。",
        "en": "No inventory ledger: stockouts cannot be detected.",
    },
    "health.quarantine": {
        "zh": "## 重复与隔离的行",
        "en": "## Duplicates and quarantined rows",
    },
    "health.no_quarantine": {"zh": "没有被隔离的行。", "en": "No row was quarantined."},
    "health.quarantine_note": {
        "zh": "共 {rows} 行被隔离（不参与计算），按文件和原因汇总如下，之后列出前 {shown} 行。",
        "en": "{rows} rows were quarantined (left out of every calculation); counts by file and "
        "reason, then the first {shown} rows.",
    },
    # --- table columns (t_columns) --------------------------------------------------------
    "col.file": {"zh": "文件", "en": "file"},
    "col.kind": {"zh": "类型", "en": "kind"},
    "col.marketplace": {"zh": "站点", "en": "marketplace"},
    "col.sku": {"zh": "SKU", "en": "SKU"},
    "col.rows_in": {"zh": "读入行数", "en": "rows in"},
    "col.rows_stored": {"zh": "入库", "en": "stored"},
    "col.rows_quarantined": {"zh": "隔离", "en": "quarantined"},
    "col.rows_duplicate": {"zh": "重复", "en": "duplicates"},
    "col.rows_excluded": {"zh": "排除", "en": "excluded"},
    "col.balanced": {"zh": "对账", "en": "balanced"},
    "col.excluded_reasons": {"zh": "排除原因", "en": "excluded because"},
    "col.date_min": {"zh": "起始日", "en": "first date"},
    "col.date_max": {"zh": "截止日", "en": "last date"},
    "col.skus": {"zh": "SKU 数", "en": "SKUs"},
    "col.row": {"zh": "行号", "en": "row"},
    "col.column": {"zh": "列", "en": "column"},
    "col.reason": {"zh": "原因", "en": "reason"},
    "col.raw": {"zh": "原始内容", "en": "raw"},
    "col.count": {"zh": "行数", "en": "rows"},
    "col.first_date": {"zh": "首日", "en": "first date"},
    "col.last_date": {"zh": "末日", "en": "last date"},
    "col.days_expected": {"zh": "应有天数", "en": "days expected"},
    "col.days_present": {"zh": "实有天数", "en": "days present"},
    "col.days_missing": {"zh": "缺失天数", "en": "days missing"},
    "col.longest_gap_days": {"zh": "最长缺口（天）", "en": "longest gap (days)"},
    "col.days_with_ledger": {"zh": "有流水天数", "en": "days with ledger"},
    "col.stockout_days": {"zh": "断货天数", "en": "stockout days"},
    "col.stockout_share": {"zh": "断货占比", "en": "stockout share"},
    "col.longest_spell_days": {"zh": "最长连续断货（天）", "en": "longest spell (days)"},
    "col.last_stockout": {"zh": "最近断货日", "en": "last stockout"},
    "col.start": {"zh": "开始", "en": "start"},
    "col.end": {"zh": "结束", "en": "end"},
    "col.days": {"zh": "天数", "en": "days"},
    # --- chart labels ---------------------------------------------------------------------
    "chart.ingest_title": {"zh": "各文件行数去向", "en": "Where each file's rows went"},
    "chart.rows": {"zh": "行数", "en": "rows"},
    "chart.coverage_title": {
        "zh": "每月有销量的天数（SKU × 站点）",
        "en": "Days with sales per month (SKU × marketplace)",
    },
    "chart.month": {"zh": "月份", "en": "month"},
    "chart.active_days": {"zh": "有销量天数", "en": "days with sales"},
    "chart.stockout_title": {
        "zh": "每周断货的 SKU·天（按站点）",
        "en": "Stockout SKU-days per week, by marketplace",
    },
    "chart.week": {"zh": "周", "en": "week"},
    "chart.sku_days_out": {"zh": "断货 SKU·天", "en": "SKU-days out of stock"},
    "chart.stockout_top_title": {
        "zh": "断货天数最多的 SKU × 站点",
        "en": "SKU × marketplace with the most stockout days",
    },
    "chart.stockout_days": {"zh": "断货天数", "en": "stockout days"},
    "chart.longest_spell": {"zh": "最长连续断货", "en": "longest spell"},
    "chart.quarantine_title": {"zh": "隔离原因", "en": "Quarantine reasons"},
}


def register(labels: Mapping[str, Mapping[str, str]]) -> None:
    """Add labels from another area (keys must be new or identical; every language present).

    Parameters
    ----------
    labels : mapping of key → {"zh": str, "en": str}
    """
    for key, texts in labels.items():
        missing = [lang for lang in LANGS if lang not in texts]
        if missing:
            raise ValueError(f"label {key!r} lacks language(s) {missing}")
        if key in LABELS and LABELS[key] != dict(texts):
            raise ValueError(f"label {key!r} is already defined differently")
        LABELS[key] = dict(texts)


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported report language, else raise :class:`InputError`."""
    if lang not in LANGS:
        raise InputError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}", column="lang")
    return lang


def t(key: str, lang: str = "zh", **fmt: object) -> str:
    """The label ``key`` in ``lang``, with ``{fields}`` filled from ``fmt``.

    Examples
    --------
    >>> t("index.run_at", "en")
    'Run at'
    >>> t("index.title", "zh", as_of="2026-11-22")
    '计划报告 2026-11-22'
    """
    check_lang(lang)
    try:
        text = LABELS[key][lang]
    except KeyError:
        raise KeyError(f"no label {key!r}; add it to forecasting.reports.i18n.LABELS") from None
    return text.format(**fmt) if fmt else text


def md(key: str, lang: str = "zh", **fmt: object):  # noqa: ANN201 - IPython type, lazy import
    """``IPython.display.Markdown`` of :func:`t` (for headings emitted from notebook code)."""
    from IPython.display import Markdown

    return Markdown(t(key, lang, **fmt))


def column_label(column: str, lang: str = "zh") -> str:
    """Label of a table column: ``col.<column>`` if defined, else the column name itself."""
    entry = LABELS.get(f"col.{column}")
    return entry[check_lang(lang)] if entry else column


def t_columns(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A copy of ``frame`` with its columns renamed by :func:`column_label` (for display)."""
    return frame.rename(columns={c: column_label(str(c), lang) for c in frame.columns})
