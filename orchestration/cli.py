"""The `leadscore` command line: generate a landing zone, run the pipeline, explain a score,
check rules."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import dagster as dg

from orchestration.privacy.masking import EmailMaskingFilter, install_log_masking
from orchestration.settings import Settings, SettingsError, load_settings

DAGSTER_YAML = Path(__file__).with_name("dagster.yaml")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

# Dagster events worth a line on the terminal while a run goes on.
_PROGRESS_EVENTS = {"STEP_START", "STEP_SUCCESS", "STEP_FAILURE", "ASSET_CHECK_EVALUATION"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.handler(args))
    except SettingsError as error:  # a malformed LEADSCORE_* value: name it, no traceback
        print(f"leadscore: {error}", file=sys.stderr)
        return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="leadscore", description=__doc__)
    commands = parser.add_subparsers(title="commands")

    generate = commands.add_parser("generate", help="write a synthetic multichannel landing zone")
    generate.add_argument("--out", type=Path, required=True, help="landing zone folder to write")
    generate.add_argument("--leads", type=int, default=500, help="people to simulate")
    generate.add_argument("--days", type=int, default=90, help="days of activity")
    generate.add_argument("--seed", type=int, default=7, help="random seed (same seed, same files)")
    generate.add_argument("--end-date", type=_day, help="last day of activity (default: today)")
    generate.add_argument("--clean", action="store_true", help="replace an existing landing zone")
    generate.set_defaults(handler=_generate)

    run = commands.add_parser("run", help="load, model and score everything through Dagster")
    run.add_argument("--landing", type=Path, help="landing zone (LEADSCORE_LANDING_DIR)")
    run.add_argument("--warehouse", type=Path, help="DuckDB file (LEADSCORE_WAREHOUSE)")
    run.add_argument("--as-of", type=_day, help="score as of the end of this day (UTC)")
    run.add_argument("--rules", type=Path, help="scoring rules file (LEADSCORE_RULES)")
    run.set_defaults(handler=_run)

    explain = commands.add_parser(
        "explain", help="why a lead has its score, point by point, and every identifier"
    )
    explain.add_argument("lead", help="an email (any of the person's), a lead id or a retired id")
    explain.add_argument("--warehouse", type=Path, help="DuckDB file (LEADSCORE_WAREHOUSE)")
    explain.set_defaults(handler=_explain)

    forget = commands.add_parser(
        "forget", help="erase a person everywhere and suppress them in later loads (GDPR/CCPA)"
    )
    forget.add_argument("lead", help="an email (any of the person's) or a lead id")
    forget.add_argument("--reason", help="why (kept in marts.erasure_log, identifiers redacted)")
    forget.add_argument("--warehouse", type=Path, help="DuckDB file (LEADSCORE_WAREHOUSE)")
    forget.set_defaults(handler=_forget)

    serve = commands.add_parser(
        "serve", help="real-time collector: events in over HTTP, scores out within a minute"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8787, help="port (0 picks a free one)")
    serve.add_argument("--landing", type=Path, help="landing zone (LEADSCORE_LANDING_DIR)")
    serve.add_argument("--warehouse", type=Path, help="DuckDB file (LEADSCORE_WAREHOUSE)")
    serve.set_defaults(handler=_serve)

    backtest = commands.add_parser(
        "backtest", help="replay rule sets point-in-time over history and compare them"
    )
    backtest.add_argument("rules_files", nargs="+", type=Path, metavar="RULES")
    backtest.add_argument("--warehouse", type=Path, help="DuckDB file (LEADSCORE_WAREHOUSE)")
    backtest.add_argument("--as-of", type=_day, help="last day of history (default: the scores')")
    backtest.add_argument("--cutoffs", type=int, help="cutoffs to replay (LEADSCORE_MODEL_CUTOFFS)")
    backtest.add_argument(
        "--suggest", action="store_true", help="also propose points learned from the data"
    )
    backtest.add_argument(
        "--suggest-out", type=Path, help="where --suggest writes (default: beside the warehouse)"
    )
    backtest.set_defaults(handler=_backtest)

    rules = commands.add_parser("rules", help="work with scoring rules files")
    rules_commands = rules.add_subparsers(title="rules commands")
    check = rules_commands.add_parser("check", help="validate a rules file")
    check.add_argument("file", type=Path)
    check.set_defaults(handler=_rules_check)
    schema = rules_commands.add_parser(
        "schema", help="print the JSON schema of rules files (rules/rules.schema.json)"
    )
    schema.set_defaults(handler=_rules_schema)
    return parser


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a day like 2026-06-30, got {text!r}") from None


def _generate(args: argparse.Namespace) -> int:
    from ingestion.generator import LandingZoneNotEmptyError, generate_landing_zone

    started = time.perf_counter()
    try:
        summary = generate_landing_zone(
            args.out,
            leads=args.leads,
            days=args.days,
            seed=args.seed,
            end_date=args.end_date,
            clean=args.clean,
            progress=lambda message: print(message, file=sys.stderr),
        )
    except LandingZoneNotEmptyError as error:
        print(f"leadscore generate: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Wrote {summary.describe()} in {time.perf_counter() - started:.1f} s")
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    import duckdb

    from orchestration.explain import explain_lead, find_lead

    settings = load_settings().with_overrides(warehouse_path=args.warehouse)
    warehouse = settings.warehouse_path
    if not warehouse.is_file():
        print(f"leadscore explain: no warehouse at {warehouse}", file=sys.stderr)
        return EXIT_USAGE
    model_path = settings.identity_model_path
    model = json.loads(model_path.read_text()) if model_path.is_file() else None
    try:
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            lead_id = find_lead(connection, args.lead)
            lines = [] if lead_id is None else explain_lead(connection, lead_id, model)
    except duckdb.Error as error:
        print(f"leadscore explain: cannot read {warehouse}: {error}", file=sys.stderr)
        return EXIT_FAILED
    if not lines:
        print(f"leadscore explain: no lead with email or lead_id {args.lead!r}", file=sys.stderr)
        return EXIT_FAILED
    print("\n".join(lines))
    return EXIT_OK


def _forget(args: argparse.Namespace) -> int:
    import duckdb

    from orchestration.privacy.forget import NothingToForgetError, forget
    from orchestration.runner import WarehouseBusyError, check_warehouse_writable

    settings = load_settings().with_overrides(warehouse_path=args.warehouse)
    try:
        check_warehouse_writable(settings.warehouse_path)
        report = forget(settings, args.lead, args.reason)
    except (NothingToForgetError, WarehouseBusyError) as error:
        print(f"leadscore forget: {error}", file=sys.stderr)
        return EXIT_USAGE
    except duckdb.Error as error:
        print(f"leadscore forget: cannot erase: {error}", file=sys.stderr)
        return EXIT_FAILED
    print("\n".join(report.lines()))
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    import signal

    from collector.sendgrid_requests import PublicKeyError
    from collector.service import Service, ServiceConfigError

    settings = load_settings().with_overrides(
        landing_dir=args.landing, warehouse_path=args.warehouse
    )
    settings.landing_dir.mkdir(parents=True, exist_ok=True)
    try:
        service = Service(settings, args.host, args.port)
    except (ServiceConfigError, PublicKeyError) as error:
        print(f"leadscore serve: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        print(
            f"leadscore serve: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr
        )
        return EXIT_USAGE
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda *_: service.stop())
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    install_log_masking()
    host, port = service.address
    print(f"leadscore serve: listening on http://{host}:{port}", file=sys.stderr, flush=True)
    with contextlib.redirect_stdout(sys.stderr):  # dbt's log lines
        service.serve_until_stopped()
    return EXIT_OK


def _rules_check(args: argparse.Namespace) -> int:
    from orchestration.config.loading import RulesError
    from orchestration.config.rules import load_rules

    try:
        rules = load_rules(args.file)
    except RulesError as error:
        print(str(error), file=sys.stderr)
        return EXIT_FAILED
    print(
        f"{args.file}: OK (rules_version {rules.rules_version}, "
        f"{len(rules.engagement)} engagement and {len(rules.fit)} fit rules)"
    )
    return EXIT_OK


def _backtest(args: argparse.Namespace) -> int:
    from orchestration.predictive.backtest_command import BacktestUsageError, run_backtest

    settings = load_settings().with_overrides(warehouse_path=args.warehouse)
    try:
        lines = run_backtest(
            settings, args.rules_files, args.as_of, args.cutoffs, args.suggest, args.suggest_out
        )
    except BacktestUsageError as error:
        print(f"leadscore backtest: {error}", file=sys.stderr)
        return EXIT_USAGE
    print("\n".join(lines))
    return EXIT_OK


def _rules_schema(_args: argparse.Namespace) -> int:
    from orchestration.config.rules import rules_json_schema

    sys.stdout.write(rules_json_schema())
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    import duckdb

    from orchestration.config.loading import RulesError
    from orchestration.config.rules import load_rules
    from orchestration.dbt_manifest import DbtParseError
    from orchestration.resources import build_resources
    from orchestration.runner import WarehouseBusyError, run_nightly
    from orchestration.summary import read_summary

    settings = load_settings().with_overrides(
        landing_dir=args.landing, warehouse_path=args.warehouse, rules_path=args.rules
    )
    if not settings.landing_dir.is_dir():
        print(
            f"leadscore run: no landing zone at {settings.landing_dir} "
            "(create one with `leadscore generate --out DIR`)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        load_rules(settings.rules_path)  # fail before any work, with every problem listed
    except RulesError as error:
        print(f"leadscore run: {error}", file=sys.stderr)
        return EXIT_USAGE

    from ingestion.sources import CHANNELS, channels_without_data

    missing = channels_without_data(settings.landing_dir)
    if len(missing) == len(CHANNELS):
        print(
            f"leadscore run: the landing zone {settings.landing_dir} holds no files: nothing "
            "to load; the run creates every table empty (no leads, no scores)",
            file=sys.stderr,
        )
    elif missing:
        print(
            f"leadscore run: no landing files for {', '.join(missing)}: their tables stay empty",
            file=sys.stderr,
        )
    as_of = args.as_of.isoformat() if args.as_of else ""
    print(
        f"Running the nightly job: {settings.landing_dir} -> {settings.warehouse_path}"
        f" (as of {as_of or 'today'})",
        file=sys.stderr,
    )
    started = time.perf_counter()
    try:
        # dbt's own log lines go to stdout; keep stdout for the summary.
        with _instance(settings) as instance, contextlib.redirect_stdout(sys.stderr):
            result = run_nightly(
                settings, as_of, instance=instance, loggers={"progress": progress_logger}
            )
    except (DbtParseError, WarehouseBusyError) as error:
        print(f"leadscore run: {error}", file=sys.stderr)
        return EXIT_USAGE
    elapsed = time.perf_counter() - started
    if settings.warehouse_path.exists() or settings.engine == "spark":
        # the warehouse's tables, or the lake's with the spark engine (WarehouseResource)
        warehouse = build_resources(settings)["warehouse"]
        try:
            with warehouse.connect(read_only=True) as connection:
                for line in read_summary(connection).lines():
                    print(line)
        except (duckdb.CatalogException, duckdb.IOException) as error:
            print(f"(no summary: {str(error).splitlines()[0]})", file=sys.stderr)
    report = report_written(result)
    print(f"Report: {report}" if report else "Report: not written (see the failed steps above)")
    for evaluation in failed_checks(result):
        print(
            f"FAILED CHECK {evaluation.asset_key.to_user_string()}:{evaluation.check_name} "
            f"({evaluation.severity.value})"
        )
    status = "succeeded" if result.success else "FAILED"
    print(f"Run {status} in {elapsed:.1f} s (run id {result.run_id})")
    return EXIT_OK if result.success else EXIT_FAILED


def report_written(result: dg.ExecuteInProcessResult) -> str | None:
    """The path of the HTML report the run wrote, if it wrote one."""
    from orchestration.assets.report import REPORT_KEY

    for event in result.all_events:
        if event.event_type_value != "ASSET_MATERIALIZATION":
            continue
        materialization = event.step_materialization_data.materialization
        if materialization.asset_key == REPORT_KEY:
            return str(materialization.metadata["path"].value)
    return None


def failed_checks(result: dg.ExecuteInProcessResult) -> list[dg.AssetCheckEvaluation]:
    """The checks of a run that did not pass."""
    return [
        event.asset_check_evaluation_data
        for event in result.all_events
        if event.event_type_value == "ASSET_CHECK_EVALUATION"
        and not event.asset_check_evaluation_data.passed
    ]


def _instance(settings: Settings) -> dg.DagsterInstance:
    """The persistent instance when DAGSTER_HOME is set (runs show in the UI), else ephemeral."""
    if settings.dagster_home is None:
        return dg.DagsterInstance.ephemeral()
    prepare_dagster_home(settings.dagster_home)
    return dg.DagsterInstance.get()


def prepare_dagster_home(home: Path) -> None:
    """Create the instance folder with the shipped dagster.yaml (pools, no telemetry)."""
    config = home / "dagster.yaml"
    if not config.exists():
        home.mkdir(parents=True, exist_ok=True)
        config.write_text(DAGSTER_YAML.read_text(encoding="utf-8"), encoding="utf-8")


@dg.logger(
    config_schema=None,  # the default, spelled out so the typed overload applies
    description="One line per step start/finish and per failed check, on stderr.",
)
def progress_logger(_init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger("leadscore.progress")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)  # Dagster logs its step events at DEBUG
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.addFilter(_progress_line)
        handler.addFilter(EmailMaskingFilter())  # no raw address on a terminal or in a CI log
        handler.setFormatter(logging.Formatter("  %(asctime)s %(message)s", "%H:%M:%S"))
        logger.addHandler(handler)
    return logger


def _progress_line(record: logging.LogRecord) -> bool:
    """Keep step and failed-check events, rewritten as one short line."""
    meta = getattr(record, "dagster_meta", None) or {}
    event = meta.get("dagster_event")
    if event is None or event.event_type_value not in _PROGRESS_EVENTS:
        return False
    if event.event_type_value == "ASSET_CHECK_EVALUATION":
        evaluation = event.asset_check_evaluation_data
        if evaluation.passed:
            return False
        record.msg = (
            f"check failed: {evaluation.asset_key.to_user_string()} {evaluation.check_name}"
        )
    elif event.event_type_value == "STEP_FAILURE":
        error = event.step_failure_data.error
        while error is not None and error.cause is not None:  # the user-code error, not the wrapper
            error = error.cause
        reason = error.message.strip() if error else "unknown error"
        record.msg = f"{meta.get('step_key')} FAILED: {reason}"
    else:
        record.msg = f"{meta.get('step_key')}: {meta.get('orig_message', '')}"
    record.args = ()
    return True


if __name__ == "__main__":
    sys.exit(main())
