{#-
    The identity ties of a record that names a person by its own key and maybe an email, as
    `int_identity__links` rows: the key tied to the email and the email to itself; without an
    email, the key tied to itself (still a person). `records` is a relation or CTE name, the
    column arguments its columns; `source`, `key_type` and `link_kind` are literals.
-#}
{% macro person_record_links(
    records, source, key_type, key_column, email_column, linked_at_column, link_kind='profile'
) -%}
    select
        '{{ source }}' as source,
        '{{ key_type }}' as key_type,
        {{ key_column }} as key_value,
        'email' as linked_key_type,
        {{ email_column }} as linked_key_value,
        '{{ link_kind }}' as link_kind,
        {{ linked_at_column }} as linked_at
    from {{ records }}
    where {{ key_column }} is not null
        and {{ email_column }} is not null

    union all

    select '{{ source }}', 'email', {{ email_column }}, 'email', {{ email_column }},
        '{{ link_kind }}', {{ linked_at_column }}
    from {{ records }}
    where {{ email_column }} is not null

    union all

    select '{{ source }}', '{{ key_type }}', {{ key_column }}, '{{ key_type }}', {{ key_column }},
        '{{ link_kind }}', {{ linked_at_column }}
    from {{ records }}
    where {{ key_column }} is not null
        and {{ email_column }} is null
{%- endmacro %}
