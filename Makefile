# skillbite: `make run` serves the app on SQLite; `make test` runs everything beside a throwaway PostgreSQL.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
SEMANTIC := $(VENV)/.installed-semantic

.PHONY: run test lint install clean demo

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(INSTALLED)

install: $(INSTALLED)

# The tests also cover the optional semantic search stage: torch's CPU build (its file is on this machine's disk;
# a plain `torch` would fetch a CUDA build of several GB), then the extra.
$(SEMANTIC): $(INSTALLED)
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[dev,semantic]'
	touch $(SEMANTIC)

run: $(INSTALLED)
	$(BIN)/skillbite db upgrade
	$(BIN)/skillbite demo load
	$(BIN)/skillbite serve --host 127.0.0.1 --port 8000

lint: $(INSTALLED)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: $(SEMANTIC)
	$(MAKE) --no-print-directory lint
	scripts/ensure-chromium.sh
	SKILLBITE_REQUIRE_POSTGRES=1 SKILLBITE_REQUIRE_SEMANTIC=1 scripts/with-postgres.sh $(BIN)/python -m pytest -n 2 -q -p no:cacheprovider

clean:
	rm -rf $(VENV) build var .pytest_cache .mypy_cache .ruff_cache
