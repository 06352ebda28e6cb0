"""Settings: the sample loads; every key is checked and every bad one is named with its path.

The rules live on the settings classes (pydantic dataclasses); these tests drive them through
:func:`parse_settings` (a parsed document) and :func:`load_settings` (a file on disk).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import math
import pickle
import tracemalloc
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from pydantic import ValidationError

from forecasting.config import (
    FactoryLine,
    LeadTime,
    LeadTimeSegment,
    Settings,
    load_settings,
    parse_settings,
)
from forecasting.errors import InputError
from forecasting.paths import SAMPLE_SETTINGS
from forecasting.run import open_run
from forecasting.yaml_file import MAX_FILE_BYTES

CATALOGUE = Path(__file__).parent / "catalogue"
#: mappings whose keys are data (codes, classes, currencies), not setting names
DATA_KEYED = {"marketplaces", "service_levels", "fx_to_base", "capacity_limits_cuft"}


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(SAMPLE_SETTINGS.read_text(encoding="utf-8"))


def _bad(raw: dict, mutate) -> InputError:  # noqa: ANN001
    doc = copy.deepcopy(raw)
    mutate(doc)
    with pytest.raises(InputError) as err:
        parse_settings(doc, source="settings.yml")
    return err.value


def test_sample_settings_load() -> None:
    s = load_settings()
    assert s.as_of.isoformat() == "2026-11-22"
    assert [m.code for m in s.marketplaces] == ["US", "DE", "JP"]
    assert {ln.id for ln in s.factory.lines} == {"L1", "L2", "L3", "L4", "L5"}
    assert any("Chinese New Year" in sd.name for sd in s.factory.shutdowns)
    assert s.fx_to_base == {"USD": 7.10, "EUR": 7.70, "JPY": 0.047, "CNY": 1.0}
    assert s.source == str(SAMPLE_SETTINGS)


def test_lead_time_is_the_sum_of_segments_and_independent_spread() -> None:
    lt = load_settings().lead_time("US", "sea")
    # 14 + 2 + 3 + 30 + 4 + 10 = 63 days; sd = sqrt(3² + 0.5² + 1² + 5² + 2² + 5²) = sqrt(64.25)
    assert lt.mean_days == 63
    assert math.isclose(lt.sd_days, math.sqrt(64.25))
    assert lt.days_after("inland") == 30 + 4 + 10
    with pytest.raises(InputError, match="no segment 'teleport'"):
        lt.days_after("teleport")


def test_line_hours_per_week() -> None:
    line = load_settings().factory.line("L1")
    assert math.isclose(line.hours_per_week, 2 * 8 * 6 * 0.85)  # 81.6 h


def test_modes_are_listed_slowest_first() -> None:
    assert load_settings().modes("US") == ["sea", "air"]


def _line(r: dict, i: int = 0) -> dict:
    return r["factory"]["lines"][i]


def _seg(r: dict, i: int = 0, j: int = 0) -> dict:
    return r["lead_times"][i]["segments"][j]


@pytest.mark.parametrize(
    ("mutate", "key", "message"),
    [
        (lambda r: r.pop("as_of"), "as_of", "missing setting"),
        (lambda r: r.update(as_of="next tuesday"), "as_of", "expected date"),
        (lambda r: r.update(as_of=None), "as_of", "or 'latest', got nothing"),
        (lambda r: r.update(as_of=dt.datetime(2026, 11, 22, 8)), "as_of", "date and time"),
        (lambda r: r["lead_times"][0].update(mode="boat"), "lead_times[0].mode", "not one of"),
        (lambda r: r["lead_times"][1].update(marketplace="FR"), "lead_times[1].marketplace", "FR"),
        (lambda r: r["lead_times"][1].update(mode="sea"), "lead_times[1].mode", "a second lead"),
        (lambda r: _seg(r, 0, 3).update(mean_days=-5), "lead_times[0].segments[3].mean_days", "≥ 0"),
        (lambda r: _seg(r, 0, 3).update(sd_days=-1), "lead_times[0].segments[3].sd_days", "≥ 0"),
        (lambda r: _seg(r, 2, 0).update(mean_days=float("nan")),
         "lead_times[2].segments[0].mean_days", "finite"),
        (lambda r: _seg(r, 0, 1).update(name="production"), "lead_times[0].segments[1].name",
         "appears twice"),
        (lambda r: r["lead_times"][0].update(segments=[{"name": "x", "mean_days": 0}]),
         "lead_times[0].segments", "add up to 0 days"),
        (lambda r: r["lead_times"][0].update(segments=[]), "lead_times[0].segments", "at least 1"),
        (lambda r: r["lead_times"][0].update(cost_per_kg=-9.5), "lead_times[0].cost_per_kg", "≥ 0"),
        (lambda r: _line(r, 2).update(efficiency=1.4), "factory.lines[2].efficiency", "(0, 1]"),
        (lambda r: _line(r, 2).update(efficiency=0), "factory.lines[2].efficiency", "(0, 1]"),
        (lambda r: _line(r).update(shifts_per_day="two"), "factory.lines[0].shifts_per_day",
         "expected int"),
        (lambda r: _line(r).update(shifts_per_day=0), "factory.lines[0].shifts_per_day", "≥ 1"),
        (lambda r: _line(r).update(shifts_per_day=2.5), "factory.lines[0].shifts_per_day",
         "expected int"),
        (lambda r: _line(r).update(shifts_per_day=3, hours_per_shift=9),
         "factory.lines[0].shifts_per_day", "more than the 24 hours"),
        (lambda r: _line(r).update(hours_per_shift=-8), "factory.lines[0].hours_per_shift",
         "(0, 24], got -8"),
        (lambda r: _line(r).update(hours_per_shift=0), "factory.lines[0].hours_per_shift", "(0, 24]"),
        (lambda r: _line(r).update(days_per_week=8), "factory.lines[0].days_per_week", "[1, 7]"),
        (lambda r: _line(r).update(changeover_hours=-3), "factory.lines[0].changeover_hours", "≥ 0"),
        (lambda r: _line(r).update(overtime_cost_per_hour=-180),
         "factory.lines[0].overtime_cost_per_hour", "≥ 0"),
        (lambda r: _line(r).update(overtime_hours_per_week=100),
         "factory.lines[0].overtime_hours_per_week", "72 h a week has"),
        (lambda r: _line(r, 1).update(id="L1"), "factory.lines[1].id", "used twice"),
        (lambda r: r["factory"].update(lines=[]), "factory.lines", "at least 1"),
        (lambda r: r["factory"].update(finished_goods_holding_cost_per_unit_week=-0.004),
         "factory.finished_goods_holding_cost_per_unit_week", "≥ 0"),
        (lambda r: r["factory"].update(holidays_country="ZZ"), "factory.holidays_country",
         "not a country code"),
        (lambda r: r["factory"].update(make_up_workdays="yes"), "factory.make_up_workdays",
         "expected bool, got 'yes'"),
        (lambda r: r["factory"]["shutdowns"][0].update(end="2027-01-01"),
         "factory.shutdowns[0].end", "before it starts"),
        (lambda r: r["factory"]["shutdowns"][2].update(lines=["L9"]),
         "factory.shutdowns[2].lines", "unknown line(s) ['L9']"),
        (lambda r: r["service_levels"].update(A=1.2), "service_levels.A", "[0.5, 1)"),
        (lambda r: r["service_levels"].update(D=0.9), "service_levels.D",
         "unknown key 'D'; expected one of 'A', 'B' or 'C'"),
        (lambda r: r["fx_to_base"].update(usd=7.1), "fx_to_base.usd",
         "key 'usd': expected a 3-letter ISO 4217 currency code"),
        (lambda r: r["service_levels"].pop("C"), "service_levels", "class(es) C"),
        (lambda r: r.update(review_period_days=0), "review_period_days", "≥ 1, got 0"),
        (lambda r: r.update(review_period_days=-7), "review_period_days", "≥ 1"),
        (lambda r: r.update(review_period_days=True), "review_period_days", "expected int"),
        (lambda r: r.update(review_period_days=300), "review_period_days", "longer than"),
        (lambda r: r.update(planning_horizon_days=0), "planning_horizon_days", "≥ 1"),
        (lambda r: r["fx_to_base"].update(USD=0), "fx_to_base.USD", "> 0, got 0"),
        (lambda r: r["fx_to_base"].update(EUR=-7.7), "fx_to_base.EUR", "> 0"),
        (lambda r: r["fx_to_base"].update(CNY=7.1), "fx_to_base.CNY", "must be 1"),
        (lambda r: r["fx_to_base"].pop("JPY"), "fx_to_base", "no rate to CNY for JPY"),
        (lambda r: r.pop("fx_to_base"), "fx_to_base", "EUR, JPY, USD"),
        (lambda r: r.update(capacity_limits_cuft={"XX": {"standard": 10}}),
         "capacity_limits_cuft.XX", "unknown marketplace"),
        (lambda r: r.update(capacity_limits_cuft={"US": {"standard": 0}}),
         "capacity_limits_cuft.US.standard", "> 0"),
        (lambda r: r["marketplaces"]["DE"].update(currency="eur"), "marketplaces.DE.currency",
         "3-letter ISO 4217"),
        (lambda r: r["marketplaces"]["DE"].update(country=False), "marketplaces.DE.country",
         "quote it"),
        (lambda r: r["marketplaces"]["DE"].update(code="DE"), "marketplaces.DE.code", "the key"),
        (lambda r: r["marketplaces"].update(US="USD"), "marketplaces.US", "expected mapping"),
        (lambda r: r.update(version=2), "version", "must be 1, got 2"),
        (lambda r: r.update(source="x.yml"), "source", "unknown setting"),
        (lambda r: r.update(fee_table=""), "fee_table", "must not be empty"),
        (lambda r: r.update(factory=None), "factory", "expected mapping, got None"),
    ],
)  # fmt: skip
def test_bad_settings_name_the_key(raw: dict, mutate, key: str, message: str) -> None:  # noqa: ANN001
    err = _bad(raw, mutate)
    assert err.key == key, err.one_line()
    assert message in err.message, err.one_line()
    assert err.one_line().startswith("settings.yml: key '" + key)
    assert "\n" not in err.one_line()


def _object_keys(node, path: str = ""):  # noqa: ANN001, ANN202
    """(path, mapping, key) of every key that names a setting in the document."""
    if isinstance(node, dict):
        for k, v in node.items():
            child = f"{path}.{k}".lstrip(".")
            if path.split(".")[-1].split("[")[0] not in DATA_KEYED or not path:
                yield path, node, k
            yield from _object_keys(v, child)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _object_keys(v, f"{path}[{i}]")


def test_every_key_of_the_sample_is_checked(raw: dict) -> None:
    """Misspell each key of the sample in turn: each is refused, naming the key it meant."""
    keys = list(_object_keys(raw))
    assert len(keys) > 150  # every mapping of the sample, incl. every line, segment, shutdown
    seen = set()
    for path, _, key in keys:
        seen.add(key)
        wrong = key[:-2] + key[-1] + key[-2] if len(key) > 3 else key + "x"
        doc = copy.deepcopy(raw)
        target = doc
        for part in filter(None, path.replace("[", ".[").split(".")):
            target = target[int(part[1:-1])] if part.startswith("[") else target[part]
        target[wrong] = target.pop(key)
        with pytest.raises(InputError) as err:
            parse_settings(doc, source="s.yml")
        full = f"{path}.{wrong}".lstrip(".")
        assert err.value.key == full, err.value.one_line()
        assert f"did you mean '{key}'?" in err.value.message, err.value.one_line()
    assert {"efficiency", "hours_per_shift", "sd_days", "lines", "country"} <= seen


def test_unknown_key_without_a_near_one_lists_the_known_keys(raw: dict) -> None:
    err = _bad(raw, lambda r: _line(r).update(colour="red"))
    assert err.key == "factory.lines[0].colour"
    assert "known keys here: id, name, shifts_per_day" in err.message


def test_several_problems_are_counted_in_one_line(raw: dict) -> None:
    def mutate(r: dict) -> None:
        _line(r).update(efficency=0.4)
        r["fx_to_base"]["USD"] = 0
        r.update(review_period_days=-1)

    err = _bad(raw, mutate)
    assert "(and 2 more:" in err.message and "\n" not in err.one_line()
    for key in ("factory.lines[0].efficency", "fx_to_base.USD", "review_period_days"):
        assert key in err.one_line()


def test_missing_required_keys_are_named(raw: dict) -> None:
    for key in ("id", "shifts_per_day", "days_per_week"):
        err = _bad(raw, lambda r, k=key: _line(r, 3).pop(k))
        assert (err.key, err.message) == (f"factory.lines[3].{key}", "missing setting")
    err = _bad(raw, lambda r: _seg(r, 1, 2).pop("mean_days"))
    assert err.key == "lead_times[1].segments[2].mean_days"


def test_file_defaults_stay_what_they_were(raw: dict) -> None:
    doc = copy.deepcopy(raw)
    for k in ("name", "hours_per_shift", "efficiency", "changeover_hours"):
        _line(doc).pop(k)
    for k in ("review_period_days", "planning_horizon_days", "fee_table", "version"):
        doc.pop(k)
    s = parse_settings(doc)
    line = s.factory.line("L1")
    assert (line.name, line.hours_per_shift, line.efficiency, line.changeover_hours) == (
        "", 8.0, 1.0, 0.0,
    )  # fmt: skip
    assert (s.review_period_days, s.planning_horizon_days, s.fee_table) == (
        7,
        182,
        "amazon-us-2026",
    )


def test_capacity_limits_are_read(raw: dict) -> None:
    raw = dict(raw, capacity_limits_cuft={"US": {"standard": 5000, "oversize": 800}})
    assert parse_settings(raw).capacity_limits_cuft == {
        "US": {"standard": 5000.0, "oversize": 800.0}
    }


def test_rules_hold_in_python_too() -> None:
    """The classes check themselves: construction and dataclasses.replace validate."""
    line = FactoryLine("L1", "", 1, 8.0, 5)
    assert dataclasses.is_dataclass(line)
    with pytest.raises(ValidationError):
        dataclasses.replace(line, hours_per_shift=-8)
    with pytest.raises(ValidationError):
        FactoryLine("L1", "", 1, 8.0, 5, efficency=0.4)  # type: ignore[call-arg]
    with pytest.raises(dataclasses.FrozenInstanceError):
        line.efficiency = 0.5  # type: ignore[misc]
    lt = LeadTime("US", "sea", (LeadTimeSegment("production", 14), LeadTimeSegment("sea", 30)))
    assert lt.mean_days == 44
    s = load_settings()
    assert pickle.loads(pickle.dumps(s)) == s  # the pipeline caches results with settings
    assert repr(load_settings()) == repr(s)  # and keys its cache on the repr


def test_as_of_latest_is_resolved_from_the_store(raw: dict) -> None:
    doc = dict(raw, as_of="latest")
    cfg = parse_settings(doc, source="s.yml")
    assert cfg.as_of is None

    class _Store:
        def __init__(self, day: dt.date | None) -> None:
            self.day = day

        def default_as_of(self) -> dt.date | None:
            return self.day

    day = dt.date(2026, 11, 19)
    run = open_run(_Store(day), cfg)
    assert run.as_of == day and run.settings.as_of == day
    fixed = dataclasses.replace(cfg, as_of=day)
    assert dataclasses.replace(cfg, as_of=pd.Timestamp("2026-11-19")).as_of == day  # the day
    assert type(dataclasses.replace(cfg, as_of=pd.Timestamp("2026-11-19")).as_of) is dt.date
    with pytest.raises(ValidationError, match="date and time"):
        dataclasses.replace(cfg, as_of=pd.Timestamp("2026-11-19 08:00"))
    assert isinstance(fixed, Settings)
    assert open_run(_Store(None), fixed).settings is fixed  # a date in the file is kept
    assert open_run(_Store(None), fixed, as_of="2026-11-01").as_of == dt.date(2026, 11, 1)
    assert open_run(_Store(day), fixed, as_of="latest").as_of == day  # latest wins over the file
    with pytest.raises(InputError, match="'latest' but the store holds no sales data") as err:
        open_run(_Store(None), cfg)
    assert err.value.key == "as_of"


# --- files -------------------------------------------------------------------------------------


def test_missing_file_and_broken_yaml(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="settings file not found"):
        load_settings(tmp_path / "nope.yml")
    with pytest.raises(InputError, match="not a file"):
        load_settings(tmp_path)
    bad = tmp_path / "bad.yml"
    bad.write_text("as_of: 2026-11-22\nmarketplaces: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_settings(bad)
    assert err.value.row is not None and "not valid YAML" in err.value.message


def test_errors_name_the_line_of_the_key(tmp_path: Path) -> None:
    text = SAMPLE_SETTINGS.read_text(encoding="utf-8")
    lines = text.splitlines()
    row = next(i for i, ln in enumerate(lines, 1) if "id: L3" in ln)
    f = tmp_path / "s.yml"
    f.write_text(text.replace("efficiency: 0.80, changeover_hours: 2", "efficency: 0.80, "
                              "changeover_hours: 2"), encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError) as err:
        load_settings(f)
    assert err.value.key == "factory.lines[2].efficency"
    assert err.value.row in (row, row + 1)  # the flow mapping of line L3 spans two lines
    assert "efficency" in lines[err.value.row - 1].replace("efficiency", "efficency")


def test_utf8_with_bom_and_plain_anchors_load(tmp_path: Path) -> None:
    """A BOM is fine, and so is a reused anchor or a merge key: only their blow-up is refused."""
    f = tmp_path / "s.yml"
    text = SAMPLE_SETTINGS.read_text(encoding="utf-8")
    text = text.replace(
        "      - {name: production, mean_days: 14, sd_days: 3}\n      - {name: qc, mean_days: 2,",
        "      - &production {name: production, mean_days: 14, sd_days: 3}\n"
        "      - {name: qc, mean_days: 2,",
        1,
    ).replace("- {name: production, mean_days: 14, sd_days: 3}", "- *production")
    text = text.replace(
        "    - {id: L2, name: 注塑二线 Injection 2, shifts_per_day: 1, hours_per_shift: 8, "
        "days_per_week: 6,\n       efficiency: 0.85,",
        "    - {<<: *l1, id: L2, name: 注塑二线 Injection 2, shifts_per_day: 1,\n"
        "       efficiency: 0.85,",
    ).replace("    - {id: L1,", "    - &l1 {id: L1,")
    assert text.count("*production") == 5 and "<<: *l1" in text
    f.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_settings(f).lead_times == load_settings().lead_times
    assert load_settings(f).factory.lines == load_settings().factory.lines


def test_non_utf8_file_names_line_and_encoding(tmp_path: Path) -> None:
    f = tmp_path / "s.yml"
    f.write_bytes(SAMPLE_SETTINGS.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(InputError) as err:
        load_settings(f)
    assert err.value.row == 1 and "GB18030/GBK" in err.value.message
    f.write_bytes(b"as_of: 2026-11-22\nbase_currency: \xff\xfe\n")
    with pytest.raises(InputError) as err:
        load_settings(f)
    assert err.value.row == 2 and "not UTF-8" in err.value.message
    assert "GB18030" not in err.value.message  # not every non-UTF-8 byte is GBK


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("as_of: !!set {a, b}\n", "tag !!set is not allowed"),
        ("as_of: !!binary aGVsbG8=\n", "tag !!binary is not allowed"),
        ("as_of: !!python/object/apply:os.system [echo]\n", "is not allowed"),
        ("x: !custom 1\n", "tag !custom is not allowed"),
        ("as_of: 2026-11-22\nbase_currency: CNY\nas_of: 2026-11-23\n", "appears twice"),
        ("a: " + "[" * 30 + "]" * 30 + "\n", "nested deeper than"),
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", "nested deeper than"),
        ("a: &a [1, *a]\n", "an alias inside its own anchor"),
        ("a: &a {b: *a}\n", "nested deeper than"),
        ("", "the YAML document is empty"),
        ("a: 1\n---\nb: 2\n", "not valid YAML"),
        ("- as_of: 2026-11-22\n", "is a single list"),
        ("as_of: 2026-11-22\x00\n", "not valid YAML"),
    ],
)
def test_documents_that_are_not_plain_settings_are_refused(
    tmp_path: Path, text: str, message: str
) -> None:
    f = tmp_path / "s.yml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_settings(f)
    assert message in err.value.message, err.value.one_line()
    assert "\n" not in err.value.one_line()


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    f = tmp_path / "s.yml"
    f.write_text("as_of: 2026-11-22\nbase_currency: CNY\nas_of: 2026-11-23\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_settings(f)
    assert (err.value.row, err.value.key) == (3, "as_of") and "also line 1" in err.value.message


def test_alias_bomb_is_refused_in_bounded_memory() -> None:
    """9 anchors × 9 aliases: 9⁹ ≈ 387 million strings once expanded (the old loader: 2.7 GB)."""
    bomb = CATALOGUE / "settings_alias_bomb" / "settings.yml"
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="expands to more than"):
            load_settings(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20, f"{peak / 2**20:.1f} MiB"  # expanded, it needs gigabytes


def test_a_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    f = tmp_path / "history.duckdb"
    with f.open("wb") as fh:
        fh.truncate(4 << 30)  # sparse: 4 GiB on paper, nothing on disk
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="larger than 1024 KB"):
            load_settings(f)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * MAX_FILE_BYTES


@pytest.mark.parametrize(
    ("case", "repair"),
    [
        ("settings_misspelt_key", lambda b: b.replace(b"efficency", b"efficiency")),
        ("settings_negative_hours_per_shift", lambda b: b.replace(b"shift: -8", b"shift: 8")),
        ("settings_zero_exchange_rate", lambda b: b.replace(b"USD: 0,", b"USD: 7.10,")),
        ("settings_gbk_encoded", lambda b: b.decode("gbk").encode("utf-8")),
        ("settings_duplicate_key", lambda b: b.replace(b"      efficiency: 0.85\n", b"")),
    ],
)
def test_catalogue_cases_fail_only_for_their_one_defect(tmp_path: Path, case: str, repair) -> None:  # noqa: ANN001
    """Repair the one defect of each broken settings file of the catalogue: it then loads."""
    f = tmp_path / "settings.yml"
    f.write_bytes(repair((CATALOGUE / case / "settings.yml").read_bytes()))
    s = load_settings(f)
    line = s.factory.line("L1")
    assert (line.efficiency, line.hours_per_shift, s.fx_to_base["USD"]) == (0.40, 8.0, 7.10)
    assert line.name == "注塑一线 Injection 1"


# --- property: any value in any numeric key is read exactly or refused by name -----------------


def _numeric_leaves(node, path=()):  # noqa: ANN001, ANN202
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _numeric_leaves(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _numeric_leaves(v, (*path, i))
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield path


def _dotted(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


_SAMPLE = yaml.safe_load(SAMPLE_SETTINGS.read_text(encoding="utf-8"))
_LEAVES = sorted(_numeric_leaves(_SAMPLE), key=_dotted)
_VALUES = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.text(max_size=4),
    st.sampled_from(["8", "0.9", "1e3", "-1"]),
)


@given(leaf=st.sampled_from(_LEAVES), value=_VALUES)
@hsettings(max_examples=400, deadline=None, derandomize=True)
def test_any_value_of_a_numeric_key_is_read_exactly_or_refused_by_name(leaf, value) -> None:  # noqa: ANN001
    doc = copy.deepcopy(_SAMPLE)
    target = doc
    for part in leaf[:-1]:
        target = target[part]
    target[leaf[-1]] = value
    full = _dotted(leaf)
    try:
        s = parse_settings(doc, source="s.yml")
    except InputError as err:
        col = err.key or ""
        parent = _dotted(leaf[:-1])
        # the key itself, an enclosing key (a list's total), or a sibling (a rule across keys)
        assert col == full or full.startswith(col) or col.startswith(parent), err.one_line()
        assert "\n" not in err.one_line()
        return
    assert isinstance(value, int | float) and not isinstance(value, bool), f"{full}={value!r}"
    assert math.isfinite(value)
    got: object = s
    for part in leaf:
        got = got[part] if isinstance(got, dict | tuple) else getattr(got, part)
    assert got == value and not isinstance(got, bool)


def test_country_codes_are_those_of_the_holidays_package() -> None:
    import holidays

    from forecasting.config import _countries

    assert _countries() == frozenset(holidays.list_supported_countries())
    assert {"CN", "US", "DE", "JP", "UK", "GB"} <= _countries()
