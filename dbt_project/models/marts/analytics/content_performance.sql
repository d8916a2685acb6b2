{#- One row per piece of content (a page path, an email campaign, a downloaded asset or
    webinar; see the content_activities seed): the leads who saw it before converting (any
    time for leads not converted), how many converted, the conversion rate and its lift. -#}
with touchpoints as (
    select * from {{ ref('touchpoints') }}
    where lead_id is not null
),

content_activities as (
    select * from {{ ref('content_activities') }}
),

profiles as (
    select * from {{ ref('lead_profiles') }}
),

content_views as (
    select
        touchpoints.lead_id,
        touchpoints.occurred_at,
        content_activities.content_type,
        case content_activities.content_field
            when 'page_path' then touchpoints.page_path
            when 'campaign' then touchpoints.campaign
            else split_part(touchpoints.url, '?', 1)
        end as content
    from touchpoints
    inner join content_activities
        on touchpoints.activity = content_activities.activity
),

named_views as (
    select * from content_views
    where content is not null
),

lift as (
    {{ conversion_lift('named_views', 'profiles', ['content_type', 'content']) }}
),

final as (select * from lift)

select * from final
