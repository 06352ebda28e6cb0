"""What a replenishment plan tells the planners: summary, views, alert legend, CSV + Excel files.

Used by ``forecasting plan`` and ``notebooks/03_fba_replenishment.ipynb`` so both show and write
the same; the plan itself comes from :func:`forecasting.pipeline.replenishment`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from forecasting.errors import InputError
from forecasting.planning.excel import write_workbook
from forecasting.planning.fba.plan_rows import ALERT_TEMPLATES
from forecasting.planning.fba.replenishment import ReplenishmentPlan
from forecasting.schema import MARKETPLACE, SKU
from forecasting.spreadsheet import write_csv

#: Alert codes and what they mean, with the fee tables' thresholds as placeholders; a plan's own
#: legend, thresholds filled in from its fee tables, is ``ReplenishmentPlan.alert_legend``.
ALERT_LEGEND = ALERT_TEMPLATES


def summary_table(plan: ReplenishmentPlan) -> pd.DataFrame:
    """One row per marketplace: series, units to ship now, alerts by kind, projected fees."""
    p = plan.plan
    if p.empty:
        return pd.DataFrame()
    rows = []
    for mp, g in p.groupby(MARKETPLACE, sort=True):
        row = {
            MARKETPLACE: mp,
            "series": len(g),
            "ship_now_series": int((g["ship_qty"] > 0).sum()),
            "ship_now_units": int(g["ship_qty"].sum()),
            "units_planned_horizon": int(g.get("units_planned_horizon", pd.Series(0)).sum()),
            "projected_storage_fee": float(g.get("projected_storage_fee", pd.Series(0.0)).sum()),
            "projected_aged_fee": float(g.get("projected_aged_fee", pd.Series(0.0)).sum()),
            "projected_lilf_fee_30d": float(g.get("projected_lilf_fee_30d", pd.Series(0.0)).sum()),
            "fee_currency": next(iter(g["fee_currency"].dropna()), ""),
            "fee_table": plan.fee_tables.get(mp, ""),
        }
        alerts = g["alerts"].fillna("")
        for code in ALERT_LEGEND:
            row[code] = int(alerts.str.contains(code, regex=False).sum())
        rows.append(row)
    return pd.DataFrame(rows)


def write_replenishment(
    plan: ReplenishmentPlan, output_dir: str | Path, *, as_of: dt.date | None = None
) -> dict[str, Path]:
    """Write ``replenishment.csv``, ``shipments.csv``, ``projection.csv`` and ``replenishment.xlsx``.

    The workbook has a summary sheet, one sheet per marketplace (plan rows), the shipments, the
    capacity check and a notes sheet (fee tables used, uncertain fee values, alert legend).
    Returns the paths written, by file name.
    """
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "replenishment.csv": plan.plan,
        "shipments.csv": plan.shipments,
        "projection.csv": plan.projection,
    }
    paths = {}
    for name, df in files.items():
        paths[name] = out / name
        write_csv(df, paths[name], index=False, date_format="%Y-%m-%d", float_format="%.4g")
    sheets = {"Summary": summary_table(plan)}
    for mp, g in plan.plan.groupby(MARKETPLACE, sort=True):
        sheets[str(mp)] = g.sort_values(["ship_by", SKU], na_position="last")
    sheets["Shipments"] = plan.shipments
    sheets["Capacity"] = plan.capacity
    when = f", as of {as_of}" if as_of else ""
    notes = [
        *[f"{k}: {v}" for k, v in plan.alert_legend.items()],
        "",
        *plan.notes,
    ]
    paths["replenishment.xlsx"] = write_workbook(
        sheets, out / "replenishment.xlsx", title=f"FBA replenishment plan{when}", notes=notes
    )
    return paths


#: Columns the notebook's tables show (all columns are in the CSV and workbook).
VIEW_COLUMNS = {
    "ship_now": [SKU, MARKETPLACE, "abc", "ship_qty", "mode", "ship_by", "production_needed_by",
                 "arrival_date", "days_of_cover_now", "days_of_cover_after_arrival", "alerts"],
    "stockouts": [SKU, MARKETPLACE, "abc", "sellable", "inbound", "daily_demand_p50",
                  "stockout_date_p10", "stockout_date_p50", "arrival_date", "mode",
                  "days_short_p10_with_plan"],
    "ageing": [SKU, MARKETPLACE, "aged_units_now", "projected_aged_units_max",
               "projected_aged_fee", "projected_storage_fee", "fee_currency",
               "historical_days_of_supply", "daily_demand_p50"],
}  # fmt: skip


def plan_view(plan: ReplenishmentPlan, kind: str, *, rows: int | None = None) -> pd.DataFrame:
    """A planner's view of the plan (``kind`` one of :data:`VIEW_COLUMNS`), most urgent first.

    - ``ship_now``: series with units to ship now, by ship-by date;
    - ``stockouts``: series whose P10 stock runs out within the horizon, earliest first;
    - ``ageing``: series with units older than 180 days now or projected, by projected fee.
    """
    if kind not in VIEW_COLUMNS:
        raise InputError(f"unknown plan view {kind!r}; one of {sorted(VIEW_COLUMNS)}")
    p = plan.plan
    if p.empty:
        return p
    if kind == "ship_now":
        out = p[p["ship_qty"] > 0].sort_values(["ship_by", SKU, MARKETPLACE])
    elif kind == "stockouts":
        out = p[p["stockout_date_p10"].notna()].sort_values(["stockout_date_p10", SKU])
    else:
        aged = (p["aged_units_now"].fillna(0) > 0) | (p["projected_aged_units_max"].fillna(0) >= 1)
        out = p[aged].sort_values(["projected_aged_fee", SKU], ascending=[False, True])
    out = out[[c for c in VIEW_COLUMNS[kind] if c in out.columns]].reset_index(drop=True)
    return out.head(rows) if rows is not None else out


def urgent_series(plan: ReplenishmentPlan, n: int = 6) -> list[tuple[str, str]]:
    """The ``n`` most urgent (sku, marketplace): earliest P10 stockout, then most aged units."""
    p = plan.plan
    if p.empty or plan.projection.empty:
        return []
    order = p.assign(
        _so=pd.to_datetime(p["stockout_date_p10"]).fillna(pd.Timestamp.max),
        _aged=-pd.to_numeric(p["projected_aged_units_max"]).fillna(0.0),
    ).sort_values(["_so", "_aged", SKU, MARKETPLACE])
    drawn = plan.projection[[SKU, MARKETPLACE]].drop_duplicates()
    order = order.merge(drawn, on=[SKU, MARKETPLACE], how="inner", sort=False)
    return list(zip(order[SKU].head(n), order[MARKETPLACE].head(n), strict=True))


def notes_markdown(plan: ReplenishmentPlan):  # noqa: ANN201 - IPython type, lazy import
    """``IPython.display.Markdown``: the alert legend and the plan's notes (fee tables, ABC)."""
    from IPython.display import Markdown

    lines = [f"- `{k}`: {v}" for k, v in plan.alert_legend.items()]
    lines += [f"- {plain_markdown(n)}" for n in plan.notes]  # notes quote SKUs: text, not markup
    return Markdown("\n".join(lines))


def plain_markdown(text: str) -> str:
    r"""``text`` escaped so Markdown shows it literally (HTML escaped, markup characters quoted).

    Examples
    --------
    >>> print(plain_markdown("SKU *A*_1 <b>"))
    SKU \*A\*\_1 &lt;b&gt;
    """
    import html
    import re

    return re.sub(r"([\\`*_{}\[\]()#+!|~>-])", r"\\\1", html.escape(str(text), quote=False))
