"""Factory rates of the sample products, sized so the lines are tight but mostly feasible.

The planner's production plan must find a genuine capacity problem in some weeks (before Q4 and the
Chinese New Year shutdown) while most weeks fit. So each line's rates (``units_per_hour``) are set
from the simulated demand of the last 52 weeks: the average weekly demand hours of a line are
``TARGET_LOAD`` of the line's productive hours (``FactoryLine.hours_per_week``), split between its
SKUs by their relative work content. Seasonal peaks then push single weeks above 100 %.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from forecasting.config import Settings
from forecasting.sample.catalog import Product
from forecasting.sample.demand import Series

#: average demand hours ÷ productive hours per line over the last 52 weeks
TARGET_LOAD = {"L1": 0.72, "L2": 0.65, "L3": 0.65, "L4": 0.75, "L5": 0.70}
#: minimum production batch (MOQ) in days of the line's output for that SKU
MOQ_DAYS = {"L1": 2.0, "L2": 2.0, "L3": 1.5, "L4": 2.0, "L5": 1.5}


def set_line_rates(
    products: list[Product], series: list[Series], demand: np.ndarray, settings: Settings
) -> list[Product]:
    """Products with ``units_per_hour`` and ``moq`` that fit the lines.

    ``units_per_hour`` makes each line's mean load ``TARGET_LOAD``; the minimum batch ``moq`` is
    ``MOQ_DAYS`` of the line's output for the SKU (productive hours per day × rate), rounded up to
    50 units and to whole case packs, so one batch always fits into a week.

    Parameters
    ----------
    products : list of Product
        The catalogue (``work_content``: relative hours per unit within a line).
    series, demand : list of Series, numpy.ndarray
        Latent demand, units per day (series × days); the last 364 days are used.
    settings : Settings
        Line hours per week (shifts × hours × days × efficiency).

    Returns
    -------
    list of Product
        Copies with integer ``units_per_hour`` (at least 1) and ``moq`` (units).

    Notes
    -----
    With weekly units ``u_s`` and work content ``w_s`` the line constant ``c`` solves
    ``Σ u_s w_s c = load × hours_per_week``; then ``units_per_hour_s = 1 / (w_s c)``.
    """
    weekly_units: dict[str, float] = {}
    for s, row in zip(series, demand, strict=True):
        weekly_units[s.product.sku] = weekly_units.get(s.product.sku, 0.0) + row[-364:].sum() / 52
    out = []
    for line in settings.factory.lines:
        members = [p for p in products if p.production_line == line.id]
        work = sum(weekly_units.get(p.sku, 0.0) * p.work_content for p in members)
        c = TARGET_LOAD[line.id] * line.hours_per_week / max(work, 1e-9)
        hours_per_day = line.hours_per_week / line.days_per_week
        for p in members:
            rate = max(1, round(1.0 / (p.work_content * c)))
            moq = int(np.ceil(rate * hours_per_day * MOQ_DAYS[line.id] / 50) * 50)
            moq = int(np.ceil(moq / p.case_pack) * p.case_pack)
            out.append(dataclasses.replace(p, units_per_hour=int(rate), moq=moq))
    order = {p.sku: i for i, p in enumerate(products)}
    return sorted(out, key=lambda p: order[p.sku])


def weekly_load(
    products: list[Product], series: list[Series], demand: np.ndarray, settings: Settings
) -> dict[str, np.ndarray]:
    """Demand hours per week ÷ productive hours, per line (share; 1.0 = full), for checks.

    ``load_w = Σ_s units_{s,w} / units_per_hour_s ÷ hours_per_week`` over the SKUs of the line.

    Parameters
    ----------
    products : list of Product
        With ``units_per_hour`` set.
    series, demand : list of Series, numpy.ndarray
        Units per day, series × days; whole weeks are taken from the end.
    settings : Settings
        Line hours.

    Returns
    -------
    dict of str to numpy.ndarray
        Line id → load per week (oldest first).
    """
    rate = {p.sku: p.units_per_hour for p in products}
    weeks = demand.shape[1] // 7
    load: dict[str, np.ndarray] = {}
    for line in settings.factory.lines:
        hours = np.zeros(weeks)
        for s, row in zip(series, demand, strict=True):
            if s.product.production_line == line.id:
                units = row[-weeks * 7 :].reshape(weeks, 7).sum(axis=1)
                hours += units / rate[s.product.sku]
        load[line.id] = hours / line.hours_per_week
    return load
