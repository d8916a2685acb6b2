"""Reading a YAML settings file into its pydantic schema, with one error type and format.

The scoring rules (`rules/default.yml`) and the identity guard rails (`rules/identity.yml`)
are read the same way: the file's bytes, a YAML mapping, then the schema. Any problem raises
a `ConfigError` (a `RulesError` or an `IdentityConfigError`) that names the file and lists
every problem with its location (`engagement[1].activity: ...`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)


class ConfigError(ValueError):
    """A settings file that cannot be used; `problems` lists every error with its location."""

    kind: ClassVar[str] = "settings file"  # how the messages name the file

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: {len(problems)} problem(s)\n" + "\n".join(problems))


class RulesError(ConfigError):
    """A scoring rules file that cannot be used."""

    kind = "rules file"


class IdentityConfigError(ConfigError):
    """An identity guard-rails file that cannot be used."""

    kind = "identity file"


def location(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location as a path: `engagement[1].after.activity`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def read_yaml_mapping(path: Path, error: type[ConfigError]) -> tuple[bytes, dict[str, Any]]:
    """The file's bytes and its YAML mapping; `error` when unreadable, not YAML or no mapping."""
    try:
        content = path.read_bytes()
    except OSError as failure:
        raise error(path, [f"cannot read the {error.kind}: {failure.strerror}"]) from None
    try:
        document = yaml.safe_load(content)
    except yaml.YAMLError as failure:
        raise error(path, [f"not valid YAML: {failure}"]) from None
    if not isinstance(document, dict):
        raise error(path, [f"the {error.kind} must be a YAML mapping"])
    return content, document


def validate_document(
    path: Path, document: dict[str, Any], model: type[Model], error: type[ConfigError]
) -> Model:
    """`model` validated from the document; `error` listing every schema problem."""
    try:
        return model.model_validate(document)
    except ValidationError as failure:
        problems = [f"{location(item['loc'])}: {item['msg']}" for item in failure.errors()]
        raise error(path, problems) from None


def load_yaml_config(path: Path, model: type[Model], error: type[ConfigError]) -> Model:
    """Read and validate a settings file that is nothing but its schema."""
    _content, document = read_yaml_mapping(path, error)
    return validate_document(path, document, model, error)
