with web_deliveries as (
    select * from {{ ref('stg_web__deliveries') }}
),

email_deliveries as (
    select * from {{ ref('stg_email__deliveries') }}
),

support_deliveries as (
    select * from {{ ref('stg_support__deliveries') }}
),

social_deliveries as (
    select * from {{ ref('stg_social__deliveries') }}
),

booth_deliveries as (
    select * from {{ ref('stg_booth__deliveries') }}
),

crm_deliveries as (
    select * from {{ ref('stg_crm__deliveries') }}
),

final as (
    select * from web_deliveries
    union all
    select * from email_deliveries
    union all
    select * from support_deliveries
    union all
    select * from social_deliveries
    union all
    select * from booth_deliveries
    union all
    select * from crm_deliveries
)

select * from final
