{{ config(materialized="table") }}

{#- Connected components of the identity graph by label propagation: every node ends up with
    the smallest node id of its component. A label only moves to a node larger than itself,
    which keeps the recursion small and still carries the component's minimum everywhere. -#}
with recursive edges as (
    select * from {{ ref('int_identity__edges') }}
    where from_node_id <> to_node_id
),

nodes as (
    select distinct from_node_id as node_id
    from {{ ref('int_identity__edges') }}
),

propagated (node_id, label) as (
    select node_id, node_id
    from nodes

    union

    select
        edges.to_node_id,
        propagated.label
    from propagated
    inner join edges
        on propagated.node_id = edges.from_node_id
    where propagated.label < edges.to_node_id
),

labels as (
    select
        node_id,
        min(label) as component_id
    from propagated
    group by node_id
),

final as (
    select
        labels.component_id,
        labels.node_id,
        split_part(labels.node_id, ':', 1) as key_type,
        substr(labels.node_id, length(split_part(labels.node_id, ':', 1)) + 2) as key_value
    from labels
)

select * from final
