"""Where a command writes: ``--out`` / ``--output`` checked before any work, in one place.

Every command that writes takes a folder (``plan``, ``produce``, ``report``, ``sample``) or a file
(``history``, ``forecast``, ``backtest``, ``simulate``, ``validate --quarantine``). A file given
where a folder is expected, a folder given where a file is expected, a parent that is a file or a
folder that cannot be created or written are refused with one line naming the path and the option
(:class:`~forecasting.errors.InputError`, exit 2) *before* the command reads or computes anything,
instead of a traceback minutes later. Relative paths are made absolute against the current
working directory (notebooks run elsewhere).
"""

from __future__ import annotations

import os
from pathlib import Path

from forecasting.errors import InputError


def _absolute(path: str | os.PathLike[str]) -> Path:
    return Path(os.path.abspath(os.path.expanduser(os.fspath(path))))


def _file_ancestor(path: Path) -> Path | None:
    """The nearest existing ancestor of ``path`` when it is not a folder (e.g. a file)."""
    for parent in path.parents:
        if parent.exists():
            return None if parent.is_dir() else parent
    return None


def output_folder(
    path: str | os.PathLike[str], option: str = "--output", *, create: bool = True
) -> Path:
    """The absolute, writable output folder ``path`` (created with its parents).

    Parameters
    ----------
    path : path
        The folder the user named (relative to the current working directory).
    option : str
        The command-line option, named in messages (``--out``, ``--output``).
    create : bool
        Create the folder now; with False only check that it could be (the nearest existing
        folder above it is writable), so a run refused for another reason leaves nothing behind.

    Returns
    -------
    Path
        The folder, absolute.

    Raises
    ------
    InputError
        ``path`` is an existing file, lies under a file, or cannot be created or written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile() as f:
    ...     output_folder(f.name, "--out")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    forecasting.errors.InputError: ...: --out must be a folder, but this is an existing file
    """
    folder = _absolute(path)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{option} must be a folder, but this is an existing file", file=folder)
    blocker = _file_ancestor(folder)
    if blocker is not None:
        raise InputError(f"{option}: cannot create a folder inside the file {blocker}", file=folder)
    if not create:
        existing = next(p for p in (folder, *folder.parents) if p.exists())
        if not os.access(existing, os.W_OK | os.X_OK):
            where = "the folder is" if existing == folder else f"the folder {existing} is"
            raise InputError(f"{option}: {where} not writable", file=folder)
        return folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"{option}: cannot create the folder: {exc.strerror}", file=folder
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"{option}: the folder is not writable", file=folder)
    return folder


def output_file(path: str | os.PathLike[str], option: str = "--output") -> Path:
    """The absolute path of an output file ``path`` whose folder exists (created) and is writable.

    Parameters
    ----------
    path : path
        The file the user named (relative to the current working directory).
    option : str
        The command-line option, named in messages.

    Returns
    -------
    Path
        The file path, absolute (the file itself is not created).

    Raises
    ------
    InputError
        ``path`` is an existing folder, its folder cannot be created or written, or the file
        exists and is not writable.
    """
    file = _absolute(path)
    if file.is_dir():
        raise InputError(f"{option} must be a file name, but this is an existing folder", file=file)
    if file.exists() and not os.access(file, os.W_OK):
        raise InputError(f"{option}: the file is not writable", file=file)
    blocker = _file_ancestor(file)
    if blocker is not None:
        raise InputError(f"{option}: cannot write inside the file {blocker}", file=file)
    if not file.parent.is_dir():
        output_folder(file.parent, option)
    if not os.access(file.parent, os.W_OK | os.X_OK):
        raise InputError(f"{option}: the folder {file.parent} is not writable", file=file)
    return file
