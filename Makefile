# dxplan developer commands. `make demo` sets everything up and loads the demo data;
# `make test` runs the whole suite (lint, types, tests on SQLite and on PostgreSQL).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint clean

$(STAMP): requirements.lock pyproject.toml package-lock.json
	scripts/ensure-debian
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation --editable .
	npm ci --no-audit --no-fund --silent
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/dxplan demo
	$(BIN)/dxplan serve

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: setup
	scripts/test

lock:
	uv pip compile pyproject.toml requirements/build.in --extra dev --generate-hashes \
		--python-version 3.11 --quiet -o requirements.lock

clean:
	rm -rf $(VENV) node_modules data .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
