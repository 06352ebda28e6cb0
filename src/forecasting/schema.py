"""The data contract: column names and validators of every canonical table.

Every step of the flow hands plain pandas data frames to the next in long format (one row per
observation). The column names below are the only spelling used anywhere in the package; readers map
export headers onto them and ``models/`` converts them to each library's own format.

Validators raise :class:`~forecasting.errors.InputError` with the table, the first failing column and
data row, so a bad frame never travels silently. They are small hand-written checks rather than a
schema library: readers need the per-row reasons for their quarantine files anyway (see ``io/``), and
the few checks here run on every boundary, so they must be cheap (vectorised, no copies).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from forecasting.errors import InputError

# --- shared keys -----------------------------------------------------------------------------
SKU = "sku"
MARKETPLACE = "marketplace"
DATE = "date"
UNITS = "units"
REVENUE = "revenue"
CURRENCY = "currency"
ORDER_ID = "order_id"
IN_STOCK = "in_stock"
PROMO = "promo"
ASIN = "asin"
PARENT_ASIN = "parent_asin"

# --- sales: one row per sku × marketplace × day (orders aggregated) -------------------------
SALES_COLUMNS = [SKU, MARKETPLACE, DATE, UNITS]
SALES_OPTIONAL = [REVENUE, CURRENCY, ORDER_ID, IN_STOCK, PROMO]

# --- inventory: one row per sku × marketplace × snapshot date --------------------------------
ON_HAND = "on_hand"
INBOUND = "inbound"
RESERVED = "reserved"
INBOUND_WORKING = "inbound_working"
INBOUND_SHIPPED = "inbound_shipped"
INBOUND_RECEIVING = "inbound_receiving"
AGE_BUCKETS = [
    "age_0_90",
    "age_91_180",
    "age_181_270",
    "age_271_365",
    "age_366_455",
    "age_456_plus",
]
INVENTORY_COLUMNS = [SKU, MARKETPLACE, DATE, ON_HAND, INBOUND, RESERVED]

# --- ads: one row per day × sku × campaign × ad group ----------------------------------------
CAMPAIGN = "campaign"
AD_GROUP = "ad_group"
IMPRESSIONS = "impressions"
CLICKS = "clicks"
SPEND = "spend"
AD_SALES = "ad_sales"
AD_ORDERS = "ad_orders"
AD_UNITS = "ad_units"
SEARCH_TERM = "search_term"
ADS_COLUMNS = [
    DATE,
    SKU,
    MARKETPLACE,
    CAMPAIGN,
    AD_GROUP,
    IMPRESSIONS,
    CLICKS,
    SPEND,
    AD_SALES,
    AD_ORDERS,
    AD_UNITS,
]

# --- products: the product master -------------------------------------------------------------
TITLE = "title"
CATEGORY = "category"
LENGTH_CM = "length_cm"
WIDTH_CM = "width_cm"
HEIGHT_CM = "height_cm"
WEIGHT_KG = "weight_kg"
UNIT_COST = "unit_cost"
PRICE = "price"
PRODUCTION_LINE = "production_line"
UNITS_PER_HOUR = "units_per_hour"
MOQ = "moq"
CASE_PACK = "case_pack"
LAUNCH_DATE = "launch_date"
PRODUCT_COLUMNS = [
    SKU,
    ASIN,
    TITLE,
    CATEGORY,
    LENGTH_CM,
    WIDTH_CM,
    HEIGHT_CM,
    WEIGHT_KG,
    UNIT_COST,
    PRICE,
    PRODUCTION_LINE,
    MOQ,
    CASE_PACK,
]

# --- forecasts and backtests ------------------------------------------------------------------
MODEL = "model"
MEAN = "mean"
CUTOFF = "cutoff"
DEFAULT_QUANTILES: tuple[float, ...] = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def quantile_column(q: float) -> str:
    """Column name of quantile ``q`` (a fraction in (0, 1)): 0.1 → ``p10``, 0.025 → ``p2.5``."""
    if not 0.0 < q < 1.0:
        raise InputError(f"quantile {q} is not between 0 and 1 (exclusive)")
    pct = round(q * 100, 6)
    return f"p{int(pct)}" if float(pct).is_integer() else f"p{pct:g}"


def quantile_columns(quantiles: Sequence[float] = DEFAULT_QUANTILES) -> list[str]:
    """Column names of the quantiles, in the order given."""
    return [quantile_column(q) for q in quantiles]


FORECAST_COLUMNS = [SKU, MARKETPLACE, DATE, MODEL, MEAN, *quantile_columns()]


def require_columns(df: pd.DataFrame, columns: Sequence[str], *, table: str) -> None:
    """Raise :class:`InputError` naming the missing columns of ``table``."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(
            f"{table}: missing column(s) {', '.join(missing)}; has {', '.join(map(str, df.columns))}"
        )


def _first_bad(df: pd.DataFrame, mask: pd.Series, column: str, table: str, what: str) -> None:
    if bool(mask.any()):
        pos = int(mask.to_numpy().nonzero()[0][0])
        raise InputError(
            f"{table}: {int(mask.sum())} row(s) {what}; first at data row {pos + 1} "
            f"(value {df[column].iloc[pos]!r})",
            column=column,
        )


def validate_sales(df: pd.DataFrame, *, table: str = "sales") -> pd.DataFrame:
    """Check a sales frame: keys present, dates are dates, units finite and ≥ 0, no duplicate keys.

    Returns the frame unchanged so it can be used inline.
    """
    require_columns(df, SALES_COLUMNS, table=table)
    _first_bad(
        df, df[SKU].isna() | (df[SKU].astype(str).str.strip() == ""), SKU, table, "without SKU"
    )
    _first_bad(df, df[MARKETPLACE].isna(), MARKETPLACE, table, "without marketplace")
    if not pd.api.types.is_datetime64_any_dtype(df[DATE]):
        raise InputError(f"{table}: column is not of date type ({df[DATE].dtype})", column=DATE)
    _first_bad(df, df[DATE].isna(), DATE, table, "without a date")
    units = pd.to_numeric(df[UNITS], errors="coerce")
    _first_bad(df, units.isna(), UNITS, table, "with non-numeric units")
    _first_bad(df, units < 0, UNITS, table, "with negative units")
    dup = df.duplicated([SKU, MARKETPLACE, DATE])
    _first_bad(df, dup, SKU, table, "duplicated on (sku, marketplace, date)")
    return df


def validate_forecast(
    df: pd.DataFrame, quantiles: Sequence[float] = DEFAULT_QUANTILES, *, table: str = "forecast"
) -> pd.DataFrame:
    """Check a forecast frame: columns, non-negative mean, quantiles non-decreasing in q."""
    qcols = quantile_columns(sorted(quantiles))
    require_columns(df, [SKU, DATE, MODEL, MEAN, *qcols], table=table)
    _first_bad(df, df[MEAN] < 0, MEAN, table, "with a negative mean")
    for lo, hi in zip(qcols, qcols[1:], strict=False):
        _first_bad(df, df[lo] > df[hi] + 1e-9, hi, table, f"where {hi} < {lo}")
    return df
