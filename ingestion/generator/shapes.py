"""Vendor payloads (Segment, SendGrid, Zendesk, LinkedIn, badge scans, Salesforce) of a journey.

`Shaper.emit` turns one `Journey` into rows of a `Chunk`, each row paired with its truth `Rec`;
the dirt injector then decides faults row by row. Payload dicts keep the vendors' extra
fields (`originalTimestamp`, `_metadata`, custom args, `attributes`, `__c` fields, ...).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from random import Random
from typing import Any

from ingestion.generator import vocab
from ingestion.generator.behaviour import Hit, Journey, TicketPlan
from ingestion.generator.clock import (
    DAY,
    date_string,
    day_string,
    iso_offset,
    iso_seconds_z,
    iso_z,
    salesforce_datetime,
)
from ingestion.generator.ids import (
    ABOVE_2_53,
    Counters,
    hex_id,
    linkedin_person_id,
    salesforce_id,
    sendgrid_event_id,
    uuid_like,
)
from ingestion.generator.people import Person
from ingestion.generator.truth import (
    Rec,
    Touch,
    email_activity,
    page_activity,
    task_activity,
    track_activity,
)
from ingestion.generator.world import World

# A row: (sort key ms, tie-breaker, payload, truth). Web rows also carry the file day first.
Row = tuple[int, int, Any, Rec]
WebRow = tuple[str, int, int, Any, Rec]

_LIBRARY = {"name": "analytics.js", "version": "next-1.64.0"}
_SERVER_LIBRARY = {"name": "analytics-python", "version": "2.3.2"}
_METADATA = {"bundled": ["Segment.io"], "unbundled": [], "bundledIds": []}
_ZENDESK = "https://brightlane.zendesk.com/api/v2"
_SF_PATH = "/services/data/v60.0/sobjects"
_SENDGRID_UA = (
    "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
)


@dataclass(slots=True)
class Chunk:
    """Rows of a few hundred persons, written (sorted) when the chunk is flushed."""

    web: list[WebRow] = field(default_factory=list)
    email: list[Row] = field(default_factory=list)
    tickets: list[Row] = field(default_factory=list)
    users: dict[int, tuple[dict[str, Any], str, bool]] = field(default_factory=dict)
    padded_users: set[int] = field(default_factory=set)
    responses: list[Row] = field(default_factory=list)
    reactions: list[Row] = field(default_factory=list)
    comments: list[Row] = field(default_factory=list)
    scans: dict[int, list[Row]] = field(default_factory=dict)
    leads: list[Row] = field(default_factory=list)
    opportunities: list[Row] = field(default_factory=list)
    tasks: list[Row] = field(default_factory=list)
    seq: int = 0

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq


def zendesk_user_id(person: Person) -> int:
    """Stable per person; about a fifth pass 2**53."""
    if person.index % 5 == 3:
        return ABOVE_2_53 + 2 * person.index
    return 370_000_000_000 + person.index


def linkedin_urn(person: Person) -> str:
    return f"urn:li:person:{linkedin_person_id(person.index)}"


# Identity gaps of a dirty zone (share of persons, per kind): records that name a person
# without a usable email. Decided by a hash of the person, so no random stream moves.
IDENTITY_GAPS = {
    "crm_lead_without_email": 0.06,
    "zendesk_user_without_email": 0.08,
    "badge_with_role_address": 0.05,
    "form_with_role_address": 0.05,
}


def has_identity_gap(person: Person, gap: str) -> bool:
    """Whether this person's records of one kind carry the gap (deterministic per person)."""
    digest = hashlib.md5(f"{gap}:{person.index}".encode(), usedforsecurity=False).digest()
    return int.from_bytes(digest[:4], "big") < IDENTITY_GAPS[gap] * 2**32


def role_address(person: Person) -> str:
    """The company's shared mailbox, e.g. `info@acme.com`."""
    local_part = vocab.ROLE_LOCAL_PARTS[person.index % len(vocab.ROLE_LOCAL_PARTS)]
    return f"{local_part}@{person.company.domain}"


class Shaper:
    """Builds payloads; `rng` draws vendor ids, `counters` numbers records.

    `identity_gaps` (dirty zones): some records name their person without a usable email.
    """

    def __init__(
        self,
        world: World,
        rng: Random,
        counters: Counters,
        id_base: int = 0,
        identity_gaps: bool = False,
    ) -> None:
        self.world = world
        self.rng = rng
        self.counters = counters
        self.id_base = id_base
        self.identity_gaps = identity_gaps

    def _gap(self, person: Person, gap: str) -> bool:
        return self.identity_gaps and not person.is_test and has_identity_gap(person, gap)

    def _take(self, kind: str) -> int:
        return self.id_base + self.counters.take(kind)

    # -- web ---------------------------------------------------------------------------------
    def web(self, journey: Journey, chunk: Chunk, keys: list[tuple[str, str]]) -> None:
        rng = self.rng
        person = journey.person
        person_id = person.person_id if person else ""
        is_test = bool(person and person.is_test)
        if person is not None:
            keys.extend(
                ("anonymous_id", journey.browsers[b].anonymous_id)
                for b in sorted(journey.identified_browsers)
            )
            if journey.user_id:
                keys.append(("user_id", journey.user_id))
        for hit in journey.hits:
            browser = journey.browsers[hit.browser]
            received = hit.at + rng.randrange(40, 2_500)
            payload = self._segment(hit, browser, person, received)
            linked = person is not None and (
                hit.browser in journey.identified_browsers or (hit.server_side and hit.user_id)
            )
            touch = None
            if hit.kind == "page":
                touch = Touch(
                    person_id if linked else "",
                    page_activity(hit.path),
                    iso_z(hit.at),
                    browser.anonymous_id,
                    hit.path,
                )
            elif hit.kind == "track":
                touch = Touch(
                    person_id if linked else "",
                    track_activity(hit.name),
                    iso_z(hit.at),
                    "" if hit.server_side else browser.anonymous_id,
                    "",
                    hit.name,
                )
            rec = Rec("web", "event", payload["messageId"], person_id, touch=touch, is_test=is_test)
            if is_test:
                rec.fault, rec.expected = "test_record", "filtered"
            chunk.web.append((day_string(received // DAY), hit.at, chunk.next_seq(), payload, rec))

    def _segment(
        self, hit: Hit, browser: Any, person: Person | None, received: int
    ) -> dict[str, Any]:
        rng = self.rng
        at = hit.at
        sent = at + (received - at) // 3
        path = hit.path
        url = vocab.SITE + path
        campaign: dict[str, str] = {}
        if hit.campaign:
            source, medium, name = hit.campaign
            campaign = {"name": name, "source": source, "medium": medium}
            url += f"?utm_source={source}&utm_medium={medium}&utm_campaign={name}"
        timestamp = iso_z(at) if rng.random() < 0.9 else iso_offset(at, browser.offset_minutes)
        if hit.server_side:
            payload: dict[str, Any] = {"channel": "server", "context": {"library": _SERVER_LIBRARY}}
        else:
            context: dict[str, Any] = {
                "campaign": campaign,
                "ip": browser.ip,
                "library": _LIBRARY,
                "locale": browser.locale,
                "page": {
                    "path": path,
                    "referrer": hit.referrer,
                    "search": url[len(vocab.SITE + path) :],
                    "title": hit.title,
                    "url": url,
                },
                "userAgent": browser.user_agent,
            }
            payload = {"anonymousId": browser.anonymous_id, "channel": "client", "context": context}
        payload["integrations"] = {}
        payload["messageId"] = f"ajs-next-{rng.getrandbits(128):032x}"
        payload["originalTimestamp"] = iso_offset(at, browser.offset_minutes)
        payload["receivedAt"] = iso_z(received)
        payload["sentAt"] = iso_z(sent)
        payload["timestamp"] = timestamp
        payload["type"] = hit.kind
        payload["userId"] = hit.user_id
        payload["version"] = 2
        payload["_metadata"] = _METADATA
        if hit.kind == "page":
            payload["name"] = hit.title
            payload["properties"] = {
                "path": path,
                "referrer": hit.referrer,
                "search": url[len(vocab.SITE + path) :],
                "title": hit.title,
                "url": url,
            }
        elif hit.kind == "track":
            payload["event"] = hit.name
            payload["properties"] = dict(hit.properties or {})
        elif person is not None:
            company = person.company
            payload["traits"] = {
                "email": person.email,
                "firstName": person.first_name,
                "lastName": person.last_name,
                "title": person.title,
                "phone": person.phone,
                "country": person.country,
                "company": {
                    "name": company.name,
                    "industry": company.industry,
                    "employee_count": company.employee_count,
                    "annual_revenue": company.annual_revenue,
                },
            }
            if rng.random() < 0.15:
                del payload["traits"]["phone"]
        return payload

    # -- email -------------------------------------------------------------------------------
    def email(self, journey: Journey, chunk: Chunk) -> None:
        person = journey.person
        assert person is not None
        rng = self.rng
        sends = self.world.sends
        for mail in journey.mails:
            send = sends[mail.send]
            roll = rng.random()
            category: Any = (
                send.category if roll < 0.4 else [send.category, "marketing"] if roll < 0.9 else []
            )
            event: dict[str, Any] = {
                "email": person.email,
                "timestamp": mail.at // 1000,
                "smtp-id": f"<{mail.message}@ismtpd0042p1lon1.sendgrid.net>",
                "event": mail.event,
                "category": category,
                "sg_event_id": sendgrid_event_id(rng),
                "sg_message_id": f"{mail.message}.filterdrecv-5bd8-1-{mail.send:04d}-0.0",
                "marketing_campaign_id": send.campaign_id,
                "marketing_campaign_name": send.name,
                "campaign_ref": f"nl-{send.campaign_id}",
                "list_segment": "prospects",
            }
            if mail.event == "delivered":
                event.update(response="250 2.0.0 OK", tls=1, ip="167.89.101.4")
            elif mail.event == "open":
                event.update(
                    useragent=_SENDGRID_UA if mail.machine else vocab.USER_AGENTS[mail.send % 5],
                    ip="66.249.84.1",
                    sg_machine_open=mail.machine,
                )
            elif mail.event == "click":
                event.update(
                    url=mail.url,
                    url_offset={"index": 0, "type": "html"},
                    ip="66.249.84.1",
                    useragent=vocab.USER_AGENTS[1],
                )
            elif mail.event == "bounce":
                event.update(
                    reason="550 5.1.1 The email account that you tried to reach does not exist",
                    status="5.1.1",
                    type="bounce",
                )
            elif mail.event == "dropped":
                event.update(reason="Unsubscribed Address", status="")
            elif mail.event == "deferred":
                event.update(response="421 4.7.0 Try again later", attempt="1")
            elif mail.event in ("unsubscribe", "group_unsubscribe", "group_resubscribe"):
                event["asm_group_id"] = 21_504
            activity = None if mail.machine else email_activity(mail.event)
            touch = (
                Touch(person.person_id, activity, iso_z(mail.at // 1000 * 1000))
                if activity
                else None
            )
            rec = Rec(
                "email",
                "event",
                event["sg_event_id"],
                person.person_id,
                touch=touch,
                is_test=person.is_test,
            )
            if person.is_test:
                rec.fault, rec.expected = "test_record", "filtered"
            chunk.email.append((mail.at, chunk.next_seq(), event, rec))

    # -- support -----------------------------------------------------------------------------
    def tickets(self, journey: Journey, chunk: Chunk, keys: list[tuple[str, str]]) -> None:
        person = journey.person
        assert person is not None
        user_id = zendesk_user_id(person)
        keys.append(("zendesk_user_id", str(user_id)))
        first_created = journey.tickets[0].created
        chunk.users[user_id] = (
            {
                "id": user_id,
                "url": f"{_ZENDESK}/users/{user_id}.json",
                "name": f"{person.first_name} {person.last_name}",
                "email": None if self._gap(person, "zendesk_user_without_email") else person.email,
                "created_at": iso_seconds_z(first_created),
                "updated_at": iso_seconds_z(first_created),
                "time_zone": "UTC",
                "locale": "en-US",
                "role": "end-user",
                "organization_id": 380_000_000_000 + person.company.index
                if person.company.index >= 0
                else None,
                "active": True,
                "verified": False,
            },
            person.person_id,
            person.is_test,
        )
        for plan in journey.tickets:
            self.ticket(plan, person, user_id, chunk)

    def ticket(
        self,
        plan: TicketPlan,
        person: Person,
        user_id: int,
        chunk: Chunk,
        status_override: str | None = None,
    ) -> list[Row]:
        number = self._take("ticket")
        ticket_id = ABOVE_2_53 + number * 3 if number % 20 == 7 else 10_000 + number
        subjects, tags, ticket_type = vocab.TICKET_KINDS[plan.kind]
        agent_id = vocab.SUPPORT_AGENTS[plan.assignee][0]
        rows: list[Row] = []
        versions = plan.versions if status_override is None else [(plan.created, status_override)]
        for number_in_list, (updated, status) in enumerate(versions):
            generated = updated // 1000 + 2
            satisfaction = None
            if status in ("solved", "closed"):
                satisfaction = {
                    "score": ("good", "good", "bad", "offered")[ticket_id % 4],
                    "comment": "",
                }
            payload = {
                "url": f"{_ZENDESK}/tickets/{ticket_id}.json",
                "id": ticket_id,
                "external_id": None,
                "via": {"channel": plan.channel, "source": {"from": {}, "to": {}, "rel": None}},
                "created_at": iso_seconds_z(plan.created),
                "updated_at": iso_seconds_z(updated),
                "generated_timestamp": generated,
                "type": ticket_type,
                "subject": plan.subject,
                "raw_subject": plan.subject,
                "description": f"Hi, {plan.subject.lower()}. Thanks, {person.first_name}",
                "priority": plan.priority,
                "status": status,
                "requester_id": user_id,
                "submitter_id": user_id,
                "assignee_id": agent_id if status != "new" else None,
                "organization_id": chunk.users[user_id][0]["organization_id"],
                "tags": list(tags) + (["customer"] if plan.kind == "how_to" else []),
                "custom_fields": [{"id": 360_011_234_567, "value": plan.kind}],
                "satisfaction_rating": satisfaction,
                "brand_id": 360_000_111_222,
                "is_public": True,
            }
            latest = number_in_list == len(versions) - 1
            touch = (
                Touch(person.person_id, "support_ticket", iso_z(plan.created)) if latest else None
            )
            rec = Rec(
                "support",
                "ticket",
                str(ticket_id),
                person.person_id,
                touch=touch,
                expected="loaded" if latest else "superseded",
                is_test=person.is_test,
            )
            row = (generated * 1000, chunk.next_seq(), payload, rec)
            rows.append(row)
            chunk.tickets.append(row)
        return rows

    # -- social ------------------------------------------------------------------------------
    def social(self, journey: Journey, chunk: Chunk, keys: list[tuple[str, str]]) -> None:
        person = journey.person
        assert person is not None
        rng, world = self.rng, self.world
        actor = linkedin_urn(person)
        pid = person.person_id
        if journey.reactions or journey.comments or journey.responses:
            keys.append(("linkedin_person", actor))
        for plan in journey.responses:
            form = world.forms[plan.form]
            answers = []
            fields = {q.predefined_field for q in form.questions}
            values = {
                "FIRST_NAME": person.first_name,
                "LAST_NAME": person.last_name,
                "EMAIL": person.personal_email
                if "WORK_EMAIL" in fields
                else role_address(person)
                if self._gap(person, "form_with_role_address")
                else person.email,
                "WORK_EMAIL": role_address(person)
                if self._gap(person, "form_with_role_address")
                else person.email,
                "COMPANY_NAME": person.company.name,
                "JOB_TITLE": person.title,
                "COUNTRY": person.country,
                "PHONE_NUMBER": person.phone,
            }
            if "EMAIL" in fields and "WORK_EMAIL" in fields:
                keys.append(("email", person.personal_email))
            for question in form.questions:
                if question.options:
                    wanted = plan.answers[
                        "size"
                        if "size" in question.name.lower() or "Mitarbeit" in question.name
                        else "timeline"
                    ]
                    option = question.options.index(wanted) + 1 if wanted in question.options else 1
                    details: dict[str, Any] = {"multipleChoiceAnswer": {"options": [option]}}
                else:
                    value = values.get(question.predefined_field or "", "")
                    details = {"textQuestionAnswer": {"answer": value}}
                answers.append({"questionId": question.question_id, "answerDetails": details})
            sponsored = rng.random() < 0.7
            response_id = uuid_like(rng)
            payload: dict[str, Any] = {
                "id": response_id,
                "submittedAt": plan.submitted,
                "testLead": False,
                "leadType": "SPONSORED" if sponsored else "COMPANY",
                "submitter": actor,
                "versionedLeadGenFormUrn": "urn:li:versionedLeadGenForm:"
                f"(urn:li:leadGenForm:{form.form_id},{form.version_id})",
                "owner": {"sponsoredAccount": "urn:li:sponsoredAccount:512345678"}
                if sponsored
                else {"organization": "urn:li:organization:2414183"},
                "formResponse": {
                    "answers": answers,
                    "consentResponses": [{"accepted": True, "consentId": 9_001}],
                },
            }
            if sponsored:
                payload["leadMetadata"] = {
                    "sponsoredLeadMetadata": {"campaign": "urn:li:sponsoredCampaign:187654321"}
                }
            if person.is_test:
                if rng.random() < 0.5:
                    payload["testLead"] = True
                else:
                    payload["submitter"] = "urn:li:person:0"
            touch: Touch | None = Touch(pid, "social_form", iso_z(plan.submitted))
            rec = Rec("social", "response", response_id, pid, touch=touch, is_test=person.is_test)
            if person.is_test:
                rec.fault, rec.expected = "test_record", "filtered"
            chunk.responses.append((plan.submitted, chunk.next_seq(), payload, rec))
        for reaction in journey.reactions:
            root = world.posts[reaction.post].urn
            reaction_id = f"urn:li:reaction:({actor},{root})"
            for number, (modified, reaction_type) in enumerate(reaction.versions):
                latest = number == len(reaction.versions) - 1
                payload = {
                    "id": reaction_id,
                    "reactionType": reaction_type,
                    "root": root,
                    "created": {"actor": actor, "time": reaction.created},
                    "lastModified": {"actor": actor, "time": modified},
                }
                touch = Touch(pid, "social_reaction", iso_z(reaction.created)) if latest else None
                rec = Rec(
                    "social",
                    "reaction",
                    reaction_id,
                    pid,
                    touch=touch,
                    expected="loaded" if latest else "superseded",
                )
                chunk.reactions.append((modified, chunk.next_seq(), payload, rec))
        for comment in journey.comments:
            post = world.posts[comment.post].urn
            comment_id = str(7_300_000_000_000_000_000 + self._take("comment") * 7_919)
            comment_urn = f"urn:li:comment:({post},{comment_id})"
            for number, (modified, text) in enumerate(comment.versions):
                latest = number == len(comment.versions) - 1
                payload = {
                    "id": comment_id,
                    "commentUrn": comment_urn,
                    "actor": actor,
                    "object": post,
                    "message": {"text": text, "attributes": []},
                    "created": {"actor": actor, "time": comment.created},
                    "lastModified": {"actor": actor, "time": modified},
                }
                touch = Touch(pid, "social_comment", iso_z(comment.created)) if latest else None
                rec = Rec(
                    "social",
                    "comment",
                    comment_urn,
                    pid,
                    touch=touch,
                    expected="loaded" if latest else "superseded",
                )
                chunk.comments.append((modified, chunk.next_seq(), payload, rec))

    # -- booth -------------------------------------------------------------------------------
    def scans(self, journey: Journey, chunk: Chunk) -> None:
        person = journey.person
        assert person is not None
        events = self.world.booth_events
        for plan in journey.scans:
            event = events[plan.event]
            row = [
                person.first_name,
                person.last_name,
                (
                    role_address(person)
                    if self._gap(person, "badge_with_role_address")
                    else person.email
                )
                if plan.with_email
                else "",
                person.company.name,
                person.title,
                person.phone,
                person.country,
                iso_offset(plan.at, event.offset_minutes, millis=False),
                vocab.BOOTH_STAFF[plan.at % len(vocab.BOOTH_STAFF)],
                plan.rating,
                plan.notes,
                plan.timeline,
                plan.budget,
            ]
            # The scan key (`<slug>/<file>#<n>`) is known only when the file is written.
            touch = Touch(person.person_id, "booth_scan", iso_z(plan.at - plan.at % 1000))
            rec = Rec("booth", "scan", "", person.person_id, touch=touch, is_test=person.is_test)
            if person.is_test:
                rec.fault, rec.expected = "test_record", "filtered"
            chunk.scans.setdefault(plan.event, []).append((plan.at, chunk.next_seq(), row, rec))

    # -- crm ---------------------------------------------------------------------------------
    def crm(self, journey: Journey, chunk: Chunk, keys: list[tuple[str, str]]) -> None:
        person = journey.person
        lead = journey.lead
        assert person is not None and lead is not None
        pid = person.person_id
        lead_id = salesforce_id("00Q", self._take("lead"))
        keys.append(("salesforce_lead_id", lead_id))
        owner_id, owner_name = vocab.SALES_REPS[person.index % len(vocab.SALES_REPS)]
        contact_id = opportunity_id = None
        if lead.converted_at is not None:
            contact_id = salesforce_id("003", self._take("contact"))
            opportunity_id = salesforce_id("006", self._take("opportunity"))
            keys.append(("salesforce_contact_id", contact_id))
        industry_names = vocab.SALESFORCE_INDUSTRY[person.company.industry]
        industry = industry_names[person.index % len(industry_names)]

        def lead_payload(
            record_id: str, created: int, modified: int, status: str
        ) -> dict[str, Any]:
            converted = status == "Closed - Converted"
            return {
                "attributes": {"type": "Lead", "url": f"{_SF_PATH}/Lead/{record_id}"},
                "Id": record_id,
                "Email": None if self._gap(person, "crm_lead_without_email") else person.email,
                "FirstName": person.first_name,
                "LastName": person.last_name,
                "Company": person.company.name,
                "Title": person.title,
                "Industry": industry,
                "NumberOfEmployees": person.company.employee_count if person.index % 9 else None,
                "AnnualRevenue": person.company.annual_revenue if person.index % 4 else None,
                "Country": person.country,
                "State": person.company.state,
                "LeadSource": lead.source,
                "Status": status,
                "OwnerId": owner_id,
                "Owner": {
                    "attributes": {"type": "User", "url": f"{_SF_PATH}/User/{owner_id}"},
                    "Name": owner_name,
                },
                "CreatedDate": salesforce_datetime(created),
                "LastModifiedDate": salesforce_datetime(modified),
                "SystemModstamp": salesforce_datetime(modified),
                "IsConverted": converted,
                "ConvertedDate": date_string(modified) if converted else None,
                "ConvertedOpportunityId": opportunity_id if converted else None,
                "ConvertedContactId": contact_id if converted else None,
                "ConvertedAccountId": salesforce_id("001", 900 + person.company.index)
                if converted
                else None,
                "IsDeleted": False,
                "MasterRecordId": None,
                "Lead_Score__c": None,
                "Product_Interest__c": "Lead scoring",
                "GDPR_Consent__c": person.index % 3 != 0,
            }

        for number, (modified, status) in enumerate(lead.versions):
            latest = number == len(lead.versions) - 1
            rec = Rec(
                "crm",
                "lead",
                lead_id,
                pid,
                expected="loaded" if latest else "superseded",
                is_test=person.is_test,
            )
            if person.is_test:
                rec.fault, rec.expected = "test_record", "filtered"
            chunk.leads.append(
                (
                    modified,
                    chunk.next_seq(),
                    lead_payload(lead_id, lead.created, modified, status),
                    rec,
                )
            )
        if lead.duplicate is not None:
            duplicate_id = salesforce_id("00Q", self._take("lead"))
            keys.append(("salesforce_lead_id", duplicate_id))
            created, merged = lead.duplicate
            first = lead_payload(duplicate_id, created, created, "Open - Not Contacted")
            first["LeadSource"] = "Trade Show"
            if self.identity_gaps:
                # the duplicate often carries the person's second, personal address
                first["Email"] = person.personal_email
                keys.append(("email", person.personal_email))
            second = dict(
                first,
                LastModifiedDate=salesforce_datetime(merged),
                SystemModstamp=salesforce_datetime(merged),
                IsDeleted=True,
                MasterRecordId=lead_id,
            )
            chunk.leads.append(
                (
                    created,
                    chunk.next_seq(),
                    first,
                    Rec("crm", "lead", duplicate_id, pid, expected="superseded"),
                )
            )
            chunk.leads.append(
                (merged, chunk.next_seq(), second, Rec("crm", "lead", duplicate_id, pid))
            )
        if journey.opportunity is not None and opportunity_id is not None:
            plan = journey.opportunity
            for number, (modified, stage) in enumerate(plan.versions):
                latest = number == len(plan.versions) - 1
                closed = stage.startswith("Closed")
                payload = {
                    "attributes": {
                        "type": "Opportunity",
                        "url": f"{_SF_PATH}/Opportunity/{opportunity_id}",
                    },
                    "Id": opportunity_id,
                    "Name": f"{person.company.name} - New Business",
                    "AccountId": salesforce_id("001", 900 + person.company.index),
                    "StageName": stage,
                    "IsClosed": closed,
                    "IsWon": stage == "Closed Won",
                    "CloseDate": date_string(modified if closed else plan.created + 30 * DAY),
                    "Amount": plan.amount,
                    "Probability": {"Qualification": 20, "Proposal/Price Quote": 60}.get(
                        stage, 100 if stage == "Closed Won" else 0
                    ),
                    "CampaignId": salesforce_id("701", 1 + person.index % 7)
                    if person.index % 2
                    else None,
                    "Type": "New Business",
                    "LeadSource": lead.source,
                    "CreatedDate": salesforce_datetime(plan.created),
                    "LastModifiedDate": salesforce_datetime(modified),
                    "Forecast_Category__c": "Closed" if closed else "Pipeline",
                }
                rec = Rec(
                    "crm",
                    "opportunity",
                    opportunity_id,
                    pid,
                    expected="loaded" if latest else "superseded",
                )
                chunk.opportunities.append((modified, chunk.next_seq(), payload, rec))
        for task in journey.tasks:
            task_id = salesforce_id("00T", self._take("task"))
            who = contact_id if task.to_contact and contact_id else lead_id
            payload = {
                "attributes": {"type": "Task", "url": f"{_SF_PATH}/Task/{task_id}"},
                "Id": task_id,
                "WhoId": who,
                "WhatId": opportunity_id if task.to_contact else None,
                "Subject": task.subject,
                "Type": task.task_type,
                "CallDurationInSeconds": task.duration,
                "CallType": "Outbound" if task.task_type == "Call" else None,
                "ActivityDate": date_string(task.created),
                "Status": "Completed",
                "Priority": "Normal",
                "OwnerId": owner_id,
                "CreatedDate": salesforce_datetime(task.created),
                "LastModifiedDate": salesforce_datetime(task.created + 60_000),
                "IsDeleted": False,
                "Outcome__c": "Connected" if (task.duration or 0) >= 120 else None,
            }
            touch = Touch(pid, task_activity(task.task_type), iso_z(task.created))
            chunk.tasks.append(
                (
                    task.created,
                    chunk.next_seq(),
                    payload,
                    Rec("crm", "task", task_id, pid, touch=touch),
                )
            )

    # -- one journey -------------------------------------------------------------------------
    def emit(self, journey: Journey, chunk: Chunk) -> list[tuple[str, str]]:
        """Add the journey's rows to `chunk`; return the identifiers it used (key_type, value)."""
        keys: list[tuple[str, str]] = []
        person = journey.person
        if person is not None and journey.email_known_at is not None:
            keys.append(("email", person.email.strip().lower()))
        if journey.hits:
            self.web(journey, chunk, keys)
        if person is None:
            return keys
        if journey.mails:
            self.email(journey, chunk)
        if journey.tickets:
            self.tickets(journey, chunk, keys)
        if journey.responses or journey.reactions or journey.comments:
            self.social(journey, chunk, keys)
        if journey.scans:
            self.scans(journey, chunk)
        if journey.lead is not None:
            self.crm(journey, chunk, keys)
        return keys


def account_event(rng: Random, at: int) -> dict[str, Any]:
    """A SendGrid account event (not about any recipient): filtered by the pipeline."""
    return {
        "event": "account_status_change",
        "type": rng.choice(("compliance_suspend", "compliance_deactivate", "reactivate")),
        "timestamp": at // 1000,
        "sg_event_id": sendgrid_event_id(rng),
        "account_id": f"acc_{hex_id(rng, 32)}",
    }
