"""`collector_service`: `leadscore serve` as a Dagster job, running until it is terminated.

Launch it from the UI (Jobs > collector_service > Launchpad) or with `dagster job execute
-m orchestration.definitions -j collector_service`; its run config (host, port, landing,
warehouse, batching) defaults to the settings. Its one op serves the collector and runs the
micro-batch loop until the run is terminated (the UI's Terminate, or Ctrl-C): Dagster then
interrupts the op, which stops accepting requests, lets the batch in progress finish and
returns, and the run ends CANCELED. An accepted request was landed (fsynced and renamed into
place) before its 200, so a termination loses no acknowledged event and leaves no
half-written landing file.

One writer: the op itself never writes the warehouse. Each micro-batch is a
`micro_batch_scoring` run on this Dagster instance, so its warehouse-writing steps take the
`duckdb` pool's one slot (orchestration/dagster.yaml) like the nightly run's and the
sensor's: they wait for each other instead of overlapping.
"""

import threading
from typing import Protocol

import dagster as dg

from orchestration.settings import Settings

COLLECTOR_SERVICE_JOB_NAME = "collector_service"
# How often the op looks whether the service stopped by itself (a failed bind, say).
WAIT_SECONDS = 0.5
# What Dagster raises in the op when the run is terminated (a Ctrl-C: KeyboardInterrupt).
INTERRUPTS = (dg.DagsterExecutionInterruptedError, KeyboardInterrupt)


class ServiceLike(Protocol):
    """What `run_until_interrupted` needs of `collector.service.Service`."""

    def serve_until_stopped(self) -> None: ...

    def stop(self) -> None: ...


def build_collector_service_job(settings: Settings) -> dg.JobDefinition:
    """The job, its run config defaulting to `settings`."""

    @dg.op(
        name="serve_collector",
        config_schema={
            "host": dg.Field(str, default_value="127.0.0.1", description="address to listen on"),
            "port": dg.Field(int, default_value=8787, description="port (0 picks a free one)"),
            "landing": dg.Field(
                str, default_value=str(settings.landing_dir), description="landing zone"
            ),
            "warehouse": dg.Field(
                str, default_value=str(settings.warehouse_path), description="DuckDB file"
            ),
            "batching": dg.Field(
                bool,
                default_value=True,
                description="run the micro-batch loop (off: the collector only lands files, "
                "for the landing_files_sensor to batch)",
            ),
        },
        description="Serves the HTTP collector and its micro-batches until the run is terminated.",
        tags={"kind": "http"},
    )
    def serve_collector(context: dg.OpExecutionContext) -> None:
        from collector.service import Service

        config = context.op_config
        served = settings.with_overrides(
            landing_dir=config["landing"], warehouse_path=config["warehouse"]
        )
        served.landing_dir.mkdir(parents=True, exist_ok=True)
        service = Service(
            served,
            config["host"],
            config["port"],
            batching=config["batching"],
            instance=context.instance,
        )
        host, port = service.address
        context.log.info(f"collector listening on http://{host}:{port}")
        run_until_interrupted(service, context)

    @dg.job(
        name=COLLECTOR_SERVICE_JOB_NAME,
        description="`leadscore serve` under Dagster: the HTTP collector and its micro-batch "
        "loop, until the run is terminated.",
        tags={"leadscore/kind": "service"},
    )
    def collector_service() -> None:
        serve_collector()

    return collector_service


def run_until_interrupted(service: ServiceLike, context: dg.OpExecutionContext) -> None:
    """Serve on a thread; on Dagster's interrupt stop gracefully, then let it end the run.

    The interrupt is raised in this (the main) thread only, so it never cuts a request or a
    batch short; a second interrupt while stopping is ignored until the service stopped.
    """
    worker = threading.Thread(target=service.serve_until_stopped, name="collector")
    worker.start()
    try:
        while worker.is_alive():
            worker.join(WAIT_SECONDS)
    except INTERRUPTS:
        context.log.info("terminating: no new requests, finishing the batch in progress")
        service.stop()
        while worker.is_alive():
            try:
                worker.join(WAIT_SECONDS)
            except INTERRUPTS:  # noqa: S112 - already stopping: stop once, cleanly
                continue
        context.log.info("collector stopped")
        raise
