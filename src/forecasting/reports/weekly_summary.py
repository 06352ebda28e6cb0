"""The Monday page (notebook ``00_weekly_summary``): actions of the week, KPI scorecard, changes.

Three parts, each plain functions over the run's results (the pipeline's cached forecast,
replenishment and production, the store's tables):

1. **Actions of the week** (:func:`weekly_actions`), at most :data:`ACTIONS_SHOWN`, ranked by
   money at risk in the base currency (``settings.base_currency``, converted at ``fx_to_base``):

   - *ship* / *expedite* (plan rows with ``ship_qty > 0``; expedite when the plan's mode is not
     the marketplace's slowest, cheapest one): ``lost units × missed-sale margin``. Lost units are
     the median demand (``daily_demand_p50``, units/day) over the days the series would stand
     empty if this shipment were skipped — from the median stock-out date without new orders
     (``stockout_date_p50``), or this shipment's arrival if later, to the arrival of the
     series' next planned new order (none: the end of the horizon) — at most the shipment.
   - *produce* (the production plan's first week, per line and SKU): ``units × missed-sale
     margin`` (the SKU's mean over its marketplaces) — an upper bound: the units are made for
     planned shipments, and each one not made is a sale missed if its shipment then runs dry.
   - *pause / cut ads* (:func:`forecasting.reports.ads_performance.spend_at_stockout_risk`):
     the ad spend of the last :data:`ADS_DAYS` days on SKUs that stock out before their next
     arrival.
   - *remove aged stock*: the plan's projected aged-inventory surcharge
     (``projected_aged_fee``: projected units over 180 days × the fee table's rate).
   - *investigate data*: quarantined rows (one action per file) and partial days; no amount,
     always listed (every figure rests on the data), after the money actions.

   The missed-sale margin is :attr:`UnitEconomics.missed_sale_margin` (net price − referral −
   fulfilment − landed cost, :func:`~forecasting.planning.unit_economics.unit_economics_table`).
2. **KPI scorecard** (:mod:`forecasting.reports.weekly_kpis`): one pure function per metric,
   the targets in one dict with their sources, a traffic light per metric; here the two periods
   (the last :data:`KPI_DAYS` days and the ones before) are cut and passed to it.
3. **What changed since the last run** (:func:`find_previous`, :func:`read_summary`,
   :func:`changes`): each run writes ``summary.json`` (:func:`summary_record`); the next one
   reads the previous report folder's file as data (checked types, never executed, shown only as
   escaped text) and lists new stock-out risks, plan changes and KPI moves.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from forecasting.errors import InputError
from forecasting.reports import ads_performance as ap
from forecasting.reports.weekly_kpis import KPI_ORDER, base_rates, kpi_values, scorecard
from forecasting.schema import CURRENCY, DATE, MARKETPLACE, SKU, SPEND

if TYPE_CHECKING:
    from forecasting.run import Run

#: Actions shown on the page (all of them are in ``actions.csv``).
ACTIONS_SHOWN = 15
#: Data-problem actions listed at most (the rest are counted in the last one's file list).
DATA_ACTIONS_SHOWN = 5
#: Days of recent ad spend counted for the pause-ads actions.
ADS_DAYS = 30
#: Days of each KPI period (the trend compares with the period before).
KPI_DAYS = 28
#: Days of sales behind the margins of the actions (as report 05's unit economics).
MARGIN_WINDOW_DAYS = 90
#: Files this page writes into the report folder.
SUMMARY_FILE, ACTIONS_FILE, KPI_FILE = "summary.json", "actions.csv", "kpis.csv"
#: Largest ``summary.json`` read from a previous run (bytes).
SUMMARY_MAX_BYTES = 1_000_000
#: The detail report of each action kind (fixed names, never from data).
REPORT_PAGES = {
    "ship": "03_fba_replenishment.html",
    "expedite": "03_fba_replenishment.html",
    "produce": "04_production_plan.html",
    "pause_ads": "05_inventory_ads.html",
    "reduce_ads": "05_inventory_ads.html",
    "remove_aged": "03_fba_replenishment.html",
    "investigate": "01_data_health.html",
}

# --- actions of the week ----------------------------------------------------------------------
ACTION_COLUMNS = ["kind", SKU, MARKETPLACE, "line", "units", "mode", "date", "money_at_risk",
                  "reason_key", "fields"]  # fmt: skip


def margins_in_base(
    economics: pd.DataFrame, fx_to_base: Mapping[str, float]
) -> dict[tuple[str, str], float]:
    """``{(sku, marketplace): missed-sale margin}`` in the base currency per unit (known rows)."""
    part = economics.loc[np.isfinite(pd.to_numeric(economics["missed_sale_margin"], "coerce"))]
    if part.empty:
        return {}
    rate = base_rates(part[CURRENCY], fx_to_base)
    values = part["missed_sale_margin"].astype(float).to_numpy() * rate
    return {
        (str(s), str(m)): float(v)
        for s, m, v in zip(part[SKU], part[MARKETPLACE], values, strict=True)
    }


def _day(value: object) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def ship_actions(
    plan: pd.DataFrame,
    shipments: pd.DataFrame,
    margins: Mapping[tuple[str, str], float],
    *,
    horizon_end: dt.date,
    default_modes: Mapping[str, str],
) -> pd.DataFrame:
    """Ship and expedite actions from the plan rows with ``ship_qty > 0`` (see the module doc).

    Examples
    --------
    >>> plan = pd.DataFrame({"sku": ["A"], "marketplace": ["US"], "ship_qty": [100],
    ...     "mode": ["sea"], "ship_by": pd.to_datetime(["2026-12-01"]),
    ...     "arrival_date": pd.to_datetime(["2027-01-10"]), "daily_demand_p50": [2.0],
    ...     "stockout_date_p50": pd.to_datetime(["2027-01-01"]),
    ...     "stockout_date_p10": pd.to_datetime(["2026-12-20"])})
    >>> ships = pd.DataFrame({"sku": ["A", "A"], "marketplace": "US", "source": "new_order",
    ...     "ship_date": pd.to_datetime(["2026-12-01", "2027-01-15"]),
    ...     "arrival_date": pd.to_datetime(["2027-01-10", "2027-02-20"])})
    >>> out = ship_actions(plan, ships, {("A", "US"): 5.0}, horizon_end=dt.date(2027, 6, 1),
    ...     default_modes={"US": "sea"})
    >>> out[["kind", "units", "money_at_risk"]].values.tolist()   # 2/day × 41 days = 82 × 5.0
    [['ship', 100, 410.0]]
    """
    rows = []
    todo = plan.loc[plan["ship_qty"] > 0]
    new = shipments.loc[shipments["source"] == "new_order"]
    for r in todo.to_dict("records"):
        key = (str(r[SKU]), str(r[MARKETPLACE]))
        same = new.loc[(new[SKU] == r[SKU]) & (new[MARKETPLACE] == r[MARKETPLACE])]
        later = same.loc[same["ship_date"] > r["ship_by"], "arrival_date"]
        following = later.min() if len(later) else pd.Timestamp(horizon_end)
        stockout, arrival = r["stockout_date_p50"], r["arrival_date"]
        lost = 0.0
        if pd.notna(stockout):
            start = max(stockout, arrival) if pd.notna(arrival) else stockout
            days = max(0, (pd.Timestamp(following) - pd.Timestamp(start)).days)
            lost = min(float(r["ship_qty"]), float(r["daily_demand_p50"]) * days)
        margin = margins.get(key, math.nan)
        mode = str(r["mode"] or "")
        kind = "expedite" if mode and mode != default_modes.get(key[1], mode) else "ship"
        if kind == "expedite":
            reason = "weekly.reason.expedite"
        elif lost > 0:
            reason = "weekly.reason.ship"
        elif pd.notna(r["stockout_date_p10"]):
            reason = "weekly.reason.ship_safe"
        else:
            reason = "weekly.reason.ship_plain"
        stock_day = stockout if pd.notna(stockout) else r["stockout_date_p10"]
        fields = {"lost": round(lost), "stockout": _day(stock_day)}
        rows.append(
            {"kind": kind, SKU: key[0], MARKETPLACE: key[1], "line": "",
             "units": int(r["ship_qty"]), "mode": mode, "date": _day(r["ship_by"]),
             "money_at_risk": lost * margin if lost > 0 else 0.0 * margin,
             "reason_key": reason, "fields": fields}
        )  # fmt: skip
    return pd.DataFrame(rows, columns=ACTION_COLUMNS)


def produce_actions(
    schedule: pd.DataFrame,
    requirements: pd.DataFrame,
    margins: Mapping[tuple[str, str], float],
) -> pd.DataFrame:
    """Produce actions: the schedule's first week per line × SKU; money = units × the SKU's mean
    missed-sale margin over its marketplaces (an upper bound, see the module doc)."""
    if schedule.empty:
        return pd.DataFrame(columns=ACTION_COLUMNS)
    first = schedule["week"].min()
    week = schedule.loc[schedule["week"] == first]
    week = week.groupby(["line", "week", SKU], as_index=False)["units"].sum()
    rows = []
    for r in week.to_dict("records"):
        sku = str(r[SKU])
        known = [v for (s, _), v in margins.items() if s == sku]
        margin = float(np.mean(known)) if known else math.nan
        due = requirements.loc[(requirements[SKU] == sku) & (requirements["required"] > 0)]
        due = due.loc[due["due_date"] >= first, "due_date"]
        rows.append(
            {"kind": "produce", SKU: sku, MARKETPLACE: "", "line": str(r["line"]),
             "units": int(r["units"]), "mode": "", "date": _day(first),
             "money_at_risk": float(r["units"]) * margin, "reason_key": "weekly.reason.produce",
             "fields": {"due": _day(due.min()) if len(due) else _day(first)}}
        )  # fmt: skip
    return pd.DataFrame(rows, columns=ACTION_COLUMNS)


def ads_actions(at_risk: pd.DataFrame, *, days: int = ADS_DAYS) -> pd.DataFrame:
    """Pause / cut-ads actions from :func:`~forecasting.reports.ads_performance.
    spend_at_stockout_risk` (with ``spend_base``): money = the spend of the last ``days``."""
    rows = []
    for r in at_risk.to_dict("records"):
        kind = "pause_ads" if r["action"] == "pause" else "reduce_ads"
        rows.append(
            {"kind": kind, SKU: str(r[SKU]), MARKETPLACE: str(r[MARKETPLACE]), "line": "",
             "units": None, "mode": "", "date": _day(r["stockout_date"]),
             "money_at_risk": float(r["spend_base"]), "reason_key": f"weekly.reason.{kind}",
             "fields": {"stockout": _day(r["stockout_date"]), "arrival": _day(r["arrival_date"]),
                        "spend": ap.money_text(r[SPEND], str(r[CURRENCY])), "days": days}}
        )  # fmt: skip
    return pd.DataFrame(rows, columns=ACTION_COLUMNS)


def aged_actions(plan: pd.DataFrame, fx_to_base: Mapping[str, float]) -> pd.DataFrame:
    """Remove / liquidate actions: plan rows with a projected aged-inventory surcharge
    (``projected_aged_fee`` in ``fee_currency``); money = that fee in the base currency."""
    part = plan.loc[(plan["projected_aged_units_max"] > 0) & (plan["projected_aged_fee"] > 0)]
    if part.empty:
        return pd.DataFrame(columns=ACTION_COLUMNS)
    rate = base_rates(part["fee_currency"], fx_to_base)
    rows = []
    for r, x in zip(part.to_dict("records"), rate, strict=True):
        rows.append(
            {"kind": "remove_aged", SKU: str(r[SKU]), MARKETPLACE: str(r[MARKETPLACE]),
             "line": "", "units": round(float(r["projected_aged_units_max"])), "mode": "",
             "date": "", "money_at_risk": float(r["projected_aged_fee"]) * x,
             "reason_key": "weekly.reason.remove_aged",
             "fields": {"fee": ap.money_text(r["projected_aged_fee"], str(r["fee_currency"]))}}
        )  # fmt: skip
    return pd.DataFrame(rows, columns=ACTION_COLUMNS)


def data_actions(quarantine: pd.DataFrame, partial: pd.DataFrame) -> pd.DataFrame:
    """Investigate-data actions: one per file with quarantined rows (rows, first reason), one per
    partial day (marketplace, date); no money."""
    rows = []
    if len(quarantine):
        for file, part in quarantine.groupby("file", sort=True):
            rows.append(
                {"kind": "investigate", SKU: "", MARKETPLACE: "", "line": "",
                 "units": None, "mode": "", "date": "", "money_at_risk": math.nan,
                 "reason_key": "weekly.reason.quarantine",
                 "fields": {"file": str(file), "rows": len(part),
                            "reason": str(part["reason"].iloc[0])}}
            )  # fmt: skip
    for r in partial.to_dict("records") if len(partial) else []:
        rows.append(
            {"kind": "investigate", SKU: "", MARKETPLACE: str(r[MARKETPLACE]), "line": "",
             "units": None, "mode": "", "date": _day(r[DATE]), "money_at_risk": math.nan,
             "reason_key": "weekly.reason.partial", "fields": {}}
        )  # fmt: skip
    return pd.DataFrame(rows, columns=ACTION_COLUMNS)


def rank_actions(
    parts: list[pd.DataFrame],
    limit: int = ACTIONS_SHOWN,
    data_limit: int = DATA_ACTIONS_SHOWN,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All actions ranked (money at risk, most first; ties by kind, SKU, marketplace; actions
    without an amount last) and the ones shown: data actions (at most ``data_limit``) always,
    the money actions filling the rest of ``limit``. Returns (shown, all)."""
    frames = [p for p in parts if len(p)]
    if not frames:
        empty = pd.DataFrame(columns=["rank", *ACTION_COLUMNS])
        return empty, empty
    every = pd.concat(frames, ignore_index=True)
    every = every.sort_values(
        ["money_at_risk", "kind", SKU, MARKETPLACE, "line", "date"],
        ascending=[False, True, True, True, True, True],
        na_position="last",
        kind="mergesort",
    ).reset_index(drop=True)
    every.insert(0, "rank", range(1, len(every) + 1))
    data = every.loc[every["kind"] == "investigate"].head(data_limit)
    money = every.loc[every["kind"] != "investigate"].head(max(0, limit - len(data)))
    shown = pd.concat([money, data]).sort_values("rank").reset_index(drop=True)
    shown["rank"] = range(1, len(shown) + 1)
    return shown, every


def weekly_actions(
    *,
    plan: pd.DataFrame,
    shipments: pd.DataFrame,
    schedule: pd.DataFrame,
    requirements: pd.DataFrame,
    at_risk: pd.DataFrame,
    quarantine: pd.DataFrame,
    partial: pd.DataFrame,
    economics: pd.DataFrame,
    fx_to_base: Mapping[str, float],
    base_currency: str,
    horizon_end: dt.date,
    default_modes: Mapping[str, str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The actions of the week (shown, all): see the module doc for each kind's money at risk."""
    fx = {**fx_to_base, base_currency: 1.0}
    margins = margins_in_base(economics, fx)
    return rank_actions(
        [
            ship_actions(
                plan, shipments, margins, horizon_end=horizon_end, default_modes=default_modes
            ),
            produce_actions(schedule, requirements, margins),
            ads_actions(at_risk),
            aged_actions(plan, fx),
            data_actions(quarantine, partial),
        ]  # fmt: skip
    )


def mode_text(mode: str, lang: str, t: Callable[..., str]) -> str:
    """A shipping mode in ``lang`` (``weekly.mode.<mode>``); a mode without a label as written."""
    try:
        return t(f"weekly.mode.{mode}", lang) if mode else ""
    except KeyError:
        return mode


def action_texts(
    actions: pd.DataFrame, lang: str, t: Callable[..., str]
) -> tuple[list[str], list[str], list[str]]:
    """(kind label, what, reason) of each action in ``lang``; ``t`` is ``i18n.t``."""
    kinds, whats, reasons = [], [], []
    for r in actions.to_dict("records"):
        kind, f = r["kind"], dict(r["fields"])
        mode = mode_text(str(r["mode"]), lang, t)
        kinds.append(t(f"weekly.kind.{kind}", lang))
        if kind in ("ship", "expedite"):
            what = t("weekly.what.ship", lang, sku=r[SKU], marketplace=r[MARKETPLACE],
                     units=f"{r['units']:,}", mode=mode, ship_by=r["date"])  # fmt: skip
        elif kind == "produce":
            what = t("weekly.what.produce", lang, line=r["line"], week=r["date"],
                     sku=r[SKU], units=f"{r['units']:,}")  # fmt: skip
        elif kind in ("pause_ads", "reduce_ads"):
            what = t("weekly.what.ads", lang, sku=r[SKU], marketplace=r[MARKETPLACE],
                     spend=f["spend"], days=f["days"])  # fmt: skip
        elif kind == "remove_aged":
            what = t("weekly.what.aged", lang, sku=r[SKU], marketplace=r[MARKETPLACE],
                     units=f"{r['units']:,}")  # fmt: skip
        elif r["reason_key"] == "weekly.reason.quarantine":
            what = t("weekly.what.quarantine", lang, file=f["file"], rows=f["rows"])
        else:
            what = t("weekly.what.partial", lang, marketplace=r[MARKETPLACE], date=r["date"])
        whats.append(what)
        reasons.append(t(r["reason_key"], lang, mode=mode, **f))
    return kinds, whats, reasons


def money_cell(value: float, base_currency: str) -> str:
    """Money at risk as shown: ``12,345 CNY``; ``—`` without an amount."""
    if value is None or pd.isna(value):
        return "—"
    return f"{float(value):,.0f} {base_currency}"


def actions_html(
    actions: pd.DataFrame, lang: str, t: Callable[..., str], base_currency: str
) -> str:
    """The actions as an HTML table: every text escaped, links only to :data:`REPORT_PAGES`."""
    kinds, whats, reasons = action_texts(actions, lang, t)
    head = ["rank", "todo", "what", "reason", "money_at_risk", "detail"]
    left = ' style="text-align:left"'
    cells = "".join(f"<th{left}>{html.escape(t(f'col.{c}', lang))}</th>" for c in head)
    body = []
    for r, kind, what, reason in zip(
        actions.to_dict("records"), kinds, whats, reasons, strict=True
    ):
        page = REPORT_PAGES[r["kind"]]
        body.append(
            "<tr>"
            f"<td>{int(r['rank'])}</td><td{left}>{html.escape(kind)}</td>"
            f"<td{left}>{html.escape(what)}</td><td{left}>{html.escape(reason)}</td>"
            f'<td style="text-align:right">'
            f"{html.escape(money_cell(r['money_at_risk'], base_currency))}</td>"
            f'<td><a href="{html.escape(page)}">{html.escape(t("weekly.detail", lang))}</a></td>'
            "</tr>"
        )
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{''.join(body)}</tbody></table>"


# --- what changed since the last run ----------------------------------------------------------
def summary_record(
    as_of: dt.date,
    kpis: Mapping[str, float],
    actions: pd.DataFrame,
    ship_units: Mapping[str, int],
    risks: pd.DataFrame,
) -> dict[str, Any]:
    """The JSON-able record a run leaves for the next: KPIs (NaN → null), shown actions, units
    to ship per marketplace, stock-out risks (sku, marketplace)."""
    return {
        "as_of": as_of.isoformat(),
        "kpis": {k: (None if math.isnan(v) else round(float(v), 6)) for k, v in kpis.items()},
        "ship_units": {str(k): int(v) for k, v in sorted(ship_units.items())},
        "stockout_risks": sorted(
            [str(s), str(m)] for s, m in zip(risks[SKU], risks[MARKETPLACE], strict=True)
        ),
        "actions": [
            {
                "kind": str(r["kind"]),
                "sku": str(r[SKU]),
                "marketplace": str(r[MARKETPLACE]),
                "money_at_risk": None
                if pd.isna(r["money_at_risk"])
                else round(float(r["money_at_risk"]), 2),
            }
            for r in actions.to_dict("records")
        ],  # fmt: skip
    }


def write_summary(record: Mapping[str, Any], output_dir: str | Path | None) -> Path | None:
    """Write ``summary.json`` (sorted keys, UTF-8) into ``output_dir``; None writes nothing."""
    if output_dir is None:
        return None
    path = Path(output_dir) / SUMMARY_FILE
    text = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def find_previous(reports_root: str | Path, as_of: dt.date) -> Path | None:
    """The newest folder ``YYYY-MM-DD`` in ``reports_root`` dated before ``as_of`` (or None)."""
    root = Path(reports_root)
    if not root.is_dir():
        return None
    dated = []
    for p in root.iterdir():
        try:
            day = dt.date.fromisoformat(p.name)
        except ValueError:
            continue
        if p.is_dir() and day < as_of:
            dated.append((day, p))
    return max(dated)[1] if dated else None


def _number(value: object, where: str) -> float:
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where} is not a number")
    return float(value)


def read_summary(folder: str | Path) -> dict[str, Any]:
    """The previous run's ``summary.json`` as checked data: ``as_of`` (date), ``kpis`` {name:
    float}, ``ship_units`` {marketplace: int}, ``stockout_risks`` set of (sku, marketplace).

    Raises
    ------
    InputError
        Missing, too large, not JSON or a field of the wrong type, naming the file and field.
    """
    path = Path(folder) / SUMMARY_FILE
    if not path.is_file():
        raise InputError("no summary.json (made before this page existed)", file=path)
    if path.stat().st_size > SUMMARY_MAX_BYTES:
        raise InputError(f"larger than {SUMMARY_MAX_BYTES:,} bytes", file=path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("the file is not a JSON object")
        as_of = dt.date.fromisoformat(str(raw.get("as_of")))
        kpis = {str(k): _number(v, f"kpis.{k}") for k, v in dict(raw.get("kpis", {})).items()}
        ships = {}
        for k, v in dict(raw.get("ship_units", {})).items():
            if isinstance(v, bool) or not isinstance(v, int):
                raise ValueError(f"ship_units.{k} is not a whole number")
            ships[str(k)] = v
        risks = set()
        for item in list(raw.get("stockout_risks", [])):
            if not (
                isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)
            ):
                raise ValueError("stockout_risks holds an item that is not [sku, marketplace]")
            risks.add((item[0], item[1]))
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise InputError(f"unreadable: {exc}", file=path) from None
    return {"as_of": as_of, "kpis": kpis, "ship_units": ships, "stockout_risks": risks}


def changes(
    record: Mapping[str, Any], previous: Mapping[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(new stock-out risks, units to ship per marketplace now vs before, KPI moves).

    New risks: ``sku, marketplace`` at risk now and not before. Plan changes: every marketplace
    of either run, ``change_now, change_before, change_delta`` (units). KPI moves: KPIs known in
    both runs whose value moved, ``kpi, change_now, change_before`` (values, not text).
    """
    before = previous["stockout_risks"]
    new = [tuple(x) for x in record["stockout_risks"] if tuple(x) not in before]
    risks = pd.DataFrame(new, columns=[SKU, MARKETPLACE])
    now_units, old_units = record["ship_units"], previous["ship_units"]
    mps = sorted(set(now_units) | set(old_units))
    plan = pd.DataFrame(
        {
            MARKETPLACE: mps,
            "change_now": [int(now_units.get(m, 0)) for m in mps],
            "change_before": [int(old_units.get(m, 0)) for m in mps],
        }
    )
    plan["change_delta"] = plan["change_now"] - plan["change_before"]
    moves = []
    for kpi in KPI_ORDER:
        a, b = record["kpis"].get(kpi), previous["kpis"].get(kpi, math.nan)
        if a is None or math.isnan(b) or abs(a - b) < 1e-9:
            continue
        moves.append({"kpi": kpi, "change_now": a, "change_before": b})
    return risks, plan, pd.DataFrame(moves, columns=["kpi", "change_now", "change_before"])


@dataclass(frozen=True)
class WeeklySummary:
    """Everything the Monday page shows (:func:`build_weekly_summary`).

    Attributes
    ----------
    actions, all_actions : DataFrame
        Shown actions (at most :data:`ACTIONS_SHOWN`) and every action, ranked
        (:data:`ACTION_COLUMNS` + ``rank``; money in ``base_currency``).
    kpis, kpis_before : dict
        KPI values of the last :data:`KPI_DAYS` days and of the period before.
    scorecard : DataFrame
        :func:`scorecard`.
    record : dict
        :func:`summary_record` (what ``summary.json`` holds).
    risks : DataFrame
        SKU × marketplace at stock-out risk before the next arrival.
    base_currency : str
    notes : tuple of str
        The plan's and forecast's notes (plain text).
    """

    actions: pd.DataFrame
    all_actions: pd.DataFrame
    kpis: dict[str, float]
    kpis_before: dict[str, float]
    scorecard: pd.DataFrame
    record: dict[str, Any]
    risks: pd.DataFrame
    base_currency: str
    notes: tuple[str, ...]


def build_weekly_summary(run: Run) -> WeeklySummary:
    """The Monday page of ``run`` (:class:`forecasting.run.Run`) from the pipeline's cached stages
    (replenishment, production with notebook 04's defaults) and the store's tables."""
    from forecasting import pipeline
    from forecasting.planning.unit_economics import unit_economics_table

    cfg, as_of, db = run.settings, run.as_of, run.store
    base = cfg.base_currency
    replen = pipeline.replenishment(run)
    production = pipeline.production(run, plan=replen).plan  # notebook 04's defaults: one cache
    sales, ads, returns, products = db.sales(as_of=as_of), db.ads(), db.returns(), db.products()
    currencies = ap.marketplace_currencies(cfg)

    def economics(end: dt.date, days: int) -> pd.DataFrame:
        table, _ = unit_economics_table(
            products, cfg, sales=sales, ads=ads, returns=returns, as_of=end, window_days=days
        )
        return table

    def period(end: dt.date) -> dict[str, float]:
        try:
            inventory = db.inventory(end)
        except InputError as exc:  # no planning-report pull on or before ``end``: no stock then
            if exc.key != "as_of":
                raise
            inventory = pd.DataFrame()
        if len(inventory):  # a snapshot older than the period says nothing about it
            start = pd.Timestamp(end) - pd.Timedelta(days=KPI_DAYS)
            inventory = inventory.loc[pd.to_datetime(inventory[DATE]) > start]
        return kpi_values(
            sales=ap.in_window(sales, end, KPI_DAYS),
            returns=ap.in_window(returns, end, KPI_DAYS) if len(returns) else returns,
            ads=ap.in_window(ads, end, KPI_DAYS) if len(ads) else ads,
            economics=economics(end, KPI_DAYS),
            inventory=inventory,
            currencies=currencies,
            fx_to_base=cfg.fx_to_base,
            base_currency=base,
        )

    now = period(as_of)
    before = period(as_of - dt.timedelta(days=KPI_DAYS))
    risks = ap.stockout_risk_from_plan(
        replen.plan, as_of=as_of, lead_time_days=ap.new_order_lead_days(cfg)
    )
    at_risk = ap.spend_at_stockout_risk(
        ads, risks, as_of=as_of, days=ADS_DAYS, fx_to_base={**cfg.fx_to_base, base: 1.0}
    ) if len(ads) else pd.DataFrame(columns=[SKU, MARKETPLACE, "action"])  # fmt: skip
    shown, every = weekly_actions(
        plan=replen.plan,
        shipments=replen.shipments,
        schedule=production.schedule,
        requirements=production.requirements,
        at_risk=at_risk,
        quarantine=db.quarantine(),
        partial=db.partial_days(as_of),
        economics=economics(as_of, MARGIN_WINDOW_DAYS),
        fx_to_base=cfg.fx_to_base,
        base_currency=base,
        horizon_end=as_of + dt.timedelta(days=run.horizon_days),
        default_modes={m.code: cfg.modes(m.code)[0] for m in cfg.marketplaces if cfg.modes(m.code)},
    )
    ship_units = replen.plan.groupby(MARKETPLACE)["ship_qty"].sum().astype(int).to_dict()
    record = summary_record(as_of, now, shown, ship_units, risks)
    return WeeklySummary(
        actions=shown,
        all_actions=every,
        kpis=now,
        kpis_before=before,
        scorecard=scorecard(now, before),
        record=record,
        risks=risks,
        base_currency=base,
        notes=tuple(replen.notes),
    )


def actions_table(actions: pd.DataFrame, lang: str, t: Callable[..., str]) -> pd.DataFrame:
    """Every action as a plain table for ``actions.csv`` (machine columns + the texts)."""
    kinds, whats, reasons = action_texts(actions, lang, t)
    out = actions.drop(columns=["fields", "reason_key"]).copy()
    out["what"], out["reason"] = whats, reasons
    return out


def previous_run(
    as_of: dt.date,
    previous_dir: str | Path | None,
    output_dir: str | Path | None,
    reports_root: str | Path,
) -> tuple[Path | None, dict[str, Any] | None, str]:
    """The run to compare with: (folder, its :func:`read_summary`, problem).

    ``previous_dir`` when given; else the newest dated folder before ``as_of`` next to
    ``output_dir`` (the report run's folder), or in ``reports_root`` without one. No folder:
    (None, None, ""): the first run. A folder whose summary cannot be read: (folder, None, the
    one-line reason).
    """
    if previous_dir is not None:
        folder: Path | None = Path(previous_dir)
    else:
        root = Path(output_dir).parent if output_dir is not None else Path(reports_root)
        folder = find_previous(root, as_of)
    if folder is None:
        return None, None, ""
    try:
        return folder, read_summary(folder), ""
    except InputError as exc:
        return folder, None, exc.one_line()
