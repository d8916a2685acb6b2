"""The one Definitions: loads, forms one connected lineage graph, schedules the nightly job."""

from __future__ import annotations

import json
import re
from pathlib import Path

import dagster as dg
import pytest

from orchestration.dbt_manifest import MANIFEST_PATH, prepare_dbt_manifest
from orchestration.definitions import build_definitions
from orchestration.micro_batches import MICRO_BATCH_JOB_NAME, micro_batch_asset_keys
from orchestration.schedules import NIGHTLY_JOB_NAME
from orchestration.settings import load_settings

CHANNEL_SOURCES = ("web", "email", "support", "social", "booth", "crm")
CHANNEL_TABLES = {
    "raw_web": {"events"},
    "raw_email": {"events"},
    "raw_support": {"tickets"},
    "raw_social": {"forms", "responses", "reactions", "comments"},
    "raw_booth": {"scans"},
    "raw_crm": {"leads", "opportunities", "tasks"},
}


@pytest.fixture(scope="module")
def definitions(tmp_path_factory: pytest.TempPathFactory) -> dg.Definitions:
    root: Path = tmp_path_factory.mktemp("defs")
    prepare_dbt_manifest()
    settings = load_settings(
        {"LEADSCORE_LANDING_DIR": str(root / "landing"),
         "LEADSCORE_WAREHOUSE": str(root / "warehouse.duckdb"),
         "LEADSCORE_SCHEDULE_CRON": "15 3 * * *"}
    )  # fmt: skip
    return build_definitions(settings)


def test_dlt_assets_are_keyed_like_the_raw_tables(definitions: dg.Definitions) -> None:
    graph = definitions.resolve_asset_graph()
    ingestion = {
        tuple(key.path) for key in graph.get_all_asset_keys()
        if graph.get(key).group_name == "ingestion"
    }  # fmt: skip
    expected = {(dataset, table) for dataset, tables in CHANNEL_TABLES.items() for table in tables}
    assert ingestion == expected


def test_every_asset_is_materializable_so_the_lineage_is_one_graph(
    definitions: dg.Definitions,
) -> None:
    graph = definitions.resolve_asset_graph()
    external = [
        key.to_user_string() for key in graph.get_all_asset_keys()
        if not graph.get(key).is_materializable
    ]  # fmt: skip
    assert external == []
    ancestors = graph.get_ancestor_asset_keys(dg.AssetKey(["marts", "lead_scores"]))
    assert dg.AssetKey(["config", "scoring_rules"]) in ancestors
    for dataset, tables in CHANNEL_TABLES.items():
        assert {dg.AssetKey([dataset, table]) for table in tables} <= ancestors, dataset


def test_dbt_models_are_grouped_by_layer(definitions: dg.Definitions) -> None:
    graph = definitions.resolve_asset_graph()
    groups = {tuple(key.path): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups[("staging", "stg_web__events")] == "staging"
    assert groups[("intermediate", "int_touchpoints__unioned")] == "intermediate"
    assert groups[("marts", "lead_profiles")] == "core"
    assert groups[("marts", "touchpoints")] == "core"
    assert groups[("marts", "lead_scores")] == "scoring"
    assert groups[("quarantine", "quarantine")] == "quarantine"
    assert groups[("intermediate", "int_attribution__journeys")] == "intermediate"
    assert groups[("marts", "attribution_credits")] == "attribution"
    assert groups[("marts", "score_band_performance")] == "analytics"
    assert groups[("attribution", "markov_shapley")] == "attribution"
    assert groups[("reports", "report_html")] == "reports"


def test_data_driven_attribution_runs_between_the_journeys_and_the_marts(
    definitions: dg.Definitions,
) -> None:
    graph = definitions.resolve_asset_graph()
    python_models = dg.AssetKey(["attribution", "markov_shapley"])
    assert dg.AssetKey(["intermediate", "int_attribution__journeys"]) in (
        graph.get_ancestor_asset_keys(python_models)
    )
    for mart in ("attribution_credits", "channel_attribution", "campaign_attribution"):
        assert python_models in graph.get_ancestor_asset_keys(dg.AssetKey(["marts", mart]))
    report_inputs = graph.get_ancestor_asset_keys(dg.AssetKey(["reports", "report_html"]))
    assert dg.AssetKey(["marts", "channel_attribution"]) in report_inputs
    assert dg.AssetKey(["marts", "rule_lift"]) in report_inputs


def test_every_dbt_node_builds_in_exactly_one_selection(definitions: dg.Definitions) -> None:
    # dbt runs in four selections (before fuzzy matching, the models, after data-driven
    # attribution, the scores): a node in none is never built, one in two is built twice
    selections = {
        assets.node_def.name: set(assets.keys)
        for assets in definitions.assets or []
        if isinstance(assets, dg.AssetsDefinition) and assets.node_def.name.startswith("dbt_")
    }
    assert len(selections) == 4
    nodes = json.loads(MANIFEST_PATH.read_text())["nodes"].values()
    dbt_keys = [
        dg.AssetKey([node["schema"], node["name"]])
        for node in nodes
        if node["resource_type"] in ("model", "seed", "snapshot")
    ]
    for key in dbt_keys:
        owners = [name for name, keys in selections.items() if key in keys]
        assert len(owners) == 1, (key.to_user_string(), owners)
    assert set().union(*selections.values()) == set(dbt_keys)
    # the per-channel models are plain models, built after fuzzy matching like their unions
    per_channel = [
        dg.AssetKey(["intermediate", f"int_{source}__{suffix}"])
        for source in CHANNEL_SOURCES
        for suffix in ("touchpoints", "identity_links")
    ]
    assert set(per_channel) <= selections["dbt_models"]


DBT_SELECTIONS = {
    "dbt_before_fuzzy_matching", "dbt_models", "dbt_after_data_driven_attribution", "dbt_scores"
}  # fmt: skip


def dbt_steps(job: dg.JobDefinition) -> list[str]:
    return sorted(node.name for node in job.nodes_in_topological_order if "dbt" in node.name)


def test_each_dbt_selection_is_one_step_of_the_nightly_and_micro_batch_jobs(
    definitions: dg.Definitions,
) -> None:
    # Dagster splits a dbt multi-asset into one step per depth of the asset graph (dbt_models,
    # dbt_models_2, ...: a dbt invocation each) as soon as the op graph has a cycle, e.g. a
    # model of one selection reading a Python asset that reads the same selection
    assert dbt_steps(definitions.resolve_job_def(NIGHTLY_JOB_NAME)) == sorted(DBT_SELECTIONS)
    keys = micro_batch_asset_keys(definitions.get_repository_def(), ["web"])
    micro_batch = definitions.resolve_job_def(MICRO_BATCH_JOB_NAME).get_subset(
        asset_selection=set(keys), asset_check_selection=set()
    )
    # the micro-batch leaves out the attribution and its selection (nightly only)
    assert dbt_steps(micro_batch) == sorted(
        set(DBT_SELECTIONS) - {"dbt_after_data_driven_attribution"}
    )


def test_a_micro_batch_rescores_with_the_saved_model_and_the_nightly_matches(
    definitions: dg.Definitions,
) -> None:
    keys = set(micro_batch_asset_keys(definitions.get_repository_def(), ["web"]))
    assert {
        dg.AssetKey(["predictive", "lead_predictions"]), dg.AssetKey(["marts", "lead_scores"])
    } <= keys  # fmt: skip
    nightly_only = (["marts", "model_metrics"], ["identity", "fuzzy_matches"],
                    ["marts", "lead_score_history"], ["attribution", "markov_shapley"],
                    ["marts", "channel_attribution"], ["marts", "attribution_credits"])  # fmt: skip
    for skipped in nightly_only:
        assert dg.AssetKey(skipped) not in keys
    # what publishes the batch's scores stays, though it also reads the attribution
    assert {dg.AssetKey(["exports", "bi_parquet"]), dg.AssetKey(["reports", "report_html"])} <= keys


# intermediate areas over every channel at once: their `int_<area>__touchpoints` is a stage of
# that area (the scoring engine's touchpoints with their rule inputs), not a channel's model
CROSS_CHANNEL_STAGES = {"scoring"}


def test_every_channel_model_feeds_its_union(definitions: dg.Definitions) -> None:
    # a new channel is a new int_<channel>__touchpoints (and __identity_links) model plus a
    # line in the union: a model left out of the union would silently score nothing
    graph = definitions.resolve_asset_graph()
    intermediate = [
        key.path[1] for key in graph.get_all_asset_keys() if key.path[0] == "intermediate"
    ]
    for union, suffix, also in (
        ("int_touchpoints__unioned", "touchpoints", set()),
        ("int_identity__links", "identity_links", {"int_identity__fuzzy_links"}),
    ):
        channel_models = {
            name
            for name in intermediate
            if (match := re.fullmatch(rf"int_([a-z]+)__{suffix}", name))
            and match[1] not in CROSS_CHANNEL_STAGES
        }
        assert channel_models == {f"int_{source}__{suffix}" for source in CHANNEL_SOURCES}
        parents = graph.get(dg.AssetKey(["intermediate", union])).parent_keys
        assert {key.path[1] for key in parents} == channel_models | also, union


def test_dbt_tests_are_asset_checks(definitions: dg.Definitions) -> None:
    graph = definitions.resolve_asset_graph()
    checks = {(tuple(k.asset_key.path), k.name) for k in graph.asset_check_keys}
    assert (("marts", "lead_scores"), "unique_lead_scores_lead_id") in checks
    assert len(checks) > 50


def test_nightly_schedule_uses_the_configured_cron(definitions: dg.Definitions) -> None:
    schedule = definitions.resolve_schedule_def("nightly_scoring_schedule")
    assert schedule.cron_schedule == "15 3 * * *"
    assert schedule.execution_timezone == "UTC"
    assert schedule.job_name == "nightly_scoring"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING


def test_api_mode_keeps_the_raw_table_keys(
    definitions: dg.Definitions, monkeypatch: pytest.MonkeyPatch
) -> None:
    # API mode changes where support and CRM read from, never the asset graph.
    monkeypatch.setenv("SOURCES__ZENDESK__BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("SOURCES__SALESFORCE__BASE_URL", "http://127.0.0.1:9")
    api_keys = build_definitions(load_settings()).resolve_asset_graph().get_all_asset_keys()
    assert api_keys == definitions.resolve_asset_graph().get_all_asset_keys()
