"""Parameter parsing and checking (no kernel: papermill only inspects the notebooks)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from forecasting.errors import InputError
from forecasting.reports import params as P
from forecasting.run import parse_as_of


def _notebook(path: Path, source: str) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell("x = 1")]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
    nbformat.write(nb, path)
    return path


def test_declared_parameters_reads_literal_defaults(tmp_path: Path) -> None:
    path = _notebook(
        tmp_path / "01_a.ipynb",
        'lang = "zh"  # zh or en\nhorizon_days = 210\nz = 1.5\nstore = None\n'
        "skus = []\nshow = True",
    )
    declared = P.declared_parameters(path)
    assert {n: p.default for n, p in declared.items()} == {
        "lang": "zh",
        "horizon_days": 210,
        "z": 1.5,
        "store": None,
        "skus": [],
        "show": True,
    }
    assert declared["horizon_days"].type_name == "int"
    assert declared["store"].type_name == "None"


def test_declared_parameters_rejects_non_literal_default(tmp_path: Path) -> None:
    path = _notebook(tmp_path / "01_a.ipynb", "import os\nhome = os.getcwd()")
    with pytest.raises(InputError, match="home"):
        P.declared_parameters(path)


@pytest.mark.parametrize(
    ("text", "default", "expected"),
    [
        ("90", 210, 90),
        ("90", 1.5, 90.0),
        ("0.97", 0.95, 0.97),
        ("en", "zh", "en"),
        ("1001", "A1", "1001"),  # text for a str parameter stays text
        ("2026-11-22", "2026-01-01", "2026-11-22"),
        ("2026-11-22", None, "2026-11-22"),  # dates are not turned into date objects
        ("data/store.duckdb", None, "data/store.duckdb"),
        ("false", True, False),
        ("[US, DE]", ["US"], ["US", "DE"]),
        ("null", None, None),
    ],
)
def test_cli_values_are_yaml_scalars_coerced_to_default_type(text, default, expected) -> None:  # noqa: ANN001
    got = P.coerce_value(P.RawText(text), P.NotebookParameter("x", default))
    assert got == expected
    assert type(got) is type(expected)


@pytest.mark.parametrize(
    ("value", "default"),
    [
        (P.RawText("ninety"), 210),
        (P.RawText("1.5"), 210),
        (P.RawText("true"), 210),  # a bool is not an int
        (P.RawText("3"), True),
        (P.RawText("US"), ["US"]),
        (P.RawText("abc"), 0.5),
        (90, "zh"),  # from a params file, a number is not a string
    ],
)
def test_ill_typed_values_are_rejected(value, default) -> None:  # noqa: ANN001
    with pytest.raises(InputError, match="parameter x must be"):
        P.coerce_value(value, P.NotebookParameter("x", default))


def _declared() -> dict[str, dict[str, P.NotebookParameter]]:
    return {
        "01_health": {"lang": P.NotebookParameter("lang", "zh")},
        "02_forecast": {
            "lang": P.NotebookParameter("lang", "zh"),
            "horizon_days": P.NotebookParameter("horizon_days", 210),
        },
    }


def test_resolve_sends_values_to_every_declaring_notebook() -> None:
    got = P.resolve_parameters(
        {"lang": P.RawText("en"), "horizon_days": P.RawText("90")}, _declared()
    )
    assert got == {"01_health": {"lang": "en"}, "02_forecast": {"lang": "en", "horizon_days": 90}}


def test_resolve_rejects_unknown_name_with_one_line() -> None:
    with pytest.raises(InputError) as info:
        P.resolve_parameters({"horizon": P.RawText("90")}, _declared())
    message = info.value.one_line()
    assert "unknown parameter horizon" in message
    assert "horizon_days" in message  # lists what is declared
    assert "\n" not in message


def test_resolve_names_notebook_of_type_error_and_checks_lang() -> None:
    with pytest.raises(InputError, match="02_forecast"):
        P.resolve_parameters({"horizon_days": P.RawText("soon")}, _declared())
    with pytest.raises(InputError, match="lang must be one of zh, en"):
        P.resolve_parameters({"lang": P.RawText("fr")}, _declared())
    with pytest.raises(InputError, match="set by the runner"):
        P.resolve_parameters({"output_dir": P.RawText("x")}, _declared())


def test_parse_assignments_and_params_file(tmp_path: Path) -> None:
    assert P.parse_assignments(["a=1", "b = two=2"]) == {
        "a": P.RawText("1"),
        "b": P.RawText("two=2"),
    }
    with pytest.raises(InputError, match="name=value"):
        P.parse_assignments(["lang"])
    path = tmp_path / "p.yml"
    path.write_text("lang: en\nhorizon_days: 90\nas_of: 2026-11-01\n", encoding="utf-8")
    assert P.load_params_file(path) == {"lang": "en", "horizon_days": 90, "as_of": "2026-11-01"}
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(InputError, match="mapping"):
        P.load_params_file(path)
    path.write_text("a: [1,\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        P.load_params_file(path)


def test_parse_as_of() -> None:
    assert parse_as_of("2026-11-22").isoformat() == "2026-11-22"
    with pytest.raises(InputError, match="as_of"):
        parse_as_of("22/11/2026")


def test_literal_assignments() -> None:
    assert P.literal_assignments("a = 1\nb: str = 'x'\nc = [1, 2]") == {
        "a": 1,
        "b": "x",
        "c": [1, 2],
    }
    for bad in ("a = f(1)", "import os", "a, b = 1, 2", "def f():\n    pass"):
        with pytest.raises(ValueError, match="line 1"):
            P.literal_assignments(bad)


def test_declared_parameters_refuses_lines_papermill_skips(tmp_path: Path) -> None:
    # papermill drops a line whose comment holds "=": it must not vanish silently
    path = _notebook(tmp_path / "01_a.ipynb", 'lang = "zh"\nstore = None  # None = sample\n')
    with pytest.raises(InputError, match="store"):
        P.declared_parameters(path)


# --- values are plain data, written as literals -------------------------------------------------

TAGGED = {
    "python_object": 'horizon_days: !!python/object/apply:os.system ["touch pwned"]\n',
    "python_name": "horizon_days: !!python/name:os.system\n",
    "set": 'horizon_days: !!set {"\\" + str(1) + \\"": null}\n',
    "binary": "horizon_days: !!binary aGk=\n",
    "timestamp": "horizon_days: !!timestamp 2026-11-22\n",
    "omap": "horizon_days: !!omap [{a: 1}]\n",
    "local_tag": "horizon_days: !mine 3\n",
    "nested": "horizon_days: [1, !!set {a: null}]\n",
}


@pytest.mark.parametrize("case", sorted(TAGGED))
def test_params_file_with_a_yaml_tag_is_refused_naming_file_row_and_parameter(
    case: str, tmp_path: Path
) -> None:
    path = tmp_path / "params.yml"
    path.write_text("lang: en\n" + TAGGED[case], encoding="utf-8")
    with pytest.raises(InputError) as info:
        P.read_params_file(path)
    line = info.value.one_line()
    assert line.startswith(f"{path}:2: parameter horizon_days: YAML tag !")
    assert "not allowed" in line and "column" not in line
    assert not (tmp_path / "pwned").exists()


def test_params_file_aliases_duplicates_and_non_finite_numbers_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "params.yml"
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )  # 9**9 items once expanded: refused without expanding
    cases = {
        bomb: "parameter b: YAML aliases",
        "lang: en\nlang: zh\n": "parameter lang is given twice (rows 1 and 2)",
        "horizon_days: .inf\n": "parameter horizon_days: inf is not a finite number",
        "skus: {1: a}\n": "parameter skus: mapping keys must be text",
        "1: a\n": "parameter names must be text",
    }
    for text, message in cases.items():
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match=re.escape(message)):
            P.read_params_file(path)
    path.write_bytes(b"lang: \xff\n")
    with pytest.raises(InputError, match="not UTF-8"):
        P.read_params_file(path)


def test_params_file_values_keep_their_file_and_row_for_type_errors(tmp_path: Path) -> None:
    path = tmp_path / "params.yml"
    path.write_text("lang: en\n\nhorizon_days: soon\n", encoding="utf-8")
    given = P.read_params_file(path)
    assert given["horizon_days"] == P.FileValue("soon", str(path), 3)
    with pytest.raises(InputError) as info:
        P.resolve_parameters(given, _declared())
    line = info.value.one_line()
    assert line.startswith(f"{path}:3: parameter horizon_days must be int")
    assert "column" not in line


@pytest.mark.parametrize(
    ("text", "default"),
    [
        ("!!set {a: null}", ["US"]),
        ("!!binary aGk=", None),
        ("!!python/name:os.system", 3),
        ("!!python/object/apply:os.system [id]", "zh"),  # even for a text parameter
        ("[&a x, *a]", []),
    ],
)
def test_cli_values_with_yaml_tags_or_aliases_are_refused(text: str, default: object) -> None:
    with pytest.raises(InputError, match=r"parameter x: YAML (tag|aliases)"):
        P.coerce_value(P.RawText(text), P.NotebookParameter("x", default))


def test_parameter_errors_name_the_parameter_not_a_column() -> None:
    for given in ({"horizon": P.RawText("1")}, {"horizon_days": P.RawText("soon")},
                  {"lang": P.RawText("fr")}, {"output_dir": P.RawText("x")}):  # fmt: skip
        with pytest.raises(InputError) as info:
            P.resolve_parameters(given, _declared())
        assert "column" not in info.value.one_line()
        assert "parameter" in info.value.one_line()
    with pytest.raises(InputError) as info:
        parse_as_of("22/11/2026")
    assert info.value.one_line().startswith("parameter as_of must be a date YYYY-MM-DD or 'latest'")


def _plain_values():  # noqa: ANN202
    from hypothesis import strategies as st

    scalars = st.none() | st.booleans() | st.integers() | st.text()
    scalars = scalars | st.floats(allow_nan=False, allow_infinity=False)
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=12,
    )


def test_every_plain_value_is_written_as_an_equal_literal() -> None:
    """What papermill writes into the notebook evaluates (as a literal) to the value itself:
    quotes, backslashes, newlines and other scripts in text can never end the literal."""
    import ast

    from hypothesis import given, settings

    @settings(max_examples=300, deadline=None)
    @given(_plain_values())
    def check(value: object) -> None:
        source = P.literal_source(value)
        back = ast.literal_eval(source)
        assert P._same(back, value)

    check()
    breakout = '" + __import__("os").system("touch pwned") + "'
    assert ast.literal_eval(P.literal_source(breakout)) == breakout
    assert ast.literal_eval(P.literal_source(breakout + "\\")) == breakout + "\\"


def test_non_plain_values_cannot_be_written() -> None:
    for value in ({"a"}, b"hi", (1, 2), float("nan"), {1: "a"}, [object()]):
        with pytest.raises(InputError, match="parameter x"):
            P.literal_source(value, "x")


def test_path_parameters_are_made_absolute_against_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    store = P.NotebookParameter("store", None)
    forecast = P.NotebookParameter("forecast", None, "daily forecast CSV (path); None: forecast")
    other = P.NotebookParameter("note", None, "free text")
    assert store.is_path and forecast.is_path and not other.is_path
    assert P.coerce_value(P.RawText("h.duckdb"), store) == str(tmp_path / "h.duckdb")
    assert P.coerce_value(P.RawText("../x/f.csv"), forecast) == str(tmp_path.parent / "x/f.csv")
    assert P.coerce_value(P.RawText("2026"), store) == str(tmp_path / "2026")  # text, not int
    assert P.coerce_value(P.RawText("null"), store) is None
    assert P.coerce_value(P.FileValue("in/h.duckdb", "p.yml", 1), store) == str(
        tmp_path / "in/h.duckdb"
    )
    assert P.coerce_value(P.RawText("h.duckdb"), other) == "h.duckdb"  # not a path: as given
    with pytest.raises(InputError, match="parameter store is a path"):
        P.coerce_value(2026, store)
    with pytest.raises(InputError, match="parameter note takes text, a number"):
        P.coerce_value(P.RawText("[a, b]"), other)


def test_committed_notebooks_mark_their_file_parameters_as_paths() -> None:
    from forecasting.paths import NOTEBOOKS_DIR

    files = {"store", "settings", "forecast", "shipments"}
    for notebook in sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")):
        declared = P.declared_parameters(notebook)
        for name in files & set(declared):
            assert declared[name].is_path, f"{notebook.name}: {name} is not marked (path)"
        assert not declared["lang"].is_path


def test_as_of_latest_is_accepted_like_in_the_settings() -> None:
    assert parse_as_of("latest") is None and parse_as_of(" Latest ") is None
    nbs = {"01_x": {"as_of": P.NotebookParameter("as_of", None)}}
    assert P.resolve_parameters({"as_of": P.RawText("latest")}, nbs) == {
        "01_x": {"as_of": "latest"}
    }
