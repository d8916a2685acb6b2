"""A real headless browser for tests that look at what a person sees (Debian's chromium).

`.ci/run` installs chromium on a fresh machine. Without it the tests that need it fail under
CI (`CI` set) and are skipped elsewhere, with a message that says how to install it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
# Without a virtual-time budget headless Chromium captures before scripts have drawn anything.
VIRTUAL_TIME_BUDGET_MS = 15_000
PAGE_TIMEOUT_S = 120


def chromium_binary() -> str:
    """The path of a headless-capable Chromium, or skip the test saying how to get one."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    missing = "chromium not installed (apt-get install -y --no-install-recommends chromium)"
    if os.environ.get("CI"):
        pytest.fail(missing)
    pytest.skip(missing)


def _chromium(url: str, *mode: str, window: tuple[int, int]) -> subprocess.CompletedProcess[str]:
    command = [
        chromium_binary(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        f"--window-size={window[0]},{window[1]}",
        f"--virtual-time-budget={VIRTUAL_TIME_BUDGET_MS}",
        *mode,
        url,
    ]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=PAGE_TIMEOUT_S, check=True
    )


def page_url(target: str | Path) -> str:
    """A URL for a local file path, or the URL itself."""
    if isinstance(target, Path):
        return target.resolve().as_uri()
    return target


def rendered_dom(target: str | Path, window: tuple[int, int] = (1400, 900)) -> str:
    """The page's DOM after its scripts have run (`--dump-dom`), as HTML text."""
    return _chromium(page_url(target), "--dump-dom", window=window).stdout


def screenshot(target: str | Path, out: Path, window: tuple[int, int] = (1400, 900)) -> Path:
    """A PNG of the rendered page at `out`."""
    _chromium(page_url(target), f"--screenshot={out}", window=window)
    return out
