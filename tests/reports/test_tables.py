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
