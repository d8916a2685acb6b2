# leadscore: `make run` (install + demo landing zone + whole pipeline) and `make test`.
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
DATA := data
DEMO_LEADS ?= 500
DEMO_DAYS ?= 90
DEMO_SEED ?= 7
export LEADSCORE_LANDING_DIR ?= $(CURDIR)/$(DATA)/landing
export LEADSCORE_WAREHOUSE ?= $(CURDIR)/$(DATA)/warehouse.duckdb
export LEADSCORE_EXPORT_DIR ?= $(CURDIR)/$(DATA)/exports

.PHONY: install run test test-channels lint format ui demo demo-api clean-data clean benchmark

install: $(VENV)/.installed

# uv itself comes from PyPI into a private tools venv; everything else from uv.lock.
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --extra dev --python $(PYTHON)
	touch $@

# The demo landing zone is generated once; `make clean-data` starts over.
$(LEADSCORE_LANDING_DIR): | $(VENV)/.installed
	$(BIN)/leadscore generate --out $@ --leads $(DEMO_LEADS) --days $(DEMO_DAYS) --seed $(DEMO_SEED)

demo: $(LEADSCORE_LANDING_DIR)

run: install demo
	$(BIN)/leadscore run

# Support and CRM read from fake Zendesk and Salesforce APIs on 127.0.0.1 (serving the demo
# landing zone), the other channels from files, into their own warehouse.
demo-api: install demo
	LEADSCORE_WAREHOUSE=$(CURDIR)/$(DATA)/warehouse_api.duckdb \
		$(BIN)/python -m ingestion.generator.fake_apis --landing $(LEADSCORE_LANDING_DIR) -- \
		$(BIN)/leadscore run

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

test-channels: install
	$(BIN)/python -m pytest -m "channel_matrix or not channel_matrix" tests/e2e/test_channel_subsets.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The Dagster UI on http://127.0.0.1:3000 with a persistent instance under data/.
ui: install
	mkdir -p $(DATA)/dagster_home
	cp orchestration/dagster.yaml $(DATA)/dagster_home/dagster.yaml
	DAGSTER_HOME=$(CURDIR)/$(DATA)/dagster_home $(BIN)/dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000

benchmark: install
	$(BIN)/python benchmarks/ingestion_throughput.py --leads 4400 --days 90
	$(BIN)/python benchmarks/scoring_throughput.py --touchpoints 1000000 --leads 50000

clean-data:
	rm -rf $(DATA)

clean: clean-data
	rm -rf $(VENV) $(TOOLS) dbt_project/target dbt_project/logs
