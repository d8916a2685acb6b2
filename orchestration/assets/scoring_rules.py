"""The rules asset: validate the rules file and write it as the `config` tables dbt joins."""

from pathlib import Path

import dagster as dg

from orchestration.resources import ScoringResource, WarehouseResource
from orchestration.rules import CONFIG_TABLE_COLUMNS, RulesError, config_tables, load_rules

SCORING_RULES_KEY = dg.AssetKey(["config", "scoring_rules"])


@dg.asset(
    key=SCORING_RULES_KEY,
    group_name="rules",
    description="The validated scoring rules file (rules, decay, caps, overrides, routing), as "
    "the `config.*` tables the scoring models join (engagement_rules, point_overrides, "
    "fit_rules, group_caps, decay, decay_steps, grade_thresholds, bands, alert_thresholds, "
    "lead_overrides, routing_rules, routing_teams, rule_settings). rules_version = the file's "
    "content hash.",
    owners=["team:marketing-ops"],
    kinds={"yaml", "duckdb"},
    pool="duckdb",
)
def scoring_rules(
    context: dg.AssetExecutionContext, scoring: ScoringResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    try:
        rules = load_rules(Path(scoring.rules_path))
    except RulesError as error:
        raise dg.Failure(description=str(error)) from None
    tables = config_tables(rules)
    warehouse.replace_tables(
        "config", {name: (CONFIG_TABLE_COLUMNS[name], rows) for name, rows in tables.items()}
    )
    context.log.info(f"Loaded rules {rules.rules_version} from {scoring.rules_path}")
    return dg.MaterializeResult(
        metadata={
            "rules_version": rules.rules_version,
            "rules_file": scoring.rules_path,
            **{f"{name}_rows": len(rows) for name, rows in tables.items()},
        }
    )
