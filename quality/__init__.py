"""Data-quality suites (Great Expectations) and quarantine thresholds: see the README roadmap."""
