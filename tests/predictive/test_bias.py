"""The bias audit: size bands, per-segment tables, proxies flagged."""

import numpy as np
import pandas as pd
import pytest

from orchestration.predictive.bias import bias_audit, company_size


def test_company_size_bands() -> None:
    sizes = company_size(pd.Series([10, 50, 199, 200, 1000, np.nan]))
    assert sizes.tolist() == ["1-49", "50-199", "50-199", "200-999", "1000+", "unknown"]


def test_a_feature_that_mirrors_the_country_is_flagged_as_a_proxy() -> None:
    leads = [f"l{i}" for i in range(8)]
    index = pd.MultiIndex.from_product(
        [[pd.Timestamp("2026-06-30")], leads], names=["cutoff", "lead_id"]
    )
    countries = ["DE", "DE", "DE", "DE", "US", "US", "US", "US"]
    predictions = pd.DataFrame(
        {
            "converted": [1, 0, 0, 0, 1, 1, 0, 0],
            "conversion_probability": [0.3, 0.2, 0.2, 0.1, 0.6, 0.5, 0.4, 0.3],
            "rule_total_score": [10.0, 5, 5, 0, 30, 25, 20, 15],
        },
        index=index,
    )
    features = pd.DataFrame(
        {
            "channel_event_90d": [0.0, 0, 0, 0, 3, 3, 3, 3],  # only US leads go to booths
            "activity_pricing_page_view_7d": [1.0, 1, 0, 0, 0, 0, 1, 1],
        },
        index=index,
    )
    profiles = pd.DataFrame(
        {"lead_id": leads, "country": countries, "industry": ["software"] * 8,
         "employee_count": [10, 60, 300, 2000, 10, 60, 300, 2000]}
    )  # fmt: skip
    tables = bias_audit(predictions, features, profiles)
    by_country = tables["country"].set_index("value")
    assert by_country.loc["US", "conversion_rate"] == 0.5
    assert by_country.loc["DE", "mean_probability"] == pytest.approx(0.2)
    proxies = tables["proxies"].set_index("feature")
    assert bool(proxies.loc["channel_event_90d", "is_proxy"])
    assert proxies.loc["channel_event_90d", "attribute"] == "country"
    assert not bool(proxies.loc["activity_pricing_page_view_7d", "is_proxy"])
    assert tables["company_size"]["value"].tolist() == ["1-49", "1000+", "200-999", "50-199"]
