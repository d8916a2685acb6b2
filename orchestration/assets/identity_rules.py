"""The identity rules asset: validate rules/identity.yml, write it as `config.identity_*`."""

from pathlib import Path

import dagster as dg

from orchestration.identity_config import (
    IDENTITY_TABLE_COLUMNS,
    IdentityConfigError,
    identity_tables,
    load_identity_config,
)
from orchestration.resources import IdentityResource, WarehouseResource

IDENTITY_RULES_KEY = dg.AssetKey(["config", "identity_rules"])


@dg.asset(
    key=IDENTITY_RULES_KEY,
    group_name="rules",
    description="The identity guard rails (blocked values, the shared-key cap, the fuzzy-match "
    "threshold) as the `config.identity_blocked_values` and `config.identity_settings` tables.",
    owners=["team:data-engineering"],
    kinds={"yaml", "duckdb"},
    pool="duckdb",
)
def identity_rules(
    context: dg.AssetExecutionContext, identity: IdentityResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    try:
        config = load_identity_config(Path(identity.rules_path))
    except IdentityConfigError as error:
        raise dg.Failure(description=str(error)) from None
    tables = identity_tables(config)
    warehouse.replace_tables(
        "config", {name: (IDENTITY_TABLE_COLUMNS[name], rows) for name, rows in tables.items()}
    )
    context.log.info(f"Loaded identity rules from {identity.rules_path}")
    return dg.MaterializeResult(
        metadata={
            "identity_rules_file": identity.rules_path,
            "blocked_values": len(tables["identity_blocked_values"]),
            "max_people_per_key": config.max_people_per_key,
            "match_threshold": config.match_threshold,
        }
    )
