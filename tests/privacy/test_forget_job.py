"""`forget` on a hand-made warehouse, through the Dagster job `forget_person`."""

import re
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.cli import main
from orchestration.privacy.job import forget_person_job
from orchestration.resources import ExportDirResource, ReportDirResource, WarehouseResource

WAREHOUSE_SQL = """
create schema marts; create schema raw_web; create schema raw_support;
create table marts.lead_profiles as select * from (values
    ('ld_ann', 'ann@acme.io', 'Ann', null), ('ld_bo', 'bo@acme.io', 'Bo', null))
    as t(lead_id, email, first_name, crm_lead_id);
create table marts.lead_identities as select * from (values
    ('ld_ann', 'web', 'anonymous_id', 'anon-1'), ('ld_ann', 'support', 'zendesk_user_id', '37'),
    ('ld_bo', 'web', 'anonymous_id', 'anon-2')) as t(lead_id, source, key_type, key_value);
create table marts.lead_id_aliases (lead_id varchar, alias_lead_id varchar, alias_email varchar);
create table marts.touchpoints as select * from (values
    ('ld_ann', 'web', 'm1'), ('ld_bo', 'web', 'm2'), ('ld_ann', 'support', '5'))
    as t(lead_id, source, source_record_id);
create table raw_web._dlt_loads (load_id varchar);
create table raw_web.events as select * from (values
    ('m1', 'anon-1', 'https://x.io/?e=ann%40acme.io', 'f1.jsonl'),
    ('m2', 'anon-2', 'https://x.io/?e=joann@acme.io', 'f1.jsonl'),
    ('m3', 'anon-1', null, 'f2.jsonl'))
    as t(message_id, anonymous_id, url, file);
create table raw_web.events_rejected as select * from (values
    ('f2.jsonl', 'event', 4, 'quarantined', '{"email": "ANN@acme.io", "broken'),
    ('f2.jsonl', 'event', 5, 'quarantined', '{"email": "bo@acme.io", "broken'))
    as t(file, entity, position, disposition, raw);
create table raw_web.events_deliveries as select * from (values
    ('f1.jsonl', 'event', 2, 2, 0, 0, 0), ('f2.jsonl', 'event', 3, 1, 2, 0, 0))
    as t(file, entity, delivered, emitted, quarantined, filtered, suppressed);
create table raw_support.tickets as select * from (values (5, 37), (6, 38), (37, 38))
    as t(id, requester_id);
"""


def test_the_job_erases_ann_everywhere_and_keeps_bo(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(WAREHOUSE_SQL)
    result = forget_person_job.execute_in_process(
        run_config={"ops": {"forget_person_op": {"config": {"email_or_lead_id": "Ann@Acme.io"}}}},
        resources={
            "warehouse": WarehouseResource(
                path=str(warehouse), dlt_pipelines_dir=str(tmp_path / "dlt")
            ),
            "exports": ExportDirResource(path=str(tmp_path / "exports")),
            "reports": ReportDirResource(path=str(tmp_path / "reports")),
        },
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        events = connection.execute("select message_id from raw_web.events").fetchall()
        rejected = connection.execute("select position from raw_web.events_rejected").fetchall()
        tickets = connection.execute("select id from raw_support.tickets order by 1").fetchall()
        manifest = connection.execute(
            "select file, delivered, emitted, quarantined, suppressed "
            "from raw_web.events_deliveries order by 1"
        ).fetchall()
        profiles = connection.execute("select lead_id from marts.lead_profiles").fetchall()
        logged = connection.execute(
            "select total_rows_removed, manifest_rows_suppressed from marts.erasure_log"
        ).fetchall()
        suppressed = connection.execute(
            "select key_type from privacy.suppression_list order by 1"
        ).fetchall()
    assert events == [("m2",)]  # joann@acme.io is someone else
    assert rejected == [(5,)]
    assert tickets == [(6,), (37,)]  # ticket 37 is a ticket id, not user 37
    assert manifest == [("f1.jsonl", 2, 1, 0, 1), ("f2.jsonl", 3, 0, 1, 2)]
    assert profiles == [("ld_bo",)]
    # profiles 1, identities 2, touchpoints 2, events 2, rejected 1, tickets 1
    assert logged == [(9, 3)]
    assert suppressed == [("anonymous_id",), ("email",), ("lead_id",), ("zendesk_user_id",)]


def test_the_cli_prints_every_table_and_no_identifier(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(WAREHOUSE_SQL)
    monkeypatch.setenv("LEADSCORE_EXPORT_DIR", str(tmp_path / "exports"))
    monkeypatch.setenv("LEADSCORE_REPORT_DIR", str(tmp_path / "reports"))
    arguments = ["forget", "ld_ann", "--reason", "ann@acme.io asked"]
    code = main([*arguments, "--warehouse", str(warehouse)])
    out = capsys.readouterr().out
    assert code == 0
    assert re.search(r"raw_web\.events +2 rows", out)
    assert "total 9 rows in 6 tables" in out
    assert "ann" not in out.lower() and "anon-1" not in out
    assert main(["forget", "x@y.io", "--warehouse", str(tmp_path / "none.duckdb")]) == 2
