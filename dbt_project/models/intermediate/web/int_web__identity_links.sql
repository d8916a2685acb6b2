with web_events as (
    select * from {{ ref('stg_web__events') }}
),

identify_calls as (
    select * from web_events
    where event_type = 'identify'
        and trait_email is not null
),

identify_links as (
    select
        'anonymous_id' as key_type,
        anonymous_id as key_value,
        'email' as linked_key_type,
        trait_email as linked_key_value,
        occurred_at as linked_at
    from identify_calls
    where anonymous_id is not null

    union all

    select 'user_id', user_id, 'email', trait_email, occurred_at
    from identify_calls
    where user_id is not null

    union all

    select 'email', trait_email, 'email', trait_email, occurred_at
    from identify_calls
),

-- any call carrying both ids ties the browser to the product user
id_pair_links as (
    select
        'anonymous_id' as key_type,
        anonymous_id as key_value,
        'user_id' as linked_key_type,
        user_id as linked_key_value,
        min(occurred_at) as linked_at
    from web_events
    where anonymous_id is not null
        and user_id is not null
    group by anonymous_id, user_id
),

web_links as (
    select * from identify_links
    union all
    select * from id_pair_links
),

final as (
    select
        'web' as source,
        key_type,
        key_value,
        linked_key_type,
        linked_key_value,
        'identify' as link_kind,
        linked_at
    from web_links
)

select * from final
