"""Amazon FBA fees from versioned, dated fee tables; FIFO ageing of projected stock.

Fee rates live in YAML tables under ``planning/fee_tables/`` (``amazon-us-2026.yml`` …), never in
code: every row carries ``effective_from`` / ``effective_to`` dates (inclusive) so a date picks the
rows in force, and rows resting on a single or conflicting source carry ``uncertain: true`` and a
``note``. Money is in the table's ``currency``, volume in cubic feet (cu ft).

Covered: monthly storage fee (by season and size tier), aged inventory surcharge (tiers by age,
``max(per cu ft × volume, per unit)``, assessed on the 15th; FIFO age), low-inventory-level fee
(per unit shipped by historical days of supply band) and capacity limits / overage; for the unit
economics (:mod:`forecasting.planning.unit_economics`) the size tiers (table units: in/lb in the US,
cm/kg in EU/JP; dimensional-weight divisor 139 in³/lb or 5000 cm³/kg), the fulfilment rate card
by tier, shipping weight and price band, surcharges, referral rates by category (minimum per item)
and the returns processing fee. Written by hand: no library models Amazon's fee schedule.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from forecasting.errors import InputError

FEE_TABLE_DIR = Path(__file__).resolve().parent / "fee_tables"
CM_PER_INCH = 2.54
LB_PER_KG = 2.20462
CUFT_PER_CM3 = 1 / 28316.846592


@dataclass(frozen=True, kw_only=True)
class FeeThresholds:
    """The day and unit thresholds of a fee table that bound the plan (read from the table only).

    Attributes
    ----------
    lilf_threshold_days : float
        Historical days of supply (days) below which the low-inventory-level fee applies
        (``low_inventory_fee.threshold_days``; 28 in the 2026 tables).
    lilf_exempt_below_units_7d : float
        Units shipped in the past 7 days below which a product is exempt from that fee
        (``low_inventory_fee.exempt_below_units_shipped_7d``; 20).
    aged_after_days : int
        Age (days) after which the aged inventory surcharge applies: the first surcharge band's
        ``min_age_days`` − 1 (band 181–210 days → 180; stock must sell within 180 days).
    """

    lilf_threshold_days: float
    lilf_exempt_below_units_7d: float
    aged_after_days: int


@dataclass(frozen=True)
class FeeTable:
    """One parsed fee table. ``rows`` keep the YAML mappings (dates parsed).

    The thresholds that bound the plan are the table's own (:attr:`thresholds`,
    :attr:`lilf_threshold_days`, :attr:`aged_after_days`); :func:`load_fee_table` refuses a table
    without them.
    """

    name: str
    marketplace: str
    currency: str
    storage: tuple[dict[str, Any], ...]
    aged_surcharge: tuple[dict[str, Any], ...]
    low_inventory: dict[str, Any]
    capacity: dict[str, Any]
    source: str
    #: unit-economics sections (empty when a table has none): length / weight units, the
    #: dimensional-weight rule, size tiers, fulfilment rate card, 2026 price-band additions,
    #: surcharges on the fulfilment fee, referral rates by category, returns processing fee
    units: dict[str, str] = field(default_factory=dict)
    dimensional_weight: dict[str, Any] = field(default_factory=dict)
    size_tiers: tuple[dict[str, Any], ...] = ()
    fulfilment: tuple[dict[str, Any], ...] = ()
    fulfilment_price_bands: tuple[dict[str, Any], ...] = ()
    fulfilment_surcharges: tuple[dict[str, Any], ...] = ()
    referral: tuple[dict[str, Any], ...] = ()
    returns_processing: tuple[dict[str, Any], ...] = ()

    @property
    def lilf_threshold_days(self) -> float:
        """Historical days of supply (days) below which the low-inventory-level fee applies."""
        return float(self.low_inventory["threshold_days"])

    @property
    def lilf_exempt_below_units_7d(self) -> float:
        """Units shipped in 7 days below which the low-inventory-level fee is not charged."""
        return float(self.low_inventory["exempt_below_units_shipped_7d"])

    @property
    def aged_after_days(self) -> int:
        """Age (days) after which the aged surcharge applies: first band's ``min_age_days`` − 1."""
        return int(min(int(r["min_age_days"]) for r in self.aged_surcharge)) - 1

    @property
    def thresholds(self) -> FeeThresholds:
        """The table's :class:`FeeThresholds` (LILF threshold and exemption, aged-inventory age)."""
        return FeeThresholds(
            lilf_threshold_days=self.lilf_threshold_days,
            lilf_exempt_below_units_7d=self.lilf_exempt_below_units_7d,
            aged_after_days=self.aged_after_days,
        )

    def uncertain_rows(self) -> list[str]:
        """Human-readable list of the rows marked ``uncertain: true`` (for the plan's notes)."""
        out = []
        for part, rows in (
            ("storage", self.storage),
            ("aged_surcharge", self.aged_surcharge),
            ("low_inventory_fee", tuple(self.low_inventory.get("rows", ()))),
        ):
            for r in rows:
                if r.get("uncertain"):
                    out.append(f"{self.name} {part}: {r.get('note', 'uncertain')}")
        if self.capacity.get("uncertain"):
            out.append(f"{self.name} capacity: {self.capacity.get('note', 'uncertain')}")
        return out


def _in_force(rows: tuple[dict[str, Any], ...], day: dt.date) -> list[dict[str, Any]]:
    return [
        r
        for r in rows
        if r["effective_from"] <= day
        and (r.get("effective_to") is None or day <= r["effective_to"])
    ]


def _parse_rows(rows: Any, key: str, file: str, required: tuple[str, ...]) -> tuple[dict, ...]:
    if not isinstance(rows, list):
        raise InputError("expected a list", file=file, column=key)
    out = []
    for i, r in enumerate(rows):
        where = f"{key}[{i}]"
        if not isinstance(r, dict):
            raise InputError("expected a mapping", file=file, column=where)
        for k in (*required, "effective_from"):
            if k not in r:
                raise InputError("missing key", file=file, column=f"{where}.{k}")
        r = dict(r)
        for k in ("effective_from", "effective_to"):
            v = r.get(k)
            if v is not None and not isinstance(v, dt.date):
                try:
                    r[k] = dt.date.fromisoformat(str(v))
                except ValueError:
                    raise InputError(
                        f"not a date: {v!r}", file=file, column=f"{where}.{k}"
                    ) from None
        out.append(r)
    return tuple(out)


def load_fee_table(name_or_path: str | Path) -> FeeTable:
    """Load a fee table by name (``"amazon-us-2026"``, from ``planning/fee_tables/``) or path.

    Raises :class:`InputError` naming the file and key of anything missing or malformed.
    """
    p = Path(name_or_path)
    if p.suffix not in (".yml", ".yaml"):
        p = FEE_TABLE_DIR / f"{name_or_path}.yml"
    if not p.exists():
        known = sorted(x.stem for x in FEE_TABLE_DIR.glob("*.yml"))
        raise InputError(f"fee table '{name_or_path}' not found (known: {known})", file=p)
    raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    f = str(p)
    if not isinstance(raw, dict):
        raise InputError("fee table is not a YAML mapping", file=f)
    for k in ("name", "marketplace", "currency", "storage", "aged_surcharge"):
        if k not in raw:
            raise InputError("missing key", file=f, column=k)
    lilf = dict(raw.get("low_inventory_fee") or {})
    lilf["rows"] = _parse_rows(
        lilf.get("rows", []), "low_inventory_fee.rows", f, ("size_tier", "min_days", "max_days")
    )
    storage = _parse_rows(raw["storage"], "storage", f, ("size_tier", "months", "rate"))
    aged = _parse_rows(raw["aged_surcharge"], "aged_surcharge", f, ("min_age_days",))
    _check_thresholds(lilf, aged, f)
    return FeeTable(
        name=str(raw["name"]),
        marketplace=str(raw["marketplace"]),
        currency=str(raw["currency"]),
        storage=storage,
        aged_surcharge=aged,
        low_inventory=lilf,
        capacity=dict(raw.get("capacity") or {}),
        source=f,
        **_unit_economics_sections(raw, f),
    )


def _check_thresholds(lilf: dict[str, Any], aged: tuple[dict[str, Any], ...], file: str) -> None:
    """Refuse a table without the thresholds the plan reads from it (never defaulted)."""
    for key in ("threshold_days", "exempt_below_units_shipped_7d"):
        value = lilf.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
            raise InputError(
                "missing key or not a number ≥ 0", file=file, column=f"low_inventory_fee.{key}"
            )
    if not aged:
        raise InputError(
            "no aged-surcharge band: the aged-inventory age is the first band's min_age_days − 1",
            file=file,
            column="aged_surcharge",
        )
    for i, r in enumerate(aged):
        value = r["min_age_days"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InputError(
                f"not a whole number of days ≥ 1: {value!r}",
                file=file,
                column=f"aged_surcharge[{i}].min_age_days",
            )


#: section → keys every row of it needs (besides ``effective_from``)
_UNIT_ECONOMICS_ROWS: dict[str, tuple[str, ...]] = {
    "size_tiers": ("size_tier", "weight_basis", "storage_tier"),
    "fulfilment": ("size_tier", "min_weight", "fee"),
    "fulfilment_price_bands": ("size_tier", "add"),
    "fulfilment_surcharges": ("name", "rate"),
    "referral": ("category", "rate"),
    "returns_processing": ("size_tier", "fee"),
}


def _unit_economics_sections(raw: dict, file: str) -> dict[str, Any]:
    """Parse the optional unit-economics sections of a fee table (see :data:`FeeTable`)."""
    out: dict[str, Any] = {}
    for key, required in _UNIT_ECONOMICS_ROWS.items():
        out[key] = _parse_rows(raw.get(key) or [], key, file, required)
    for r in out["size_tiers"]:
        if r["weight_basis"] not in ("unit", "shipping"):
            raise InputError(
                f"weight_basis must be 'unit' or 'shipping', not {r['weight_basis']!r}",
                file=file,
                column="size_tiers",
            )
    units = dict(raw.get("units") or {})
    if out["size_tiers"] and units not in (
        {"length": "in", "weight": "lb"},
        {"length": "cm", "weight": "kg"},
    ):
        raise InputError(
            f"units must be {{length: in, weight: lb}} or {{length: cm, weight: kg}}, not {units}",
            file=file,
            column="units",
        )
    dim = dict(raw.get("dimensional_weight") or {})
    if out["size_tiers"] and not float(dim.get("divisor", 0)) > 0:
        raise InputError("needs a positive divisor", file=file, column="dimensional_weight.divisor")
    out["units"] = units
    out["dimensional_weight"] = dim
    return out


def fee_table_name_for(marketplace: str, default: str) -> str:
    """Fee table for a marketplace: ``default`` with its marketplace code swapped, if it exists.

    ``amazon-us-2026`` for ``DE`` → ``amazon-de-2026`` when that file exists, else ``default``.

    Examples
    --------
    >>> fee_table_name_for("JP", "amazon-us-2026")
    'amazon-jp-2026'
    >>> fee_table_name_for("XX", "amazon-us-2026")
    'amazon-us-2026'
    """
    parts = default.split("-")
    if len(parts) >= 3:
        candidate = "-".join([parts[0], marketplace.lower(), *parts[2:]])
        if (FEE_TABLE_DIR / f"{candidate}.yml").exists():
            return candidate
    return default


def fee_thresholds_by_marketplace(
    marketplaces: Iterable[str], fee_table: str
) -> dict[str, FeeThresholds]:
    """The :class:`FeeThresholds` of each marketplace's fee table (:func:`fee_table_name_for`).

    For callers that show the fee limits without planning (the inventory-health report and its
    chart): the LILF threshold (days), its exemption (units in 7 days) and the aged-inventory age
    (days), read from the tables the plan uses.

    Examples
    --------
    >>> fee_thresholds_by_marketplace(["US"], "amazon-us-2026")["US"].aged_after_days
    180
    """
    return {mp: load_fee_table(fee_table_name_for(mp, fee_table)).thresholds for mp in marketplaces}


def size_tier(length_cm: float, width_cm: float, height_cm: float, weight_kg: float) -> str:
    """Amazon US size tier of a unit from its dimensions (cm) and weight (kg).

    ``small_standard`` (≤ 16 oz, ≤ 15 × 12 × 0.75 in), ``large_standard_3lb`` / ``_20lb``
    (≤ 18 × 14 × 8 in, ≤ 3 lb / ≤ 20 lb), else ``oversize`` (large bulky / extra-large).

    Examples
    --------
    >>> size_tier(30, 20, 10, 1.0)
    'large_standard_3lb'
    >>> size_tier(150, 60, 50, 20)
    'oversize'
    """
    dims = sorted((length_cm / CM_PER_INCH, width_cm / CM_PER_INCH, height_cm / CM_PER_INCH))
    short, median, longest = dims
    lb = weight_kg * LB_PER_KG
    if lb <= 1 and longest <= 15 and median <= 12 and short <= 0.75:
        return "small_standard"
    if lb <= 20 and longest <= 18 and median <= 14 and short <= 8:
        return "large_standard_3lb" if lb <= 3 else "large_standard_20lb"
    return "oversize"


def storage_tier(tier: str) -> str:
    """Storage-fee tier (``standard`` / ``oversize``) of a :func:`size_tier`."""
    return "oversize" if tier == "oversize" else "standard"


def storage_rate(table: FeeTable, day: dt.date, tier: str) -> float:
    """Monthly storage rate (currency per cu ft) in force on ``day`` for a storage tier.

    When several rows are in force the one with the latest ``effective_from`` wins.

    Examples
    --------
    >>> t = load_fee_table("amazon-us-2026")
    >>> storage_rate(t, dt.date(2026, 11, 1), "standard"), storage_rate(t, dt.date(2024, 3, 1), "standard")
    (2.4, 0.87)
    """
    rows = [r for r in _in_force(table.storage, day) if r["size_tier"] == storage_tier(tier)]
    rows = [r for r in rows if day.month in r["months"]]
    if not rows:
        raise InputError(
            f"no storage rate for {tier} on {day} in fee table {table.name}", file=table.source
        )
    return float(max(rows, key=lambda r: r["effective_from"])["rate"])


def storage_fee(
    units: float, cuft_per_unit: float, day: dt.date, tier: str, table: FeeTable
) -> float:
    """Monthly storage fee (currency) of ``units`` held on average over the month of ``day``.

    Formula: ``fee = units × cu ft per unit × rate(month, tier)``.

    Examples
    --------
    100 standard-size units of 0.5 cu ft in November: 100 × 0.5 × $2.40 = $120:

    >>> t = load_fee_table("amazon-us-2026")
    >>> round(storage_fee(100, 0.5, dt.date(2026, 11, 15), "large_standard_3lb", t), 2)
    120.0
    """
    return units * cuft_per_unit * storage_rate(table, day, tier)


def aged_surcharge_per_unit(
    table: FeeTable, day: dt.date, age_days: int, cuft_per_unit: float
) -> float:
    """Aged inventory surcharge (currency) per unit of this age on the snapshot ``day``.

    Formula: ``max(per_cuft × cu ft per unit, per_unit)`` of the tier whose age range holds
    ``age_days``; 0 up to the table's :attr:`FeeTable.aged_after_days` (180 days).

    Examples
    --------
    >>> t = load_fee_table("amazon-us-2026")
    >>> aged_surcharge_per_unit(t, dt.date(2026, 6, 15), 200, 1.0)     # 181–210 tier
    0.5
    >>> aged_surcharge_per_unit(t, dt.date(2026, 6, 15), 400, 0.02)    # max(6.90·0.02, 0.30)
    0.3
    >>> aged_surcharge_per_unit(t, dt.date(2025, 6, 15), 400, 0.02)    # before 2026: $0.15/unit
    0.15
    >>> round(aged_surcharge_per_unit(t, dt.date(2026, 6, 15), 500, 1.0), 2)   # 456+: 7.90/cu ft
    7.9
    """
    if age_days <= table.aged_after_days:
        return 0.0
    best = None
    for r in _in_force(table.aged_surcharge, day):
        hi = r.get("max_age_days")
        if (
            r["min_age_days"] <= age_days
            and (hi is None or age_days <= hi)
            and (best is None or r["effective_from"] > best["effective_from"])
        ):
            best = r
    if best is None:
        return 0.0
    return max(float(best.get("per_cuft", 0.0)) * cuft_per_unit, float(best.get("per_unit", 0.0)))


def low_inventory_fee_per_unit(
    table: FeeTable,
    day: dt.date,
    tier: str,
    historical_days_of_supply: float,
    units_shipped_7d: float = math.inf,
) -> float:
    """Low-inventory-level fee (currency per unit shipped) at a historical days of supply (days).

    Zero when days of supply ≥ the table's threshold (28), when fewer units than the table's
    exemption (20) shipped in the past 7 days (exemption since 15 May 2024) or for tiers without
    rows.

    Examples
    --------
    >>> t = load_fee_table("amazon-us-2026")
    >>> low_inventory_fee_per_unit(t, dt.date(2026, 5, 1), "large_standard_3lb", 10)
    0.97
    >>> low_inventory_fee_per_unit(t, dt.date(2026, 5, 1), "large_standard_3lb", 10, 12)
    0.0
    """
    if historical_days_of_supply >= table.lilf_threshold_days:
        return 0.0
    if units_shipped_7d < table.lilf_exempt_below_units_7d:
        return 0.0
    for r in _in_force(table.low_inventory.get("rows", ()), day):
        if r["size_tier"] == tier and r["min_days"] <= historical_days_of_supply < r["max_days"]:
            return float(r["fee"])
    return 0.0


def capacity_limits(table: FeeTable, overrides: dict[str, float] | None = None) -> dict[str, float]:
    """FBA capacity limit (cu ft per month) per storage tier: settings override the table default."""
    limits = {
        str(k): float(v) for k, v in (table.capacity.get("default_limits_cuft") or {}).items()
    }
    limits.update({str(k): float(v) for k, v in (overrides or {}).items()})
    return limits


def unit_volume_cuft(length_cm: float, width_cm: float, height_cm: float) -> float:
    """Volume of one unit in cubic feet from its dimensions in cm (1 cu ft = 28 316.85 cm³).

    Examples
    --------
    >>> round(unit_volume_cuft(30.48, 30.48, 30.48), 6)
    1.0
    """
    return float(length_cm * width_cm * height_cm * CUFT_PER_CM3)


@dataclass
class FifoResult:
    """Outcome of :func:`project_fifo_fees` on one projected stock path (all in units/currency)."""

    on_hand: np.ndarray  #: units at the end of each day
    storage_fee: float  #: projected monthly storage fees over the days, pro rata per day
    aged_fee: float  #: projected aged surcharge on the 15th-of-month snapshots
    max_aged_units: float  #: most units older than the aged-inventory age (180 days) on any day
    first_aged_day: int | None  #: first day index with units older than that age


def project_fifo_fees(
    start: dt.date,
    lots: list[tuple[float, float]],
    arrivals: np.ndarray,
    demand: np.ndarray,
    *,
    cuft_per_unit: float,
    tier: str,
    table: FeeTable,
) -> FifoResult:
    """Project stock day by day with FIFO ageing and tally storage and aged fees.

    Day ``i`` is ``start + i``. Each day: arrivals join as a lot of age 0, demand is served from the
    oldest lot first (Amazon counts age FIFO across the network; unmet demand is lost), every lot
    ages one day; the storage fee accrues ``on hand × cu ft × rate / days in month``; on the 15th
    the aged surcharge of every lot older than the table's aged-inventory age (180 days) is charged.

    Parameters
    ----------
    lots : list of (age_days, units)
        Stock on hand at the start (e.g. the midpoints of the report's age buckets).
    arrivals, demand : array
        Units arriving and units demanded per day (same length).

    Examples
    --------
    200 units aged 170 days, 1 unit/day demand, 1 cu ft each, 20 days from 1 June 2026:
    on 15 June (day 14, after 15 days of sales) 185 units are 185 days old → 185 × $0.50:

    >>> t = load_fee_table("amazon-us-2026")
    >>> r = project_fifo_fees(dt.date(2026, 6, 1), [(170, 200)], np.zeros(20), np.ones(20),
    ...                       cuft_per_unit=1.0, tier="large_standard_3lb", table=t)
    >>> r.aged_fee, r.first_aged_day, float(r.on_hand[-1])
    (92.5, 10, 180.0)
    """
    ages = [float(a) for a, u in lots if u > 0]
    units = [float(u) for _, u in lots if u > 0]
    order = np.argsort(ages)[::-1]  # oldest first
    ages = [ages[i] for i in order]
    units = [units[i] for i in order]
    n = len(demand)
    on_hand = np.zeros(n)
    storage = aged = 0.0
    max_aged = 0.0
    first_aged = None
    rate_cache: dict[tuple[int, int], float] = {}
    aged_after = table.aged_after_days
    for i in range(n):
        day = start + dt.timedelta(days=i)
        if arrivals[i] > 0:
            ages.append(0.0)
            units.append(float(arrivals[i]))
        need = float(demand[i])
        while need > 1e-12 and units:
            take = min(units[0], need)
            units[0] -= take
            need -= take
            if units[0] <= 1e-12:
                ages.pop(0)
                units.pop(0)
        ages = [a + 1 for a in ages]
        total = float(sum(units))
        on_hand[i] = total
        key = (day.year, day.month)
        if key not in rate_cache:
            rate_cache[key] = storage_rate(table, day, tier) / calendar.monthrange(*key)[1]
        storage += total * cuft_per_unit * rate_cache[key]
        old = float(sum(u for a, u in zip(ages, units, strict=True) if a > aged_after))
        if old > 0:
            max_aged = max(max_aged, old)
            if first_aged is None:
                first_aged = i
        if day.day == 15 and old > 0:
            aged += sum(
                u * aged_surcharge_per_unit(table, day, int(a), cuft_per_unit)
                for a, u in zip(ages, units, strict=True)
                if a > aged_after
            )
    return FifoResult(on_hand, float(storage), float(aged), max_aged, first_aged)


# --- unit economics: size tier, fulfilment fee, referral fee, returns processing ----------------
# Reference: Amazon Seller Central "Product size tiers", "FBA fulfillment fees" (rate card of
# 5 Feb 2024, 2026 price bands), "Referral fees" and "Returns processing fee" pages, summarised in
# the project's reference notes (amazon-reports-and-fees.md §1.5–1.6).

KG_PER_LB = 1 / LB_PER_KG


@dataclass(frozen=True)
class SizeTier:
    """A unit's fulfilment size tier and the weights (table units: lb or kg) that price it."""

    name: str  #: ``small_standard``, ``large_standard``, ``large_bulky``, ``extra_large``
    storage_tier: str  #: storage-fee tier of the tier (``standard`` / ``oversize``)
    unit_weight: float  #: unit weight (lb in the US table, kg in EU / JP)
    dimensional_weight: float  #: L × W × H ÷ divisor (same unit)
    shipping_weight: float  #: the weight the tier's fee uses (unit or max(unit, dimensional))
    weight_unit: str  #: ``lb`` or ``kg``
    uncertain: bool  #: the tier's limits rest on an approximation


def _latest(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    return max(rows, key=lambda r: r["effective_from"]) if rows else None


def _needs_unit_economics(table: FeeTable, section: str) -> None:
    if not getattr(table, section):
        raise InputError(
            f"fee table {table.name} has no '{section}' section (needed for unit economics)",
            file=table.source,
            column=section,
        )


def dimensional_weight(
    table: FeeTable, length_cm: float, width_cm: float, height_cm: float, *, min_side: float = 0.0
) -> float:
    """Dimensional weight of a unit in the table's weight unit (lb or kg).

    Formula: ``L × W × H ÷ divisor`` with the sides in the table's length unit — 139 in³/lb in
    the US, 5000 cm³/kg in the EU and JP — each side at least ``min_side`` (2 in for US large
    bulky / extra-large since 2019).

    Examples
    --------
    A 12 × 10 × 6 in box in the US: 720 / 139 = 5.18 lb.

    >>> t = load_fee_table("amazon-us-2026")
    >>> round(dimensional_weight(t, 30.48, 25.4, 15.24), 3)
    5.18
    >>> round(dimensional_weight(load_fee_table("amazon-de-2026"), 40, 30, 20), 2)   # kg
    4.8
    """
    _needs_unit_economics(table, "size_tiers")
    per_cm = 1 / CM_PER_INCH if table.units["length"] == "in" else 1.0
    sides = [max(x * per_cm, min_side) for x in (length_cm, width_cm, height_cm)]
    return float(sides[0] * sides[1] * sides[2] / float(table.dimensional_weight["divisor"]))


def fulfilment_size_tier(
    table: FeeTable,
    day: dt.date,
    length_cm: float,
    width_cm: float,
    height_cm: float,
    weight_kg: float,
) -> SizeTier:
    """Fulfilment size tier of a unit on ``day`` from its dimensions (cm) and unit weight (kg).

    The first tier of the table (in order) whose limits hold: longest, median and shortest side,
    length + girth (``longest + 2 × (median + shortest)``) and weight, where the weight is the unit
    weight or the shipping weight ``max(unit weight, dimensional weight)`` as the tier says
    (US: small standard by unit weight; large standard, large bulky and extra-large by shipping
    weight; extra-large above 150 lb by unit weight).

    Examples
    --------
    >>> t = load_fee_table("amazon-us-2026")
    >>> s = fulfilment_size_tier(t, dt.date(2025, 6, 1), 30.48, 25.4, 15.24, 1.2 * KG_PER_LB)
    >>> s.name, round(s.shipping_weight, 2)      # 12 × 10 × 6 in, 1.2 lb → dim weight 5.18 lb
    ('large_standard', 5.18)
    """
    _needs_unit_economics(table, "size_tiers")
    inch = table.units["length"] == "in"
    to_len = 1 / CM_PER_INCH if inch else 1.0
    unit_w = weight_kg * LB_PER_KG if table.units["weight"] == "lb" else weight_kg
    short, median, longest = sorted(x * to_len for x in (length_cm, width_cm, height_cm))
    dim = table.dimensional_weight
    tiers = [r for r in _in_force(table.size_tiers, day)]
    if not tiers:
        raise InputError(f"no size tier in force on {day}", file=table.source, column="size_tiers")
    for r in tiers:
        floor = (
            float(dim.get("min_side", 0)) if r["size_tier"] in dim.get("min_side_tiers", []) else 0
        )
        dim_w = dimensional_weight(table, length_cm, width_cm, height_cm, min_side=floor)
        ship_w = unit_w if r["weight_basis"] == "unit" else max(unit_w, dim_w)
        above = r.get("unit_weight_above")
        if above is not None and unit_w > float(above):
            ship_w = unit_w
        limits = (
            (longest, "max_longest"),
            (median, "max_median"),
            (short, "max_shortest"),
            (longest + 2 * (median + short), "max_length_girth"),
            (ship_w, "max_weight"),
        )
        if all(r.get(k) is None or v <= float(r[k]) + 1e-9 for v, k in limits):
            return SizeTier(
                name=str(r["size_tier"]),
                storage_tier=str(r["storage_tier"]),
                unit_weight=float(unit_w),
                dimensional_weight=float(dim_w),
                shipping_weight=float(ship_w),
                weight_unit=str(table.units["weight"]),
                uncertain=bool(r.get("uncertain", False)),
            )
    raise InputError(
        f"no size tier of fee table {table.name} holds {longest:.2f} × {median:.2f} × "
        f"{short:.2f} {table.units['length']}, {unit_w:.2f} {table.units['weight']}",
        file=table.source,
        column="size_tiers",
    )


def _in_price_band(r: dict[str, Any], price: float) -> bool:
    lo, hi = r.get("price_min"), r.get("price_max")
    return (lo is None or price >= float(lo)) and (hi is None or price < float(hi))


def fulfilment_fee(table: FeeTable, day: dt.date, tier: SizeTier, price: float) -> float:
    """FBA fulfilment fee per unit (table currency) on ``day`` for a sized unit sold at ``price``.

    Formula: the rate-card row of the tier whose weight range ``(min_weight, max_weight]`` holds
    the shipping weight (a row whose price band holds ``price`` wins over an unbanded one; the
    latest ``effective_from`` wins among equals): ``fee + per_step × ⌈(weight − above) ÷ step⌉``
    above ``above``; plus the price-band addition in force (2026: standard sizes priced in bands
    < $10 / $10–50 / > $50); times ``1 + Σ surcharge rates`` in force (fuel surcharge).

    Examples
    --------
    US, 2025 card: large standard at 5.18 lb shipping weight, $25.99:
    6.92 + 0.08 × ⌈(5.18 − 3) ÷ 0.25⌉ = 6.92 + 0.08 × 9 = $7.64.

    >>> t = load_fee_table("amazon-us-2026")
    >>> s = fulfilment_size_tier(t, dt.date(2025, 6, 1), 30.48, 25.4, 15.24, 1.2 * KG_PER_LB)
    >>> round(fulfilment_fee(t, dt.date(2025, 6, 1), s, 25.99), 2)
    7.64
    """
    _needs_unit_economics(table, "fulfilment")
    w = tier.shipping_weight
    rows = [
        r
        for r in _in_force(table.fulfilment, day)
        if r["size_tier"] == tier.name
        and (w > float(r["min_weight"]) or float(r["min_weight"]) == 0 >= w)
        and (r.get("max_weight") is None or w <= float(r["max_weight"]) + 1e-9)
        and _in_price_band(r, price)
    ]
    # brackets are (min, max]; the first bracket (min 0) also holds a zero weight
    banded = [r for r in rows if "price_min" in r or "price_max" in r]
    row = _latest(banded) or _latest(rows)
    if row is None:
        raise InputError(
            f"no fulfilment fee for {tier.name} at {w:.3f} {tier.weight_unit} on {day}",
            file=table.source,
            column="fulfilment",
        )
    fee = float(row["fee"])
    above = row.get("above")
    if above is not None and w > float(above):
        fee += float(row.get("per_step", 0.0)) * math.ceil(
            (w - float(above)) / float(row["step"]) - 1e-9
        )
    bands = [
        r
        for r in _in_force(table.fulfilment_price_bands, day)
        if r["size_tier"] == tier.name and _in_price_band(r, price)
    ]
    band = _latest(bands)
    if band is not None:
        fee += float(band["add"])
    rate = sum(float(r["rate"]) for r in _in_force(table.fulfilment_surcharges, day))
    return fee * (1 + rate)


def referral_fee(table: FeeTable, day: dt.date, category: str, price: float) -> tuple[float, str]:
    """Referral fee per unit (table currency) and the fee category used.

    Formula: ``max(rate × price, min_fee)`` of the category row whose name or ``aliases`` match
    ``category`` (case-insensitive, spaces trimmed), else the ``default`` row. ``price`` is the
    total sales price (item + shipping + gift wrap, excluding tax).

    Examples
    --------
    >>> t = load_fee_table("amazon-us-2026")
    >>> referral_fee(t, dt.date(2025, 6, 1), "auto parts", 25.0)      # 12 % of $25
    (3.0, 'automotive')
    >>> referral_fee(t, dt.date(2025, 6, 1), "Home", 1.5)             # 15 % → $0.225 < $0.30
    (0.3, 'home_kitchen')
    >>> referral_fee(t, dt.date(2025, 6, 1), "toys", 20.0)            # not listed: default 15 %
    (3.0, 'default')
    """
    _needs_unit_economics(table, "referral")
    key = str(category or "").strip().casefold()
    rows = _in_force(table.referral, day)
    match = [
        r
        for r in rows
        if r["category"] != "default"
        and key
        in {str(r["category"]).casefold(), *(str(a).casefold() for a in r.get("aliases", []))}
    ]
    row = _latest(match) or _latest([r for r in rows if r["category"] == "default"])
    if row is None:
        raise InputError(
            f"no referral rate for category {category!r} on {day} and no default row",
            file=table.source,
            column="referral",
        )
    fee = max(float(row["rate"]) * price, float(row.get("min_fee", 0.0)))
    return float(fee), str(row["category"])


def returns_processing_fee(table: FeeTable, day: dt.date, tier: str) -> tuple[float, float]:
    """Returns processing fee per returned unit (table currency) and the return-rate threshold.

    Amazon charges the fee on returns above the category's return-rate threshold: the cost per
    unit sold is ``max(return rate − threshold, 0) × fee``
    (:func:`forecasting.planning.unit_economics.returns_cost_per_unit`).

    Examples
    --------
    >>> returns_processing_fee(load_fee_table("amazon-us-2026"), dt.date(2025, 6, 1), "large_standard")
    (2.37, 0.0)
    """
    _needs_unit_economics(table, "returns_processing")
    row = _latest([r for r in _in_force(table.returns_processing, day) if r["size_tier"] == tier])
    if row is None:
        raise InputError(
            f"no returns processing fee for {tier} on {day}",
            file=table.source,
            column="returns_processing",
        )
    return float(row["fee"]), float(row.get("threshold_rate", 0.0))


def uncertain_unit_economics_rows(table: FeeTable, day: dt.date) -> list[str]:
    """Notes of the unit-economics rows in force on ``day`` marked ``uncertain: true`` (unique)."""
    out: list[str] = []
    for part in _UNIT_ECONOMICS_ROWS:
        for r in _in_force(getattr(table, part), day):
            if r.get("uncertain"):
                note = f"{table.name} {part}: {r.get('note', 'uncertain')}"
                if note not in out:
                    out.append(note)
    return out
