"""Writer of the FBA Inventory planning report (``GET_FBA_INVENTORY_PLANNING_DATA``), 2026 columns.

One TSV per marketplace with the snapshot of the as-of date. Stock ages come from the simulated
receipts, consumed first-in first-out; inbound quantities from shipments in transit that day.
Amazon's own estimates we cannot know (AIS amounts, recommended prices) are left empty.
"""

from __future__ import annotations

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


def write_inventory_planning(world: World) -> None:
    """``inventory/Inventory_Planning_<MP>_2026-11-22.txt``: TSV, UTF-8, one row per listed SKU."""
    sim, t, rng = world.sim, world.t_end, world.stream(40)
    snap = world.dates[t].strftime("%Y-%m-%d")
    sh = sim.shipments
    for mp in ("US", "DE", "JP"):
        rows = []
        for i, s in enumerate(world.series):
            if s.marketplace != mp:
                continue
            p = s.product
            on_hand = int(sim.end_balance[i, t])
            reserved_cust = min(on_hand, int(round(sim.ordered[i, t] * 0.6)))
            fc_transfer = min(on_hand - reserved_cust, int(rng.binomial(on_hand, 0.03)))
            fc_proc = min(on_hand - reserved_cust - fc_transfer, int(rng.binomial(on_hand, 0.01)))
            reserved = reserved_cust + fc_transfer + fc_proc
            available = on_hand - reserved
            a = fifo_age_units(world, i)
            age = [a[0] + a[1] + a[2], a[3], a[4] + a[5] + a[6], a[7] + a[8] + a[9], a[10], a[11]]
            mine = sh[sh["series"] == i]
            working = int(
                mine[
                    (mine["order_day"] <= t) & (mine["ship_day"] > t) & (mine["ship_day"] <= t + 10)
                ]["units"].sum()
            )
            shipped = int(mine[(mine["ship_day"] <= t) & (mine["dock_day"] > t)]["units"].sum())
            recv = mine[(mine["dock_day"] <= t) & (mine["avail_day"] > t)]
            received = int((recv["units"] * 0.4).round().sum())
            inbound = working + shipped + int(recv["units"].sum())
            t_n = {n: int(sim.shipped[i, t - n + 1 : t + 1].sum()) for n in (7, 30, 60, 90)}
            price = world.price(i)
            money = (lambda x: str(round(x))) if mp == "JP" else (lambda x: fmt.plain(x, 2))
            daily90 = t_n[90] / 90
            hds = on_hand / daily90 if daily90 > 0 else 0.0
            dos = (on_hand + inbound) / (t_n[30] / 30) if t_n[30] else 0.0
            vol = p.volume_cuft
            no_sale = "Y" if sim.shipped[i, t - 181 : t + 1].sum() == 0 else "N"
            aged = int(sum(age[2:]))
            action = (
                "Create removal order"
                if aged > on_hand / 2 and aged > 20
                else "Restock"
                if hds < 30
                else "No action required"
            )
            ais = [a[4], a[5], a[6], a[7], a[8], a[9], a[10] + a[11]]
            ais_cols = []
            for q in ais:
                ais_cols += [str(int(q)), ""]
            rows.append(
                [
                    snap,
                    p.sku,
                    p.fnsku,
                    p.asin,
                    p.titles[mp],
                    "New",
                    available,
                    0,
                    *age,
                    CURRENCY[mp],
                    t_n[7],
                    t_n[30],
                    t_n[60],
                    t_n[90],
                    "out_of_stock" if not available else "",
                    money(price),
                    money(price),
                    "",
                    "",
                    action,
                    "",
                    "",
                    "",
                    "",
                    "",
                    fmt.plain(t_n[90] / max(1.0, (on_hand + t_n[90]) / 2), 2),
                    fmt.plain(vol, 4),
                    "cubic feet",
                    _storage_type(p),
                    fmt.plain(vol * on_hand, 4),
                    mp,
                    PRODUCT_GROUP[p.category],
                    int(rng.integers(800, 250000)),
                    fmt.plain(dos, 1),
                    max(0, on_hand - int(daily90 * 90)),
                    fmt.plain(on_hand / max(t_n[30] / 30 * 7, 1e-9), 1) if t_n[30] else "",
                    fmt.plain(on_hand / max(daily90 * 7, 1e-9), 1) if t_n[90] else "",
                    money(price),
                    money(t_n[7] * price),
                    money(t_n[30] * price),
                    money(t_n[60] * price),
                    money(t_n[90] * price),
                    a[0],
                    a[1],
                    a[2],
                    int(a[4] + a[5] + a[6] + a[7] + a[8]),
                    int(a[9]),
                    "",
                    inbound,
                    working,
                    shipped,
                    received,
                    no_sale,
                    reserved,
                    int(sim.returns_unsellable[i, t - 60 : t + 1].sum()),
                    *ais_cols,
                    fmt.plain(hds, 1),
                    "",
                    "",
                    "",
                    "",
                    snap,
                    "",
                    "",
                    fmt.plain(hds * 0.8, 1),
                    fmt.plain(hds * 1.1, 1),
                    snap,
                    on_hand + inbound,
                    fc_transfer,
                    fc_proc,
                    reserved_cust,
                    fmt.plain(dos, 1),
                ]
            )
        rows.sort(key=lambda r: r[1])
        fmt.write_text(
            world.out / "inventory" / f"Inventory_Planning_{mp}_{snap}.txt",
            fmt.to_text(PLANNING_HEADERS, rows, delimiter="\t"),
        )
