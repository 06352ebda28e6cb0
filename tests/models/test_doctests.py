"""The worked examples in the models' docstrings run and stay right."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "distributions",
    "baselines",
    "intermittent",
    "poisson_gamma",
    "per_series",
    "prophet_model",
    "registry",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"forecasting.models.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
