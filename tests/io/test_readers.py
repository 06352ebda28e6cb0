"""Readers on real-format exports, including broken ones."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from forecasting.errors import InputError
from forecasting.io import expand_paths, read_export
from forecasting.io.aliases import normalise_header

KINDS = {
    "All_Orders_NA_20261116_20261119.txt": ("orders", "DE;US"),
    "BusinessReport_US_2026.csv": ("business_report", "US"),
    "BusinessReport_DE_2026.csv": ("business_report", "DE"),
    "BusinessReport_JP_2026.csv": ("business_report", "JP"),
    "Ledger_Summary_US.csv": ("ledger", "US"),
    "Inventory_Planning_US_2026-11-22.txt": ("planning_report", "US"),
    "SP_Advertised_Product_US.csv": ("ads", "US"),
    "SP_Search_Term_DE_2026.csv": ("search_terms", "DE"),
    "Returns_US.txt": ("returns", "US"),
    "products.csv": ("products", None),
    "factory_stock.csv": ("factory_stock", None),
}


@pytest.mark.parametrize("name", sorted(KINDS))
def test_kind_and_marketplace_detected(fixtures: Path, name: str) -> None:
    parsed = read_export(fixtures / name)
    assert (parsed.kind, parsed.marketplace) == KINDS[name]
    assert parsed.rows_in == parsed.rows_kept + len(parsed.quarantine) + parsed.rows_excluded


def test_orders_local_day_cancelled_and_quarantine(fixtures: Path) -> None:
    p = read_export(fixtures / "All_Orders_NA_20261116_20261119.txt")
    t = p.table.set_index("order_id")
    # 07:30 UTC on 17 Nov is 23:30 on 16 Nov in Los Angeles
    assert t.loc["111-0000002-0000002", "date"] == pd.Timestamp("2026-11-16")
    assert t.loc["302-0000008-0000008", "revenue"] == pytest.approx(17.99)
    assert p.excluded_reasons == {"sales-channel 'Non-Amazon'": 1, "cancelled": 1}
    q = p.quarantine.set_index("row")
    assert q.loc[7, "column"] == "quantity" and "N/A" in q.loc[7, "reason"]
    assert q.loc[8, "column"] == "sku" and q.loc[8, "reason"] == "empty value"
    assert "111-0000003-0000003" in set(p.extra["cancelled"]["order_id"])


def test_business_report_chinese_headers_and_money(fixtures: Path) -> None:
    p = read_export(fixtures / "BusinessReport_US_2026.csv")
    row = p.table.iloc[0]
    assert row["date"] == pd.Timestamp("2026-11-10")
    assert row["units_ordered"] == 3 and row["ordered_product_sales"] == pytest.approx(59.97)
    assert row["sessions"] == 40 and row["buy_box_pct"] == pytest.approx(98.5)
    assert row["currency"] == "USD"
    assert p.quarantine["reason"].tolist() == ["not a number: '—'"]


def test_semicolon_decimal_comma_german_dates(fixtures: Path) -> None:
    p = read_export(fixtures / "BusinessReport_DE_2026.csv")
    row = p.table.iloc[0]
    assert row["date"] == pd.Timestamp("2026-11-10")
    assert row["sessions"] == 1234
    assert row["ordered_product_sales"] == pytest.approx(2469.12)
    assert row["buy_box_pct"] == pytest.approx(12.5) and row["currency"] == "EUR"
    assert p.quarantine.iloc[0]["reason"] == "not a date: '31.02.2026'"
    assert p.quarantine.iloc[0]["row"] == 7 and p.quarantine.iloc[0]["column"] == "Datum"


def test_cp932_japanese_yen(fixtures: Path) -> None:
    p = read_export(fixtures / "BusinessReport_JP_2026.csv")
    assert p.encoding == "cp932"
    assert p.table["ordered_product_sales"].tolist() == [2980.0, 5960.0, 8940.0, 11920.0]
    assert p.table["currency"].iloc[0] == "JPY"


def test_gbk_file_labelled_utf8_is_repaired(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "BusinessReport_US_2026.csv").read_text(encoding="utf-8-sig")
    gbk = tmp_path / "BusinessReport_US_gbk.csv"
    gbk.write_bytes(text.replace("—", "-").encode("gbk"))
    p = read_export(gbk)
    assert p.encoding == "gb18030"
    assert p.kind == "business_report" and len(p.table) == 25


def test_gbk_factory_stock(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "factory_stock.csv").read_text(encoding="utf-8-sig")
    f = tmp_path / "factory.csv"
    f.write_bytes(text.encode("gbk"))
    p = read_export(f)
    assert p.kind == "factory_stock" and p.table["title"].iloc[0] == "小部件 大"


def test_undecodable_bytes_are_an_input_error(tmp_path: Path) -> None:
    f = tmp_path / "broken.csv"
    f.write_bytes(b"sku,units\n" + bytes([0x81, 0xFF, 0xFE, 0x80, 0xFF]) * 20 + b"\n")
    with pytest.raises(InputError, match="cannot decode") as err:
        read_export(f)
    assert err.value.file == str(f)


def test_trailing_space_headers() -> None:
    assert normalise_header("7 Day Total Sales ") == normalise_header("7 Day Total Sales")


def test_legacy_ads_trailing_spaces_and_thousands(fixtures: Path) -> None:
    p = read_export(fixtures / "SP_Advertised_Product_US.csv")
    row = p.table.iloc[0]
    assert row["date"] == pd.Timestamp("2026-11-10") and row["impressions"] == 1200
    assert row["ad_sales"] == pytest.approx(39.98) and row["spend"] == pytest.approx(10.2)


def test_ads_2026_console_format(fixtures: Path) -> None:
    p = read_export(fixtures / "SP_Search_Term_DE_2026.csv")
    row = p.table.iloc[0]
    assert row["campaign"] == "SP - Widget - Exact" and row["search_term"] == "widget groß"
    assert row["spend"] == pytest.approx(4.35) and row["ad_orders"] == 1
    assert row["currency"] == "EUR"


def test_ads_rows_with_same_key_are_summed_not_dropped(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / "SP_Search_Term_DE_2026.csv").read_text(encoding="utf-8-sig").splitlines()
    f = tmp_path / "SP_Search_Term_DE_2026.csv"
    f.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8-sig")
    p = read_export(f)
    assert (p.rows_in, len(p.table), p.rows_kept) == (4, 3, 4)
    assert p.table["impressions"].iloc[0] == 600 and p.table["rows"].iloc[0] == 2
    assert "summed" in p.problems[0]


def test_planning_report_volume_in_cubic_feet(fixtures: Path) -> None:
    p = read_export(fixtures / "Inventory_Planning_US_2026-11-22.txt")
    vol = p.table.set_index("sku")["item_volume_cuft"]
    assert vol["WID-0001"] == pytest.approx(0.25)
    assert vol["WID-0002"] == pytest.approx(1000 / 28316.846592)
    assert p.table.set_index("sku").loc["WID-0001", "reserved"] == 3


def test_missing_required_column_is_named(fixtures: Path, tmp_path: Path) -> None:
    frame = pd.read_csv(fixtures / "Ledger_Summary_US.csv", dtype=str)
    f = tmp_path / "Ledger_Summary_US.csv"
    frame.drop(columns=["Ending Warehouse Balance"]).to_csv(f, index=False)
    with pytest.raises(InputError) as err:
        read_export(f)
    assert err.value.column == "Ending Warehouse Balance"
    assert "missing required column" in err.value.one_line()
    assert "\n" not in err.value.one_line()


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_file_is_an_input_error(tmp_path: Path, content: bytes) -> None:
    f = tmp_path / "empty.csv"
    f.write_bytes(content)
    with pytest.raises(InputError, match="empty file"):
        read_export(f)


def test_header_only_file_reads_as_zero_rows(fixtures: Path, tmp_path: Path) -> None:
    header = (fixtures / "Returns_US.txt").read_text().splitlines()[0]
    f = tmp_path / "Returns_US.txt"
    f.write_text(header + "\n")
    p = read_export(f)
    assert (p.kind, p.rows_in, len(p.table)) == ("returns", 0, 0)


def test_not_an_amazon_export(tmp_path: Path) -> None:
    f = tmp_path / "notes.csv"
    f.write_text("name,colour\nann,red\n")
    with pytest.raises(InputError, match="not a recognised"):
        read_export(f)


def test_row_with_too_many_fields_names_the_row(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / "products.csv").read_text().splitlines()
    lines[2] += ",extra,fields"
    f = tmp_path / "products.csv"
    f.write_text("\n".join(lines) + "\n")
    p = read_export(f)  # the row is quarantined by row, the others read
    q = p.quarantine
    assert q["row"].tolist() == [3] and "row has" in q["reason"].iloc[0]
    assert q["raw"].iloc[0].endswith(",extra,fields")
    assert p.rows_in == len(lines) - 1 == p.rows_kept + 1


def test_gz_and_zip_are_read_directly(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / "Ledger_Summary_US.csv").read_bytes()
    gz = tmp_path / "Ledger_Summary_US.csv.gz"
    gz.write_bytes(gzip.compress(data))
    zp = tmp_path / "Ledger_Summary_US.zip"
    with zipfile.ZipFile(zp, "w") as z:
        z.writestr("Ledger_Summary_US.csv", data)
    plain = read_export(fixtures / "Ledger_Summary_US.csv").table.drop(columns="line")
    for f in (gz, zp):
        p = read_export(f)
        pd.testing.assert_frame_equal(p.table.drop(columns="line"), plain)


def test_xlsx_ads_report(fixtures: Path, tmp_path: Path) -> None:
    frame = pd.read_csv(fixtures / "SP_Advertised_Product_US.csv", dtype=str)
    for col in ("Impressions", "Clicks"):
        frame[col] = frame[col].str.replace(",", "").astype(int)
    f = tmp_path / "SP_Advertised_Product_US.xlsx"
    frame.to_excel(f, index=False)
    p = read_export(f)
    assert (p.kind, p.marketplace, p.encoding) == ("ads", "US", "xlsx")
    csv = read_export(fixtures / "SP_Advertised_Product_US.csv")
    pd.testing.assert_frame_equal(p.table, csv.table)


def test_marketplace_unknown_is_an_input_error(fixtures: Path, tmp_path: Path) -> None:
    f = tmp_path / "Returns.txt"
    f.write_bytes((fixtures / "Returns_US.txt").read_bytes())
    with pytest.raises(InputError, match="cannot tell the marketplace"):
        read_export(f)
    assert read_export(f, marketplace="UK").marketplace == "UK"


def test_marketplace_option_conflicting_with_file(fixtures: Path) -> None:
    with pytest.raises(InputError, match="contradicts"):
        read_export(fixtures / "BusinessReport_JP_2026.csv", marketplace="US")


def test_euro_business_report_needs_a_name_or_option(fixtures: Path, tmp_path: Path) -> None:
    f = tmp_path / "BusinessReport.csv"
    f.write_bytes((fixtures / "BusinessReport_DE_2026.csv").read_bytes())
    with pytest.raises(InputError, match="DE/ES/FR/IT/NL"):
        read_export(f)
    assert read_export(f, marketplace="DE").marketplace == "DE"


def test_expand_paths_skips_truth_readme_settings(tmp_path: Path) -> None:
    for rel in ["a/x.csv", "_truth/t.csv", "README.md", "settings.yml", "b/c/y.txt", ".hidden"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    names = [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])]
    assert names == ["a/x.csv", "b/c/y.txt"]
    with pytest.raises(InputError, match="no such file"):
        expand_paths([tmp_path / "missing.csv"])


def test_xlsx_percent_cells_read_as_the_csv_percent(fixtures: Path, tmp_path: Path) -> None:
    """A workbook stores 98.5 % as 0.985 with a '%' format: it must read as the CSV's '98.5%'."""
    from openpyxl import Workbook

    name = "BusinessReport_US_2026.csv"
    csv = read_export(fixtures / name)
    frame = pd.read_csv(fixtures / name, dtype=str, encoding="utf-8-sig")
    # percent columns (a dash where Amazon has no figure stays text); whole-number columns
    pct_cols = [c for c in frame.columns if frame[c].str.endswith("%").any()]
    int_cols = [c for c in frame.columns if frame[c].str.fullmatch(r"\d+").all()]
    assert len(pct_cols) == 2 and int_cols, "the fixture has percentage and count columns"
    book = Workbook()
    sheet = book.active
    sheet.append(list(frame.columns))
    for _, row in frame.iterrows():
        sheet.append(
            [
                float(text.rstrip("%")) / 100
                if col in pct_cols and text.endswith("%")
                else int(text)
                if col in int_cols
                else text
                for col, text in row.items()
            ]
        )
    for col in pct_cols:
        idx = list(frame.columns).index(col) + 1
        for r in range(2, len(frame) + 2):
            sheet.cell(row=r, column=idx).number_format = "0.0%"
    f = tmp_path / "BusinessReport_US_2026.xlsx"
    book.save(f)
    got = read_export(f)
    assert got.table["buy_box_pct"].max() == 98.5  # not 0.985
    pd.testing.assert_frame_equal(got.table, csv.table)


def test_broken_xlsx_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    f = tmp_path / "SP_Advertised_Product_US.xlsx"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("xl/workbook.xml", "<not a workbook")
    with pytest.raises(InputError, match="Excel workbook") as err:
        read_export(f)
    assert "SP_Advertised_Product_US.xlsx" in str(err.value)


# --- timestamps, dates, numbers and currencies as real exports write them ----------------------

CATALOGUE = Path(__file__).parents[1] / "catalogue"
ORDERS = "All_Orders_NA_20261116_20261119.txt"
ZONES = {"Amazon.com": ("America/Los_Angeles", "PST"), "Amazon.de": ("Europe/Berlin", "MEZ")}


def _rewrite_order_times(fixtures: Path, tmp_path: Path, layout: str) -> Path:
    """The orders fixture with its ISO timestamps rewritten in another layout, each in its
    row's marketplace time (Non-Amazon rows in Los Angeles time)."""
    frame = pd.read_csv(fixtures / ORDERS, sep="\t", dtype=str, keep_default_na=False)
    for col in ("purchase-date", "last-updated-date"):
        out = []
        for cell, channel in zip(frame[col], frame["sales-channel"], strict=True):
            zone, abbreviation = ZONES.get(channel, ZONES["Amazon.com"])
            local = pd.Timestamp(cell).tz_convert(zone)
            out.append(
                {
                    "us": local.strftime("%b %d, %Y %I:%M:%S %p ") + abbreviation,
                    "de": local.strftime("%d.%m.%Y %H:%M:%S ") + abbreviation,
                    "local": local.strftime("%Y-%m-%d %H:%M:%S"),
                }[layout]
            )
        frame[col] = out
    path = tmp_path / ORDERS
    frame.to_csv(path, sep="\t", index=False)
    return path


@pytest.mark.parametrize("layout", ["us", "de", "local"])
def test_orders_in_amazon_text_or_local_timestamps_read_as_iso(
    fixtures: Path, tmp_path: Path, layout: str
) -> None:
    """``Nov 16, 2026 9:05:00 AM PST``, ``19.11.2026 11:00:00 MEZ`` and zone-less local wall times
    give exactly the table, exclusions and quarantine of the ISO export: same instants, same
    local days (they used to become midnight UTC, a day early for US orders)."""
    iso = read_export(fixtures / ORDERS)
    other = read_export(_rewrite_order_times(fixtures, tmp_path, layout))
    pd.testing.assert_frame_equal(other.table, iso.table)
    assert other.excluded_reasons == iso.excluded_reasons
    assert other.quarantine["reason"].tolist() == iso.quarantine["reason"].tolist()
    pd.testing.assert_frame_equal(other.extra["coverage"], iso.extra["coverage"])


def test_pdt_orders_history_has_the_us_local_day(tmp_path: Path) -> None:
    """The catalogue's PDT export: each order on its Los Angeles day in the stored history."""
    from forecasting.cli import main

    case = CATALOGUE / "readers_orders_pdt_timestamps"
    store, out = tmp_path / "h.duckdb", tmp_path / "sales.csv"
    assert main(["ingest", str(case / "All_Orders_US.txt"), "--store", str(store)]) in (0, 1)
    assert main(["history", "--store", str(store), "--output", str(out)]) == 0
    sales = pd.read_csv(out, dtype={"date": str})
    units = sales.groupby("date")["units"].sum().to_dict()
    assert units == {"2026-09-28": 5, "2026-09-29": 7, "2026-09-30": 8}
    p = read_export(case / "All_Orders_US.txt")
    first = p.table.set_index("order_id").loc["113-0000001-0000001"]
    assert first["purchased_at"] == pd.Timestamp("2026-09-28 07:02:00", tz="UTC")


def _de_report(fixtures: Path, tmp_path: Path, dates: list[str], name: str) -> Path:
    lines = (fixtures / "BusinessReport_DE_2026.csv").read_text(encoding="utf-8").splitlines()
    rows = [line.split(";", 1)[1] for line in lines[1:]][: len(dates)]
    path = tmp_path / name
    body = [f"{d};{r}" for d, r in zip(dates, rows, strict=True)]
    path.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    return path


def test_de_report_numeric_dates_follow_the_de_convention(fixtures: Path, tmp_path: Path) -> None:
    dates = [f"{d:02d}/10/2026" for d in range(1, 6)]  # nothing above 12: DE says day-first
    p = read_export(_de_report(fixtures, tmp_path, dates, "BusinessReport_DE_2026.csv"))
    assert p.table["date"].dt.strftime("%Y-%m-%d").tolist() == [
        f"2026-10-{d:02d}" for d in range(1, 6)
    ]
    assert p.problems == []


def test_dates_contradicting_the_convention_win_with_a_note(fixtures: Path, tmp_path: Path) -> None:
    dates = ["10/01/2026", "10/02/2026", "10/13/2026", "10/14/2026"]  # month-first, in DE
    p = read_export(_de_report(fixtures, tmp_path, dates, "BusinessReport_DE_2026.csv"))
    assert p.table["date"].dt.day.tolist() == [1, 2, 13, 14]
    assert p.table["date"].dt.month.unique().tolist() == [10]
    assert p.problems == [
        "dates in column 'Datum' are month-first (row 4: '10/13/2026') although DE writes "
        "day-first: read month-first"
    ]


def test_ambiguous_dates_are_refused_naming_file_row_and_column() -> None:
    path = CATALOGUE / "readers_dates_ambiguous" / "BusinessReport_JP_2026.csv"
    with pytest.raises(InputError, match="day-first or month-first") as err:
        read_export(path)
    assert (err.value.file, err.value.row, err.value.column) == (str(path), 2, "Date")
    assert "\n" not in err.value.one_line()


def test_ledger_dates_are_month_first_in_every_marketplace(fixtures: Path, tmp_path: Path) -> None:
    """Amazon writes the ledger month-first everywhere: a DE ledger of 1-12 November (nothing
    above 12) is November, not the tenth of every month."""
    frame = pd.read_csv(fixtures / "Ledger_Summary_US.csv", dtype=str)
    frame = frame[frame["Date"].str[3:5].astype(int) <= 12].assign(Location="DE")
    f = tmp_path / "Ledger_Summary_DE.csv"
    frame.to_csv(f, index=False)
    p = read_export(f)
    assert p.marketplace == "DE" and p.problems == []
    assert p.table["date"].dt.month.unique().tolist() == [11]


def test_quantity_beyond_int64_is_quarantined_not_wrapped() -> None:
    p = read_export(CATALOGUE / "readers_quantity_beyond_int64" / "All_Orders_US.txt")
    assert (p.rows_in, len(p.table), len(p.quarantine)) == (6, 5, 1)
    q = p.quarantine.iloc[0]
    assert (q["row"], q["column"]) == (4, "quantity")
    assert q["reason"] == "implausibly large (over 100,000): '99999999999999999999'"
    assert p.table["units"].dtype == "int64" and p.table["units"].between(1, 10).all()


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("NaN", "not a number: 'NaN'"),
        ("inf", "not a number: 'inf'"),
        ("-2", "negative value: '-2'"),
        ("100001", "implausibly large (over 100,000): '100001'"),
        ("1.5", "not a whole number: '1.5'"),
    ],
)
def test_order_quantity_out_of_range_is_quarantined(
    fixtures: Path, tmp_path: Path, cell: str, reason: str
) -> None:
    lines = (fixtures / ORDERS).read_text(encoding="utf-8").splitlines()
    cells = lines[1].split("\t")
    cells[lines[0].split("\t").index("quantity")] = cell
    f = tmp_path / ORDERS
    f.write_text("\n".join([lines[0], "\t".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    p = read_export(f)
    q = p.quarantine.set_index("row")
    assert q.loc[2, "column"] == "quantity" and q.loc[2, "reason"] == reason


def test_yen_in_a_de_report_is_quarantined_naming_symbol_and_currency() -> None:
    p = read_export(CATALOGUE / "readers_yen_in_de_file" / "BusinessReport_DE_2026.csv")
    assert p.marketplace == "DE" and len(p.table) == 5
    assert p.quarantine[["row", "column"]].values.tolist() == [[5, "Ordered Product Sales"]]
    assert p.quarantine["reason"].iloc[0] == "currency '¥' does not match DE's EUR: '¥1,20'"
    assert p.table["ordered_product_sales"].tolist() == [17.99] * 5


@pytest.mark.parametrize(
    ("name", "cell", "kept"),
    [
        ("BusinessReport_JP_2026.csv", '"$2,980"', False),  # a dollar in a yen file
        ("BusinessReport_JP_2026.csv", '"JPY 2,980"', True),
        ("BusinessReport_DE_2026.csv", "JPY 2,98", False),
        ("BusinessReport_DE_2026.csv", "EUR 2,98", True),
        ("BusinessReport_US_2026.csv", '"US$59.97"', True),
        ("BusinessReport_US_2026.csv", '"€59.97"', False),
    ],
)
def test_money_cells_in_another_currency_are_quarantined(
    fixtures: Path, tmp_path: Path, name: str, cell: str, kept: bool
) -> None:
    raw = fixtures / name
    encoding = "cp932" if "JP" in name else "utf-8-sig"
    lines = raw.read_text(encoding=encoding).splitlines()
    sep = ";" if "DE" in name else ","
    header = next(csv.reader([lines[0]], delimiter=sep))
    column = next(h for h in header if h in ("Ordered Product Sales", "已订购商品销售额"))
    row = next(csv.reader([lines[1]], delimiter=sep))
    row[header.index(column)] = next(csv.reader([cell], delimiter=sep))[0]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\n").writerow(row)
    f = tmp_path / name
    f.write_bytes(
        "\n".join([lines[0], buffer.getvalue().rstrip("\n"), *lines[2:]]).encode(encoding)
    )
    p = read_export(f)
    before = read_export(raw)
    assert p.marketplace == before.marketplace
    flagged = p.quarantine[p.quarantine["row"] == 2]
    if kept:
        assert flagged.empty
    else:
        assert flagged["column"].tolist() == [column]
        assert flagged["reason"].iloc[0].startswith("currency '")


def test_absurd_money_is_quarantined(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / ORDERS).read_text(encoding="utf-8").splitlines()
    cells = lines[1].split("\t")
    cells[lines[0].split("\t").index("item-price")] = "99999999999999999999.99"
    f = tmp_path / ORDERS
    f.write_text("\n".join([lines[0], "\t".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    q = read_export(f).quarantine.set_index("row")
    assert q.loc[2, "column"] == "item-price"
    assert q.loc[2, "reason"].startswith("implausibly large (over 10,000,000,000)")


def test_order_in_another_currency_code_is_quarantined(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / ORDERS).read_text(encoding="utf-8")
    f = tmp_path / ORDERS
    f.write_text(
        text.replace(
            "Amazon.de\t\t\tWidget WID-0001\tWID-0001\tB000000001\tShipped\t1\tEUR",
            "Amazon.de\t\t\tWidget WID-0001\tWID-0001\tB000000001\tShipped\t1\tJPY",
        ),
        encoding="utf-8",
    )
    p = read_export(f)
    q = p.quarantine.set_index("row")
    assert q.loc[9, "column"] == "currency"
    assert q.loc[9, "reason"] == "currency 'JPY' does not match DE's EUR"


def test_returns_with_pst_timestamps_are_on_the_local_day(fixtures: Path, tmp_path: Path) -> None:
    """``Nov 18, 2026 2:00:00 AM PST`` is 18 Nov in the US (10:00 UTC), as the ISO export says."""
    lines = (fixtures / "Returns_US.txt").read_text(encoding="utf-8").splitlines()
    stamps = {"2026-11-18T10:00:00+00:00": "Nov 18, 2026 2:00:00 AM PST"}
    stamps["2026-11-19T10:00:00+00:00"] = "2026-11-19 02:00:00"  # no zone: Los Angeles time
    f = tmp_path / "Returns_US.txt"
    body = [line for line in lines[1:3]]
    for iso, other in stamps.items():
        body = [line.replace(iso, other) for line in body]
    f.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    p = read_export(f)
    assert p.table["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-11-18", "2026-11-19"]
    iso = read_export(fixtures / "Returns_US.txt").table.iloc[:2]
    pd.testing.assert_series_equal(p.table["date"], iso["date"])


def test_planning_report_quantity_beyond_the_stock_bound(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / "Inventory_Planning_US_2026-11-22.txt").read_text().splitlines()
    header = lines[0].split("\t")
    cells = lines[1].split("\t")
    cells[header.index("available")] = "4006381333931"  # a barcode in the stock column
    f = tmp_path / "Inventory_Planning_US_2026-11-22.txt"
    f.write_text("\n".join([lines[0], "\t".join(cells), *lines[2:]]) + "\n")
    p = read_export(f)
    q = p.quarantine.set_index("row")
    assert q.loc[2, "column"] == "available"
    assert q.loc[2, "reason"] == "implausibly large (over 1,000,000,000): '4006381333931'"


def test_ingest_prints_the_date_order_note(
    fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from forecasting.cli import main

    dates = ["10/01/2026", "10/02/2026", "10/13/2026", "10/14/2026"]
    f = _de_report(fixtures, tmp_path, dates, "BusinessReport_DE_2026.csv")
    assert main(["ingest", str(f), "--store", str(tmp_path / "h.duckdb")]) in (0, 1)
    out = capsys.readouterr().out
    assert "note: BusinessReport_DE_2026.csv: dates in column 'Datum' are month-first" in out
