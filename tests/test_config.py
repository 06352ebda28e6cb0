"""Settings: the sample loads; every bad key is named with its path; lead-time arithmetic."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from forecasting.config import load_settings, parse_settings
from forecasting.errors import InputError
from forecasting.paths import SAMPLE_SETTINGS


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(SAMPLE_SETTINGS.read_text(encoding="utf-8"))


def test_sample_settings_load() -> None:
    s = load_settings()
    assert s.as_of.isoformat() == "2026-11-22"
    assert [m.code for m in s.marketplaces] == ["US", "DE", "JP"]
    assert {ln.id for ln in s.factory.lines} == {"L1", "L2", "L3", "L4", "L5"}
    assert any("Chinese New Year" in sd.name for sd in s.factory.shutdowns)


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


@pytest.mark.parametrize(
    ("mutate", "key", "message"),
    [
        (lambda r: r.pop("as_of"), "as_of", "missing setting"),
        (lambda r: r.update(as_of="next tuesday"), "as_of", "expected date"),
        (lambda r: r["lead_times"][0].update(mode="boat"), "lead_times[0].mode", "not one of"),
        (lambda r: r["lead_times"][1].update(marketplace="FR"), "lead_times[1].marketplace", "FR"),
        (
            lambda r: r["lead_times"][0]["segments"][3].update(mean_days=-5),
            "lead_times[0].segments[3].mean_days",
            "≥ 0",
        ),
        (
            lambda r: r["factory"]["lines"][2].update(efficiency=1.4),
            "factory.lines[2].efficiency",
            "(0, 1]",
        ),
        (
            lambda r: r["factory"]["lines"][0].update(shifts_per_day="two"),
            "factory.lines[0].shifts_per_day",
            "expected int",
        ),
        (
            lambda r: r["factory"]["shutdowns"][0].update(end="2027-01-01"),
            "factory.shutdowns[0].end",
            "before it starts",
        ),
        (lambda r: r["service_levels"].update(A=1.2), "service_levels.A", "[0.5, 1)"),
        (
            lambda r: r.update(capacity_limits_cuft={"XX": {"standard": 10}}),
            "capacity_limits_cuft.XX",
            "unknown marketplace",
        ),
    ],
)
def test_bad_settings_name_the_key(raw: dict, mutate, key: str, message: str) -> None:
    bad = yaml.safe_load(yaml.safe_dump(raw))
    mutate(bad)
    with pytest.raises(InputError) as err:
        parse_settings(bad, source="settings.yml")
    assert err.value.column == key
    assert message in err.value.message
    assert err.value.one_line().startswith("settings.yml: column '" + key)


def test_capacity_limits_are_read(raw: dict) -> None:
    raw = dict(raw, capacity_limits_cuft={"US": {"standard": 5000, "oversize": 800}})
    assert parse_settings(raw).capacity_limits_cuft == {
        "US": {"standard": 5000.0, "oversize": 800.0}
    }


def test_missing_file_and_broken_yaml(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="settings file not found"):
        load_settings(tmp_path / "nope.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("as_of: 2026-11-22\nmarketplaces: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_settings(bad)
    assert err.value.row is not None and "not valid YAML" in err.value.message


def test_as_of_latest_is_resolved_from_the_store(tmp_path) -> None:  # noqa: ANN001
    import dataclasses

    import yaml

    from forecasting.config import SAMPLE_SETTINGS, parse_settings, resolve_as_of

    raw = yaml.safe_load(SAMPLE_SETTINGS.read_text(encoding="utf-8"))
    raw["as_of"] = "latest"
    cfg = parse_settings(raw, source="s.yml")
    assert cfg.as_of is None

    class _Store:
        def __init__(self, day):  # noqa: ANN001
            self.day = day

        def default_as_of(self):  # noqa: ANN202
            return self.day

    day = __import__("datetime").date(2026, 11, 19)
    assert resolve_as_of(cfg, _Store(day)).as_of == day
    fixed = dataclasses.replace(cfg, as_of=day)
    assert resolve_as_of(fixed, _Store(None)) is fixed  # a date in the file is kept
    with pytest.raises(InputError, match="'latest' but the store holds no sales data") as err:
        resolve_as_of(cfg, _Store(None))
    assert err.value.column == "as_of"
