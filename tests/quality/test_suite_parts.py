"""A suite reads only the columns its expectations use, and a big table is validated in parts
whose verdicts merge into the one GX gives over the whole table (hand-computed counts)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from quality import gx_validation
from quality.gx_validation import SuiteOutcome, part_key, run_suite, value_columns
from quality.suites import ExpectationSpec, Suite

AS_OF = datetime(2026, 6, 30, 23, 59, tzinfo=UTC)

# 12 rows: k3 and k7 twice (4 rows of a repeated key), 2 null values, values 9, 10 and 11
# above 8, one kind outside {a, b} (the row of k5, value 5), and a column no suite reads.
ROWS = [
    ("k0", 0, "a"), ("k1", 1, "b"), ("k2", 2, "a"), ("k3", 3, "b"), ("k4", None, "a"),
    ("k5", 5, "z"), ("k6", 6, "a"), ("k7", 7, "b"), ("k8", 9, "a"), ("k9", 10, "b"),
    ("k3", 11, "a"), ("k7", None, "b"),
]  # fmt: skip


def spec(kind: str, **kwargs: object) -> ExpectationSpec:
    return ExpectationSpec(type=kind, kwargs=kwargs, meaning=f"{kind} meaning")


SUITE = Suite(
    name="parts",
    asset=["raw_demo", "items"],
    description="demo",
    on_failure="fix it",
    expectations=[
        spec("expect_table_row_count_to_be_between", min_value=13),
        spec("expect_column_values_to_be_unique", column="item_key"),
        spec("expect_column_values_to_not_be_null", column="value"),
        spec("expect_column_values_to_be_between", column="value", max_value=8),
        spec("expect_column_values_to_be_in_set", column="kind", value_set=["a", "b"]),
        spec(
            "expect_column_values_to_be_between",
            column="value",
            max_value=0,
            row_condition='kind == "z"',
            condition_parser="pandas",
        ),
        spec("expect_column_to_exist", column="renamed"),
        spec("expect_column_values_to_not_be_null", column="renamed"),
    ],
)


@pytest.fixture()
def connection(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    connection.execute(
        "create schema raw_demo; create table raw_demo.items "
        "(item_key varchar, value bigint, kind varchar, unread varchar)"
    )
    connection.executemany("insert into raw_demo.items values (?, ?, ?, 'x')", ROWS)
    return connection


def summary(outcome: SuiteOutcome) -> list[tuple[object, ...]]:
    return [
        (
            item.expectation,
            item.success,
            item.unexpected_count,
            None if item.unexpected_percent is None else round(item.unexpected_percent, 2),
            item.observed_value,
            item.error is not None,
            sorted(item.sample),
        )
        for item in outcome.expectations
    ]


EXPECTED = [
    ("expect_table_row_count_to_be_between", False, None, None, "12", False, []),
    ("expect_column_values_to_be_unique", False, 4, 33.33, None, False, ["k3", "k3", "k7", "k7"]),
    ("expect_column_values_to_not_be_null", False, 2, 16.67, None, False, ["<NA>", "<NA>"]),
    ("expect_column_values_to_be_between", False, 3, 30.0, None, False, ["10", "11", "9"]),
    ("expect_column_values_to_be_in_set", False, 1, 8.33, None, False, ["z"]),
    ("expect_column_values_to_be_between", False, 1, 100.0, None, False, ["5"]),
    ("expect_column_to_exist", False, None, None, None, False, []),
    ("expect_column_values_to_not_be_null", False, None, None, None, False, []),
]


def test_a_suite_reads_only_the_columns_its_expectations_use() -> None:
    columns = ["item_key", "value", "kind", "unread"]
    assert value_columns(SUITE, columns) == ["item_key", "value", "kind"]
    assert part_key(SUITE, columns) == ["item_key"]


def test_one_part_gives_the_hand_computed_counts(connection: duckdb.DuckDBPyConnection) -> None:
    outcome = run_suite(connection, SUITE, AS_OF)
    assert outcome.rows == 12
    assert summary(outcome) == EXPECTED


def test_parts_split_by_the_key_merge_into_the_same_verdicts(
    connection: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gx_validation, "PART_ROWS", 3)
    parts: list[int] = []
    read = gx_validation.SuiteRows.read

    def counted_read(self: gx_validation.SuiteRows, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        for frame in read(self, *args, **kwargs):  # type: ignore[arg-type]
            parts.append(len(frame))
            yield frame

    monkeypatch.setattr(gx_validation.SuiteRows, "read", counted_read)
    outcome = run_suite(connection, SUITE, AS_OF)
    assert len(parts) == 4 and sum(parts) == 12  # ceil(12 / 3) parts, every row once
    assert summary(outcome) == EXPECTED


def test_a_suite_with_two_keys_is_validated_in_one_part(
    connection: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_keys = SUITE.model_copy(
        update={
            "expectations": [
                *SUITE.expectations,
                spec("expect_column_values_to_be_unique", column="value"),
            ]
        }
    )
    assert part_key(two_keys, ["item_key", "value", "kind"]) is None
    monkeypatch.setattr(gx_validation, "PART_ROWS", 3)
    outcome = run_suite(connection, two_keys, AS_OF)
    assert summary(outcome)[:-1] == EXPECTED
    assert summary(outcome)[-1][:3] == ("expect_column_values_to_be_unique", True, 0)


def test_a_suite_whose_columns_are_all_missing_still_fails_on_them(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    only_missing = SUITE.model_copy(update={"expectations": SUITE.expectations[-1:]})
    outcome = run_suite(connection, only_missing, AS_OF)
    assert outcome.rows == 12
    assert summary(outcome) == EXPECTED[-1:]
