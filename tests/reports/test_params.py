"""Parameter parsing and checking (no kernel: papermill only inspects the notebooks)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from forecasting.errors import InputError
from forecasting.reports import params as P


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
    assert P.parse_as_of("2026-11-22").isoformat() == "2026-11-22"
    with pytest.raises(InputError, match="as_of"):
        P.parse_as_of("22/11/2026")


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
