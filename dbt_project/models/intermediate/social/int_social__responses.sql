with responses as (
    select * from {{ ref('stg_social__responses') }}
),

answers as (
    select * from {{ ref('stg_social__response_answers') }}
),

questions as (
    select * from {{ ref('stg_social__form_questions') }}
),

form_versions as (
    select distinct
        form_id,
        form_version_id
    from questions
),

-- the form version whose questions a response answered: its own when that version is known,
-- else the form's latest (an organic form comes without versionId, stored as version 0)
response_versions as (
    select
        responses.response_id,
        responses.form_id,
        coalesce(
            max(
                case
                    when form_versions.form_version_id = responses.form_version_id
                        then form_versions.form_version_id
                end
            ),
            max(form_versions.form_version_id)
        ) as question_version_id
    from responses
    inner join form_versions
        on responses.form_id = form_versions.form_id
    group by responses.response_id, responses.form_id
),

-- answers are mapped to fields by (form, version, questionId) -> predefinedField, never by
-- the label, which is in the form creator's language
mapped_answers as (
    select
        answers.response_id,
        questions.predefined_field,
        answers.answer
    from answers
    inner join response_versions
        on answers.response_id = response_versions.response_id
    inner join questions
        on response_versions.form_id = questions.form_id
        and response_versions.question_version_id = questions.form_version_id
        and answers.question_id = questions.question_id
    where questions.predefined_field is not null
),

pivoted as (
    select
        response_id,
        max(case when predefined_field = 'WORK_EMAIL' then {{ normalize_email('answer') }} end)
            as work_email,
        max(case when predefined_field = 'EMAIL' then {{ normalize_email('answer') }} end)
            as contact_email,
        max(case when predefined_field = 'FIRST_NAME' then nullif(trim(answer), '') end)
            as first_name,
        max(case when predefined_field = 'LAST_NAME' then nullif(trim(answer), '') end)
            as last_name,
        max(case when predefined_field = 'COMPANY_NAME' then nullif(trim(answer), '') end)
            as company,
        max(case when predefined_field = 'JOB_TITLE' then nullif(trim(answer), '') end) as title,
        max(case when predefined_field = 'INDUSTRY' then nullif(trim(answer), '') end) as industry,
        max(case when predefined_field = 'COMPANY_SIZE' then nullif(trim(answer), '') end)
            as company_size,
        max(case when predefined_field = 'COUNTRY' then nullif(trim(answer), '') end) as country,
        max(case when predefined_field = 'PHONE_NUMBER' then nullif(trim(answer), '') end) as phone
    from mapped_answers
    group by response_id
),

final as (
    select
        responses.response_id,
        responses.form_id,
        responses.form_version_id,
        responses.submitter_urn,
        responses.lead_type,
        responses.campaign_urn,
        -- WORK_EMAIL is the profile email when the form asks both; both identify the person
        coalesce(pivoted.work_email, pivoted.contact_email) as email,
        pivoted.work_email,
        pivoted.contact_email,
        pivoted.first_name,
        pivoted.last_name,
        pivoted.company,
        pivoted.title,
        pivoted.industry,
        pivoted.company_size,
        {{ first_integer('pivoted.company_size') }} as employee_count,
        pivoted.country,
        pivoted.phone,
        responses.submitted_at,
        responses.source_record_id,
        responses.load_id
    from responses
    left join pivoted
        on responses.response_id = pivoted.response_id
)

select * from final
