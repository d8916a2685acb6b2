"""Screenshots of the README's UI tour from a running `make ui` (headless Chromium).

    .venv/bin/python tools/ui_screenshots.py --url http://127.0.0.1:3000 --out data/screenshots

The pages are the screens a data engineer uses (see README, "A tour of the UI"); images are
not committed, this script is.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from browser import screenshot  # noqa: E402 - the shared Chromium helper of the tests

TOUR = {
    "01_asset_graph": "/asset-groups",
    "02_lead_scores_overview": "/assets/marts/lead_scores",
    "03_lead_scores_gx_check": "/assets/marts/lead_scores?view=checks&checkDetail=gx_lead_scores",
    "04_source_freshness_checks": "/assets/marts/source_freshness?view=checks",
    "05_raw_web_events": "/assets/raw_web/events",
    "06_lineage_of_scores": "/assets/marts/lead_scores?view=lineage&lineageScope=upstream",
    "07_runs": "/runs",
    "08_automation": "/automation",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:3000")
    parser.add_argument("--out", type=Path, default=Path("data/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, path in TOUR.items():
        out = screenshot(args.url.rstrip("/") + path, args.out / f"{name}.png", window=(1600, 1000))
        print(out)  # noqa: T201 - a command-line script
    return 0


if __name__ == "__main__":
    sys.exit(main())
