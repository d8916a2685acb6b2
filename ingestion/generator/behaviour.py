"""What one person does over the window: sessions, emails, tickets, social, fairs, sales.

Everything here is vendor-neutral (instants in epoch ms); `shapes` turns it into payloads.
Conversion is a logistic function of fit and of the intent actions the person actually took
before converting, so scoring has a real signal to find.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from random import Random

from ingestion.generator import vocab
from ingestion.generator.clock import DAY, HOUR, MINUTE, sample_poisson
from ingestion.generator.ids import uuid_like
from ingestion.generator.people import Person
from ingestion.generator.world import World

CAPTURE_EVENTS = frozenset(
    {
        "Newsletter Subscribed",
        "Whitepaper Downloaded",
        "Brochure Downloaded",
        "Webinar Registered",
        "Contact Form Submitted",
        "Quote Requested",
        "Demo Requested",
    }
)
STRONG_EVENTS = frozenset({"Contact Form Submitted", "Quote Requested", "Demo Requested"})


@dataclass(slots=True)
class Browser:
    anonymous_id: str
    user_agent: str
    ip: str
    locale: str
    offset_minutes: int


@dataclass(slots=True)
class Hit:
    at: int
    kind: str  # page | track | identify
    browser: int
    path: str = ""
    title: str = ""
    name: str = ""
    campaign: tuple[str, str, str] | None = None  # (source, medium, name)
    referrer: str = ""
    properties: dict[str, object] | None = None
    server_side: bool = False
    user_id: str | None = None


@dataclass(slots=True)
class MailEvent:
    at: int
    event: str
    send: int  # index into world.sends
    message: str
    url: str = ""
    machine: bool = False


@dataclass(slots=True)
class TicketPlan:
    kind: str
    created: int
    versions: list[tuple[int, str]]  # (updated_at, status)
    channel: str
    priority: str
    assignee: int
    subject: str


@dataclass(slots=True)
class VersionedPlan:
    """A reaction or comment: created once, possibly changed later (same id)."""

    post: int
    created: int
    versions: list[tuple[int, str]]  # (last_modified, reaction type or text)


@dataclass(slots=True)
class ResponsePlan:
    form: int
    submitted: int
    answers: dict[str, str]


@dataclass(slots=True)
class ScanPlan:
    event: int
    at: int
    rating: str
    with_email: bool
    notes: str
    timeline: str
    budget: str


@dataclass(slots=True)
class TaskPlan:
    created: int
    task_type: str
    subject: str
    duration: int | None
    to_contact: bool


@dataclass(slots=True)
class LeadPlan:
    created: int
    source: str
    versions: list[tuple[int, str]]  # (last_modified, status)
    converted_at: int | None = None
    duplicate: tuple[int, int] | None = None  # (created, merged) of a lead merged into this one


@dataclass(slots=True)
class OpportunityPlan:
    created: int
    amount: float
    versions: list[tuple[int, str]]  # (last_modified, stage)


@dataclass(slots=True)
class Journey:
    person: Person | None
    browsers: list[Browser] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    user_id: str | None = None
    identified_browsers: set[int] = field(default_factory=set)
    mails: list[MailEvent] = field(default_factory=list)
    apple_mail: bool = False
    tickets: list[TicketPlan] = field(default_factory=list)
    linkedin: bool = False
    reactions: list[VersionedPlan] = field(default_factory=list)
    comments: list[VersionedPlan] = field(default_factory=list)
    responses: list[ResponsePlan] = field(default_factory=list)
    scans: list[ScanPlan] = field(default_factory=list)
    lead: LeadPlan | None = None
    tasks: list[TaskPlan] = field(default_factory=list)
    opportunity: OpportunityPlan | None = None
    intent_times: list[int] = field(default_factory=list)
    email_known_at: int | None = None
    is_won: bool = False

    @property
    def converted_at(self) -> int | None:
        return self.lead.converted_at if self.lead else None


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))


def _browser(rng: Random, person: Person | None) -> Browser:
    row = person.company.country_row if person else rng.choice(vocab.COUNTRIES)
    octets = (rng.randrange(11, 223), rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))
    ip = ".".join(map(str, octets))
    return Browser(uuid_like(rng), rng.choice(vocab.USER_AGENTS), ip, row[4], row[3])


def _pick_page(rng: Random, intent: float, careers_bias: float) -> tuple[str, str]:
    roll = rng.random() * (1.0 + intent * 0.9 + careers_bias)
    if roll < 0.16:
        return vocab.HOME_PAGE
    if roll < 0.40:
        return rng.choice(vocab.BLOG_POSTS)
    if roll < 0.55:
        return rng.choice(vocab.OTHER_PAGES)
    if roll < 0.74:
        return rng.choice(vocab.PRODUCT_PAGES)
    if roll < 0.82:
        return vocab.PRICING_PAGE
    if roll < 0.87:
        return rng.choice(vocab.CASE_STUDIES)
    if roll < 0.90:
        return vocab.CONTACT_PAGE
    if roll < 1.0:
        return rng.choice(vocab.CAREERS_PAGES) if rng.random() < 0.3 else vocab.HOME_PAGE
    if roll < 1.0 + intent * 0.9:
        return rng.choice(
            (vocab.PRICING_PAGE, vocab.PRICING_PAGE, vocab.CONTACT_PAGE, *vocab.CASE_STUDIES)
        )
    return rng.choice(vocab.CAREERS_PAGES)


def _tracks_after_page(rng: Random, path: str, intent: float, signed_up: bool) -> list[str]:
    """Track calls a page view may trigger (in order)."""
    names: list[str] = []
    if path == "/pricing":
        if rng.random() < 0.04 + 0.14 * intent:
            names.append("Live Chat Conversation Started" if rng.random() < 0.3 else "Chat Started")
            message = (
                "Live Chat Message Sent" if names[-1].startswith("Live") else "Chat Message Sent"
            )
            names.extend([message] * (1 + sample_poisson(rng, 1.0)))
        if rng.random() < 0.02 + 0.10 * intent:
            names.append("Quote Requested")
        if rng.random() < 0.05:
            names.append("Pricing Calculator Used")
    elif path.startswith("/product/"):
        if rng.random() < 0.015 + 0.12 * intent:
            names.append("Demo Requested")
        if rng.random() < 0.03 + 0.08 * intent:
            names.append("Brochure Downloaded")
        if rng.random() < 0.04:
            names.append("Video Played")
    elif path == "/contact":
        if rng.random() < 0.2 + 0.4 * intent:
            names.append("Contact Form Submitted")
    elif path.startswith(("/blog/", "/case-studies/")):
        if rng.random() < 0.04 + 0.08 * intent:
            names.append("Whitepaper Downloaded")
        if not signed_up and rng.random() < 0.05:
            names.append("Newsletter Subscribed")
    elif path.startswith("/webinars/") and rng.random() < 0.3:
        names.append("Webinar Registered")
    elif path == "/" and rng.random() < 0.02:
        names.append("Cookie Consent Given")
    return names


def _track_properties(rng: Random, name: str) -> dict[str, object]:
    if name.endswith("Message Sent"):
        return {"topic": rng.choice(("pricing", "features", "support", "other"))}
    if name in ("Brochure Downloaded", "Whitepaper Downloaded"):
        return {"asset": rng.choice(("scoring-playbook.pdf", "roi-guide.pdf", "datasheet.pdf"))}
    if name.startswith("Webinar"):
        return {"webinar": "scoring-in-practice"}
    if name == "Demo Requested":
        return {"plan": rng.choice(("team", "business", "enterprise"))}
    return {}


def _traffic(rng: Random, linkedin: bool) -> tuple[tuple[str, str, str] | None, str]:
    rows = vocab.TRAFFIC_SOURCES
    row = rng.choices(rows, [r[4] * (3 if linkedin and "linkedin" in r[3] else 1) for r in rows])[0]
    campaign = (row[0], row[1], row[2]) if row[0] else None
    return campaign, row[3]


class Simulator:
    """Simulates one journey at a time; all randomness from the given `Random`."""

    def __init__(self, world: World, rng: Random) -> None:
        self.world = world
        self.rng = rng

    # -- web ---------------------------------------------------------------------------------
    def _sessions(self, journey: Journey, intent: float, first_seen: int, careers: float) -> None:
        rng, world = self.rng, self.world
        count = 1 + sample_poisson(rng, 1.0 + 5.0 * intent)
        browsers = 1 + (rng.random() < 0.25) + (rng.random() < 0.05)
        journey.browsers = [_browser(rng, journey.person) for _ in range(browsers)]
        window = max(world.last_activity - first_seen, HOUR)
        starts = sorted(first_seen + int(rng.random() * window) for _ in range(count - 1))
        signed_up = False
        for number, start in enumerate([first_seen, *starts]):
            browser = 0 if number == 0 else rng.randrange(browsers)
            campaign, referrer = _traffic(rng, journey.linkedin)
            at = start
            pages = 1 + sample_poisson(rng, 1.2 + 3.0 * intent)
            for page_number in range(pages):
                path, title = _pick_page(rng, intent, careers)
                if page_number:
                    at += int(rng.expovariate(1 / 70_000)) + 3_000
                    campaign, referrer = None, vocab.SITE + journey.hits[-1].path
                if at > world.last_activity:
                    return
                journey.hits.append(Hit(at, "page", browser, path, title, "", campaign, referrer))
                if path == "/pricing":
                    journey.intent_times.append(at)
                for name in _tracks_after_page(rng, path, intent, signed_up):
                    at += int(rng.expovariate(1 / 25_000)) + 1_000
                    if at > world.last_activity:
                        return
                    properties = _track_properties(rng, name)
                    journey.hits.append(
                        Hit(at, "track", browser, path, title, name, None, "", properties)
                    )
                    if name in STRONG_EVENTS:
                        journey.intent_times.append(at)
                    signed_up = signed_up or name in CAPTURE_EVENTS
                    if name == "Webinar Registered" and rng.random() < 0.55:
                        later = at + rng.randrange(2 * DAY, 9 * DAY)
                        if later <= world.last_activity:
                            journey.hits.append(
                                Hit(
                                    later,
                                    "track",
                                    browser,
                                    "/webinars/live",
                                    "Live webinar",
                                    "Webinar Attended",
                                    None,
                                    "",
                                    properties,
                                )
                            )

    def _qr_visit(self, journey: Journey) -> None:
        rng, world = self.rng, self.world
        at = world.start + int(rng.random() * world.span)
        medium = "qr" if rng.random() < 0.7 else "direct_mail"
        campaign = ("postcard", medium, "spring-mailer")
        path, title = vocab.QR_LANDING if rng.random() < 0.6 else vocab.PRICING_PAGE
        browser = rng.randrange(len(journey.browsers))
        journey.hits.append(Hit(at, "page", browser, path, title, "", campaign, ""))

    def _identify(self, journey: Journey) -> None:
        """Identify at the first capture (or a login), then on other browsers when they return."""
        rng = self.rng
        hits = sorted(journey.hits, key=lambda hit: hit.at)
        signup_at: int | None = None
        signup_browser = 0
        for hit in hits:
            if hit.kind == "track" and hit.name in CAPTURE_EVENTS:
                signup_at, signup_browser = hit.at + 800, hit.browser
                break
        if signup_at is None and rng.random() < 0.45:
            hit = hits[rng.randrange(len(hits))]
            signup_at, signup_browser = hit.at + 1_500, hit.browser
        if signup_at is None:
            journey.hits = hits
            return
        person = journey.person
        assert person is not None
        if rng.random() < 0.55:
            journey.user_id = f"usr_{person.index + 1:08x}"
        identifies = [Hit(signup_at, "identify", signup_browser, user_id=journey.user_id)]
        journey.identified_browsers.add(signup_browser)
        for hit in hits:
            if hit.at > signup_at and hit.browser not in journey.identified_browsers:
                journey.identified_browsers.add(hit.browser)
                identifies.append(
                    Hit(hit.at - 400, "identify", hit.browser, user_id=journey.user_id)
                )
        for hit in hits:
            if hit.at >= signup_at:
                hit.user_id = journey.user_id
                if journey.user_id and hit.kind == "track" and hit.name in STRONG_EVENTS:
                    hit.server_side = rng.random() < 0.3
        journey.hits = sorted(hits + identifies, key=lambda hit: (hit.at, hit.kind != "identify"))
        journey.email_known_at = signup_at

    # -- email -------------------------------------------------------------------------------
    def _mails(self, journey: Journey, intent: float, subscribed_from: int) -> None:
        rng, world = self.rng, self.world
        journey.apple_mail = rng.random() < 0.18
        bounced = rng.random() < 0.02
        open_p = 0.1 + 0.45 * intent
        click_p = 0.12 + 0.35 * intent
        group_unsubscribed = False
        for index, send in enumerate(world.sends):
            if send.at < subscribed_from:
                continue
            message = f"{rng.getrandbits(64):016x}"
            at = send.at + rng.randrange(0, 20 * MINUTE)
            mails = journey.mails
            mails.append(MailEvent(at, "processed", index, message))
            if bounced:
                mails.append(MailEvent(at + 4_000, "bounce", index, message))
                return
            if group_unsubscribed:
                mails.append(MailEvent(at + 1_000, "dropped", index, message))
                continue
            if rng.random() < 0.02:
                mails.append(MailEvent(at + 30_000, "deferred", index, message))
                at += rng.randrange(10 * MINUTE, 2 * HOUR)
            delivered = at + rng.randrange(2_000, 60_000)
            mails.append(MailEvent(delivered, "delivered", index, message))
            if journey.apple_mail:
                opened = delivered + rng.randrange(MINUTE, 40 * MINUTE)
                mails.append(MailEvent(opened, "open", index, message, machine=True))
            if rng.random() < open_p:
                opened = delivered + int(rng.expovariate(1 / (6 * HOUR))) + MINUTE
                mails.append(MailEvent(opened, "open", index, message))
                if rng.random() < click_p:
                    path = rng.choice(
                        ("/pricing", "/product/scoring", vocab.BLOG_POSTS[index % 10][0], "/")
                    )
                    clicked = opened + rng.randrange(5_000, 5 * MINUTE)
                    url = f"{vocab.SITE}{path}?utm_source=sendgrid&utm_medium=email"
                    mails.append(MailEvent(clicked, "click", index, message, url=url))
                    if journey.browsers and clicked <= world.last_activity:
                        journey.hits.append(
                            Hit(
                                clicked + 2_000,
                                "page",
                                rng.randrange(len(journey.browsers)),
                                path,
                                "",
                                "",
                                ("sendgrid", "email", send.name),
                                "",
                            )
                        )
                        if path == "/pricing":
                            journey.intent_times.append(clicked + 2_000)
            roll = rng.random()
            if roll < 0.006 + 0.01 * (1 - intent):
                mails.append(MailEvent(delivered + HOUR, "unsubscribe", index, message))
                return
            if roll < 0.012:
                mails.append(MailEvent(delivered + HOUR, "group_unsubscribe", index, message))
                group_unsubscribed = True
                if rng.random() < 0.4:
                    later = delivered + rng.randrange(DAY, 5 * DAY)
                    mails.append(MailEvent(later, "group_resubscribe", index, message))
                    group_unsubscribed = False
            elif roll < 0.0135:
                mails.append(MailEvent(delivered + 2 * HOUR, "spamreport", index, message))
                return

    # -- support, social, fairs --------------------------------------------------------------
    def _ticket(self, journey: Journey, kind: str, created: int) -> None:
        rng, world = self.rng, self.world
        subjects = vocab.TICKET_KINDS[kind][0]
        versions = [(created, "new")]
        at = created
        for status, low, high in (
            ("open", HOUR, DAY),
            ("pending", HOUR, 2 * DAY),
            ("solved", HOUR, 4 * DAY),
            ("closed", 3 * DAY, 5 * DAY),
        ):
            if status == "pending" and rng.random() < 0.5:
                continue
            at += rng.randrange(low, high)
            if at > world.last_activity:
                break
            versions.append((at, status))
        journey.tickets.append(
            TicketPlan(
                kind=kind,
                created=created,
                versions=versions,
                channel=rng.choice(("email", "web", "web_widget", "chat", "native_messaging")),
                priority=rng.choice(("low", "normal", "normal", "high")),
                assignee=rng.randrange(len(vocab.SUPPORT_AGENTS)),
                subject=rng.choice(subjects),
            )
        )

    def _social(self, journey: Journey, intent: float, person: Person) -> None:
        rng, world = self.rng, self.world
        posts = world.posts
        for post_index in rng.sample(
            range(len(posts)), min(len(posts), sample_poisson(rng, 0.6 + 2.5 * intent))
        ):
            created = posts[post_index].published + int(rng.expovariate(1 / (2 * DAY)))
            if created > world.last_activity:
                continue
            kinds = ("LIKE", "PRAISE", "EMPATHY", "INTEREST", "APPRECIATION", "ENTERTAINMENT")
            versions = [(created, rng.choice(kinds[:4]))]
            if rng.random() < 0.1 and created + HOUR < world.last_activity:
                versions.append((created + rng.randrange(MINUTE, HOUR), rng.choice(kinds)))
            journey.reactions.append(VersionedPlan(post_index, created, versions))
        for _ in range(sample_poisson(rng, 0.1 + 0.7 * intent)):
            post_index = rng.randrange(len(posts))
            created = posts[post_index].published + int(rng.expovariate(1 / DAY))
            if created > world.last_activity:
                continue
            text = rng.choice(
                (
                    "Great point on decay!",
                    "How does this work with HubSpot, Salesforce and Marketo?",
                    "We see the same with MQLs.",
                    "Interesting, thanks for sharing",
                )
            )
            versions = [(created, text)]
            if rng.random() < 0.15 and created + HOUR < world.last_activity:
                versions.append((created + rng.randrange(MINUTE, HOUR), text + " (edited)"))
            journey.comments.append(VersionedPlan(post_index, created, versions))
        if rng.random() < 0.15 + 0.45 * intent:
            form = rng.choice((0, 0, 2, 3, 4)) if person.country != "Germany" else 4
            submitted = world.start + int(rng.random() * world.span)
            sizes = ("1-10", "11-50", "51-200", "201-1000", "1001-5000", "5001+")
            employees = person.company.employee_count
            size = sizes[sum(employees > bound for bound in (10, 50, 200, 1000, 5000))]
            journey.responses.append(
                ResponsePlan(
                    form, submitted, {"size": size, "timeline": rng.choice(vocab.TIMELINES[:4])}
                )
            )
            journey.intent_times.append(submitted)

    def _scans(self, journey: Journey, intent: float, person: Person) -> None:
        rng, world = self.rng, self.world
        for index, event in enumerate(world.booth_events):
            if rng.random() >= 0.03 + 0.05 * intent + 0.02 * (person.fit >= 2):
                continue
            at = event.starts + rng.randrange(0, 2) * DAY + rng.randrange(9 * HOUR, 18 * HOUR)
            if at > world.last_activity or at < world.start:
                continue
            roll = rng.random() + intent * 0.6
            rating = (
                "Hot" if roll > 1.05 else "Warm" if roll > 0.7 else "Cold" if roll > 0.3 else ""
            )
            journey.scans.append(
                ScanPlan(
                    event=index,
                    at=at,
                    rating=rating,
                    with_email=rng.random() < 0.9,
                    notes=rng.choice(vocab.BOOTH_NOTES),
                    timeline=rng.choice(vocab.TIMELINES),
                    budget=rng.choice(vocab.BUDGETS),
                )
            )
            if rating == "Hot":
                journey.intent_times.append(at)

    # -- sales -------------------------------------------------------------------------------
    def _sales(
        self, journey: Journey, intent: float, person: Person, triggers: list[tuple[int, str]]
    ) -> None:
        rng, world = self.rng, self.world
        if not triggers:
            return
        trigger_at, source = min(triggers)
        created = trigger_at + rng.randrange(10 * MINUTE, 36 * HOUR)
        created -= created % 1000
        if created > world.last_activity - HOUR:
            return
        lead = LeadPlan(created, source, [(created, "Open - Not Contacted")])
        journey.lead = lead
        at = created
        meetings = 0
        plan: list[tuple[str, str]] = [("Call", "Intro call")] * (
            1 + sample_poisson(rng, 0.5 + 1.5 * intent)
        )
        plan += [("Email", "Follow-up email")] * sample_poisson(rng, 0.8)
        rng.shuffle(plan)
        if rng.random() < 0.12 + 0.5 * intent:
            plan.append(("Meeting", "Discovery meeting"))
            if rng.random() < 0.1 + 0.5 * intent:
                plan.append(("Demo", "Product demo"))
        for task_type, subject in plan:
            at += rng.randrange(2 * HOUR, 5 * DAY)
            at -= at % 1000
            if at > world.last_activity:
                break
            duration = rng.randrange(20, 1_800) if task_type == "Call" else None
            journey.tasks.append(TaskPlan(at, task_type, subject, duration, False))
            if len(journey.tasks) == 1:
                lead.versions.append((at + 60_000, "Working - Contacted"))
            if task_type in ("Meeting", "Demo"):
                meetings += 1
                journey.intent_times.append(at)
        if rng.random() < 0.03 and created + 2 * DAY < world.last_activity:
            duplicate_at = created + rng.randrange(HOUR, DAY)
            lead.duplicate = (
                duplicate_at - duplicate_at % 1000,
                duplicate_at + DAY - duplicate_at % 1000,
            )
        self._conversion(journey, person, intent, meetings)

    def _conversion(self, journey: Journey, person: Person, intent: float, meetings: int) -> None:
        rng, world = self.rng, self.world
        lead = journey.lead
        assert lead is not None
        hits = journey.hits
        pricing = sum(1 for hit in hits if hit.kind == "page" and hit.path == "/pricing")
        strong = sum(1 for hit in hits if hit.kind == "track" and hit.name in STRONG_EVENTS)
        hot = sum(1 for scan in journey.scans if scan.rating == "Hot")
        signal = (
            min(pricing, 6) + 2 * strong + 2 * hot + 2.5 * meetings + 1.5 * len(journey.responses)
        )
        if person.email_kind in ("competitor", "test"):
            return
        probability = _sigmoid(-5.2 + 0.9 * person.fit + 0.45 * min(signal, 10.0))
        last_action = max(
            [lead.created, *journey.intent_times, *(t.created for t in journey.tasks)]
        )
        if rng.random() >= probability:
            if journey.tasks and person.fit < 1 and rng.random() < 0.4:
                closed = last_action + rng.randrange(DAY, 6 * DAY)
                if closed <= world.last_activity:
                    lead.versions.append((closed - closed % 1000, "Closed - Not Converted"))
            return
        converted_day = (last_action // DAY + rng.randrange(1, 8)) * DAY
        converted = converted_day + rng.randrange(9 * HOUR, 18 * HOUR)
        converted -= converted % 1000
        if converted > world.last_activity:
            return
        lead.converted_at = converted
        lead.versions.append((converted, "Closed - Converted"))
        employees = person.company.employee_count
        amount = float(round(min(8_000 + employees * 35, 250_000) * rng.uniform(0.7, 1.4), -2))
        opportunity = OpportunityPlan(converted, amount, [(converted, "Qualification")])
        journey.opportunity = opportunity
        at = converted
        for stage, low, high in (
            ("Proposal/Price Quote", 3 * DAY, 15 * DAY),
            ("closed", 5 * DAY, 30 * DAY),
        ):
            at += rng.randrange(low, high)
            at -= at % 1000
            if at > world.last_activity:
                break
            if stage == "closed":
                journey.is_won = rng.random() < 0.35 + 0.1 * person.fit
                stage = "Closed Won" if journey.is_won else "Closed Lost"
            opportunity.versions.append((at, stage))
        kickoff = converted + rng.randrange(DAY, 6 * DAY)
        if kickoff <= world.last_activity:
            journey.tasks.append(
                TaskPlan(kickoff - kickoff % 1000, "Meeting", "Kickoff", None, True)
            )
        if rng.random() < 0.35:
            onboarding = converted + rng.randrange(2 * DAY, 20 * DAY)
            if onboarding <= world.last_activity:
                self._ticket(journey, "how_to", onboarding)

    # -- entry points ------------------------------------------------------------------------
    def person_journey(self, person: Person) -> Journey:
        """The whole journey of a known (email-giving) person."""
        rng, world = self.rng, self.world
        journey = Journey(person)
        intent = min(rng.betavariate(1.1, 3.6) + 0.1 * max(person.fit, 0.0), 1.0)
        first_seen = world.start + int(rng.random() ** 1.3 * world.span * 0.95)
        journey.linkedin = rng.random() < 0.2 + 0.05 * max(person.fit, 0.0)
        careers = 0.25 if person.seniority in ("student", "intern", "ic") else 0.02
        triggers: list[tuple[int, str]] = []
        if rng.random() < 0.72:
            self._sessions(journey, intent, first_seen, careers)
            if rng.random() < 0.07:
                self._qr_visit(journey)
            self._identify(journey)
        if journey.linkedin:
            self._social(journey, intent, person)
        self._scans(journey, intent, person)
        known = [journey.email_known_at] if journey.email_known_at is not None else []
        known += [response.submitted for response in journey.responses]
        known += [scan.at for scan in journey.scans if scan.with_email]
        imported = rng.random() < 0.35 or not known
        if imported:
            known.append(world.start if rng.random() < 0.6 else first_seen)
        for kind, chance in (
            ("pre_sales", 0.02 + 0.15 * intent),
            ("how_to", 0.03),
            ("bug", 0.02),
            ("billing", 0.01),
        ):
            if rng.random() < chance:
                created = first_seen + int(rng.random() * max(world.last_activity - first_seen, 1))
                self._ticket(journey, kind, created)
                known.append(created)
                if kind == "pre_sales":
                    journey.intent_times.append(created)
                    triggers.append((created, "Support"))
        journey.email_known_at = min(known)
        if rng.random() < 0.8:
            self._mails(journey, intent, journey.email_known_at)
        for hit in journey.hits:
            if hit.kind == "track" and hit.name in STRONG_EVENTS:
                triggers.append((hit.at, "Web"))
        triggers += [(response.submitted, "LinkedIn") for response in journey.responses]
        triggers += [
            (scan.at, "Trade Show") for scan in journey.scans if scan.rating in ("Hot", "Warm")
        ]
        if imported and rng.random() < 0.15:
            triggers.append((journey.email_known_at, "List Import"))
        self._sales(journey, intent, person, triggers)
        journey.hits.sort(key=lambda hit: (hit.at, hit.kind != "identify"))
        return journey

    def anonymous_journey(self) -> Journey:
        """A visitor who browses and never identifies."""
        rng, world = self.rng, self.world
        journey = Journey(None)
        first_seen = world.start + int(rng.random() * world.span * 0.97)
        self._sessions(journey, rng.betavariate(1.0, 6.0), first_seen, 0.15)
        journey.hits.sort(key=lambda hit: hit.at)
        return journey

    def test_journey(self, person: Person) -> Journey:
        """A QA identity: every row it leaves is a test record."""
        rng, world = self.rng, self.world
        journey = Journey(person)
        at = world.start + int(rng.random() * world.span)
        journey.browsers = [_browser(rng, person)]
        journey.hits.append(Hit(at, "identify", 0))
        journey.identified_browsers.add(0)
        journey.email_known_at = at
        self._mails(journey, 0.5, at)
        journey.linkedin = True
        journey.responses.append(
            ResponsePlan(0, at + HOUR, {"size": "51-200", "timeline": "Later"})
        )
        if rng.random() < 0.5:
            self._ticket(journey, "bug", at + 2 * HOUR)
        if world.booth_events:
            event = world.booth_events[0]
            scan_at = event.starts + 10 * HOUR
            if world.start <= scan_at <= world.last_activity:
                journey.scans.append(ScanPlan(0, scan_at, "", True, "QA scan", "", ""))
        created = at + DAY - (at + DAY) % 1000
        if created <= world.last_activity:
            journey.lead = LeadPlan(created, "Web", [(created, "Open - Not Contacted")])
        return journey
