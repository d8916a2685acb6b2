-- every observed tie between two identifiers (or one identifier seen alone: linked to itself),
-- one model per channel plus Splink's fuzzy matches; a new channel is a new model and a line here
with links as (
    {{ union_by_name(
        relations=[
            ref('int_web__identity_links'),
            ref('int_email__identity_links'),
            ref('int_support__identity_links'),
            ref('int_social__identity_links'),
            ref('int_booth__identity_links'),
            ref('int_crm__identity_links'),
            ref('int_identity__fuzzy_links'),
        ],
        columns=[
            ['source', 'string'],
            ['key_type', 'string'],
            ['key_value', 'string'],
            ['linked_key_type', 'string'],
            ['linked_key_value', 'string'],
            ['link_kind', 'string'],
            ['linked_at', 'timestamp'],
            ['match_probability', 'float'],
        ],
    ) }}
),

final as (
    select * from links
    where key_value is not null
        and linked_key_value is not null
)

select * from final
