{{ config(materialized="table") }}

{#- Connected components of the identity graph: every node ends up with the smallest node id
    of its component (macro `component_labels`: label propagation in a recursive CTE, on
    Spark in rounds). -#}
with labels as (
    {{ component_labels(ref('int_identity__edges')) }}
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
