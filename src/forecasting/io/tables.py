"""Tables of the history store: columns with their DuckDB types, and the key of each table.

The key is what makes a row unique: re-importing a row with the same key is a duplicate (same
values) or a newer version (different values, replaces the stored row). See
:mod:`forecasting.io.store`.
"""

from __future__ import annotations

from forecasting.io import planning_report

TEXT, DAY, INT, REAL, STAMP = "VARCHAR", "DATE", "BIGINT", "DOUBLE", "TIMESTAMP"
_QTY = {c: INT for c in planning_report.QUANTITIES}
#: table → (columns with DuckDB types, key columns)
TABLES: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "orders": (
        {"order_id": TEXT, "sku": TEXT, "asin": TEXT, "marketplace": TEXT, "purchased_at": STAMP,
         "date": DAY, "last_updated": STAMP, "status": TEXT, "units": INT, "revenue": REAL,
         "currency": TEXT},
        ("order_id", "sku"),
    ),
    "orders_coverage": ({"marketplace": TEXT, "date": DAY}, ("marketplace", "date")),
    # last days an orders export held only in part (pulled during the day): io/coverage.py
    "orders_partial": (
        {"marketplace": TEXT, "date": DAY, "exported_local": STAMP},
        ("marketplace", "date", "exported_local"),
    ),
    "business_report": (
        {"sku": TEXT, "marketplace": TEXT, "date": DAY, "asin": TEXT, "parent_asin": TEXT,
         "sessions": INT, "page_views": INT, "units_ordered": INT, "ordered_product_sales": REAL,
         "buy_box_pct": REAL, "currency": TEXT},
        ("sku", "marketplace", "date"),
    ),
    "ledger": (
        {"sku": TEXT, "marketplace": TEXT, "date": DAY, "fnsku": TEXT, "disposition": TEXT,
         "starting_balance": REAL, "receipts": REAL, "customer_shipments": REAL,
         "customer_returns": REAL, "ending_balance": REAL},
        ("sku", "marketplace", "date", "fnsku", "disposition"),
    ),
    "inventory": (
        {"sku": TEXT, "marketplace": TEXT, "date": DAY, "fnsku": TEXT, "asin": TEXT, **_QTY,
         "item_volume_cuft": REAL, "storage_type": TEXT, "historical_days_of_supply": REAL},
        ("sku", "marketplace", "date"),
    ),
    "ads": (
        {"date": DAY, "sku": TEXT, "asin": TEXT, "marketplace": TEXT, "campaign": TEXT, "ad_group": TEXT,
         "impressions": INT, "clicks": INT, "spend": REAL, "ad_sales": REAL, "ad_orders": INT,
         "ad_units": INT, "currency": TEXT},
        ("date", "sku", "marketplace", "campaign", "ad_group"),
    ),
    "search_terms": (
        {"date": DAY, "marketplace": TEXT, "campaign": TEXT, "ad_group": TEXT, "targeting": TEXT,
         "match_type": TEXT, "search_term": TEXT, "impressions": INT, "clicks": INT, "spend": REAL,
         "ad_sales": REAL, "ad_orders": INT, "ad_units": INT, "currency": TEXT},
        ("date", "marketplace", "campaign", "ad_group", "targeting", "match_type",
         "search_term"),
    ),
    "returns": (
        {"sku": TEXT, "marketplace": TEXT, "date": DAY, "order_id": TEXT, "asin": TEXT, "fnsku": TEXT,
         "units": INT, "disposition": TEXT, "reason": TEXT, "status": TEXT, "license_plate": TEXT},
        ("marketplace", "order_id", "sku", "date", "license_plate", "reason"),
    ),
    "products": (
        {"sku": TEXT, "parent_sku": TEXT, "asin": TEXT, "parent_asin": TEXT, "title": TEXT,
         "category": TEXT, "launch_date": DAY, "length_cm": REAL, "width_cm": REAL, "height_cm": REAL,
         "weight_kg": REAL, "unit_cost": REAL, "price": REAL, "production_line": TEXT,
         "units_per_hour": REAL, "moq": INT, "case_pack": INT, "marketplaces": TEXT},
        ("sku",),
    ),
    "factory_stock": (
        {"sku": TEXT, "title": TEXT, "finished_goods": INT, "open_production": INT,
         "open_production_due": DAY},
        ("sku",),
    ),
    "quarantine": (
        {"file": TEXT, "row": INT, "column": TEXT, "reason": TEXT, "raw": TEXT},
        ("file", "row", "column", "reason"),
    ),
    "ingest_log": (
        {"file": TEXT, "kind": TEXT, "marketplace": TEXT, "rows_in": INT, "rows_stored": INT,
         "rows_quarantined": INT, "rows_duplicate": INT, "rows_excluded": INT,
         "excluded_reasons": TEXT, "date_min": DAY, "date_max": DAY, "skus": INT,
         "ingested_at": STAMP},
        (),
    ),
}  # fmt: skip
#: export kind → table
KIND_TABLE = {"planning_report": "inventory"} | {
    k: k
    for k in (
        "orders",
        "business_report",
        "ledger",
        "ads",
        "search_terms",
        "returns",
        "products",
        "factory_stock",
    )
}
