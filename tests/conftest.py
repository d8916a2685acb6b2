"""Test-wide setup: offline library defaults before anything imports dlt, dbt or Dagster."""

from __future__ import annotations

import os

import pytest

# Set before any test module imports the libraries (they read these at import or first use).
os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("LOAD__DELETE_COMPLETED_JOBS", "true")
os.environ.pop("DAGSTER_HOME", None)  # never a user's instance: runs use an ephemeral one

# Fixtures of API mode (fake Zendesk and Salesforce servers), shared by ingestion and
# reliability tests.
pytest_plugins = ["api_harness"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under `make test` (pytest-xdist, `--dist loadgroup`) a file's tests share a worker.

    Each file's module fixtures (most of them a pipeline run) are then built once, and every
    file that reads the session's shared pipeline run goes to one worker, so it runs once.
    """
    files_on_the_shared_run = {
        item.path for item in items if "pipeline_run" in getattr(item, "fixturenames", ())
    }
    for item in items:
        group = "pipeline_run" if item.path in files_on_the_shared_run else str(item.path)
        item.add_marker(pytest.mark.xdist_group(group))
