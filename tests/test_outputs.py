"""Every command's output argument: a file where a folder is expected (and the reverse), a path
under a file, or a folder that cannot be made is one line naming the path, exit 2, before any work."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from forecasting.cli import main
from forecasting.errors import InputError
from forecasting.outputs import output_file, output_folder

#: command line (without the output) → the output option and whether it takes a folder
FOLDER_COMMANDS = {
    "plan": (["plan"], "--output"),
    "produce": (["produce"], "--output"),
    "report": (["report"], "--out"),
    "sample": (["sample"], "--out"),
}
FILE_COMMANDS = {
    "history": (["history"], "--output"),
    "forecast": (["forecast", "--input", "missing.csv", "--horizon", "3"], "--output"),
    "backtest": (["backtest", "--input", "missing.csv", "--horizon", "3"], "--output"),
    "simulate": (
        ["simulate", "--input", "missing.csv", "--lead-time", "30", "--review-period", "7"],
        "--output",
    ),  # fmt: skip
    "validate": (["validate", "missing.csv"], "--quarantine"),
}


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err.strip()


@pytest.mark.parametrize("command", sorted(FOLDER_COMMANDS))
def test_folder_option_naming_a_file(command: str, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    argv, option = FOLDER_COMMANDS[command]
    target = tmp_path / "plans.txt"
    target.write_text("keep", encoding="utf-8")
    code, err = _run([*argv, option, str(target)], capsys)
    assert code == 2
    assert err == (
        f"forecasting {command}: error: {target}: {option} must be a folder, "
        "but this is an existing file"
    )
    assert target.read_text(encoding="utf-8") == "keep"
    code, err = _run([*argv, option, str(target / "sub")], capsys)
    assert code == 2 and f"cannot create a folder inside the file {target}" in err


@pytest.mark.parametrize("command", sorted(FILE_COMMANDS))
def test_file_option_naming_a_folder(command: str, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    argv, option = FILE_COMMANDS[command]
    code, err = _run([*argv, option, str(tmp_path)], capsys)
    assert code == 2
    # checked first: the missing input file is not what is reported
    assert err == (
        f"forecasting {command}: error: {tmp_path}: {option} must be a file name, "
        "but this is an existing folder"
    )
    blocker = tmp_path / "a.csv"
    blocker.write_text("x", encoding="utf-8")
    code, err = _run([*argv, option, str(blocker / "b.csv")], capsys)
    assert code == 2 and f"cannot write inside the file {blocker}" in err


def test_relative_outputs_are_made_absolute_and_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert output_folder("out/plans", "--output") == tmp_path / "out" / "plans"
    assert (tmp_path / "out" / "plans").is_dir()
    assert output_file("new/dir/sales.csv") == tmp_path / "new" / "dir" / "sales.csv"
    assert (tmp_path / "new" / "dir").is_dir()
    assert not (tmp_path / "new" / "dir" / "sales.csv").exists()  # the file is not created


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
def test_unwritable_folder_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        with pytest.raises(InputError, match="not writable"):
            output_folder(locked)
        with pytest.raises(InputError, match="not writable"):
            output_file(locked / "x.csv")
        with pytest.raises(InputError, match="cannot create the folder"):
            output_folder(locked / "sub")
    finally:
        locked.chmod(0o700)


def test_a_folder_that_cannot_be_made_is_refused_even_for_root() -> None:
    with pytest.raises(InputError, match="--out: cannot create the folder"):
        output_folder("/proc/forecasting-no-such-folder/reports", "--out")


def test_a_failed_write_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    import pandas as pd

    from forecasting.commands._forecast_args import write_csv

    with pytest.raises(InputError, match="cannot write"):
        write_csv(pd.DataFrame({"a": [1]}), Path("/proc/forecasting-no-such.csv"))


def test_checking_without_creating_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b"
    assert output_folder(target, create=False) == target
    assert not (tmp_path / "a").exists()
    blocker = tmp_path / "f"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="must be a folder"):
        output_folder(blocker, create=False)
    with pytest.raises(InputError, match="inside the file"):
        output_folder(blocker / "sub", create=False)
