"""The report runner on tiny notebooks made in tmp (a real kernel, ~3 s per run)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest

from forecasting.cli import main
from forecasting.errors import InputError
from forecasting.reports.runner import FAILED_DIR, discover_notebooks, run_reports

PARAMS = 'lang = "zh"\nn = 3\nas_of = None\noutput_dir = "."\n'
GOOD = """
import pathlib
from forecasting.reports import i18n
pathlib.Path(output_dir, "plan.csv").write_text("sku,units\\nA,%d\\n" % n, encoding="utf-8")
i18n.md("health.title", lang)
"""


def _notebook(folder: Path, name: str, body: str, params: str = PARAMS) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(params)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    nbformat.write(nb, path)
    return path


def _cli(nbdir: Path, out: Path, *extra: str) -> int:
    return main(["report", "--notebooks-dir", str(nbdir), "--out", str(out), *extra])


@pytest.fixture(scope="module")
def good_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One successful CLI run of a tiny notebook: (notebooks dir, out dir)."""
    root = tmp_path_factory.mktemp("runner")
    nbdir = root / "nb"
    _notebook(nbdir, "01_tiny.ipynb", GOOD)
    out = root / "out"
    assert _cli(nbdir, out, "-p", "n=7", "-p", "lang=en") == 0
    return nbdir, out


def test_good_run_writes_html_index_and_outputs(good_run: tuple[Path, Path]) -> None:
    _, out = good_run
    folder = out / "2026-11-22"  # as_of of the sample settings
    html = (folder / "01_tiny.html").read_text(encoding="utf-8")
    assert "Data health" in html and "数据健康检查" not in html
    assert "<script src=" not in html  # self-contained: nothing from a CDN
    assert "pathlib" not in html  # inputs hidden
    assert (folder / "plan.csv").read_text(encoding="utf-8") == "sku,units\nA,7\n"
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="01_tiny.html"' in index and 'href="plan.csv"' in index
    assert "n=7" in index and "Planning reports 2026-11-22" in index
    assert str(folder) in index  # output_dir shown as the published folder, not the tmp one
    assert [p.name for p in out.iterdir()] == ["2026-11-22"]  # no temporary folder left


def test_unknown_parameter_rejected_before_running(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    nbdir = tmp_path / "nb"
    _notebook(nbdir, "01_tiny.ipynb", GOOD)
    out = tmp_path / "out"
    assert _cli(nbdir, out, "-p", "horizon=3") == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "unknown parameter horizon" in err
    assert not out.exists() or not any(out.iterdir())  # nothing ran, nothing written


def test_ill_typed_parameter_rejected_before_running(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    nbdir = tmp_path / "nb"
    _notebook(nbdir, "01_tiny.ipynb", GOOD)
    assert _cli(nbdir, tmp_path / "out", "-p", "n=three") == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "parameter n must be int" in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_failing_notebook_fails_run_and_keeps_previous_report(
    good_run: tuple[Path, Path], tmp_path: Path, capsys
) -> None:  # noqa: ANN001
    _, out = good_run
    folder = out / "2026-11-22"
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    nbdir = tmp_path / "nb"
    _notebook(nbdir, "02_broken.ipynb", "raise ValueError('stock table is empty')")
    assert _cli(nbdir, out) == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "02_broken.ipynb" in err and "ValueError: stock table is empty" in err
    kept = folder / FAILED_DIR / "02_broken.ipynb"
    assert kept.exists()
    outputs = [o for c in nbformat.read(kept, as_version=4).cells for o in c.get("outputs", [])]
    assert any(o.get("ename") == "ValueError" for o in outputs)
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert after == before  # previous good report untouched (index, html, csv)
    assert sorted(p.name for p in out.iterdir()) == ["2026-11-22"]  # no temp folder left


def test_failing_first_run_leaves_no_index(tmp_path: Path) -> None:
    nbdir = tmp_path / "nb"
    _notebook(nbdir, "01_broken.ipynb", "1 / 0")
    out = tmp_path / "out"
    with pytest.raises(Exception, match="ZeroDivisionError"):
        run_reports(notebooks_dir=nbdir, out_dir=out, parameters={"as_of": "2026-01-31"})
    folder = out / "2026-01-31"
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) == [
        FAILED_DIR,
        f"{FAILED_DIR}/01_broken.ipynb",
    ]


def test_discover_notebooks_sorted_and_selected(tmp_path: Path) -> None:
    for name in ["03_c.ipynb", "01_a.ipynb", "02_b.ipynb", "scratch.ipynb"]:
        _notebook(tmp_path, name, "x = 1")
    assert [p.name for p in discover_notebooks(tmp_path)] == [
        "01_a.ipynb",
        "02_b.ipynb",
        "03_c.ipynb",
    ]
    assert [p.stem for p in discover_notebooks(tmp_path, ["3", "01"])] == ["01_a", "03_c"]
    with pytest.raises(InputError, match="no notebook '05'"):
        discover_notebooks(tmp_path, ["05"])
    with pytest.raises(InputError, match="no report notebooks"):
        discover_notebooks(tmp_path / "empty")


def test_kernel_environment_is_set_and_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    from forecasting.reports.runner import _kernel_environment

    monkeypatch.setenv("MPLBACKEND", "module://somewhere")
    monkeypatch.delenv("PYTHONHASHSEED", raising=False)
    with _kernel_environment():
        assert os.environ["MPLBACKEND"] == "Agg"
        assert os.environ["PYTHONHASHSEED"] == "0"
    assert os.environ["MPLBACKEND"] == "module://somewhere"
    assert "PYTHONHASHSEED" not in os.environ


def test_parallel_run_keeps_order_and_reports_failure(tmp_path: Path) -> None:
    from forecasting.reports.runner import NotebookFailed

    nbdir = tmp_path / "nb"
    _notebook(nbdir, "01_a.ipynb", GOOD)
    _notebook(nbdir, "02_b.ipynb", GOOD.replace("plan.csv", "plan_b.csv"))
    run = run_reports(notebooks_dir=nbdir, out_dir=tmp_path / "out", jobs=2)
    assert [nb.name for nb in run.notebooks] == ["01_a", "02_b"]
    assert run.files == ["plan.csv", "plan_b.csv"]
    assert (run.folder / "index.html").exists()

    broken = tmp_path / "nb2"
    _notebook(broken, "01_a.ipynb", GOOD)
    _notebook(broken, "02_broken.ipynb", "raise KeyError('sku')")
    out = tmp_path / "out2"
    with pytest.raises(
        NotebookFailed, match=r"02_broken.ipynb failed in cell \d+: KeyError"
    ) as info:
        run_reports(notebooks_dir=broken, out_dir=out, jobs=2)
    assert info.value.notebook == "02_broken"
    assert info.value.kept is not None and info.value.kept.exists()
    assert not (out / "2026-11-22" / "index.html").exists()


def test_missing_store_rejected_before_running(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    nbdir = tmp_path / "nb"
    _notebook(nbdir, "01_tiny.ipynb", GOOD)
    assert _cli(nbdir, tmp_path / "out", "--store", str(tmp_path / "nope.duckdb")) == 2
    assert "nope.duckdb: store not found" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_stale_temporary_folders_of_killed_runs_are_removed(tmp_path: Path) -> None:
    from forecasting.reports.runner import remove_stale_folders

    dead = 2**22 + 12345  # above the default pid_max: no such process
    stale = tmp_path / f".2026-11-22.tmp-{dead}-0123abcd"
    live = tmp_path / f".2026-11-22.tmp-{os.getpid()}-0123abcd"
    report = tmp_path / "2026-11-22"
    for folder in (stale, live, report):
        folder.mkdir()
    assert remove_stale_folders(tmp_path) == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, report.name])


def test_as_of_latest_takes_the_stores_last_data_day_for_every_notebook(tmp_path: Path) -> None:
    """Scheduled runs: ``as_of: latest`` in the settings → the store's last complete data day
    (the io fixtures: 2026-11-19, where DE's data end), passed to every notebook."""
    import yaml

    from forecasting.config import SAMPLE_SETTINGS
    from forecasting.io import expand_paths
    from forecasting.io.store import build_store

    fixtures = Path(__file__).parents[1] / "io" / "fixtures"
    store = tmp_path / "h.duckdb"
    build_store(expand_paths([fixtures]), store, root=fixtures)
    raw = yaml.safe_load(SAMPLE_SETTINGS.read_text(encoding="utf-8"))
    raw["as_of"] = "latest"
    settings = tmp_path / "settings.yml"
    settings.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    body = 'import pathlib\npathlib.Path(output_dir, "as_of.txt").write_text(str(as_of))\n'
    nbdir = tmp_path / "nb"
    params = 'store = None\nsettings = None\nas_of = None\noutput_dir = "."\n'
    _notebook(nbdir, "01_a.ipynb", body, params)
    out = tmp_path / "out"
    assert _cli(nbdir, out, "--store", str(store), "--settings", str(settings)) == 0
    assert (out / "2026-11-19" / "as_of.txt").read_text() == "2026-11-19"
    # an explicit date still wins
    assert _cli(nbdir, out, "--store", str(store), "--settings", str(settings), "-p",
                "as_of=2026-11-15") == 0  # fmt: skip
    assert (out / "2026-11-15" / "as_of.txt").read_text() == "2026-11-15"
    # -p as_of=latest: the same resolution as the settings' latest, even over a fixed date
    raw["as_of"] = "2026-11-01"
    settings.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    shutil.rmtree(out / "2026-11-19")
    assert _cli(nbdir, out, "--store", str(store), "--settings", str(settings), "-p",
                "as_of=latest") == 0  # fmt: skip
    assert (out / "2026-11-19" / "as_of.txt").read_text() == "2026-11-19"


# --- parameters never become code; paths are the caller's ------------------------------------

ECHO_PARAMS = (
    'store = None\nsettings = None\nlang = "zh"\nas_of = None\noutput_dir = "."\n'
    'note = "x"  # free text\nforecast = None  # forecast CSV (path)\n'
)
ECHO = """
import json, pathlib
from forecasting.run import open_run
cfg = open_run(store, settings, as_of=as_of).settings
pathlib.Path(output_dir, "seen.json").write_text(json.dumps({
    "store": store, "settings": settings, "forecast": forecast, "note": note,
    "as_of": as_of, "settings_source": str(cfg.source),
    "store_exists": store is not None and pathlib.Path(store).exists(),
}), encoding="utf-8")
"""


def _payload(marker: Path) -> str:
    """Python that creates ``marker`` if it ever runs, shaped to end papermill's quotes."""
    return f'" + __import__("os").system("touch {marker}") + "'


@pytest.mark.parametrize("tag", ["set", "binary", "python/object/apply"])
def test_params_file_with_a_tag_runs_nothing(tag: str, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    import base64
    import json

    marker = tmp_path / "pwned"
    code = _payload(marker)
    value = {
        "set": f"!!set {{{json.dumps(code)}: null}}",
        "binary": "!!binary " + base64.b64encode(code.encode()).decode(),
        "python/object/apply": f"!!python/object/apply:os.system [{json.dumps(f'touch {marker}')}]",
    }[tag]
    params = tmp_path / "params.yml"
    params.write_text(f"lang: en\nnote: {value}\n", encoding="utf-8")
    nbdir = tmp_path / "nb"
    _notebook(nbdir, "01_echo.ipynb", ECHO, ECHO_PARAMS)
    out = tmp_path / "out"
    assert _cli(nbdir, out, "--params", str(params)) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert f"{params}:2: parameter note: YAML tag !!{tag}" in err
    assert not marker.exists()  # nothing executed
    assert not out.exists() or not any(out.iterdir())  # nothing ran


def test_text_that_looks_like_code_arrives_as_the_same_text(tmp_path: Path) -> None:
    import json

    marker = tmp_path / "pwned"
    text = _payload(marker) + "\\"  # a trailing backslash, quotes, a call: still one string
    params = tmp_path / "params.yml"
    params.write_text(f"note: {json.dumps(text)}\n", encoding="utf-8")
    nbdir = tmp_path / "nb"
    _notebook(nbdir, "01_echo.ipynb", ECHO, ECHO_PARAMS)
    out = tmp_path / "out"
    assert _cli(nbdir, out, "--params", str(params)) == 0
    seen = json.loads((out / "2026-11-22" / "seen.json").read_text(encoding="utf-8"))
    assert seen["note"] == text
    assert not marker.exists()


def test_relative_paths_are_the_callers_from_any_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's weekly command, run from the seller's own folder with relative paths:
    the notebooks (which run in their own folder) get the caller's files."""
    import json

    from forecasting.config import SAMPLE_SETTINGS

    nbdir = tmp_path / "project" / "notebooks"
    _notebook(nbdir, "01_echo.ipynb", ECHO, ECHO_PARAMS)
    work = tmp_path / "seller"
    work.mkdir()
    (work / "history.duckdb").write_bytes(b"")  # the runner only checks that it exists
    shutil.copy(SAMPLE_SETTINGS, work / "my-settings.yml")
    monkeypatch.chdir(work)
    code = main(["report", "--store", "history.duckdb", "--settings", "my-settings.yml",
                 "--notebooks-dir", "../project/notebooks", "--out", "reports",
                 "-p", "forecast=plans/forecast.csv"])  # fmt: skip
    assert code == 0
    seen = json.loads((work / "reports" / "2026-11-22" / "seen.json").read_text("utf-8"))
    assert seen["store"] == str(work / "history.duckdb") and seen["store_exists"]
    assert seen["settings"] == str(work / "my-settings.yml")
    assert seen["settings_source"] == str(work / "my-settings.yml")  # loaded in the kernel
    assert seen["forecast"] == str(work / "plans" / "forecast.csv")
    assert not (nbdir / "reports").exists()  # nothing written next to the notebooks


def test_out_naming_an_existing_file_is_one_line(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    nbdir = tmp_path / "nb"
    _notebook(nbdir, "01_tiny.ipynb", GOOD)
    target = tmp_path / "reports.txt"
    target.write_text("keep me", encoding="utf-8")
    assert _cli(nbdir, target) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"forecasting report: error: {target}: --out must be a folder, but this is an existing file"
    )
    assert target.read_text(encoding="utf-8") == "keep me"
