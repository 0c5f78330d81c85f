# Communique: `make demo` publishes the bundled sample into build/, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench clean install

$(BIN)/communique: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,web,dask]'
	touch $@

install: $(BIN)/communique

demo: install
	$(BIN)/communique build --sample --out build --format pdf,docx,json

test: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest

bench: install
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf build .venv .pytest_cache .mypy_cache .ruff_cache
