"""Great Expectations suites as data: the `quality/suites/*.yml` files and their schema.

A suite names the asset it checks, which rows of its table to validate (all, or the newest
dlt load only), whether a failure blocks downstream assets, what a failure means, and its
expectations in GX's own vocabulary (`type` + `kwargs`). Two additions let a suite follow
the warehouse instead of repeating it: `kwargs_sql` fills a kwarg from a query (the
activity vocabulary from its seed, blocked values from `config.*`), `kwargs_as_of_days`
fills a kwarg with the as-of instant shifted by N days (a sane range for timestamps).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from quality.yaml_models import load_yaml_model

SUITES_DIR = Path(__file__).resolve().parent / "suites"


class SuiteError(ValueError):
    """A suite file that cannot be read or does not follow the schema."""


class ExpectationSpec(BaseModel):
    """One GX expectation: its type, fixed kwargs and kwargs resolved at validation time."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(pattern=r"^expect_[a-z0-9_]+$")
    kwargs: dict[str, Any] = {}
    # kwarg -> a query: one column gives a list, two columns a list of pairs
    kwargs_sql: dict[str, str] = {}
    # kwarg -> the as-of instant plus this many days (negative: before)
    kwargs_as_of_days: dict[str, float] = {}
    meaning: str = ""  # what a failure says about the data, in a data engineer's words


class Suite(BaseModel):
    """A suite file: what it checks, how strictly, and its expectations."""

    model_config = ConfigDict(extra="forbid")

    name: str
    asset: list[str] = Field(min_length=1)
    table: str = ""  # schema.table; empty: the asset key joined by a dot
    rows: Literal["all", "latest_load"] = "all"
    load_id_column: str = "_dlt_load_id"
    blocking: bool = False
    description: str
    on_failure: str
    expectations: list[ExpectationSpec] = Field(min_length=1)

    @property
    def table_name(self) -> str:
        return self.table or ".".join(self.asset)

    @property
    def check_name(self) -> str:
        return f"gx_{self.name}"


def load_suite(path: Path) -> Suite:
    """Read and validate one suite file; its name is the file's stem."""
    return load_yaml_model(path, Suite, SuiteError, name=path.stem)


def load_suites(folder: Path = SUITES_DIR) -> list[Suite]:
    """Every suite of the folder, sorted by name."""
    return [load_suite(path) for path in sorted(folder.glob("*.yml"))]
