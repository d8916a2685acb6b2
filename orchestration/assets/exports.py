"""BI exports: every mart as a Parquet file, published by atomic rename."""

from collections.abc import Sequence
from typing import Any

import dagster as dg

from orchestration.resources import ExportDirResource, WarehouseResource


def build_exports_asset(marts: Sequence[dg.AssetKey]) -> dg.AssetsDefinition:
    """One asset that exports the given `[marts, <table>]` models to the export folder."""

    @dg.asset(
        key=["exports", "bi_parquet"],
        deps=list(marts),
        group_name="exports",
        description="Every `marts.*` table as `<table>.parquet` in LEADSCORE_EXPORT_DIR, each "
        "written to a temporary name and renamed into place, so a BI tool polling the folder "
        "never sees a partial or missing file.",
        owners=["team:data-engineering"],
        kinds={"parquet"},
        pool="duckdb",
    )
    def bi_parquet(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource, exports: ExportDirResource
    ) -> dg.MaterializeResult[Any]:
        rows: dict[str, int] = {}
        with warehouse.connect(read_only=True) as connection:
            existing = set(
                connection.execute(
                    "select table_schema, table_name from information_schema.tables"
                ).fetchall()
            )
            for key in marts:
                schema, table = key.path
                if (schema, table) not in existing:  # e.g. model_metrics before any training
                    context.log.info(f"{schema}.{table} does not exist yet: not exported")
                    continue
                rows[table] = exports.publish_parquet(connection, schema, table)
                context.log.info(f"Published {table}.parquet ({rows[table]:,} rows)")
        return dg.MaterializeResult(
            metadata={"export_dir": exports.path, **{f"{t}_rows": n for t, n in rows.items()}}
        )

    return bi_parquet
