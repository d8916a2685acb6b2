"""The pure layer of ingestion: no dlt, no clock, no globals (a test imports it without dlt).

- `fields`: rejections and typed field values (`as_bigint`, `parse_iso_timestamp`, ...);
- `emails`: email normalization and the test-record patterns (their one default);
- `readers`: landing files and API pages as `RawRecord`s (JSON lines, arrays, pages, CSV);
- `tables`: the destination tables (`TableSpec`), entity parsers and the routing of parsed
  records to their tables, rejected rows and delivery counts.

The dlt side (resources, hints on batches, file state) is `ingestion.plumbing`.
"""
