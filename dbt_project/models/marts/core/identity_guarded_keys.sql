with key_guards as (
    select * from {{ ref('int_identity__key_guards') }}
    where is_blocked
        or is_capped
),

links as (
    select * from {{ ref('int_identity__links') }}
),

key_sources as (
    select key_type, key_value, source from links
    union all
    select linked_key_type, linked_key_value, source from links
),

sources_per_key as (
    select
        key_type,
        key_value,
        {{ sorted_distinct_list('source') }} as sources
    from key_sources
    group by key_type, key_value
),

final as (
    select
        key_guards.key_type,
        key_guards.key_value,
        case when key_guards.is_capped then 'capped' else 'blocked' end as guard,
        key_guards.block_reason,
        key_guards.linked_people,
        sources_per_key.sources
    from key_guards
    inner join sources_per_key
        on key_guards.key_type = sources_per_key.key_type
        and key_guards.key_value = sources_per_key.key_value
)

select * from final
