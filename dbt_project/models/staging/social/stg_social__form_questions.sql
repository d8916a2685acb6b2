with source as (
    select * from ({{ select_source_columns('raw_social', 'form_questions') }}) as raw_rows
),

renamed as (
    select
        -- ids
        cast(form_id as {{ dbt.type_bigint() }}) as form_id,
        cast(form_version_id as {{ dbt.type_bigint() }}) as form_version_id,
        cast(question_id as {{ dbt.type_bigint() }}) as question_id,

        -- dimensions
        nullif(upper(trim(cast(predefined_field as {{ dbt.type_string() }}))), '')
            as predefined_field,
        cast(name as {{ dbt.type_string() }}) as question_label,

        -- lineage
        cast(_dlt_load_id as {{ dbt.type_string() }}) as load_id
    from source
),

final as (
    {{ first_version('renamed', 'form_id, form_version_id, question_id', 'load_id desc') }}
)

select * from final
