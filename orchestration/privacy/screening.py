"""The suppression list of a warehouse, active while one channel loads (see ingestion)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ingestion.suppression import screening
from orchestration.privacy.salt import suppression_salt
from orchestration.privacy.store import read_suppression
from orchestration.resources import WarehouseResource
from orchestration.settings import load_settings


@contextmanager
def suppressing_erased(warehouse: WarehouseResource) -> Iterator[int]:
    """Drop records of erased people while the block loads; yields how many hashes are active.

    No salt yet means nothing was ever erased: nothing is read or hashed. With the spark
    engine the list is the lake's `privacy/suppression_list` (where the warehouse's
    connection finds it), when there is one.
    """
    warehouse_path = Path(warehouse.path)
    settings = load_settings().with_overrides(warehouse_path=warehouse_path)
    salt = suppression_salt(settings, create=False)
    if salt is None or (warehouse.lake is None and not warehouse_path.is_file()):
        yield 0
        return
    with warehouse.connect(read_only=True) as connection:
        suppression = read_suppression(connection, salt)
    with screening(suppression):
        yield len(suppression.hashes)
