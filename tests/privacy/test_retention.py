"""Quarantined raw text is purged once its load is older than the retention."""

from datetime import UTC, datetime, timedelta

import duckdb

from orchestration.privacy.retention import purge_expired_raw

NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)


def _load_id(days_ago: float) -> str:
    return str((NOW - timedelta(days=days_ago)).timestamp())


def test_raw_text_older_than_the_retention_is_nulled_and_the_row_kept() -> None:
    with duckdb.connect() as connection:
        connection.execute(
            "create schema raw_web; create table raw_web.events_rejected "
            "(file varchar, position bigint, reason varchar, raw varchar, _dlt_load_id varchar)"
        )
        connection.executemany(
            "insert into raw_web.events_rejected values (?, ?, 'not_json', ?, ?)",
            [
                ["a.jsonl", 1, '{"email": "old@x.io"', _load_id(31)],
                ["a.jsonl", 2, '{"email": "edge@x.io"', _load_id(29.9)],
                ["b.jsonl", 1, '{"email": "new@x.io"', _load_id(1)],
                ["b.jsonl", 2, None, _load_id(40)],
            ],
        )
        purged = purge_expired_raw(connection, "raw_web", 30, NOW)
        rows = connection.execute(
            "select file, position, raw from raw_web.events_rejected order by 1, 2"
        ).fetchall()
    assert purged == {"events_rejected": 1}
    assert rows == [
        ("a.jsonl", 1, None),
        ("a.jsonl", 2, '{"email": "edge@x.io"'),
        ("b.jsonl", 1, '{"email": "new@x.io"'),
        ("b.jsonl", 2, None),
    ]
