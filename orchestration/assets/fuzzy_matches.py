"""The fuzzy-matching asset: Splink scores booth badges without email against named records."""

from dataclasses import asdict
from pathlib import Path

import dagster as dg

from orchestration.identity_config import IdentityConfigError, load_identity_config
from orchestration.identity_matching import FUZZY_MATCH_COLUMNS, MATCH_RECORDS_SQL, match_badges
from orchestration.resources import IdentityResource, WarehouseResource

FUZZY_MATCHES_KEY = dg.AssetKey(["identity", "fuzzy_matches"])


@dg.asset(
    key=FUZZY_MATCHES_KEY,
    group_name="identity",
    deps=[
        dg.AssetKey(["staging", "stg_booth__scans"]),
        dg.AssetKey(["staging", "stg_crm__leads"]),
        dg.AssetKey(["config", "identity_rules"]),
    ],
    description="Record pairs Splink scored at or above the match threshold: a booth badge "
    "without email and a Salesforce lead or badge with an email, with the match probability. "
    "dbt ties each badge to its best match (int_identity__links).",
    owners=["team:data-engineering"],
    kinds={"python", "duckdb"},
    pool="duckdb",
)
def fuzzy_matches(
    context: dg.AssetExecutionContext, identity: IdentityResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    try:
        config = load_identity_config(Path(identity.rules_path))
    except IdentityConfigError as error:
        raise dg.Failure(description=str(error)) from None
    with warehouse.connect(read_only=True) as connection:
        records = connection.sql(MATCH_RECORDS_SQL).to_arrow_table()
    matches = match_badges(records, config.match_threshold)
    warehouse.replace_tables(
        "identity",
        {"fuzzy_matches": (FUZZY_MATCH_COLUMNS, [asdict(match) for match in matches])},
    )
    badges = len({match.left_key_value for match in matches})
    context.log.info(f"Splink matched {badges} badges without email ({len(matches)} pairs)")
    return dg.MaterializeResult(
        metadata={
            "records": records.num_rows,
            "pairs": len(matches),
            "matched_badges": badges,
            "match_threshold": config.match_threshold,
        }
    )
