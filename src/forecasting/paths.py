"""Where the project's files are: the bundled sample, the default store, the reports folder."""

from __future__ import annotations

import os
from pathlib import Path

#: Root of the source checkout (``src/forecasting`` → two levels up).
PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: The bundled sample data set (real export formats), the default input of every command.
SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"
#: Settings that go with the sample.
SAMPLE_SETTINGS = SAMPLE_DIR / "settings.yml"
#: Where reports are written by default: ``reports/<as-of-date>/``.
REPORTS_DIR = PROJECT_ROOT / "reports"
#: Notebooks that make up the weekly report.
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"


def cache_dir() -> Path:
    """Folder for derived, rebuildable files (the sample store); git-ignored.

    ``FORECASTING_CACHE`` overrides it (tests point it at a temporary folder).
    """
    env = os.environ.get("FORECASTING_CACHE")
    path = Path(env) if env else PROJECT_ROOT / ".cache"
    path.mkdir(parents=True, exist_ok=True)
    return path
