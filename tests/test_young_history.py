"""Short and young histories (issue 14): every command and report works from the first day of data.

The stores are built from real-format exports in ``tests/catalogue/young_history_*`` (the same
folders the catalogue runs through the CLI); these tests check the numbers behind the output: the
new-SKU forecast is each SKU's own rate, the plan's cycle stock is that rate over the protection
period, a new marketplace does not move the established ones, and each report shows its notes.
"""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from forecasting import pipeline
from forecasting import schema as s
from forecasting.backtest import BacktestSettings, auto_forecast, combine_runs
from forecasting.cli import main
from forecasting.config import load_settings
from forecasting.demand import new_sku_forecast
from forecasting.paths import SAMPLE_DIR
from forecasting.run import open_run

CATALOGUE = Path(__file__).parent / "catalogue"
TEN_DAYS = CATALOGUE / "young_history_first_ten_days"
ORDERS = TEN_DAYS / "All_Orders_NA_2026-11-13_2026-11-22.txt"
SETTINGS = TEN_DAYS / "settings.yml"
#: units sold in the ten days (2026-11-13 … 11-22), counted from the export by hand
SOLD = {"HM-CADDY": 60, "PT-BED-L": 30, "AP-RACK-48": 10}
#: US sea lead time 14 + 2 + 3 + 30 + 4 + 10 days (settings.yml) + review period 7 days
PROTECTION_DAYS = 70


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FORECASTING_CACHE", str(path))
        yield path


def _ingest(files: list[Path], store: Path) -> None:
    code = main(["ingest", *map(str, files), "--store", str(store)])
    assert code == 0


@pytest.fixture(scope="module")
def young(cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seller's first ten days: 3 SKUs sold in US, PT-BED-XL listed and never sold."""
    store = tmp_path_factory.mktemp("young") / "h.duckdb"
    files = ["All_Orders_NA_2026-11-13_2026-11-22.txt", "products.csv",
             "Inventory_Planning_US_2026-11-22.txt"]  # fmt: skip
    _ingest([TEN_DAYS / f for f in files], store)
    return store


@pytest.fixture(scope="module")
def demand(young: Path) -> pipeline.DemandForecast:
    return pipeline.forecast(open_run(young, SETTINGS), use_cache=False)


def test_the_fixture_sells_what_the_golden_numbers_say() -> None:
    sold: dict[str, int] = {}
    with ORDERS.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            assert "2026-11-13" <= row["purchase-date"][:10] <= "2026-11-22"
            assert row["order-status"] == "Shipped"
            sold[row["sku"]] = sold.get(row["sku"], 0) + int(row["quantity"])
    assert sold == SOLD


def test_each_young_sku_is_forecast_from_its_own_rate(demand: pipeline.DemandForecast) -> None:
    fc = demand.forecast
    assert set(fc[s.MODEL]) == {"new_sku"}
    assert fc.groupby([s.SKU, s.MARKETPLACE]).size().eq(demand.horizon_days).all()
    s.validate_forecast(fc)
    for sku, units in SOLD.items():
        rows = fc[(fc[s.SKU] == sku) & (fc[s.MARKETPLACE] == "US")]
        rate = units / 10
        np.testing.assert_allclose(rows[s.MEAN], rate)
        # NB(m, k = 1/S): scipy's (n, p) = (S, S / (S + m))
        for q in (0.1, 0.5, 0.9):
            want = stats.nbinom.ppf(q, units, units / (units + rate))
            np.testing.assert_allclose(rows[f"p{round(q * 100)}"], want)
    never = fc[fc[s.SKU] == "PT-BED-XL"]
    assert len(never) and (never[[s.MEAN, "p10", "p50", "p90"]] == 0).all().all()


def test_the_forecast_says_what_it_could_not_do(demand: pipeline.DemandForecast) -> None:
    notes = "\n".join(demand.notes)
    assert "no backtest: 10 days of history, at least 56 days of sales needed" in notes
    assert re.search(
        r"3 new series without an analog .*\(model new_sku, flat\): AP-RACK-48 US, "
        r"HM-CADDY US, PT-BED-L US\n",
        notes,
    )
    assert "sold nothing on any day of the history: forecast 0, nothing planned" in notes
    assert "PT-BED-L DE, PT-BED-L JP, PT-BED-XL DE" in notes  # listed there, no sales yet
    assert demand.run.choice.empty and demand.run.metrics.empty and demand.run.backtest.empty
    assert list(demand.run.forecast.columns[:4]) == [s.SKU, s.MARKETPLACE, s.DATE, s.MODEL]


def test_the_plan_orders_up_to_the_rate_over_the_protection_period(
    young: Path, demand: pipeline.DemandForecast
) -> None:
    plan = pipeline.replenishment(open_run(young, SETTINGS), demand=demand, use_cache=False)
    rows = plan.plan.set_index(s.SKU)
    assert set(rows[s.MARKETPLACE]) == {"US"}
    for sku, units in SOLD.items():
        cycle = rows.at[sku, "order_up_to"] - rows.at[sku, "safety_stock"]
        assert cycle == pytest.approx(units / 10 * PROTECTION_DAYS, rel=1e-9)
        assert rows.at[sku, "safety_stock"] > 0
        assert rows.at[sku, "ship_qty"] > 0  # 12–80 units in stock: each needs an order now
    assert rows.at["PT-BED-XL", "ship_qty"] == 0
    assert "no_demand" in rows.at["PT-BED-XL", "alerts"]
    assert plan.notes[: len(demand.notes)] == list(demand.notes)
    production = pipeline.production(
        open_run(young, SETTINGS), demand=demand, plan=plan, what_ifs=[], use_cache=False
    ).plan
    assert set(production.requirements[s.SKU]) == set(SOLD)


def test_auto_forecast_without_a_backtest_on_a_short_history() -> None:
    days = pd.date_range("2026-11-13", periods=10)
    history = pd.DataFrame(
        {"sku": np.repeat(["a", "b"], 10), "date": np.tile(days, 2),
         "units": [3, 1, 4, 1, 5, 9, 2, 6, 5, 3] + [0] * 10}
    )  # fmt: skip
    run = auto_forecast(history, 28)
    assert run.notes == (
        "no backtest: 10 days of history, at least 30 needed for a 28-day horizon; forecast by "
        "poisson_gamma, quantiles uncalibrated",
    )
    assert set(run.choice["chosen_by"]) == {"no backtest"} and set(run.choice["model"]) == {
        "poisson_gamma"
    }
    assert run.backtest.empty and run.metrics.empty and len(run.cutoffs) == 0
    assert len(run.forecast) == 2 * 28
    named = auto_forecast(history, 28, models="moving_average")
    assert set(named.forecast[s.MODEL]) == {"moving_average"}
    # a backtest that fits fewer windows than asked runs those and says so
    fewer = auto_forecast(history, 7, backtest=BacktestSettings(n_windows=3))
    assert len(fewer.cutoffs) == 2 and "backtest on 2 of 3 windows" in fewer.notes[0]
    assert auto_forecast(history, 3, backtest=BacktestSettings(n_windows=3)).notes == ()


def test_new_sku_forecast_counts_only_days_on_sale() -> None:
    days = pd.date_range("2026-11-16", periods=6)
    sales = pd.DataFrame(
        {"sku": ["A"] * 6 + ["Z"] * 6, "marketplace": "US", "date": list(days) * 2,
         "units": [0, 0, 4, 0, 2, 3] + [0] * 6,
         "in_stock": [True, True, True, False, True, pd.NA] + [True] * 6}
    )  # fmt: skip
    sales["in_stock"] = sales["in_stock"].astype("boolean")
    fc = new_sku_forecast(sales, [("A", "US"), ("Z", "US"), ("Q", "US")], as_of=days[-1],
                          horizon_days=3)  # fmt: skip
    # A: from its first sale (11-18), the stock-out day left out, unknown stock counted: 9 / 3
    assert fc.loc[fc[s.SKU] == "A", s.MEAN].tolist() == [3.0, 3.0, 3.0]
    assert fc.loc[fc[s.SKU] == "Z", [s.MEAN, "p90"]].eq(0).all().all()
    assert "Q" not in set(fc[s.SKU])  # no rows: no forecast (the pipeline's notes name it)
    assert fc[s.DATE].min() == days[-1] + pd.Timedelta(days=1)


def test_combine_runs_of_nothing_is_an_empty_run_with_columns() -> None:
    run = combine_runs([], notes=["n"])
    assert run.notes == ("n",) and run.forecast.empty and "coverage_80" in run.metrics.columns


def _cut_orders(source: Path, target: Path, first_day: str) -> None:
    """Keep an All Orders export's header and its rows bought on or after ``first_day``."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    target.write_text(
        lines[0] + "".join(x for x in lines[1:] if x.split("\t")[2][:10] >= first_day),
        encoding="utf-8",
    )


def test_a_new_marketplace_is_forecast_and_does_not_move_the_others(
    cache: Path, tmp_path: Path
) -> None:
    """US with three years of Business Reports and orders, DE with its first 10 days of orders."""
    us = [
        *sorted((SAMPLE_DIR / "business_report").glob("BusinessReport_US_*")),
        *sorted((SAMPLE_DIR / "orders").glob("All_Orders_NA_*")),
        SAMPLE_DIR / "products.csv",
        SAMPLE_DIR / "ledger" / "Ledger_Summary_US.csv.gz",
    ]
    de = tmp_path / "All_Orders_EU_2026-11-13_2026-11-22.txt"
    _cut_orders(SAMPLE_DIR / "orders" / "All_Orders_EU_2026-09-28_2026-11-22.txt", de, "2026-11-13")
    _ingest(us, tmp_path / "us.duckdb")
    shutil.copyfile(tmp_path / "us.duckdb", tmp_path / "us_de.duckdb")
    _ingest([de], tmp_path / "us_de.duckdb")  # the same store, then DE's first export
    settings = load_settings(SAMPLE_DIR / "settings.yml")
    kw = dict(models="moving_average,poisson_gamma", n_windows=1, use_cache=False)
    alone = pipeline.forecast(open_run(tmp_path / "us.duckdb", settings), **kw)
    both = pipeline.forecast(open_run(tmp_path / "us_de.duckdb", settings), **kw)

    models = both.forecast.groupby([s.SKU, s.MARKETPLACE])[s.MODEL].first()
    de_models = models.xs("DE", level=s.MARKETPLACE)
    assert len(de_models) > 10 and set(de_models) == {"new_sku"}  # no DE series is 56 days old
    assert len(both.run.cutoffs) == 1  # the US batch still has its backtest
    assert set(both.run.choice[s.MARKETPLACE]) == {"US"}
    assert any("forecast from their own sales rate" in n and " DE" in n for n in both.notes)
    us_alone = alone.forecast[alone.forecast[s.MARKETPLACE] == "US"].reset_index(drop=True)
    us_both = both.forecast[both.forecast[s.MARKETPLACE] == "US"].reset_index(drop=True)
    pd.testing.assert_frame_equal(us_alone, us_both)
    plan = pipeline.replenishment(
        open_run(tmp_path / "us_de.duckdb", settings), demand=both, use_cache=False
    )
    de_plan = plan.plan[plan.plan[s.MARKETPLACE] == "DE"]
    assert len(de_plan) == len(de_models) and (de_plan["ship_qty"] > 0).any()


def _text(html_file: Path) -> str:
    raw = re.sub(
        r"<(script|style)\b.*?</\1>", " ", html_file.read_text(encoding="utf-8"), flags=re.S
    )
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", raw)))


@pytest.mark.slow  # five notebooks: 30 s on an idle machine, over 90 s on a busy one
def test_every_report_runs_on_the_young_store_and_shows_its_notes(
    young: Path, tmp_path: Path
) -> None:
    code = main(["report", "--store", str(young), "--settings", str(SETTINGS),
                 "--out", str(tmp_path), "-p", "lang=en"])  # fmt: skip
    assert code == 0
    run = tmp_path / "2026-11-22"
    assert (run / "index.html").is_file() and not (run / "_failed").exists()
    for name in ("01_data_health", "05_inventory_ads"):  # no young-history notes of their own
        assert "Traceback" not in _text(run / f"{name}.html")
    forecast, replenish, produce = (
        _text(run / f"{n}.html")
        for n in ("02_demand_forecast", "03_fba_replenishment", "04_production_plan")
    )
    assert "What the forecast could not do" in forecast
    assert "no backtest: 10 days of history" in forecast
    assert "No backtest yet: the history is too short" in forecast
    assert "forecast from their own sales rate (model new_sku, flat)" in replenish
    assert "Notes on the demand forecast the requirements come from" in produce
    assert "sold nothing on any day of the history" in produce
    assert len(pd.read_csv(run / "replenishment.csv")) == 4


def test_one_sku_store_plans_and_forecasts(cache: Path, tmp_path: Path) -> None:
    """A store selling a single SKU (PT-BED-L, 30 units in 10 days): plan and forecast work."""
    orders = tmp_path / "All_Orders_NA_2026-11-13_2026-11-22.txt"
    lines = ORDERS.read_text(encoding="utf-8").splitlines(keepends=True)
    orders.write_text(lines[0] + "".join(x for x in lines[1:] if "\tPT-BED-L\t" in x), "utf-8")
    store = tmp_path / "h.duckdb"
    _ingest([orders, TEN_DAYS / "products.csv"], store)
    demand = pipeline.forecast(open_run(store, SETTINGS), use_cache=False)
    rows = demand.forecast[demand.forecast[s.SKU] == "PT-BED-L"]
    np.testing.assert_allclose(rows[s.MEAN], 3.0)
    plan = pipeline.replenishment(open_run(store, SETTINGS), demand=demand, use_cache=False).plan
    bed = plan[plan[s.SKU] == "PT-BED-L"].iloc[0]
    assert bed["order_up_to"] - bed["safety_stock"] == pytest.approx(3.0 * PROTECTION_DAYS)
    assert bed["ship_qty"] > 0  # nothing in stock (no planning report): order now
    history = tmp_path / "sales.csv"
    assert main(["history", "--store", str(store), "--output", str(history)]) == 0
    out = tmp_path / "forecast.csv"
    assert main(["forecast", "--input", str(history), "--horizon", "28", "--output", str(out)]) == 0
    fc = pd.read_csv(out)
    bed_fc = fc[fc[s.SKU] == "PT-BED-L"]
    assert len(bed_fc) == 28 and set(bed_fc[s.MODEL]) == {"poisson_gamma"}
    assert bed_fc[s.MEAN].gt(0).all()
