"""forecasting.engine: same results in order on every backend."""

import operator

import pytest

from forecasting.engine import resolve_jobs, run_tasks, show_progress
from forecasting.errors import InputError


def _square(x: int) -> int:
    return x * x


@pytest.mark.parametrize(("jobs", "backend"), [(1, "local"), (2, "local"), (2, "dask")])
def test_results_in_task_order(jobs, backend):
    tasks = list(range(7))
    assert run_tasks(_square, tasks, jobs=jobs, backend=backend) == [t * t for t in tasks]


def test_progress_bar_goes_to_stderr(capsys):
    assert run_tasks(operator.neg, [1, 2], progress=True, desc="unit") == [-1, -2]
    captured = capsys.readouterr()
    assert "unit" in captured.err and captured.out == ""


def test_jobs_and_backend_checks():
    assert resolve_jobs(3) == 3
    assert resolve_jobs(-1) >= 1
    assert show_progress(False) is False
    with pytest.raises(InputError, match="unknown backend"):
        run_tasks(_square, [1], backend="spark")
