"""Texts of the Monday page (notebook ``00_weekly_summary``) in Chinese and English.

Plain dicts in the format of :data:`forecasting.reports.i18n.LABELS` (key → {"zh", "en"}),
merged into that registry in one place (``reports/i18n.py``).
Keys are prefixed ``weekly.``; table columns are ``col.<column>`` as :func:`show_table` expects.
"""

from __future__ import annotations

#: key → {"zh": …, "en": …}; ``str.format`` fields are filled by ``i18n.t(key, lang, **fields)``.
LABELS: dict[str, dict[str, str]] = {
    # --- headings and notes -------------------------------------------------------------
    "weekly.title": {"zh": "# 本周要点 {as_of}", "en": "# This week {as_of}"},
    "weekly.intro": {
        "zh": "截至 **{as_of}** 的数据。本页先列出本周要做的事（按风险金额排序，折合 {base}），"
        "再给出关键指标和与上次运行相比的变化；每一项都链接到详细报告。",
        "en": "Data up to **{as_of}**. This page lists what to do this week (ranked by money at "
        "risk, in {base}), then the key figures and what changed since the last run; every item "
        "links to its detail report.",
    },
    "weekly.actions": {"zh": "## 本周行动", "en": "## Actions of the week"},
    "weekly.actions_note": {
        "zh": "共 {count} 项（最多显示 {limit} 项），风险金额合计 {money}。风险金额：发货、生产、"
        "空运为断货件数 × 每件错失毛利；清理超龄库存为预计超龄附加费；暂停广告为近 {days} 天的"
        "广告花费。数据问题没有金额，始终列出。",
        "en": "{count} action(s) (at most {limit} shown), {money} at risk in total. Money at "
        "risk: ship, produce and expedite = stock-out units × margin lost per missed sale; remove "
        "aged stock = the projected aged-inventory surcharge; pause ads = the ad spend of the "
        "last {days} days. Data problems carry no amount and are always listed.",
    },
    "weekly.no_actions": {
        "zh": "本周没有需要处理的事项。",
        "en": "Nothing needs action this week.",
    },
    "weekly.money_chart": {"zh": "## 风险金额最高的行动", "en": "## Money at risk by action"},
    "weekly.scorecard": {"zh": "## 关键指标", "en": "## KPI scorecard"},
    "weekly.scorecard_note": {
        "zh": "最近 {days} 天（至 {as_of}），趋势为与之前 {days} 天相比；库存指标为库存快照。"
        "绿色：达标；黄色：差距在目标的 10% 以内；红色：未达标；灰色：无目标或无数据。"
        "金额按设置中的汇率折合 {base}。",
        "en": "The last {days} days (to {as_of}); the trend compares with the {days} days "
        "before; stock figures are inventory snapshots. Green: on target; amber: within 10 % of "
        "it; red: off target; grey: no target or no data. Money is converted to {base} at the "
        "configured rates.",
    },
    "weekly.changes": {"zh": "## 与上次运行相比", "en": "## Since the last run"},
    "weekly.first_run": {
        "zh": "第一次运行：报告文件夹中没有更早的报告，下次运行时将与本次比较。",
        "en": "First run: no earlier report in the reports folder; the next run will compare "
        "with this one.",
    },
    "weekly.previous": {
        "zh": "上次运行：{as_of}（{folder}）。",
        "en": "Last run: {as_of} ({folder}).",
    },
    "weekly.previous_unreadable": {
        "zh": "无法比较：{reason}",
        "en": "No comparison: {reason}",
    },
    "weekly.new_risks": {"zh": "### 新的断货风险", "en": "### New stock-out risks"},
    "weekly.no_new_risks": {"zh": "没有新的断货风险。", "en": "No new stock-out risk."},
    "weekly.plan_changes": {
        "zh": "### 计划变化（各站点待发货件数）",
        "en": "### Plan changes (units to ship per marketplace)",
    },
    "weekly.kpi_moves": {"zh": "### 指标变化", "en": "### KPI moves"},
    "weekly.notes": {"zh": "## 说明", "en": "## Notes"},
    "weekly.written": {
        "zh": "本页的行动和指标已写入 {files}，供下次运行比较。",
        "en": "This page's actions and KPIs are written to {files} for the next run to compare.",
    },
    # --- action kinds and reasons (one sentence each) ------------------------------------
    "weekly.kind.ship": {"zh": "发货", "en": "Ship"},
    "weekly.kind.expedite": {"zh": "加急运输", "en": "Expedite"},
    "weekly.kind.produce": {"zh": "生产", "en": "Produce"},
    "weekly.kind.pause_ads": {"zh": "暂停广告", "en": "Pause ads"},
    "weekly.kind.reduce_ads": {"zh": "减少广告", "en": "Cut ads"},
    "weekly.kind.remove_aged": {"zh": "清理超龄库存", "en": "Remove aged stock"},
    "weekly.kind.investigate": {"zh": "核查数据", "en": "Investigate data"},
    "weekly.mode.sea": {"zh": "海运", "en": "sea"},
    "weekly.mode.air": {"zh": "空运", "en": "air"},
    "weekly.mode.rail": {"zh": "铁路", "en": "rail"},
    "weekly.mode.express": {"zh": "快递", "en": "express"},
    "weekly.what.ship": {
        "zh": "{sku} → {marketplace}：{units} 件，{mode}，{ship_by} 前发出",
        "en": "{sku} → {marketplace}: {units} units by {mode}, ship by {ship_by}",
    },
    "weekly.what.produce": {
        "zh": "{line} 线 {week} 周：{sku} {units} 件",
        "en": "line {line}, week of {week}: {units} units of {sku}",
    },
    "weekly.what.ads": {
        "zh": "{sku} {marketplace}：近 {days} 天花费 {spend}",
        "en": "{sku} {marketplace}: {spend} spent in {days} days",
    },
    "weekly.what.aged": {
        "zh": "{sku} {marketplace}：约 {units} 件将超过 180 天",
        "en": "{sku} {marketplace}: about {units} units will pass 180 days",
    },
    "weekly.what.quarantine": {
        "zh": "{file}：{rows} 行被隔离",
        "en": "{file}: {rows} row(s) quarantined",
    },
    "weekly.what.partial": {
        "zh": "{marketplace} {date}：不完整日",
        "en": "{marketplace} {date}: partial day",
    },
    "weekly.reason.ship": {
        "zh": "中位预测下库存将于 {stockout} 售罄，不发这批货约少卖 {lost} 件。",
        "en": "Median stock runs out on {stockout}; without this shipment about {lost} units "
        "go unsold.",
    },
    "weekly.reason.ship_safe": {
        "zh": "补货点已到；中位预测在计划期内不断货，这批货保的是高需求情形（P10 断货 {stockout}）。",
        "en": "The reorder point is reached; the median path does not run out in the horizon, "
        "this shipment covers the high-demand case (P10 runs out {stockout}).",
    },
    "weekly.reason.ship_plain": {
        "zh": "补货点已到，计划在此时下单发货。",
        "en": "The reorder point is reached: the plan orders and ships now.",
    },
    "weekly.reason.expedite": {
        "zh": "海运来不及：计划改用 {mode}，否则约 {lost} 件断货。",
        "en": "Sea freight arrives too late: the plan uses {mode}, else about {lost} units go "
        "unsold.",
    },
    "weekly.reason.produce": {
        "zh": "本周排产，供 {due} 起到期的发货需求；不生产则这些件数晚到。",
        "en": "Scheduled this week for shipments due from {due}; without it these units arrive "
        "late.",
    },
    "weekly.reason.pause_ads": {
        "zh": "库存将于 {stockout} 售罄，早于下一批到货（{arrival}）：广告带来的流量无货可卖。",
        "en": "Stock runs out on {stockout}, before the next arrival ({arrival}): ads would buy "
        "traffic there is no stock for.",
    },
    "weekly.reason.reduce_ads": {
        "zh": "高需求情形下库存将于 {stockout} 售罄，早于下一批到货（{arrival}）：减少广告。",
        "en": "In the high-demand case stock runs out on {stockout}, before the next arrival "
        "({arrival}): spend less.",
    },
    "weekly.reason.remove_aged": {
        "zh": "预计超龄附加费 {fee}：考虑移除、清货或站外销售。",
        "en": "Projected aged-inventory surcharge {fee}: consider removal, liquidation or an "
        "outlet deal.",
    },
    "weekly.reason.quarantine": {
        "zh": "这些行未计入任何数字（首个原因：{reason}）；修正文件后重新导入。",
        "en": "These rows count in no figure (first reason: {reason}); fix the file and ingest "
        "it again.",
    },
    "weekly.reason.partial": {
        "zh": "当天的订单报告在当天中途导出，销量偏低，直到后续报告覆盖该日。",
        "en": "The orders export was pulled during the day: its units are a lower bound until a "
        "later export covers the day.",
    },
    "weekly.no_money": {"zh": "—", "en": "—"},
    "weekly.detail": {"zh": "详情", "en": "details"},
    # --- KPI names, targets, statuses -----------------------------------------------------
    "weekly.kpi.gross_margin": {"zh": "毛利率", "en": "Gross margin"},
    "weekly.kpi.contribution_margin": {"zh": "贡献利润率", "en": "Contribution margin"},
    "weekly.kpi.return_rate": {"zh": "退货率", "en": "Return rate"},
    "weekly.kpi.odr": {"zh": "订单缺陷率 (ODR)", "en": "Order defect rate (ODR)"},
    "weekly.kpi.ipi_score": {"zh": "库存绩效分（IPI 式）", "en": "IPI-style score"},
    "weekly.kpi.inventory_turnover": {"zh": "库存周转（次/年）", "en": "Inventory turnover (/yr)"},
    "weekly.kpi.ad_spend_share": {"zh": "广告花费占销售额", "en": "Ad spend share of sales"},
    "weekly.kpi.tacos": {"zh": "TACoS（投放 SKU）", "en": "TACoS (advertised SKUs)"},
    "weekly.kpi.in_stock_rate": {"zh": "有货率", "en": "In-stock rate"},
    "weekly.kpi.aged_share": {"zh": "超龄库存占比", "en": "Aged-inventory share"},
    "weekly.kpi.fba_fee_share": {"zh": "FBA 费用占销售额", "en": "FBA fees share of sales"},
    "weekly.kpi.excess_share": {"zh": "冗余库存占比", "en": "Excess-inventory share"},
    "weekly.kpi.sell_through": {"zh": "90 天售罄率", "en": "Sell-through (90 days)"},
    "weekly.kpi.stranded_share": {"zh": "滞留库存占比", "en": "Stranded share"},
    "weekly.status.green": {"zh": "达标", "en": "on target"},
    "weekly.status.amber": {"zh": "接近", "en": "close"},
    "weekly.status.red": {"zh": "未达标", "en": "off target"},
    "weekly.status.no_target": {"zh": "无目标", "en": "no target"},
    "weekly.status.no_data": {"zh": "无数据", "en": "no data"},
    "weekly.target.none": {"zh": "未设定", "en": "not set"},
    "weekly.chart.money_title": {
        "zh": "风险金额（折合 {base}）",
        "en": "Money at risk ({base})",
    },
    "weekly.chart.money": {"zh": "风险金额（{base}）", "en": "money at risk ({base})"},
    # --- table columns --------------------------------------------------------------------
    "col.rank": {"zh": "序号", "en": "#"},
    "col.todo": {"zh": "行动", "en": "action"},
    "col.what": {"zh": "内容", "en": "what"},
    "col.reason": {"zh": "原因", "en": "reason"},
    "col.money_at_risk": {"zh": "风险金额", "en": "money at risk"},
    "col.detail": {"zh": "详细报告", "en": "detail report"},
    "col.kpi": {"zh": "指标", "en": "KPI"},
    "col.kpi_target": {"zh": "目标", "en": "target"},
    "col.kpi_value": {"zh": "本期", "en": "value"},
    "col.kpi_previous": {"zh": "上期", "en": "previous"},
    "col.kpi_trend": {"zh": "趋势", "en": "trend"},
    "col.kpi_status": {"zh": "状态", "en": "status"},
    "col.kpi_basis": {"zh": "口径", "en": "basis"},
    "col.change_now": {"zh": "本次", "en": "now"},
    "col.change_before": {"zh": "上次", "en": "last run"},
    "col.change_delta": {"zh": "变化", "en": "change"},
    "col.risk_stockout_date": {"zh": "断货日", "en": "stock-out date"},
    "col.risk_arrival_date": {"zh": "下批到货", "en": "next arrival"},
}

#: the one sentence per KPI saying how it is computed (shown in the scorecard's basis column)
KPI_BASIS: dict[str, dict[str, str]] = {
    "weekly.basis.gross_margin": {
        "zh": "（净售价 − 到岸成本）÷ 净售价，按销量加权",
        "en": "(net price − landed cost) ÷ net price, weighted by units sold",
    },
    "weekly.basis.contribution_margin": {
        "zh": "贡献利润 ÷ 净销售额（扣除全部费用和广告）",
        "en": "contribution margin ÷ net sales (after every fee and ads)",
    },
    "weekly.basis.return_rate": {"zh": "退货件数 ÷ 销售件数", "en": "units returned ÷ units sold"},
    "weekly.basis.odr": {
        "zh": "导出文件中没有 ODR 数据",
        "en": "the exports carry no ODR figures",
    },
    "weekly.basis.ipi_score": {
        "zh": "1000 × 各部分平均（1−冗余、售罄、1−滞留、有货率），非亚马逊公式",
        "en": "1000 × mean of parts (1−excess, sell-through, 1−stranded, in-stock); not Amazon's "
        "formula",
    },
    "weekly.basis.inventory_turnover": {
        "zh": "近 90 天发货件数 × 365/90 ÷ 可售库存",
        "en": "units shipped in 90 days × 365/90 ÷ units on hand",
    },
    "weekly.basis.ad_spend_share": {
        "zh": "全部广告花费 ÷ 全部销售额",
        "en": "all ad spend ÷ all sales",
    },
    "weekly.basis.tacos": {
        "zh": "广告花费 ÷ 有广告的 SKU 的总销售额",
        "en": "ad spend ÷ total sales of the advertised SKUs",
    },
    "weekly.basis.in_stock_rate": {
        "zh": "有货的 SKU·天 ÷ 有数据的 SKU·天",
        "en": "SKU-days in stock ÷ SKU-days with data",
    },
    "weekly.basis.aged_share": {
        "zh": "超 180 天件数 ÷ 全部库龄件数",
        "en": "units over 180 days ÷ all aged-bucket units",
    },
    "weekly.basis.fba_fee_share": {
        "zh": "（配送费 + 仓储费）× 销量 ÷ 净销售额",
        "en": "(fulfilment + storage fee) × units ÷ net sales",
    },
}
LABELS.update(KPI_BASIS)
