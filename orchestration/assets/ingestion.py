"""Ingestion assets: one dlt multi-asset per channel, one asset per raw table it loads."""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dlt import DagsterDltResource, DagsterDltTranslator, dlt_assets
from dagster_dlt.translator import DltResourceTranslatorData
from dlt.extract.source import DltSource

from orchestration.assets.table_metadata import with_table_metadata
from orchestration.privacy.retention import purge_expired_raw
from orchestration.privacy.screening import suppressing_erased
from orchestration.resources import (
    LOADER_FILE_FORMAT,
    LandingZoneResource,
    WarehouseResource,
    make_dlt_pipeline,
)
from orchestration.settings import Settings

OWNERS = ["team:data-engineering"]


class RawTableTranslator(DagsterDltTranslator):
    """Key each dlt resource as `[dataset, table]`, the key dbt gives the same source table.

    dagster-dlt's defaults (`dlt_<source>_<resource>` plus an external upstream asset) would
    leave dbt's sources unconnected to the loads that fill them.
    """

    def get_asset_spec(self, data: DltResourceTranslatorData) -> dg.AssetSpec:
        spec = super().get_asset_spec(data)
        dataset = data.pipeline.dataset_name if data.pipeline else data.resource.source_name
        return spec.replace_attributes(
            key=dg.AssetKey([dataset, data.resource.name]),
            deps=[],
            description=f"Raw `{data.resource.name}` rows of the {dataset} landing folder, "
            f"loaded by dlt (rejected rows go to `{data.resource.name}_rejected`).",
            owners=OWNERS,
            kinds={"dlt", "duckdb"},
        )


def channel_assets(
    channel: str, make_source: Callable[..., DltSource], settings: Settings
) -> dg.AssetsDefinition:
    """The dlt multi-asset that loads one channel's landing folder into `raw_<channel>`."""
    # The decorator only reads resource names and the dataset from these; every run builds
    # a fresh source and pipeline (a reused DltSource fails on every second run).
    placeholder_source = make_source(settings.landing_dir)
    placeholder_pipeline = make_dlt_pipeline(
        channel,
        settings.warehouse_path,
        settings.dlt_pipelines_dir,
        engine=settings.engine,
        lake_dir=settings.lake_dir,
    )

    @dlt_assets(
        dlt_source=placeholder_source,
        dlt_pipeline=placeholder_pipeline,
        name=f"ingest_{channel}",
        group_name="ingestion",
        dagster_dlt_translator=RawTableTranslator(),
        pool="duckdb",
    )
    def _load_channel(
        context: dg.AssetExecutionContext,
        dlt: DagsterDltResource,
        landing: LandingZoneResource,
        warehouse: WarehouseResource,
    ) -> Iterator[Any]:
        warehouse.ensure_created()
        pipeline = warehouse.dlt_pipeline(channel)
        if pipeline.has_pending_data:
            # A package left by a crashed run holds files already marked as loaded in its
            # state: finish it before extracting anything new, so nothing is lost.
            context.log.info(f"Finishing a pending load package for {channel}")
            pipeline.run(loader_file_format=LOADER_FILE_FORMAT)
        source = make_source(Path(landing.path), landing.test_email_patterns)
        with suppressing_erased(warehouse):  # records of erased people dropped
            results = list(
                dlt.run(
                    context=context,
                    dlt_source=source,
                    dlt_pipeline=pipeline,
                    loader_file_format=LOADER_FILE_FORMAT,
                )
            )
        if warehouse.lake is None:
            # an UPDATE of the raw tables: dlt's Parquet files in the lake are append-only,
            # so on Spark the purge does not run yet (README "Scale-out on Spark")
            with warehouse.connect() as connection:
                purged = purge_expired_raw(
                    connection,
                    f"raw_{channel}",
                    warehouse.quarantine_raw_retention_days,
                    datetime.now(tz=UTC),
                )
            for table, rows in purged.items():
                context.log.info(f"Purged the raw text of {rows:,} quarantined rows of {table}")
        with warehouse.connect(read_only=True) as connection:
            yield from with_table_metadata(
                results, lambda result: getattr(result, "asset_key", None), connection
            )

    return _load_channel
