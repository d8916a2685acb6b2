{#- `value` without the trailing characters of `characters` (a SQL string literal). -#}
{% macro trim_trailing(value, characters) -%}
    {{ return(adapter.dispatch('trim_trailing', 'leadscore')(value, characters)) }}
{%- endmacro %}

{% macro default__trim_trailing(value, characters) -%}
    rtrim({{ value }}, {{ characters }})
{%- endmacro %}

{#- Spark's two-argument rtrim takes the characters first: the standard form says it plainly. -#}
{% macro spark__trim_trailing(value, characters) -%}
    trim(trailing {{ characters }} from {{ value }})
{%- endmacro %}
