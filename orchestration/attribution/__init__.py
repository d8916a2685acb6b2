"""Data-driven attribution (Markov removal effects, Shapley values): pure computations over
journey touchpoints, with no Dagster or DuckDB in them, so they are unit-testable."""
