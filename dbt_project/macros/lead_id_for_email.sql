{#- The candidate lead id of a normalized email or other key ('ld_' + 16 hex chars of md5). -#}
{% macro lead_id_for_email(column) -%}
    case
        when {{ column }} is not null
            then 'ld_' || left({{ dbt.hash(column) }}, 16)
    end
{%- endmacro %}
