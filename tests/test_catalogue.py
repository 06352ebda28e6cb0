"""Every broken real-format file in ``tests/catalogue/`` gives its expected outcome.

See ``tests/catalogue/README.md`` for the format of a case.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from forecasting.cli import main

CATALOGUE = Path(__file__).parent / "catalogue"
CASES = sorted(p.parent for p in CATALOGUE.glob("*/expected.yml"))


def _expand(argv: list[str], case: Path, tmp: Path) -> list[str]:
    return [str(a).replace("{case}", str(case)).replace("{tmp}", str(tmp)) for a in argv]


def _check(step: dict, case: Path, tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = _expand(step["argv"], case, tmp)
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse refusals
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    text = out + err
    assert "Traceback" not in text, text
    assert code == step["exit_code"], f"{' '.join(argv)} exited {code}:\n{text}"
    for wanted in step.get("output_contains", []):
        wanted = str(wanted).replace("{case}", str(case)).replace("{tmp}", str(tmp))
        assert wanted in text, f"{wanted!r} not in the output of {' '.join(argv)}:\n{text}"


def test_catalogue_is_not_empty() -> None:
    assert CASES, "no cases under tests/catalogue/"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = yaml.safe_load((case / "expected.yml").read_text(encoding="utf-8"))
    assert spec.get("what"), f"{case.name}: expected.yml says nothing about the case"
    _check(spec, case, tmp_path, capsys)
    for step in spec.get("then", []):
        _check(step, case, tmp_path, capsys)
