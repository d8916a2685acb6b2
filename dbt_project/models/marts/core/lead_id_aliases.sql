with key_leads as (
    select * from {{ ref('int_identity__key_leads') }}
    where lead_id is not null
),

-- every id a person's email ever gave it (the only ids ever issued) that did not survive
final as (
    select
        candidate_lead_id as alias_lead_id,
        lead_id,
        key_value as alias_email,
        first_seen_at as alias_first_seen_at
    from key_leads
    where key_type = 'email'
        and candidate_lead_id <> lead_id
)

select * from final
