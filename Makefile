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
# pytest-xdist workers for `make test`: a pipeline run keeps one core busy, CI has two.
TEST_WORKERS ?= 2
export LEADSCORE_LANDING_DIR ?= $(CURDIR)/$(DATA)/landing
export LEADSCORE_WAREHOUSE ?= $(CURDIR)/$(DATA)/warehouse.duckdb
export LEADSCORE_EXPORT_DIR ?= $(CURDIR)/$(DATA)/exports
export LEADSCORE_REPORT_DIR ?= $(CURDIR)/$(DATA)/reports
# One Dagster instance for `make run` and `make ui`: runs, materializations and check
# results of the CLI show in the UI.
export DAGSTER_HOME ?= $(CURDIR)/$(DATA)/dagster_home

.PHONY: install run test test-channels test-crash test-realtime test-ui test-spark lint lint-sql format ui demo demo-api clean-data clean benchmark bench screenshots model-quality

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

$(DAGSTER_HOME)/dagster.yaml: orchestration/dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp orchestration/dagster.yaml $@

run: install demo $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/leadscore run

# Support and CRM read from fake Zendesk and Salesforce APIs on 127.0.0.1 (serving the demo
# landing zone), the other channels from files, into their own warehouse.
demo-api: install demo
	LEADSCORE_WAREHOUSE=$(CURDIR)/$(DATA)/warehouse_api.duckdb \
		$(BIN)/python -m testing.fake_apis --landing $(LEADSCORE_LANDING_DIR) -- \
		$(BIN)/leadscore run

test: install lint-sql
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=25

# The real-time scenario (a real `leadscore serve`, several micro-batches; the Dagster job
# `collector_service`): not in `make test`.
test-realtime: install
	$(BIN)/python -m pytest -m realtime tests/e2e/test_serve.py tests/collector/test_collector_service_job.py -q

# The predictive model's bar on a year of generated data (5,000 people; 5.5 minutes measured on 2 cores).
model-quality: install
	$(BIN)/python -m pytest -m model_quality tests/e2e/test_model_quality.py -q

test-channels: install
	$(BIN)/python -m pytest -m "channel_matrix or not channel_matrix" tests/e2e/test_channel_subsets.py

# Crash safety: `leadscore run` SIGKILLed mid-extract, mid-load, mid-dbt and mid-export, then a
# rerun equal to a clean run (six pipeline runs, 11 minutes measured on 2 cores): not in `make test`.
test-crash: install
	$(BIN)/python -m pytest -m crash_safety tests/reliability/test_kill_and_rerun.py -q

# The pipeline on Spark (dbt-spark `session`, pyspark, Java 17) and on DuckDB over one small
# landing zone, table for table (README "Scale-out on Spark"). The `spark` extra is installed
# here only: `make install` and `make test` do not pay for pyspark.
test-spark: install
	$(UV) sync --frozen --extra dev --extra spark --python $(PYTHON)
	$(BIN)/python -m pytest -m spark tests/spark -q --durations=5

# sqlfluff with the dbt templater over the models and singular tests (.sqlfluff; no
# warehouse needed)
lint-sql: install
	$(BIN)/sqlfluff lint dbt_project/models dbt_project/tests --processes 2

# sqlfluff, ruff, then mypy --strict on the shipped packages ([tool.mypy] in pyproject.toml)
lint: install lint-sql
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The Dagster UI on http://127.0.0.1:3000 with the instance `make run` writes to.
ui: install $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster dev -h 127.0.0.1 -p 3000

# The UI test: `dagster dev` on a free port, the asset graph in headless Chromium (~60 s).
test-ui: install
	$(BIN)/python -m pytest -m ui tests/orchestration/test_ui.py

# Screenshots of the UI tour (README) from a running `make ui`, into data/screenshots/.
screenshots: install
	$(BIN)/python tools/ui_screenshots.py --url http://127.0.0.1:3000 --out $(DATA)/screenshots

# The whole pipeline at 100k and 1M touchpoints against DuckDB alone, stage by stage
# (several minutes; one at a time on a shared machine). BENCH_SIZES="100000" for a quick one.
BENCH_SIZES ?= 100000 1000000
bench: install
	$(BIN)/python benchmarks/pipeline_growth.py --touchpoints $(BENCH_SIZES)

benchmark: install
	$(BIN)/python benchmarks/ingestion_throughput.py --leads 4400 --days 90
	$(BIN)/python benchmarks/scoring_throughput.py --touchpoints 1000000 --leads 50000
	$(BIN)/python benchmarks/attribution_runtime.py --journeys 100000

clean-data:
	rm -rf $(DATA)

clean: clean-data
	rm -rf $(VENV) $(TOOLS) dbt_project/target dbt_project/logs
