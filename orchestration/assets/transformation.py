"""dbt assets: every model, seed and test of dbt_project/, keyed like the warehouse tables."""

import json
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration.identity_matching import MATCH_RECORD_MODELS
from orchestration.resources import ScoringResource, WarehouseResource

OWNERS = ["team:data-engineering"]


class WarehouseDbtTranslator(DagsterDbtTranslator):
    """Models keyed `[schema, name]` and grouped by layer (staging, intermediate, core, ...).

    Several dbt sources share one asset key on purpose: a dlt resource also writes its
    `<table>_rejected` (and secondary) tables, and the rules asset writes every `config` table.
    """

    def __init__(self) -> None:
        super().__init__(
            settings=DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True)
        )

    def get_asset_spec(
        self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        node = manifest["nodes"].get(unique_id)
        if node is None or node["resource_type"] not in ("model", "seed", "snapshot"):
            return spec  # sources keep dagster-dbt's [source_name, table]: the dlt asset keys
        return spec.replace_attributes(
            key=dg.AssetKey([node["schema"], node["name"]]),
            group_name=layer_of(node["fqn"], node["resource_type"]),
            owners=OWNERS,
        )


def layer_of(fqn: list[str], resource_type: str) -> str:
    """The asset group of a dbt node: its top folder, or the mart area under `marts/`."""
    if resource_type == "seed":
        return "reference"
    folders = fqn[1:-1]
    if not folders:
        return "default"
    if folders[0] == "marts" and len(folders) > 1:
        return folders[1]
    return folders[0]


# The staging models that fuzzy matching reads. They build first, then the Splink asset
# writes `identity.fuzzy_matches`, then every other dbt node builds on both: two selections of
# one dbt project, ordered by Dagster from the asset dependencies, in one run.
BEFORE_FUZZY_MATCHING = " ".join(MATCH_RECORD_MODELS)


def build_dbt_assets(project: DbtProject) -> list[dg.AssetsDefinition]:
    """The dbt multi-assets over the prepared manifest; `dbt build` runs models and tests."""
    return [
        _dbt_selection(project, "dbt_before_fuzzy_matching", select=BEFORE_FUZZY_MATCHING),
        _dbt_selection(project, "dbt_models", exclude=BEFORE_FUZZY_MATCHING),
    ]


def _dbt_selection(
    project: DbtProject, name: str, select: str = "fqn:*", exclude: str = ""
) -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        dagster_dbt_translator=WarehouseDbtTranslator(),
        select=select,
        exclude=exclude,
        name=name,
        pool="duckdb",
    )
    def dbt_selection(
        context: dg.AssetExecutionContext,
        dbt: DbtCliResource,
        scoring: ScoringResource,
        warehouse: WarehouseResource,
    ) -> Iterator[Any]:
        dbt_vars = {
            "as_of": scoring.as_of_date().isoformat(),
            "warehouse_path": warehouse.path,
            "quarantine_rate_max": scoring.quarantine_rate_max,
        }
        yield from dbt.cli(["build", "--vars", json.dumps(dbt_vars)], context=context).stream()

    return dbt_selection
