"""Typed settings loaded from YAML (frozen dataclasses).

One YAML file describes the seller's world that no Amazon export holds: marketplaces, lead-time
segments per marketplace and shipping mode, target service levels per ABC class, the factory (lines,
shifts, shutdowns) and which fee table applies. ``data/sample/settings.yml`` is a complete example.

Every key is checked when loaded; a wrong or missing key raises :class:`InputError` naming the file
and the key path (``factory.lines[2].shifts_per_day``), so nothing downstream meets a half-valid
setting. Units are in the key names: ``_days``, ``_hours``, ``_per_hour`` (units of product).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from forecasting.errors import InputError
from forecasting.paths import SAMPLE_SETTINGS

SHIPPING_MODES = ("sea", "air", "rail", "express")


@dataclass(frozen=True)
class Marketplace:
    """One Amazon marketplace the seller ships to."""

    code: str  #: short code used everywhere: US, DE, UK, JP …
    currency: str  #: ISO 4217 code of prices in its reports
    sales_channel: str  #: value of ``sales-channel`` in order exports, e.g. ``Amazon.com``
    country: str  #: ISO 3166 country for public holidays (``holidays`` package)


@dataclass(frozen=True)
class LeadTimeSegment:
    """One leg of the replenishment lead time, in days: mean and standard deviation."""

    name: str  #: production, qc, inland, first_leg, customs, overseas_3pl, fba_check_in …
    mean_days: float
    sd_days: float = 0.0


@dataclass(frozen=True)
class LeadTime:
    """Lead time for one marketplace × shipping mode, as a chain of independent segments."""

    marketplace: str
    mode: str  #: one of :data:`SHIPPING_MODES`
    segments: tuple[LeadTimeSegment, ...]
    cost_per_kg: float = 0.0  #: freight cost, base currency per kg (chargeable weight)

    @property
    def mean_days(self) -> float:
        """Total mean lead time in days: Σ segment means."""
        return float(sum(s.mean_days for s in self.segments))

    @property
    def sd_days(self) -> float:
        """Standard deviation of the total in days, segments independent: √Σ sd²."""
        return float(sum(s.sd_days**2 for s in self.segments) ** 0.5)

    def days_after(self, segment: str) -> float:
        """Mean days from the end of ``segment`` to goods available at FBA (the rest of the chain)."""
        names = [s.name for s in self.segments]
        if segment not in names:
            raise InputError(f"lead time {self.marketplace}/{self.mode} has no segment '{segment}'")
        i = names.index(segment)
        return float(sum(s.mean_days for s in self.segments[i + 1 :]))


@dataclass(frozen=True)
class Shutdown:
    """A period the factory (or one line) does not produce, both dates inclusive."""

    name: str
    start: dt.date
    end: dt.date
    lines: tuple[str, ...] = ()  #: empty = the whole factory


@dataclass(frozen=True)
class FactoryLine:
    """One production line. Capacity per week = shifts × hours × working days × efficiency."""

    id: str
    name: str
    shifts_per_day: int
    hours_per_shift: float
    days_per_week: int
    efficiency: float = 1.0  #: share of scheduled hours that produce good units (OEE)
    changeover_hours: float = 0.0  #: lost per SKU set-up in a week
    overtime_hours_per_week: float = 0.0  #: cap on overtime hours per week
    overtime_cost_per_hour: float = 0.0  #: base currency per overtime hour

    @property
    def hours_per_week(self) -> float:
        """Productive hours in a normal week: shifts × hours × days × efficiency."""
        return self.shifts_per_day * self.hours_per_shift * self.days_per_week * self.efficiency


@dataclass(frozen=True)
class Factory:
    """The seller's own factory."""

    lines: tuple[FactoryLine, ...]
    shutdowns: tuple[Shutdown, ...] = ()
    holidays_country: str = "CN"  #: public holidays of this country stop production
    finished_goods_holding_cost_per_unit_week: float = 0.0  #: share of unit cost, per week
    #: the country's official make-up working weekends (China's 调休) are working days
    make_up_workdays: bool = True

    def line(self, line_id: str) -> FactoryLine:
        """The line with this id."""
        for ln in self.lines:
            if ln.id == line_id:
                return ln
        raise InputError(f"no factory line '{line_id}'; lines are {[x.id for x in self.lines]}")


@dataclass(frozen=True)
class Settings:
    """Everything the plans need beyond the exports."""

    #: the planning date: history up to and including this day; ``None`` = ``latest`` in the file:
    #: the last day of complete sales data in the store, set by :func:`resolve_as_of`
    as_of: dt.date | None
    base_currency: str
    marketplaces: tuple[Marketplace, ...]
    lead_times: tuple[LeadTime, ...]
    factory: Factory
    service_levels: dict[str, float]  #: ABC class → target cycle service level (0–1)
    review_period_days: int = 7
    planning_horizon_days: int = 182
    fee_table: str = "amazon-us-2026"  #: name of a fee table in ``planning/fee_tables/``
    fx_to_base: dict[str, float] = field(default_factory=dict)  #: currency → base per unit
    #: FBA monthly capacity limit, cubic feet, per marketplace and storage type (``standard``,
    #: ``oversize`` …); empty = the fee table's defaults
    capacity_limits_cuft: dict[str, dict[str, float]] = field(default_factory=dict)
    source: str = ""  #: the file the settings came from

    def marketplace(self, code: str) -> Marketplace:
        """The marketplace with this code."""
        for m in self.marketplaces:
            if m.code == code:
                return m
        raise InputError(f"no marketplace '{code}' in settings ({self.source})")

    def lead_time(self, marketplace: str, mode: str) -> LeadTime:
        """Lead time of ``marketplace`` by ``mode``."""
        for lt in self.lead_times:
            if lt.marketplace == marketplace and lt.mode == mode:
                return lt
        raise InputError(f"no lead time for {marketplace} by {mode} in settings ({self.source})")

    def modes(self, marketplace: str) -> list[str]:
        """Shipping modes configured for ``marketplace``, cheapest (slowest) first."""
        lts = [lt for lt in self.lead_times if lt.marketplace == marketplace]
        return [lt.mode for lt in sorted(lts, key=lambda x: -x.mean_days)]


# --- loading -------------------------------------------------------------------------------------


class _Reader:
    """Pulls typed values out of nested YAML, naming the key path in every error."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, key: str, msg: str) -> InputError:
        return InputError(msg, file=self.file, column=key)

    def get(self, d: dict, key: str, path: str, kind: type, default: Any = ...) -> Any:
        if not isinstance(d, dict):
            raise self.fail(path, f"expected a mapping, got {type(d).__name__}")
        if key not in d:
            if default is ...:
                raise self.fail(f"{path}.{key}".lstrip("."), "missing setting")
            return default
        v = d[key]
        full = f"{path}.{key}".lstrip(".")
        try:
            if kind is dt.date:
                return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))
            if kind is bool:
                if not isinstance(v, bool):
                    raise ValueError
                return v
            if kind is float:
                if isinstance(v, bool):
                    raise ValueError
                out = float(v)
                if out != out:
                    raise ValueError
                return out
            if kind is int:
                if isinstance(v, bool) or float(v) != int(float(v)):
                    raise ValueError
                return int(v)
            if kind is str:
                if v is None or isinstance(v, dict | list):
                    raise ValueError
                return str(v)
            if kind is list:
                if not isinstance(v, list):
                    raise ValueError
                return v
            if kind is dict:
                if not isinstance(v, dict):
                    raise ValueError
                return v
        except (TypeError, ValueError):
            raise self.fail(full, f"expected {kind.__name__}, got {v!r}") from None
        raise AssertionError(kind)


def _as_of(r: _Reader, raw: dict) -> dt.date | None:
    """``as_of``: a date, or ``latest`` (the store's last complete data day, for scheduled runs)."""
    if isinstance(raw, dict) and str(raw.get("as_of", "")).strip().lower() == "latest":
        return None
    return r.get(raw, "as_of", "", dt.date)


def resolve_as_of(settings: Settings, store: Any) -> Settings:
    """Settings with a concrete ``as_of``: ``latest`` becomes the store's last complete data day.

    Parameters
    ----------
    settings : Settings
        As loaded; ``as_of`` ``None`` means ``latest``.
    store : forecasting.io.store.Store
        Its :meth:`~forecasting.io.store.Store.default_as_of` (the last day every active
        marketplace has sales data) decides.

    Raises
    ------
    InputError
        ``latest`` with a store that holds no sales data.
    """
    if settings.as_of is not None:
        return settings
    day = store.default_as_of()
    if day is None:
        raise InputError(
            "as_of is 'latest' but the store holds no sales data", file=settings.source,
            column="as_of",
        )  # fmt: skip
    return replace(settings, as_of=day)


def _non_negative(r: _Reader, value: float, key: str) -> float:
    if value < 0:
        raise r.fail(key, f"must be ≥ 0, got {value}")
    return value


def parse_settings(raw: dict, *, source: str = "<settings>") -> Settings:
    """Build :class:`Settings` from a parsed YAML mapping, checking every key."""
    r = _Reader(source)
    if not isinstance(raw, dict):
        raise InputError("settings file is not a YAML mapping", file=source)
    mps = []
    for code, m in r.get(raw, "marketplaces", "", dict).items():
        p = f"marketplaces.{code}"
        mps.append(
            Marketplace(
                code=str(code),
                currency=r.get(m, "currency", p, str),
                sales_channel=r.get(m, "sales_channel", p, str),
                country=r.get(m, "country", p, str),
            )
        )
    codes = {m.code for m in mps}
    lts = []
    for i, lt in enumerate(r.get(raw, "lead_times", "", list)):
        p = f"lead_times[{i}]"
        mp = r.get(lt, "marketplace", p, str)
        if mp not in codes:
            raise r.fail(f"{p}.marketplace", f"unknown marketplace '{mp}' (known: {sorted(codes)})")
        mode = r.get(lt, "mode", p, str)
        if mode not in SHIPPING_MODES:
            raise r.fail(f"{p}.mode", f"'{mode}' is not one of {SHIPPING_MODES}")
        segs = []
        for j, s in enumerate(r.get(lt, "segments", p, list)):
            q = f"{p}.segments[{j}]"
            segs.append(
                LeadTimeSegment(
                    name=r.get(s, "name", q, str),
                    mean_days=_non_negative(r, r.get(s, "mean_days", q, float), f"{q}.mean_days"),
                    sd_days=_non_negative(r, r.get(s, "sd_days", q, float, 0.0), f"{q}.sd_days"),
                )
            )
        if not segs:
            raise r.fail(f"{p}.segments", "needs at least one segment")
        lts.append(
            LeadTime(mp, mode, tuple(segs), cost_per_kg=r.get(lt, "cost_per_kg", p, float, 0.0))
        )
    f = r.get(raw, "factory", "", dict)
    lines = []
    for i, ln in enumerate(r.get(f, "lines", "factory", list)):
        p = f"factory.lines[{i}]"
        line = FactoryLine(
            id=r.get(ln, "id", p, str),
            name=r.get(ln, "name", p, str, ""),
            shifts_per_day=r.get(ln, "shifts_per_day", p, int),
            hours_per_shift=r.get(ln, "hours_per_shift", p, float, 8.0),
            days_per_week=r.get(ln, "days_per_week", p, int),
            efficiency=r.get(ln, "efficiency", p, float, 1.0),
            changeover_hours=r.get(ln, "changeover_hours", p, float, 0.0),
            overtime_hours_per_week=r.get(ln, "overtime_hours_per_week", p, float, 0.0),
            overtime_cost_per_hour=r.get(ln, "overtime_cost_per_hour", p, float, 0.0),
        )
        if not 0 < line.efficiency <= 1:
            raise r.fail(f"{p}.efficiency", f"must be in (0, 1], got {line.efficiency}")
        if not 0 <= line.days_per_week <= 7:
            raise r.fail(f"{p}.days_per_week", f"must be 0–7, got {line.days_per_week}")
        if line.shifts_per_day < 0 or line.shifts_per_day * line.hours_per_shift > 24:
            raise r.fail(f"{p}.shifts_per_day", "shifts × hours per shift must be within 0–24")
        lines.append(line)
    line_ids = {ln.id for ln in lines}
    shutdowns = []
    for i, s in enumerate(r.get(f, "shutdowns", "factory", list, [])):
        p = f"factory.shutdowns[{i}]"
        sd = Shutdown(
            name=r.get(s, "name", p, str),
            start=r.get(s, "start", p, dt.date),
            end=r.get(s, "end", p, dt.date),
            lines=tuple(str(x) for x in r.get(s, "lines", p, list, [])),
        )
        if sd.end < sd.start:
            raise r.fail(f"{p}.end", f"ends ({sd.end}) before it starts ({sd.start})")
        unknown = set(sd.lines) - line_ids
        if unknown:
            raise r.fail(f"{p}.lines", f"unknown line(s) {sorted(unknown)}")
        shutdowns.append(sd)
    factory = Factory(
        lines=tuple(lines),
        shutdowns=tuple(shutdowns),
        holidays_country=r.get(f, "holidays_country", "factory", str, "CN"),
        finished_goods_holding_cost_per_unit_week=r.get(
            f, "finished_goods_holding_cost_per_unit_week", "factory", float, 0.0
        ),
        make_up_workdays=r.get(f, "make_up_workdays", "factory", bool, True),
    )
    levels = {}
    for k, v in r.get(raw, "service_levels", "", dict).items():
        val = r.get({k: v}, k, "service_levels", float)
        if not 0.5 <= val < 1:
            raise r.fail(f"service_levels.{k}", f"must be in [0.5, 1), got {val}")
        levels[str(k)] = val
    fx = {
        str(k): r.get({k: v}, k, "fx_to_base", float)
        for k, v in r.get(raw, "fx_to_base", "", dict, {}).items()
    }
    limits: dict[str, dict[str, float]] = {}
    for mp, by_type in r.get(raw, "capacity_limits_cuft", "", dict, {}).items():
        if str(mp) not in codes:
            raise r.fail(f"capacity_limits_cuft.{mp}", f"unknown marketplace '{mp}'")
        p = f"capacity_limits_cuft.{mp}"
        limits[str(mp)] = {
            str(k): _non_negative(r, r.get({k: v}, k, p, float), f"{p}.{k}")
            for k, v in r.get({mp: by_type}, mp, "capacity_limits_cuft", dict).items()
        }
    return Settings(
        as_of=_as_of(r, raw),
        base_currency=r.get(raw, "base_currency", "", str),
        marketplaces=tuple(mps),
        lead_times=tuple(lts),
        factory=factory,
        service_levels=levels,
        review_period_days=r.get(raw, "review_period_days", "", int, 7),
        planning_horizon_days=r.get(raw, "planning_horizon_days", "", int, 182),
        fee_table=r.get(raw, "fee_table", "", str, "amazon-us-2026"),
        fx_to_base=fx,
        capacity_limits_cuft=limits,
        source=source,
    )


def load_settings(path: str | Path | None = None) -> Settings:
    """Load settings from a YAML file; ``None`` loads the sample's ``data/sample/settings.yml``."""
    p = Path(path) if path is not None else SAMPLE_SETTINGS
    if not p.exists():
        raise InputError("settings file not found", file=p)
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            f"not valid YAML: {getattr(exc, 'problem', exc)}",
            file=p,
            row=(mark.line + 1) if mark else None,
        ) from None
    return parse_settings(raw, source=str(p))
