# Balie — `make help` lists the targets. The two that matter: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: help run test test-fast lint format typecheck migrations-check openapi-snapshot bench static lock messages clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; v=sys.version_info; sys.exit(0 if v >= (3, 12) else "Balie needs Python 3.12 or newer; $(PYTHON) is %d.%d.%d. Install 3.13 (see .python-version) or run: make run PYTHON=python3.13" % v[:3])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static: node_modules/.package-lock.json ## Build the browser bundles with esbuild
	npm run --silent build

run: $(STAMP) static ## Install, migrate, load the demo shop and serve on 127.0.0.1:$(PORT)
	$(BIN)/balie migrate --no-input --verbosity 0
	BALIE_BASE_URL=$${BALIE_BASE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/balie seed_demo --if-empty
	BALIE_BASE_URL=$${BALIE_BASE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/balie serve --port $(PORT)

test: $(STAMP) static ## Run the whole test suite (DATABASE_URL picks the database; SQLite by default)
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP) ## Ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP) ## mypy --strict over src/
	$(BIN)/mypy src/balie

migrations-check: $(STAMP) ## Fail when models changed without a migration
	$(BIN)/balie makemigrations --check --dry-run

openapi-snapshot: $(STAMP) ## Rewrite the OpenAPI snapshot after a deliberate API change
	$(BIN)/balie export_openapi > src/balie/api/tests/openapi.json

messages: $(STAMP) ## Update and compile the translation catalogues (en; de and fr: the assistant's sentences)
	cd src/balie && ../../$(BIN)/balie makemessages --locale en --locale de --locale fr --no-obsolete --ignore 'tests/*' && ../../$(BIN)/balie compilemessages --locale en --locale de --locale fr

lock: $(STAMP) ## Re-pin requirements.lock from pyproject.toml
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.12 --universal --no-header -o requirements.lock

bench: $(STAMP) ## Run the benchmarks in bench/
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean: ## Remove the venv, node_modules, built files and var/
	rm -rf $(VENV) node_modules src/balie/web/static/web/dist var
