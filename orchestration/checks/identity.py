"""Checks on the resolved identities: cluster-size outliers (warn)."""

from pathlib import Path

import dagster as dg

from orchestration.config.identity import load_identity_config
from orchestration.resources import IdentityResource, WarehouseResource

LEAD_IDENTITIES_KEY = dg.AssetKey(["marts", "lead_identities"])

# The people with the most identifiers, largest first (distinct keys across sources).
LARGEST_CLUSTERS_SQL = """
select
    lead_id,
    count(distinct key_type || ':' || key_value) as identifiers,
    count(distinct source) as sources
from marts.lead_identities
group by lead_id
order by identifiers desc, lead_id
limit ?
"""

OVERSIZED_COUNT_SQL = """
select count(*) from (
    select lead_id
    from marts.lead_identities
    group by lead_id
    having count(distinct key_type || ':' || key_value) > ?
)
"""

LISTED_CLUSTERS = 10


@dg.asset_check(
    asset=LEAD_IDENTITIES_KEY,
    name="identity_cluster_sizes",
    description="Warns when a person has more identifiers than `cluster_size_warning` "
    "(rules/identity.yml): a shared key that escaped the guard rails glues strangers together.",
)
def identity_cluster_sizes(
    identity: IdentityResource, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    limit = load_identity_config(Path(identity.rules_path)).cluster_size_warning
    with warehouse.connect(read_only=True) as connection:
        largest = connection.execute(LARGEST_CLUSTERS_SQL, [LISTED_CLUSTERS]).fetchall()
        counted = connection.execute(OVERSIZED_COUNT_SQL, [limit]).fetchone()
        assert counted is not None, "a count(*) returns one row"
        oversized = counted[0]
    return dg.AssetCheckResult(
        passed=oversized == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "oversized_clusters": oversized,
            "cluster_size_warning": limit,
            "largest_clusters": dg.MetadataValue.json(
                [
                    {"lead_id": lead, "identifiers": size, "sources": sources}
                    for lead, size, sources in largest
                ]
            ),
        },
    )
