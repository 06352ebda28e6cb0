"""Report headings and texts in Chinese and English (``lang="zh"`` default, ``"en"``).

Notebooks emit headings from code, ``Markdown(t("health.title", lang))``, so a run with
``-p lang=en`` switches the whole report. The tables below hold the notebooks' headings and notes
(keys prefixed by report: ``index.*``, ``health.*``, ``forecast.*``, ``replenish.*``, ``prod.*``,
``invads.*``); :data:`LABELS` merges them, in this one place, with the column and code labels
shared with the charts (:data:`forecasting.i18n.LABELS`). The lookup rule itself is
:func:`forecasting.i18n.lookup`; chart labels live in their chart modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from forecasting import i18n as _shared
from forecasting.i18n import LANGS, check_lang, lookup, merge_labels
from forecasting.reports import weekly_labels as _weekly

if TYPE_CHECKING:
    from IPython.display import Markdown

__all__ = ["LABELS", "LANGS", "check_lang", "column_label", "md", "t", "t_columns", "value_label"]

#: Headings and notes of the report index and of notebooks 01 and 05.
REPORT_LABELS: dict[str, dict[str, str]] = {
    # --- report index -------------------------------------------------------------------------
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
    # --- 01 data health -----------------------------------------------------------------------
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
    "health.data_end": {
        "zh": "## 各站点销售数据的最后一天",
        "en": "## Last day of sales data per marketplace",
    },
    "health.data_end_note": {
        "zh": "序列截止于 **{as_of}**：{rule}当天中途导出的订单报告，其最后一天（不完整）不计入，"
        "直到之后的报告覆盖该天。",
        "en": "Series end on **{as_of}**: {rule}The last day of an orders export pulled during "
        "the day is incomplete and does not count until a later export covers it.",
    },
    "health.data_end_rule": {
        "zh": "所有活跃站点都有销售数据的最后一天（数据比最新站点早 {days} 天以上结束的站点视为不活跃，"
        "不等待，其序列以零销量补到该日）。",
        "en": "the last day every active marketplace has sales data (a marketplace whose data end "
        "more than {days} days before the newest is inactive and not waited for; its series are "
        "filled with zero sales up to that day). ",
    },
    "health.data_end_given": {
        "zh": "由参数 as_of 或设置文件中的 as_of 指定。",
        "en": "as set by the as_of parameter or in the settings. ",
    },
    "health.orders_coverage": {
        "zh": "## 订单报告覆盖的日期",
        "en": "## Days covered by orders exports",
    },
    "health.orders_coverage_note": {
        "zh": "下表各时段的日销量来自订单报告，其余日期来自业务报告。覆盖范围取订单密集的时段"
        "（若文件名含请求的日期范围，则不超出该范围）；远离其余订单的零散行仍保存为订单，"
        "但不替代业务报告。",
        "en": "On the days below daily sales come from the orders exports, on all other days from "
        "the Business Reports. An export covers the days where its orders are dense (never beyond "
        "the date range in its file name); stray rows far from the rest are kept as orders but do "
        "not replace the Business Report.",
    },
    "health.partial_note": {
        "zh": "**{count} 个不完整日**：当天中途导出的订单报告的最后一天，尚无后续报告或业务报告覆盖。"
        "其销量只是截至导出时的订单（下限），后续报告覆盖该天后自动更正。",
        "en": "**{count} partial day(s)**: the last day of an orders export pulled during that "
        "day, not yet covered by a later export or a Business Report. Their units are the orders "
        "known when the export was pulled (a lower bound) until a later export covers the day.",
    },
    "health.no_partial": {
        "zh": "历史中没有不完整日。",
        "en": "No partial day in the history.",
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
    # --- 05 inventory health and advertising --------------------------------------------------
    "invads.title": {"zh": "# 库存健康与广告表现", "en": "# Inventory health and advertising"},
    "invads.intro": {
        "zh": "FBA 库存快照日期 **{snapshot}**，{series} 个 SKU × 站点。广告数据 {first} 至 {last}。",
        "en": "FBA inventory snapshot of **{snapshot}**, {series} SKU × marketplace. "
        "Advertising from {first} to {last}.",
    },
    "invads.age": {"zh": "## 库龄", "en": "## Inventory age"},
    "invads.age_note": {
        "zh": "超过 180 天的库存按月收取超龄库存附加费（按先进先出计算库龄）。"
        "目前 {aged:,.0f} 件（{cuft:,.1f} 立方英尺）已超 180 天；"
        "按近 90 天销量先卖最老的库存，90 天后将有 {aged90:,.0f} 件超 180 天。",
        "en": "Units older than 180 days pay the monthly aged-inventory surcharge (age counted "
        "FIFO). {aged:,.0f} units ({cuft:,.1f} cu ft) are older than 180 days now; selling the "
        "oldest first at the last 90 days' pace, {aged90:,.0f} units will be in 90 days.",
    },
    "invads.supply": {"zh": "## 可售天数", "en": "## Days of supply"},
    "invads.supply_note": {
        "zh": "短期（30 天）和长期（90 天）可售天数都低于 {lilf_days} 天时，每发一件收取低库存水平费"
        "（费率表的阈值）。{low} 个 SKU × 站点目前处于该区间；{aged} 个的库存够卖 {aged_days} 天以上"
        "（有超龄风险）。",
        "en": "When both short-term (30-day) and long-term (90-day) days of supply are under "
        "{lilf_days} days (the fee table's threshold), every unit shipped pays the "
        "low-inventory-level fee. {low} SKU × marketplace are there now; {aged} hold more than "
        "{aged_days} days of supply (ageing risk).",
    },
    "invads.ads": {"zh": "## 广告表现", "en": "## Advertising performance"},
    "invads.ads_note": {
        "zh": "ACOS = 广告花费 / 广告销售额；ROAS = 广告销售额 / 广告花费；"
        "TACOS = 广告花费 / 总销售额。金额为各站点本币。",
        "en": "ACOS = ad spend / ad sales; ROAS = ad sales / ad spend; TACOS = ad spend / total "
        "sales. Money in each marketplace's own currency.",
    },
    "invads.waste": {"zh": "## 浪费的广告花费", "en": "## Wasted ad spend"},
    "invads.waste_note": {
        "zh": "有点击、没有订单的搜索词（整个期间、所有广告活动合计），按折合 {base} 的花费排序。",
        "en": "Search terms with clicks and no order (whole period, all campaigns), ranked by "
        "spend converted to {base}.",
    },
    "invads.no_ads": {"zh": "没有广告数据。", "en": "No advertising data."},
    "invads.economics": {"zh": "## 单位经济（每件）", "en": "## Unit economics (per unit)"},
    "invads.economics_note": {
        "zh": "每件：售价 − 增值税（德国 19%、日本 10%，美国价格不含税）− 佣金 − FBA 配送费 − 仓储费（{day} 当月费率，按持有 1 个月计）− 退货处理费 − "
        "到岸成本（出厂成本 + 海运 + 关税）= 广告前利润；再减广告费 = 贡献利润。盈亏平衡 ACOS = "
        "广告前利润 ÷ 售价。售价、广告费/件和退货率取截至 {day} 的近 {window} 天；金额为各站点本币。"
        "{problems} 个 SKU × 站点数据不全（见“问题”列）。",
        "en": "Per unit: price − VAT (DE 19 %, JP 10 %; US prices exclude sales tax) − referral "
        "fee − FBA fulfilment fee − storage (the rate of {day}'s "
        "month, one month held) − returns processing − landed cost (factory cost + sea freight "
        "+ duty) = pre-ad margin; minus ads = contribution margin. Break-even ACOS = pre-ad "
        "margin ÷ price. Price, ads per unit and return rate over the {window} days to {day}; "
        "money in each marketplace's own currency. {problems} SKU × marketplace lack data (see "
        "the problem column).",
    },
    "invads.economics_uncertain": {
        "zh": "以下费率来自单一或相互矛盾的来源（或为近似值），使用前请在卖家后台核对：",
        "en": "These fee rows rest on one or conflicting sources (or are approximations): check "
        "them in Seller Central before relying on a figure:",
    },
    "invads.duty_note": {
        "zh": "未配置关税税率的站点按 0 计（“已配置关税”列）。",
        "en": "Marketplaces without a configured duty rate count 0 duty (column duty configured).",
    },
    "invads.break_even": {
        "zh": "## ACOS 与盈亏平衡 ACOS",
        "en": "## ACOS against break-even ACOS",
    },
    "invads.break_even_note": {
        "zh": "近 {window} 天 {above} 个 SKU × 站点 × 广告类型的 ACOS 高于盈亏平衡点（广告在亏钱）；"
        "广告超支 = 花费 − 盈亏平衡 ACOS × 广告销售额。",
        "en": "Over the last {window} days {above} SKU × marketplace × program rows have an ACOS "
        "above break-even (the ads lose money); loss on ads = spend − break-even ACOS × ad sales.",
    },
    "invads.programs_note": {
        "zh": "商品推广（SP）按 7 天归因，品牌推广（SB）按 14 天归因，两者分行显示，从不相加。",
        "en": "Sponsored Products attribute sales over 7 days, Sponsored Brands over 14: they are "
        "shown on separate rows and never summed.",
    },
    "invads.spend_share": {
        "zh": "## 广告花费占销售额（目标 10–15%）",
        "en": "## Ad spend as a share of sales (target 10–15 %)",
    },
    "invads.spend_share_note": {
        "zh": "近 {window} 天广告总花费 ÷ 总销售额（含自然销售）。“合计”行先按设置中的汇率折合 {base} 再相加。",
        "en": "Ad spend ÷ total sales (organic included) over the last {window} days. The ALL row "
        "converts every marketplace to {base} at the configured rates before adding up.",
    },
    "invads.stockout_ads": {
        "zh": "## 即将断货 SKU 的广告花费（应暂停或削减）",
        "en": "## Ad spend on SKUs that will stock out (pause or cut)",
    },
    "invads.stockout_ads_note": {
        "zh": "{count} 个 SKU × 站点的 FBA 库存会在下一批到货前卖完，近 {days} 天仍花费 "
        "{spend} {base}。暂停 = 中位预测下到货前断货；削减 = 仅在高需求（P10）情形下断货。来源：{source}。",
        "en": "{count} SKU × marketplace will run out of FBA stock before their next arrival and "
        "still spent {spend} {base} over the last {days} days. Pause = out before the arrival "
        "on the median forecast; reduce = only on the high-demand (P10) path. Source: {source}.",
    },
    "invads.stockout_source_plan": {
        "zh": "补货计划（报告 03）",
        "en": "the replenishment plan (report 03)",
    },
    "invads.no_stockout_ads": {
        "zh": "没有在到货前断货且仍在投放广告的 SKU。",
        "en": "No SKU that will stock out before its next arrival is still advertised.",
    },
}

#: Headings of notebook 02 (demand forecast).
FORECAST_LABELS: dict[str, dict[str, str]] = {
    "forecast.title": {"zh": "# 需求预测", "en": "# Demand forecast"},
    "forecast.intro": {
        "zh": "截至 **{as_of}**，预测未来 **{horizon}** 天：{series} 个 SKU × 站点序列，"
        "其中 {new} 个新品用相似品预测。断货日不作为零需求参与建模。",
        "en": "As of **{as_of}**, forecasting the next **{horizon}** days for {series} "
        "SKU × marketplace series, {new} of them new SKUs forecast from analogs. Stockout days "
        "are never read as zero demand.",
    },
    "forecast.stockouts": {"zh": "## 断货与损失需求", "en": "## Stockouts and lost demand"},
    "forecast.classes": {"zh": "## 需求类型与 ABC 分类", "en": "## Demand classes and ABC"},
    "forecast.leaderboard": {"zh": "## 模型准确度排行", "en": "## Model accuracy leaderboard"},
    "forecast.fans": {"zh": "## 重点 SKU 预测图", "en": "## Forecasts of chosen SKUs"},
    "forecast.table": {"zh": "## 预测表（按周汇总）", "en": "## Forecast table (weekly totals)"},
    "forecast.analogs": {"zh": "## 新品：相似品预测", "en": "## New SKUs: analog forecasts"},
    "forecast.events": {"zh": "## 活动日历", "en": "## Event calendar"},
    "forecast.effects": {
        "zh": "## 活动效应（Prime Day、秋季会员日、黑五网一）",
        "en": "## Event effects (Prime Day, Prime Big Deal Days, BFCM)",
    },
    "forecast.effects_intro": {
        "zh": "从全部 SKU 截至 {as_of} 的历史（断货日不计）学到的需求倍数，已乘到每个 SKU 的预测上"
        "（Prophet 自带活动效应，不重复）。SKU 自身活动历史少时向站点平均收缩。",
        "en": "Demand multipliers learned from every SKU's history up to {as_of} (stock-out days "
        "left out) and applied to each SKU's forecast (not to Prophet, which models events "
        "itself). A SKU with little event history borrows its marketplace's factor.",
    },
    "forecast.no_effects": {
        "zh": "历史中没有可用的过往活动，预测未加活动效应。",
        "en": "No past event with usable days in the history: the forecast carries no event "
        "effects.",
    },
    "forecast.written": {"zh": "预测已写入 `{path}`。", "en": "Forecast written to `{path}`."},
    "forecast.notes": {"zh": "## 历史不足时的处理", "en": "## What the forecast could not do"},
    "forecast.no_backtest": {
        "zh": "历史太短，尚无回测，无法比较模型（见上方说明）。",
        "en": "No backtest yet: the history is too short to compare models (see the notes above).",
    },
}

#: Headings of notebook 03 (FBA replenishment).
REPLENISH_LABELS: dict[str, dict[str, str]] = {
    "replenish.title": {"zh": "# FBA 补货计划", "en": "# FBA replenishment plan"},
    "replenish.intro": {
        "zh": "截至 **{as_of}**：{series} 个 SKU × 站点，其中 **{ship_now}** 个需要现在发货，"
        "共 {units} 件；{alerts} 条提醒。费用表：{fee_tables}。",
        "en": "As of **{as_of}**: {series} SKU × marketplace series, **{ship_now}** to ship now, "
        "{units} units; {alerts} alerts. Fee tables: {fee_tables}.",
    },
    "replenish.summary": {"zh": "## 各站点汇总", "en": "## Summary by marketplace"},
    "replenish.plan": {"zh": "## 补货计划（现在发货）", "en": "## Plan: what to ship now"},
    "replenish.paths": {
        "zh": "## 库存路径（P10–P90、到货、LILF 与 180 天库龄线）",
        "en": "## Inventory paths (P10–P90, arrivals, LILF and 180-day ageing lines)",
    },
    "replenish.stockouts": {"zh": "## 断货风险", "en": "## Stockout risks"},
    "replenish.ageing": {"zh": "## 库龄与仓储费风险", "en": "## Ageing and storage-fee risks"},
    "replenish.shipments": {
        "zh": "## 计划期内全部发货（交给生产计划）",
        "en": "## Every planned shipment over the horizon (input of the production plan)",
    },
    "replenish.capacity": {"zh": "## FBA 库容检查", "en": "## FBA capacity check"},
    "replenish.notes": {"zh": "## 假设与费用表说明", "en": "## Assumptions and fee tables"},
    "replenish.written": {"zh": "计划已写入 `{path}`。", "en": "Plan written to `{path}`."},
    "replenish.none": {"zh": "（无）", "en": "(none)"},
}

#: Headings of notebook 04 (production plan).
PRODUCTION_LABELS: dict[str, dict[str, str]] = {
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
    "prod.none": {"zh": "（无）", "en": "(none)"},
}

#: The three lines each detail report opens with (:mod:`forecasting.reports.action_lines`).
ACTION_LABELS: dict[str, dict[str, str]] = {
    "actions.title": {"zh": "**本周需要处理：**", "en": "**Needs action this week:**"},
    "actions.forecast.stockouts": {
        "zh": "{count} 个 SKU × 站点在最近 {days} 天断过货，估计损失需求 {units:,.0f} 件：检查补货。",
        "en": "{count} SKU × marketplace were out of stock in the last {days} days, an estimated "
        "{units:,.0f} units of demand lost: check their replenishment.",
    },
    "actions.forecast.unchecked": {
        "zh": "{series} 个序列中有 {count} 个没有回测选出的模型（新品用相似品或自身速率）：请人工核对。",
        "en": "{count} of {series} series have no backtested model (new SKUs on analogs or their "
        "own rate): check them by hand.",
    },
    "actions.forecast.events": {
        "zh": "未来 {days} 天有 {count} 个活动，最早是 {marketplace} {event}（{date}）：提前备货。",
        "en": "{count} events in the next {days} days, the first {marketplace} {event} on "
        "{date}: stock up ahead of them.",
    },
    "actions.forecast.no_events": {
        "zh": "未来 {days} 天没有活动。",
        "en": "No event in the next {days} days.",
    },
    "actions.replenish.ship": {
        "zh": "{series} 个 SKU × 站点中 **{count}** 个需要现在发货，共 **{units:,}** 件。",
        "en": "**{count}** of {series} SKU × marketplace to ship now, **{units:,}** units.",
    },
    "actions.replenish.stockouts": {
        "zh": "**{count}** 个有到货前断货风险（高需求 P10 情形）：考虑空运或铁路加急。",
        "en": "**{count}** stockout risks before the next arrival (high-demand P10 path): "
        "consider air or rail.",
    },
    "actions.replenish.ageing": {
        "zh": "**{count}** 个有超龄库存风险，预计超龄附加费 {fee}：考虑促销、移除或少发。",
        "en": "**{count}** ageing risks, projected aged-inventory surcharge {fee}: consider a "
        "promotion, a removal or shipping less.",
    },
    "actions.replenish.empty": {"zh": "计划为空。", "en": "The plan is empty."},
    "actions.prod.late": {
        "zh": "**{units:,}** 件延迟或缺口（其中至少 {forced:,} 件受产能所限无法避免），"
        "涉及 {skus} 个 SKU、{marketplaces} 个站点。",
        "en": "**{units:,}** units late or short (at least {forced:,} forced by capacity), "
        "{skus} SKUs in {marketplaces} marketplaces.",
    },
    "actions.prod.bottleneck": {
        "zh": "瓶颈产线 **{line}**：计划工时为正常工时的 {load:.0%}。",
        "en": "Bottleneck line **{line}**: planned hours {load:.0%} of its regular hours.",
    },
    "actions.prod.idle": {"zh": "没有计划生产。", "en": "Nothing planned on any line."},
    "actions.prod.overtime": {
        "zh": "加班 {hours:,.0f} 小时，加班费 {cost:,.0f} {currency}。",
        "en": "{hours:,.0f} overtime hours, overtime cost {cost:,.0f} {currency}.",
    },
    "actions.invads.aged": {
        "zh": "**{units:,}** 件库龄已超过 180 天；按近期销速，90 天后将有 {later:,} 件：考虑促销或移除。",
        "en": "**{units:,}** units are older than 180 days; at the recent rate {later:,} will be "
        "in 90 days: consider a promotion or a removal.",
    },
    "actions.invads.lilf": {
        "zh": "**{count}** 个 SKU × 站点的可售天数低于低库存线，每发一件都要交低库存费：尽快补货。",
        "en": "**{count}** SKU × marketplace are below the low-inventory level and pay the fee on "
        "every unit shipped: replenish them.",
    },
    "actions.invads.ads": {
        "zh": "**{count}** 个即将断货的 SKU × 站点仍在投放广告（{pause} 个应暂停），"
        "近 {days} 天花费 {spend:,.0f} {currency}。",
        "en": "**{count}** SKU × marketplace that will stock out are still advertised ({pause} "
        "to pause), {spend:,.0f} {currency} over the last {days} days.",
    },
}

#: Every label a report shows: key → {"zh": …, "en": …} (merged here, nowhere else).
LABELS: dict[str, dict[str, str]] = merge_labels(
    _shared.LABELS,
    REPORT_LABELS,
    FORECAST_LABELS,
    REPLENISH_LABELS,
    PRODUCTION_LABELS,
    ACTION_LABELS,
    _weekly.LABELS,
)


def t(key: str, lang: str = "zh", **fmt: object) -> str:
    """The label ``key`` in ``lang``, with ``{fields}`` filled from ``fmt``.

    Examples
    --------
    >>> t("index.run_at", "en")
    'Run at'
    >>> t("index.title", "zh", as_of="2026-11-22")
    '计划报告 2026-11-22'
    """
    return lookup(LABELS, key, lang, **fmt)


def md(key: str, lang: str = "zh", **fmt: object) -> Markdown:
    """``IPython.display.Markdown`` of :func:`t` (for headings emitted from notebook code)."""
    from IPython.display import Markdown

    return Markdown(t(key, lang, **fmt))


def column_label(column: str, lang: str = "zh") -> str:
    """Label of a table column: ``col.<column>`` if defined, else the column name itself."""
    return _shared.column_label(column, lang, LABELS)


def value_label(column: str, value: object, lang: str = "zh") -> object:
    """Label of a code in a table column: ``<column>.<value>`` if defined, else the value."""
    return _shared.value_label(column, value, lang, LABELS)


def t_columns(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A copy of ``frame`` with its columns renamed by :func:`column_label` (for display)."""
    return frame.rename(columns={c: column_label(str(c), lang) for c in frame.columns})
