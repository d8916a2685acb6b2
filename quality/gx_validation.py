"""Run a suite with Great Expectations over a table of the warehouse (GX's pandas datasource).

GX's SQL datasource cannot read DuckDB here (see STACK.md), so the rows are read with DuckDB
and validated as a DataFrame in an ephemeral context. GX is imported inside `validate_frame`:
the import takes seconds, and every load of the code location would pay for it otherwise.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
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


# Expectations on the table's columns, not its values: validated on its schema (no rows).
SCHEMA_EXPECTATIONS = frozenset(
    {
        "expect_column_to_exist",
        "expect_table_columns_to_match_ordered_list",
        "expect_table_columns_to_match_set",
        "expect_table_column_count_to_be_between",
        "expect_table_column_count_to_equal",
    }
)
# Expectations on the number of rows only: validated on that many rows without columns.
ROW_COUNT_EXPECTATIONS = frozenset(
    {"expect_table_row_count_to_be_between", "expect_table_row_count_to_equal"}
)
# Uniqueness: its verdict over the rows is the merge of its verdicts over parts split by the key.
UNIQUENESS_EXPECTATIONS = frozenset(
    {"expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"}
)
# Per-row expectations (each row judged on its own): parts can be validated one by one.
PER_ROW_PREFIXES = ("expect_column_values_to_", "expect_column_pair_values_")
COLUMN_KWARGS = ("column", "column_A", "column_B")
# Rows validated at once: a bigger table is validated in parts of about this size, so a
# 10M-row table is never held whole in pandas.
PART_ROWS = 500_000


def quoted_table(suite: Suite) -> str:
    """The suite's table as a quoted DuckDB name (from suite files, not from users)."""
    return ".".join(f'"{part}"' for part in suite.table_name.split("."))


def table_schema(connection: duckdb.DuckDBPyConnection, suite: Suite) -> pd.DataFrame:
    """The table's columns and types, without rows (a missing table raises CatalogException)."""
    return naive_utc(
        connection.execute(f"select * from {quoted_table(suite)} limit 0").df()  # noqa: S608
    )


def columns_used(spec: ExpectationSpec, table_columns: Sequence[str]) -> set[str] | None:
    """The table columns a value expectation reads; None: it may read any (all are read)."""
    kwargs = spec.kwargs
    named = [str(kwargs[key]) for key in COLUMN_KWARGS if key in kwargs]
    named += [str(column) for column in kwargs.get("column_list", [])]
    if not named:
        return None
    condition = str(kwargs.get("row_condition", ""))
    in_condition = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", condition))
    # a named column the table lacks stays out: GX then reports it missing, as over all columns
    return {column for column in table_columns if column in named or column in in_condition}


def value_columns(suite: Suite, table_columns: Sequence[str]) -> list[str]:
    """The columns the suite's value expectations read, in the table's order."""
    needed: set[str] = set()
    for spec in suite.expectations:
        if spec.type in SCHEMA_EXPECTATIONS or spec.type in ROW_COUNT_EXPECTATIONS:
            continue
        used = columns_used(spec, table_columns)
        if used is None:
            return list(table_columns)
        needed |= used
    return [column for column in table_columns if column in needed]


def part_key(suite: Suite, table_columns: Sequence[str]) -> list[str] | None:
    """The columns to split the rows by, so each part's verdicts merge into the table's:
    the one uniqueness key (all copies of a key in one part) or any column if there is none;
    None when the suite cannot be validated in parts (an aggregate, two different keys)."""
    keys: list[list[str]] = []
    for spec in suite.expectations:
        if spec.type in SCHEMA_EXPECTATIONS or spec.type in ROW_COUNT_EXPECTATIONS:
            continue
        if spec.type in UNIQUENESS_EXPECTATIONS:
            used = columns_used(spec, table_columns) or set()
            keys.append(sorted(used))
        elif not spec.type.startswith(PER_ROW_PREFIXES):
            return None
    distinct = {tuple(key) for key in keys}
    if len(distinct) > 1 or any(not key for key in distinct):
        return None
    return list(next(iter(distinct))) if distinct else list(table_columns[:1])


@dataclass(frozen=True)
class SuiteRows:
    """The rows a suite validates: which, how many, and how to read them part by part."""

    table: str
    condition: str  # a where clause (true, or the newest load)
    parameters: list[Any]
    count: int

    def parts(self, columns: Sequence[str], key: Sequence[str] | None) -> int:
        if not columns or not key:
            return 1
        return max(1, -(-self.count // PART_ROWS))

    def read(
        self,
        connection: duckdb.DuckDBPyConnection,
        columns: Sequence[str],
        key: Sequence[str] | None,
    ) -> Iterator[pd.DataFrame]:
        """The rows' `columns`, in parts split by the hash of `key` (one part when small)."""
        parts = self.parts(columns, key)
        selected = ", ".join(f'"{column}"' for column in columns)
        sql = f"select {selected} from {self.table} where {self.condition}"  # noqa: S608
        if parts == 1:
            yield naive_utc(connection.execute(sql, self.parameters).df())
            return
        assert key is not None  # parts > 1
        hashed = ", ".join(f'"{column}"' for column in key)
        for part in range(parts):
            split = f"{sql} and hash({hashed}) % {parts} = {part}"
            yield naive_utc(connection.execute(split, self.parameters).df())


def suite_rows(connection: duckdb.DuckDBPyConnection, suite: Suite) -> SuiteRows:
    """The whole table, or the newest dlt load only, and how many rows that is."""
    table = quoted_table(suite)
    condition, parameters = "true", []
    if suite.rows == "latest_load":
        load = f'"{suite.load_id_column}"'
        newest = connection.execute(f"select max({load}) from {table}").fetchall()  # noqa: S608
        condition, parameters = f"{load} = ?", [newest[0][0]]
    counted = connection.execute(
        f"select count(*) from {table} where {condition}",  # noqa: S608
        parameters,
    ).fetchall()
    return SuiteRows(table=table, condition=condition, parameters=parameters, count=counted[0][0])


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


def validate_suite(
    connection: duckdb.DuckDBPyConnection,
    suite: Suite,
    resolved: list[dict[str, Any]],
    schema: pd.DataFrame,
    rows: SuiteRows,
) -> list[ExpectationOutcome]:
    """Run the suite's expectations (with their resolved kwargs) with GX: column ones over the
    table's schema, row-count ones over the row count, value ones over the columns they read,
    part by part for a big table, each expectation's parts merged into one outcome."""
    import great_expectations as gx
    from great_expectations.core import ExpectationValidationResult
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    context = gx.get_context(mode="ephemeral")
    # GX reads the dict form too (its configs are DictDot); the setter's hint names the class
    context.variables.progress_bars = {"globally": False}  # type: ignore[assignment]
    batches = (
        context.data_sources.add_pandas(suite.name)
        .add_dataframe_asset(suite.name)
        .add_batch_definition_whole_dataframe(suite.name)
    )
    expectations = [
        ExpectationConfiguration(type=spec.type, kwargs=kwargs, meta={"index": index})
        for index, (spec, kwargs) in enumerate(zip(suite.expectations, resolved, strict=True))
    ]
    results: list[list[ExpectationValidationResult]] = [[] for _ in expectations]

    def validate(frame: pd.DataFrame, indexes: list[int]) -> None:
        """One GX validation of these expectations over the frame: GX computes the metrics
        they share once (half the time of one validation per expectation)."""
        batch = batches.get_batch(batch_parameters={"dataframe": frame})
        subset = gx.ExpectationSuite(
            name=suite.name,
            expectations=[expectations[index].to_domain_obj() for index in indexes],
        )
        for result in batch.validate(subset).results:  # not in the suite's order
            config = result.expectation_config
            assert config is not None and config.meta is not None  # what GX validated
            results[int(config.meta["index"])].append(result)

    kinds: dict[str, list[int]] = {"schema": [], "row_count": [], "values": []}
    for index, spec in enumerate(suite.expectations):
        kind = (
            "schema"
            if spec.type in SCHEMA_EXPECTATIONS
            else "row_count"
            if spec.type in ROW_COUNT_EXPECTATIONS
            else "values"
        )
        kinds[kind].append(index)
    if kinds["schema"]:
        validate(schema, kinds["schema"])
    if kinds["row_count"]:
        validate(pd.DataFrame(index=pd.RangeIndex(rows.count)), kinds["row_count"])
    if kinds["values"]:
        columns = value_columns(suite, list(schema.columns))
        if not columns:  # every column they name is missing: GX says so, row by row
            validate(pd.DataFrame(index=pd.RangeIndex(rows.count)), kinds["values"])
        else:
            for part in rows.read(connection, columns, part_key(suite, list(schema.columns))):
                validate(part, kinds["values"])
    return [
        merged_outcome(spec, parts) for spec, parts in zip(suite.expectations, results, strict=True)
    ]


def merged_outcome(spec: ExpectationSpec, parts: Sequence[Any]) -> ExpectationOutcome:
    """One expectation's outcome from its results over the parts of the rows (GX's
    ExpectationValidationResult each): counts summed, shares over all parts, samples joined."""
    details = [part.result or {} for part in parts]
    failed = [part for part in parts if not part.success]
    error = next(
        (
            message
            for part in failed
            if (message := (part.exception_info or {}).get("exception_message"))
        ),
        None,
    )
    success = not failed
    unexpected_count = details[0].get("unexpected_count")
    unexpected_percent = details[0].get("unexpected_percent")
    counts = [detail.get("unexpected_count") for detail in details]
    if len(parts) > 1 and all(count is not None for count in counts):
        unexpected_count = sum(int(count) for count in counts if count is not None)
        # GX's share: of the non-null values (of every value, for the not-null expectation)
        nulls_count = spec.type != "expect_column_values_to_not_be_null"
        basis = sum(
            detail.get("element_count", 0) - (detail.get("missing_count", 0) if nulls_count else 0)
            for detail in details
        )
        unexpected_percent = 100 * unexpected_count / basis if basis else None
        mostly = spec.kwargs.get("mostly")
        if mostly is not None and error is None and unexpected_percent is not None:
            success = unexpected_percent <= 100 * (1 - float(mostly))
    observed = next(
        (detail.get("observed_value") for part, detail in zip(parts, details, strict=True)
         if not part.success and detail.get("observed_value") is not None),
        details[0].get("observed_value"),
    )  # fmt: skip
    sample = [
        str(value) for detail in details for value in detail.get("partial_unexpected_list") or []
    ]
    return ExpectationOutcome(
        expectation=spec.type,
        kwargs={k: v for k, v in spec.kwargs.items() if k.startswith("column")},
        success=success,
        unexpected_count=unexpected_count,
        unexpected_percent=unexpected_percent,
        sample=sample[:SAMPLE_SIZE],
        observed_value=None if observed is None else str(observed),
        error=error,
        meaning=spec.meaning,
    )


def run_suite(connection: duckdb.DuckDBPyConnection, suite: Suite, as_of: datetime) -> SuiteOutcome:
    """Validate the suite's rows; a missing table is a failure, not a crash."""
    started = time.perf_counter()
    try:
        schema = table_schema(connection, suite)
        rows = suite_rows(connection, suite)
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
    outcomes = validate_suite(connection, suite, resolved, schema, rows)
    seconds = time.perf_counter() - started
    return SuiteOutcome(suite=suite, rows=rows.count, expectations=outcomes, seconds=seconds)
