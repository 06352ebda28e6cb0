"""Display tables: translated headers, no index, tidy values."""

from __future__ import annotations

import pandas as pd

from forecasting.reports.tables import show_table


def test_show_table_labels_and_formats() -> None:
    frame = pd.DataFrame(
        {
            "sku": ["A"],
            "stockout_days": [1234],
            "stockout_share": [0.125],
            "last_stockout": pd.to_datetime(["2026-11-03"]),
            "balanced": [False],
            "unknown_col": [2.345],
        }
    )
    html = show_table(frame, "zh", percent=["stockout_share"]).to_html()
    assert "断货天数" in html and "unknown_col" in html
    assert "1,234" in html and "12.5%" in html and "2.3" in html and "✗" in html
    assert "2026-11-03" in html and "00:00:00" not in html
    english = show_table(frame, "en", max_rows=0).to_html()
    assert "stockout days" in english and "1,234" not in english


def test_save_table(tmp_path) -> None:  # noqa: ANN001
    from forecasting.reports.tables import save_table

    frame = pd.DataFrame(
        {"search_term": ["ドリル"], "spend": [1 / 3], "week": pd.to_datetime(["2026-11-16"])}
    )
    assert save_table(frame, None, "x.csv") is None
    path = save_table(frame, tmp_path / "run", "x.csv")
    assert path is not None and path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert (
        path.read_text(encoding="utf-8-sig")
        == "search_term,spend,week\nドリル,0.333333,2026-11-16\n"
    )
    assert [p.name for p in path.parent.iterdir()] == ["x.csv"]


def test_show_table_whole_floats_and_translated_codes() -> None:
    frame = pd.DataFrame({"units_aged": [806.0, 12.0], "zone": ["low", "weird"]})
    html = show_table(frame, "en", translate=["zone"]).to_html()
    assert "806" in html and "806.0" not in html
    assert "low (&lt;28 days)" in html and "weird" in html  # unknown codes shown as they are


def test_show_table_escapes_html_in_values() -> None:
    html = show_table(pd.DataFrame({"raw": ["<script>x</script>"]})).to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html
