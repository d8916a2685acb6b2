"""Where trained models live: beside the warehouse, one folder per version, never in git."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import joblib

from orchestration.predictive.model import TrainedModel

CURRENT = "current.json"


def models_dir(warehouse_path: Path) -> Path:
    """`data/warehouse_models/` for `data/warehouse.duckdb`: two warehouses never share models."""
    return warehouse_path.with_name(f"{warehouse_path.stem}_models")


def save_model(folder: Path, model: TrainedModel, metadata: dict[str, Any]) -> Path:
    """Write `<version>/model.joblib` and `metadata.json`, then point `current.json` at it."""
    target = folder / model.model_version
    target.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, target / "model.joblib")
    (target / "metadata.json").write_text(json.dumps(metadata, indent=2, default=str))
    if model.trees is not None:
        model.trees.booster_.save_model(str(target / "lightgbm.txt"))
    partial = folder / f".{CURRENT}.partial"
    partial.write_text(json.dumps({"model_version": model.model_version}))
    partial.replace(folder / CURRENT)  # atomic: scoring sees the old or the new model
    return target


def load_current_model(folder: Path) -> TrainedModel | None:
    """The model `current.json` names, or None when none was trained yet."""
    pointer = folder / CURRENT
    if not pointer.is_file():
        return None
    version = json.loads(pointer.read_text())["model_version"]
    # our own file, written by save_model (joblib.load is untyped)
    return cast(TrainedModel, joblib.load(folder / version / "model.joblib"))


def load_metadata(folder: Path, version: str | None = None) -> dict[str, Any] | None:
    """A model's metadata (the current one by default), or None."""
    if version is None:
        pointer = folder / CURRENT
        if not pointer.is_file():
            return None
        version = json.loads(pointer.read_text())["model_version"]
    path = folder / version / "metadata.json"
    return json.loads(path.read_text()) if path.is_file() else None
