with crm_tasks as (
    select * from {{ ref('stg_crm__tasks') }}
),

task_type_activities as (
    select * from {{ ref('crm_task_type_activities') }}
),

final as (
    select
        'crm' as source,
        'sales' as channel,
        coalesce(task_type_activities.activity, 'sales_other') as activity,
        crm_tasks.created_at as occurred_at,
        crm_tasks.source_record_id,
        crm_tasks.load_id,
        -- WhoId is a Lead (00Q) or, after conversion, a Contact (003)
        case
            when crm_tasks.who_id like '003%' then 'salesforce_contact_id'
            else 'salesforce_lead_id'
        end as identity_key_type,
        crm_tasks.who_id as identity_key_value,
        crm_tasks.task_type as event_name,
        crm_tasks.subject as detail,
        crm_tasks.call_duration_seconds as duration_seconds
    from crm_tasks
    left join task_type_activities
        on lower(crm_tasks.task_type) = task_type_activities.task_type
)

select * from final
