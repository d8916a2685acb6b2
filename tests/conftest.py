"""Test-wide setup: offline library defaults before anything imports dlt, dbt or Dagster."""

from __future__ import annotations

import os

# Set before any test module imports the libraries (they read these at import or first use).
os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("LOAD__DELETE_COMPLETED_JOBS", "true")
os.environ.pop("DAGSTER_HOME", None)  # never a user's instance: runs use an ephemeral one

# Fixtures of API mode (fake Zendesk and Salesforce servers), shared by ingestion and
# reliability tests.
pytest_plugins = ["api_harness"]
