"""Micro-batches: newly landed files loaded and re-scored between nightly runs.

One job, `micro_batch_scoring`, over the ingestion assets and everything downstream of them
except `NOT_IN_MICRO_BATCHES`: Splink matching (`fuzzy_matches` keeps the nightly run's
matches: a new event rarely changes a fuzzy match), the daily score history, the model's
weekly training and the data-driven attribution. dbt runs the models without their tests
(`dbt_command`); the nightly run rebuilds and tests everything.
A run selects only the channels that have new files: their dlt assets (which load only
files not in dlt state) and the dbt models and exports downstream of them.

Who starts one: `landing_files_sensor` under Dagster (a RunRequest per batch of new files),
and `leadscore serve` itself (`run_micro_batch`). Both find new files with
`landing_changes`; warehouse writes never overlap (the `duckdb` pool inside Dagster, one
lock inside `serve`, DuckDB's file lock between processes).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from ingestion.sources import CHANNELS
from orchestration.schedules import MODEL_TRAINING_KEY

MICRO_BATCH_JOB_NAME = "micro_batch_scoring"
# Runs of the micro-batch job carry this tag; the dbt assets then run models without tests
# (the nightly run tests everything).
RUN_KIND_TAG, MICRO_BATCH_KIND = "leadscore/kind", "micro_batch"
INGESTION_GROUP = "ingestion"


# Built by the nightly run only: Splink's matches, and the daily score history (a row per lead
# per day, written by the nightly run; score_alerts reads only earlier days). The views Splink
# reads are rebuilt like every other model: each holds its run's `as_of` cut-off, so a view
# left from the nightly run would hide every event that arrived after it.
NIGHTLY_ONLY = dg.AssetSelection.assets(
    ["identity", "fuzzy_matches"],
    ["marts", "lead_score_history"],
)
# Not in a micro-batch either: the model's training (`weekly_model_training`; it replays the
# features with four dbt runs, ~100 s on a small warehouse). A batch scores with the saved model.
# Nor the data-driven attribution and the dbt models built on it (channel and campaign
# credit over months of journeys, not a lead's score; 8 s of a 52 s batch at 1M, one of its
# four dbt invocations): the nightly run rebuilds them, the batch's exports re-publish the
# nightly tables. The exports and the report downstream of it stay in the batch.
DATA_DRIVEN_ATTRIBUTION = dg.AssetSelection.assets(
    ["attribution", "markov_shapley"]
).downstream() - dg.AssetSelection.groups("exports", "reports")
NOT_IN_MICRO_BATCHES = (
    NIGHTLY_ONLY | dg.AssetSelection.assets(MODEL_TRAINING_KEY) | DATA_DRIVEN_ATTRIBUTION
)


@dataclass(frozen=True)
class LandingChanges:
    """Files that appeared since a cursor, per channel, and the cursor after them."""

    files: dict[str, list[Path]]
    cursor_ns: int  # the newest inode change time (ns) seen: a rename sets it

    @property
    def channels(self) -> list[str]:
        return sorted(channel for channel, files in self.files.items() if files)


def landing_changes(landing_dir: Path, since_ns: int) -> LandingChanges:
    """Landing files whose inode changed after `since_ns`, per channel folder.

    The change time, not the modification time: a file written under a temporary name and
    renamed into place later gets its ctime at the rename, so it is never older than the
    cursor of a scan that ran before it appeared. Dot-files (partial writes) are skipped.
    """
    files: dict[str, list[Path]] = {}
    newest = since_ns
    for channel in CHANNELS:
        folder = landing_dir / channel
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            if path.name.startswith(".") or not path.is_file():
                continue
            changed_ns = path.stat().st_ctime_ns
            if changed_ns > since_ns:
                files.setdefault(channel, []).append(path)
                newest = max(newest, changed_ns)
    return LandingChanges({c: sorted(f) for c, f in files.items()}, newest)


def micro_batch_selection(channels: Iterable[str]) -> dg.AssetSelection:
    """The ingestion assets of `channels` and what depends on them, minus nightly-only steps."""
    # a channel's dlt assets are keyed `raw_<channel>/<table>` (RawTableTranslator)
    loads = dg.AssetSelection.key_prefixes(
        *([f"raw_{channel}"] for channel in channels)
    ).required_multi_asset_neighbors()
    return (loads.downstream() - NOT_IN_MICRO_BATCHES).without_checks()


def micro_batch_asset_keys(
    repository: dg.RepositoryDefinition, channels: Sequence[str]
) -> list[dg.AssetKey]:
    """`micro_batch_selection(channels)` resolved to the asset keys of a code location."""
    return sorted(micro_batch_selection(channels).resolve(repository.asset_graph))


micro_batch_job = dg.define_asset_job(
    name=MICRO_BATCH_JOB_NAME,
    selection=(dg.AssetSelection.groups(INGESTION_GROUP).downstream() - NOT_IN_MICRO_BATCHES),
    description="Load new landing files and re-score from them (between nightly runs).",
    tags={RUN_KIND_TAG: MICRO_BATCH_KIND},
)


def build_landing_files_sensor(landing_dir: Path) -> dg.SensorDefinition:
    """A sensor that requests a micro-batch run whenever files land in `landing_dir`."""

    @dg.sensor(
        name="landing_files_sensor",
        job=micro_batch_job,
        minimum_interval_seconds=10,
        default_status=dg.DefaultSensorStatus.STOPPED,
        description="Starts a micro-batch run for the channels with new landing files.",
    )
    def landing_files_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
        since_ns = int(json.loads(context.cursor)["ctime_ns"]) if context.cursor else 0
        changes = landing_changes(landing_dir, since_ns)
        if not changes.channels:
            return dg.SensorResult(skip_reason=dg.SkipReason("no new landing files"))
        repository = context.repository_def
        assert repository is not None, "a sensor is evaluated inside its code location"
        keys = micro_batch_asset_keys(repository, changes.channels)
        count = sum(len(files) for files in changes.files.values())
        run = dg.RunRequest(
            run_key=f"landing-{changes.cursor_ns}",
            asset_selection=keys,
            asset_check_keys=[],  # the nightly run checks everything
            tags={"leadscore/channels": ",".join(changes.channels), "leadscore/files": str(count)},
        )
        return dg.SensorResult(
            run_requests=[run], cursor=json.dumps({"ctime_ns": changes.cursor_ns})
        )

    return landing_files_sensor
