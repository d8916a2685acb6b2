"""The delivery manifest: every record read is counted as emitted, quarantined or filtered."""

from collections.abc import Callable

import pytest
from raw_load import RawLoad

from ingestion.sources import CHANNELS


def test_booth_deliveries_count_every_record_of_every_file(
    channel_run: Callable[[str], RawLoad],
) -> None:
    run = channel_run("booth")
    run.run()
    assert run.rows(
        "select file, entity, delivered, emitted, quarantined, filtered "
        "from raw_booth.scans_deliveries order by file"
    ) == [
        ("booth/saastr-2026/scans-day1.csv", "scan", 7, 2, 4, 1),
        ("booth/web-summit-2026/scans.csv", "scan", 1, 1, 0, 0),
    ]  # scans-day2.csv is empty: it delivers nothing and has no row


@pytest.mark.parametrize("channel", CHANNELS)
def test_manifest_matches_what_reached_the_warehouse(
    channel: str, channel_run: Callable[[str], RawLoad]
) -> None:
    run = channel_run(channel)
    run.run()
    manifests = [
        name for (name,) in run.rows(
            "select table_name from information_schema.tables "
            f"where table_schema = 'raw_{channel}' and table_name like '%\\_deliveries' escape '\\'"
        )
    ]  # fmt: skip
    assert manifests
    for manifest in manifests:
        resource = manifest.removesuffix("_deliveries")
        counted = run.rows(
            f"select sum(delivered), sum(emitted), sum(quarantined), sum(filtered) "
            f"from raw_{channel}.{manifest}"
        )[0]
        delivered, emitted, quarantined, filtered = (int(value) for value in counted)
        assert delivered == emitted + quarantined + filtered, manifest
        rejected = dict(
            run.rows(
                f"select disposition, count(*) from raw_{channel}.{resource}_rejected group by 1"
            )
        ) if f"{resource}_rejected" in run.tables() else {}  # fmt: skip
        assert (quarantined, filtered) == (
            rejected.get("quarantined", 0),
            rejected.get("filtered", 0),
        ), manifest
