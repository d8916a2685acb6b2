"""What the fakes serve: the JSON object pages of a landing folder, and the fake API shape."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

Page = dict[str, Any]
Answer = tuple[int, dict[str, Any]]


def json_pages(folder: Path) -> list[Page]:
    """The JSON object pages of a landing folder, by file name (what the API would page)."""
    pages = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            document = json.loads(path.read_bytes())
        except ValueError:
            continue  # a broken file is a files-mode fault; an API never sends one
        if isinstance(document, dict):
            pages.append(document)
    return pages


class FakeApi(Protocol):
    def authorized(self, headers: Mapping[str, str]) -> bool: ...

    def answer(self, path: str, params: Mapping[str, str], base_url: str) -> Answer: ...
