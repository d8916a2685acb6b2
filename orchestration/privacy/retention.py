"""Quarantined raw text is kept for LEADSCORE_QUARANTINE_RAW_DAYS days, then purged.

The rejected row itself stays (file, position, reason, load: the audit still balances);
only its `raw` text, which can hold anything a vendor sent, is set to null once the load
that wrote it is older than the retention.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

_REJECTED_TABLES_SQL = """
select c.table_name from information_schema.columns as c
where c.table_schema = ? and c.column_name = 'raw'
    and c.table_name like '%\\_rejected' escape '\\'
order by 1
"""


def purge_expired_raw(
    connection: duckdb.DuckDBPyConnection, schema: str, days: int, now: datetime
) -> dict[str, int]:
    """Null the raw text of rejected rows loaded more than `days` days before `now`; rows
    purged per table of `schema` (dlt load ids are Unix timestamps)."""
    purged = {}
    for (table,) in connection.execute(_REJECTED_TABLES_SQL, [schema]).fetchall():
        count = connection.execute(
            f'update "{schema}"."{table}" set raw = null '  # noqa: S608
            "where raw is not null "
            "and to_timestamp(try_cast(_dlt_load_id as double)) < $now - to_days($days)",
            {"now": now, "days": days},
        ).fetchall()[0][0]
        if count:
            purged[table] = int(count)
    return purged
