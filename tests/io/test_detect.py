"""Reading a downloaded file into rows: quoting, field counts, NUL bytes, encodings, archives."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from forecasting.cli import main
from forecasting.errors import InputError
from forecasting.io import read_export, read_exports
from forecasting.io.delimited import decode
from forecasting.io.detect import read_table, read_tables
from forecasting.io.sources import open_sources
from forecasting.io.store import Store

CATALOGUE = Path(__file__).parents[1] / "catalogue"
ORDERS_HEADER = (
    "amazon-order-id\tpurchase-date\tlast-updated-date\torder-status\tsales-channel\t"
    "product-name\tsku\tquantity\tcurrency\titem-price"
)


def _order(n: int, name: str = "Dog Bed", units: int = 1) -> str:
    return (
        f"111-{n:07d}-0000000\t2026-11-17T{n % 24:02d}:00:00+00:00\t2026-11-19T01:00:00+00:00\t"
        f"Shipped\tAmazon.com\t{name}\tBED-{n % 3}\t{units}\tUSD\t{19.99 * units:.2f}"
    )


def _orders_file(path: Path, rows: list[str], *, encoding: str = "utf-8", eol: str = "\n") -> Path:
    path.write_bytes(eol.join([ORDERS_HEADER, *rows, ""]).encode(encoding))
    return path


def _accounted(p: object) -> bool:
    return p.rows_in == p.rows_kept + len(p.quarantine) + p.rows_excluded  # type: ignore[attr-defined]


# --- tab-separated files: quotes are characters --------------------------------------------


def test_catalogue_tsv_leading_quote_reads_every_order_with_its_name() -> None:
    p = read_export(CATALOGUE / "files_tsv_leading_quote" / "All_Orders_US.txt")
    raw = read_table(CATALOGUE / "files_tsv_leading_quote" / "All_Orders_US.txt")
    assert (p.rows_in, len(p.table), len(p.quarantine)) == (12, 12, 0)
    assert p.table["units"].sum() == 12
    names = raw.frame["product-name"]
    assert names.iloc[1] == '"Orthopedic Dog Bed for Large Dogs, 36 x 27 in'
    assert names.iloc[11] == 'PawNest Dog Bed 36" XL'
    assert p.table["line"].tolist() == list(range(2, 14))


def test_tsv_quotes_anywhere_are_literal(tmp_path: Path) -> None:
    names = ['"Best" bed', 'bed "XL"', '"', '""', 'a""b', "'single'"]
    rows = [_order(i, name) for i, name in enumerate(names, start=1)]
    raw = read_table(_orders_file(tmp_path / "All_Orders_US.txt", rows))
    assert raw.frame["product-name"].tolist() == names
    assert raw.malformed == []


def test_tsv_with_every_header_cell_quoted_is_read_with_csv_quoting(tmp_path: Path) -> None:
    header = "\t".join(f'"{h}"' for h in ORDERS_HEADER.split("\t"))
    row = "\t".join(f'"{c}"' for c in _order(1).split("\t")).replace('"Dog Bed"', '"Bed\t""XL"""')
    f = tmp_path / "All_Orders_US.txt"
    f.write_text(f"{header}\n{row}\n", encoding="utf-8")
    raw = read_table(f)
    assert raw.frame["product-name"].tolist() == ['Bed\t"XL"']
    assert raw.frame["quantity"].tolist() == ["1"]


@pytest.mark.parametrize(
    ("change", "fields"),
    [(lambda r: r + "\textra", 11), (lambda r: r.rsplit("\t", 1)[0], 9), (lambda r: r + "\t", 11)],
    ids=["one-more", "one-fewer", "trailing-tab"],
)
def test_row_with_the_wrong_number_of_fields_is_quarantined_not_merged(
    tmp_path: Path, change: object, fields: int
) -> None:
    rows = [_order(i) for i in range(1, 6)]
    rows[2] = change(rows[2])  # type: ignore[operator]
    p = read_export(_orders_file(tmp_path / "All_Orders_US.txt", rows))
    q = p.quarantine
    assert q["row"].tolist() == [4]
    assert q["reason"].tolist() == [f"row has {fields} fields, the header has 10"]
    assert q["raw"].tolist() == [rows[2]]  # the row as written
    assert p.table["line"].tolist() == [2, 3, 5, 6]
    assert _accounted(p)


def test_rows_numbers_count_blank_lines_like_a_spreadsheet(tmp_path: Path) -> None:
    rows = [_order(1), "", _order(2), "   ", _order(3), _order(4)]
    rows[4] = rows[4].replace("\tBED-0\t", "\t\t")  # row 6: no SKU
    p = read_export(_orders_file(tmp_path / "All_Orders_US.txt", rows, eol="\r\n"))
    assert p.rows_in == 4
    assert p.table["line"].tolist() == [2, 4, 7]
    assert p.quarantine["row"].tolist() == [6]


def test_classic_mac_line_ends(tmp_path: Path) -> None:
    p = read_export(_orders_file(tmp_path / "All_Orders_US.txt", [_order(1), _order(2)], eol="\r"))
    assert (p.rows_in, len(p.table)) == (2, 2)


# --- CSV: quoting kept, a stray quote does not swallow rows ----------------------------------


def test_csv_quoted_cell_with_a_line_break_is_one_row(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / "products.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("Widget large", '"Widget, ""large""\nsecond line"')
    f = tmp_path / "products.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    p = read_export(f)
    assert p.table["title"].iloc[0] == 'Widget, "large"\nsecond line'
    assert p.rows_in == len(lines) - 1 and len(p.quarantine) == 0
    # the row after the two-line cell is spreadsheet row 3 (line 4 of the text)
    assert p.table["line"].tolist()[:2] == [2, 3]


def test_catalogue_csv_stray_quote_quarantines_one_row_and_reads_the_rest() -> None:
    f = CATALOGUE / "files_csv_stray_quote" / "BusinessReport_US_2026.csv"
    p = read_export(f)
    lines = f.read_text(encoding="utf-8-sig").splitlines()
    assert p.rows_in == len(lines) - 1
    assert p.quarantine[["row", "column"]].values.tolist() == [[4, "标题"]]
    assert "does not close" in p.quarantine["reason"].iloc[0]
    assert p.quarantine["raw"].iloc[0] == lines[3]
    assert len(p.table) == len(lines) - 2 and _accounted(p)
    assert 4 not in set(p.table["line"]) and {3, 5, len(lines)} <= set(p.table["line"])


def test_csv_quote_closed_by_a_later_rows_quote_is_caught(fixtures: Path, tmp_path: Path) -> None:
    """A stray quote in row 3 whose partner is the quote of row 6's title: rows 4-5 stand alone."""
    lines = (fixtures / "Ledger_Summary_US.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace('"Widget, large"', '"Widget large', 1)
    f = tmp_path / "Ledger_Summary_US.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    p = read_export(f)
    assert p.quarantine["row"].tolist() == [3] and p.quarantine["column"].tolist() == ["Title"]
    assert p.rows_in == len(lines) - 1 and len(p.table) == len(lines) - 2


# --- NUL bytes and encodings -----------------------------------------------------------------


def test_catalogue_nul_byte_quarantines_the_row_without_cutting_the_cell() -> None:
    f = CATALOGUE / "files_nul_byte" / "All_Orders_US.txt"
    p = read_export(f)
    q = p.quarantine
    assert q[["row", "column"]].values.tolist() == [[4, "product-name"]]
    assert "NUL byte" in q["reason"].iloc[0]
    # the whole row is kept for the user, the NUL made visible, nothing after it lost
    assert "PawNest Dog\\x00 Bed\tDOG-BED-M" in q["raw"].iloc[0]
    assert q["raw"].iloc[0].endswith("\tfalse\tfalse")
    assert (p.rows_in, len(p.table)) == (6, 5)


def test_nul_byte_in_the_header_refuses_the_file(tmp_path: Path) -> None:
    f = tmp_path / "All_Orders_US.txt"
    f.write_bytes(ORDERS_HEADER.replace("sku", "s\x00ku").encode() + b"\n" + _order(1).encode())
    with pytest.raises(InputError, match="NUL byte in the header") as err:
        read_table(f)
    assert err.value.row == 1 and err.value.column == "s\\x00ku"


def test_a_file_of_zero_bytes_is_refused_as_binary(tmp_path: Path) -> None:
    f = tmp_path / "All_Orders_US.txt"
    f.write_bytes(b"\x00" * 100 + ORDERS_HEADER.encode())
    with pytest.raises(InputError, match="binary file"):
        read_table(f)


@pytest.mark.parametrize(
    ("magic", "words"), [(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"), (b"%PDF-1.7\n", "PDF")]
)
def test_other_binary_files_are_named(tmp_path: Path, magic: bytes, words: str) -> None:
    f = tmp_path / "report.csv"
    f.write_bytes(magic + b"\x00\x01" * 50)
    with pytest.raises(InputError, match=words):
        read_table(f)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_and_bom_files_read_like_utf8(tmp_path: Path, encoding: str) -> None:
    rows = [_order(i, "宠物床 ペットベッド") for i in range(1, 4)]
    plain = read_export(_orders_file(tmp_path / "All_Orders_US.txt", rows))
    (tmp_path / "x").mkdir()
    other = read_export(_orders_file(tmp_path / "x" / "All_Orders_US.txt", rows, encoding=encoding))
    pd.testing.assert_frame_equal(other.table, plain.table)
    assert other.encoding == ("utf-8" if encoding == "utf-8-sig" else "utf-16")


def test_a_bom_that_lies_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="UTF-16 byte-order mark"):
        decode(b"\xff\xfe" + b"a\x00b", tmp_path / "x.csv")


# --- archives ------------------------------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_catalogue_zip_reads_every_member_and_says_what_it_skipped() -> None:
    f = CATALOGUE / "files_zip_two_exports" / "Amazon_exports_US.zip"
    exports = read_exports(f)
    assert [p.file for p in exports] == [
        f"{f}:BusinessReport_US_2026.csv",
        f"{f}:orders/All_Orders_US.txt",
    ]
    assert [p.kind for p in exports] == ["business_report", "orders"]
    assert exports[0].problems[0] == (
        "skipped in Amazon_exports_US.zip: __MACOSX/orders/._All_Orders_US.txt (macOS metadata), "
        "notes_empty.txt (empty)"
    )
    with pytest.raises(InputError, match="holds 2 exports"):
        read_export(f)


def test_ingest_of_a_zip_names_members_in_log_and_quarantine(tmp_path: Path) -> None:
    rows = [_order(i) for i in range(1, 4)]
    bad = [_order(4), _order(5).replace("\t1\tUSD", "\tN/A\tUSD")]
    z = _zip(tmp_path / "exports.zip", {
        "a/All_Orders_US_1.txt": "\n".join([ORDERS_HEADER, *rows]).encode(),
        "b/All_Orders_US_2.txt": "\n".join([ORDERS_HEADER, *bad]).encode(),
    })  # fmt: skip
    store = tmp_path / "h.duckdb"
    main(["ingest", str(z), "--store", str(store)])
    log = Store(store).ingest_log()
    assert log["file"].tolist() == [f"{z}:a/All_Orders_US_1.txt", f"{z}:b/All_Orders_US_2.txt"]
    assert log["rows_in"].tolist() == [3, 2] and log["rows_stored"].tolist() == [3, 1]
    q = Store(store).quarantine()
    assert q[["file", "row", "column"]].values.tolist() == [
        [f"{z}:b/All_Orders_US_2.txt", 3, "quantity"]
    ]


def test_archive_refused_by_the_unreadable_members_name(tmp_path: Path) -> None:
    good = "\n".join([ORDERS_HEADER, _order(1)]).encode()
    z = _zip(tmp_path / "x.zip", {"All_Orders_US.txt": good, "notes.csv": b"a,b\n1,2\n"})
    with pytest.raises(InputError, match="not a recognised") as err:
        read_tables(z)
    assert err.value.file == f"{z}:notes.csv"
    inner = _zip(tmp_path / "inner.zip", {"All_Orders_US.txt": good})
    z2 = _zip(tmp_path / "y.zip", {"inner.zip": inner.read_bytes()})
    with pytest.raises(InputError, match="a .zip inside the .zip") as err:
        read_tables(z2)
    assert err.value.file == f"{z2}:inner.zip"


def test_archive_of_junk_only_is_refused_listing_the_junk(tmp_path: Path) -> None:
    z = _zip(tmp_path / "x.zip", {".DS_Store": b"\x00\x00", "empty.txt": b""})
    with pytest.raises(InputError, match=r"holds no export \(skipped: \.DS_Store"):
        open_sources(z)


def test_password_protected_member_is_refused(tmp_path: Path) -> None:
    z = _zip(tmp_path / "x.zip", {"All_Orders_US.txt": b"scrambled"})
    data = bytearray(z.read_bytes())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set "encrypted"
        data[data.index(signature) + flags_at] |= 0x1
    z.write_bytes(bytes(data))
    with pytest.raises(InputError, match="password-protected") as err:
        open_sources(z)
    assert err.value.file == f"{z}:All_Orders_US.txt"


def test_gbk_member_names_of_chinese_windows_zips_are_decoded(tmp_path: Path) -> None:
    name = "订单_US.txt".encode("gbk")
    placeholder = b"X" * (len(name) - 7) + b"_US.txt"
    z = _zip(
        tmp_path / "x.zip", {placeholder.decode(): "\n".join([ORDERS_HEADER, _order(1)]).encode()}
    )
    z.write_bytes(z.read_bytes().replace(placeholder, name))  # as a GBK archiver writes it
    (source,), _ = open_sources(z)
    assert source.name == f"{z}:订单_US.txt"


def test_gz_is_one_file_named_as_given(tmp_path: Path) -> None:
    f = tmp_path / "All_Orders_US.txt.gz"
    f.write_bytes(gzip.compress("\n".join([ORDERS_HEADER, _order(1)]).encode()))
    (p,) = read_exports(f)
    assert p.file == str(f) and p.rows_in == 1


def test_oversized_gz_and_zip_members_are_refused_not_unpacked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from forecasting.io import sources

    text = "\n".join([ORDERS_HEADER, *(_order(i) for i in range(1, 30))]).encode()
    gz = tmp_path / "All_Orders_US.txt.gz"
    gz.write_bytes(gzip.compress(text))
    z = _zip(tmp_path / "x.zip", {"All_Orders_US.txt": text})
    assert len(read_exports(gz)[0].table) == len(read_exports(z)[0].table) == 29
    monkeypatch.setattr(sources, "MAX_EXPORT_BYTES", len(text) - 1)
    for f, name in ((gz, str(gz)), (z, f"{z}:All_Orders_US.txt")):
        with pytest.raises(InputError, match="once unpacked") as err:
            open_sources(f)
        assert err.value.file == name


def test_many_stray_quotes_each_quarantine_only_their_own_row(tmp_path: Path) -> None:
    header = "Date,SKU,Title,Sessions,Page Views,Units Ordered,Ordered Product Sales"
    titles = ['"broken title', '"fine, title"']  # a stray quote in every third row
    rows = [f"2026-11-01,SKU{i},{titles[i % 3 > 0]},1,2,{i},$4.00" for i in range(3000)]
    f = tmp_path / "BusinessReport_US_2026.csv"
    f.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    p = read_export(f)
    assert p.quarantine["row"].tolist() == [i + 2 for i in range(0, 3000, 3)]
    assert set(p.quarantine["column"]) == {"Title"}
    assert p.table["units_ordered"].tolist() == [i for i in range(3000) if i % 3]


def test_header_ending_in_delimiters_names_only_its_named_columns(tmp_path: Path) -> None:
    rows = [_order(1), _order(2) + "\t", _order(3) + "\t\t", _order(4) + "\tsurplus"]
    f = tmp_path / "All_Orders_US.txt"
    f.write_text("\n".join([ORDERS_HEADER + "\t\t", *rows]) + "\n", encoding="utf-8")
    p = read_export(f)
    assert p.table["line"].tolist() == [2, 3, 4]  # no, one or two empty unnamed cells
    assert p.quarantine[["row", "reason"]].values.tolist() == [
        [5, "row has 11 fields, the header has 10"]
    ]
    assert list(read_table(f).frame.columns) == ORDERS_HEADER.split("\t")
