"""dbt assets: every model, seed and test of dbt_project/, keyed like the warehouse tables."""

import fcntl
import hashlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import dagster as dg
from dagster_dbt import (
    DagsterDbtCliRuntimeError,
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration.assets.table_metadata import with_table_metadata
from orchestration.identity_matching import MATCH_RECORD_MODELS
from orchestration.lake import lake_tables
from orchestration.micro_batches import MICRO_BATCH_KIND, RUN_KIND_TAG
from orchestration.resources import QualityResource, ScoringResource, WarehouseResource
from orchestration.settings import DBT_PROJECT_DIR

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
# Likewise the models that read the Python attribution asset's tables (which reads the
# journeys) build in a third selection, after it.
AFTER_DATA_DRIVEN_ATTRIBUTION = "source:attribution+"
# The scores join the model's predictions (a Python asset reading lead_features), so the
# predictions' staging view, the scores and everything built on them come in a fourth
# selection, after the predictions. Every model built on a Python asset must be in a
# selection after it: a model of `dbt_models` reading the predictions would make the op graph
# cyclic (dbt_models -> lead_predictions -> dbt_models), and Dagster then splits every dbt
# selection into one step per depth of the asset graph (8 dbt invocations instead of 4).
AFTER_PREDICTIONS = "source:predictive+"


def build_dbt_assets(project: DbtProject) -> list[dg.AssetsDefinition]:
    """The dbt multi-assets over the prepared manifest; `dbt build` runs models and tests."""
    return [
        _dbt_selection(project, "dbt_before_fuzzy_matching", select=BEFORE_FUZZY_MATCHING),
        _dbt_selection(
            project,
            "dbt_models",
            exclude=f"{BEFORE_FUZZY_MATCHING} {AFTER_DATA_DRIVEN_ATTRIBUTION} {AFTER_PREDICTIONS}",
            # a test on a model and a score (relationships, assert_*) waits for the scores
            indirect_selection="buildable",
        ),
        _dbt_selection(
            project, "dbt_after_data_driven_attribution", select=AFTER_DATA_DRIVEN_ATTRIBUTION
        ),
        _dbt_selection(
            project, "dbt_scores", select=AFTER_PREDICTIONS, exclude=AFTER_DATA_DRIVEN_ATTRIBUTION
        ),
    ]


def dbt_command(run_tags: Mapping[str, str]) -> str:
    """`build` (models and their tests) except in a micro-batch, which only runs models:
    dbt's start-up and the tests are most of a micro-batch's time, and the nightly run
    tests everything."""
    return "run" if run_tags.get(RUN_KIND_TAG) == MICRO_BATCH_KIND else "build"


def _dbt_selection(
    project: DbtProject,
    name: str,
    select: str = "fqn:*",
    exclude: str = "",
    indirect_selection: str = "eager",
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
        quality: QualityResource,
    ) -> Iterator[Any]:
        # dbt holds the warehouse's write lock while it runs: collect its events, then add
        # each table's metadata (rows, columns, preview) once it has finished, also when a
        # test failed (the models it built are still materialized)
        events = []
        vars_json = dbt_vars(scoring, warehouse, quality)
        target_path = dbt_target_path(context.run.run_id, context.run.tags, vars_json)
        try:
            with exclusive_target(target_path):
                for event in dbt.cli(
                    [
                        dbt_command(context.run.tags),
                        # nothing reads the step's run_results.json or manifest.json (the
                        # events carry the results): writing them cost ~0.8 s of CPU a run
                        "--no-write-json",
                        "--indirect-selection",
                        indirect_selection,
                        "--vars",
                        vars_json,
                    ],
                    context=context,
                    target_path=target_path,
                ).stream():
                    events.append(event)
        except DagsterDbtCliRuntimeError:
            yield from _with_metadata(context, warehouse, events)
            raise
        yield from _with_metadata(context, warehouse, events)

    return dbt_selection


def dbt_vars(
    scoring: ScoringResource, warehouse: WarehouseResource, quality: QualityResource
) -> str:
    """The `--vars` of every dbt invocation, as JSON (also what the run's parse is made with:
    dbt re-parses the whole project when they differ from its saved partial parse)."""
    return json.dumps(
        {
            "as_of": scoring.as_of_date().isoformat(),
            "warehouse_path": warehouse.path,
            "quarantine_rate_max": scoring.quarantine_rate_max,
            "source_max_silence_hours": quality.thresholds().monitored_sources(),
            **lake_vars(warehouse),
        },
        sort_keys=True,
    )


def lake_vars(warehouse: WarehouseResource) -> dict[str, Any]:
    """With the spark engine, the lake folder and the tables in it (the sources the
    `register_lake_sources` hook registers); nothing on DuckDB."""
    if warehouse.engine != "spark":
        return {}
    lake_dir = Path(warehouse.lake_dir)
    return {"lake_dir": str(lake_dir), "lake_tables": lake_tables(lake_dir)}


def dbt_target_path(run_id: str, run_tags: Mapping[str, str], vars_json: str) -> Path:
    """The dbt target folder of a selection (relative to the dbt project).

    dbt reparses the whole project (~7 s, more under load) when `--vars` differ from its
    saved partial parse. A run's selections share one folder, `run-<run_id>`, so each after
    the first reuses the first one's parse. Micro-batches go further: every batch with the
    same vars (the same warehouse and day) shares `micro-batches-<hash of the vars>`, so only
    the day's first batch parses the whole project; later ones re-parse only changed files.
    """
    if run_tags.get(RUN_KIND_TAG) == MICRO_BATCH_KIND:
        digest = hashlib.sha256(vars_json.encode("utf-8")).hexdigest()[:12]
        return Path("target") / f"micro-batches-{digest}"
    return Path("target") / f"run-{run_id}"


@contextmanager
def exclusive_target(target_path: Path) -> Iterator[None]:
    """Hold a lock on a target folder while dbt writes it (partial parse, run_results).

    One writer per warehouse already keeps dbt invocations apart; this lock also keeps two
    processes whose micro-batches share a folder (a `serve` and a sensor-started run) from
    writing it at once: the second waits for the first.
    """
    lock_path = DBT_PROJECT_DIR / target_path.with_name(f".{target_path.name}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _with_metadata(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, events: list[Any]
) -> Iterator[Any]:
    def key_of(event: Any) -> dg.AssetKey | None:
        if isinstance(event, dg.Output):
            # dagster's decorator on asset_key_for_output hides its return type
            return cast(dg.AssetKey, context.asset_key_for_output(event.output_name))
        return None

    with warehouse.connect(read_only=True) as connection:
        yield from with_table_metadata(events, key_of, connection)
