"""The UI: `dagster dev` on a free port loads every asset and check, and the browser shows them.

Marked `ui` (excluded from the default run; `make test-ui`): `dagster dev` takes ~30 s to
come up on two cores.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import rendered_dom

from orchestration.definitions import build_definitions
from orchestration.settings import DBT_PROJECT_DIR, REPO_ROOT, load_settings

pytestmark = pytest.mark.ui

START_TIMEOUT_S = 180
ASSETS_QUERY = """
{ assetNodes { assetKey { path } description groupName
    assetChecksOrError { ... on AssetChecks { checks { name description } } } } }
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def graphql(url: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{url}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - local server
        return json.loads(response.read())["data"]


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("ui")
    home = root / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO_ROOT / "orchestration" / "dagster.yaml").read_text())
    (root / "landing").mkdir()
    return {
        **os.environ,
        "DAGSTER_HOME": str(home),  # a temporary instance, never the user's
        "LEADSCORE_LANDING_DIR": str(root / "landing"),
        "LEADSCORE_WAREHOUSE": str(root / "warehouse.duckdb"),
        "LEADSCORE_EXPORT_DIR": str(root / "exports"),
    }


@pytest.fixture(scope="module")
def dagster_dev(environment: dict[str, str]) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    dagster = Path(sys.executable).parent / "dagster"
    process = subprocess.Popen(  # noqa: S603 - fixed executable and arguments
        [
            str(dagster),
            "dev",
            "-m",
            "orchestration.definitions",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        cwd=REPO_ROOT,
        env={**environment, "PATH": f"{dagster.parent}:{environment['PATH']}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its webserver, daemon and code server share one group
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                if graphql(url, "{ version }"):
                    data = graphql(url, ASSETS_QUERY)
                    if data.get("assetNodes"):
                        break
            except (urllib.error.URLError, ConnectionError, KeyError, TypeError):
                pass
            assert process.poll() is None, "dagster dev exited"
            assert time.monotonic() < deadline, "dagster dev did not come up"
            time.sleep(2)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def expected(environment: dict[str, str]) -> tuple[set[str], set[tuple[str, str]]]:
    settings = load_settings(environment)
    graph = build_definitions(settings).resolve_asset_graph()
    assets = {key.to_user_string() for key in graph.get_all_asset_keys()}
    checks = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    return assets, checks


def test_every_asset_and_check_loads_with_a_description(
    dagster_dev: str, environment: dict[str, str]
) -> None:
    nodes = graphql(dagster_dev, ASSETS_QUERY)["assetNodes"]
    loaded = {"/".join(node["assetKey"]["path"]) for node in nodes}
    loaded_checks = {
        ("/".join(node["assetKey"]["path"]), check["name"])
        for node in nodes
        for check in node["assetChecksOrError"].get("checks", [])
    }
    assets, checks = expected(environment)
    assert loaded == assets
    assert loaded_checks == checks
    # every check of ours says what a failure means
    ours = [
        check
        for node in nodes
        for check in node["assetChecksOrError"].get("checks", [])
        if not check["name"].startswith(("not_null", "unique", "accepted", "relationships"))
        and "assert_" not in check["name"]
    ]
    assert ours and all(check["description"] for check in ours)
    assert all(node["groupName"] for node in nodes)
    assert (DBT_PROJECT_DIR / "target" / "manifest.json").exists()


def test_the_browser_shows_the_asset_groups_and_the_checks(dagster_dev: str) -> None:
    groups = rendered_dom(f"{dagster_dev}/asset-groups")
    for group in ("ingestion", "staging", "core", "scoring", "quality", "exports"):
        assert group in groups
    checks = rendered_dom(f"{dagster_dev}/assets/marts/lead_scores?view=checks")
    assert "gx_lead_scores" in checks
    freshness = rendered_dom(f"{dagster_dev}/assets/marts/source_freshness?view=checks")
    assert "web_is_fresh" in freshness and "booth_is_fresh" in freshness
