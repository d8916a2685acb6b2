"""The config assets: a validated YAML file written as the `config.*` tables dbt joins.

Both files (the scoring rules and the identity guard rails) go the same way, so one factory
builds both assets: read the file named by a resource, validate it (a failure lists every
problem), replace its `config` tables in one transaction, report rows as metadata.
"""

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import dagster as dg

from orchestration.config.identity import (
    IDENTITY_TABLE_COLUMNS,
    IdentityConfig,
    identity_tables,
    load_identity_config,
)
from orchestration.config.loading import ConfigError
from orchestration.config.rules import CONFIG_TABLE_COLUMNS, RuleSet, config_tables, load_rules

Config = TypeVar("Config")
Rows = Mapping[str, Sequence[Mapping[str, object]]]

SCORING_RULES_KEY = dg.AssetKey(["config", "scoring_rules"])
IDENTITY_RULES_KEY = dg.AssetKey(["config", "identity_rules"])


def build_config_table_asset(
    key: dg.AssetKey,
    *,
    resource_key: str,
    description: str,
    owners: list[str],
    load: Callable[[Path], Config],
    tables: Callable[[Config], Rows],
    columns: Mapping[str, Mapping[str, str]],
    summary: Callable[[Config, str, Rows], tuple[str, dict[str, Any]]],
) -> dg.AssetsDefinition:
    """An asset writing the file at `<resource_key>.rules_path` as `config` tables.

    `summary(config, path, rows)` gives the log line and the materialization metadata.
    """

    @dg.asset(
        key=key,
        group_name="rules",
        description=description,
        owners=owners,
        kinds={"yaml", "duckdb"},
        pool="duckdb",
        required_resource_keys={resource_key, "warehouse"},
    )
    def config_table_asset(context: dg.AssetExecutionContext) -> dg.MaterializeResult[Any]:
        path = getattr(context.resources, resource_key).rules_path
        try:
            config = load(Path(path))
        except ConfigError as error:
            raise dg.Failure(description=str(error)) from None
        rows = tables(config)
        context.resources.warehouse.replace_tables(
            "config", {name: (columns[name], table) for name, table in rows.items()}
        )
        message, metadata = summary(config, path, rows)
        context.log.info(message)
        return dg.MaterializeResult(metadata=metadata)

    return config_table_asset


def _rules_summary(rules: RuleSet, path: str, rows: Rows) -> tuple[str, dict[str, Any]]:
    metadata = {
        "rules_version": rules.rules_version,
        "rules_file": path,
        **{f"{name}_rows": len(table) for name, table in rows.items()},
    }
    return f"Loaded rules {rules.rules_version} from {path}", metadata


def _identity_summary(config: IdentityConfig, path: str, rows: Rows) -> tuple[str, dict[str, Any]]:
    metadata = {
        "identity_rules_file": path,
        "blocked_values": len(rows["identity_blocked_values"]),
        "max_people_per_key": config.max_people_per_key,
        "match_threshold": config.match_threshold,
    }
    return f"Loaded identity rules from {path}", metadata


scoring_rules = build_config_table_asset(
    SCORING_RULES_KEY,
    resource_key="scoring",
    description="The validated scoring rules file (rules, decay, caps, overrides, routing), as "
    "the `config.*` tables the scoring models join (engagement_rules, point_overrides, "
    "fit_rules, group_caps, decay, decay_steps, grade_thresholds, bands, alert_thresholds, "
    "lead_overrides, routing_rules, routing_teams, rule_settings). rules_version = the file's "
    "content hash.",
    owners=["team:marketing-ops"],
    load=load_rules,
    tables=config_tables,
    columns=CONFIG_TABLE_COLUMNS,
    summary=_rules_summary,
)

identity_rules = build_config_table_asset(
    IDENTITY_RULES_KEY,
    resource_key="identity",
    description="The identity guard rails (blocked values, the shared-key cap, the fuzzy-match "
    "threshold) as the `config.identity_blocked_values` and `config.identity_settings` tables.",
    owners=["team:data-engineering"],
    load=load_identity_config,
    tables=identity_tables,
    columns=IDENTITY_TABLE_COLUMNS,
    summary=_identity_summary,
)
