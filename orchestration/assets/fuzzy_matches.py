"""The fuzzy-matching asset: Splink scores records naming a person without a usable email
against the personal addresses of the run, and saves the model it trained beside the warehouse."""

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import dagster as dg

from orchestration.config.identity import load_identity_config
from orchestration.config.loading import IdentityConfigError
from orchestration.identity_matching import (
    FUZZY_MATCH_COLUMNS,
    MATCH_RECORD_MODELS,
    MATCH_RECORDS_SQL,
    match_unanchored,
)
from orchestration.resources import IdentityResource, WarehouseResource
from orchestration.settings import identity_model_path

FUZZY_MATCHES_KEY = dg.AssetKey(["identity", "fuzzy_matches"])
MATCH_RECORD_KEYS = [
    dg.AssetKey(["intermediate" if name.startswith("int_") else "staging", name])
    for name in MATCH_RECORD_MODELS
]


@dg.asset(
    key=FUZZY_MATCHES_KEY,
    group_name="identity",
    deps=[*MATCH_RECORD_KEYS, dg.AssetKey(["config", "identity_rules"])],
    description="Record pairs Splink scored at or above the match threshold: a record that "
    "names a person without a usable email (a CRM lead, Zendesk user, booth badge or LinkedIn "
    "form with no address or a role address) and a personal address, with the match "
    "probability and weight, and whether only the names compared (such a pair joins at the "
    "name-only threshold). The model, trained on the run's records, is saved as "
    "`<warehouse>_identity_model.json`. dbt ties each record to its match (int_identity__links).",
    owners=["team:data-engineering"],
    kinds={"python", "duckdb", "splink"},
    pool="duckdb",
)
def fuzzy_matches(
    context: dg.AssetExecutionContext, identity: IdentityResource, warehouse: WarehouseResource
) -> dg.MaterializeResult[Any]:
    try:
        config = load_identity_config(Path(identity.rules_path))
    except IdentityConfigError as error:
        raise dg.Failure(description=str(error)) from None
    with warehouse.connect(read_only=True) as connection:
        records = connection.sql(MATCH_RECORDS_SQL).to_arrow_table()
    result = match_unanchored(records, config)
    warehouse.replace_tables(
        "identity",
        {"fuzzy_matches": (FUZZY_MATCH_COLUMNS, [asdict(match) for match in result.matches])},
    )
    model_path = identity_model_path(Path(warehouse.path))
    model_path.write_text(json.dumps(result.model, indent=2, sort_keys=True) + "\n")
    matched = len({(m.left_key_type, m.left_key_value) for m in result.matches})
    context.log.info(
        f"Splink matched {matched} of {result.unanchored} records without a usable email "
        f"({len(result.matches)} pairs; model trained: {result.trained})"
    )
    return dg.MaterializeResult(
        metadata={
            "records": result.records,
            "records_without_usable_email": result.unanchored,
            "pairs": len(result.matches),
            "matched_keys": matched,
            "match_threshold": config.match_threshold,
            "name_only_match_threshold": config.name_only_match_threshold,
            "model_trained": result.trained,
            "model_path": dg.MetadataValue.path(str(model_path)),
        }
    )
