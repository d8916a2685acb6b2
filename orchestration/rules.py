"""The scoring rules file: its schema, validation, and the config tables dbt joins.

Rules are data. The YAML file is validated into typed objects before anything runs and then
written, through bound parameters, into the warehouse's `config` schema.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

# The touchpoint activities dbt emits (int_touchpoints__unioned), plus the session rule.
ACTIVITIES = frozenset(
    {
        "page_view", "pricing_page_view", "product_page_view", "case_study_view",
        "careers_page_view", "blog_view", "contact_page_view", "home_view",
        "brochure_download", "whitepaper_download", "contact_form", "quote_request",
        "demo_request", "chat_started", "chat_message", "newsletter_signup",
        "webinar_registered", "webinar_attended", "other", "email_delivered", "email_open",
        "email_click", "email_unsubscribe", "email_resubscribe", "email_spamreport",
        "support_ticket", "social_form", "social_reaction", "social_comment", "booth_scan",
        "sales_call", "sales_meeting", "sales_demo", "sales_email", "sales_other",
        "long_session",
    }
)  # fmt: skip
BANDS = ("hot", "warm", "cold")
FIT_GRADES = ("A", "B", "C", "D")
ENGAGEMENT_TIERS = ("1", "2", "3")


class RulesError(ValueError):
    """A rules file that cannot be used; `problems` lists every error with its location."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: {len(problems)} problem(s)\n" + "\n".join(problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


RuleId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]


class Sessions(_Strict):
    gap_minutes: int = Field(gt=0)
    long_session_minutes: int = Field(gt=0)


class EngagementRule(_Strict):
    id: RuleId
    activity: str
    points: float
    description: str = ""

    @field_validator("activity")
    @classmethod
    def _known_activity(cls, value: str) -> str:
        if value not in ACTIVITIES:
            raise ValueError(f"unknown activity {value!r}; known: {', '.join(sorted(ACTIVITIES))}")
        return value


class FitRule(_Strict):
    id: RuleId
    field: Literal["industry", "employee_count", "title", "email_domain", "country"]
    in_list: list[str] | None = None
    between: tuple[float, float] | None = None
    pattern: str | None = None
    points: float = 0
    disqualify: bool = False
    exclusive_group: str | None = None
    priority: int = 1
    description: str = ""

    @model_validator(mode="after")
    def _one_matcher(self) -> FitRule:
        given = [m for m in ("in_list", "between", "pattern") if getattr(self, m) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of in_list, between, pattern")
        if self.between is not None and self.between[0] > self.between[1]:
            raise ValueError("between: the lower bound is above the upper bound")
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as error:
                raise ValueError(f"pattern is not a valid regular expression: {error}") from None
        return self

    @property
    def match(self) -> str:
        return next(m for m in ("in_list", "between", "pattern") if getattr(self, m) is not None)


class Grades(_Strict):
    fit: dict[Literal["A", "B", "C"], float]
    engagement: dict[Literal["1", "2"], float]


class Bands(_Strict):
    hot: list[str]
    warm: list[str]
    otherwise: Literal["hot", "warm", "cold"] = "cold"

    @field_validator("hot", "warm")
    @classmethod
    def _grid_cells(cls, cells: list[str]) -> list[str]:
        for cell in cells:
            if len(cell) != 2 or cell[0] not in FIT_GRADES or cell[1] not in ENGAGEMENT_TIERS:
                raise ValueError(f"{cell!r} is not a grid cell like A1 (grade A-D, tier 1-3)")
        return cells


class Alerts(_Strict):
    thresholds: list[float]


class RuleSet(_Strict):
    sessions: Sessions
    engagement: list[EngagementRule]
    fit: list[FitRule] = []
    grades: Grades
    bands: Bands
    alerts: Alerts = Alerts(thresholds=[])
    rules_version: str = ""

    @model_validator(mode="after")
    def _unique_ids(self) -> RuleSet:
        ids = [rule.id for rule in [*self.engagement, *self.fit]]
        duplicated = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
        if duplicated:
            raise ValueError(f"rule ids must be unique; repeated: {', '.join(duplicated)}")
        return self


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def load_rules(path: Path) -> RuleSet:
    """Read and validate a rules file; raise RulesError listing every problem."""
    try:
        content = path.read_bytes()
    except OSError as error:
        raise RulesError(path, [f"cannot read the rules file: {error.strerror}"]) from None
    try:
        document = yaml.safe_load(content)
    except yaml.YAMLError as error:
        raise RulesError(path, [f"not valid YAML: {error}"]) from None
    if not isinstance(document, dict):
        raise RulesError(path, ["the rules file must be a YAML mapping"])
    version = hashlib.sha256(content).hexdigest()[:12]
    try:
        return RuleSet.model_validate({**document, "rules_version": version})
    except ValidationError as error:
        problems = [f"{_location(e['loc'])}: {e['msg']}" for e in error.errors()]
        raise RulesError(path, problems) from None


def config_tables(rules: RuleSet) -> dict[str, list[dict[str, object]]]:
    """The rows of every `config.*` table dbt reads, keyed by table name."""
    grade_rows = [
        {"scale": "fit_grade", "label": label, "min_score": rules.grades.fit.get(label)}
        for label in FIT_GRADES
    ] + [
        {
            "scale": "engagement_tier",
            "label": label,
            "min_score": rules.grades.engagement.get(label),
        }
        for label in ENGAGEMENT_TIERS
    ]
    band_of = {cell: "hot" for cell in rules.bands.hot} | {
        cell: "warm" for cell in rules.bands.warm
    }
    return {
        "engagement_rules": [
            {
                "rule_id": rule.id,
                "rule_group": "engagement",
                "activity": rule.activity,
                "points": rule.points,
                "description": rule.description,
            }
            for rule in rules.engagement
        ],
        "fit_rules": [
            {
                "rule_id": rule.id,
                "rule_group": "fit",
                "field": rule.field,
                "match": rule.match,
                "list_values": rule.in_list,
                "min_value": rule.between[0] if rule.between else None,
                "max_value": rule.between[1] if rule.between else None,
                "pattern": rule.pattern,
                "exclusive_group": rule.exclusive_group,
                "priority": rule.priority,
                "points": rule.points,
                "is_disqualifier": rule.disqualify,
                "description": rule.description,
            }
            for rule in rules.fit
        ],
        "grade_thresholds": grade_rows,
        "bands": [
            {"grid_cell": grade + tier, "band": band_of.get(grade + tier, rules.bands.otherwise)}
            for grade in FIT_GRADES
            for tier in ENGAGEMENT_TIERS
        ],
        "alert_thresholds": [{"threshold": value} for value in rules.alerts.thresholds],
        "rule_settings": [
            {
                "rules_version": rules.rules_version,
                "session_gap_minutes": rules.sessions.gap_minutes,
                "long_session_minutes": rules.sessions.long_session_minutes,
            }
        ],
    }


# Column types of the config tables; the only identifiers ever put into SQL text here.
CONFIG_TABLE_COLUMNS: dict[str, dict[str, str]] = {
    "engagement_rules": {
        "rule_id": "varchar", "rule_group": "varchar", "activity": "varchar",
        "points": "double", "description": "varchar",
    },
    "fit_rules": {
        "rule_id": "varchar", "rule_group": "varchar", "field": "varchar", "match": "varchar",
        "list_values": "varchar[]", "min_value": "double", "max_value": "double",
        "pattern": "varchar", "exclusive_group": "varchar", "priority": "integer",
        "points": "double", "is_disqualifier": "boolean", "description": "varchar",
    },
    "grade_thresholds": {"scale": "varchar", "label": "varchar", "min_score": "double"},
    "bands": {"grid_cell": "varchar", "band": "varchar"},
    "alert_thresholds": {"threshold": "double"},
    "rule_settings": {
        "rules_version": "varchar", "session_gap_minutes": "integer",
        "long_session_minutes": "integer",
    },
}  # fmt: skip
