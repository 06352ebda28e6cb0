"""Fixtures shared by the whole suite.

``report_dir``: the weekly report of the bundled sample (``forecasting report`` with every notebook)
made ONCE per test session and shared by every test that reads it (tests/test_notebooks.py checks
its HTML, tests/reports/test_browser.py opens it in Chromium). With pytest-xdist the workers share
the parent of their base temp folder and take turns on a file lock: the first one runs the report,
the others wait and reuse it; a failed run is recorded, so the others fail with its reason instead
of running it again.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import traceback
from pathlib import Path

import pytest


def _session_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder shared by every worker of this test session (one process: its own)."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return tmp_path_factory.mktemp(name)
    # basetemp is <session>/popen-gwN: its parent belongs to this session and every worker
    shared = tmp_path_factory.getbasetemp().parent / name
    shared.mkdir(exist_ok=True)
    return shared


def _run_report(out: Path) -> str:
    """Run ``forecasting report`` on the sample into ``out``; '' when it succeeded, else why not."""
    from forecasting.cli import main

    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            code = main(["report", "--out", str(out)])
    except (Exception, SystemExit):  # recorded for every worker, reported as their failure
        return f"forecasting report raised:\n{traceback.format_exc()}"
    if code != 0:
        return f"forecasting report exited {code}:\n{printed.getvalue()[-4000:]}"
    return ""


@pytest.fixture(scope="session")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of the sample's weekly report (``<tmp>/out/<as-of>/``: ``index.html``, ``NN_*.html``,
    CSV and Excel plans), run once per test session even when pytest-xdist spreads its users over
    workers."""
    shared = _session_folder(tmp_path_factory, "sample-report")
    done, failed = shared / "done", shared / "failed"
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists() and not failed.exists():
            why = _run_report(shared / "out")
            (failed if why else done).write_text(why, encoding="utf-8")
    if failed.exists():
        pytest.fail(failed.read_text(encoding="utf-8"), pytrace=False)
    folders = [p for p in (shared / "out").iterdir() if p.is_dir()]
    assert len(folders) == 1, f"expected one dated report folder, found {folders}"
    return folders[0]
