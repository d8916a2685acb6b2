"""What a micro-batch reuses of dbt between batches: its target folder (and so dbt's
partial parse), kept apart by a lock; and the dbt version without a `dbt --version`."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from dbt.version import __version__ as dbt_core_version

from orchestration.assets.transformation import dbt_target_path, exclusive_target
from orchestration.micro_batches import MICRO_BATCH_KIND, RUN_KIND_TAG
from orchestration.resources import VenvDbtCliResource

MICRO_BATCH = {RUN_KIND_TAG: MICRO_BATCH_KIND}
VARS = '{"as_of": "2026-07-01", "warehouse_path": "/w/a.duckdb"}'


def test_micro_batches_with_the_same_vars_share_a_target_folder() -> None:
    first = dbt_target_path("run-1", MICRO_BATCH, VARS)
    assert first == dbt_target_path("run-2", MICRO_BATCH, VARS)
    assert first.parent == Path("target") and first.name.startswith("micro-batches-")
    next_day = VARS.replace("2026-07-01", "2026-07-02")
    assert dbt_target_path("run-3", MICRO_BATCH, next_day) != first
    other_warehouse = VARS.replace("a.duckdb", "b.duckdb")
    assert dbt_target_path("run-4", MICRO_BATCH, other_warehouse) != first


def test_a_nightly_run_keeps_a_folder_of_its_own() -> None:
    assert dbt_target_path("abc", {}, VARS) == Path("target") / "run-abc"


def test_a_second_writer_of_a_folder_waits_for_the_first(tmp_path: Path) -> None:
    folder = tmp_path / "target" / "micro-batches-x"  # absolute: the lock goes beside it
    order: list[str] = []
    inside = threading.Event()

    def second() -> None:
        inside.wait(10)
        with exclusive_target(folder):
            order.append("second in")

    thread = threading.Thread(target=second)
    thread.start()
    with exclusive_target(folder):
        order.append("first in")
        inside.set()
        time.sleep(0.3)  # the second thread is blocked on the lock meanwhile
        order.append("first out")
    thread.join(10)
    assert order == ["first in", "first out", "second in"]
    assert (tmp_path / "target" / ".micro-batches-x.lock").exists()


def test_the_dbt_version_is_the_installed_dbt_cores() -> None:
    resource = VenvDbtCliResource(
        project_dir=str(Path("dbt_project").resolve()),
        dbt_executable=str(Path(sys.executable).parent / "dbt"),
    )
    assert str(resource._cli_version) == dbt_core_version
