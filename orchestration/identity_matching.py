"""Fuzzy matching of booth badges without email to named records, with Splink on DuckDB.

Pure with respect to the warehouse: records in (an Arrow table), scored pairs out. Splink gets
its own in-memory DuckDB connection because it leaves `__splink__*` tables behind.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

# What Splink reads: one row per record; `has_email` marks the records that can anchor a badge.
RECORD_COLUMNS = (
    "record_id",
    "key_type",
    "key_value",
    "has_email",
    "first_name",
    "last_name",
    "company",
    "country",
)

# The SQL the asset runs on the warehouse (staging views; fixed text, no values).
MATCH_RECORDS_SQL = """
select
    'booth_scan:' || scan_id as record_id,
    'booth_scan' as key_type,
    scan_id as key_value,
    email is not null as has_email,
    lower(trim(first_name)) as first_name,
    lower(trim(last_name)) as last_name,
    lower(trim(company)) as company,
    lower(trim(country)) as country
from staging.stg_booth__scans
where first_name is not null and last_name is not null
union all
select
    'salesforce_lead_id:' || lead_id,
    'salesforce_lead_id',
    lead_id,
    true,
    lower(trim(first_name)),
    lower(trim(last_name)),
    lower(trim(company)),
    lower(trim(country))
from staging.stg_crm__leads
where not is_deleted and email is not null and first_name is not null and last_name is not null
"""

# Fellegi-Sunter parameters set by hand (levels: exact, close, other), not trained: a run sees
# a few hundred badges, too few for EM to be stable, and fixed values make runs reproducible.
# m = P(level | same person), u = P(level | different people).
NAME_M = [0.90, 0.07, 0.03]
FIRST_NAME_U = [0.005, 0.01, 0.985]
LAST_NAME_U = [0.002, 0.005, 0.993]
COMPANY_M = [0.85, 0.10, 0.05]
COMPANY_U = [0.01, 0.02, 0.97]
COUNTRY_M = [0.95, 0.05]
COUNTRY_U = [0.20, 0.80]
PRIOR_MATCH_PROBABILITY = 1e-4


@dataclass(frozen=True)
class FuzzyMatch:
    """A badge without email (left) and the named record it matches (right)."""

    left_key_type: str
    left_key_value: str
    right_key_type: str
    right_key_value: str
    match_probability: float
    match_weight: float


FUZZY_MATCH_COLUMNS = {
    "left_key_type": "varchar",
    "left_key_value": "varchar",
    "right_key_type": "varchar",
    "right_key_value": "varchar",
    "match_probability": "double",
    "match_weight": "double",
}


def match_settings() -> SettingsCreator:
    """The Splink model: names and company by Jaro-Winkler, country exact."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        probability_two_random_records_match=PRIOR_MATCH_PROBABILITY,
        comparisons=[
            cl.JaroWinklerAtThresholds("first_name", [0.92]).configure(
                m_probabilities=NAME_M, u_probabilities=FIRST_NAME_U
            ),
            cl.JaroWinklerAtThresholds("last_name", [0.92]).configure(
                m_probabilities=NAME_M, u_probabilities=LAST_NAME_U
            ),
            cl.JaroWinklerAtThresholds("company", [0.9]).configure(
                m_probabilities=COMPANY_M, u_probabilities=COMPANY_U
            ),
            cl.ExactMatch("country").configure(
                m_probabilities=COUNTRY_M, u_probabilities=COUNTRY_U
            ),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("last_name"),
            block_on("first_name", "company"),
        ],
        additional_columns_to_retain=["key_type", "key_value", "has_email"],
    )


def match_badges(records: pa.Table, threshold: float) -> list[FuzzyMatch]:
    """Pairs (badge without email, record with email) scored at or above `threshold`.

    Sorted by badge, then probability (highest first), then the matched key.
    """
    badges = records.filter(pc.invert(records["has_email"]))
    if badges.num_rows == 0 or records.num_rows < 2:
        return []
    connection = duckdb.connect()
    try:
        connection.register("match_records", records)
        db_api = DuckDBAPI(connection=connection)
        linker = Linker(db_api.register("match_records"), match_settings())
        predictions = linker.inference.predict(threshold_match_probability=threshold)
        # the table name is Splink's own, never a value from the data
        rows = connection.execute(ORIENTED_PAIRS_SQL.format(table=predictions.physical_name))
        return [FuzzyMatch(*row) for row in rows.fetchall()]
    finally:
        connection.close()


# A kept pair has exactly one side with an email and the other a booth badge: the badge goes
# left. Pairs of two badges without email, or of two records that already have keys, are not
# fuzzy matches.
ORIENTED_PAIRS_SQL = """
with oriented as (
    select
        case when has_email_l then key_type_r else key_type_l end as left_key_type,
        case when has_email_l then key_value_r else key_value_l end as left_key_value,
        case when has_email_l then key_type_l else key_type_r end as right_key_type,
        case when has_email_l then key_value_l else key_value_r end as right_key_value,
        match_probability,
        match_weight
    from {table}
    where has_email_l <> has_email_r
)
select * from oriented
where left_key_type = 'booth_scan'
order by left_key_value, match_probability desc, right_key_type, right_key_value
"""
