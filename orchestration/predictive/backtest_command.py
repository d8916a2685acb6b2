"""`leadscore backtest`: validate the rules files, replay them in a scratch copy, report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import cast

import duckdb

from orchestration.config.loading import RulesError
from orchestration.config.rules import load_rules
from orchestration.predictive.backtest import (
    backtest_rule_sets,
    band_change_share,
    report_lines,
    suggest_points,
    write_suggested_rules,
)
from orchestration.predictive.replay import (
    ReplayError,
    ScratchWarehouse,
    monthly_cutoffs,
    scratch_copy,
)
from orchestration.settings import Settings


class BacktestUsageError(RuntimeError):
    """Nothing to backtest: no warehouse, an invalid rules file, no scores yet."""


def run_backtest(
    settings: Settings,
    rules_files: Sequence[Path],
    as_of: date | None,
    cutoff_count: int | None,
    suggest: bool,
    suggest_out: Path | None,
) -> list[str]:
    """The backtest report's lines (the suggested rules file written when asked)."""
    warehouse = settings.warehouse_path
    if not warehouse.is_file():
        raise BacktestUsageError(f"no warehouse at {warehouse} (run `leadscore run` first)")
    problems = []
    for path in rules_files:
        try:
            load_rules(path)
        except RulesError as error:
            problems.append(str(error))
    if problems:
        raise BacktestUsageError("\n".join(problems))
    model = settings.model
    try:
        with scratch_copy(warehouse) as scratch:
            history_end = as_of or _scored_as_of(scratch)
            cutoffs = monthly_cutoffs(
                history_end, model.horizon_days, cutoff_count or model.cutoffs,
                model.cutoff_spacing_days,
            )  # fmt: skip
            results = backtest_rule_sets(
                scratch, rules_files, cutoffs, model.horizon_days, model.sales_capacity
            )
            lines = [
                f"Backtest over cutoffs {', '.join(c.isoformat() for c in cutoffs)} "
                f"(conversions within {model.horizon_days} days after each)",
            ]
            if suggest:
                target = suggest_out or warehouse.with_name(f"{warehouse.stem}_suggested_rules.yml")
                coefficients = suggest_points(results[0])
                write_suggested_rules(
                    rules_files[0], coefficients, load_rules(rules_files[0]), target
                )
                results += backtest_rule_sets(
                    scratch, [target], cutoffs, model.horizon_days, model.sales_capacity
                )
                results[-1].band_change_share = band_change_share(
                    results[0].scored, results[-1].scored
                )
                lines.append(f"Suggested rules written to {target} (validated)")
    except (ReplayError, duckdb.Error) as error:
        raise BacktestUsageError(str(error)) from None
    return [*lines, "", *report_lines(results, model.sales_capacity)]


def _scored_as_of(scratch: ScratchWarehouse) -> date:
    try:
        frame = scratch.frame("select max(as_of) as as_of from marts.lead_scores")
    except duckdb.CatalogException:
        raise BacktestUsageError("the warehouse has no scores yet (run `leadscore run`)") from None
    if frame.empty or frame["as_of"].isna().all():
        raise BacktestUsageError("the warehouse has no scores yet (run `leadscore run`)")
    return cast(date, frame["as_of"].iloc[0].date())  # a pandas Timestamp (untyped)
