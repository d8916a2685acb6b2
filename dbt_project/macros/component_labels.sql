{#-
    The connected components of the graph of the relation `edges` (from_node_id, to_node_id;
    symmetric, every node also linked to itself, as int_identity__edges): `node_id,
    component_id` per node, the component's smallest node id.
-#}
{% macro component_labels(edges) -%}
    {{ return(adapter.dispatch('component_labels', 'leadscore')(edges)) }}
{%- endmacro %}

{#- Label propagation in a recursive CTE: a label only moves to a node larger than itself,
    which keeps the recursion small and still carries the component's minimum everywhere. -#}
{% macro default__component_labels(edges) -%}
    with recursive edges as (
        select * from {{ edges }}
        where from_node_id <> to_node_id
    ),

    nodes as (
        select distinct from_node_id as node_id
        from {{ edges }}
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
    )

    select
        node_id,
        min(label) as component_id
    from propagated
    group by node_id
{%- endmacro %}

{#-
    Spark's recursive CTEs need `union all`, which would walk every cycle forever. Instead,
    rounds of min-label propagation, each one table: every node takes the smallest label of
    itself and its neighbours, until a round changes nothing (at most the graph's diameter;
    the var `identity_max_rounds`, 64 by default, bounds it: more is a run error, never a
    wrong component). The rounds run when the model executes; the model selects the last.
-#}
{% macro spark__component_labels(edges) -%}
    {%- set scratch = this.schema ~ '.' ~ this.identifier ~ '__labels' -%}
    {%- set edges_sql = 'select from_node_id, to_node_id from ' ~ edges -%}
    {%- if execute -%}
        {#- Parquet tables cannot be replaced in place: dropped, then created -#}
        {%- do run_query('drop table if exists ' ~ scratch ~ '_0') -%}
        {%- do run_query(
            'create table ' ~ scratch ~ '_0 using parquet as '
            ~ 'select distinct from_node_id as node_id, from_node_id as label from ('
            ~ edges_sql ~ ')'
        ) -%}
        {%- set state = namespace(round=0, changed=1) -%}
        {%- for round in range(1, var('identity_max_rounds', 64) + 1) -%}
            {%- if state.changed > 0 -%}
                {%- do run_query('drop table if exists ' ~ scratch ~ '_' ~ (round % 2)) -%}
                {%- do run_query(
                    'create table ' ~ scratch ~ '_' ~ (round % 2) ~ ' using parquet as '
                    ~ 'select edges.to_node_id as node_id, min(labels.label) as label '
                    ~ 'from ' ~ scratch ~ '_' ~ ((round + 1) % 2) ~ ' as labels '
                    ~ 'inner join (' ~ edges_sql ~ ') as edges '
                    ~ 'on labels.node_id = edges.from_node_id group by edges.to_node_id'
                ) -%}
                {%- set changes = run_query(
                    'select count(*) from ' ~ scratch ~ '_0 as a inner join ' ~ scratch
                    ~ '_1 as b on a.node_id = b.node_id where a.label <> b.label'
                ) -%}
                {%- set state.changed = changes.columns[0].values()[0] -%}
                {%- set state.round = round -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if state.changed > 0 -%}
            {{ exceptions.raise_compiler_error(
                this ~ ": labels still changed after " ~ state.round ~ " rounds; raise the var "
                ~ "identity_max_rounds above the identity graph's diameter"
            ) }}
        {%- endif -%}
        select node_id, label as component_id from {{ scratch }}_{{ state.round % 2 }}
    {%- else -%}
        select from_node_id as node_id, from_node_id as component_id from {{ edges }}
    {%- endif -%}
{%- endmacro %}
