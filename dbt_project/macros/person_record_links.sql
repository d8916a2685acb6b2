{#-
    The identity ties of a record that names a person by its own key and maybe an email
    (`key_type, key_value, linked_key_type, linked_key_value, linked_at`): the key to the
    email and the email to itself; without an email the key to itself (still a person).
    `records` is a relation or CTE name, the other arguments its columns (`key_type` a literal).
-#}
{% macro person_record_links(records, key_type, key_column, email_column, linked_at_column) -%}
    select
        '{{ key_type }}' as key_type,
        {{ key_column }} as key_value,
        'email' as linked_key_type,
        {{ email_column }} as linked_key_value,
        {{ linked_at_column }} as linked_at
    from {{ records }}
    where {{ key_column }} is not null
        and {{ email_column }} is not null

    union all

    select 'email', {{ email_column }}, 'email', {{ email_column }}, {{ linked_at_column }}
    from {{ records }}
    where {{ email_column }} is not null

    union all

    select '{{ key_type }}', {{ key_column }}, '{{ key_type }}', {{ key_column }},
        {{ linked_at_column }}
    from {{ records }}
    where {{ key_column }} is not null
        and {{ email_column }} is null
{%- endmacro %}
