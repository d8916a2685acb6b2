{#-
    The as-of instant: the end of the day given in the `as_of` var (UTC), as a SQL literal.
    Parsing (`dbt parse`, manifest preparation) needs no var: the check runs only when
    dbt executes, and then a missing or malformed var is a compile error saying what to pass.
-#}
{% macro as_of_timestamp() -%}
    {%- set as_of = var('as_of', none) -%}
    {%- if not execute -%}
        {%- set as_of_text = (as_of or '1970-01-01') | string | trim -%}
    {%- else -%}
        {%- if as_of is none or (as_of | string | trim) == '' -%}
            {{ exceptions.raise_compiler_error(
                "leadscore needs the dbt var `as_of` (YYYY-MM-DD), e.g. "
                ~ "dbt build --vars '{as_of: 2026-06-30}'. Nothing is scored without an as-of date."
            ) }}
        {%- endif -%}
        {%- set as_of_text = as_of | string | trim -%}
        {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', as_of_text) -%}
            {{ exceptions.raise_compiler_error(
                "The dbt var `as_of` must be a date YYYY-MM-DD, got '" ~ as_of_text ~ "'."
            ) }}
        {%- endif -%}
    {%- endif -%}
    cast('{{ as_of_text }} 23:59:59.999999' as {{ dbt.type_timestamp() }})
{%- endmacro %}
