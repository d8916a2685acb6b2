"""What a run produced, read back from the warehouse for the CLI's closing summary."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

# Raw tables are discovered (dlt creates them); these are dlt's own bookkeeping tables.
_RAW_TABLES_SQL = """
    select table_schema, table_name
    from information_schema.tables
    where table_schema like 'raw\\_%' escape '\\'
      and table_schema not like '%\\_staging' escape '\\'
      and table_name not like '\\_dlt%' escape '\\'
      and table_name not like '%\\_deliveries' escape '\\'
    order by table_schema, table_name
"""


@dataclass(frozen=True)
class RunSummary:
    raw_rows: dict[str, dict[str, int]]  # schema -> table -> rows
    # source, delivered, loaded, dedup, quarantined, filtered[, suppressed (erased people)]
    audit: list[tuple[str, *tuple[int, ...]]]
    leads: int
    touchpoints: int
    bands: dict[str, int]
    quarantined: int

    def lines(self) -> list[str]:
        out = ["Rows loaded per source (raw tables; *_rejected = quarantined or filtered rows):"]
        for schema, tables in self.raw_rows.items():
            detail = ", ".join(f"{table} {rows:,}" for table, rows in tables.items())
            out.append(f"  {schema:<12} {detail}")
        out.append(
            "Ingestion balance (delivered = loaded + deduplicated + quarantined + filtered):"
        )
        for source, *counts in self.audit:
            delivered, loaded, deduplicated, quarantined, filtered, *erased = counts
            suppressed = f" + {erased[0]:,} suppressed" if erased and erased[0] else ""
            out.append(
                f"  {source:<8} {delivered:>9,} = {loaded:,} + {deduplicated:,} + "
                f"{quarantined:,} + {filtered:,}{suppressed}"
            )
        out.append(f"Touchpoints: {self.touchpoints:,}   Quarantined rows: {self.quarantined:,}")
        bands = ", ".join(f"{band} {count:,}" for band, count in self.bands.items())
        out.append(f"Leads: {self.leads:,}   Scores by band: {bands or 'none'}")
        return out


def read_summary(connection: duckdb.DuckDBPyConnection) -> RunSummary:
    """Counts of every raw table and of the main marts."""
    raw_rows: dict[str, dict[str, int]] = {}
    for schema, table in connection.execute(_RAW_TABLES_SQL).fetchall():
        raw_rows.setdefault(schema, {})[table] = _count(
            connection,
            f'select count(*) from "{schema}"."{table}"',  # noqa: S608
        )
    bands = dict(
        connection.execute(
            "select band, count(*) from marts.lead_scores group by band "
            "order by case band when 'hot' then 1 when 'warm' then 2 else 3 end"
        ).fetchall()
    )
    audit = connection.execute(
        "select source, sum(delivered), sum(loaded), sum(deduplicated), sum(quarantined), "
        "sum(filtered), sum(suppressed) from marts.ingestion_audit group by source order by source"
    ).fetchall()
    return RunSummary(
        raw_rows=raw_rows,
        audit=[(str(row[0]), *(int(value) for value in row[1:])) for row in audit],
        leads=_count(connection, "select count(*) from marts.lead_profiles"),
        touchpoints=_count(connection, "select count(*) from marts.touchpoints"),
        bands={str(band): int(count) for band, count in bands.items()},
        quarantined=_count(connection, "select count(*) from quarantine.quarantine"),
    )


def _count(connection: duckdb.DuckDBPyConnection, sql: str) -> int:
    # fetchall, not fetchone: DuckDB 2 keeps a half-read result open on the connection
    return int(connection.execute(sql).fetchall()[0][0])
