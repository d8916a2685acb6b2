"""The freshness, volume and score-drift thresholds of quality/freshness.yml."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from quality.yaml_models import load_yaml_model

DEFAULT_THRESHOLDS_PATH = Path(__file__).resolve().parent / "freshness.yml"


class ThresholdsError(ValueError):
    """A thresholds file that cannot be read or does not follow the schema."""


class VolumeThresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    recent_loads: int = Field(14, ge=2)
    min_loads: int = Field(5, ge=2)
    mad_k: float = Field(5, gt=0)
    min_relative_band: float = Field(0.2, ge=0)


class ScoreThresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    psi_warn: float = Field(0.25, gt=0)
    hot_jump_ratio: float = Field(1.5, gt=1)
    hot_jump_min_leads: int = Field(5, ge=0)
    max_daily_move: float = Field(40, gt=0)


class QualityThresholds(BaseModel):
    """Per-source silence limits (hours; None: not monitored), volume and score limits."""

    model_config = ConfigDict(extra="forbid")

    max_silence_hours: dict[str, float | None] = {}
    volume: VolumeThresholds = VolumeThresholds()
    scores: ScoreThresholds = ScoreThresholds()

    def monitored_sources(self) -> dict[str, float]:
        """Sources with a silence limit, as the dbt var `source_max_silence_hours` wants."""
        return {source: hours for source, hours in self.max_silence_hours.items() if hours}


def load_thresholds(path: Path = DEFAULT_THRESHOLDS_PATH) -> QualityThresholds:
    """Read and validate the thresholds file."""
    return load_yaml_model(path, QualityThresholds, ThresholdsError)
