{#- A table, not a view: the recursive query in int_identity__components joins the edges
    once per round, and a view would rebuild them from the staged events every round (at 10M
    touchpoints: out of memory at 1 GB). -#}
{{ config(materialized="table") }}

with links as (
    select * from {{ ref('int_identity__links') }}
),

key_guards as (
    select * from {{ ref('int_identity__key_guards') }}
),

followed_keys as (
    select
        key_type,
        key_value,
        key_type || ':' || key_value as node_id
    from key_guards
    where not is_blocked
        and not is_capped
),

-- a link is followed only when neither end is blocked or capped
followed_links as (
    select
        left_keys.node_id as from_node_id,
        right_keys.node_id as to_node_id,
        links.link_kind,
        links.linked_at
    from links
    inner join followed_keys as left_keys
        on links.key_type = left_keys.key_type
        and links.key_value = left_keys.key_value
    inner join followed_keys as right_keys
        on links.linked_key_type = right_keys.key_type
        and links.linked_key_value = right_keys.key_value
),

-- both directions, plus every followed key linked to itself so a lone key is a component
directed as (
    select from_node_id, to_node_id, link_kind, linked_at from followed_links
    union all
    select to_node_id, from_node_id, link_kind, linked_at from followed_links
    union all
    select node_id, node_id, 'self', cast(null as {{ dbt.type_timestamp() }}) from followed_keys
),

final as (
    select
        from_node_id,
        to_node_id,
        min(link_kind) as link_kind,
        min(linked_at) as first_linked_at
    from directed
    group by from_node_id, to_node_id
)

select * from final
