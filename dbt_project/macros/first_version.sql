{#- One row per key: the first row of each `partition_by` group in `order_by` (a staging
    model's version of a record that wins), with its `version_rank` (always 1). -#}
{% macro first_version(relation, partition_by, order_by='file desc, position desc') -%}
    select * from (
        select
            *,
            row_number() over (
                partition by {{ partition_by }}
                order by {{ order_by }}
            ) as version_rank
        from {{ relation }}
    ) as versions
    where version_rank = 1
{%- endmacro %}
