"""Typed settings loaded from YAML (frozen pydantic dataclasses).

One YAML file describes the seller's world that no Amazon export holds: marketplaces, lead-time
segments per marketplace and shipping mode, target service levels per ABC class, the factory (lines,
shifts, shutdowns) and which fee table applies. ``data/sample/settings.yml`` is a complete example.
Units are in the key names: ``_days``, ``_hours``, ``_per_hour`` (units of product), ``_cuft``.

DESIGN: the classes below *are* the rules. They are pydantic dataclasses (``extra="forbid"``,
constrained field types, a few cross-field validators), so a setting is checked where it is
declared, whether it comes from a file, from Python or from ``dataclasses.replace``; they stay real,
frozen dataclasses for the rest of the package. Reading the file is separate
(:func:`forecasting.yaml_file.read_yaml`: bounded UTF-8 YAML of plain values, lists and mappings,
no repeated keys, no alias bombs). Every problem becomes one :class:`InputError` naming the file,
the line and the key path (``factory.lines[2].shifts_per_day``); an unknown key also names the
nearest known one.
"""

from __future__ import annotations

import datetime as dt
import difflib
import reprlib
import typing
from collections.abc import Mapping
from dataclasses import field, fields, replace
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from annotated_types import Ge, Gt, Le, Lt, MinLen
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Strict,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.dataclasses import dataclass

from forecasting.errors import InputError
from forecasting.paths import SAMPLE_SETTINGS
from forecasting.yaml_file import line_of, read_yaml

ShippingMode = Literal["sea", "air", "rail", "express"]
AbcClass = Literal["A", "B", "C"]
SHIPPING_MODES: tuple[str, ...] = typing.get_args(ShippingMode)
ABC_CLASSES: tuple[str, ...] = typing.get_args(AbcClass)
_CURRENCY_PATTERN = r"^[A-Z]{3}$"
_PATTERN_WORDS = {_CURRENCY_PATTERN: "a 3-letter ISO 4217 currency code such as USD"}
_REPR = reprlib.Repr()
_REPR.maxstring, _REPR.maxother, _REPR.maxlist, _REPR.maxdict, _REPR.maxlevel = 60, 60, 4, 4, 2
_show = _REPR.repr  #: a value in a message: short whatever its size
_Setting = typing.TypeVar("_Setting")


class SettingError(ValueError):
    """A rule broken inside one settings object, at ``path`` below that object."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


# --- value types: the rule of each kind of value, in one place ---------------------------------


def _iso_date(v: Any) -> Any:
    """A date as YAML gives it, or an ISO ``YYYY-MM-DD`` string; anything else is refused."""
    if isinstance(v, dt.datetime):  # a pandas Timestamp too: midnight is the day itself
        if v.time() == dt.time(0) and v.tzinfo is None:
            return v.date()
        raise SettingError((), f"expected date (YYYY-MM-DD), got the date and time {v}")
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v.strip())
        except ValueError:
            pass
    raise SettingError((), f"expected date (YYYY-MM-DD), got {_show(v)}")


@cache
def _countries() -> frozenset[str]:
    """Country codes the ``holidays`` package knows (alpha-2, alpha-3 and aliases such as UK).

    Read from its registry (0.1 ms); ``list_supported_countries`` gives the same 501 codes but
    imports every country module first (0.25 s), so it is only the fallback.
    """
    import holidays

    try:
        from holidays.registry import COUNTRIES

        codes = {c for v in COUNTRIES.values() for c in v[1:] if c.isupper() and len(c) <= 3}
    except (ImportError, AttributeError, TypeError):
        codes = set()
    return frozenset(codes or holidays.list_supported_countries())


def _known_country(code: str) -> str:
    if code not in _countries():
        near = difflib.get_close_matches(code.upper(), sorted(_countries()), n=1)
        hint = f"; did you mean '{near[0]}'?" if near else ""
        raise SettingError((), f"'{code}' is not a country code of the holidays package{hint}")
    return code


NonNegative = Annotated[float, Strict(), Ge(0)]  #: int or float ≥ 0, never a bool or a string
Positive = Annotated[float, Strict(), Gt(0)]
Share = Annotated[float, Strict(), Gt(0), Le(1)]
Level = Annotated[float, Strict(), Ge(0.5), Lt(1)]
PositiveCount = Annotated[int, Strict(), Ge(1)]
Flag = Annotated[bool, Strict()]
#: non-empty text; a number is taken as text (a line id ``1``), a boolean is not (``NO`` → false)
Text = Annotated[str, MinLen(1)]
Currency = Annotated[str, StringConstraints(strict=True, pattern=_CURRENCY_PATTERN)]
Date = Annotated[dt.date, BeforeValidator(_iso_date)]
Country = Annotated[str, Strict(), AfterValidator(_known_country)]

_CONFIG = ConfigDict(extra="forbid", allow_inf_nan=False, coerce_numbers_to_str=True)


def _first_repeat(values: list[Any]) -> tuple[int, int] | None:
    """``(first, second)`` positions of the first value that repeats, or None."""
    seen: dict[Any, int] = {}
    for i, v in enumerate(values):
        if v in seen:
            return seen[v], i
        seen[v] = i
    return None


# --- the settings ------------------------------------------------------------------------------


@dataclass(frozen=True, config=_CONFIG)
class Marketplace:
    """One Amazon marketplace the seller ships to (in the file: a mapping keyed by its code)."""

    code: Text  #: short code used everywhere: US, DE, UK, JP …
    currency: Currency  #: ISO 4217 code of prices in its reports
    sales_channel: Text  #: value of ``sales-channel`` in order exports, e.g. ``Amazon.com``
    country: Country  #: ISO 3166 country for public holidays (``holidays`` package)


@dataclass(frozen=True, config=_CONFIG)
class LeadTimeSegment:
    """One leg of the replenishment lead time, in days: mean and standard deviation (≥ 0)."""

    name: Text  #: production, qc, inland, first_leg, customs, overseas_3pl, fba_check_in …
    mean_days: NonNegative
    sd_days: NonNegative = 0.0


@dataclass(frozen=True, config=_CONFIG)
class LeadTime:
    """Lead time for one marketplace × shipping mode, as a chain of independent segments."""

    marketplace: Text
    mode: ShippingMode  #: one of :data:`SHIPPING_MODES`
    segments: Annotated[tuple[LeadTimeSegment, ...], MinLen(1)]
    cost_per_kg: NonNegative = 0.0  #: freight cost, base currency per kg (chargeable weight)

    @model_validator(mode="after")
    def _chain(self) -> LeadTime:
        rep = _first_repeat([s.name for s in self.segments])
        if rep:
            raise SettingError(
                ("segments", rep[1], "name"),
                f"segment '{self.segments[rep[1]].name}' appears twice (also segments[{rep[0]}])",
            )
        if self.mean_days <= 0:
            raise SettingError(("segments",), "the segments' mean_days add up to 0 days")
        return self

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


@dataclass(frozen=True, config=_CONFIG)
class Shutdown:
    """A period the factory (or one line) does not produce, both dates inclusive."""

    name: Text
    start: Date
    end: Date
    lines: tuple[Text, ...] = ()  #: empty = the whole factory

    @model_validator(mode="after")
    def _ordered(self) -> Shutdown:
        if self.end < self.start:
            raise SettingError(("end",), f"ends ({self.end}) before it starts ({self.start})")
        return self


@dataclass(frozen=True, config=_CONFIG)
class FactoryLine:
    """One production line. Capacity per week = shifts × hours × working days × efficiency.

    In the file ``name`` may be left out (empty) and ``hours_per_shift`` defaults to 8 hours.
    """

    id: Text
    name: str
    shifts_per_day: PositiveCount
    hours_per_shift: Annotated[float, Strict(), Gt(0), Le(24)]
    days_per_week: Annotated[int, Strict(), Ge(1), Le(7)]
    efficiency: Share = 1.0  #: share of scheduled hours that produce good units (OEE)
    changeover_hours: NonNegative = 0.0  #: lost per SKU set-up in a week
    overtime_hours_per_week: NonNegative = 0.0  #: cap on overtime hours per week
    overtime_cost_per_hour: NonNegative = 0.0  #: base currency per overtime hour

    @model_validator(mode="before")
    @classmethod
    def _file_defaults(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            return {"name": "", "hours_per_shift": 8.0, **data}
        return data

    @model_validator(mode="after")
    def _fits_a_week(self) -> FactoryLine:
        day = self.shifts_per_day * self.hours_per_shift
        if day > 24:
            raise SettingError(
                ("shifts_per_day",),
                f"{self.shifts_per_day} shifts × {self.hours_per_shift:g} h = {day:g} h, more "
                "than the 24 hours of a day",
            )
        free = 168 - day * self.days_per_week
        if self.overtime_hours_per_week > free:
            raise SettingError(
                ("overtime_hours_per_week",),
                f"{self.overtime_hours_per_week:g} h, more than the {free:g} h a week has "
                "beyond the scheduled shifts",
            )
        return self

    @property
    def hours_per_week(self) -> float:
        """Productive hours in a normal week: shifts × hours × days × efficiency."""
        return self.shifts_per_day * self.hours_per_shift * self.days_per_week * self.efficiency


@dataclass(frozen=True, config=_CONFIG)
class Factory:
    """The seller's own factory."""

    lines: Annotated[tuple[FactoryLine, ...], MinLen(1)]
    shutdowns: tuple[Shutdown, ...] = ()
    holidays_country: Country = "CN"  #: public holidays of this country stop production
    finished_goods_holding_cost_per_unit_week: NonNegative = 0.0  #: share of unit cost, per week
    #: the country's official make-up working weekends (China's 调休) are working days
    make_up_workdays: Flag = True

    @model_validator(mode="after")
    def _lines_known(self) -> Factory:
        rep = _first_repeat([ln.id for ln in self.lines])
        if rep:
            raise SettingError(
                ("lines", rep[1], "id"),
                f"line id '{self.lines[rep[1]].id}' is used twice (also lines[{rep[0]}])",
            )
        ids = {ln.id for ln in self.lines}
        for i, sd in enumerate(self.shutdowns):
            unknown = sorted(set(sd.lines) - ids)
            if unknown:
                raise SettingError(
                    ("shutdowns", i, "lines"), f"unknown line(s) {unknown}; lines are {sorted(ids)}"
                )
        return self

    def line(self, line_id: str) -> FactoryLine:
        """The line with this id."""
        for ln in self.lines:
            if ln.id == line_id:
                return ln
        raise InputError(f"no factory line '{line_id}'; lines are {[x.id for x in self.lines]}")


def _whole(v: Any) -> Any:
    """An int as written (pydantic's ``Literal[1]`` alone takes ``true`` and ``1.0`` for 1)."""
    if isinstance(v, bool) or not isinstance(v, int):
        raise SettingError((), f"expected int, got {_show(v)}")
    return v


def _as_of_value(v: Any) -> Any:
    """``as_of``: a date, or ``latest`` (``None``: the store's last complete data day)."""
    if v is None or (isinstance(v, str) and v.strip().lower() == "latest"):
        return None
    if isinstance(v, dt.date):  # a date, or a date and time with its own message
        return _iso_date(v)
    try:
        return _iso_date(v)
    except SettingError:
        raise SettingError((), f"expected date (YYYY-MM-DD) or 'latest', got {_show(v)}") from None


@dataclass(frozen=True, config=_CONFIG)
class Settings:
    """Everything the plans need beyond the exports."""

    #: the planning date: history up to and including this day; ``None`` = ``latest`` in the file:
    #: the last day of complete sales data in the store, set by :func:`resolve_as_of`
    as_of: Annotated[dt.date | None, BeforeValidator(_as_of_value)]
    base_currency: Currency
    marketplaces: Annotated[tuple[Marketplace, ...], MinLen(1)]
    lead_times: tuple[LeadTime, ...]
    factory: Factory
    #: ABC class → target cycle service level in [0.5, 1), one for each of :data:`ABC_CLASSES`
    service_levels: dict[AbcClass, Level]
    review_period_days: PositiveCount = 7
    planning_horizon_days: PositiveCount = 182
    fee_table: Text = "amazon-us-2026"  #: name of a fee table in ``planning/fee_tables/``
    #: currency → base currency per unit (> 0); when given, every marketplace's currency has one
    fx_to_base: dict[Currency, Positive] = field(default_factory=dict)
    #: FBA monthly capacity limit, cubic feet (> 0), per marketplace and storage type
    #: (``standard``, ``oversize`` …); empty = the fee table's defaults
    capacity_limits_cuft: dict[Text, dict[Text, Positive]] = field(default_factory=dict)
    source: str = ""  #: the file the settings came from (set by :func:`load_settings`)
    version: Annotated[Literal[1], BeforeValidator(_whole)] = 1  #: format of the settings file

    @field_validator("marketplaces", mode="before")
    @classmethod
    def _keyed_by_code(cls, v: Any) -> Any:
        """The file's ``{US: {currency: …}, …}`` becomes marketplaces with their ``code``."""
        if not isinstance(v, Mapping):
            return v
        out = []
        for i, (code, m) in enumerate(v.items()):
            if isinstance(m, Mapping) and "code" in m:
                raise SettingError((i, "code"), "the code is the key above; remove 'code'")
            out.append({"code": code, **m} if isinstance(m, Mapping) else m)
        return out

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        codes = [m.code for m in self.marketplaces]
        rep = _first_repeat(codes)
        if rep:
            raise SettingError(("marketplaces", rep[1]), f"marketplace '{codes[rep[1]]}' twice")
        for i, lt in enumerate(self.lead_times):
            if lt.marketplace not in codes:
                raise SettingError(
                    ("lead_times", i, "marketplace"),
                    f"unknown marketplace '{lt.marketplace}' (known: {sorted(codes)})",
                )
        rep = _first_repeat([(lt.marketplace, lt.mode) for lt in self.lead_times])
        if rep:
            lt = self.lead_times[rep[1]]
            raise SettingError(
                ("lead_times", rep[1], "mode"),
                f"a second lead time for {lt.marketplace} by {lt.mode} (also lead_times[{rep[0]}])",
            )
        missing = [c for c in ABC_CLASSES if c not in self.service_levels]
        if missing:
            raise SettingError(("service_levels",), f"no target for class(es) {', '.join(missing)}")
        if self.review_period_days > self.planning_horizon_days:
            raise SettingError(
                ("review_period_days",),
                f"{self.review_period_days} days is longer than planning_horizon_days "
                f"({self.planning_horizon_days})",
            )
        self._check_money(codes)
        return self

    def _check_money(self, codes: list[str]) -> None:
        rate = self.fx_to_base.get(self.base_currency)
        if rate is not None and rate != 1:
            raise SettingError(
                ("fx_to_base", self.base_currency),
                f"the base currency's own rate must be 1, got {rate:g}",
            )
        used = sorted({m.currency for m in self.marketplaces} - {self.base_currency})
        if self.fx_to_base:
            lacking = [c for c in used if c not in self.fx_to_base]
            if lacking:
                raise SettingError(
                    ("fx_to_base",), f"no rate to {self.base_currency} for {', '.join(lacking)}"
                )
        elif len({m.currency for m in self.marketplaces}) > 1:
            raise SettingError(
                ("fx_to_base",),
                f"marketplaces sell in {', '.join(used)}: give each a rate to {self.base_currency}",
            )
        for mp in self.capacity_limits_cuft:
            if mp not in codes:
                raise SettingError(
                    ("capacity_limits_cuft", mp), f"unknown marketplace '{mp}' (known: {codes})"
                )

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


# --- from a parsed document: pydantic's errors as one line naming the key path -----------------

_SETTINGS = TypeAdapter(Settings)
#: keys set by the loader, never by the file: (class, field)
_NOT_IN_FILE = {(Settings, "source"), (Marketplace, "code")}
_KINDS = {bool: "bool", int: "int", float: "number", str: "text", dt.date: "date (YYYY-MM-DD)"}


def _strip(tp: Any) -> tuple[Any, list[Any]]:
    """The type under ``Annotated`` / ``X | None`` and the constraints found on the way."""
    meta: list[Any] = []
    while True:
        if typing.get_origin(tp) is Annotated:
            tp, *more = typing.get_args(tp)
            meta.extend(more)
        elif typing.get_origin(tp) in (typing.Union, type(int | None)):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if len(args) == 1 else tp
            if len(args) != 1:
                return tp, meta
        else:
            return tp, meta


def _field_type(loc: tuple[Any, ...], root: Any = Settings) -> tuple[Any, list[Any], Any]:
    """Type and constraints of the value at pydantic location ``loc`` below ``root``, and its
    parent type."""
    tp: Any = root
    meta: list[Any] = []
    parent: Any = None
    for item in loc:
        tp = _strip(tp)[0]
        parent = tp
        if hasattr(tp, "__pydantic_fields__") and isinstance(item, str):
            info = tp.__pydantic_fields__.get(item)
            if info is None:
                return None, [], parent
            tp, meta = info.annotation, list(info.metadata)
        elif typing.get_origin(tp) is tuple:
            tp, meta = typing.get_args(tp)[0], []
        elif typing.get_origin(tp) is dict:
            tp, meta = typing.get_args(tp)[1], []
        else:
            return None, [], parent
    tp, more = _strip(tp)
    return tp, meta + more, parent


def changed(obj: _Setting, *, what: str, option: str | None = None, **changes: Any) -> _Setting:
    """``dataclasses.replace`` of a settings object in code (a what-if), checked by the same
    rules as the file; a broken rule is one :class:`InputError` naming ``what``, the key and the
    option, never a pydantic traceback.

    Parameters
    ----------
    obj : settings dataclass
        E.g. a :class:`FactoryLine` or the :class:`Factory`.
    what : str
        What is changed, in the message (``line L1``).
    option : str, optional
        The command-line option the change came from (``--what-if``).
    **changes
        Fields and their new values.

    Raises
    ------
    InputError
        ``--what-if: line L1, shifts_per_day: 4 shifts × 8 h = 32 h, more than the 24 hours of
        a day``.
    """
    try:
        return replace(obj, **changes)
    except ValidationError as exc:
        loc, message = _explain(exc.errors(include_url=False)[0], type(obj))
        key = "".join(f"[{x}]" if isinstance(x, int) else f".{x}" for x in loc).lstrip(".")
        raise InputError(f"{what}, {key}: {message}" if key else f"{what}: {message}",
                         option=option) from None  # fmt: skip


def _interval(meta: list[Any]) -> str:
    lo = next((("[", m.ge) for m in meta if isinstance(m, Ge)), None)
    lo = lo or next((("(", m.gt) for m in meta if isinstance(m, Gt)), None)
    hi = next(((m.le, "]") for m in meta if isinstance(m, Le)), None)
    hi = hi or next(((m.lt, ")") for m in meta if isinstance(m, Lt)), None)
    if lo and hi:
        return f"in {lo[0]}{lo[1]:g}, {hi[0]:g}{hi[1]}"
    if lo:
        return f"{'≥' if lo[0] == '[' else '>'} {lo[1]:g}"
    return f"{'≤' if hi and hi[1] == ']' else '<'} {hi[0]:g}" if hi else "in range"


def _kind(tp: Any) -> str:
    if typing.get_origin(tp) is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(tp))
    if typing.get_origin(tp) is tuple:
        return "list"
    if typing.get_origin(tp) is dict or hasattr(tp, "__pydantic_fields__"):
        return "mapping"
    return _KINDS.get(tp, getattr(tp, "__name__", str(tp)))


def _explain(err: Mapping[str, Any], root: Any = Settings) -> tuple[tuple[Any, ...], str]:
    """The location (pydantic terms, below ``root``) and a planner's message for one pydantic
    error."""
    loc, kind, value, ctx = tuple(err["loc"]), err["type"], err.get("input"), err.get("ctx") or {}
    if isinstance(ctx.get("error"), SettingError):
        return loc + ctx["error"].path, ctx["error"].message
    if loc and loc[-1] == "[key]":  # a mapping's key: currency codes, ABC classes
        loc = loc[:-1]
        tp = _field_type(loc[:-1], root)[0]
        key_tp, meta = _strip(typing.get_args(tp)[0] if typing.get_origin(tp) is dict else str)
        if kind == "literal_error":
            return loc, f"unknown key {_show(value)}; expected one of {ctx.get('expected')}"
        return loc, f"key {_show(value)}: {_message(kind, key_tp, meta, value, ctx)}"
    tp, meta, parent = _field_type(loc, root)
    if kind in ("unexpected_keyword_argument", "extra_forbidden"):
        known = [f.name for f in fields(parent) if (parent, f.name) not in _NOT_IN_FILE]
        near = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = f"did you mean '{near[0]}'?" if near else f"known keys here: {', '.join(known)}"
        return loc, f"unknown setting '{loc[-1]}'; {hint}"
    return loc, _message(kind, tp, meta, value, ctx) or str(err.get("msg", kind))


def _message(kind: str, tp: Any, meta: list[Any], value: Any, ctx: Mapping[str, Any]) -> str:
    """What is wrong with ``value`` of type ``tp`` (constraints ``meta``), by pydantic's kind."""
    if kind in ("missing_argument", "missing"):
        return "missing setting"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return f"must be {_interval(meta)}, got {_show(value)}"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length', 1)} item(s)"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        words = _PATTERN_WORDS.get(str(ctx.get("pattern")), f"text matching {ctx.get('pattern')}")
        return f"expected {words}, got {_show(value)}"
    if kind == "literal_error":
        expected = str(ctx.get("expected"))
        if len(typing.get_args(tp)) == 1:
            return f"must be {expected}, got {_show(value)}"
        return f"{_show(value)} is not one of {expected}"
    if kind == "finite_number":
        return f"expected a finite number, got {_show(value)}"
    if kind.endswith(("_type", "_parsing", "_from_float")):
        hint = ""
        if isinstance(value, bool) and tp is str:
            hint = " (YAML reads an unquoted yes/no/on/off/true/false as a boolean: quote it)"
        return f"expected {_kind(tp)}, got {_show(value)}{hint}"
    return ""


def _key_path(loc: tuple[Any, ...], raw: Any) -> str:
    """``factory.lines[2].efficiency`` for a pydantic location, read against the document.

    Where the document has a mapping but the settings a list (``marketplaces``), the position
    becomes the mapping's key again: ``marketplaces.DE.currency``.
    """
    out, node = "", raw
    for item in loc:
        if isinstance(item, int) and isinstance(node, Mapping):
            keys = list(node)
            item = keys[item] if 0 <= item < len(keys) else item
        if isinstance(item, int):
            out += f"[{item}]"
            node = node[item] if isinstance(node, list) and 0 <= item < len(node) else None
        else:
            out += f".{item}"
            node = node.get(item) if isinstance(node, Mapping) else None
    return out.lstrip(".")


def parse_settings(
    raw: Any, *, source: str = "<settings>", lines: Mapping[str, int] | None = None
) -> Settings:
    """Build :class:`Settings` from a parsed YAML document, checking every key.

    Parameters
    ----------
    raw : mapping
        The document, as ``yaml.safe_load`` gives it.
    source : str
        The file it came from, named in every error.
    lines : mapping, optional
        Key path → line in the file, to name the line of a bad key.

    Raises
    ------
    InputError
        The first problem, naming the key path (``factory.lines[2].efficiency``), followed by
        the paths of any further problems.
    """
    if not isinstance(raw, Mapping):
        what = {str: "line of text", int: "number", float: "number", list: "list"}.get(
            type(raw), "value"
        )
        kind = "empty" if raw is None else f"a single {what} {_show(raw)}"
        raise InputError(
            f"not a settings file: the YAML document is {kind}, not a mapping of settings "
            "(key: value lines, see data/sample/settings.yml)",
            file=source,
        )
    if "source" in raw:  # set here, never by the file
        raise InputError("unknown setting 'source'", file=source, key="source")
    if "as_of" in raw and raw["as_of"] is None:  # in Python None means latest; in a file, a slip
        raise InputError(
            "expected date (YYYY-MM-DD) or 'latest', got nothing", file=source, key="as_of",
            row=line_of("as_of", lines or {}),
        )  # fmt: skip
    try:
        settings = _SETTINGS.validate_python({**raw, "source": source})
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # a list emptied by its own bad items is not a second problem
        errors = [
            e for e in errors
            if not (e["type"] == "too_short" and any(
                len(o["loc"]) > len(e["loc"]) and o["loc"][: len(e["loc"])] == e["loc"]
                for o in errors
            ))
        ]  # fmt: skip
        problems = [_explain(e) for e in errors]
        # an unknown key first: it explains the "missing setting" its misspelling leaves
        problems.sort(key=lambda p: not p[1].startswith("unknown setting"))
        paths = list(dict.fromkeys(_key_path(loc, raw) for loc, _ in problems))
        path, message = paths[0], problems[0][1]
        if len(paths) > 1:
            more = ", ".join(paths[1:6]) + (" …" if len(paths) > 6 else "")
            message += f" (and {len(paths) - 1} more: {more})"
        row = line_of(path, lines or {})
        raise InputError(message, file=source, row=row, key=path or None) from None
    return settings


def load_settings(path: str | Path | None = None) -> Settings:
    """Load settings from a YAML file; ``None`` loads the sample's ``data/sample/settings.yml``.

    Parameters
    ----------
    path : str or Path, optional
        A UTF-8 YAML file, read by :func:`forecasting.yaml_file.read_yaml` (bounded, plain
        values, lists and mappings, no repeated keys, no alias bombs).

    Raises
    ------
    InputError
        One line naming the file, the line and the key path: everything
        :func:`~forecasting.yaml_file.read_yaml` refuses, and every rule of :class:`Settings`.
    """
    p = Path(path) if path is not None else SAMPLE_SETTINGS
    raw, lines = read_yaml(p, what="settings")
    return parse_settings(raw, source=str(p), lines=lines)
