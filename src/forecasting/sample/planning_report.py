"""Writer of the FBA Inventory planning report (``GET_FBA_INVENTORY_PLANNING_DATA``), 2026 columns.

One TSV per marketplace with the snapshot of the as-of date. Stock ages come from the simulated
receipts, consumed first-in first-out; inbound quantities from shipments in transit that day.
Amazon's own estimates we cannot know (AIS amounts, recommended prices) are left empty.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from forecasting.sample import formats as fmt
from forecasting.sample.catalog import CURRENCY
from forecasting.sample.world import World

PLANNING_HEADERS = [
    "snapshot-date",
    "sku",
    "fnsku",
    "asin",
    "product-name",
    "condition",
    "available",
    "pending-removal-quantity",
    "inv-age-0-to-90-days",
    "inv-age-91-to-180-days",
    "inv-age-181-to-270-days",
    "inv-age-271-to-365-days",
    "inv-age-366-to-455-days",
    "inv-age-456-plus-days",
    "currency",
    "units-shipped-t7",
    "units-shipped-t30",
    "units-shipped-t60",
    "units-shipped-t90",
    "alert",
    "your-price",
    "sales-price",
    "lowest-price-new-plus-shipping",
    "lowest-price-used",
    "recommended-action",
    "healthy-inventory-level",
    "recommended-sales-price",
    "recommended-sale-duration-days",
    "recommended-removal-quantity",
    "estimated-cost-savings-of-recommended-actions",
    "sell-through",
    "item-volume",
    "volume-unit-measurement",
    "storage-type",
    "storage-volume",
    "marketplace",
    "product-group",
    "sales-rank",
    "days-of-supply",
    "estimated-excess-quantity",
    "weeks-of-cover-t30",
    "weeks-of-cover-t90",
    "featuredoffer-price",
    "sales-shipped-last-7-days",
    "sales-shipped-last-30-days",
    "sales-shipped-last-60-days",
    "sales-shipped-last-90-days",
    "inv-age-0-to-30-days",
    "inv-age-31-to-60-days",
    "inv-age-61-to-90-days",
    "inv-age-181-to-330-days",
    "inv-age-331-to-365-days",
    "estimated-storage-cost-next-month",
    "inbound-quantity",
    "inbound-working",
    "inbound-shipped",
    "inbound-received",
    "no-sale-last-6-months",
    "reserved-quantity",
    "unfulfillable-quantity",
    "quantity-to-be-charged-ais-181-210-days",
    "estimated-ais-181-210-days",
    "quantity-to-be-charged-ais-211-240-days",
    "estimated-ais-211-240-days",
    "quantity-to-be-charged-ais-241-270-days",
    "estimated-ais-241-270-days",
    "quantity-to-be-charged-ais-271-300-days",
    "estimated-ais-271-300-days",
    "quantity-to-be-charged-ais-301-330-days",
    "estimated-ais-301-330-days",
    "quantity-to-be-charged-ais-331-365-days",
    "estimated-ais-331-365-days",
    "quantity-to-be-charged-ais-365-PLUS-days",
    "estimated-ais-365-plus-days",
    "historical-days-of-supply",
    "fba-minimum-inventory-level",
    "fba-inventory-level-health-status",
    "Recommended ship-in quantity",
    "Recommended ship-in date",
    "Last updated date for Historical Days of Supply",
    "Exempted from Low-Inventory cost coverage fee?",
    "Low-Inventory cost coverage fee applied in current week?",
    "Short term historical days of supply",
    "Long term historical days of supply",
    "Inventory age snapshot date",
    "Inventory Supply at FBA",
    "fc-transfer",
    "Reserved FC Processing",
    "Reserved Customer Order",
    "Total Days of Supply (including units from open shipments)",
]
PRODUCT_GROUP = {
    "home": "Home",
    "pet": "Pet Products",
    "garden": "Lawn & Patio",
    "auto parts": "Automotive",
    "power tools": "Tools",
}
#: age bucket edges in days (upper bounds, inclusive) of the fine age split
AGE_EDGES = [30, 60, 90, 180, 210, 240, 270, 300, 330, 365, 455]


def fifo_age_units(world: World, i: int) -> np.ndarray:
    """Units on hand of series ``i`` at the as-of date per fine age bucket (FIFO).

    Buckets: 0–30, 31–60, 61–90, 91–180, 181–210, 211–240, 241–270, 271–300, 301–330, 331–365,
    366–455, 456+ days since receipt. Customer returns count as fresh stock.

    Parameters
    ----------
    world : World
        The simulated seller.
    i : int
        Series index.

    Returns
    -------
    numpy.ndarray
        12 unit counts that sum to the SELLABLE ending balance of the as-of date.
    """
    day = world.t_end
    left = int(world.sim.end_balance[i, day])
    out = np.zeros(len(AGE_EDGES) + 1, dtype=np.int64)
    for d, q in sorted(world.sim.lots[i], reverse=True):
        if d > day:
            continue
        if left <= 0:
            break
        take = min(q, left)
        out[int(np.searchsorted(AGE_EDGES, day - d))] += take
        left -= take
    out[0] += max(left, 0)
    return out


def _storage_type(p) -> str:
    dims = sorted([p.length_cm, p.width_cm, p.height_cm], reverse=True)
    small = dims[0] <= 45.72 and dims[1] <= 35.56 and dims[2] <= 20.32 and p.weight_kg <= 9.07
    return "StandardSize" if small else "Oversize"


def _series_figures(world: World, i: int, t: int, rng: np.random.Generator) -> SimpleNamespace:
    """Stock, reservations, age buckets, inbound and sales of series ``i`` on snapshot day ``t``
    (units; the draws from ``rng`` in the file's order)."""
    sim, sh = world.sim, world.sim.shipments
    f = SimpleNamespace()
    f.on_hand = on_hand = int(sim.end_balance[i, t])
    f.reserved_cust = min(on_hand, int(round(sim.ordered[i, t] * 0.6)))
    f.fc_transfer = min(on_hand - f.reserved_cust, int(rng.binomial(on_hand, 0.03)))
    f.fc_proc = min(on_hand - f.reserved_cust - f.fc_transfer, int(rng.binomial(on_hand, 0.01)))
    f.reserved = f.reserved_cust + f.fc_transfer + f.fc_proc
    f.available = on_hand - f.reserved
    f.a = a = fifo_age_units(world, i)
    f.age = [a[0] + a[1] + a[2], a[3], a[4] + a[5] + a[6], a[7] + a[8] + a[9], a[10], a[11]]
    mine = sh[sh["series"] == i]
    f.working = int(
        mine[(mine["order_day"] <= t) & (mine["ship_day"] > t) & (mine["ship_day"] <= t + 10)][
            "units"
        ].sum()
    )
    f.shipped = int(mine[(mine["ship_day"] <= t) & (mine["dock_day"] > t)]["units"].sum())
    recv = mine[(mine["dock_day"] <= t) & (mine["avail_day"] > t)]
    f.received = int((recv["units"] * 0.4).round().sum())
    f.inbound = f.working + f.shipped + int(recv["units"].sum())
    f.t_n = t_n = {n: int(sim.shipped[i, t - n + 1 : t + 1].sum()) for n in (7, 30, 60, 90)}
    f.daily90 = t_n[90] / 90
    f.hds = on_hand / f.daily90 if f.daily90 > 0 else 0.0
    f.dos = (on_hand + f.inbound) / (t_n[30] / 30) if t_n[30] else 0.0
    f.no_sale = "Y" if sim.shipped[i, t - 181 : t + 1].sum() == 0 else "N"
    aged = int(sum(f.age[2:]))
    f.action = (
        "Create removal order"
        if aged > on_hand / 2 and aged > 20
        else "Restock"
        if f.hds < 30
        else "No action required"
    )
    f.sales_rank = int(rng.integers(800, 250000))
    f.returns_unsellable_60 = int(sim.returns_unsellable[i, t - 60 : t + 1].sum())
    return f


def _planning_row(world: World, i: int, snap: str, f: SimpleNamespace) -> list:
    """One row of the Inventory Planning report from the series' figures ``f``."""
    p, mp = world.series[i].product, world.series[i].marketplace
    price, a, t_n, vol = world.price(i), f.a, f.t_n, p.volume_cuft
    money = (lambda x: str(round(x))) if mp == "JP" else (lambda x: fmt.plain(x, 2))
    ais = [a[4], a[5], a[6], a[7], a[8], a[9], a[10] + a[11]]
    ais_cols = []
    for q in ais:
        ais_cols += [str(int(q)), ""]
    return [
        snap, p.sku, p.fnsku, p.asin, p.titles[mp], "New", f.available, 0, *f.age, CURRENCY[mp],
        t_n[7], t_n[30], t_n[60], t_n[90],
        "out_of_stock" if not f.available else "",
        money(price), money(price), "", "", f.action, "", "", "", "", "",
        fmt.plain(t_n[90] / max(1.0, (f.on_hand + t_n[90]) / 2), 2),
        fmt.plain(vol, 4), "cubic feet", _storage_type(p), fmt.plain(vol * f.on_hand, 4),
        mp, PRODUCT_GROUP[p.category], f.sales_rank, fmt.plain(f.dos, 1),
        max(0, f.on_hand - int(f.daily90 * 90)),
        fmt.plain(f.on_hand / max(t_n[30] / 30 * 7, 1e-9), 1) if t_n[30] else "",
        fmt.plain(f.on_hand / max(f.daily90 * 7, 1e-9), 1) if t_n[90] else "",
        money(price), money(t_n[7] * price), money(t_n[30] * price), money(t_n[60] * price),
        money(t_n[90] * price),
        a[0], a[1], a[2], int(a[4] + a[5] + a[6] + a[7] + a[8]), int(a[9]), "",
        f.inbound, f.working, f.shipped, f.received, f.no_sale, f.reserved,
        f.returns_unsellable_60,
        *ais_cols,
        fmt.plain(f.hds, 1), "", "", "", "", snap, "", "",
        fmt.plain(f.hds * 0.8, 1), fmt.plain(f.hds * 1.1, 1), snap,
        f.on_hand + f.inbound, f.fc_transfer, f.fc_proc, f.reserved_cust, fmt.plain(f.dos, 1),
    ]  # fmt: skip


def write_inventory_planning(world: World) -> None:
    """``inventory/Inventory_Planning_<MP>_2026-11-22.txt``: TSV, UTF-8, one row per listed SKU."""
    t, rng = world.t_end, world.stream(40)
    snap = world.dates[t].strftime("%Y-%m-%d")
    for mp in ("US", "DE", "JP"):
        rows = [
            _planning_row(world, i, snap, _series_figures(world, i, t, rng))
            for i, s in enumerate(world.series)
            if s.marketplace == mp
        ]
        rows.sort(key=lambda r: r[1])
        fmt.write_text(
            world.out / "inventory" / f"Inventory_Planning_{mp}_{snap}.txt",
            fmt.to_text(PLANNING_HEADERS, rows, delimiter="\t"),
        )
