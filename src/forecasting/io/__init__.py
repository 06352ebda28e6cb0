"""Readers of Amazon and ERP exports, and the DuckDB history store.

``read_export(path)`` reads one file of any supported kind (detected from its headers) into a
:class:`~forecasting.io.base.ParsedExport` (``read_exports(path)``: every export of a ``.zip``); ``open_store(path)`` opens the history store that
``forecasting ingest`` fills (see :mod:`forecasting.io.store`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from forecasting.errors import InputError
from forecasting.io import (
    ads,
    business_report,
    factory_stock,
    ledger,
    orders,
    planning_report,
    products,
    returns,
)
from forecasting.io.base import ParsedExport
from forecasting.io.detect import read_table, read_tables

#: export kind → reader module (each has ``read(raw, *, marketplace=None)``)
READERS = {
    "orders": orders,
    "business_report": business_report,
    "ledger": ledger,
    "planning_report": planning_report,
    "ads": ads,
    "search_terms": ads,
    "returns": returns,
    "products": products,
    "factory_stock": factory_stock,
}

#: names never ingested when a folder is expanded
SKIPPED_NAMES = {"readme.md", "readme.txt", "readme", "settings.yml", "settings.yaml"}
SKIPPED_DIRS = {"_truth"}


def read_export(path: str | Path, *, marketplace: str | None = None) -> ParsedExport:
    """Read one export file (kind detected from its headers).

    Parameters
    ----------
    path : str or Path
        A CSV/TSV/TXT export, optionally ``.gz`` or ``.zip``.
    marketplace : str, optional
        Marketplace code for exports that do not say (business reports, ads, returns) and whose
        currency or file name does not either.

    Raises
    ------
    InputError
        The file cannot be read as a known export (named file, row and column).
    """
    raw = read_table(path)
    return READERS[raw.kind].read(raw, marketplace=marketplace)


def read_exports(path: str | Path, *, marketplace: str | None = None) -> list[ParsedExport]:
    """Read every export a downloaded file holds: the file itself, or each member of a ``.zip``
    (named ``archive.zip:member``; members skipped as junk are listed in the first export's
    ``problems``).

    Parameters
    ----------
    path : str or Path
        A CSV/TSV/TXT/XLSX export, a ``.gz`` of one, or a ``.zip`` of any number of them.
    marketplace : str, optional
        As in :func:`read_export`, for every export of the file.

    Raises
    ------
    InputError
        The file, or one member of the archive, cannot be read (the member is named).
    """
    raws, notes = read_tables(path)
    parsed = [READERS[raw.kind].read(raw, marketplace=marketplace) for raw in raws]
    parsed[0].problems[:0] = notes
    return parsed


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files to read: files as given, folders expanded recursively in sorted order, skipping
    ``_truth/``, hidden files, README and settings files.

    Raises
    ------
    InputError
        A path does not exist.
    """
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if (
                    f.is_file()
                    and not any(part in SKIPPED_DIRS or part.startswith(".") for part in rel)
                    and f.name.lower() not in SKIPPED_NAMES
                ):
                    out.append(f)
        elif p.is_file():
            out.append(p)
        else:
            raise InputError("no such file or folder", file=p)
    return out


__all__ = ["READERS", "ParsedExport", "expand_paths", "read_export", "read_exports"]
