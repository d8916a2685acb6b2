"""The scoring rules file: its schema, validation, and the config tables dbt joins.

Rules are data. The YAML file is validated into typed objects before anything runs and then
written, through bound parameters, into the warehouse's `config` schema; no value of the file
is ever pasted into SQL text.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from orchestration.config.activities import ACTIVITIES_SEED_PATH, known_activities
from orchestration.config.loading import RulesError, read_yaml_mapping, validate_document

CHANNELS = ("web", "email", "social", "support", "event", "sales", "direct_mail")
BANDS = ("hot", "warm", "cold")
FIT_GRADES = ("A", "B", "C", "D")
ENGAGEMENT_TIERS = ("1", "2", "3")
# The engagement rules' group when a rule names none; also the group of fit rules.
DEFAULT_ENGAGEMENT_GROUP = "engagement"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


RuleId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]


def _check_pattern(pattern: str | None) -> str | None:
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(f"not a valid regular expression: {error}") from None
    return pattern


def _check_activity(activity: str | None, info: ValidationInfo) -> str | None:
    """An activity that cannot happen (not in the activities seed) is an error naming the rule."""
    known = known_activities()
    if activity is not None and activity not in known:
        rule = f" in rule {info.data['id']!r}" if "id" in info.data else ""
        raise ValueError(
            f"unknown activity {activity!r}{rule}: no touchpoint can have it; known activities "
            f"({ACTIVITIES_SEED_PATH.name}): {', '.join(sorted(known))}"
        )
    return activity


# A regular expression, matched case-insensitively anywhere in the text (use ^...$ to anchor).
Pattern = Annotated[str, Field(min_length=1)]


class Sessions(_Strict):
    gap_minutes: int = Field(gt=0)
    long_session_minutes: int = Field(gt=0)


class Cap(_Strict):
    """At most `max_points` (face value, before decay), in any `window_days` (or in all)."""

    max_points: float = Field(gt=0)
    window_days: int | None = Field(default=None, gt=0)


class After(_Strict):
    """Context: the rule needs the lead's `activity` within `within_minutes` before."""

    activity: str
    within_minutes: int = Field(gt=0)


class PointOverride(_Strict):
    """Other points for touchpoints of a campaign, or for leads of a segment (a fit rule)."""

    campaign: Pattern | None = None
    segment: RuleId | None = None
    points: float

    _campaign = field_validator("campaign")(lambda value: _check_pattern(value))

    @model_validator(mode="after")
    def _one_condition(self) -> PointOverride:
        if (self.campaign is None) == (self.segment is None):
            raise ValueError("give exactly one of campaign, segment")
        return self


class EngagementRule(_Strict):
    id: RuleId
    points: float
    description: str = ""
    group: RuleId = DEFAULT_ENGAGEMENT_GROUP
    # what a touchpoint must be; every condition given must hold
    activity: str | None = None
    channel: list[Literal[CHANNELS]] | None = None  # type: ignore[valid-type]
    page_path: Pattern | None = None
    url: Pattern | None = None
    event_name: Pattern | None = None
    detail: Pattern | None = None
    campaign: Pattern | None = None
    duration_over_seconds: int | None = Field(default=None, ge=0)
    after: After | None = None
    # a touchpoint earns only the best (lowest priority) matching rule of an exclusive group
    exclusive_group: RuleId | None = None
    priority: int = 1
    cap: Cap | None = None
    overrides: list[PointOverride] = []

    _activity = field_validator("activity")(_check_activity)
    _patterns = field_validator("page_path", "url", "event_name", "detail", "campaign")(
        lambda value: _check_pattern(value)
    )

    @field_validator("after")
    @classmethod
    def _after_activity_can_happen(cls, after: After | None, info: ValidationInfo) -> After | None:
        if after is not None:
            _check_activity(after.activity, info)
        return after

    @model_validator(mode="after")
    def _some_condition(self) -> EngagementRule:
        conditions = ("activity", "channel", "page_path", "url", "event_name", "detail", "campaign")
        if all(getattr(self, name) is None for name in conditions):
            raise ValueError(f"give at least one of {', '.join(conditions)}")
        if self.activity == "long_session" and any(
            getattr(self, name) is not None for name in conditions[1:]
        ):
            raise ValueError("a long_session rule takes no other touchpoint condition")
        return self


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


class DecayStep(_Strict):
    after_days: float = Field(ge=0)
    factor: float = Field(ge=0, le=1)


class Decay(_Strict):
    """How an engagement point loses value with age (from the event to the as-of instant).

    `half_life`: points x 0.5^(age_days / half_life_days). `steps`: points x the factor of
    the last step whose after_days the age has reached (1 before the first). `none`: full value.
    """

    model: Literal["none", "half_life", "steps"]
    half_life_days: float | None = Field(default=None, gt=0)
    steps: list[DecayStep] = []

    @model_validator(mode="after")
    def _parameters_fit_model(self) -> Decay:
        if (self.model == "half_life") != (self.half_life_days is not None):
            raise ValueError("half_life_days is required with model half_life, and only there")
        if (self.model == "steps") != bool(self.steps):
            raise ValueError("steps are required with model steps, and only there")
        days = [step.after_days for step in self.steps]
        if days != sorted(set(days)):
            raise ValueError("steps: after_days must be increasing")
        return self


class DecaySettings(_Strict):
    default: Decay
    groups: dict[RuleId, Decay] = {}


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
    # thresholds that also alert leads already above them when the threshold is added
    backfill: list[float] = []

    @model_validator(mode="after")
    def _backfill_known(self) -> Alerts:
        unknown = sorted(set(self.backfill) - set(self.thresholds))
        if unknown:
            raise ValueError(f"backfill names thresholds not in thresholds: {unknown}")
        return self


class LeadOverride(_Strict):
    """A salesperson's word on one lead, applied after scoring and shown as a reason."""

    lead: Annotated[str, Field(min_length=1)]  # an email or a lead_id
    band: Literal["hot", "warm", "cold"] | None = None
    score: float | None = None
    reason: Annotated[str, Field(min_length=1)]
    by: Annotated[str, Field(min_length=1)]
    until: date | None = None  # last day the override holds; none = until removed

    @model_validator(mode="after")
    def _band_or_score(self) -> LeadOverride:
        if self.band is None and self.score is None:
            raise ValueError("give band, score or both")
        return self


class RoutingRule(_Strict):
    """Leads matching every list given go to `team`; the first matching rule wins."""

    country: list[str] | None = None  # territory
    industry: list[str] | None = None  # skill
    team: RuleId

    @model_validator(mode="after")
    def _some_condition(self) -> RoutingRule:
        if self.country is None and self.industry is None:
            raise ValueError("give country, industry or both")
        return self


class Routing(_Strict):
    teams: dict[RuleId, list[Annotated[str, Field(min_length=1)]]]
    rules: list[RoutingRule] = []
    default_team: RuleId | None = None

    @model_validator(mode="after")
    def _teams_known(self) -> Routing:
        named = [rule.team for rule in self.rules] + [self.default_team or next(iter(self.teams))]
        unknown = sorted(set(named) - set(self.teams))
        if unknown:
            raise ValueError(f"unknown team(s): {', '.join(unknown)}")
        empty = sorted(team for team, members in self.teams.items() if not members)
        if empty:
            raise ValueError(f"team(s) without members: {', '.join(empty)}")
        return self


class RuleSet(_Strict):
    sessions: Sessions
    engagement: list[EngagementRule]
    fit: list[FitRule] = []
    decay: DecaySettings
    group_caps: dict[RuleId, Cap] = {}
    grades: Grades
    bands: Bands
    alerts: Alerts = Alerts(thresholds=[])
    overrides: list[LeadOverride] = []
    routing: Routing | None = None
    rules_version: str = ""

    @model_validator(mode="after")
    def _references_resolve(self) -> RuleSet:
        ids = [rule.id for rule in self.engagement] + [rule.id for rule in self.fit]
        duplicated = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
        if duplicated:
            raise ValueError(f"rule ids must be unique; repeated: {', '.join(duplicated)}")
        groups = {rule.group for rule in self.engagement}
        for name, named in (("decay.groups", self.decay.groups), ("group_caps", self.group_caps)):
            unknown = sorted(set(named) - groups)
            if unknown:
                raise ValueError(f"{name} names no engagement rule group: {', '.join(unknown)}")
        fit_ids = {rule.id for rule in self.fit}
        segments = {o.segment for rule in self.engagement for o in rule.overrides if o.segment}
        if segments - fit_ids:
            listed = ", ".join(sorted(segments - fit_ids))
            raise ValueError(f"overrides: segment must be a fit rule id; unknown: {listed}")
        return self


def load_rules(path: Path) -> RuleSet:
    """Read and validate a rules file; raise RulesError listing every problem."""
    content, document = read_yaml_mapping(path, RulesError)
    version = hashlib.sha256(content).hexdigest()[:12]
    return validate_document(path, {**document, "rules_version": version}, RuleSet, RulesError)


def rules_json_schema() -> str:
    """The JSON schema of a rules file (editors complete and check YAML with it)."""
    schema: dict[str, Any] = RuleSet.model_json_schema(mode="validation")
    schema["properties"].pop("rules_version", None)  # computed, never written by hand
    schema["title"] = "leadscore scoring rules"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def _decay_rows(group: str | None, decay: Decay) -> list[dict[str, object]]:
    return [{"rule_group": group, "model": decay.model, "half_life_days": decay.half_life_days}]


def _step_rows(group: str | None, decay: Decay) -> list[dict[str, object]]:
    return [
        {"rule_group": group, "after_days": step.after_days, "factor": step.factor}
        for step in decay.steps
    ]


def config_tables(rules: RuleSet) -> dict[str, list[dict[str, object]]]:
    """The rows of every `config.*` table dbt reads, keyed by table name."""
    # keyed by the labels that have a minimum: the lowest grade and tier read None
    fit_minimum: dict[str, float] = dict(rules.grades.fit.items())
    engagement_minimum: dict[str, float] = dict(rules.grades.engagement.items())
    grade_rows: list[dict[str, object]] = [
        {"scale": "fit_grade", "label": label, "min_score": fit_minimum.get(label)}
        for label in FIT_GRADES
    ]
    grade_rows += [
        {
            "scale": "engagement_tier",
            "label": label,
            "min_score": engagement_minimum.get(label),
        }
        for label in ENGAGEMENT_TIERS
    ]
    band_of = {cell: "hot" for cell in rules.bands.hot} | {
        cell: "warm" for cell in rules.bands.warm
    }
    decays = [(None, rules.decay.default), *rules.decay.groups.items()]
    routing = rules.routing
    default_team = (routing.default_team or next(iter(routing.teams), None)) if routing else None
    return {
        "engagement_rules": [
            {
                "rule_id": rule.id,
                "rule_group": rule.group,
                "activity": rule.activity,
                "channels": rule.channel,
                "page_path_pattern": rule.page_path,
                "url_pattern": rule.url,
                "event_name_pattern": rule.event_name,
                "detail_pattern": rule.detail,
                "campaign_pattern": rule.campaign,
                "duration_over_seconds": rule.duration_over_seconds,
                "after_activity": rule.after.activity if rule.after else None,
                "after_within_minutes": rule.after.within_minutes if rule.after else None,
                "exclusive_group": rule.exclusive_group,
                "priority": rule.priority,
                "points": rule.points,
                "cap_max_points": rule.cap.max_points if rule.cap else None,
                "cap_window_days": rule.cap.window_days if rule.cap else None,
                "description": rule.description,
            }
            for rule in rules.engagement
        ],
        "point_overrides": [
            {
                "rule_id": rule.id,
                "position": position,
                "campaign_pattern": override.campaign,
                "segment_rule_id": override.segment,
                "points": override.points,
            }
            for rule in rules.engagement
            for position, override in enumerate(rule.overrides, start=1)
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
        "group_caps": [
            {"rule_group": group, "max_points": cap.max_points, "window_days": cap.window_days}
            for group, cap in rules.group_caps.items()
        ],
        "decay": [row for group, decay in decays for row in _decay_rows(group, decay)],
        "decay_steps": [row for group, decay in decays for row in _step_rows(group, decay)],
        "grade_thresholds": grade_rows,
        "bands": [
            {"grid_cell": grade + tier, "band": band_of.get(grade + tier, rules.bands.otherwise)}
            for grade in FIT_GRADES
            for tier in ENGAGEMENT_TIERS
        ],
        "alert_thresholds": [
            {"threshold": value, "is_backfill": value in rules.alerts.backfill}
            for value in rules.alerts.thresholds
        ],
        "lead_overrides": [
            {
                "lead_key": override.lead,
                "band": override.band,
                "score": override.score,
                "reason": override.reason,
                "overridden_by": override.by,
                "valid_until": override.until,
            }
            for override in rules.overrides
        ],
        "routing_rules": [
            {
                "position": position,
                "countries": rule.country,
                "industries": rule.industry,
                "team": rule.team,
            }
            for position, rule in enumerate(routing.rules if routing else [], start=1)
        ],
        "routing_teams": [
            {
                "team": team,
                "member": member,
                "position": position,
                "is_default": team == default_team,
            }
            for team, members in (routing.teams.items() if routing else [])
            for position, member in enumerate(members, start=1)
        ],
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
        "channels": "varchar[]", "page_path_pattern": "varchar", "url_pattern": "varchar",
        "event_name_pattern": "varchar", "detail_pattern": "varchar",
        "campaign_pattern": "varchar", "duration_over_seconds": "integer",
        "after_activity": "varchar", "after_within_minutes": "integer",
        "exclusive_group": "varchar", "priority": "integer", "points": "double",
        "cap_max_points": "double", "cap_window_days": "integer", "description": "varchar",
    },
    "point_overrides": {
        "rule_id": "varchar", "position": "integer", "campaign_pattern": "varchar",
        "segment_rule_id": "varchar", "points": "double",
    },
    "fit_rules": {
        "rule_id": "varchar", "rule_group": "varchar", "field": "varchar", "match": "varchar",
        "list_values": "varchar[]", "min_value": "double", "max_value": "double",
        "pattern": "varchar", "exclusive_group": "varchar", "priority": "integer",
        "points": "double", "is_disqualifier": "boolean", "description": "varchar",
    },
    "group_caps": {"rule_group": "varchar", "max_points": "double", "window_days": "integer"},
    "decay": {"rule_group": "varchar", "model": "varchar", "half_life_days": "double"},
    "decay_steps": {"rule_group": "varchar", "after_days": "double", "factor": "double"},
    "grade_thresholds": {"scale": "varchar", "label": "varchar", "min_score": "double"},
    "bands": {"grid_cell": "varchar", "band": "varchar"},
    "alert_thresholds": {"threshold": "double", "is_backfill": "boolean"},
    "lead_overrides": {
        "lead_key": "varchar", "band": "varchar", "score": "double", "reason": "varchar",
        "overridden_by": "varchar", "valid_until": "date",
    },
    "routing_rules": {
        "position": "integer", "countries": "varchar[]", "industries": "varchar[]",
        "team": "varchar",
    },
    "routing_teams": {
        "team": "varchar", "member": "varchar", "position": "integer", "is_default": "boolean",
    },
    "rule_settings": {
        "rules_version": "varchar", "session_gap_minutes": "integer",
        "long_session_minutes": "integer",
    },
}  # fmt: skip
