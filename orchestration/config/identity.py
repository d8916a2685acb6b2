"""Identity guard rails: the schema of rules/identity.yml and the `config.identity_*` tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from orchestration.config.loading import IdentityConfigError, load_yaml_config


class IdentityConfig(BaseModel):
    """How identifiers may join: blocked values, the shared-key cap, the fuzzy-match threshold."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    blocked_email_local_parts: tuple[str, ...] = ()
    blocked_values: tuple[str, ...] = ()
    user_blocked_values: tuple[str, ...] = ()
    max_people_per_key: int = Field(ge=1)
    match_threshold: float = Field(gt=0, lt=1)
    name_only_match_threshold: float = Field(gt=0, lt=1)
    cluster_size_warning: int = Field(ge=2)

    @field_validator("blocked_email_local_parts", "blocked_values", "user_blocked_values")
    @classmethod
    def _normalized(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        # compared with normalized keys (trim, lower case), so stored the same way
        return tuple(sorted({str(value).strip().lower() for value in values}))


IDENTITY_TABLE_COLUMNS: Mapping[str, Mapping[str, str]] = {
    "identity_blocked_values": {"block_kind": "varchar", "blocked_value": "varchar"},
    "identity_settings": {
        "max_people_per_key": "bigint",
        "match_threshold": "double",
        "name_only_match_threshold": "double",
    },
}


def load_identity_config(path: Path) -> IdentityConfig:
    """Read and validate the identity file; raise IdentityConfigError listing every problem."""
    return load_yaml_config(path, IdentityConfig, IdentityConfigError)


def identity_tables(config: IdentityConfig) -> dict[str, Sequence[Mapping[str, object]]]:
    """The rows of every `config.identity_*` table."""
    blocked = [
        *(
            {"block_kind": "email_local_part", "blocked_value": v}
            for v in config.blocked_email_local_parts
        ),
        *({"block_kind": "placeholder", "blocked_value": v} for v in config.blocked_values),
        *({"block_kind": "user_list", "blocked_value": v} for v in config.user_blocked_values),
    ]
    settings = [
        {
            "max_people_per_key": config.max_people_per_key,
            "match_threshold": config.match_threshold,
            "name_only_match_threshold": config.name_only_match_threshold,
        }
    ]
    return {"identity_blocked_values": blocked, "identity_settings": settings}
