"""Unit economics per SKU × marketplace: what one unit sold earns after every Amazon fee and cost.

Per unit, in the marketplace's own currency (USD, EUR, JPY …)::

    price                   as the buyer pays it (EU / JP: VAT / consumption tax included)
    − VAT                   price × rate ÷ (1 + rate) (0 in the US: sales tax comes on top)
    − referral fee          max(rate(category) × price, minimum per item)
    − FBA fulfilment fee    rate card by size tier and shipping weight (dated fee table)
    − storage               cu ft × monthly rate(season, storage tier) × months held
    − returns processing    max(return rate − threshold, 0) × fee per returned unit
    − landed cost           unit cost + freight (cost_per_kg × chargeable weight) + duty
    = pre-ad margin         → break-even ACOS = pre-ad margin ÷ price
    − ads                   ad spend ÷ units sold over the window
    = contribution margin

    net price = price − VAT; gross margin = (net price − landed cost) ÷ net price
    missed-sale margin = net price − referral − fulfilment − landed cost  (lost by a stock-out)

Break-even ACOS is taken on the price as the buyer pays it, because ad sales are reported so.

Fee rates come from the dated fee tables (:mod:`forecasting.planning.fees`, one table per
marketplace, ``fee_table_name_for``); Amazon's pages behind them: "Referral fees", "Product size
tiers", "FBA fulfillment fees" (rate card of 5 Feb 2024, 2026 price bands), "2024 FBA monthly
inventory storage fee" (GJ9NNG7RK4TU6E3Z) and "Returns processing fee", summarised in the project's
reference notes (amazon-reports-and-fees.md §1). The DE and JP tables are approximations marked
``uncertain``; :func:`unit_economics_table` lists every uncertain row it used.

Defaults where the settings hold nothing (documented, overridable parameters):

- the unit cost is in the settings' ``base_currency`` (the factory's currency, CNY in the sample)
  and is converted with ``fx_to_base`` (base currency per unit of each currency), as is freight
  (``lead_times[].cost_per_kg`` is in the base currency);
- freight uses the sea mode (``mode="sea"``) and the chargeable weight ``max(kg, cm³ ÷ 6000)``,
  the rule the replenishment plan's expedite test uses;
- duty: ``duty_rates`` per marketplace (none configured = 0, said in the output); customs value
  FOB (unit cost) for the US, CIF (unit cost + freight) elsewhere (EU, JP);
- VAT: the standard rate of the marketplace's country (:data:`STANDARD_VAT_RATES`: DE 19 %,
  JP 10 % …; US 0), ``vat_rates`` overrides it (reduced-rate goods); Amazon's fees are taken
  net of VAT (a VAT-registered seller reclaims the VAT on them);
- a unit sold is charged ``months_held = 1`` month of storage at the as-of month's rate;
- the price is the average selling price of the window (revenue ÷ units); without sales it is the
  product master's list price where its currency (``list_price_currency``, USD in the sample) is
  the marketplace's, else unknown (the row says so);
- the return rate is returned ÷ sold units over the window; without sales, ``default_return_rate``.

Written by hand: no library models Amazon's fee schedule.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from forecasting.config import Settings
from forecasting.errors import InputError
from forecasting.planning import fees as fee_mod
from forecasting.schema import (
    CATEGORY,
    DATE,
    HEIGHT_CM,
    LENGTH_CM,
    MARKETPLACE,
    PRICE,
    REVENUE,
    SKU,
    SPEND,
    UNIT_COST,
    UNITS,
    WEIGHT_KG,
    WIDTH_CM,
)

#: Freight volumetric divisor, cm³ per kg (air/express convention; the plan's expedite test uses it).
FREIGHT_DIVISOR_CM3_PER_KG = 6000.0
#: Marketplaces whose customs value is FOB (unit cost only); all others CIF (cost + freight).
FOB_MARKETPLACES = frozenset({"US", "CA", "MX"})
#: Standard VAT / consumption-tax rate included in the marketplace's prices (share); US and CA
#: prices exclude sales tax (0). Reduced rates for some goods: pass ``vat_rates``.
STANDARD_VAT_RATES = {
    "US": 0.0, "CA": 0.0, "MX": 0.16, "UK": 0.20, "DE": 0.19, "FR": 0.20, "IT": 0.22,
    "ES": 0.21, "NL": 0.21, "SE": 0.25, "PL": 0.23, "BE": 0.21, "JP": 0.10, "AU": 0.10,
}  # fmt: skip
#: Product-master columns the unit economics need, per SKU.
NEEDED = (LENGTH_CM, WIDTH_CM, HEIGHT_CM, WEIGHT_KG, UNIT_COST)


@dataclass(frozen=True)
class UnitEconomics:
    """One SKU × marketplace, per unit sold, money in ``currency`` (the marketplace's).

    ``ads_per_unit`` is NaN when there was ad spend but no unit sold in the window (the cost per
    unit is unknown, not zero); ``contribution_margin`` is then NaN too.
    """

    sku: str
    marketplace: str
    currency: str
    price: float  #: as the buyer pays it (VAT included where the marketplace's prices include it)
    vat_per_unit: float  #: VAT / consumption tax inside the price
    size_tier: str
    shipping_weight: float  #: in ``weight_unit`` (lb US, kg EU / JP)
    weight_unit: str
    referral_category: str
    referral_fee: float
    fulfilment_fee: float
    storage_per_unit: float
    return_rate: float  #: returned ÷ sold units (0–1)
    returns_per_unit: float
    unit_cost: float
    freight_per_unit: float
    duty_per_unit: float
    ads_per_unit: float

    @property
    def landed_cost(self) -> float:
        """Unit cost + freight + duty (currency per unit)."""
        return self.unit_cost + self.freight_per_unit + self.duty_per_unit

    @property
    def amazon_fees(self) -> float:
        """Referral + fulfilment + storage + returns processing (currency per unit)."""
        return (
            self.referral_fee + self.fulfilment_fee + self.storage_per_unit + self.returns_per_unit
        )

    @property
    def net_price(self) -> float:
        """Price without VAT: what the seller keeps of the price (currency per unit)."""
        return self.price - self.vat_per_unit

    @property
    def pre_ad_margin(self) -> float:
        """Net price − Amazon fees − landed cost (currency per unit)."""
        return self.net_price - self.amazon_fees - self.landed_cost

    @property
    def contribution_margin(self) -> float:
        """Pre-ad margin − ads per unit (currency per unit)."""
        return self.pre_ad_margin - self.ads_per_unit

    @property
    def gross_margin(self) -> float:
        """(Net price − landed cost) ÷ net price (share, 0–1); NaN without a price."""
        net = self.net_price
        return (net - self.landed_cost) / net if net > 0 else math.nan

    @property
    def break_even_acos(self) -> float:
        """Pre-ad margin ÷ price: the ACoS at which ads eat the whole margin (share)."""
        return self.pre_ad_margin / self.price if self.price > 0 else math.nan

    @property
    def missed_sale_margin(self) -> float:
        """Margin lost by a sale missed in a stock-out: net price − referral − fulfilment −
        landed cost (currency per unit; storage and returns are not incurred by a missed sale)."""
        return self.net_price - self.referral_fee - self.fulfilment_fee - self.landed_cost

    def as_row(self) -> dict[str, object]:
        """The fields and the derived margins as one flat mapping (a table row)."""
        row: dict[str, object] = asdict(self)
        for name in (
            "net_price",
            "amazon_fees",
            "landed_cost",
            "pre_ad_margin",
            "break_even_acos",
            "contribution_margin",
            "gross_margin",
            "missed_sale_margin",
        ):
            row[name] = getattr(self, name)
        net = self.net_price
        row["contribution_share"] = self.contribution_margin / net if net > 0 else math.nan
        return row


def chargeable_weight_kg(
    length_cm: float, width_cm: float, height_cm: float, weight_kg: float
) -> float:
    """Freight chargeable weight (kg): ``max(weight, L × W × H ÷ 6000 cm³/kg)``.

    Examples
    --------
    >>> chargeable_weight_kg(40, 30, 20, 1.5)      # 24 000 cm³ ÷ 6000 = 4 kg > 1.5 kg
    4.0
    """
    return float(max(weight_kg, length_cm * width_cm * height_cm / FREIGHT_DIVISOR_CM3_PER_KG))


def ads_cost_per_unit(ad_spend: float, units_sold: float) -> float:
    """Ad spend per unit sold (currency per unit) over a window: ``spend ÷ units``.

    0 when there was no spend; NaN when there was spend and no unit sold (unknown, never ∞).

    Examples
    --------
    >>> ads_cost_per_unit(300.0, 150), ads_cost_per_unit(0.0, 0), ads_cost_per_unit(12.0, 0)
    (2.0, 0.0, nan)
    """
    if ad_spend <= 0:
        return 0.0
    return float(ad_spend / units_sold) if units_sold > 0 else math.nan


def returns_cost_per_unit(return_rate: float, fee: float, threshold_rate: float = 0.0) -> float:
    """Returns processing cost per unit sold (currency): ``max(rate − threshold, 0) × fee``.

    Examples
    --------
    >>> round(returns_cost_per_unit(0.04, 2.37), 4)
    0.0948
    """
    return float(max(return_rate - threshold_rate, 0.0) * fee)


def storage_cost_per_unit(
    table: fee_mod.FeeTable,
    day: dt.date,
    storage_tier: str,
    cuft_per_unit: float,
    months_held: float = 1.0,
) -> float:
    """Storage fee per unit sold (table currency): ``cu ft × rate(month of day, tier) × months``.

    Examples
    --------
    A 12 × 10 × 6 in unit (0.4167 cu ft), US standard size, June: 0.4167 × $0.78 = $0.325.

    >>> t = fee_mod.load_fee_table("amazon-us-2026")
    >>> round(storage_cost_per_unit(t, dt.date(2025, 6, 1), "standard", 720 / 1728), 4)
    0.325
    """
    return float(cuft_per_unit * fee_mod.storage_rate(table, day, storage_tier) * months_held)


@dataclass(frozen=True, kw_only=True)
class ProductUnit:
    """One packed unit of a SKU from the product master.

    Attributes
    ----------
    sku, category : str
        SKU and its referral-fee category (``""`` = the table's default row).
    length_cm, width_cm, height_cm, weight_kg : float
        Packed unit dimensions (cm) and weight (kg).
    unit_cost : float
        Factory cost per unit in the cost currency (:attr:`MarketTerms.cost_to_local` converts).
    """

    sku: str
    category: str
    length_cm: float
    width_cm: float
    height_cm: float
    weight_kg: float
    unit_cost: float


@dataclass(frozen=True, kw_only=True)
class MarketTerms:
    """Where, when and at what price the unit sells, and what it costs to bring it there.

    Attributes
    ----------
    marketplace : str
        Marketplace code (``US``, ``DE`` …).
    price : float
        Sales price per unit (marketplace currency; VAT included where the marketplace's prices
        include it).
    table : FeeTable
        The marketplace's fee table; ``day`` picks the rates in force.
    day : date
        Day whose fee rates apply.
    cost_to_local : float
        Marketplace currency per unit of the cost currency (unit cost and freight).
    freight_cost_per_kg : float
        Freight, cost currency per kg of :func:`chargeable_weight_kg`.
    duty_rate : float
        Import duty as a share of the customs value: FOB (unit cost) in
        :data:`FOB_MARKETPLACES`, CIF (unit cost + freight) elsewhere.
    vat_rate : float, optional
        VAT rate included in ``price`` (share); default :data:`STANDARD_VAT_RATES` of the
        marketplace (0 where unknown).
    """

    marketplace: str
    price: float
    table: fee_mod.FeeTable
    day: dt.date
    cost_to_local: float
    freight_cost_per_kg: float = 0.0
    duty_rate: float = 0.0
    vat_rate: float | None = None


@dataclass(frozen=True, kw_only=True)
class SalesWindow:
    """What the unit's sales window says about holding, ads and returns.

    Attributes
    ----------
    months_held : float
        Months of storage a unit sold pays (:func:`storage_cost_per_unit`).
    ad_spend, units_sold : float
        Ad spend (marketplace currency) and units sold over the same window.
    return_rate : float
        Returned ÷ sold units (0–1).
    """

    months_held: float = 1.0
    ad_spend: float = 0.0
    units_sold: float = 0.0
    return_rate: float = 0.0


def unit_economics(
    unit: ProductUnit, market: MarketTerms, sales: SalesWindow | None = None
) -> UnitEconomics:
    """Unit economics of one SKU in one marketplace on ``market.day`` (money in its currency).

    Steps: :func:`check_unit` (refuses a unit without dimensions, cost or price),
    :func:`amazon_fees_per_unit` (referral, fulfilment, storage, returns processing) and
    :func:`landed_cost_per_unit` (unit cost, freight, duty); the margins follow from
    :class:`UnitEconomics` (formulas in the module docstring).

    Parameters
    ----------
    unit : ProductUnit
        Dimensions (cm), weight (kg), unit cost (cost currency), category.
    market : MarketTerms
        Marketplace, price, fee table and day, currency conversion, freight, duty, VAT.
    sales : SalesWindow, optional
        Months held, ad spend, units sold and return rate of the window; default none.

    Examples
    --------
    A US large-standard unit (hand-worked in ``tests/planning/test_unit_economics.py``):

    >>> t = fee_mod.load_fee_table("amazon-us-2026")
    >>> ue = unit_economics(
    ...     ProductUnit(sku="A", category="home", length_cm=30.48, width_cm=25.4,
    ...                 height_cm=15.24, weight_kg=1.2 / 2.20462, unit_cost=40.0),
    ...     MarketTerms(marketplace="US", price=25.99, table=t, day=dt.date(2025, 6, 1),
    ...                 cost_to_local=1 / 7.10, freight_cost_per_kg=9.5, duty_rate=0.25),
    ...     SalesWindow(ad_spend=300.0, units_sold=150, return_rate=0.04))
    >>> ue.size_tier, round(ue.fulfilment_fee, 2), round(ue.break_even_acos, 4)
    ('large_standard', 7.64, 0.1677)
    """
    sales = sales or SalesWindow()
    check_unit(unit, market)
    fees = amazon_fees_per_unit(unit, market, sales)
    cost, freight, duty = landed_cost_per_unit(unit, market)
    mp, price = market.marketplace, market.price
    vat = STANDARD_VAT_RATES.get(mp, 0.0) if market.vat_rate is None else market.vat_rate
    return UnitEconomics(
        sku=str(unit.sku),
        marketplace=str(mp),
        currency=market.table.currency,
        price=float(price),
        vat_per_unit=float(price * vat / (1 + vat)),
        return_rate=float(sales.return_rate),
        unit_cost=float(cost),
        freight_per_unit=float(freight),
        duty_per_unit=float(duty),
        ads_per_unit=ads_cost_per_unit(sales.ad_spend, sales.units_sold),
        **fees,
    )


def check_unit(unit: ProductUnit, market: MarketTerms) -> None:
    """Refuse a unit without positive dimensions, weight and cost, or a sale without a price."""
    missing = [
        name
        for name, v in (
            (LENGTH_CM, unit.length_cm),
            (WIDTH_CM, unit.width_cm),
            (HEIGHT_CM, unit.height_cm),
            (WEIGHT_KG, unit.weight_kg),
            (UNIT_COST, unit.unit_cost),
        )
        if v is None or not math.isfinite(float(v)) or float(v) <= 0
    ]
    if missing:
        raise InputError(
            f"product master: SKU {unit.sku} has no positive {', '.join(missing)} "
            "(needed for its size tier, fees and landed cost)",
            column=missing[0],
        )
    price = market.price
    if not (price is not None and math.isfinite(price) and price > 0):
        raise InputError(
            f"SKU {unit.sku} in {market.marketplace}: no price (no sales and no list price)"
        )


def amazon_fees_per_unit(
    unit: ProductUnit, market: MarketTerms, sales: SalesWindow
) -> dict[str, float | str]:
    """Amazon's fees per unit sold (table currency) and what priced them.

    Size tier (:func:`forecasting.planning.fees.fulfilment_size_tier`), referral fee by category,
    fulfilment fee by tier, weight and price, storage for ``months_held`` months
    (:func:`storage_cost_per_unit`), returns processing above the threshold rate
    (:func:`returns_cost_per_unit`); keys are :class:`UnitEconomics` fields.
    """
    t, day, price = market.table, market.day, market.price
    dims = (unit.length_cm, unit.width_cm, unit.height_cm)
    tier = fee_mod.fulfilment_size_tier(t, day, *dims, unit.weight_kg)
    referral, category_used = fee_mod.referral_fee(t, day, unit.category, price)
    cuft = fee_mod.unit_volume_cuft(*dims)
    ret_fee, threshold = fee_mod.returns_processing_fee(t, day, tier.name)
    return {
        "size_tier": tier.name,
        "shipping_weight": tier.shipping_weight,
        "weight_unit": tier.weight_unit,
        "referral_category": category_used,
        "referral_fee": referral,
        "fulfilment_fee": fee_mod.fulfilment_fee(t, day, tier, price),
        "storage_per_unit": storage_cost_per_unit(
            t, day, tier.storage_tier, cuft, sales.months_held
        ),
        "returns_per_unit": returns_cost_per_unit(sales.return_rate, ret_fee, threshold),
    }


def landed_cost_per_unit(unit: ProductUnit, market: MarketTerms) -> tuple[float, float, float]:
    """Unit cost, freight and duty per unit in the marketplace currency.

    Formula: cost = unit cost × ``cost_to_local``; freight = ``freight_cost_per_kg`` ×
    :func:`chargeable_weight_kg` × ``cost_to_local``; duty = ``duty_rate`` × customs value (FOB =
    cost in :data:`FOB_MARKETPLACES`, CIF = cost + freight elsewhere).
    """
    cost = unit.unit_cost * market.cost_to_local
    weight = chargeable_weight_kg(unit.length_cm, unit.width_cm, unit.height_cm, unit.weight_kg)
    freight = market.freight_cost_per_kg * weight * market.cost_to_local
    customs_value = cost if market.marketplace in FOB_MARKETPLACES else cost + freight
    return cost, freight, market.duty_rate * customs_value


def _window_sum(
    frame: pd.DataFrame | None, column: str, start: pd.Timestamp, end: pd.Timestamp
) -> pd.Series:
    """Σ column per (sku, marketplace) over dates in (start, end]."""
    if frame is None or frame.empty or column not in frame.columns:
        return pd.Series(dtype=float)
    d = pd.to_datetime(frame[DATE])
    part = frame.loc[(d > start) & (d <= end)]
    return part.groupby([SKU, MARKETPLACE])[column].sum().astype(float)


def unit_economics_table(
    products: pd.DataFrame,
    settings: Settings,
    *,
    sales: pd.DataFrame | None = None,
    ads: pd.DataFrame | None = None,
    returns: pd.DataFrame | None = None,
    as_of: dt.date | None = None,
    window_days: int = 90,
    mode: str = "sea",
    duty_rates: Mapping[str, float] | None = None,
    vat_rates: Mapping[str, float] | None = None,
    months_held: float = 1.0,
    cost_currency: str | None = None,
    list_price_currency: str = "USD",
    default_return_rate: float = 0.0,
    strict: bool = False,
) -> tuple[pd.DataFrame, list[str]]:
    """Unit economics of every SKU × marketplace in the product master (its ``marketplaces``).

    Prices, ad spend per unit and return rates come from the last ``window_days`` days up to
    ``as_of`` (default: the settings' as-of date); fee rates are those in force on ``as_of``.

    Parameters
    ----------
    products : DataFrame
        ``store.products()``: sku, category, length_cm, width_cm, height_cm, weight_kg,
        unit_cost (cost currency), price (list price, ``list_price_currency``), marketplaces.
    settings : Settings
        Marketplaces (currency), ``fx_to_base``, ``base_currency``, lead times (``cost_per_kg``
        of ``mode``), ``fee_table``.
    sales, ads, returns : DataFrame, optional
        ``store.sales()`` (units, revenue), ``store.ads()`` (spend), ``store.returns()`` (units).
    duty_rates : mapping marketplace → share, optional
        Import duty rate per marketplace; missing = 0 (column ``duty_configured`` False).
    vat_rates : mapping marketplace → share, optional
        VAT rate in the marketplace's prices; missing = :data:`STANDARD_VAT_RATES`.
    strict : bool
        Raise the first problem (missing dimension, price or rate) instead of reporting it.

    Returns
    -------
    (DataFrame, list of str)
        One row per SKU × marketplace: the :class:`UnitEconomics` fields and margins plus
        ``price_source`` (``sales`` / ``list``), ``units_sold``, ``ad_spend``,
        ``return_rate_source`` (``returns`` / ``default``), ``duty_configured``, ``fee_table``
        and ``problem`` (empty when the row is complete; margins NaN when not); and the notes of
        every uncertain fee-table row used.
    """
    day = as_of or settings.as_of
    if day is None:
        raise InputError("unit economics need an as-of date (settings as_of or the parameter)")
    end = pd.Timestamp(day)
    window = _SalesTotals.over(sales, ads, returns, end - pd.Timedelta(days=window_days), end)
    terms = _TableTerms(
        settings=settings,
        day=day,
        cost_currency=cost_currency or settings.base_currency,
        mode=mode,
        duty_rates=dict(duty_rates or {}),
        vat_rates=dict(vat_rates or {}),
        months_held=months_held,
        list_price_currency=list_price_currency,
        default_return_rate=default_return_rate,
    )
    rows: list[dict[str, object]] = []
    notes: list[str] = []
    tables: dict[str, fee_mod.FeeTable] = {}
    for rec in products.sort_values(SKU).to_dict("records"):
        listed = [m for m in str(rec.get("marketplaces") or "").split(";") if m]
        for mp in listed:
            try:
                settings.marketplace(mp)
            except InputError:
                continue  # sold where the settings plan nothing: not this report's business
            name = fee_mod.fee_table_name_for(mp, settings.fee_table)
            if name not in tables:
                tables[name] = fee_mod.load_fee_table(name)
                notes += fee_mod.uncertain_unit_economics_rows(tables[name], day)
            rows.append(_table_row(rec, mp, tables[name], window, terms, strict=strict))
    out = pd.DataFrame(rows)
    return out.reindex(columns=TABLE_COLUMNS), notes


@dataclass(frozen=True)
class _SalesTotals:
    """Units sold, revenue, ad spend and units returned per (sku, marketplace) over a window."""

    units: pd.Series
    revenue: pd.Series
    spend: pd.Series
    returned: pd.Series

    @classmethod
    def over(
        cls,
        sales: pd.DataFrame | None,
        ads: pd.DataFrame | None,
        returns: pd.DataFrame | None,
        start: pd.Timestamp,
        end: pd.Timestamp,
    ) -> _SalesTotals:
        return cls(
            units=_window_sum(sales, UNITS, start, end),
            revenue=_window_sum(sales, REVENUE, start, end),
            spend=_window_sum(ads, SPEND, start, end),
            returned=_window_sum(returns, UNITS, start, end),
        )


@dataclass(frozen=True, kw_only=True)
class _TableTerms:
    """The table-wide choices of :func:`unit_economics_table` (see its parameters)."""

    settings: Settings
    day: dt.date
    cost_currency: str
    mode: str
    duty_rates: dict[str, float]
    vat_rates: dict[str, float]
    months_held: float
    list_price_currency: str
    default_return_rate: float


def _table_row(
    rec: Mapping[str, object],
    mp: str,
    table: fee_mod.FeeTable,
    window: _SalesTotals,
    terms: _TableTerms,
    *,
    strict: bool,
) -> dict[str, object]:
    """One row of :func:`unit_economics_table`: the unit economics or the problem that stops them."""
    settings, sku = terms.settings, str(rec[SKU])
    currency = settings.marketplace(mp).currency
    key = (sku, mp)
    sold = float(window.units.get(key, 0.0))
    row: dict[str, object] = {SKU: sku, MARKETPLACE: mp, "currency": currency}
    try:
        if table.currency != currency:
            raise InputError(
                f"fee table {table.name} is in {table.currency}, marketplace {mp} in {currency}",
                file=table.source,
                column="currency",
            )
        cost_cur = terms.cost_currency
        rate = _cost_to_local(settings, cost_cur, currency)
        price, price_source = _price(
            rec, sold, float(window.revenue.get(key, 0.0)), currency, terms.list_price_currency
        )
        # cost_per_kg is in the base currency: into the cost currency
        freight = _lead_time_cost(settings, mp, terms.mode) * _cost_to_local(
            settings, settings.base_currency, cost_cur
        )
        ue = unit_economics(
            ProductUnit(
                sku=sku,
                category=str(rec.get(CATEGORY) or ""),
                length_cm=_num(rec.get(LENGTH_CM)),
                width_cm=_num(rec.get(WIDTH_CM)),
                height_cm=_num(rec.get(HEIGHT_CM)),
                weight_kg=_num(rec.get(WEIGHT_KG)),
                unit_cost=_num(rec.get(UNIT_COST)),
            ),
            MarketTerms(
                marketplace=mp,
                price=price,
                table=table,
                day=terms.day,
                cost_to_local=rate,
                freight_cost_per_kg=freight,
                duty_rate=float(terms.duty_rates.get(mp, 0.0)),
                vat_rate=terms.vat_rates.get(mp),
            ),
            SalesWindow(
                months_held=terms.months_held,
                ad_spend=float(window.spend.get(key, 0.0)),
                units_sold=sold,
                return_rate=float(window.returned.get(key, 0.0)) / sold
                if sold > 0
                else terms.default_return_rate,
            ),
        )
        row.update(ue.as_row())
        row["price_source"] = price_source
        row["return_rate_source"] = "returns" if sold > 0 else "default"
        row["problem"] = (
            "ad spend without a unit sold in the window: ads per unit unknown"
            if math.isnan(ue.ads_per_unit)
            else ""
        )
    except InputError as exc:
        if strict:
            raise
        row["problem"] = exc.one_line()
    row["units_sold"] = sold
    row["ad_spend"] = float(window.spend.get(key, 0.0))
    row["duty_configured"] = mp in terms.duty_rates
    row["fee_table"] = table.name
    return row


TABLE_COLUMNS = [
    SKU, MARKETPLACE, "currency", "price", "price_source", "vat_per_unit", "net_price",
    "units_sold", "size_tier",
    "shipping_weight", "weight_unit", "referral_category", "referral_fee", "fulfilment_fee",
    "storage_per_unit", "return_rate", "return_rate_source", "returns_per_unit", "unit_cost",
    "freight_per_unit", "duty_per_unit", "duty_configured", "landed_cost", "amazon_fees",
    "pre_ad_margin", "break_even_acos", "ad_spend", "ads_per_unit", "contribution_margin",
    "contribution_share", "gross_margin", "missed_sale_margin", "fee_table", "problem",
]  # fmt: skip


#: The columns report 05 shows, money columns (marketplace currency) and shares (0–1).
VIEW_COLUMNS = [
    SKU, MARKETPLACE, "price", "vat_per_unit", "size_tier", "referral_fee", "fulfilment_fee", "storage_per_unit",
    "returns_per_unit", "landed_cost", "pre_ad_margin", "break_even_acos", "ads_per_unit",
    "contribution_margin", "contribution_share", "gross_margin", "problem",
]  # fmt: skip
MONEY_COLUMNS = [
    "price", "vat_per_unit", "net_price", "referral_fee", "fulfilment_fee", "storage_per_unit", "returns_per_unit",
    "unit_cost", "freight_per_unit", "duty_per_unit", "landed_cost", "amazon_fees",
    "pre_ad_margin", "ad_spend", "ads_per_unit", "contribution_margin", "missed_sale_margin",
]  # fmt: skip
SHARE_COLUMNS = ["return_rate", "break_even_acos", "contribution_share", "gross_margin"]


def _num(v: object) -> float:
    try:
        x = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return x


def _price(
    rec: Mapping[str, object], sold: float, revenue: float, currency: str, list_currency: str
) -> tuple[float, str]:
    """Average selling price of the window, else the list price in its own currency."""
    if sold > 0 and revenue > 0:
        return revenue / sold, "sales"
    listed = _num(rec.get(PRICE))
    if currency == list_currency and math.isfinite(listed) and listed > 0:
        return listed, "list"
    raise InputError(
        f"SKU {rec[SKU]}: no sales in the window and no list price in {currency} "
        f"(the product master's price is in {list_currency})",
        column=PRICE,
    )


def _cost_to_local(settings: Settings, cost_currency: str, local: str) -> float:
    """Units of ``local`` per unit of ``cost_currency``, through ``fx_to_base`` (base = 1)."""
    fx = dict(settings.fx_to_base)
    fx.setdefault(settings.base_currency, 1.0)
    for cur in (cost_currency, local):
        if cur not in fx or not fx[cur] > 0:
            raise InputError(
                f"no exchange rate for {cur} (base currency per unit)",
                file=settings.source or None,
                column=f"fx_to_base.{cur}",
            )
    return float(fx[cost_currency] / fx[local])


def _lead_time_cost(settings: Settings, marketplace: str, mode: str) -> float:
    """Freight cost per kg (base currency) of ``mode`` to ``marketplace`` from the settings."""
    return float(settings.lead_time(marketplace, mode).cost_per_kg)


def margin_lookup(table: pd.DataFrame, column: str = "missed_sale_margin") -> dict[tuple, float]:
    """``{(sku, marketplace): value}`` of a :func:`unit_economics_table` column (NaN skipped).

    For the replenishment policy's service level (issue 12): the margin lost per missed sale.
    """
    part = table.loc[np.isfinite(pd.to_numeric(table[column], errors="coerce"))]
    return {
        (str(s), str(m)): float(v)
        for s, m, v in zip(part[SKU], part[MARKETPLACE], part[column], strict=True)
    }
