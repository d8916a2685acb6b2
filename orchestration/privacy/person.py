"""Resolving an erasure request (an email or a lead id) to the person and all their keys."""

from __future__ import annotations

import duckdb

from orchestration.explain import find_lead
from orchestration.privacy.identifiers import Person, person_from_keys

# Every key of the lead in the identity graph, its profile's email and CRM id, its retired ids.
PERSON_KEYS_SQL = """
select key_type, key_value from marts.lead_identities where lead_id = $lead_id
union all select 'email', email from marts.lead_profiles where lead_id = $lead_id
union all select 'crm_lead_id', crm_lead_id from marts.lead_profiles where lead_id = $lead_id
union all select 'lead_id', alias_lead_id from marts.lead_id_aliases where lead_id = $lead_id
union all select 'email', alias_email from marts.lead_id_aliases where lead_id = $lead_id
"""
# Their touchpoints' source row ids, numeric ones (Zendesk ticket ids) left out: integer id
# columns are searched for numeric identifiers, and a ticket id is not a person's key.
RECORD_IDS_SQL = """
select distinct source_record_id from marts.touchpoints
where lead_id = $lead_id and not regexp_full_match(source_record_id, '[0-9]+')
"""
# The Opportunities their converted CRM Leads became: an Opportunity names no person, so its
# id is erased and suppressed with them (a re-exported Opportunity page does not bring it back).
OPPORTUNITY_IDS_SQL = """
select distinct converted_opportunity_id from raw_crm.leads
where converted_opportunity_id is not null and list_contains($keys, lower(id))
"""
_HAS_CRM_LEADS_SQL = """
select count(*) from information_schema.columns where table_schema = 'raw_crm'
    and table_name = 'leads' and column_name = 'converted_opportunity_id'
"""
_MARTS_READY_SQL = """
select count(*) = 4 from information_schema.tables where table_schema = 'marts'
    and table_name in ('lead_profiles', 'lead_identities', 'lead_id_aliases', 'touchpoints')
"""


def resolve_person(connection: duckdb.DuckDBPyConnection, email_or_lead_id: str) -> Person:
    """The lead behind the request and every identifier the identity graph ties to it.

    A request nobody resolves (no marts yet, or an address only seen in quarantine) still
    erases and suppresses the given value itself.
    """
    given = email_or_lead_id.strip()
    lead_id = None
    if connection.execute(_MARTS_READY_SQL).fetchall()[0][0]:
        lead_id = find_lead(connection, given)
    keys: list[tuple[str, str | None]] = [("email" if "@" in given else "lead_id", given)]
    record_ids: list[str] = []
    if lead_id is not None:
        keys.append(("lead_id", lead_id))
        keys += connection.execute(PERSON_KEYS_SQL, {"lead_id": lead_id}).fetchall()
        rows = connection.execute(RECORD_IDS_SQL, {"lead_id": lead_id}).fetchall()
        record_ids = [row[0] for row in rows]
    person = person_from_keys(lead_id, keys, record_ids)
    if connection.execute(_HAS_CRM_LEADS_SQL).fetchall()[0][0]:
        rows = connection.execute(OPPORTUNITY_IDS_SQL, {"keys": list(person.values)}).fetchall()
        opportunities = [("salesforce_opportunity_id", row[0]) for row in rows]
        person = person_from_keys(lead_id, [*keys, *opportunities], record_ids)
    return person
