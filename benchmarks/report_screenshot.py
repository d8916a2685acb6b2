"""Screenshot of the HTML report in headless Chromium, to look at what a reader sees.

    .venv/bin/python benchmarks/report_screenshot.py [--report data/reports/report.html]
        [--out /tmp/report.png] [--width 1400] [--height 4200]

Run `leadscore run` first (it writes the report to LEADSCORE_REPORT_DIR). The PNG is for
eyes only: do not commit it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    sys.path.insert(0, str(REPO_ROOT))  # the shared headless-browser helper lives in tests/
    from orchestration.resources import REPORT_FILE_NAME
    from orchestration.settings import load_settings
    from tests.browser import screenshot

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--report", type=Path, default=None, help="report.html to open")
    parser.add_argument("--out", type=Path, default=Path("/tmp/leadscore-report.png"))
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=4200)
    args = parser.parse_args()
    report = args.report or load_settings().report_dir / REPORT_FILE_NAME
    if not report.is_file():
        sys.exit(f"no report at {report}: run `leadscore run` first")
    path = screenshot(report, args.out.resolve(), window=(args.width, args.height))
    print(f"Screenshot of {report} at {path}")


if __name__ == "__main__":
    main()
