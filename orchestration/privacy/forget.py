"""One erasure request end to end: `leadscore forget` and the Dagster job `forget_person`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb

from ingestion.suppression import identifier_hash
from orchestration.privacy import artifacts, compaction, erasure, store
from orchestration.privacy.identifiers import Person, redact
from orchestration.privacy.person import resolve_person
from orchestration.privacy.salt import suppression_salt
from orchestration.settings import Settings


class NothingToForgetError(LookupError):
    """The warehouse does not exist: there is nobody to erase."""


@dataclass(frozen=True)
class ErasureReport:
    request_id: str
    requested_at: datetime
    lead_id_hash: str | None
    identifier_counts: dict[str, int]  # key type -> how many identifiers were erased
    rows_removed: dict[str, int]  # schema.table -> rows
    manifest_rows_suppressed: int
    files: list[artifacts.ArtifactChange] = field(default_factory=list)
    warehouse_bytes: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows_removed.values())

    def lines(self) -> list[str]:
        """What was removed, table by table, without a single identifier of the person."""
        keys = ", ".join(f"{n} {kind}" for kind, n in sorted(self.identifier_counts.items()))
        out = [f"Erasure {self.request_id} at {self.requested_at.isoformat()}: {keys}"]
        if self.lead_id_hash is None:
            out.append("  no lead resolved: only the given value is erased and suppressed")
        width = max((len(name) for name in self.rows_removed), default=0)
        for name, rows in sorted(self.rows_removed.items()):
            out.append(f"  {name:<{width}}  {rows:>7,} rows")
        out.append(f"  total {self.total_rows:,} rows in {len(self.rows_removed)} tables")
        out.append(
            f"  delivery manifests: {self.manifest_rows_suppressed:,} records moved to suppressed"
        )
        for change in self.files:
            out.append(f"  {change.action}: {change.path}")
        out.append(f"  warehouse rewritten into a new file ({self.warehouse_bytes:,} bytes)")
        return out


def forget(settings: Settings, email_or_lead_id: str, reason: str | None = None) -> ErasureReport:
    """Erase a person from the warehouse, its exports and its working files; suppress them.

    Runs as the only writer of the warehouse (like a pipeline run), then rewrites the file.
    """
    path = settings.warehouse_path
    if not path.is_file():
        raise NothingToForgetError(f"no warehouse at {path}")
    salt = suppression_salt(settings)
    assert salt is not None  # created on demand
    request_id = str(uuid.uuid4())
    at = datetime.now(tz=UTC)
    with duckdb.connect(str(path)) as connection:
        person = resolve_person(connection, email_or_lead_id)
        hashes = {identifier_hash(salt, i.value): i.key_type for i in person.identifiers}
        connection.execute("begin")
        store.ensure_tables(connection)
        rows, moves = erasure.erase_rows(connection, person, erasure.searched_tables(connection))
        moved = erasure.apply_manifest_moves(connection, moves)
        store.add_suppressed(connection, hashes, request_id, at)
        store.log_erasure(
            connection,
            request_id,
            at,
            redact(reason, person.erased_values) if reason else None,
            list(hashes),
            rows,
            moved,
        )
        connection.execute("commit")
        files = artifacts.republish_exports(connection, settings)
    files += artifacts.purge_files(settings, person.erased_values)
    size = compaction.compact_database(path)
    return ErasureReport(
        request_id=request_id,
        requested_at=at,
        lead_id_hash=identifier_hash(salt, person.lead_id) if person.lead_id else None,
        identifier_counts=_counts(person),
        rows_removed=rows,
        manifest_rows_suppressed=moved,
        files=files,
        warehouse_bytes=size,
    )


def _counts(person: Person) -> dict[str, int]:
    counts: dict[str, int] = {}
    for identifier in person.identifiers:
        counts[identifier.key_type] = counts.get(identifier.key_type, 0) + 1
    return counts
