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
from typing import TYPE_CHECKING

import pandas as pd

from forecasting.errors import InputError

if TYPE_CHECKING:
    from IPython.display import Markdown

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
    "col.last_day": {"zh": "数据最后一天", "en": "last day of data"},
    "col.active": {"zh": "活跃", "en": "active"},
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
    "col.exported_local": {"zh": "导出时间（当地）", "en": "pulled at (local time)"},
    "col.units": {"zh": "件数", "en": "units"},
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
    # --- 05 inventory health and advertising ---------------------------------------------
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
        "zh": "短期（30 天）和长期（90 天）可售天数都低于 28 天时，每发一件收取低库存水平费。"
        "{low} 个 SKU × 站点目前处于该区间；{aged} 个的库存够卖 180 天以上（有超龄风险）。",
        "en": "When both short-term (30-day) and long-term (90-day) days of supply are under 28 "
        "days, every unit shipped pays the low-inventory-level fee. {low} SKU × marketplace are "
        "there now; {aged} hold more than 180 days of supply (ageing risk).",
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
    # --- 05 unit economics and advertising, completed (issue 15) ---------------------------
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
    "col.program": {"zh": "广告类型", "en": "program"},
    "col.ctr": {"zh": "点击率", "en": "CTR"},
    "col.price": {"zh": "售价", "en": "price"},
    "col.price_source": {"zh": "售价来源", "en": "price from"},
    "col.vat_per_unit": {"zh": "增值税/件", "en": "VAT per unit"},
    "col.net_price": {"zh": "不含税售价", "en": "net price"},
    "col.units_sold": {"zh": "销量", "en": "units sold"},
    "col.size_tier": {"zh": "尺寸分段", "en": "size tier"},
    "col.shipping_weight": {"zh": "计费重量", "en": "shipping weight"},
    "col.weight_unit": {"zh": "重量单位", "en": "weight unit"},
    "col.referral_category": {"zh": "佣金类目", "en": "referral category"},
    "col.referral_fee": {"zh": "销售佣金", "en": "referral fee"},
    "col.fulfilment_fee": {"zh": "FBA 配送费", "en": "FBA fee"},
    "col.storage_per_unit": {"zh": "仓储费/件", "en": "storage per unit"},
    "col.return_rate": {"zh": "退货率", "en": "return rate"},
    "col.return_rate_source": {"zh": "退货率来源", "en": "return rate from"},
    "col.returns_per_unit": {"zh": "退货处理费/件", "en": "returns per unit"},
    "col.unit_cost": {"zh": "出厂成本", "en": "unit cost"},
    "col.freight_per_unit": {"zh": "头程运费/件", "en": "freight per unit"},
    "col.duty_per_unit": {"zh": "关税/件", "en": "duty per unit"},
    "col.duty_configured": {"zh": "已配置关税", "en": "duty configured"},
    "col.landed_cost": {"zh": "到岸成本", "en": "landed cost"},
    "col.amazon_fees": {"zh": "亚马逊费用合计", "en": "Amazon fees"},
    "col.pre_ad_margin": {"zh": "广告前利润", "en": "pre-ad margin"},
    "col.break_even_acos": {"zh": "盈亏平衡 ACOS", "en": "break-even ACOS"},
    "col.ad_spend": {"zh": "广告花费", "en": "ad spend"},
    "col.ads_per_unit": {"zh": "广告费/件", "en": "ads per unit"},
    "col.contribution_margin": {"zh": "贡献利润", "en": "contribution margin"},
    "col.contribution_share": {"zh": "贡献利润率", "en": "contribution margin %"},
    "col.gross_margin": {"zh": "毛利率", "en": "gross margin"},
    "col.missed_sale_margin": {"zh": "断货每件损失毛利", "en": "margin lost per missed sale"},
    "col.fee_table": {"zh": "费用表", "en": "fee table"},
    "col.problem": {"zh": "问题", "en": "problem"},
    "col.above_break_even": {"zh": "高于盈亏平衡", "en": "above break-even"},
    "col.loss_on_ads": {"zh": "广告超支", "en": "loss on ads"},
    "col.ad_spend_share": {"zh": "广告花费占比", "en": "ad spend share"},
    "col.band_status": {"zh": "与 10–15% 目标比较", "en": "vs 10–15 % band"},
    "col.action": {"zh": "建议", "en": "action"},
    "col.stockout_date": {"zh": "预计断货日", "en": "stockout date"},
    "col.arrival_date": {"zh": "下批到货日", "en": "next arrival"},
    "col.days_to_stockout": {"zh": "距断货天数", "en": "days to stockout"},
    "col.spend_per_day": {"zh": "日均花费", "en": "spend per day"},
    "col.note": {"zh": "说明", "en": "note"},
    "price_source.sales": {"zh": "近期均价", "en": "average selling price"},
    "price_source.list": {"zh": "标价", "en": "list price"},
    "return_rate_source.returns": {"zh": "退货报告", "en": "returns report"},
    "return_rate_source.default": {"zh": "默认值（无销量）", "en": "default (no sales)"},
    "band_status.below": {"zh": "低于目标", "en": "below"},
    "band_status.within": {"zh": "在目标内", "en": "within"},
    "band_status.above": {"zh": "高于目标", "en": "above"},
    "band_status.no_ad_data": {"zh": "无广告数据", "en": "no ad data"},
    "action.pause": {"zh": "暂停", "en": "pause"},
    "action.reduce": {"zh": "削减", "en": "reduce"},
    "size_tier.small_standard": {"zh": "小号标准", "en": "small standard"},
    "size_tier.large_standard": {"zh": "大号标准", "en": "large standard"},
    "size_tier.large_bulky": {"zh": "大件", "en": "large bulky"},
    "size_tier.extra_large": {"zh": "超大件", "en": "extra-large"},
    "chart.break_even": {"zh": "盈亏平衡 ACOS", "en": "break-even ACOS"},
    "chart.break_even_title": {
        "zh": "ACOS 与盈亏平衡 ACOS（红色 = 广告亏钱）",
        "en": "ACOS vs break-even ACOS (red = ads losing money)",
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
    "col.on_hand": {"zh": "可售库存", "en": "on hand"},
    "col.age_0_90": {"zh": "0–90 天", "en": "0–90 days"},
    "col.age_91_180": {"zh": "91–180 天", "en": "91–180 days"},
    "col.age_181_270": {"zh": "181–270 天", "en": "181–270 days"},
    "col.age_271_365": {"zh": "271–365 天", "en": "271–365 days"},
    "col.age_366_455": {"zh": "366–455 天", "en": "366–455 days"},
    "col.age_456_plus": {"zh": "456 天以上", "en": "456+ days"},
    "col.units_aged": {"zh": "超 180 天件数", "en": "units > 180 days"},
    "col.aged_share": {"zh": "超龄占比", "en": "aged share"},
    "col.aged_cuft": {"zh": "超龄体积（立方英尺）", "en": "aged cu ft"},
    "col.expected_sales_90_days": {"zh": "预计 90 天销量", "en": "expected sales 90 days"},
    "col.units_aged_in_90_days": {"zh": "90 天后超龄件数", "en": "units > 180 days in 90 days"},
    "col.aged_cuft_in_90_days": {"zh": "90 天后超龄体积", "en": "cu ft > 180 days in 90 days"},
    "col.units_shipped_t30": {"zh": "近 30 天发货", "en": "shipped 30 days"},
    "col.units_shipped_t90": {"zh": "近 90 天发货", "en": "shipped 90 days"},
    "col.short_term_days": {"zh": "短期可售天数", "en": "short-term days"},
    "col.long_term_days": {"zh": "长期可售天数", "en": "long-term days"},
    "col.historical_days_of_supply": {"zh": "亚马逊历史可售天数", "en": "Amazon HDoS"},
    "col.low_inventory_fee": {"zh": "低库存费", "en": "low-inventory fee"},
    "col.zone": {"zh": "区间", "en": "zone"},
    "col.impressions": {"zh": "曝光", "en": "impressions"},
    "col.clicks": {"zh": "点击", "en": "clicks"},
    "col.spend": {"zh": "花费", "en": "spend"},
    "col.ad_sales": {"zh": "广告销售额", "en": "ad sales"},
    "col.ad_orders": {"zh": "广告订单", "en": "ad orders"},
    "col.total_sales": {"zh": "总销售额", "en": "total sales"},
    "col.acos": {"zh": "ACOS", "en": "ACOS"},
    "col.roas": {"zh": "ROAS", "en": "ROAS"},
    "col.tacos": {"zh": "TACOS", "en": "TACOS"},
    "col.cpc": {"zh": "单次点击花费", "en": "CPC"},
    "col.cvr": {"zh": "转化率", "en": "CVR"},
    "col.search_term": {"zh": "搜索词", "en": "search term"},
    "col.campaigns": {"zh": "广告活动数", "en": "campaigns"},
    "col.currency": {"zh": "币种", "en": "currency"},
    "col.spend_base": {"zh": "折合花费", "en": "spend (base)"},
    "col.wasted_spend": {"zh": "浪费花费", "en": "wasted spend"},
    "col.wasted_share": {"zh": "浪费占比", "en": "wasted share"},
    "col.week": {"zh": "周", "en": "week"},
    # --- codes shown in tables (value_label) --------------------------------------------
    "zone.low": {"zh": "偏低（<28 天）", "en": "low (<28 days)"},
    "zone.healthy": {"zh": "健康", "en": "healthy"},
    "zone.high": {"zh": "偏高（90–180 天）", "en": "high (90–180 days)"},
    "zone.aged": {"zh": "超龄风险（≥180 天）", "en": "ageing (≥180 days)"},
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
    "chart.acos_title": {
        "zh": "每周 ACOS 与 TACOS（按站点）",
        "en": "Weekly ACOS and TACOS by marketplace",
    },
    "chart.share": {"zh": "比例", "en": "share"},
    "chart.waste_title": {
        "zh": "浪费花费最多的搜索词（折合 {base}）",
        "en": "Search terms wasting the most ({base})",
    },
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
        raise InputError(f"parameter lang must be one of {', '.join(LANGS)}, not {lang!r}")
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


def md(key: str, lang: str = "zh", **fmt: object) -> Markdown:
    """``IPython.display.Markdown`` of :func:`t` (for headings emitted from notebook code)."""
    from IPython.display import Markdown

    return Markdown(t(key, lang, **fmt))


def column_label(column: str, lang: str = "zh") -> str:
    """Label of a table column: ``col.<column>`` if defined, else the column name itself."""
    entry = LABELS.get(f"col.{column}")
    return entry[check_lang(lang)] if entry else column


def value_label(column: str, value: object, lang: str = "zh") -> object:
    """Label of a code in a table column: ``<column>.<value>`` if defined, else the value."""
    entry = LABELS.get(f"{column}.{value}")
    return entry[check_lang(lang)] if entry else value


def t_columns(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A copy of ``frame`` with its columns renamed by :func:`column_label` (for display)."""
    return frame.rename(columns={c: column_label(str(c), lang) for c in frame.columns})
