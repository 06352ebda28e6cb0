"""Labels in Chinese and English (``lang="zh"`` default, ``"en"``): the one lookup rule.

Reports are read by planners in a Chinese factory and by English-speaking partners, so every
heading, table column and chart label comes from a label table instead of being typed into a
notebook or a chart. A table is a plain dict ``key → {"zh": …, "en": …}``; values may hold
``str.format`` fields filled from ``t(..., **fmt)``. A plain dict is enough (gettext catalogues
would add a build step for two languages and a few hundred strings).

This module sits below both :mod:`forecasting.charts` and :mod:`forecasting.reports` and imports
neither. It holds the lookup (:func:`lookup`, :func:`t`), the language check (:func:`check_lang`),
the merge of tables (:func:`merge_labels`) and the labels both sides share: table columns
(``col.*``) and the codes shown in table cells (``zone.low``, ``action.pause`` …). Chart labels live
in their chart modules; the notebooks' headings live in :mod:`forecasting.reports.i18n`, which
merges them with these in one place. Nothing registers labels at import time.
"""

from __future__ import annotations

from collections.abc import Mapping

from forecasting.errors import InputError

#: Supported report languages; the first is the default.
LANGS = ("zh", "en")

#: A label table: key → {"zh": …, "en": …}.
Labels = Mapping[str, Mapping[str, str]]


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported report language, else raise :class:`InputError`.

    >>> check_lang("en")
    'en'
    """
    if lang not in LANGS:
        raise InputError(f"parameter lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def merge_labels(*tables: Labels) -> dict[str, dict[str, str]]:
    """One label table from several (a key may repeat only with identical texts).

    Parameters
    ----------
    *tables : mapping of key → {"zh": str, "en": str}
        Merged in order.

    Returns
    -------
    dict
        key → {"zh": str, "en": str}.

    Raises
    ------
    ValueError
        A label lacks a language, or two tables define one key differently.

    >>> merge_labels({"a": {"zh": "甲", "en": "A"}}, {"a": {"zh": "甲", "en": "A"}})
    {'a': {'zh': '甲', 'en': 'A'}}
    """
    merged: dict[str, dict[str, str]] = {}
    for table in tables:
        for key, texts in table.items():
            missing = [lang for lang in LANGS if lang not in texts]
            if missing:
                raise ValueError(f"label {key!r} lacks language(s) {missing}")
            if key in merged and merged[key] != dict(texts):
                raise ValueError(f"label {key!r} is defined differently in two label tables")
            merged[key] = dict(texts)
    return merged


def lookup(labels: Labels, key: str, lang: str = "zh", **fmt: object) -> str:
    """The label ``key`` of table ``labels`` in ``lang``, with ``{fields}`` filled from ``fmt``.

    Parameters
    ----------
    labels : mapping of key → {"zh": str, "en": str}
    key : str
        Label key, e.g. ``"chart.units"``.
    lang : {"zh", "en"}
    **fmt
        Values of the ``str.format`` fields of the text (numbers formatted by the text's own
        format spec, e.g. ``{units:,.0f}``).

    Raises
    ------
    InputError
        ``lang`` is not supported.
    KeyError
        No label ``key`` in ``labels``.

    >>> lookup({"n": {"zh": "{n:,} 件", "en": "{n:,} units"}}, "n", "en", n=1200)
    '1,200 units'
    """
    check_lang(lang)
    try:
        text = labels[key][lang]
    except KeyError:
        raise KeyError(f"no label {key!r}; add it to the label table of its area") from None
    return text.format(**fmt) if fmt else text


#: Labels shared by charts and report tables: columns (``col.<column>``) and codes in table cells
#: (``<column>.<code>``).
LABELS: dict[str, dict[str, str]] = {
    "col.last_day": {"zh": "数据最后一天", "en": "last day of data"},
    "col.active": {"zh": "活跃", "en": "active"},
    "col.exported_local": {"zh": "导出时间（当地）", "en": "pulled at (local time)"},
    "col.units": {"zh": "件数", "en": "units"},
    "col.level": {"zh": "层级", "en": "level"},
    "col.phase": {"zh": "阶段", "en": "phase"},
    "col.factor": {"zh": "活动系数", "en": "event factor"},
    "col.log_sd": {"zh": "系数离散度 (对数)", "en": "factor spread (log)"},
    "col.raw_factor": {"zh": "原始系数", "en": "raw factor"},
    "col.weight": {"zh": "自身权重", "en": "own weight"},
    "col.events": {"zh": "历史活动次数", "en": "past events"},
    "col.expected_units": {"zh": "基线件数", "en": "baseline units"},
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
    "zone.low": {"zh": "偏低（<28 天）", "en": "low (<28 days)"},
    "zone.healthy": {"zh": "健康", "en": "healthy"},
    "zone.high": {"zh": "偏高（90–180 天）", "en": "high (90–180 days)"},
    "zone.aged": {"zh": "超龄风险（≥180 天）", "en": "ageing (≥180 days)"},
    "col.ledger_days": {"zh": "库存流水断货天数", "en": "ledger days"},
    "col.inferred_days": {"zh": "推断断货天数", "en": "inferred days"},
    "col.lost_units": {"zh": "估计损失需求（件）", "en": "lost demand (units)"},
    "col.demand_class": {"zh": "需求类型", "en": "demand class"},
    "col.abc": {"zh": "ABC", "en": "ABC"},
    "col.model": {"zh": "模型", "en": "model"},
    "col.total": {"zh": "合计", "en": "total"},
    "col.analog_sku": {"zh": "相似品", "en": "analog"},
    "col.basis": {"zh": "依据", "en": "basis"},
    "col.alignment": {"zh": "对齐方式", "en": "alignment"},
    "col.launch": {"zh": "上架日", "en": "launch"},
    "col.age_days": {"zh": "上架天数", "en": "days since launch"},
    "col.event": {"zh": "活动", "en": "event"},
    "col.estimate": {"zh": "日期为估计", "en": "date estimated"},
    "col.revenue_base": {"zh": "收入（本币）", "en": "revenue (base)"},
    "col.adi": {"zh": "ADI", "en": "ADI"},
    "col.cv2": {"zh": "CV²", "en": "CV²"},
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
    # --- the replenishment plan (report 03, replenishment.xlsx) ---------------------------------
    "col.date": {"zh": "日期", "en": "date"},
    "col.mode": {"zh": "运输方式", "en": "shipping mode"},
    "col.series": {"zh": "SKU × 站点数", "en": "SKU × marketplace"},
    "col.ship_now_series": {"zh": "需现在发货", "en": "to ship now"},
    "col.ship_now_units": {"zh": "现在发货（件）", "en": "units to ship now"},
    "col.units_planned_horizon": {"zh": "计划期内发货（件）", "en": "units planned (horizon)"},
    "col.projected_storage_fee": {"zh": "预计仓储费", "en": "projected storage fee"},
    "col.projected_aged_fee": {"zh": "预计超龄附加费", "en": "projected aged surcharge"},
    "col.projected_lilf_fee_30d": {
        "zh": "预计低库存费（30 天）",
        "en": "projected low-inventory fee (30 days)",
    },
    "col.fee_currency": {"zh": "费用币种", "en": "fee currency"},
    "col.stockout_before_arrival": {"zh": "到货前断货风险", "en": "stockout before arrival"},
    "col.aged_stock": {"zh": "超龄库存风险", "en": "aged stock"},
    "col.below_lilf": {"zh": "低于低库存线", "en": "below low-inventory level"},
    "col.capacity_overflow": {"zh": "库容不足", "en": "FBA capacity full"},
    "col.moq_exceeds_aged_cap": {"zh": "起订量超出可售", "en": "MOQ above ageing cap"},
    "col.forecast_extended": {"zh": "预测已延长", "en": "forecast extended"},
    "col.no_forecast": {"zh": "无预测", "en": "no forecast"},
    "col.no_demand": {"zh": "无需求", "en": "no demand"},
    "col.service_level": {"zh": "服务水平", "en": "service level"},
    "col.alerts": {"zh": "提醒", "en": "alerts"},
    "col.ship_qty": {"zh": "现在发货（件）", "en": "ship now (units)"},
    "col.ship_by": {"zh": "最迟发货日", "en": "ship by"},
    "col.production_needed_by": {"zh": "最迟完工日", "en": "production needed by"},
    "col.next_ship_date": {"zh": "下次发货日", "en": "next ship date"},
    "col.daily_demand_p50": {"zh": "日需求（中位）", "en": "daily demand (median)"},
    "col.sellable": {"zh": "FBA 可售", "en": "FBA sellable"},
    "col.inbound": {"zh": "在途", "en": "inbound"},
    "col.factory_allocated": {"zh": "工厂已分配", "en": "factory allocated"},
    "col.inventory_position": {"zh": "库存位置", "en": "inventory position"},
    "col.reorder_point": {"zh": "再订货点", "en": "reorder point"},
    "col.order_up_to": {"zh": "补货目标", "en": "order-up-to level"},
    "col.safety_stock": {"zh": "安全库存", "en": "safety stock"},
    "col.lilf_floor_units": {"zh": "低库存线（件）", "en": "low-inventory floor (units)"},
    "col.days_of_cover_now": {"zh": "当前可售天数", "en": "days of cover now"},
    "col.days_of_cover_after_arrival": {
        "zh": "到货后可售天数",
        "en": "days of cover after arrival",
    },
    "col.stockout_date_p50": {"zh": "断货日（中位）", "en": "stockout date (median)"},
    "col.stockout_date_p10": {"zh": "断货日（高需求 P10）", "en": "stockout date (P10)"},
    "col.days_short_p10_with_plan": {
        "zh": "按计划仍断货天数（P10）",
        "en": "days short with the plan (P10)",
    },
    "col.aged_units_now": {"zh": "当前超龄（件）", "en": "aged units now"},
    "col.projected_aged_units_max": {
        "zh": "预计最多超龄（件）",
        "en": "projected aged units (max)",
    },
    "col.stock_source": {"zh": "库存来源", "en": "stock from"},
    "col.source": {"zh": "货源", "en": "source"},
    "col.destination": {"zh": "目的地", "en": "destination"},
    "col.order_date": {"zh": "下单日", "en": "order date"},
    "col.ship_date": {"zh": "发货日", "en": "ship date"},
    "col.storage_type": {"zh": "仓储类型", "en": "storage type"},
    "col.month": {"zh": "月份", "en": "month"},
    "col.limit_cuft": {"zh": "库容上限（立方英尺）", "en": "limit (cu ft)"},
    "col.peak_cuft_before": {"zh": "调整前峰值（立方英尺）", "en": "peak before (cu ft)"},
    "col.peak_cuft_after": {"zh": "调整后峰值（立方英尺）", "en": "peak after (cu ft)"},
    "col.units_deferred": {"zh": "延后发货（件）", "en": "units deferred"},
    "col.overage_cuft": {"zh": "超出库容（立方英尺）", "en": "overage (cu ft)"},
    "col.overage_fee": {"zh": "超库容费", "en": "overage fee"},
    "mode.sea": {"zh": "海运", "en": "sea"},
    "mode.air": {"zh": "空运", "en": "air"},
    "mode.rail": {"zh": "铁路", "en": "rail"},
    "mode.express": {"zh": "快递", "en": "express"},
    "source.new_order": {"zh": "新订单", "en": "new order"},
    "source.finished_goods": {"zh": "工厂成品", "en": "finished goods"},
    "source.open_production": {"zh": "在产订单", "en": "open production"},
    "destination.overseas_3pl": {"zh": "海外仓", "en": "overseas 3PL"},
    # --- the production plan (report 04, production.xlsx) ---------------------------------------
    "col.capacity_units": {"zh": "产能（件）", "en": "capacity (units)"},
    "col.capacity_hours": {"zh": "正常工时", "en": "regular hours"},
    "col.planned_hours": {"zh": "计划工时", "en": "planned hours"},
    "col.overtime_cap_hours": {"zh": "可加班工时", "en": "overtime allowed (hours)"},
    "col.changeover_hours": {"zh": "换线工时", "en": "changeover hours"},
    "col.setups": {"zh": "换线次数", "en": "setups"},
    "col.working_days": {"zh": "工作日", "en": "working days"},
    "col.closed_days": {"zh": "停工日", "en": "closed days"},
    "col.utilisation": {"zh": "负荷率", "en": "utilisation"},
    "col.overtime_cost_per_hour": {"zh": "加班费/小时", "en": "overtime cost per hour"},
    "col.due_week": {"zh": "到期周", "en": "due week"},
    "col.gross": {"zh": "毛需求（件）", "en": "gross (units)"},
    "col.from_finished_goods": {"zh": "来自成品（件）", "en": "from finished goods"},
    "col.from_open_production": {"zh": "来自在产（件）", "en": "from open production"},
    "col.produced": {"zh": "产出（件）", "en": "produced"},
    "col.due": {"zh": "到期（件）", "en": "due"},
    "col.finished_goods": {"zh": "成品库存（件）", "en": "finished goods"},
    "col.backlog": {"zh": "欠交（件）", "en": "backlog"},
    "col.required_hours": {"zh": "需求工时", "en": "required hours"},
    "col.shutdown": {"zh": "停工周", "en": "shutdown"},
    "col.method": {"zh": "求解方法", "en": "method"},
    "objective.cost": {"zh": "成本", "en": "cost"},
    "objective.units": {"zh": "延迟件数优先", "en": "late units first"},
    "col.status": {"zh": "求解状态", "en": "status"},
}


def t(key: str, lang: str = "zh", **fmt: object) -> str:
    """The shared label ``key`` in ``lang`` (:func:`lookup` on :data:`LABELS`).

    >>> t("col.units", "en")
    'units'
    """
    return lookup(LABELS, key, lang, **fmt)


def column_label(column: str, lang: str = "zh", labels: Labels = LABELS) -> str:
    """Label of a table column: ``col.<column>`` if defined in ``labels``, else the column name.

    >>> column_label("marketplace", "zh"), column_label("no_such_column", "zh")
    ('站点', 'no_such_column')
    """
    entry = labels.get(f"col.{column}")
    return entry[check_lang(lang)] if entry else column


def value_label(column: str, value: object, lang: str = "zh", labels: Labels = LABELS) -> object:
    """Label of a code in a table column: ``<column>.<value>`` if defined, else the value.

    >>> value_label("action", "pause", "en"), value_label("action", 3, "en")
    ('pause', 3)
    """
    entry = labels.get(f"{column}.{value}")
    return entry[check_lang(lang)] if entry else value
