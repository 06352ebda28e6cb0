"""Open an export as users download it: compression, encoding, delimiter, header row, kind.

- ``.gz`` and ``.zip`` (one data file inside) are read directly; so is an ``.xlsx`` workbook (the
  legacy ads console's default download), first sheet, through openpyxl.
- Encodings: UTF-8 (with or without BOM) first; otherwise GB18030 (a superset of GBK, which Chinese
  Excel writes) and cp932 (Japanese Seller Central). Both legacy codecs decode most byte strings,
  so the choice is scored: the decoding whose headers match more alias-table entries wins, then
  the one without half-width katakana (GBK bytes read as cp932 turn into half-width katakana, which
  no Japanese Amazon export contains), then the one with more kana and ￥ (Japanese text). A file no codec can decode is an :class:`InputError`.
- Delimiter: tab, semicolon or comma, whichever the header line holds most of.
- Kind: the alias table whose signature columns the headers match best
  (:data:`forecasting.io.aliases.SIGNATURES`).

Hand-written because ``charset-normalizer``/``chardet`` guess poorly on short, mostly-ASCII CSVs
and are not dependencies; the alias tables give a much stronger signal for these files.
"""

from __future__ import annotations

import gzip
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from forecasting.errors import InputError
from forecasting.io.aliases import LOOKUP, SIGNATURES, normalise_header
from forecasting.io.parse import unwrap_excel_formulas

_HALFWIDTH_KANA = re.compile("[\uff61-\uff9f]")
_KANA = re.compile("[\u3040-\u30ff\uffe5]")
_ROW_IN_MESSAGE = re.compile(r"line (\d+)")


@dataclass
class RawTable:
    """An export read as text: every cell a string, headers as written, nothing dropped.

    ``line`` holds each data row's line number as a spreadsheet shows it (header = row 1 when
    the header is the first line).
    """

    file: str  #: the path as the user gave it (for messages)
    encoding: str
    delimiter: str
    frame: pd.DataFrame  #: str cells, original headers
    header_line: int  #: 1-based line of the header
    kind: str = ""
    columns: dict[str, str] = field(default_factory=dict)  #: canonical → original header

    @property
    def rows(self) -> int:
        """Number of data rows."""
        return len(self.frame)

    def line(self, positions: object) -> object:
        """Spreadsheet row number(s) of 0-based data row position(s)."""
        return positions + self.header_line + 1  # type: ignore[operator]


def read_bytes(path: Path) -> bytes:
    """The file's bytes, decompressed when it is ``.gz`` or ``.zip`` (first non-folder member);
    an ``.xlsx`` workbook (also a zip) is returned as is."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", file=path) from None
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputError(f"broken .gz file: {exc}", file=path) from None
    if data[:2] == b"PK" and zipfile.is_zipfile(io.BytesIO(data)):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if "xl/workbook.xml" in zf.namelist():
                    return data  # an Excel workbook: read_table opens it with openpyxl
                members = [n for n in zf.namelist() if not n.endswith("/") and "__MACOSX" not in n]
                if not members:
                    raise InputError("the .zip file is empty", file=path)
                return zf.read(members[0])
        except zipfile.BadZipFile as exc:
            raise InputError(f"broken .zip file: {exc}", file=path) from None
    return data


def _header_hits(text: str) -> int:
    first = text.split("\n", 1)[0]
    cells = re.split(r"[\t;,]", first)
    names = {normalise_header(c.strip().strip('"')) for c in cells}
    return max(sum(n in table for n in names) for table in LOOKUP.values())


def decode(data: bytes, file: str | Path) -> tuple[str, str]:
    """Decode an export's bytes; returns ``(text, encoding)``. See the module docstring."""
    if b"\x00" in data[:4096]:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return data.decode("utf-16"), "utf-16"
        raise InputError("binary file, not a text export or an .xlsx workbook", file=file)
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for enc in ("gb18030", "cp932"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        head = text[:20000]
        halfwidth = len(_HALFWIDTH_KANA.findall(head))
        kana = len(_KANA.findall(head))
        candidates.append((_header_hits(text), -halfwidth, kana, enc, text))
    if not candidates:
        raise InputError(
            "cannot decode the file as UTF-8, GB18030/GBK or cp932; re-save it as UTF-8 CSV",
            file=file,
        )
    best = max(candidates, key=lambda c: (c[0], c[1], c[2], c[3] == "gb18030"))
    return best[4], best[3]


def sniff_delimiter(header_line: str) -> str:
    """Tab, semicolon or comma: whichever the header line holds most of (ties: tab, ``;``)."""
    counts = {d: header_line.count(d) for d in ("\t", ";", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def detect_kind(headers: list[str]) -> tuple[str, dict[str, str], float]:
    """Best-matching export kind of a header row.

    Returns ``(kind, canonical → original header, score)``; score is the share of the kind's
    signature columns present (1.0 = all).
    """
    best: tuple[float, int, str, dict[str, str]] = (0.0, 0, "", {})
    for kind, lookup in LOOKUP.items():
        mapping: dict[str, str] = {}
        for h in headers:
            canon = lookup.get(normalise_header(h))
            if canon is not None and canon not in mapping:
                mapping[canon] = h
        sig = SIGNATURES[kind]
        score = sum(c in mapping for c in sig) / len(sig)
        if (score, len(mapping)) > best[:2]:
            best = (score, len(mapping), kind, mapping)
    return best[2], best[3], best[0]


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        n = seen.get(h, 0)
        seen[h] = n + 1
        out.append(h if n == 0 else f"{h}.{n}")
    return out


def _read_xlsx(data: bytes, path: Path) -> pd.DataFrame:
    """First sheet of an Excel workbook as strings, header row included (legacy ads console).

    Cells become the text a CSV export of the same report holds: a number shown as a percentage
    (cell format with ``%``, e.g. a click-through rate stored as 0.0035 and shown as 0.35 %)
    becomes ``"0.35%"``, so a percentage means the same whether the report came as CSV or as a
    workbook; whole numbers lose their ``.0``; dates become ``YYYY-MM-DD HH:MM:SS``.
    """
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = [[_xlsx_text(c) for c in row] for row in book.worksheets[0].iter_rows()]
        book.close()
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise InputError(f"cannot read the Excel workbook: {exc}", file=path) from None
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object)
    frame = frame.dropna(how="all")
    frame = frame.astype(str).where(frame.notna(), None)  # the text readers' string dtype
    if frame.empty:
        raise InputError("empty file (no header row)", file=path)
    return frame.reset_index(drop=True)


def _xlsx_text(cell: object) -> str | None:
    """The text of one workbook cell as a CSV export would hold it (``None`` when empty)."""
    value = getattr(cell, "value", None)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    percent = "%" in str(getattr(cell, "number_format", "") or "")
    number = float(value) * (100.0 if percent else 1.0)
    number = round(number, 10)
    text = str(int(number)) if number.is_integer() else repr(number)
    return text + "%" if percent else text


def _read_text(data: bytes, path: Path) -> tuple[pd.DataFrame, str, str, int]:
    """Decode and parse a delimited text export; returns (frame with the header as its first
    row, encoding, delimiter, blank lines skipped before the header)."""
    text, encoding = decode(data, path)
    text = unwrap_excel_formulas(text.lstrip("\ufeff"))
    lines = text[:65536].splitlines()
    # skip leading blank lines (some exports start with one)
    skip = 0
    while skip < len(lines) and not lines[skip].strip():
        skip += 1
    delimiter = sniff_delimiter(lines[skip])
    try:
        # header=None: a data row longer than the header is an error (with a header row pandas
        # would silently turn the first column into the index)
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skiprows=skip,
            skip_blank_lines=True,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        m = _ROW_IN_MESSAGE.search(str(exc))
        row = int(m.group(1)) + skip if m else None
        detail = re.search(r"Expected \d+ fields.*", str(exc))
        msg = detail.group(0).strip() if detail else str(exc).strip()
        raise InputError(f"malformed row: {msg}", file=path, row=row) from None
    except pd.errors.EmptyDataError:
        raise InputError("empty file (no header row)", file=path) from None
    return frame, encoding, delimiter, skip


def read_table(path: str | Path) -> RawTable:
    """Read an export as a :class:`RawTable` with its kind detected.

    Raises
    ------
    InputError
        Empty file, undecodable bytes, a row with the wrong number of fields, headers of no known
        export kind, or a kind whose signature column is missing (the message names it).
    """
    from forecasting.io.aliases import display_name

    path = Path(path)
    data = read_bytes(path)
    if not data.strip():
        raise InputError("empty file (0 bytes or only blank space)", file=path)
    if data[:4] == b"PK\x03\x04":  # read_bytes returned a zip as is: an .xlsx workbook
        frame, encoding, delimiter, skip = _read_xlsx(data, path), "xlsx", ",", 0
    else:
        frame, encoding, delimiter, skip = _read_text(data, path)
    frame = frame.fillna("")
    headers = _unique([str(c).strip().lstrip("\ufeff") for c in frame.iloc[0]])
    frame = frame.iloc[1:].reset_index(drop=True)
    frame.columns = headers
    raw = RawTable(str(path), encoding, delimiter, frame, header_line=skip + 1)
    kind, mapping, score = detect_kind(list(frame.columns))
    if score < 0.5:
        shown = ", ".join(list(frame.columns)[:8])
        raise InputError(
            f"not a recognised Amazon export or master file (headers: {shown})", file=path, row=1
        )
    missing = [c for c in SIGNATURES[kind] if c not in mapping]
    if missing:
        raise InputError(
            f"{kind.replace('_', ' ')} export is missing required column(s) "
            + ", ".join(f"'{display_name(kind, c)}'" for c in missing),
            file=path,
            row=raw.header_line,
            column=display_name(kind, missing[0]),
        )
    raw.kind, raw.columns = kind, mapping
    return raw
