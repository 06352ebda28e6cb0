# Set-up is part of every target: the venv is created on first use and refreshed only when
# pyproject.toml changes (a stamp file), so repeated runs start in a second.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export MPLBACKEND := Agg
export PYTHONHASHSEED := 0
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1

.PHONY: setup browser demo test test-all test-latest lint format lab bench sample clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH (set PYTHON=...)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' -c constraints.txt
	@touch $(STAMP)

## make browser: Debian's chromium for tests/reports/test_browser.py, installed quietly when it is
## missing (apt-get as root, or sudo without a password); where it cannot be, the test skips and
## says why. CHROMIUM=/path/to/chromium uses another build.
browser:
	@command -v $${CHROMIUM:-chromium} >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo -n"; fi; \
	  { $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends chromium; } >/dev/null 2>&1 \
	  && echo "installed chromium for the browser test" \
	  || echo "could not install chromium (apt-get needs root): the browser test will skip"; }

## make demo: the weekly report on the bundled sample -> reports/<as-of-date>/index.html
demo: $(STAMP)
	$(BIN)/forecasting report

## make test: lint, format check, then the whole default test suite (every notebook runs once,
## every report opens in headless Chromium)
test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -m "not slow" -n 2 -q

## make test-all: also the slow tests (benchmarks on the real data sets)
test-all: $(STAMP) browser
	$(BIN)/python -m pytest -n 2 -q

## make test-latest: the default suite against the newest releases pyproject.toml allows (its own
## venv, no constraints file): catches an upstream release (pandas 3, numpy, statsmodels …) that
## breaks the package before users meet it
test-latest: browser
	@test -x .venv-latest/bin/python || $(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --upgrade pip
	.venv-latest/bin/python -m pip install --quiet --upgrade -e '.[dev]'
	.venv-latest/bin/python -m pip list 2>/dev/null | grep -iE '^(pandas|numpy|scipy|statsmodels|prophet) '
	.venv-latest/bin/python -m pytest -m "not slow" -n 2 -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make lab: JupyterLab on the notebooks
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

## make bench: accuracy and speed benchmarks on the real data (installs statsforecast for peers)
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]' -c constraints.txt
	$(BIN)/python bench/run_all.py

## make sample: regenerate the committed sample (byte-identical for the same seed)
sample: $(STAMP)
	$(BIN)/forecasting sample --out data/sample --seed 7

clean:
	rm -rf $(VENV) .venv-latest .cache .pytest_cache .ruff_cache
