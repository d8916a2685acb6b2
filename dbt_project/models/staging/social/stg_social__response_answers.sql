with source as (
    select * from ({{ select_source_columns('raw_social', 'response_answers') }}) as raw_rows
),

renamed as (
    select
        -- ids
        cast(response_id as {{ dbt.type_string() }}) as response_id,
        cast(question_id as {{ dbt.type_bigint() }}) as question_id,

        -- dimensions
        cast(answer as {{ dbt.type_string() }}) as answer,

        -- lineage
        cast(_dlt_load_id as {{ dbt.type_string() }}) as load_id
    from source
),

final as (
    {{ first_version('renamed', 'response_id, question_id', 'load_id desc') }}
)

select * from final
