with key_leads as (
    select * from {{ ref('int_identity__key_leads') }}
    where lead_id is not null
),

-- every id a person's email or person record ever gave it that did not survive (an email-less
-- lead's id retires when it is matched to a person with an email)
final as (
    select
        candidate_lead_id as alias_lead_id,
        lead_id,
        case when key_type = 'email' then key_value end as alias_email,
        first_seen_at as alias_first_seen_at
    from key_leads
    where (key_type = 'email' or is_emailless_person_key)
        and candidate_lead_id <> lead_id
)

select * from final
