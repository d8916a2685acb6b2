"""The score acts: alert webhooks (threshold crossings, band changes) and Salesforce
write-back, each recorded in the warehouse's `actions` schema so a rerun never repeats one."""
