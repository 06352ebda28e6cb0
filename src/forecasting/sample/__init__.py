"""``forecasting sample``: a realistic, deterministic sample data set in the real export formats.

A fictitious Ningbo factory-seller (44 SKUs in home, pet, garden, auto parts and power tools; US,
DE and JP marketplaces) is simulated day by day for three years up to the as-of date 2026-11-22:
latent demand (:mod:`~forecasting.sample.demand`), the seller's imperfect FBA replenishment and
censored sales (:mod:`~forecasting.sample.inventory`), traffic, orders, returns and ads. The
writers then produce each export exactly as Seller Central, the ads console or the factory's ERP
writes it. The same seed gives byte-identical files (gzip mtime 0, fixed number formats, sorted
rows). ``data/sample/README.md`` describes every file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from forecasting.sample import ads, exports, orders, planning_report
from forecasting.sample.world import SETTINGS_TEMPLATE, World, build_world

#: top-level folders and files the generator owns inside the output folder (others are left alone)
OUTPUTS = (
    "products.csv",
    "factory_stock.csv",
    "settings.yml",
    "business_report",
    "orders",
    "ledger",
    "inventory",
    "ads",
    "returns",
    "_truth",
)


def generate_sample(out_dir: str | Path, seed: int = 7) -> World:
    """Write the sample data set into ``out_dir``.

    Parameters
    ----------
    out_dir : str or Path
        Target folder (created). The generator's own files and folders are replaced; anything else
        there (such as ``README.md``) is kept.
    seed : int, default 7
        Seed of ``numpy.random.default_rng``. The committed ``data/sample/`` uses 7.

    Returns
    -------
    World
        The simulated world, for tests and notebooks that want the ground truth in memory.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name in OUTPUTS:
        target = out / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    world = build_world(out, seed)
    (out / "settings.yml").write_bytes(SETTINGS_TEMPLATE.read_bytes())
    exports.write_products(world)
    exports.write_factory_stock(world)
    exports.write_business_reports(world)
    exports.write_ledger(world)
    exports.write_truth(world)
    orders.write_orders(world)
    orders.write_returns(world)
    planning_report.write_inventory_planning(world)
    ads.write_ads(world)
    return world


__all__ = ["generate_sample"]
