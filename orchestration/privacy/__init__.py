"""Privacy: erasure on request (`leadscore forget`), suppression of erased people on later
loads, the erasure log, and keeping personal data out of places it does not belong.

Pure helpers (`identifiers`, `masking`) are apart from the DuckDB and file plumbing
(`erasure`, `compaction`, `artifacts`, `store`); `forget` runs one request end to end.
"""
