"""Text from data never becomes markup in the HTML reports: table cells and headers are escaped."""

from __future__ import annotations

import pandas as pd

from forecasting.reports.tables import show_table

SCRIPT = "<script>alert(1)</script>"


def test_table_cells_and_headers_are_escaped() -> None:
    frame = pd.DataFrame({"sku": [SCRIPT, "A & B"], f"<b>{SCRIPT}</b>": [1.5, 2.0]})
    html = show_table(frame, "en").to_html()
    assert SCRIPT not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the cell, shown as text
    assert "&lt;b&gt;&lt;script&gt;" in html  # the header, shown as text
    assert "A &amp; B" in html and "&amp;amp;" not in html  # escaped once


def test_translated_codes_are_escaped_too() -> None:
    frame = pd.DataFrame({"zone": [SCRIPT]})
    assert SCRIPT not in show_table(frame, "en", translate=["zone"]).to_html()
