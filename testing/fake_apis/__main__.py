"""`python -m testing.fake_apis --landing DIR -- COMMAND...`: COMMAND in API mode against both
fakes serving DIR (`make demo-api`)."""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from pathlib import Path

from testing.fake_apis import serve_fake_apis

logger = logging.getLogger("testing.fake_apis")


def main(argv: list[str] | None = None) -> int:
    """Run a command (after `--`) with API mode pointed at fakes serving `--landing`."""
    parser = argparse.ArgumentParser(prog="python -m testing.fake_apis")
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("command", nargs="+", help="the command to run, after --")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    with serve_fake_apis(args.landing) as apis:
        logger.info(
            "fake Zendesk on %s, fake Salesforce on %s",
            apis.zendesk.base_url,
            apis.salesforce.base_url,
        )
        # The child inherits this environment plus API mode (the demo's fake credentials).
        environment = {**os.environ, **apis.dlt_environment()}
        completed = subprocess.run(args.command, env=environment, check=False)  # noqa: S603
        logger.info(
            "fake APIs answered %d Zendesk and %d Salesforce requests",
            len(apis.zendesk.requests),
            len(apis.salesforce.requests),
        )
    return completed.returncode


if __name__ == "__main__":
    sys.exit(main())
