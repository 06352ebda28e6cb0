"""What a downloaded file holds: one export, a ``.gz`` of one, or a ``.zip`` of several.

A ``.zip`` may hold several exports: every member is read and named ``archive.zip:member.txt``
in messages, the ingest log and the quarantine (folders inside the archive are kept in the
name). macOS metadata (``__MACOSX/``, ``._*``, ``.DS_Store``), other hidden files and empty
members are skipped, and the skip is reported; a member that is password-protected, damaged,
larger than :data:`MAX_EXPORT_BYTES` unpacked or itself a ``.zip`` refuses the archive, naming
the member. An ``.xlsx`` workbook is also a zip: it is one export, read by
:mod:`forecasting.io.detect`. Member names that a Chinese Windows archiver stored in GBK are
decoded as such.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from forecasting.errors import InputError

#: largest export read once unpacked (bytes): a bigger .gz/.zip member is refused, not unpacked
#: into memory (a damaged or hostile archive can claim any size)
MAX_EXPORT_BYTES = 2 << 30
_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class Source:
    """One file's bytes as a reader sees them: a file on disk (decompressed when ``.gz``) or
    one member of a ``.zip``."""

    name: str  #: for messages: the path, or ``archive.zip:member``
    data: bytes


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as the archiver meant it: names without the UTF-8 flag are stored in the
    archiver's code page (GBK on Chinese Windows), which :mod:`zipfile` decodes as cp437."""
    name = info.filename
    if info.flag_bits & 0x800 or name.isascii():
        return name
    raw = name.encode("cp437", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def _junk(name: str) -> str | None:
    """Why an archive member is not an export (macOS metadata, a hidden file), or None."""
    parts = PurePosixPath(name).parts
    if "__MACOSX" in parts or parts[-1].startswith("._") or parts[-1].lower() == ".ds_store":
        return "macOS metadata"
    if parts[-1].lower() in _JUNK_NAMES or any(p.startswith(".") for p in parts):
        return "hidden or system file"
    return None


def _too_large(name: str) -> InputError:
    return InputError(
        f"holds more than {MAX_EXPORT_BYTES >> 30} GiB of text once unpacked; split the export "
        "(a shorter date range) or check that the archive is what you downloaded",
        file=name,
    )


def _decompress_gz(data: bytes, name: str) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(MAX_EXPORT_BYTES + 1)
    except (OSError, EOFError) as exc:
        raise InputError(f"broken .gz file: {exc}", file=name) from None
    if len(out) > MAX_EXPORT_BYTES:
        raise _too_large(name)
    return out


def is_workbook(data: bytes) -> bool:
    """Whether ``data`` is an Excel ``.xlsx`` workbook (a zip with ``xl/workbook.xml``)."""
    if data[:4] != b"PK\x03\x04":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "xl/workbook.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False


def open_sources(path: str | Path) -> tuple[list[Source], list[str]]:
    """The exports a downloaded file holds, and notes on archive members that were skipped.

    Parameters
    ----------
    path : str or Path
        A text export, an ``.xlsx`` workbook, a ``.gz`` (one file) or a ``.zip`` (any number of
        exports, in folders or not).

    Returns
    -------
    (sources, notes) : (list of Source, list of str)
        One source per export, zip members sorted by name; ``notes`` says which members were
        skipped and why (empty for a plain file).

    Raises
    ------
    InputError
        The file cannot be read, a ``.gz``/``.zip`` is broken, or an archive member cannot be
        read (named ``archive.zip:member``), or an archive holds no export.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", file=path) from None
    if data[:2] == b"\x1f\x8b":
        return [Source(str(path), _decompress_gz(data, str(path)))], []
    if data[:2] != b"PK" or not zipfile.is_zipfile(io.BytesIO(data)) or is_workbook(data):
        return [Source(str(path), data)], []
    sources: list[Source] = []
    skipped: list[str] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = sorted(
                (i for i in zf.infolist() if not i.is_dir()), key=lambda i: _member_name(i)
            )
            for info in infos:
                member = _member_name(info)
                name = f"{path}:{member}"
                why = _junk(member)
                if why is None and info.file_size == 0:
                    why = "empty"
                if why is not None:
                    skipped.append(f"{member} ({why})")
                    continue
                if info.file_size > MAX_EXPORT_BYTES:
                    raise _too_large(name)
                if info.flag_bits & 0x1:
                    raise InputError(
                        "the archive member is password-protected; unzip it first", file=name
                    )
                try:
                    content = zf.read(info)
                except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                    raise InputError(f"broken archive member: {exc}", file=name) from None
                if content[:2] == b"\x1f\x8b":
                    content = _decompress_gz(content, name)
                elif content[:4] == b"PK\x03\x04" and not is_workbook(content):
                    raise InputError("a .zip inside the .zip; unzip it first", file=name)
                sources.append(Source(name, content))
    except zipfile.BadZipFile as exc:
        raise InputError(f"broken .zip file: {exc}", file=path) from None
    notes = [f"skipped in {path.name}: {', '.join(skipped)}"] if skipped else []
    if not sources:
        what = f" (skipped: {', '.join(skipped)})" if skipped else ""
        raise InputError(f"the .zip file holds no export{what}", file=path)
    return sources, notes
