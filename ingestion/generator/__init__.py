"""Synthetic landing-zone generator: realistic, dirty multichannel exports plus ground truth."""

from ingestion.generator.landing import (
    GenerationSummary,
    LandingZoneNotEmptyError,
    generate_landing_zone,
    truth_dir_for,
)

__all__ = [
    "GenerationSummary",
    "LandingZoneNotEmptyError",
    "generate_landing_zone",
    "truth_dir_for",
]
