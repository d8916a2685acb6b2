{#- The lower-cased host of a URL ('https://www.linkedin.com/feed' -> 'www.linkedin.com'), or null. -#}
{% macro url_host(column) -%}
    {{ return(adapter.dispatch('url_host', 'leadscore')(column)) }}
{%- endmacro %}

{% macro default__url_host(column) -%}
    nullif(lower(regexp_extract({{ column }}, '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#:@]*@)?([^/?#:]+)', 2)), '')
{%- endmacro %}
