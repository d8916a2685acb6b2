"""Files outside the warehouse that can hold a person: BI exports, the HTML report, dlt's
local working folder and the models beside the warehouse."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.predictive.store import models_dir
from orchestration.privacy.identifiers import spellings
from orchestration.resources import ExportDirResource, build_resources
from orchestration.settings import Settings

EXPORT_SUFFIX = ".parquet"
PARTIAL_SUFFIX = ".partial"


@dataclass(frozen=True)
class ArtifactChange:
    path: Path
    action: str  # "republished", "removed"


def holds_any(path: Path, values: Iterable[str]) -> bool:
    """Byte search, any case, of the file for any of the values (or their URL spellings)."""
    data = path.read_bytes().lower()
    return any(s.encode("utf-8") in data for value in values for s in spellings(value))


def _files(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from sorted(path for path in folder.rglob("*") if path.is_file())


def republish_exports(
    connection: duckdb.DuckDBPyConnection, settings: Settings
) -> list[ArtifactChange]:
    """Rewrite every BI export from its (erased) mart, each by an atomic rename; a leftover
    partial file is removed. An export whose mart no longer exists is removed."""
    exports = build_resources(settings)["exports"]
    assert isinstance(exports, ExportDirResource)
    marts = {
        row[0]
        for row in connection.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    }
    changes = []
    for path in _files(settings.export_dir):
        if path.name.endswith(PARTIAL_SUFFIX):
            path.unlink()
            changes.append(ArtifactChange(path, "removed"))
        elif path.suffix == EXPORT_SUFFIX and path.stem in marts:
            exports.publish_parquet(connection, "marts", path.stem)
            changes.append(ArtifactChange(path, "republished"))
        elif path.suffix == EXPORT_SUFFIX:
            path.unlink()
            changes.append(ArtifactChange(path, "removed"))
    return changes


def regenerable_files(settings: Settings) -> list[Path]:
    """Files the next run writes again: the report, dlt's traces and package files, models."""
    dlt_files = [
        path
        for path in _files(settings.dlt_pipelines_dir)
        if path.name == "trace.pickle" or {"load", "normalize"} & set(path.parts)
    ]
    return [
        *_files(settings.report_dir),
        *dlt_files,
        *_files(models_dir(settings.warehouse_path)),
        settings.identity_model_path,
    ]


def purge_files(settings: Settings, values: Iterable[str]) -> list[ArtifactChange]:
    """Remove every regenerable file that holds one of the values; the next run rewrites it.

    dlt's state files (`state.json`, schemas) hold file names and cursors, never row values;
    a pending load package holding the person is removed with its rows.
    """
    wanted = list(values)
    changes = []
    for path in regenerable_files(settings):
        if path.is_file() and holds_any(path, wanted):
            path.unlink()
            changes.append(ArtifactChange(path, "removed"))
    return changes


def files_still_holding(settings: Settings, values: Iterable[str]) -> list[Path]:
    """Every file of the warehouse's folders that still holds a value (expected: none)."""
    wanted = list(values)
    folders = [settings.export_dir, settings.report_dir, settings.dlt_pipelines_dir]
    files = [path for folder in folders for path in _files(folder)]
    files += [
        settings.warehouse_path,
        settings.warehouse_path.with_name(settings.warehouse_path.name + ".wal"),
    ]
    return [path for path in files if path.is_file() and holds_any(path, wanted)]
