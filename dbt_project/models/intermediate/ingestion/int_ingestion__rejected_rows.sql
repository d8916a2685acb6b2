with web_rejected as (
    select * from {{ ref('stg_web__rejected_rows') }}
),

email_rejected as (
    select * from {{ ref('stg_email__rejected_rows') }}
),

support_rejected as (
    select * from {{ ref('stg_support__rejected_rows') }}
),

social_rejected as (
    select * from {{ ref('stg_social__rejected_rows') }}
),

booth_rejected as (
    select * from {{ ref('stg_booth__rejected_rows') }}
),

crm_rejected as (
    select * from {{ ref('stg_crm__rejected_rows') }}
),

final as (
    select * from web_rejected
    union all
    select * from email_rejected
    union all
    select * from support_rejected
    union all
    select * from social_rejected
    union all
    select * from booth_rejected
    union all
    select * from crm_rejected
)

select * from final
