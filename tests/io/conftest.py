"""Shared fixtures of the io tests: the fixture folder and a store built from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from forecasting.io import expand_paths
from forecasting.io.store import Store, build_store

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """The folder of small real-format exports."""
    return FIXTURES


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A store with every fixture file ingested once (module-scoped: treat as read-only)."""
    path = tmp_path_factory.mktemp("store") / "history.duckdb"
    build_store(expand_paths([FIXTURES]), path, root=FIXTURES)
    return Store(path)
