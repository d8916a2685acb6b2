-- one model per channel; a new channel is a new model and a line here
with unioned as (
    {{ union_by_name(
        relations=[
            ref('int_web__touchpoints'),
            ref('int_email__touchpoints'),
            ref('int_support__touchpoints'),
            ref('int_social__touchpoints'),
            ref('int_booth__touchpoints'),
            ref('int_crm__touchpoints'),
        ],
        columns=[
            ['source', 'string'],
            ['channel', 'string'],
            ['activity', 'string'],
            ['occurred_at', 'timestamp'],
            ['campaign', 'string'],
            ['url', 'string'],
            ['source_record_id', 'string'],
            ['load_id', 'string'],
            ['identity_key_type', 'string'],
            ['identity_key_value', 'string'],
            ['fallback_key_type', 'string'],
            ['fallback_key_value', 'string'],
            ['page_path', 'string'],
            ['event_name', 'string'],
            ['detail', 'string'],
            ['duration_seconds', 'bigint'],
        ],
    ) }}
),

final as (
    select
        {{ touchpoint_id('source', 'source_record_id') }} as touchpoint_id,
        *
    from unioned
    where occurred_at <= {{ as_of_timestamp() }}
)

select * from final
