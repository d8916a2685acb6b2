"""The fixed backdrop of one landing zone: window, email sends, LinkedIn posts and forms, fairs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from ingestion.generator import vocab
from ingestion.generator.clock import DAY, HOUR, day_start_ms
from ingestion.generator.ids import ABOVE_2_53


@dataclass(frozen=True, slots=True)
class EmailSend:
    at: int
    campaign_id: int
    name: str
    category: str


@dataclass(frozen=True, slots=True)
class Post:
    urn: str
    published: int


@dataclass(frozen=True, slots=True)
class FormQuestion:
    question_id: int
    name: str
    predefined_field: str | None
    options: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LeadForm:
    form_id: int
    version_id: int
    name: str
    state: str
    questions: tuple[FormQuestion, ...]


@dataclass(frozen=True, slots=True)
class BoothEvent:
    slug: str
    city: str
    offset_minutes: int
    starts: int  # 00:00 local of the first day, as epoch ms


@dataclass(frozen=True, slots=True)
class World:
    start_date: date
    end_date: date
    start: int  # first ms of the window
    end: int  # last ms of the window
    last_activity: int  # latest instant a person acts (leaves room for delivery latency)
    sends: tuple[EmailSend, ...]
    posts: tuple[Post, ...]
    forms: tuple[LeadForm, ...]
    booth_events: tuple[BoothEvent, ...]

    @property
    def span(self) -> int:
        return self.last_activity - self.start


def _forms() -> tuple[LeadForm, ...]:
    timeline = ("This quarter", "Next 6 months", "Later", "Just researching")
    sizes = ("1-10", "11-50", "51-200", "201-1000", "1001-5000", "5001+")
    big = ABOVE_2_53
    demo = (
        FormQuestion(big + 11, "First name", "FIRST_NAME"),
        FormQuestion(big + 12, "Last name", "LAST_NAME"),
        FormQuestion(big + 13, "Work email", "WORK_EMAIL"),
        FormQuestion(big + 14, "Company name", "COMPANY_NAME"),
        FormQuestion(big + 15, "Job title", "JOB_TITLE"),
        FormQuestion(big + 16, "Country/Region", "COUNTRY"),
        FormQuestion(big + 17, "When do you plan to buy?", None, timeline),
    )
    guide = (
        FormQuestion(4_410_001, "First name", "FIRST_NAME"),
        FormQuestion(4_410_002, "Last name", "LAST_NAME"),
        FormQuestion(4_410_003, "Email address", "EMAIL"),
        FormQuestion(4_410_004, "Company name", "COMPANY_NAME"),
        FormQuestion(4_410_005, "Company size", "COMPANY_SIZE", sizes),
    )
    webinar = (
        FormQuestion(5_520_001, "First name", "FIRST_NAME"),
        FormQuestion(5_520_002, "Last name", "LAST_NAME"),
        FormQuestion(5_520_003, "Email address", "EMAIL"),
        FormQuestion(5_520_004, "Work email", "WORK_EMAIL"),
        FormQuestion(5_520_005, "Job title", "JOB_TITLE"),
    )
    german = (
        FormQuestion(big + 101, "Vorname", "FIRST_NAME"),
        FormQuestion(big + 102, "Nachname", "LAST_NAME"),
        FormQuestion(big + 103, "Geschäftliche E-Mail-Adresse", "WORK_EMAIL"),
        FormQuestion(big + 104, "Unternehmen", "COMPANY_NAME"),
        FormQuestion(big + 105, "Position", "JOB_TITLE"),
        FormQuestion(big + 106, "Wie viele Mitarbeitende?", None, sizes),
    )
    return (
        LeadForm(big + 2_001, 1, "Brightlane demo request", "PUBLISHED", demo),
        LeadForm(6_940_213_355_876_112, 1, "Lead scoring guide", "ARCHIVED", guide[:4]),
        LeadForm(6_940_213_355_876_112, 2, "Lead scoring guide", "PUBLISHED", guide),
        LeadForm(6_950_000_000_000_321, 1, "Webinar: scoring in practice", "PUBLISHED", webinar),
        LeadForm(big + 3_003, 1, "Leitfaden Lead Scoring", "PUBLISHED", german),
    )


def build_world(seed: int, start_date: date, end_date: date) -> World:
    """The backdrop for a window [start_date, end_date] (UTC days, both included)."""
    rng = Random(f"{seed}:world")
    start = day_start_ms(start_date)
    end = day_start_ms(end_date + timedelta(days=1)) - 1
    days = (end_date - start_date).days + 1
    sends = tuple(
        EmailSend(
            at=start + offset * DAY + 14 * HOUR + rng.randrange(0, HOUR),
            campaign_id=8_100_000 + number,
            name=f"Newsletter #{number + 1}"
            if number % 3
            else f"Product update #{number // 3 + 1}",
            category="newsletter" if number % 3 else "product_update",
        )
        for number, offset in enumerate(range(2, days, 13))
    )
    kinds = ("activity", "ugcPost", "share")
    posts = tuple(
        Post(
            urn=f"urn:li:{kinds[number % 3]}:{7_200_000_000_000_000_000 + rng.getrandbits(50)}",
            published=start + int(rng.random() * max(days - 1, 1) * DAY),
        )
        for number in range(max(6, days // 4))
    )
    booth_events = tuple(
        BoothEvent(
            slug=f"{stem}-{(start_date + timedelta(days=int(position * days))).year}",
            city=city,
            offset_minutes=offset,
            starts=start + int(position * days) * DAY - offset * 60_000,
        )
        for stem, city, offset, position in vocab.BOOTH_EVENTS
        if days >= 3
    )
    return World(
        start_date=start_date,
        end_date=end_date,
        start=start,
        end=end,
        last_activity=end - 3 * HOUR,
        sends=sends,
        posts=tuple(sorted(posts, key=lambda post: post.published)),
        forms=_forms(),
        booth_events=booth_events,
    )
