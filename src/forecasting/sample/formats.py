"""How Seller Central writes numbers, money, percentages and dates per marketplace and UI language.

Byte-identical output needs stable formatting: every number goes through these functions, never
through ``str(float)``; gzip members carry no file name and mtime 0.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd


def group_int(value: int, sep: str = ",") -> str:
    """Integer with thousands separators.

    >>> group_int(1234567), group_int(1234, ".")
    ('1,234,567', '1.234')
    """
    return f"{int(value):,}".replace(",", sep)


def money(value: float, marketplace: str) -> str:
    """Money as the Business Report writes it: ``$1,234.56``, ``1.234,56 €``, ``￥1,234``.

    >>> money(1234.5, "US"), money(1234.5, "DE"), money(1234.4, "JP")
    ('$1,234.50', '1.234,50 €', '￥1,234')
    """
    if marketplace == "JP":
        return "￥" + group_int(round(value))
    text = f"{value:,.2f}"
    if marketplace == "DE":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
        return f"{text} €"
    return f"${text}"


def percent(share: float, marketplace: str) -> str:
    """A share 0–1 as a percentage with two decimals: ``12.50%`` (DE: ``12,50%``).

    >>> percent(0.125, "US"), percent(0.125, "DE")
    ('12.50%', '12,50%')
    """
    text = f"{share * 100:.2f}%"
    return text.replace(".", ",") if marketplace == "DE" else text


def integer(value: int, marketplace: str) -> str:
    """A count with the marketplace's thousands separator (``.`` in DE)."""
    return group_int(value, "." if marketplace == "DE" else ",")


def ui_date(day: pd.Timestamp, marketplace: str) -> str:
    """Date as the Business Report UI writes it: US MM/DD/YYYY, DE dd.mm.yyyy, JP yyyy/mm/dd."""
    fmt = {"US": "%m/%d/%Y", "DE": "%d.%m.%Y", "JP": "%Y/%m/%d"}[marketplace]
    return day.strftime(fmt)


def plain(value: float, decimals: int = 2) -> str:
    """A float with a fixed number of decimals and no separators (flat files, TSV)."""
    return f"{value:.{decimals}f}"


def to_text(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    delimiter: str = ",",
    quote_all: bool = False,
    raw_formulas: bool = False,
) -> str:
    """CSV/TSV text with ``\\n`` line ends; the header first.

    With ``raw_formulas`` a field written as ``="…"`` (the new ads console's way of keeping long
    IDs as text in Excel) is emitted as is, not quoted and escaped by the CSV rules.

    >>> to_text(["id", "name"], [['="123"', "a,b"]], raw_formulas=True)
    'id,name\\n="123","a,b"\\n'
    """
    if raw_formulas:
        rows = [
            [f"\x01{v[2:-1]}\x02" if isinstance(v, str) and v.startswith('="') else v for v in row]
            for row in rows
        ]
    buf = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n", quoting=quoting)
    w.writerow(header)
    w.writerows(rows)
    text = buf.getvalue()
    return text.replace("\x01", '="').replace("\x02", '"') if raw_formulas else text


def write_text(path: Path, text: str, encoding: str = "utf-8", *, gz: bool = False) -> None:
    """Write ``text`` in ``encoding`` (``utf-8-sig`` adds the BOM); gzip with mtime 0 if ``gz``."""
    data = text.encode(encoding)
    path.parent.mkdir(parents=True, exist_ok=True)
    if gz:
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=6) as f:
            f.write(data)
        data = buf.getvalue()
    path.write_bytes(data)
