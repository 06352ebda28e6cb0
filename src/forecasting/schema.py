"""The data contract: column names and schemas of every canonical table.

Every step of the flow hands plain pandas data frames to the next in long format (one row per
observation). The column names below are the only spelling used anywhere in the package; readers map
export headers onto them and ``models/`` converts them to each library's own format.

DESIGN: each canonical table that crosses a stage has one pandera schema here (:func:`sales_schema`,
:func:`forecast_schema`, :func:`shipments_schema`, :func:`schedule_schema`), checked with one call
where it leaves or enters a stage (``validate_*``). A broken frame raises
:class:`~forecasting.errors.InputError` naming the table, the column, how many rows fail and the
first one, so it never travels silently. The schemas check without coercing or copying (the frame is
returned as given) and are built on first use, so commands that never meet a table do not import
pandera. Readers keep their own per-row checks: they need a reason per row for the quarantine file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from forecasting.errors import InputError

if TYPE_CHECKING:
    import pandera.pandas as pa

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

# --- plans: shipments of the replenishment plan, the factory's production schedule -------------
MODE = "mode"  #: shipping mode: sea, air, rail, express (settings ``lead_times``)
SHIP_DATE = "ship_date"
ARRIVAL_DATE = "arrival_date"
LINE = "line"  #: factory line id (settings ``factory.lines``)
WEEK = "week"  #: Monday of a planning week
SHIPMENT_KEYS = [SKU, MARKETPLACE, MODE, SHIP_DATE, ARRIVAL_DATE, UNITS]
SCHEDULE_COLUMNS = [LINE, WEEK, SKU, UNITS]


def require_columns(df: pd.DataFrame, columns: Sequence[str], *, table: str) -> None:
    """Raise :class:`InputError` naming the missing columns of ``table``."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(
            f"{table}: missing column(s) {', '.join(missing)}; has {', '.join(map(str, df.columns))}"
        )


# --- schemas (pandera) -------------------------------------------------------------------------


def _check(fn: Callable[[pd.Series], Any], error: str) -> pa.Check:
    import pandera.pandas as pa

    return pa.Check(fn, error=error)


def _whole_units(bound: pa.Check) -> pa.Column:
    """A units column: whole numbers (or no rows at all) within ``bound``."""
    import pandera.pandas as pa

    whole = _check(
        lambda v: v.empty or pd.api.types.is_integer_dtype(v), "column is not whole units"
    )
    return pa.Column(nullable=False, checks=[whole, bound])


def _is_dates(what: str) -> pa.Check:
    """Dates, or no rows at all (an empty plan's columns have no type to check)."""
    return _check(
        lambda v: v.empty or pd.api.types.is_datetime64_any_dtype(v), f"{what} not of date type"
    )


def _numeric(error: str) -> pa.Check:
    return _check(lambda v: pd.to_numeric(v, errors="coerce").notna(), error)


def _finite_at_least(low: float, error: str) -> pa.Check:
    return _check(lambda v: np.isfinite(v.astype(float)) & (v.astype(float) >= low), error)


def _not_blank(v: pd.Series) -> pd.Series | bool:
    """True where the text is not blank; the few distinct values are stripped, not every row."""
    blank = [x for x in pd.unique(v) if str(x).strip() == ""]
    return ~v.isin(blank) if blank else True


def _text(what: str) -> pa.Column:
    import pandera.pandas as pa

    blank = _check(_not_blank, f"with a blank {what}")
    return pa.Column(nullable=False, checks=blank)


@cache
def sales_schema() -> pa.DataFrameSchema:
    """Daily sales: ``sku, marketplace, date, units`` (+ optional columns), one row per key.

    ``units`` numeric, finite, ≥ 0 (units); ``date`` of a datetime dtype; no duplicate
    ``(sku, marketplace, date)``.
    """
    import pandera.pandas as pa

    units = [
        _numeric("with non-numeric units"),
        _finite_at_least(0, "with negative or infinite units"),
    ]
    return pa.DataFrameSchema(
        {
            SKU: _text("SKU"),
            MARKETPLACE: _text("marketplace"),
            DATE: pa.Column(nullable=False, checks=_is_dates("column is")),
            UNITS: pa.Column(nullable=False, checks=units),
        },
        unique=[SKU, MARKETPLACE, DATE],
        report_duplicates="exclude_first",
        name="sales",
    )


@cache
def forecast_schema(quantiles: tuple[float, ...] = DEFAULT_QUANTILES) -> pa.DataFrameSchema:
    """Forecast: ``sku, marketplace, date, model, mean`` and the quantile columns ``p10`` ….

    ``mean`` finite and ≥ 0 (units per period); quantiles numeric and non-decreasing in q; one
    row per ``(sku, marketplace, date)``.
    """
    import pandera.pandas as pa

    qcols = quantile_columns(sorted(quantiles))
    columns = {
        SKU: _text("SKU"),
        MARKETPLACE: _text("marketplace"),
        DATE: pa.Column(nullable=False),
        MODEL: pa.Column(nullable=False),
        MEAN: pa.Column(
            nullable=False, checks=_finite_at_least(0, "with a negative or infinite mean")
        ),
    }
    for q in qcols:
        columns[q] = pa.Column(nullable=False, checks=_numeric(f"with a non-numeric {q}"))
    order = [
        pa.Check(
            lambda df, lo=lo, hi=hi: df[hi].astype(float) + 1e-9 >= df[lo].astype(float),
            error=f"where {hi} < {lo}|{hi}",
        )
        for lo, hi in zip(qcols, qcols[1:], strict=False)
    ]
    return pa.DataFrameSchema(
        columns,
        checks=order,
        unique=[SKU, MARKETPLACE, DATE],
        report_duplicates="exclude_first",
        name="forecast",
    )


@cache
def shipments_schema() -> pa.DataFrameSchema:
    """Shipments of the replenishment plan: ``sku, marketplace, mode, ship_date, arrival_date,
    units`` (+ more), ``units`` a whole number ≥ 0, arriving on or after the ship date.
    """
    import pandera.pandas as pa

    from forecasting.config import SHIPPING_MODES

    return pa.DataFrameSchema(
        {
            SKU: _text("SKU"),
            MARKETPLACE: _text("marketplace"),
            MODE: pa.Column(
                nullable=False,
                checks=pa.Check.isin(SHIPPING_MODES, error=f"with a mode not in {SHIPPING_MODES}"),
            ),
            SHIP_DATE: pa.Column(nullable=False, checks=_is_dates("column is")),
            ARRIVAL_DATE: pa.Column(nullable=False, checks=_is_dates("column is")),
            UNITS: _whole_units(_check(lambda v: v >= 0, "with negative units")),
        },
        checks=pa.Check(
            lambda df: df[ARRIVAL_DATE] >= df[SHIP_DATE],
            error=f"arriving before they ship|{ARRIVAL_DATE}",
        ),
        name="shipments",
    )


@cache
def schedule_schema() -> pa.DataFrameSchema:
    """Production schedule: ``line, week, sku, units``, whole units > 0, one row per key."""
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            LINE: _text("line"),
            WEEK: pa.Column(nullable=False, checks=_is_dates("column is")),
            SKU: _text("SKU"),
            UNITS: _whole_units(_check(lambda v: v > 0, "with units ≤ 0")),
        },
        unique=[LINE, WEEK, SKU],
        report_duplicates="exclude_first",
        name="production schedule",
    )


def _validate(schema: pa.DataFrameSchema, df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Run ``schema`` on ``df`` (no coercion, no copy); a failure becomes one InputError."""
    from pandera.errors import SchemaError

    try:
        schema.validate(df, lazy=False)
    except SchemaError as exc:
        raise _input_error(exc, df, table) from None
    return df


def _input_error(exc: Any, df: pd.DataFrame, table: str) -> InputError:
    """``table: N row(s) <what>; first at data row R (value V)`` with the column, from pandera."""
    reason = getattr(exc.reason_code, "value", "")
    check = exc.check
    what = str(getattr(check, "error", None) or check)
    name = getattr(exc.schema, "name", None)
    column = str(name) if name is not None and name != table else None
    if "|" in what:  # a frame-level check names its column after the bar
        what, column = what.split("|", 1)
    if reason == "column_not_in_dataframe":
        return InputError(
            f"{table}: missing column(s) {exc.failure_cases}; "
            f"has {', '.join(map(str, df.columns))}",
            column=str(exc.failure_cases),
        )
    cases = exc.failure_cases
    if not isinstance(cases, pd.DataFrame) or "index" not in cases:
        return InputError(f"{table}: {what}", column=column)
    if reason == "duplicates":
        key = ", ".join(dict.fromkeys(str(c) for c in cases["column"]))
        what, column = f"duplicated on ({key})", str(cases["column"].iloc[0])
    elif reason == "series_contains_nulls":
        what = "without a value"
    labels = cases["index"].drop_duplicates()
    pos = df.index.get_indexer(labels[:1]) if df.index.is_unique else [-1]
    first = int(pos[0]) + 1 if pos[0] >= 0 else labels.iloc[0]
    value = df[column].iloc[first - 1] if column in df and isinstance(first, int) else None
    value = value.item() if isinstance(value, np.generic) else value
    return InputError(
        f"{table}: {len(labels)} row(s) {what}; first at data row {first} (value {value!r})",
        column=column,
    )


def validate_sales(df: pd.DataFrame, *, table: str = "sales") -> pd.DataFrame:
    """Check a sales frame against :func:`sales_schema`; returns it unchanged, for use inline.

    Raises
    ------
    InputError
        The first failing column, how many rows fail and the first of them.
    """
    require_columns(df, SALES_COLUMNS, table=table)
    return _validate(sales_schema(), df, table)


def validate_forecast(
    df: pd.DataFrame, quantiles: Sequence[float] = DEFAULT_QUANTILES, *, table: str = "forecast"
) -> pd.DataFrame:
    """Check a forecast frame against :func:`forecast_schema` for ``quantiles`` (fractions).

    Returns the frame unchanged; raises :class:`InputError` like :func:`validate_sales`.
    """
    qcols = quantile_columns(sorted(quantiles))
    require_columns(df, [SKU, MARKETPLACE, DATE, MODEL, MEAN, *qcols], table=table)
    return _validate(forecast_schema(tuple(sorted(quantiles))), df, table)


def validate_shipments(df: pd.DataFrame, *, table: str = "shipments") -> pd.DataFrame:
    """Check the replenishment plan's shipments against :func:`shipments_schema`."""
    require_columns(df, SHIPMENT_KEYS, table=table)
    return _validate(shipments_schema(), df, table)


def validate_schedule(df: pd.DataFrame, *, table: str = "production schedule") -> pd.DataFrame:
    """Check a production schedule against :func:`schedule_schema`."""
    require_columns(df, SCHEDULE_COLUMNS, table=table)
    return _validate(schedule_schema(), df, table)
