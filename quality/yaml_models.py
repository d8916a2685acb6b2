"""Reading a YAML file into a pydantic model, with every problem named by its location."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)


def load_yaml_model(
    path: Path, model: type[Model], error: type[ValueError], **fields: Any
) -> Model:
    """`model(**fields, **<the file's mapping>)`, or `error` naming the file and each problem."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return model(**fields, **document)
    except (OSError, yaml.YAMLError, TypeError) as failure:
        raise error(f"{path}: cannot read it: {failure}") from None
    except ValidationError as failure:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}"
            for item in failure.errors()
        )
        raise error(f"{path}: {problems}") from None
