"""The three lines each detail report (02–05) opens with: what needs action, in the run's language.

Each function counts from the stage's own result (no second rule: ship-now units, alert codes,
late units, aged units come from the tables the report shows) and returns three sentences from
the label table (:mod:`forecasting.reports.i18n`, keys ``actions.*``). :func:`actions_markdown`
turns them into a Markdown list; every figure is a number, and the few texts from data (event
names) are escaped so they are shown, never rendered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from forecasting.demand.summary import stockout_summary
from forecasting.planning.fba.replenishment import ReplenishmentPlan
from forecasting.planning.fba.report import alert_codes, plain_markdown
from forecasting.planning.production.plan import ProductionPlan
from forecasting.planning.production.report import bottleneck_line, late_or_short, line_loads
from forecasting.reports.i18n import t
from forecasting.schema import DATE, MARKETPLACE, SKU

if TYPE_CHECKING:
    from IPython.display import Markdown

    from forecasting.pipeline import DemandForecast

#: Days back that count as a "recent" stockout in report 02's lines (days).
RECENT_STOCKOUT_DAYS = 28


def money_by_currency(amounts: pd.Series, currencies: pd.Series) -> str:
    """Amounts summed per currency, largest first: ``"1,234 USD + 56 EUR"`` (``"0"`` if none).

    Examples
    --------
    >>> money_by_currency(pd.Series([10.0, 5.4, 100.0]), pd.Series(["EUR", "EUR", "USD"]))
    '100 USD + 15 EUR'
    """
    frame = pd.DataFrame({"a": pd.to_numeric(amounts).fillna(0.0), "c": currencies.fillna("")})
    sums = frame.groupby("c", sort=True)["a"].sum()
    sums = sums[sums.round() != 0].sort_values(ascending=False, kind="stable")
    if sums.empty:
        return "0"
    return " + ".join(f"{v:,.0f} {c}".strip() for c, v in sums.items())


def forecast_actions(result: DemandForecast, lang: str = "zh") -> list[str]:
    """Report 02: recent stockouts and their lost demand; series without a backtested model;
    the next event in the horizon.

    Parameters
    ----------
    result : DemandForecast
        :func:`forecasting.pipeline.forecast`'s result.
    lang : {"zh", "en"}

    Returns
    -------
    list of str
        Three sentences: series out of stock within the last :data:`RECENT_STOCKOUT_DAYS` days
        with their estimated lost demand (units); series forecast from analogs or their own rate
        (check by hand); events in the horizon and the first of them.
    """
    as_of = pd.Timestamp(result.as_of)
    summary = stockout_summary(result.sales)
    recent = summary[summary["last_stockout"] > as_of - pd.Timedelta(days=RECENT_STOCKOUT_DAYS)]
    series = result.forecast[[SKU, MARKETPLACE]].drop_duplicates()
    choice = result.run.choice
    backtested = choice[[SKU, MARKETPLACE]].drop_duplicates() if len(choice) else series.iloc[0:0]
    unchecked = len(
        series.merge(backtested, how="left", indicator=True).query("_merge == 'left_only'")
    )
    events = result.events[result.events[DATE] > as_of].sort_values([DATE, MARKETPLACE])
    if events.empty:
        third = t("actions.forecast.no_events", lang, days=result.horizon_days)
    else:
        first = events.iloc[0]
        third = t(
            "actions.forecast.events",
            lang,
            count=len(events),
            days=result.horizon_days,
            event=plain_markdown(str(first["event"])),
            marketplace=plain_markdown(str(first[MARKETPLACE])),
            date=pd.Timestamp(first[DATE]).date().isoformat(),
        )
    return [
        t(
            "actions.forecast.stockouts",
            lang,
            count=len(recent),
            days=RECENT_STOCKOUT_DAYS,
            units=float(recent["lost_units"].sum()),
        ),
        t("actions.forecast.unchecked", lang, count=unchecked, series=len(series)),
        third,
    ]


def replenishment_actions(plan: ReplenishmentPlan, lang: str = "zh") -> list[str]:
    """Report 03: series to ship now (units), stockout risks before arrival, ageing risks with
    their projected fees (each in its fee currency).

    Returns
    -------
    list of str
        Three sentences; the counts are those of the plan's ``ship_qty`` and alert codes
        (``stockout_before_arrival``, ``aged_stock``), the fee the sum of ``projected_aged_fee``
        of the ageing series, per fee currency.
    """
    p = plan.plan
    if p.empty:
        return [t("actions.replenish.empty", lang), "", ""]
    codes = p["alerts"].map(alert_codes)
    ship = p[p["ship_qty"].fillna(0) > 0]
    stockout = codes.map(lambda c: "stockout_before_arrival" in c)
    aged = codes.map(lambda c: "aged_stock" in c)
    fee = p.loc[aged, "projected_aged_fee"]
    return [
        t(
            "actions.replenish.ship",
            lang,
            count=len(ship),
            series=len(p),
            units=int(ship["ship_qty"].sum()),
        ),
        t("actions.replenish.stockouts", lang, count=int(stockout.sum())),
        t(
            "actions.replenish.ageing",
            lang,
            count=int(aged.sum()),
            fee=money_by_currency(fee, p.loc[aged, "fee_currency"]),
        ),
    ]


def production_actions(plan: ProductionPlan, lang: str = "zh", *, currency: str = "") -> list[str]:
    """Report 04: units late or short and the marketplaces they hit; the bottleneck line and its
    load; overtime hours and cost (``currency``: the base currency).

    Returns
    -------
    list of str
        Three sentences from the plan's summary, requirements and capacity.
    """
    s = plan.summary
    req = plan.requirements
    hit = req[(req["late"] > 0) | (req["short"] > 0)]
    line = bottleneck_line(plan)
    if line is None:
        second = t("actions.prod.idle", lang)
    else:
        load = float(line_loads(plan)[line])
        second = t("actions.prod.bottleneck", lang, line=plain_markdown(line), load=load)
    return [
        t(
            "actions.prod.late",
            lang,
            units=late_or_short(plan),
            forced=int(s.get("forced_late_units", 0) or 0),
            marketplaces=hit[MARKETPLACE].nunique() if MARKETPLACE in hit else 0,
            skus=hit[SKU].nunique(),
        ),
        second,
        t(
            "actions.prod.overtime",
            lang,
            hours=float(s.get("overtime_hours", 0.0) or 0.0),
            cost=float(s.get("overtime_cost", 0.0) or 0.0),
            currency=currency,
        ),
    ]


def inventory_ads_actions(
    risk: pd.DataFrame,
    supply: pd.DataFrame,
    at_risk: pd.DataFrame,
    lang: str = "zh",
    *,
    base_currency: str = "",
    spend_days: int = 30,
) -> list[str]:
    """Report 05: units over 180 days now and in 90 days; series paying the low-inventory fee;
    ad spend on SKUs that will stock out before their next arrival.

    Parameters
    ----------
    risk : DataFrame
        :func:`forecasting.reports.inventory_health.aged_risk` (units).
    supply : DataFrame
        :func:`forecasting.reports.inventory_health.days_of_supply` (``low_inventory_fee``).
    at_risk : DataFrame
        :func:`forecasting.reports.ads_performance.spend_at_stockout_risk` (``action``,
        ``spend_base`` in ``base_currency`` over the last ``spend_days`` days).
    """
    pause = int((at_risk["action"] == "pause").sum()) if len(at_risk) else 0
    return [
        t(
            "actions.invads.aged",
            lang,
            units=int(risk["units_aged"].sum()) if len(risk) else 0,
            later=int(risk["units_aged_in_90_days"].sum()) if len(risk) else 0,
        ),
        t(
            "actions.invads.lilf",
            lang,
            count=int(supply["low_inventory_fee"].sum()) if len(supply) else 0,
        ),
        t(
            "actions.invads.ads",
            lang,
            count=len(at_risk),
            pause=pause,
            spend=float(at_risk["spend_base"].sum()) if len(at_risk) else 0.0,
            currency=base_currency,
            days=spend_days,
        ),
    ]


def actions_markdown(lines: list[str], lang: str = "zh") -> Markdown:
    """``IPython.display.Markdown``: the heading "needs action" and the lines as a list."""
    from IPython.display import Markdown

    body = "\n".join(f"- {line}" for line in lines if line)
    return Markdown(f"{t('actions.title', lang)}\n\n{body}")
