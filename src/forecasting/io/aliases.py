"""Header alias tables and the marketplace table.

Amazon renames, reorders, re-cases and localises report columns without notice (kebab-case and
Title Case in one file, trailing spaces in ad reports, Chinese headers from the Chinese Seller
Central UI, a new ads console in 2026). Readers therefore never use column positions: every header
is *normalised* (:func:`normalise_header`) and looked up in the alias table of its export kind,
which maps it to one canonical column name (:mod:`forecasting.schema` spelling where one exists).

To support a new spelling, add it to the tuple of its canonical column below; it is normalised at
import, so write it exactly as the export shows it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from forecasting import schema as s

_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise_header(header: str) -> str:
    """The lookup form of a header: NFKC (full-width → ASCII), BOM removed, lower case, ``-``/``_``
    and runs of white space as one space, stripped.

    >>> normalise_header("  7 Day Total Sales ")
    '7 day total sales'
    >>> normalise_header("inv-age-0-to-90-days") == normalise_header("Inv Age 0 To 90 Days")
    True
    >>> normalise_header("（父）ASIN")
    '(父)asin'
    """
    text = unicodedata.normalize("NFKC", str(header)).replace("\ufeff", "").lower()
    return _SEPARATORS.sub(" ", text).strip()


# --- alias tables: kind → canonical column → headers as exports write them --------------------
# Columns the readers need; other columns of an export are kept out of the store.

ORDERS = {
    s.ORDER_ID: ("amazon-order-id", "amazon order id", "订单编号", "注文番号"),
    "purchase_date": ("purchase-date", "purchase date", "购买日期", "注文日"),
    "last_updated": ("last-updated-date", "last updated date", "最后更新日期"),
    "status": ("order-status", "order status", "订单状态"),
    "sales_channel": ("sales-channel", "sales channel", "销售渠道"),
    s.SKU: ("sku", "seller-sku", "merchant-sku", "msku"),
    s.ASIN: ("asin",),
    "quantity": ("quantity", "quantity-purchased", "数量"),
    s.CURRENCY: ("currency", "货币"),
    "item_price": ("item-price", "item price", "商品价格"),
    "is_replacement": ("is-replacement-order",),
}

BUSINESS_REPORT = {
    s.DATE: ("Date", "日期", "Datum", "日付"),
    s.PARENT_ASIN: ("(Parent) ASIN", "（父）ASIN", "Parent ASIN"),
    s.ASIN: ("(Child) ASIN", "（子）ASIN", "Child ASIN"),
    s.TITLE: ("Title", "标题"),
    s.SKU: ("SKU",),
    "sessions": ("Sessions - Total", "Sessions", "会话数 - 总计", "会话数"),
    "page_views": ("Page Views - Total", "Page Views", "页面浏览量 - 总计", "页面浏览量"),
    "buy_box_pct": (
        "Featured Offer (Buy Box) Percentage",
        "Featured Offer Percentage",
        "Buy Box Percentage",
        "推荐报价（推荐报价展示位）百分比",
    ),
    "units_ordered": ("Units Ordered", "已订购商品数量"),
    "ordered_product_sales": ("Ordered Product Sales", "已订购商品销售额"),
    s.CURRENCY: ("Currency", "Currency code", "货币"),
}

LEDGER = {
    s.DATE: ("Date", "日期"),
    "fnsku": ("FNSKU",),
    s.ASIN: ("ASIN",),
    s.SKU: ("MSKU", "Merchant SKU", "SKU"),
    s.TITLE: ("Title", "标题"),
    "disposition": ("Disposition", "处置"),
    "starting_balance": ("Starting Warehouse Balance", "期初仓库余额"),
    "receipts": ("Receipts", "接收量"),
    "customer_shipments": ("Customer Shipments", "买家配送"),
    "customer_returns": ("Customer Returns", "买家退货"),
    "ending_balance": ("Ending Warehouse Balance", "期末仓库余额"),
    "location": ("Location", "地点", "Country"),
}

PLANNING_REPORT = {
    s.DATE: ("snapshot-date", "快照日期"),
    s.SKU: ("sku",),
    "fnsku": ("fnsku",),
    s.ASIN: ("asin",),
    s.ON_HAND: ("available", "可售"),
    s.INBOUND_WORKING: ("inbound-working", "入库-处理中"),
    s.INBOUND_SHIPPED: ("inbound-shipped", "入库-已发货"),
    s.INBOUND_RECEIVING: ("inbound-received", "inbound-receiving", "入库-接收中"),
    s.RESERVED: ("reserved-quantity", "Total Reserved Quantity", "预留数量"),
    "fc_transfer": ("fc-transfer", "Reserved FC Transfer"),
    "age_0_90": ("inv-age-0-to-90-days", "库存龄 0-90 天"),
    "age_91_180": ("inv-age-91-to-180-days", "库存龄 91-180 天"),
    "age_181_270": ("inv-age-181-to-270-days", "库存龄 181-270 天"),
    "age_271_365": ("inv-age-271-to-365-days", "库存龄 271-365 天"),
    # before ~Jan 2026 one bucket held everything older than 365 days: read into age_366_455
    "age_366_455": ("inv-age-366-to-455-days", "inv-age-365-plus-days", "库存龄 365 天以上"),
    "age_456_plus": ("inv-age-456-plus-days",),
    "units_shipped_t30": ("units-shipped-t30",),
    "units_shipped_t90": ("units-shipped-t90", "90天销量"),
    "item_volume": ("item-volume", "商品体积"),
    "volume_unit": ("volume-unit-measurement",),
    "storage_type": ("storage-type", "存储类型"),
    "historical_days_of_supply": ("historical-days-of-supply",),
    s.MARKETPLACE: ("marketplace", "商城"),
    s.CURRENCY: ("currency",),
}

_ADS_COMMON = {
    s.DATE: ("Date", "Start Date", "日期"),
    "end_date": ("End Date",),
    "date_range": ("Date range",),
    s.CURRENCY: ("Currency", "Budget currency"),
    "country": ("Country",),
    s.CAMPAIGN: ("Campaign Name", "Campaign name"),
    s.AD_GROUP: ("Ad Group Name", "Ad group name"),
    s.IMPRESSIONS: ("Impressions", "展示量"),
    s.CLICKS: ("Clicks", "点击量"),
    s.SPEND: ("Spend", "Total cost", "花费"),
    s.AD_SALES: ("7 Day Total Sales", "14 Day Total Sales", "Sales", "7天总销售额"),
    s.AD_ORDERS: ("7 Day Total Orders (#)", "14 Day Total Orders (#)", "Purchases"),
    s.AD_UNITS: ("7 Day Total Units (#)", "14 Day Total Units (#)", "Units sold"),
}

ADS = {
    **_ADS_COMMON,
    s.SKU: ("Advertised SKU", "广告SKU"),
    s.ASIN: ("Advertised ASIN", "广告ASIN"),
}

SEARCH_TERMS = {
    **_ADS_COMMON,
    "targeting": ("Targeting", "投放"),
    "match_type": ("Match Type", "匹配类型"),
    s.SEARCH_TERM: ("Customer Search Term", "Search term", "客户搜索词"),
}

RETURNS = {
    s.DATE: ("return-date", "退货日期"),
    s.ORDER_ID: ("order-id", "订单编号"),
    s.SKU: ("sku",),
    s.ASIN: ("asin",),
    "fnsku": ("fnsku",),
    s.UNITS: ("quantity", "数量"),
    "disposition": ("detailed-disposition",),
    "reason": ("reason", "退货原因"),
    "status": ("status",),
    "license_plate": ("license-plate-number",),
}

PRODUCTS = {
    s.SKU: ("sku", "物料编码"),
    "parent_sku": ("parent_sku", "父SKU"),
    s.ASIN: ("asin",),
    s.PARENT_ASIN: ("parent_asin",),
    s.TITLE: ("title", "品名"),
    s.CATEGORY: ("category", "类目"),
    s.LAUNCH_DATE: ("launch_date", "上市日期"),
    s.LENGTH_CM: ("length_cm",),
    s.WIDTH_CM: ("width_cm",),
    s.HEIGHT_CM: ("height_cm",),
    s.WEIGHT_KG: ("weight_kg",),
    s.UNIT_COST: ("unit_cost", "单位成本"),
    s.PRICE: ("price", "售价"),
    s.PRODUCTION_LINE: ("production_line", "生产线"),
    s.UNITS_PER_HOUR: ("units_per_hour", "每小时产量"),
    s.MOQ: ("moq", "最小起订量"),
    s.CASE_PACK: ("case_pack", "装箱数"),
    "marketplaces": ("marketplaces", "站点"),
}

FACTORY_STOCK = {
    s.SKU: ("物料编码", "sku"),
    s.TITLE: ("品名", "title"),
    "finished_goods": ("成品库存", "finished_goods"),
    "open_production": ("在制数量", "open_production"),
    "open_production_due": ("预计完工日期", "open_production_due"),
}

#: kind → alias table
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "orders": ORDERS,
    "business_report": BUSINESS_REPORT,
    "ledger": LEDGER,
    "planning_report": PLANNING_REPORT,
    "ads": ADS,
    "search_terms": SEARCH_TERMS,
    "returns": RETURNS,
    "products": PRODUCTS,
    "factory_stock": FACTORY_STOCK,
}

#: kind → canonical columns that identify it (kind detection) and must be present
SIGNATURES: dict[str, tuple[str, ...]] = {
    "orders": (s.ORDER_ID, "purchase_date", "status", s.SKU, "quantity", "sales_channel"),
    "business_report": (s.SKU, "sessions", "page_views", "units_ordered"),
    "ledger": (s.DATE, s.SKU, "disposition", "ending_balance"),
    "planning_report": (s.DATE, s.SKU, s.ON_HAND, "age_0_90"),
    "ads": (s.CAMPAIGN, s.AD_GROUP, s.SKU, s.IMPRESSIONS, s.CLICKS, s.SPEND),
    "search_terms": (s.CAMPAIGN, s.AD_GROUP, s.SEARCH_TERM, s.IMPRESSIONS, s.CLICKS, s.SPEND),
    "returns": (s.DATE, s.ORDER_ID, s.SKU, s.UNITS, "reason"),
    "products": (s.SKU, s.UNIT_COST, s.PRODUCTION_LINE, s.MOQ),
    "factory_stock": (s.SKU, "finished_goods", "open_production"),
}

#: normalised header → canonical, per kind (built once at import)
LOOKUP: dict[str, dict[str, str]] = {
    kind: {normalise_header(a): canon for canon, aliases in table.items() for a in aliases}
    for kind, table in ALIASES.items()
}


def display_name(kind: str, canonical: str) -> str:
    """The usual (first, English) header of a canonical column, for messages."""
    return ALIASES[kind][canonical][0]


# --- marketplaces ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MarketplaceInfo:
    """What the readers need to know about an Amazon marketplace."""

    code: str  #: US, DE, JP …
    sales_channel: str  #: ``sales-channel`` value in order exports
    currency: str  #: ISO 4217
    timezone: str  #: IANA zone in which Seller Central counts a day
    date_order: str  #: how its exports write numeric dates: "MDY", "DMY" or "YMD"
    names: tuple[str, ...] = ()  #: other spellings in ``Country``/``Location`` columns


MARKETPLACES: dict[str, MarketplaceInfo] = {
    m.code: m
    for m in (
        MarketplaceInfo(
            "US", "Amazon.com", "USD", "America/Los_Angeles", "MDY", ("United States", "USA")
        ),
        MarketplaceInfo("CA", "Amazon.ca", "CAD", "America/Los_Angeles", "MDY", ("Canada",)),
        MarketplaceInfo("MX", "Amazon.com.mx", "MXN", "America/Mexico_City", "MDY", ("Mexico",)),
        MarketplaceInfo(
            "UK", "Amazon.co.uk", "GBP", "Europe/London", "DMY", ("GB", "United Kingdom")
        ),
        MarketplaceInfo(
            "DE", "Amazon.de", "EUR", "Europe/Berlin", "DMY", ("Germany", "Deutschland")
        ),
        MarketplaceInfo("FR", "Amazon.fr", "EUR", "Europe/Paris", "DMY", ("France",)),
        MarketplaceInfo("IT", "Amazon.it", "EUR", "Europe/Rome", "DMY", ("Italy",)),
        MarketplaceInfo("ES", "Amazon.es", "EUR", "Europe/Madrid", "DMY", ("Spain",)),
        MarketplaceInfo("NL", "Amazon.nl", "EUR", "Europe/Amsterdam", "DMY", ("Netherlands",)),
        MarketplaceInfo("SE", "Amazon.se", "SEK", "Europe/Stockholm", "DMY", ("Sweden",)),
        MarketplaceInfo("PL", "Amazon.pl", "PLN", "Europe/Warsaw", "DMY", ("Poland",)),
        MarketplaceInfo("JP", "Amazon.co.jp", "JPY", "Asia/Tokyo", "YMD", ("Japan", "日本")),
        MarketplaceInfo("AU", "Amazon.com.au", "AUD", "Australia/Sydney", "DMY", ("Australia",)),
    )
}

#: any spelling (code, channel, country name) lower-cased → code
_MARKETPLACE_NAMES: dict[str, str] = {}
for _m in MARKETPLACES.values():
    for _name in (_m.code, _m.sales_channel, *_m.names):
        _MARKETPLACE_NAMES[_name.lower()] = _m.code
_MARKETPLACE_NAMES["gb"] = "UK"

#: currency symbol or code → ISO code
CURRENCY_SYMBOLS: dict[str, str] = {
    "$": "USD",
    "US$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",  # NFKC of the full-width ￥; Amazon JP writes ￥, Chinese exports write CNY/元
    "￥": "JPY",
    "C$": "CAD",
    "A$": "AUD",
}

_DOLLARS = frozenset({"USD", "CAD", "MXN", "AUD"})
#: marks written inside money cells (symbols and ISO codes) → the currencies each may stand for.
#: A money cell whose mark does not stand for its marketplace's currency is quarantined: ``$`` is
#: any dollar (US, CA, MX, AU), ``¥``/``￥`` yen or yuan, ``€`` the euro marketplaces' currency.
CURRENCY_MARKS: dict[str, frozenset[str]] = {
    "US$": frozenset({"USD"}),
    "C$": frozenset({"CAD"}),
    "CA$": frozenset({"CAD"}),
    "A$": frozenset({"AUD"}),
    "AU$": frozenset({"AUD"}),
    "MX$": frozenset({"MXN"}),
    "$": _DOLLARS,
    "€": frozenset({"EUR"}),
    "£": frozenset({"GBP"}),
    "¥": frozenset({"JPY", "CNY"}),
    "￥": frozenset({"JPY", "CNY"}),
    "円": frozenset({"JPY"}),
    "元": frozenset({"CNY"}),
    "RMB": frozenset({"CNY"}),
    "kr": frozenset({"SEK"}),
    "zł": frozenset({"PLN"}),
    **{code: frozenset({code}) for code in ("USD", "CAD", "MXN", "AUD", "EUR", "GBP", "JPY")},
    **{code: frozenset({code}) for code in ("CNY", "SEK", "PLN")},
}


def marketplace_code(name: str) -> str | None:
    """The marketplace code of a ``sales-channel``, ``Location`` or ``Country`` value, or None.

    >>> marketplace_code("Amazon.co.jp"), marketplace_code(" us "), marketplace_code("Non-Amazon")
    ('JP', 'US', None)
    """
    return _MARKETPLACE_NAMES.get(str(name).strip().lower())


def marketplaces_for_currency(currency: str) -> set[str]:
    """Marketplace codes that sell in ``currency`` (ISO code or symbol); EUR gives several."""
    code = CURRENCY_SYMBOLS.get(currency.strip(), currency.strip().upper())
    return {m.code for m in MARKETPLACES.values() if m.currency == code}


_FILENAME_TOKEN = re.compile(r"(?:^|[_\-.\s])([A-Za-z]{2})(?=[_\-.\s]|$)")


def marketplaces_in_filename(name: str) -> set[str]:
    """Marketplace codes written as a token in a file name (``BusinessReport_US_2026.csv``).

    >>> sorted(marketplaces_in_filename("SP_Search_Term_DE_2026.csv"))
    ['DE']
    """
    tokens = {t.upper() for t in _FILENAME_TOKEN.findall(name)}
    tokens = {"UK" if t == "GB" else t for t in tokens}
    return {t for t in tokens if t in MARKETPLACES}
