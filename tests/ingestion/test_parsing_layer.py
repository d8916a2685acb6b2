"""The parsing layer is pure: importing any of its modules loads no dlt."""

import subprocess
import sys

import pytest

PARSING_MODULES = (
    "ingestion.parsing",
    "ingestion.parsing.fields",
    "ingestion.parsing.emails",
    "ingestion.parsing.readers",
    "ingestion.parsing.tables",
)


@pytest.mark.parametrize("module", PARSING_MODULES)
def test_parsing_module_imports_no_dlt(module: str) -> None:
    # A fresh interpreter: this test process has long imported dlt.
    check = f"import {module}, sys; assert 'dlt' not in sys.modules, sorted(sys.modules)"
    completed = subprocess.run(  # noqa: S603 - our own interpreter, a fixed statement
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr[-2000:]


def test_the_plumbing_is_where_dlt_comes_in() -> None:
    """The check above can fail: the dlt side of the same package does load dlt."""
    check = "import ingestion.plumbing, sys; assert 'dlt' not in sys.modules"
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode != 0
    assert "AssertionError" in completed.stderr
