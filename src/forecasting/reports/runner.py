"""Run the report notebooks with papermill and export them as self-contained HTML.

``forecasting report`` runs every ``NN_*.ipynb`` in ``notebooks/`` (sorted by name), converts each
executed notebook to HTML with nbconvert (inputs hidden, figures inline as base64 PNG, no script
loaded from the network) and writes an ``index.html`` in ``reports/<as-of-date>/``. Papermill and
nbconvert are the well-kept libraries for running and exporting notebooks; this module only adds
what they leave to the caller:

- parameters are checked against every notebook's declaration before anything runs
  (:mod:`forecasting.reports.params`);
- the run is all-or-nothing: everything is rendered into a temporary sibling folder that replaces
  ``reports/<as-of>/`` only when every notebook succeeded, so a previous good report stays until a
  complete new one is there, and no half-written file is ever visible. A failing notebook stops the
  run; its executed copy (with the traceback) is kept in ``reports/<as-of>/_failed/`` and a
  :class:`NotebookFailed` names the notebook and the cell's error;
- the kernel is always the ``python3`` kernel of the running interpreter (the venv), whatever
  kernelspecs the user has installed elsewhere; ``MPLBACKEND=Agg`` and ``PYTHONHASHSEED=0`` are
  set for it, so runs are headless and repeatable.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forecasting.errors import InputError
from forecasting.outputs import output_folder
from forecasting.paths import NOTEBOOKS_DIR, REPORTS_DIR
from forecasting.reports import params as P

#: Report notebooks: two digits, underscore, name.
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
#: Sub-folder of ``reports/<as-of>/`` holding executed notebooks that failed.
FAILED_DIR = "_failed"
#: Extensions of other outputs listed in the index (plans written by notebooks).
OUTPUT_SUFFIXES = (".csv", ".xlsx", ".parquet", ".json", ".png", ".pdf")


class NotebookFailed(Exception):
    """A notebook raised in a cell; ``str()`` is the one-line message for the user."""

    def __init__(self, notebook: str, message: str, kept: Path | None) -> None:
        self.notebook = notebook
        self.kept = kept
        super().__init__(message)

    def __reduce__(self) -> tuple[type, tuple[str, str, Path | None]]:
        """Pickle with all three arguments (raised in a worker process, re-raised here)."""
        return (type(self), (self.notebook, str(self), self.kept))


@dataclass
class NotebookRun:
    """One executed notebook of a report run."""

    name: str  #: file stem, e.g. ``01_data_health``
    title: str  #: first heading the notebook printed (or the name)
    html: str  #: HTML file name inside the run folder
    seconds: float  #: wall time of execution + export, seconds
    passed: dict[str, Any]  #: parameters injected by this run
    effective: dict[str, Any]  #: every declared parameter with the value it ran with


@dataclass
class ReportRun:
    """A complete report run (returned once the folder is in place)."""

    as_of: dt.date
    folder: Path  #: ``<out>/<as-of>/``
    started_at: dt.datetime  #: UTC
    seconds: float  #: total wall time, seconds
    lang: str
    notebooks: list[NotebookRun] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  #: other outputs, relative to ``folder``


def discover_notebooks(
    folder: str | Path | None = None, select: Sequence[str] | None = None
) -> list[Path]:
    """Report notebooks in ``folder`` sorted by name, optionally only those numbered in ``select``.

    Parameters
    ----------
    folder : path, optional
        Default ``notebooks/`` of the project.
    select : sequence of str, optional
        Two-digit prefixes (``["01", "03"]``) or full stems; unknown ones raise InputError.
    """
    folder = Path(folder) if folder is not None else NOTEBOOKS_DIR
    found = sorted(folder.glob(NOTEBOOK_GLOB))
    if not select:
        if not found:
            raise InputError(f"no report notebooks (NN_*.ipynb) in {folder}")
        return found
    chosen: list[Path] = []
    for key in select:
        key = key.strip()
        hits = [p for p in found if p.stem == key or p.stem.split("_", 1)[0] == key.zfill(2)]
        if not hits:
            names = ", ".join(p.stem for p in found) or "none"
            raise InputError(f"no notebook {key!r} in {folder} (have: {names})")
        chosen.extend(h for h in hits if h not in chosen)
    return sorted(chosen)


def report_date(
    as_of: Any, settings: str | Path | None, store: str | Path | None = None
) -> dt.date:
    """The report folder's date: the run's ``as_of`` (:func:`forecasting.run.open_run`, as the
    notebooks resolve it): the ``as_of`` parameter if given, else the settings' ``as_of``;
    ``latest`` (as the parameter or in the settings) means the store's last complete data day."""
    from forecasting.run import open_run

    return open_run(store, settings, as_of=as_of).as_of


def _first(passed: Mapping[str, Mapping[str, Any]], name: str, default: Any = None) -> Any:
    """The checked value of parameter ``name`` (the same in every notebook declaring it)."""
    return next((values[name] for values in passed.values() if name in values), default)


def _given_parameters(
    parameters: Mapping[str, Any] | None, store: str | Path | None, settings: str | Path | None
) -> dict[str, Any]:
    """The user's parameters plus ``store`` / ``settings`` as absolute paths (the store must
    exist)."""
    given: dict[str, Any] = dict(parameters or {})
    if store is not None:
        store = Path(os.path.abspath(store))
        if not store.exists():
            raise InputError("store not found (run `forecasting ingest` first)", file=store)
        given["store"] = str(store)
    if settings is not None:
        given["settings"] = os.path.abspath(settings)
    return given


_Task = tuple[Path, Path, dict[str, Any], Mapping[str, P.NotebookParameter], Path]


def _tasks(
    paths: Sequence[Path],
    passed: Mapping[str, Mapping[str, Any]],
    declared: Mapping[str, Mapping[str, P.NotebookParameter]],
    as_of: dt.date,
    tmp: Path,
    final: Path,
) -> list[_Task]:
    """One task per notebook: its parameter values, every report on the same resolved
    ``as_of`` and writing into the run's temporary folder ``tmp``."""
    tasks = []
    for path in paths:
        values = dict(passed[path.stem])
        if "as_of" in declared[path.stem]:  # every report on the same, resolved date
            values["as_of"] = as_of.isoformat()
        if "output_dir" in declared[path.stem]:
            values["output_dir"] = str(tmp)
        for name, value in values.items():  # what papermill writes is that literal
            P.literal_source(value, name)
        tasks.append((path, tmp, values, declared[path.stem], final))
    return tasks


def _run_tasks(
    tasks: list[_Task], jobs: int, log: Callable[[str], None] | None
) -> list[NotebookRun]:
    """Run the notebooks in turn (``jobs`` ≤ 1 or one task) or in ``jobs`` worker processes."""
    if jobs > 1 and len(tasks) > 1:
        return _run_parallel(tasks, jobs, log)
    done: list[NotebookRun] = []
    for task in tasks:
        if log:
            log(f"running {task[0].name} …")
        done.append(_run_one(*task))
        if log:
            log(f"  {task[0].name}: {done[-1].seconds:.1f} s")
    return done


def run_reports(
    parameters: Mapping[str, Any] | None = None,
    *,
    notebooks_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    select: Sequence[str] | None = None,
    store: str | Path | None = None,
    settings: str | Path | None = None,
    jobs: int = 1,
    log: Callable[[str], None] | None = None,
) -> ReportRun:
    """Run the report notebooks and publish ``<out_dir>/<as-of>/`` with HTML and an index.

    Parameters
    ----------
    parameters : mapping of name → value, optional
        User parameters (:class:`~forecasting.reports.params.RawText` from ``-p`` or YAML values).
    notebooks_dir : path, optional
        Folder of ``NN_*.ipynb`` notebooks; default ``notebooks/``.
    out_dir : path, optional
        Reports folder; default ``reports/``. The run goes to ``<out_dir>/<as-of>/``.
    select : sequence of str, optional
        Run only these notebooks (``["01", "03"]``).
    store, settings : path, optional
        Passed as parameters ``store`` / ``settings`` to notebooks declaring them.
    jobs : int
        Notebooks run at once (each in its own kernel and worker process); 1 runs them in turn.
        On a failure the notebooks not yet started are cancelled.
    log : callable, optional
        Receives one progress line per notebook.

    Returns
    -------
    ReportRun
        What ran, how long each notebook took (seconds) and the files written.

    Raises
    ------
    InputError
        Unknown or ill-typed parameter, bad selection: before anything runs.
    NotebookFailed
        A cell raised; nothing of this run is published except ``_failed/<name>.ipynb``.
    """
    # notebooks run in their own folder: every path is made absolute against the caller's cwd
    out_given = out_dir if out_dir is not None else REPORTS_DIR
    out = output_folder(out_given, "--out", create=False)  # checked first, made once all is checked
    given = _given_parameters(parameters, store, settings)
    if notebooks_dir is not None:
        notebooks_dir = Path(os.path.abspath(notebooks_dir))
    paths = discover_notebooks(notebooks_dir, select)
    declared = {p.stem: P.declared_parameters(p) for p in paths}
    passed = P.resolve_parameters(given, declared)  # plain literals, absolute paths
    as_of = report_date(
        _first(passed, "as_of"),
        _first(passed, "settings", given.get("settings")),
        _first(passed, "store", given.get("store")),
    )
    lang = _first(passed, "lang", "zh")

    out = output_folder(out_given, "--out")
    remove_stale_folders(out)
    final = out / as_of.isoformat()
    tmp = out / f".{as_of.isoformat()}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    t0 = time.perf_counter()
    run = ReportRun(as_of=as_of, folder=final, started_at=started, seconds=0.0, lang=lang)
    try:
        tasks = _tasks(paths, passed, declared, as_of, tmp, final)
        with _kernel_environment():
            run.notebooks = _run_tasks(tasks, jobs, log)
        run.files = _other_files(tmp)
        run.seconds = time.perf_counter() - t0
        from forecasting.reports.index import write_index

        write_index(run, tmp)
        _swap_into_place(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return run


def _run_parallel(
    tasks: list[tuple[Path, Path, dict[str, Any], Mapping[str, P.NotebookParameter], Path]],
    jobs: int,
    log: Callable[[str], None] | None,
) -> list[NotebookRun]:
    """Run ``tasks`` in ``jobs`` worker processes; raise the first failure (in name order)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    done: dict[str, NotebookRun] = {}
    failed: list[NotebookFailed] = []
    context = multiprocessing.get_context("spawn")  # no forked kernel or zmq state
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = {pool.submit(_run_one, *task): task[0] for task in tasks}
        if log:
            log(f"running {len(tasks)} notebooks, {jobs} at a time …")
        for future in as_completed(futures):
            path = futures[future]
            try:
                done[path.stem] = future.result()
            except NotebookFailed as exc:
                failed.append(exc)
                for other in futures:
                    other.cancel()
                continue
            if log:
                log(f"  {path.name}: {done[path.stem].seconds:.1f} s")
    if failed:
        raise min(failed, key=lambda e: e.notebook)
    return [done[task[0].stem] for task in tasks]


def _run_one(
    path: Path,
    tmp: Path,
    values: dict[str, Any],
    declared: Mapping[str, P.NotebookParameter],
    final: Path,
) -> NotebookRun:
    """Execute one notebook into ``tmp`` and export its HTML there."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    t0 = time.perf_counter()
    executed = tmp / path.name
    try:
        papermill.execute_notebook(
            str(path),
            str(executed),
            parameters=values,
            kernel_name="python3",
            kernel_manager_class=_venv_kernel_manager_class(),
            cwd=str(path.parent),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
        )
    except PapermillExecutionError as exc:
        kept = _keep_failed(executed, final)
        evalue = " ".join(str(exc.evalue).split())
        raise NotebookFailed(
            path.stem,
            f"notebook {path.name} failed in cell {exc.exec_count}: {exc.ename}: {evalue}"
            + (f" (executed notebook kept in {kept})" if kept else ""),
            kept,
        ) from None
    title = _write_html(executed, tmp / f"{path.stem}.html")
    executed.unlink()
    shown = {k: (str(final) if k == "output_dir" else v) for k, v in values.items()}
    effective = {name: p.default for name, p in declared.items()} | shown
    return NotebookRun(
        name=path.stem,
        title=title or path.stem,
        html=f"{path.stem}.html",
        seconds=time.perf_counter() - t0,
        passed=shown,
        effective=effective,
    )


def _keep_failed(executed: Path, final: Path) -> Path | None:
    """Move a failed executed notebook to ``<final>/_failed/`` (atomically); return its path."""
    if not executed.exists():
        return None
    folder = final / FAILED_DIR
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / executed.name
    os.replace(executed, target)
    return target


def _write_html(executed: Path, target: Path) -> str:
    """Export an executed notebook to self-contained HTML; return its title (first heading)."""
    import nbformat

    from forecasting.reports.html import export_html, notebook_title

    nb = nbformat.read(executed, as_version=4)
    title = notebook_title(nb)
    target.write_text(export_html(nb, title), encoding="utf-8")
    return title


def _other_files(folder: Path) -> list[str]:
    """Output files the notebooks wrote into the run folder (relative paths, sorted)."""
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in OUTPUT_SUFFIXES
    )


def remove_stale_folders(out: Path) -> list[Path]:
    """Remove temporary run folders left in ``out`` by runs that were killed; return them.

    A run's folders are named ``.<as-of>.tmp-<pid>-<id>`` / ``.<as-of>.old-<pid>-<id>``; one is
    stale when no process ``<pid>`` is alive (a live concurrent run keeps its folders).
    """
    removed = []
    for folder in out.glob(".*.*-*-*"):
        match = _RUN_FOLDER.fullmatch(folder.name)
        if not match or not folder.is_dir() or _alive(int(match.group(1))):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


_RUN_FOLDER = re.compile(r"\.\d{4}-\d{2}-\d{2}\.(?:tmp|old)-(\d+)-[0-9a-f]{8}")


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (signal 0 checks without signalling)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _swap_into_place(tmp: Path, final: Path) -> None:
    """Replace ``final`` by ``tmp`` with renames (each one atomic; the old one removed after)."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    had_old = final.exists()
    if had_old:
        os.replace(final, old)
    try:
        os.replace(tmp, final)
    except OSError:
        if had_old:
            os.replace(old, final)
        raise
    if had_old:
        shutil.rmtree(old, ignore_errors=True)


class _KernelEnvironment:
    """Context manager setting the kernel's environment variables, restored on exit."""

    VALUES = {"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}

    def __enter__(self) -> None:
        self._saved = {k: os.environ.get(k) for k in self.VALUES}
        os.environ.update(self.VALUES)

    def __exit__(self, *exc: object) -> None:
        for key, value in self._saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _kernel_environment() -> _KernelEnvironment:
    return _KernelEnvironment()


def _venv_kernel_manager_class() -> type:
    """A KernelManager whose kernel is always ``sys.executable -m ipykernel`` (the venv's).

    A user-level ``python3`` kernelspec (``~/.local/share/jupyter``) would otherwise win over the
    venv's own. Transport encryption is ``auto`` (CurveZMQ keys when pyzmq supports it), which also
    keeps the kernel from warning on stderr about plain-text TCP.
    """
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import KernelManager
    from traitlets import default

    class VenvKernelManager(KernelManager):
        @default("transport_encryption")
        def _default_transport_encryption(self) -> str:
            import zmq

            return "auto" if zmq.has("curve") else "disabled"

        @property
        def kernel_spec(self) -> KernelSpec:  # type: ignore[override]
            if self._kernel_spec is None:
                # interrupts as messages: jupyter_client interrupts every kernel it shuts down,
                # and a SIGINT makes ipykernel log "KeyboardInterrupt caught" on the console
                self._kernel_spec = KernelSpec(**{**get_kernel_dict(), "interrupt_mode": "message"})
            return self._kernel_spec

    return VenvKernelManager
