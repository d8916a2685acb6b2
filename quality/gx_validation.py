"""Run a suite with Great Expectations over a table of the warehouse (GX's pandas datasource).

GX's SQL datasource cannot read DuckDB here (see STACK.md), so the rows are read with DuckDB
and validated as a DataFrame in an ephemeral context. GX is imported inside `validate_frame`:
the import takes seconds, and every load of the code location would pay for it otherwise.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import duckdb
import pandas as pd

from quality.suites import ExpectationSpec, Suite

SAMPLE_SIZE = 10


@dataclass(frozen=True)
class ExpectationOutcome:
    """What one expectation found."""

    expectation: str
    kwargs: dict[str, Any]
    success: bool
    unexpected_count: int | None = None
    unexpected_percent: float | None = None
    sample: list[str] = field(default_factory=list)
    observed_value: str | None = None
    error: str | None = None
    meaning: str = ""

    @property
    def target(self) -> str:
        columns = [
            str(self.kwargs[k]) for k in ("column", "column_A", "column_B") if k in self.kwargs
        ]
        return ", ".join(columns) or "table"

    def message(self) -> str:
        """One line a data engineer can act on."""
        text = f"{self.target}: {self.expectation}"
        if self.error:
            return f"{text} could not run: {self.error}"
        if self.unexpected_count is not None:
            text += f" failed for {self.unexpected_count} rows ({self.unexpected_percent:.1f}%)"
        elif self.observed_value is not None:
            text += f" failed (observed {self.observed_value})"
        if self.sample:
            text += f", e.g. {', '.join(self.sample[:5])}"
        return f"{text}. {self.meaning}".strip()


@dataclass(frozen=True)
class SuiteOutcome:
    """The result of one suite over the rows it validated."""

    suite: Suite
    rows: int
    expectations: list[ExpectationOutcome]
    seconds: float = 0.0

    @property
    def success(self) -> bool:
        return all(outcome.success for outcome in self.expectations)

    @property
    def failed(self) -> list[ExpectationOutcome]:
        return [outcome for outcome in self.expectations if not outcome.success]

    @property
    def unexpected_count(self) -> int:
        return sum(outcome.unexpected_count or 0 for outcome in self.failed)


def read_rows(connection: duckdb.DuckDBPyConnection, suite: Suite) -> pd.DataFrame:
    """The rows the suite validates: the whole table, or the newest load only.

    The table and column names come from suite files in the repository, not from users.
    """
    table = ".".join(f'"{part}"' for part in suite.table_name.split("."))
    if suite.rows == "all":
        frame = connection.execute(f"select * from {table}").df()  # noqa: S608
    else:
        load = f'"{suite.load_id_column}"'
        frame = connection.execute(
            f"select * from {table} where {load} = (select max({load}) from {table})"  # noqa: S608
        ).df()
    return naive_utc(frame)


def naive_utc(frame: pd.DataFrame) -> pd.DataFrame:
    """Time-zone-aware columns as naive UTC, so one kind of bound fits raw and modelled tables."""
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.tz_convert("UTC").dt.tz_localize(None)
    return frame


def resolve_kwargs(
    connection: duckdb.DuckDBPyConnection, spec: ExpectationSpec, as_of: datetime
) -> dict[str, Any]:
    """The expectation's kwargs with the query- and as-of-based ones filled in."""
    kwargs = dict(spec.kwargs)
    for name, sql in spec.kwargs_sql.items():
        rows = connection.execute(sql).fetchall()
        width = len(rows[0]) if rows else 1
        values = [row[0] for row in rows] if width == 1 else [tuple(row) for row in rows]
        if name.endswith(("min_value", "max_value")):
            kwargs[name] = values[0] if values else None
        else:  # a list given in the file is extended, not replaced
            kwargs[name] = [*kwargs.get(name, []), *values]
    for name, days in spec.kwargs_as_of_days.items():
        kwargs[name] = pd.Timestamp(as_of.replace(tzinfo=None) + timedelta(days=days))
    return kwargs


def validate_frame(
    frame: pd.DataFrame, suite: Suite, resolved: list[dict[str, Any]]
) -> list[ExpectationOutcome]:
    """Run the suite's expectations (with their resolved kwargs) over the frame with GX."""
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    context = gx.get_context(mode="ephemeral")
    # GX reads the dict form too (its configs are DictDot); the setter's hint names the class
    context.variables.progress_bars = {"globally": False}  # type: ignore[assignment]
    batch = (
        context.data_sources.add_pandas(suite.name)
        .add_dataframe_asset(suite.name)
        .add_batch_definition_whole_dataframe(suite.name)
        .get_batch(batch_parameters={"dataframe": frame})
    )
    outcomes = []
    for spec, kwargs in zip(suite.expectations, resolved, strict=True):
        expectation = ExpectationConfiguration(type=spec.type, kwargs=kwargs).to_domain_obj()
        result = batch.validate(expectation)
        details = result.result or {}
        error = None if result.success else (result.exception_info or {}).get("exception_message")
        observed = details.get("observed_value")
        outcomes.append(
            ExpectationOutcome(
                expectation=spec.type,
                kwargs={k: v for k, v in spec.kwargs.items() if k.startswith("column")},
                success=bool(result.success),
                unexpected_count=details.get("unexpected_count"),
                unexpected_percent=details.get("unexpected_percent"),
                sample=[str(value) for value in details.get("partial_unexpected_list") or []][
                    :SAMPLE_SIZE
                ],
                observed_value=None if observed is None else str(observed),
                error=error,
                meaning=spec.meaning,
            )
        )
    return outcomes


def run_suite(connection: duckdb.DuckDBPyConnection, suite: Suite, as_of: datetime) -> SuiteOutcome:
    """Read the suite's rows and validate them; a missing table is a failure, not a crash."""
    started = time.perf_counter()
    try:
        frame = read_rows(connection, suite)
    except duckdb.CatalogException as error:
        missing = ExpectationOutcome(
            expectation="table_exists",
            kwargs={},
            success=False,
            error=str(error).splitlines()[0],
            meaning=f"The table {suite.table_name} is not in the warehouse.",
        )
        return SuiteOutcome(suite=suite, rows=0, expectations=[missing])
    resolved = [resolve_kwargs(connection, spec, as_of) for spec in suite.expectations]
    outcomes = validate_frame(frame, suite, resolved)
    seconds = time.perf_counter() - started
    return SuiteOutcome(suite=suite, rows=len(frame), expectations=outcomes, seconds=seconds)
