"""The sample seller's product catalogue: 44 SKUs in 5 categories, with parent/child variations.

The catalogue is a hand-written table of products a Ningbo factory-seller plausibly makes (plastic
home, pet and garden goods on injection lines, steel towing parts, cordless power tools, sewn pet
beds and throws). Everything random about a SKU (its size in the market, which marketplaces sell it,
its dispersion) is drawn from the generator's one ``numpy.random.Generator``; the factory rates
(``units_per_hour``) are set later, in :mod:`forecasting.sample.capacity`, so that the lines' load
matches ``settings.yml``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

#: start of the simulated history (3 years before the as-of date)
HISTORY_START = dt.date(2023, 11, 23)
#: the as-of date of ``settings.yml``: history up to and including this day
AS_OF = dt.date(2026, 11, 22)
MARKETPLACES = ("US", "DE", "JP")
CURRENCY = {"US": "USD", "DE": "EUR", "JP": "JPY"}
SALES_CHANNEL = {"US": "Amazon.com", "DE": "Amazon.de", "JP": "Amazon.co.jp"}

#: category → (customer return rate, brand)
CATEGORY_INFO = {
    "home": (0.05, "Orvida"),
    "pet": (0.06, "PawNest"),
    "garden": (0.04, "GreenRoot"),
    "auto parts": (0.03, "TowPro"),
    "power tools": (0.07, "VoltEdge"),
}

# Parent products: code, category, line, English / German / Japanese / Chinese base names,
# (length, width, height cm), weight kg, unit cost CNY, US price USD, marketplaces allowed,
# relative work content (hours per unit, relative within the line), variants
# (suffix, English, German, Japanese, Chinese), launch (None = before the history).
# fmt: off
_PARENTS: list[tuple] = [
    ("HM-CART", "home", "L1", "3-Drawer Rolling Storage Cart", "Rollwagen mit 3 Schubladen",
     "3段 収納カート キャスター付き", "三层抽屉收纳推车", (62, 40, 18), 6.2, 58.0, 45.99, "US;DE;JP", 1.6, [
      ("WHT", "White", "Weiß", "ホワイト", "白色"), ("GRY", "Grey", "Grau", "グレー", "灰色"),
      ("BLK", "Black", "Schwarz", "ブラック", "黑色")]),
    ("HM-BIN", "home", "L1", "Stackable Storage Bin with Lid 30 L",
     "Stapelbare Aufbewahrungsbox 30 L", "積み重ね 収納ボックス 蓋付き 30L", "可叠加收纳箱带盖30升", (48, 35, 28), 1.9,
     16.5, 24.99, "US;DE;JP", 0.6, [("CLR", "Clear", "Transparent", "クリア", "透明"),
      ("GRY", "Grey", "Grau", "グレー", "灰色")]),
    ("HM-THROW", "home", "L5", "Knitted Throw Blanket 130 x 170 cm", "Strickdecke 130 x 170 cm",
     "ニット ブランケット 130×170cm", "针织毯130x170厘米", (35, 28, 12), 1.1, 31.0, 32.99, "US;DE", 1.0, [
      ("CRM", "Cream", "Creme", "クリーム", "米白"), ("SGE", "Sage", "Salbei", "セージ", "鼠尾草绿"),
      ("GRY", "Grey", "Grau", "グレー", "灰色"), ("RST", "Rust", "Rost", "ラスト", "铁锈红")]),
    ("HM-CADDY", "home", "L1", "Adhesive Corner Shower Caddy", "Duschablage Ecke ohne Bohren",
     "シャワーラック コーナー 貼り付け", "免打孔浴室角架", (30, 22, 8), 0.6, 9.8, 19.99, "US;DE;JP", 0.5, [
      ("", "", "", "", "")]),
    ("HM-CUSH", "home", "L5", "Linen Cushion Cover Set of 2, 45 x 45 cm",
     "Leinen Kissenbezug 2er Set", "リネン クッションカバー 2枚組", "亚麻抱枕套两件装", (30, 25, 3), 0.3, 12.0, 18.99,
     "US", 0.6, [("NAT", "Natural", "Natur", "ナチュラル", "原色"),
      ("NVY", "Navy", "Marine", "ネイビー", "藏青")]),
    ("PT-BED", "pet", "L5", "Orthopedic Dog Bed with Washable Cover", "Orthopädisches Hundebett",
     "犬 ベッド 低反発 洗える", "记忆棉狗窝可拆洗", (60, 45, 20), 2.4, 48.0, 49.99, "US;DE;JP", 1.4, [
      ("S", "Small", "S", "S", "小号"), ("M", "Medium", "M", "M", "中号"),
      ("L", "Large", "L", "L", "大号"), ("XL", "X-Large", "XL", "XL", "特大号")]),
    ("PT-LITTER", "pet", "L2", "Enclosed Cat Litter Box with Lid", "Katzenklo mit Deckel",
     "猫 トイレ フード付き", "全封闭猫砂盆", (55, 42, 40), 2.8, 34.0, 39.99, "US;DE;JP", 1.5, [
      ("GRY", "Grey", "Grau", "グレー", "灰色"), ("WHT", "White", "Weiß", "ホワイト", "白色")]),
    ("PT-FEED", "pet", "L2", "Elevated Dog Bowl Stand", "Erhöhter Futternapf für Hunde",
     "犬 食器台 スタンド", "宠物升高碗架", (40, 24, 12), 1.2, 15.0, 24.99, "US;DE;JP", 0.8, [
      ("S", "Small", "S", "S", "小号"), ("L", "Large", "L", "L", "大号")]),
    ("PT-CARRIER", "pet", "L2", "Hard-Sided Pet Travel Carrier",
     "Transportbox für Katzen und Hunde", "ペットキャリー ハード", "硬壳宠物航空箱", (50, 33, 30), 2.1, 29.0,
     36.99, "US;JP", 1.2, [("", "", "", "", "")]),
    ("PT-MAT", "pet", "L5", "Sisal Cat Scratching Mat", "Sisal Kratzmatte für Katzen",
     "猫 爪とぎ マット 麻", "剑麻猫抓垫", (40, 30, 2), 0.4, 6.5, 14.99, "US;DE;JP", 0.4, [
      ("", "", "", "", "")]),
    ("GD-BED", "garden", "L1", "Raised Garden Bed Kit", "Hochbeet Bausatz", "レイズドベッド 家庭菜園 プランター",
     "高架种植箱套装", (92, 30, 12), 7.5, 72.0, 69.99, "US;DE", 2.0, [
      ("4X2", "4 x 2 ft", "120 x 60 cm", "120×60cm", "120x60厘米"),
      ("6X3", "6 x 3 ft", "180 x 90 cm", "180×90cm", "180x90厘米")]),
    ("GD-POT", "garden", "L2", "Self-Watering Planter", "Selbstbewässernder Blumentopf",
     "自動給水 プランター", "自吸水花盆", (30, 30, 28), 0.9, 8.5, 19.99, "US;DE;JP", 0.5, [
      ("25", "25 cm", "25 cm", "25cm", "25厘米"), ("30", "30 cm", "30 cm", "30cm", "30厘米"),
      ("40", "40 cm", "40 cm", "40cm", "40厘米")]),
    ("GD-COMP", "garden", "L1", "Outdoor Compost Bin 300 L", "Komposter 300 L", "コンポスト 屋外 300L",
     "户外堆肥箱300升", (80, 60, 15), 9.0, 66.0, 79.99, "US;DE", 2.2, [("", "", "", "", "")]),
    ("GD-HOSE", "garden", "L2", "Garden Hose Reel Cart", "Schlauchwagen", "ホースリール カート", "花园水管卷盘车",
     (60, 45, 35), 5.5, 52.0, 59.99, "US;DE", 1.8, [("", "", "", "", "")]),
    ("GD-TRAY", "garden", "L2", "Seed Starter Tray Kit, 5 Pack", "Anzuchtschalen Set 5 Stück",
     "育苗トレー 5個セット", "育苗盘五件套", (38, 25, 10), 1.0, 9.0, 22.99, "US;DE;JP", 0.5, [
      ("", "", "", "", "")]),
    ("AP-CARGO", "auto parts", "L3", "Hitch Cargo Carrier 500 lb", "Heckträger Gepäckkorb",
     "ヒッチキャリア カーゴ", "拖车挂钩行李架", (152, 50, 15), 17.0, 168.0, 129.99, "US", 2.5, [
      ("", "", "", "", "")]),
    ("AP-BALL", "auto parts", "L3", "Trailer Hitch Ball Mount", "Kugelkopf Anhängerkupplung",
     "ヒッチボールマウント", "拖车球头支架", (30, 12, 10), 3.4, 38.0, 34.99, "US;DE", 0.9, [
      ("2IN", "2 in Drop", "5 cm", "5cm", "5厘米落差"),
      ("4IN", "4 in Drop", "10 cm", "10cm", "10厘米落差"),
      ("6IN", "6 in Drop", "15 cm", "15cm", "15厘米落差")]),
    ("AP-RACK", "auto parts", "L3", "Aluminium Roof Rack Cross Bars", "Dachträger Querträger Alu",
     "ルーフラック クロスバー", "铝合金车顶横杆", (122, 12, 8), 4.8, 85.0, 89.99, "US;DE;JP", 1.6, [
      ("43", "43 in", "110 cm", "110cm", "110厘米"), ("48", "48 in", "122 cm", "122cm", "122厘米")]),
    ("AP-PIN", "auto parts", "L3", "Hitch Pin Lock Set", "Kupplungsbolzen Schloss Set",
     "ヒッチピン ロック", "拖车销锁套装", (18, 10, 4), 0.5, 11.0, 17.99, "US", 0.3, [("", "", "", "", "")]),
    ("AP-JACK", "auto parts", "L3", "Steel Jack Stands 3 Ton, Pair", "Unterstellböcke 3 t, Paar",
     "ジャッキスタンド 3トン 2個", "三吨钢制千斤顶支架一对", (35, 25, 25), 8.2, 62.0, 49.99, "US;DE", 1.2, [
      ("", "", "", "", "")]),
    ("TL-DRILL", "power tools", "L4", "20V Cordless Drill Driver Kit",
     "20V Akku-Bohrschrauber Set", "20V 充電式 ドリルドライバー", "20V锂电钻套装", (32, 28, 10), 2.3, 145.0,
     79.99, "US;DE;JP", 1.2, [("1B", "1 Battery", "1 Akku", "バッテリー1個", "单电池"),
      ("2B", "2 Batteries", "2 Akkus", "バッテリー2個", "双电池")]),
    ("TL-GRIND", "power tools", "L4", "4-1/2 in Angle Grinder", "Winkelschleifer 115 mm",
     "ディスクグラインダー 115mm", "115毫米角磨机", (33, 14, 11), 2.2, 98.0, 54.99, "US;DE", 1.0, [
      ("", "", "", "", "")]),
    ("TL-JIG", "power tools", "L4", "Cordless Jigsaw 20V", "Akku-Stichsäge 20V", "充電式 ジグソー 20V",
     "20V锂电曲线锯", (30, 25, 10), 2.0, 112.0, 64.99, "US;DE", 1.1, [("", "", "", "", "")]),
    ("TL-MULTI", "power tools", "L4", "Oscillating Multi-Tool",
     "Multifunktionswerkzeug oszillierend", "マルチツール 振動", "多功能摆动工具", (35, 12, 10), 1.6, 86.0,
     49.99, "US;DE;JP", 0.9, [("", "", "", "", "")]),
    ("TL-SAND", "power tools", "L4", "Random Orbital Sander 125 mm", "Exzenterschleifer 125 mm",
     "ランダムオービットサンダー 125mm", "125毫米偏心砂磨机", (28, 15, 16), 1.7, 78.0, 44.99, "US;DE", 0.9, [
      ("", "", "", "", "")]),
]
# fmt: on

#: SKUs launched during the last 6 months of the history, with their first US sales day
RECENT_LAUNCHES = {
    "HM-THROW-RST": dt.date(2026, 9, 20),
    "PT-BED-XL": dt.date(2026, 7, 10),
    "GD-TRAY": dt.date(2026, 6, 2),
    "TL-SAND": dt.date(2026, 8, 18),
    "AP-JACK": dt.date(2026, 10, 5),
}
#: SKUs launched inside the history, but long enough ago to have a year of sales
MID_LAUNCHES = {
    "PT-CARRIER": dt.date(2024, 9, 16),
    "HM-CADDY": dt.date(2025, 3, 3),
    "GD-POT-40": dt.date(2025, 2, 10),
    "TL-MULTI": dt.date(2024, 5, 6),
}
#: line → (MOQ choices, units) per production order
_MOQ = {"L1": (300, 500), "L2": (500, 1000), "L3": (200, 300), "L4": (200, 300), "L5": (100, 200)}


@dataclass(frozen=True)
class Product:
    """One sellable SKU (a child ASIN or a standalone ASIN)."""

    sku: str
    parent_sku: str  #: empty for a standalone ASIN
    asin: str
    parent_asin: str  #: empty for a standalone ASIN
    fnsku: str
    titles: dict[str, str]  #: marketplace → listing title (EN for US, DE and JP local)
    name_cn: str  #: the factory's Chinese name (ERP 品名)
    category: str
    launch_date: dt.date  #: first day the SKU is sold anywhere
    length_cm: float
    width_cm: float
    height_cm: float
    weight_kg: float
    unit_cost: float  #: CNY per unit
    price: float  #: US list price, USD
    production_line: str
    work_content: float  #: relative hours per unit within the line (calibrated later)
    moq: int  #: units per production order, minimum
    case_pack: int  #: units per carton
    marketplaces: tuple[str, ...]
    return_rate: float  #: share of units returned by customers
    units_per_hour: int = 0  #: line rate, set by :func:`forecasting.sample.capacity.set_line_rates`

    @property
    def volume_cuft(self) -> float:
        """Unit volume in cubic feet (1 ft = 30.48 cm)."""
        return self.length_cm * self.width_cm * self.height_cm / 30.48**3


def _asin(rng: np.random.Generator) -> str:
    alphabet = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"))
    return "B0" + "".join(rng.choice(alphabet, size=8))


def _case_pack(volume_cuft: float) -> int:
    """Units per carton so that a carton stays below ~2.5 cubic feet."""
    for n in (24, 20, 12, 10, 8, 6, 4, 2):
        if n * volume_cuft <= 2.5:
            return n
    return 1


def local_price(price_usd: float, marketplace: str) -> float:
    """List price in the marketplace's currency: USD as is, EUR x.99, JPY rounded to x80 yen.

    >>> local_price(45.99, "DE"), local_price(45.99, "JP")
    (44.99, 6980.0)
    """
    if marketplace == "US":
        return price_usd
    if marketplace == "DE":
        return float(np.ceil(price_usd * 0.97)) - 0.01
    return float(np.ceil(price_usd * 150 / 1000) * 1000 - 20)


def build_catalog(rng: np.random.Generator) -> list[Product]:
    """The 44 products, in a fixed order; ASINs and FNSKUs drawn from ``rng``.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator's only source of randomness.

    Returns
    -------
    list of Product
        One entry per SKU, children grouped under their parent.
    """
    products: list[Product] = []
    for code, cat, line, en, de, ja, cn, dims, kg, cost, usd, mps, work, variants in _PARENTS:
        standalone = len(variants) == 1
        parent_asin = "" if standalone else _asin(rng)
        for i, (suffix, v_en, v_de, v_ja, v_cn) in enumerate(variants):
            sku = code if standalone else f"{code}-{suffix}"
            brand = CATEGORY_INFO[cat][1]
            sep = ", " if v_en else ""
            titles = {
                "US": f"{brand} {en}{sep}{v_en}",
                "DE": f"{brand} {de}{sep}{v_de}",
                "JP": f"{brand} {ja}{' ' if v_ja else ''}{v_ja}",
            }
            scale = (
                1.0 + 0.12 * i
                if not standalone and cat in ("pet", "garden", "power tools")
                else 1.0
            )
            launch = (
                RECENT_LAUNCHES.get(sku)
                or MID_LAUNCHES.get(sku)
                or dt.date(2020 + int(rng.integers(0, 3)), int(rng.integers(1, 13)), 1)
            )
            vol = dims[0] * dims[1] * dims[2] * scale**3 / 30.48**3
            moq_lo, moq_hi = _MOQ[line]
            products.append(
                Product(
                    sku=sku,
                    parent_sku="" if standalone else code,
                    asin=_asin(rng),
                    parent_asin=parent_asin,
                    fnsku="X00"
                    + "".join(rng.choice(list("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"), 7)),
                    titles=titles,
                    name_cn=f"{cn}{'-' if v_cn else ''}{v_cn}",
                    category=cat,
                    launch_date=launch,
                    length_cm=round(dims[0] * scale, 1),
                    width_cm=round(dims[1] * scale, 1),
                    height_cm=round(dims[2] * scale, 1),
                    weight_kg=round(kg * scale**2, 2),
                    unit_cost=round(cost * scale**1.5, 2),
                    price=round(np.ceil(usd * scale**1.5) - 0.01, 2),
                    production_line=line,
                    work_content=work * scale,
                    moq=int(rng.choice([moq_lo, moq_hi])),
                    case_pack=_case_pack(vol),
                    marketplaces=tuple(m for m in MARKETPLACES if m in mps.split(";")),
                    return_rate=CATEGORY_INFO[cat][0],
                )
            )
    return products
