"""environment.yml (conda users) stays in step with pyproject.toml (pip users)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
#: PyPI name → conda-forge name, where they differ
CONDA_NAMES = {"duckdb": "python-duckdb"}
_REQ = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _split(req: str) -> tuple[str, str]:
    m = _REQ.match(req)
    assert m, req
    return _norm(m.group(1)), m.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    reqs = list(data["project"]["dependencies"]) + list(
        data["project"]["optional-dependencies"]["dev"]
    )
    return dict(_split(r) for r in reqs)


def _environment() -> tuple[dict[str, str], dict[str, str], list]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip, raw_pip = {}, {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            raw_pip = dep["pip"]
            for r in raw_pip:
                if not r.startswith("-"):
                    k, v = _split(r)
                    pip[k] = v
        else:
            k, v = _split(dep.replace("=", "==", 1) if re.match(r"^python=", dep) else dep)
            conda[k] = v
    return conda, pip, raw_pip


def test_every_dependency_is_in_environment_yml_with_the_same_bound() -> None:
    conda, pip, _ = _environment()
    by_pypi_name = {**pip}
    for name, spec in conda.items():
        pypi = next((p for p, c in CONDA_NAMES.items() if c == name), name)
        by_pypi_name[pypi] = spec
    for name, spec in _pyproject().items():
        assert name in by_pypi_name, f"{name} is in pyproject.toml but not in environment.yml"
        assert by_pypi_name[name] == spec, (
            f"{name}: pyproject {spec!r} vs environment.yml {by_pypi_name[name]!r}"
        )


def test_environment_yml_lists_nothing_pyproject_does_not() -> None:
    conda, pip, _ = _environment()
    known = set(_pyproject()) | {"python", "pip"}
    names = {next((p for p, c in CONDA_NAMES.items() if c == n), n) for n in conda} | set(pip)
    assert names <= known, f"only in environment.yml: {sorted(names - known)}"


def test_environment_installs_the_package_editable_on_python_311() -> None:
    conda, _, raw_pip = _environment()
    assert conda["python"] == "==3.11"
    assert "-e ." in raw_pip
