"""Writers of the order-level files: All Orders flat files (recent weeks) and customer returns.

Orders are the Business Report's daily units split into order items (quantity mostly 1, sometimes
2–4); their counts per SKU and local day equal the Business Report's ``Units Ordered`` and
``Total Order Items`` exactly, cancelled items included.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from forecasting.sample import formats as fmt
from forecasting.sample.catalog import CURRENCY, SALES_CHANNEL
from forecasting.sample.world import World

ORDER_HEADERS = [
    "amazon-order-id",
    "merchant-order-id",
    "purchase-date",
    "last-updated-date",
    "order-status",
    "fulfillment-channel",
    "sales-channel",
    "order-channel",
    "ship-service-level",
    "product-name",
    "sku",
    "asin",
    "item-status",
    "quantity",
    "currency",
    "item-price",
    "item-tax",
    "shipping-price",
    "shipping-tax",
    "gift-wrap-price",
    "gift-wrap-tax",
    "item-promotion-discount",
    "ship-promotion-discount",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "promotion-ids",
    "is-business-order",
    "purchase-order-number",
    "price-designation",
    "number-of-items",
    "tax-collection-model",
    "tax-collection-responsible-party",
    "address-type",
    "payment-method-details",
    "item-extensions-data",
    "fulfilled-by",
    "buyer-company-name",
    "buyer-tax-registration-country",
    "buyer-tax-registration-type",
    "is-heavy-or-bulky",
    "is-replacement-order",
    "is-exchange-order",
    "original-order-id",
    "is-amazon-invoiced",
    "vat-exclusive-item-price",
    "vat-exclusive-shipping-price",
    "vat-exclusive-giftwrap-price",
    "is-iba",
    "is-buyer-requested-cancellation",
    "buyer-requested-cancel-reason",
    "is-transparency",
    "ioss-number",
    "order-invoice-type",
]
RETURN_HEADERS = [
    "return-date",
    "order-id",
    "sku",
    "asin",
    "fnsku",
    "product-name",
    "quantity",
    "fulfillment-center-id",
    "detailed-disposition",
    "reason",
    "status",
    "license-plate-number",
    "customer-comments",
]
REGION = {"US": "NA", "DE": "EU", "JP": "FE"}
TZ = {"US": "America/Los_Angeles", "DE": "Europe/Berlin", "JP": "Asia/Tokyo"}
ORDER_PREFIX = {
    "US": ("111", "112", "113", "114"),
    "DE": ("302", "303", "304", "028"),
    "JP": ("249", "250", "503"),
}
PLACES = {
    "US": [
        ("SEATTLE", "WA", "98109"),
        ("AUSTIN", "TX", "78701"),
        ("COLUMBUS", "OH", "43215"),
        ("DENVER", "CO", "80202"),
        ("ORLANDO", "FL", "32801"),
        ("PHOENIX", "AZ", "85004"),
        ("CHARLOTTE", "NC", "28202"),
        ("FRESNO", "CA", "93721"),
    ],
    "DE": [
        ("Berlin", "Berlin", "10115"),
        ("München", "Bayern", "80331"),
        ("Köln", "NRW", "50667"),
        ("Hamburg", "Hamburg", "20095"),
        ("Leipzig", "Sachsen", "04109"),
    ],
    "JP": [
        ("Setagaya-ku", "Tokyo", "154-0001"),
        ("Yokohama-shi", "Kanagawa", "220-0011"),
        ("Osaka-shi", "Osaka", "530-0001"),
        ("Sapporo-shi", "Hokkaido", "060-0001"),
    ],
}
VAT = {"US": 0.0, "DE": 0.19, "JP": 0.10}
FC = {
    "US": ("PHX7", "ONT8", "IND9", "TEB3", "MDW2"),
    "DE": ("LEJ1", "DTM2", "FRA7", "MUC3"),
    "JP": ("NRT5", "KIX4", "HND3"),
}


def _order_id(rng: np.random.Generator, mp: str) -> str:
    a = ORDER_PREFIX[mp][int(rng.integers(0, len(ORDER_PREFIX[mp])))]
    return f"{a}-{int(rng.integers(0, 10**7)):07d}-{int(rng.integers(0, 10**7)):07d}"


def _split(units: int, items: int, rng: np.random.Generator) -> list[int]:
    """``units`` shared over ``items`` order items of at least one unit each."""
    q = np.ones(items, dtype=int)
    for j in rng.integers(0, items, units - items):
        q[j] += 1
    return [int(x) for x in q]


def _ts(t: dt.datetime) -> str:
    return t.isoformat(timespec="seconds")


def order_items(world: World, mp: str, first: int, last: int) -> pd.DataFrame:
    """Every order item of ``mp`` purchased on days ``first``…``last`` (indices, inclusive).

    Parameters
    ----------
    world : World
        The simulated seller; units and order items per day come from its Business Report.
    mp : str
        Marketplace code.
    first, last : int
        Day indices into ``world.dates``.

    Returns
    -------
    pandas.DataFrame
        One row per item with the purchase time (local, tz-aware), quantity (units), unit and list
        price (local currency), discount, cancelled flag, promotion and address; statuses depend
        on the export date and are set by the writer.
    """
    rng = world.stream(20, ord(mp[0]), first, last)
    tr = world.traffic
    tr = tr[
        (tr["marketplace"] == mp) & (tr["day"] >= first) & (tr["day"] <= last) & (tr["units"] > 0)
    ]
    promos = world.promotions.table
    rows = []
    tz = ZoneInfo(TZ[mp])
    for r in tr.itertuples(index=False):
        p = world.by_sku[r.sku]
        sim_cancel = int(world.sim.cancelled[r.series, r.day])
        qty = _split(int(r.units), int(r.order_items), rng)
        cancelled = set(rng.choice(len(qty), size=min(sim_cancel, len(qty)), replace=False))
        day = world.dates[r.day].date()
        promo = ""
        if r.discount > 0:
            pr = promos[
                (promos["sku"] == r.sku)
                & (promos["marketplace"] == mp)
                & (promos["start"] <= day.isoformat())
                & (promos["end"] >= day.isoformat())
            ]
            kind = pr["kind"].iloc[0] if len(pr) else "Coupon"
            promo = f"{kind} {round(r.discount * 100)}% off - {r.sku}"
        for j, q in enumerate(qty):
            secs = int(rng.integers(0, 86400))
            when = dt.datetime.combine(day, dt.time(), tz) + dt.timedelta(seconds=secs)
            city, state, postal = PLACES[mp][int(rng.integers(0, len(PLACES[mp])))]
            rows.append(
                {
                    "order_id": _order_id(rng, mp),
                    "when": when,
                    "sku": r.sku,
                    "asin": p.asin,
                    "title": p.titles[mp],
                    "qty": q,
                    "unit_price": float(r.unit_price),
                    "list_price": world.price(r.series),
                    "discount": float(r.discount),
                    "promo": promo,
                    "cancelled": j in cancelled,
                    "city": city,
                    "state": state,
                    "postal": postal,
                    "merchant": rng.random() < 0.02,
                    "business": rng.random() < 0.04,
                    "expedited": rng.random() < 0.15,
                    "ship_hours": int(rng.integers(6, 60)),
                }
            )
    return pd.DataFrame(rows)


def _money(x: float, mp: str) -> str:
    return str(round(x)) if mp == "JP" else fmt.plain(x, 2)


def _order_row(o: dict, mp: str, export_end: dt.datetime) -> list[str]:
    """One flat-file row as of ``export_end`` (statuses move Pending → Shipping → Shipped)."""
    age_h = (export_end - o["when"]).total_seconds() / 3600
    if o["cancelled"]:
        status, item_status, upd = "Cancelled", "Cancelled", o["when"] + dt.timedelta(hours=2)
    elif age_h < 4:
        status, item_status, upd = "Pending", "Unshipped", o["when"] + dt.timedelta(minutes=5)
    elif age_h < o["ship_hours"]:
        status, item_status, upd = "Shipping", "Unshipped", o["when"] + dt.timedelta(hours=3)
    else:
        status, item_status = "Shipped", "Shipped"
        upd = o["when"] + dt.timedelta(hours=int(o["ship_hours"]))
    upd = min(upd, export_end)
    q = int(o["qty"])
    coupon = o["promo"].startswith("Coupon")
    gross = q * (o["list_price"] if coupon else o["unit_price"])
    promo_disc = q * o["list_price"] * o["discount"] if coupon else 0.0
    net = gross - promo_disc
    tax = net * 0.07 if mp == "US" else net - net / (1 + VAT[mp])
    price_text = "" if o["cancelled"] else _money(gross, mp)
    tax_text = "" if o["cancelled"] else _money(tax, mp)
    vat_ex = "" if mp == "US" or o["cancelled"] else _money(gross / (1 + VAT[mp]), mp)
    channel = "Merchant" if o["merchant"] else "Amazon"
    return [
        o["order_id"],
        "",
        _ts(o["when"]),
        _ts(upd),
        status,
        channel,
        SALES_CHANNEL[mp],
        "",
        "Expedited" if o["expedited"] else "Standard",
        o["title"],
        o["sku"],
        o["asin"],
        item_status,
        str(q),
        CURRENCY[mp],
        price_text,
        tax_text,
        "" if o["cancelled"] else "0.00",
        "" if o["cancelled"] else "0.00",
        "",
        "",
        _money(-promo_disc, mp) if promo_disc else ("" if o["cancelled"] else "0.00"),
        "" if o["cancelled"] else "0.00",
        o["city"],
        o["state"],
        o["postal"],
        mp,
        o["promo"],
        "true" if o["business"] else "false",
        "",
        "BusinessPrice" if o["business"] else "",
        str(q),
        "MarketplaceFacilitator" if mp == "US" else "",
        "Amazon Services, Inc." if mp == "US" else "",
        "",
        "Standard",
        "",
        "Amazon" if channel == "Amazon" else "",
        "",
        "",
        "",
        "false",
        "false",
        "false",
        "",
        "true" if mp != "US" else "false",
        vat_ex,
        "" if mp == "US" else "0.00",
        "" if mp == "US" else "0.00",
        "false",
        "true" if o["cancelled"] else "false",
        "No longer needed" if o["cancelled"] else "",
        "false",
        "",
        "",
    ]


def write_orders(world: World) -> None:
    """``orders/All_Orders_<REGION>_<start>_<end>.txt``: the last 8 weeks per marketplace, plus an
    older 3-week US export that overlaps the first week of the recent one (dedupe test).

    Tab-separated, UTF-8, newer BY_ORDER_DATE column set, one row per order item. Cancelled items
    keep their quantity but have empty prices.
    """
    t_end = world.t_end
    first = t_end - 55
    exports = [(mp, first, t_end) for mp in ("US", "DE", "JP")]
    exports.append(("US", first - 14, first + 6))
    cache: dict[str, pd.DataFrame] = {}
    for mp, a, b in exports:
        if mp not in cache:
            cache[mp] = order_items(world, mp, first - 14, t_end)
        items = cache[mp]
        tz = ZoneInfo(TZ[mp])
        start_day, end_day = world.dates[a].date(), world.dates[b].date()
        export_end = dt.datetime.combine(end_day + dt.timedelta(days=1), dt.time(), tz)
        lo = dt.datetime.combine(start_day, dt.time(), tz)
        part = items[(items["when"] >= lo) & (items["when"] < export_end)]
        part = part.sort_values(["when", "order_id"])
        rows = [_order_row(o, mp, export_end) for o in part.to_dict("records")]
        name = f"All_Orders_{REGION[mp]}_{start_day.isoformat()}_{end_day.isoformat()}.txt"
        fmt.write_text(
            world.out / "orders" / name, fmt.to_text(ORDER_HEADERS, rows, delimiter="\t")
        )


def write_returns(world: World) -> None:
    """``returns/Returns_<MP>.txt``: FBA customer returns of the last 12 months, TSV, UTF-8."""
    sim, rng = world.sim, world.stream(30)
    first = world.t_end - 364
    reasons_ok = [
        "UNWANTED_ITEM",
        "ORDERED_WRONG_ITEM",
        "NOT_AS_DESCRIBED",
        "FOUND_BETTER_PRICE",
        "NO_REASON_GIVEN",
    ]
    reasons_bad = ["DEFECTIVE", "DAMAGED_BY_CARRIER", "QUALITY_UNACCEPTABLE", "MISSING_PARTS"]
    for mp in ("US", "DE", "JP"):
        tz = ZoneInfo(TZ[mp])
        rows = []
        for i, s in enumerate(world.series):
            if s.marketplace != mp:
                continue
            p = s.product
            for t in range(first, world.t_end + 1):
                n_ok, n_bad = int(sim.returns_sellable[i, t]), int(sim.returns_unsellable[i, t])
                for k in range(n_ok + n_bad):
                    bad = k >= n_ok
                    when = dt.datetime.combine(world.dates[t].date(), dt.time(), tz) + dt.timedelta(
                        seconds=int(rng.integers(0, 86400))
                    )
                    disp = (
                        str(rng.choice(["CUSTOMER_DAMAGED", "DEFECTIVE", "CARRIER_DAMAGED"]))
                        if bad
                        else "SELLABLE"
                    )
                    reason = str(rng.choice(reasons_bad if bad else reasons_ok))
                    rows.append(
                        [
                            _ts(when),
                            _order_id(rng, mp),
                            p.sku,
                            p.asin,
                            p.fnsku,
                            p.titles[mp],
                            "1",
                            str(rng.choice(FC[mp])),
                            disp,
                            reason,
                            "Unit returned to inventory",
                            f"LPN{int(rng.integers(0, 10**9)):09d}",
                            "",
                        ]
                    )
        rows.sort(key=lambda r: (r[0], r[2], r[1]))
        fmt.write_text(
            world.out / "returns" / f"Returns_{mp}.txt",
            fmt.to_text(RETURN_HEADERS, rows, delimiter="\t"),
        )
