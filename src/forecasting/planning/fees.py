"""Amazon FBA fees from versioned, dated fee tables; FIFO ageing of projected stock.

Fee rates live in YAML tables under ``planning/fee_tables/`` (``amazon-us-2026.yml`` …), never in
code: every row carries ``effective_from`` / ``effective_to`` dates (inclusive) so a date picks the
rows in force, and rows resting on a single or conflicting source carry ``uncertain: true`` and a
``note``. Money is in the table's ``currency``, volume in cubic feet (cu ft).

Covered: monthly storage fee (by season and size tier), aged inventory surcharge (tiers by age,
``max(per cu ft × volume, per unit)``, assessed on the 15th; FIFO age), low-inventory-level fee
(per unit shipped by historical days of supply band) and capacity limits / overage. Written by hand:
no library models Amazon's fee schedule.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from forecasting.errors import InputError

FEE_TABLE_DIR = Path(__file__).resolve().parent / "fee_tables"
#: Age (days) from which the aged inventory surcharge applies: stock must sell within 180 days.
AGED_AFTER_DAYS = 180
CM_PER_INCH = 2.54
LB_PER_KG = 2.20462
CUFT_PER_CM3 = 1 / 28316.846592


@dataclass(frozen=True)
class FeeTable:
    """One parsed fee table. ``rows`` keep the YAML mappings (dates parsed)."""

    name: str
    marketplace: str
    currency: str
    storage: tuple[dict[str, Any], ...]
    aged_surcharge: tuple[dict[str, Any], ...]
    low_inventory: dict[str, Any]
    capacity: dict[str, Any]
    source: str

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
    return FeeTable(
        name=str(raw["name"]),
        marketplace=str(raw["marketplace"]),
        currency=str(raw["currency"]),
        storage=_parse_rows(raw["storage"], "storage", f, ("size_tier", "months", "rate")),
        aged_surcharge=_parse_rows(raw["aged_surcharge"], "aged_surcharge", f, ("min_age_days",)),
        low_inventory=lilf,
        capacity=dict(raw.get("capacity") or {}),
        source=f,
    )


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
    ``age_days``; 0 below 181 days.

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
    if age_days <= AGED_AFTER_DAYS:
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

    Zero when days of supply ≥ the threshold (28), when fewer than 20 units shipped in the past 7
    days (exemption since 15 May 2024) or for tiers without rows.

    Examples
    --------
    >>> t = load_fee_table("amazon-us-2026")
    >>> low_inventory_fee_per_unit(t, dt.date(2026, 5, 1), "large_standard_3lb", 10)
    0.97
    >>> low_inventory_fee_per_unit(t, dt.date(2026, 5, 1), "large_standard_3lb", 10, 12)
    0.0
    """
    lilf = table.low_inventory
    if historical_days_of_supply >= float(lilf.get("threshold_days", 28)):
        return 0.0
    if units_shipped_7d < float(lilf.get("exempt_below_units_shipped_7d", 0)):
        return 0.0
    for r in _in_force(lilf.get("rows", ()), day):
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
    max_aged_units: float  #: most units older than 180 days on any day
    first_aged_day: int | None  #: first day index with units older than 180 days


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
    the aged surcharge of every lot older than 180 days is charged.

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
        old = float(sum(u for a, u in zip(ages, units, strict=True) if a > AGED_AFTER_DAYS))
        if old > 0:
            max_aged = max(max_aged, old)
            if first_aged is None:
                first_aged = i
        if day.day == 15 and old > 0:
            aged += sum(
                u * aged_surcharge_per_unit(table, day, int(a), cuft_per_unit)
                for a, u in zip(ages, units, strict=True)
                if a > AGED_AFTER_DAYS
            )
    return FifoResult(on_hand, float(storage), float(aged), max_aged, first_aged)
