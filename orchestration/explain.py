"""`leadscore explain`: a lead's profile and every identifier that makes it, with its source."""

from __future__ import annotations

import duckdb

# The lead of an email (any of its resolved emails, any case), a lead id or a retired id.
FIND_LEAD_SQL = """
with wanted as (select lower(trim(?)) as needle)
select lead_id from marts.lead_profiles, wanted where lead_id = needle or email = needle
union
select lead_id from marts.lead_identities, wanted
where key_type = 'email' and key_value = needle
union
select lead_id from marts.lead_id_aliases, wanted where alias_lead_id = needle
"""

PROFILE_SQL = """
select lead_id, email, email_source, first_name, first_name_source, last_name,
    last_name_source, company, company_source, title, title_source, industry, industry_source,
    employee_count, employee_count_source, country, country_source, crm_lead_id, channels,
    first_seen_at, last_seen_at, is_converted, converted_at, is_won
from marts.lead_profiles
where lead_id = ?
"""

IDENTITIES_SQL = """
select source, key_type, key_value, link_kinds, match_probability, first_seen_at, last_seen_at
from marts.lead_identities
where lead_id = ?
order by key_type, key_value, source
"""

ALIASES_SQL = """
select alias_lead_id, alias_email from marts.lead_id_aliases where lead_id = ? order by 1
"""

PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "title",
    "industry",
    "employee_count",
    "country",
)


def find_lead(connection: duckdb.DuckDBPyConnection, email_or_lead_id: str) -> str | None:
    """The lead id an email, lead id or retired lead id resolves to (None when unknown)."""
    rows = connection.execute(FIND_LEAD_SQL, [email_or_lead_id]).fetchall()
    return rows[0][0] if len(rows) == 1 else None


def explain_identity(connection: duckdb.DuckDBPyConnection, lead_id: str) -> list[str]:
    """Lines describing the lead: profile values with their source, identifiers, aliases."""
    cursor = connection.execute(PROFILE_SQL, [lead_id])
    columns = [column[0] for column in cursor.description]
    profile = dict(zip(columns, cursor.fetchone(), strict=True))
    lines = [
        f"Lead {profile['lead_id']}  {profile['email']}  (email from {profile['email_source']})",
        *(
            f"  {field:<15} {profile[field]}  [{profile[field + '_source']}]"
            for field in PROFILE_FIELDS
            if profile[field] is not None
        ),
        f"  channels        {', '.join(profile['channels'])}",
        f"  seen            {profile['first_seen_at']} .. {profile['last_seen_at']}",
        f"  converted       {profile['is_converted']} {profile['converted_at'] or ''}"
        f"  won {profile['is_won']}  crm lead {profile['crm_lead_id'] or '-'}",
        "Identifiers (source, key type, key, how the source tied it, first seen):",
    ]
    for source, key_type, key_value, kinds, probability, first_seen, _ in connection.execute(
        IDENTITIES_SQL, [lead_id]
    ).fetchall():
        match = f" p={probability:.4f}" if probability is not None else ""
        lines.append(
            f"  {source:<8} {key_type:<22} {key_value}  [{', '.join(kinds)}{match}]  {first_seen}"
        )
    aliases = connection.execute(ALIASES_SQL, [lead_id]).fetchall()
    if aliases:
        lines.append("Retired ids (aliases of this lead):")
        lines.extend(f"  {alias}  (from {email})" for alias, email in aliases)
    return lines
