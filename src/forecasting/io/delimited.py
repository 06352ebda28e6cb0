"""A delimited text export decoded and split into rows: encoding, delimiter, quoting, damage.

- Encodings: a byte-order mark decides first (UTF-8, UTF-16 LE/BE: Excel's "Unicode text");
  UTF-16 without a BOM is recognised by its zero bytes when its header then matches a known
  export. Otherwise UTF-8, then GB18030 (a superset of GBK, which Chinese Excel writes) and cp932
  (Japanese Seller Central). Both legacy codecs decode most byte strings, so the choice is scored:
  the decoding whose headers match more alias-table entries wins, then the one without half-width
  katakana (GBK bytes read as cp932 turn into half-width katakana, which no Japanese Amazon
  export contains), then the one with more kana and ￥ (Japanese text). A file no codec can
  decode is an :class:`InputError`.
- NUL bytes outside UTF-16 text are damage (a broken download or disk): a data row holding one
  is quarantined by row, naming the column; a NUL in the header row refuses the file; a file
  that is mostly zero bytes is refused as binary. Cells are never cut at a NUL.
- Delimiter: tab, semicolon or comma, whichever the header line holds most of.
- Rows: Amazon's tab-separated flat files do not quote, so in a tab-separated file a ``"`` is a
  literal character (a product name may begin with one) and every line is one row. A
  tab-separated file whose header cells are all quoted, and every comma/semicolon file, is read
  with CSV quoting (RFC 4180: a quoted cell may hold delimiters, doubled quotes and line
  breaks). A quote that does not close on its own row and would swallow the following rows (a
  stray ``"`` at the start of a cell: the quoting breaks later on, or the cell would hold a line
  break and as many delimiters as a whole row) does not: that row is quarantined and reading
  resumes on the next line. (A legitimate cell with line breaks and that many delimiters is
  taken for a stray quote too: quarantined, never merged.) A row with more or fewer fields
  than the header is quarantined with its reason, never merged, padded or cut; only empty
  cells under empty trailing header cells (a header row ending in delimiters) are dropped,
  since they belong to no column.
- Row numbers are the ones a spreadsheet shows (header = row 1 when it is the first line; blank
  lines count as rows; a quoted cell with line breaks is one row).

Hand-written because ``charset-normalizer``/``chardet`` guess poorly on short, mostly-ASCII CSVs
and are not dependencies (the alias tables give a much stronger signal for these files), and
because ``pandas.read_csv`` either stops at the first row with the wrong number of fields or
drops/pads it silently, which would lose rows without a trace.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.errors import InputError
from forecasting.io.aliases import LOOKUP, normalise_header
from forecasting.io.parse import unwrap_excel_formulas

_HALFWIDTH_KANA = re.compile("[\uff61-\uff9f]")
_KANA = re.compile("[\u3040-\u30ff\uffe5]")
_BINARY_NUL_SHARE = 0.1  #: share of zero bytes in the first 4 KiB above which a file is binary
_SIGNATURES_OF_OTHER_FILES = {
    b"\xd0\xcf\x11\xe0": "an Excel 97-2003 workbook (.xls); save it as .xlsx or CSV",
    b"%PDF": "a PDF document, not an export",
}


@dataclass
class DelimitedText:
    """A delimited export split into cells (see the module docstring)."""

    frame: pd.DataFrame  #: str cells of the data rows, columns numbered
    headers: list[str]  #: header cells as written (stripped), one per frame column
    encoding: str
    delimiter: str
    header_row: int  #: spreadsheet row of the header
    row_numbers: np.ndarray  #: spreadsheet row of each data row
    #: rows that cannot be read as cells: (position, column, reason, raw text); their cells
    #: in ``frame`` are empty
    malformed: list[tuple[int, str, str, str]] = field(default_factory=list)


def _header_hits(text: str) -> int:
    first = text.lstrip("\ufeff\r\n ").split("\n", 1)[0]
    cells = re.split(r"[\t;,]", first)
    names = {normalise_header(c.strip().strip('"')) for c in cells}
    return max(sum(n in table for n in names) for table in LOOKUP.values())


def _bomless_utf16(data: bytes) -> str | None:
    """The text of UTF-16 bytes without a byte-order mark (every other byte zero in the header
    of a mostly-ASCII export), when its header then matches a known export; else None."""
    head = data[:512]
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    for encoding, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) > 0.6 * len(zeros) and other.count(0) < 0.1 * len(other):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return text if _header_hits(text) > 0 else None
    return None


def decode(data: bytes, file: str | Path) -> tuple[str, str]:
    """Decode an export's bytes; returns ``(text, encoding)``. See the module docstring.

    Raises
    ------
    InputError
        A binary file (mostly zero bytes, an ``.xls`` workbook, a PDF), broken UTF-16, or bytes
        that no supported encoding decodes.
    """
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode("utf-8-sig" if encoding == "utf-8" else encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"the file starts with a {encoding.upper()} byte-order mark but is not "
                    f"{encoding.upper()} (byte {exc.start}); re-save it as UTF-8 CSV",
                    file=file,
                ) from None
    for magic, what in _SIGNATURES_OF_OTHER_FILES.items():
        if data.startswith(magic):
            raise InputError(f"binary file: {what}", file=file)
    if b"\x00" in data:
        text = _bomless_utf16(data)
        if text is not None:
            return text, "utf-16"
        head = data[:4096]
        if head.count(0) > _BINARY_NUL_SHARE * len(head):
            raise InputError("binary file, not a text export or an .xlsx workbook", file=file)
    try:
        return data.decode("utf-8"), "utf-8"
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


@dataclass
class _Record:
    row: int  #: spreadsheet row number
    cells: list[str]
    raw: str  #: the row's text as in the file (line breaks of a quoted cell included)
    problem: str = ""  #: why the row cannot be read as cells ('' when it can)
    column: int | None = None  #: position of the cell the problem is in, when known


def _is_blank(line: str) -> bool:
    return not line.strip(" \r")


def _records(lines: list[str], start: int, delimiter: str) -> Iterator[_Record]:
    """The rows of a CSV-quoted text from physical line ``start`` (the header) on, one at a time.

    A quote that does not close on its own line, when the quoting breaks further on or the
    cell it opens would hold a line break and at least as many delimiters as a row has
    (:func:`_swallows_rows`), is a stray quote: that line becomes a row with a problem (naming
    the cell whose quote does not close) and reading resumes on the next line, so it never
    swallows the rows after it.
    """
    ended = [line + "\n" for line in lines]
    source = iter(ended)
    width, row, i = 0, start + 1, start  # i: the physical line the reader starts at
    while True:
        source.__setstate__(i)  # type: ignore[attr-defined]  # resume at line i, no copy
        reader = csv.reader(source, delimiter=delimiter, strict=True)
        restart = None
        while restart is None:
            first = i + reader.line_num  # the record's first physical line
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                problem = f"broken CSV quoting ({exc})"
            else:
                last = i + reader.line_num  # one past the record's last physical line
                spanned = lines[first + 1 : last]
                if not spanned and len(cells) <= 1 and _is_blank(lines[first]):
                    row += 1
                    continue
                if not (spanned and width and _swallows_rows(cells, delimiter, width)):
                    raw = "\n".join(t.rstrip("\r") for t in lines[first:last])
                    width = width or len(cells)
                    yield _Record(row, cells, raw)
                    row += 1
                    continue
                problem = "broken CSV quoting"
            restart = first + 1
            content = lines[first].rstrip("\r")
            column = _open_quote_cell(content, delimiter)
            if column is not None:
                problem = (
                    'a quote (") opened in this cell does not close on its row (a stray " at '
                    "the start of the cell?); the rows after it are read on their own"
                )
            yield _Record(row, content.split(delimiter), content, problem, column)
            row += 1
        i = restart


def _open_quote_cell(line: str, delimiter: str) -> int | None:
    """Position of the first cell on ``line`` whose opening quote does not close properly (the
    line ends inside it, or its closing quote is followed by text), or None."""
    cell, at, n = 0, 0, len(line)
    while at < n:
        if line[at] != '"':  # an unquoted cell: to the next delimiter
            end = line.find(delimiter, at)
            if end < 0:
                return None
            cell, at = cell + 1, end + 1
            continue
        opened, at = cell, at + 1
        while True:
            close = line.find('"', at)
            if close < 0:
                return opened
            if line.startswith('""', close):
                at = close + 2
                continue
            break
        at = close + 1
        if at == n:
            return None
        if line[at] != delimiter:
            return opened
        cell, at = cell + 1, at + 1
    return None


def _swallows_rows(cells: list[str], delimiter: str, width: int) -> bool:
    """Whether a record that spans lines holds a cell with a line break and at least
    ``width - 1`` delimiters: the rest of one row and the start of the next (or whole rows),
    which a stray quote glued into one cell. Files narrower than 4 columns are not judged."""
    if width < 4:
        return False
    return any("\n" in c and c.count(delimiter) >= width - 1 for c in cells)


def _cells_problem(cells: list[str], headers: list[str]) -> tuple[str, str]:
    """(column, reason) when a row's cells cannot be used as they are (wrong number of fields,
    a NUL byte), else ('', '')."""
    width = len(headers)
    if len(cells) != width:
        column = headers[min(len(cells), width - 1)]
        return column, f"row has {len(cells)} fields, the header has {width}"
    for cell, header in zip(cells, headers, strict=True):
        if "\x00" in cell:
            return header, "NUL byte in the cell (the file is damaged here)"
    return "", ""


def _shown(text: str) -> str:
    """Row text for the quarantine: NUL bytes made visible."""
    return text.replace("\x00", "\\x00")


def _split(
    lines: list[str], start: int, delimiter: str, quoted: bool
) -> tuple[list[list[str]], list[int], list[str], dict[int, tuple[str, int | None]]]:
    """Rows of the text from its header line on: (cells, spreadsheet row numbers, raw texts,
    (problem, cell position or None) by row position). Fast paths for the usual file, in which every line is one row;
    :func:`_records` otherwise."""
    body = [k for k in range(start, len(lines)) if not _is_blank(lines[k])]
    if not quoted:
        texts = [lines[k][:-1] if lines[k].endswith("\r") else lines[k] for k in body]
        return [t.split(delimiter) for t in texts], [k + 1 for k in body], texts, {}
    ended = [lines[k] + "\n" for k in range(start, len(lines))]
    try:
        parsed = list(csv.reader(ended, delimiter=delimiter, strict=True))
    except csv.Error:
        parsed = []
    if len(parsed) == len(ended):  # every physical line was one record: no cell spans lines
        texts = [lines[k].rstrip("\r") for k in body]
        return [parsed[k - start] for k in body], [k + 1 for k in body], texts, {}
    records = list(_records(lines, start, delimiter))
    problems = {p: (r.problem, r.column) for p, r in enumerate(records) if r.problem}
    return [r.cells for r in records], [r.row for r in records], [r.raw for r in records], problems


def _frame(rows: list[list[str]], width: int) -> pd.DataFrame:
    """Rows of cells as a frame of object columns, each column's equal cells one string object
    (as pandas' own parser does: exports repeat "0", "$0.00", one date per day, and the
    readers' column-wise string work is ~2× faster on shared objects)."""
    cells = np.array(rows, dtype=object).reshape(len(rows), width)
    columns = {}
    for j in range(width):
        codes, uniques = pd.factorize(cells[:, j])
        columns[j] = np.asarray(uniques, dtype=object)[codes]
    return pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))


def read_delimited(data: bytes, name: str) -> DelimitedText:
    """Decode a delimited text export and split it into cells (see the module docstring).

    Parameters
    ----------
    data : bytes
        The export's bytes (already unpacked).
    name : str
        The file's name for messages.

    Raises
    ------
    InputError
        Binary or undecodable bytes, an empty file, or a header row that cannot be read (a NUL
        byte, broken quoting), naming the file, the row and the column where known.
    """
    text, encoding = decode(data, name)
    text = unwrap_excel_formulas(text.lstrip("\ufeff"))
    if "\n" not in text:
        text = text.replace("\r", "\n")  # classic Mac line ends
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the file's final line break
    skip = 0
    while skip < len(lines) and _is_blank(lines[skip]):
        skip += 1
    if skip == len(lines):
        raise InputError("empty file (no header row)", file=name)
    header_text = lines[skip].rstrip("\r").lstrip("\ufeff")
    delimiter = sniff_delimiter(header_text)
    quoted = delimiter != "\t" or all(
        len(c) >= 2 and c[0] == c[-1] == '"' for c in header_text.split("\t")
    )
    cells, numbers, texts, problems = _split(lines, skip, delimiter, quoted)
    headers = [c.strip().lstrip("\ufeff") for c in cells[0]]
    if 0 in problems or "\x00" in texts[0]:
        column = next((h for h in headers if "\x00" in h), None)
        why = (
            problems[0][0]
            if 0 in problems
            else "NUL byte in the header row (the file is damaged here)"
        )
        raise InputError(why, file=name, row=numbers[0], column=_shown(column) if column else None)
    full = len(headers)  # a header row ending in delimiters names fewer columns than it has
    while len(headers) > 1 and headers[-1] == "":
        headers.pop()
    width = len(headers)
    for p, c in enumerate(cells):  # unnamed trailing cells: dropped when empty
        if len(c) > width and len(c) <= full and not any(c[width:]):
            cells[p] = c[:width]
    damaged = "\x00" in text
    suspects = sorted(
        set(problems)
        | {p for p, c in enumerate(cells) if len(c) != width}
        | ({p for p, t in enumerate(texts) if "\x00" in t} if damaged else set())
    )
    malformed: list[tuple[int, str, str, str]] = []
    for p in suspects:
        if p == 0:
            continue
        if p in problems:
            reason, at = problems[p]
            column = headers[at] if at is not None and at < width else ""
        else:
            column, reason = _cells_problem(cells[p], headers)
        malformed.append((p - 1, column or headers[0], reason, _shown(texts[p])))
        cells[p] = [""] * width  # nothing of it reaches a reader: its text is in the quarantine
    rows = cells[1:]
    frame = _frame(rows, width)
    row_numbers = np.asarray(numbers[1:], dtype=np.int64)
    return DelimitedText(frame, headers, encoding, delimiter, numbers[0], row_numbers, malformed)
