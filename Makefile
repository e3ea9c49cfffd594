# Huddle: `make run` serves it, `make test` tests it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test bench bench-burst bench-records lint install install-dev install-test migrate serve check-deploy clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# axe-core for the accessibility tests (tests/browser/test_accessibility.py), from
# npm, pinned in package-lock.json; only the tests use it.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { echo "The accessibility tests need npm: apt-get install npm"; exit 1; }
	npm ci --no-audit --no-fund --silent
	touch $@
install-test: install-dev $(AXE)

migrate: install
	$(BIN)/python manage.py migrate --no-input -v 0

## make run: install, migrate, seed the demo practice once, serve on http://$(HOST):$(PORT)
run: migrate
	$(BIN)/python manage.py seed_demo
	@echo
	@echo "Huddle is starting: sign in at http://$(HOST):$(PORT)/signin  (Ctrl-C stops it)"
	HUDDLE_IN_PROCESS_WORKER=1 $(BIN)/granian --interface asginl --host $(HOST) --port $(PORT) --workers 1 \
		--respawn-failed-workers --respawn-interval 1 \
		--log-level warning huddle.asgi:application

## make test: install what the tests need and run the whole suite
test: install-test
	@test -x /usr/bin/chromium || { echo "The browser tests need Debian's chromium: apt-get install chromium"; exit 1; }
	$(BIN)/python -m pytest

## make bench: every workload on SQLite and PostgreSQL (docs/PERFORMANCE.md);
## BENCH_DB=sqlite|postgres for one, BENCH_ARGS=--quick for a short run
bench: install-dev
	$(BIN)/python -m bench $(BENCH_ARGS)

## make bench-burst: workload 1's group send held for BURST_MINUTES (10) on PostgreSQL,
## a line a minute: does a long burst decline? (docs/PERFORMANCE.md); BENCH_DB=sqlite too
BURST_MINUTES ?= 10
bench-burst: install-dev
	$(BIN)/python -m bench.burst --minutes $(BURST_MINUTES) --db $(or $(BENCH_DB),postgres)

## make bench-records: the records export and thread PDF (docs/PERFORMANCE.md, "Records");
## RECORDS_MESSAGES=100000 by default, on the database of DATABASE_URL (use a scratch one)
RECORDS_MESSAGES ?= 100000
bench-records: install-dev
	$(BIN)/python -m bench.records --messages $(RECORDS_MESSAGES)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

check-deploy: install
	HUDDLE_ENV=production DEBUG=false SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		ALLOWED_HOSTS=huddle.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache artifacts node_modules
