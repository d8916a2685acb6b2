"""Masking emails in previews and log lines."""

import hashlib
import logging
from pathlib import Path

import duckdb
import pytest

from orchestration.privacy.masking import (
    MASK,
    EmailMaskingFilter,
    mask_email,
    mask_emails_in,
)
from orchestration.resources import ExportDirResource


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("jules.kowalski@acmeanalytics.co.uk", "j***@acmeanalytics.co.uk"),
        (" Ada@Example.com ", "A***@Example.com"),
        ("not an address", MASK),
    ],
)
def test_mask_email(value: str, masked: str) -> None:
    assert mask_email(value) == masked


def test_mask_emails_inside_text() -> None:
    text = "loaded mailto:ann@acme.io and bo+x@y.org; 3 rows"
    assert mask_emails_in(text) == "loaded mailto:a***@acme.io and b***@y.org; 3 rows"


def test_log_filter_masks_the_formatted_message(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("leadscore.test.masking")
    logger.addFilter(EmailMaskingFilter())
    with caplog.at_level(logging.INFO, logger=logger.name):
        logger.info("lead %s scored", "jules@example.com")
    assert caplog.messages == ["lead j***@example.com scored"]


def test_pseudonymized_exports_hash_addresses_and_keys_and_drop_names(tmp_path: Path) -> None:
    with duckdb.connect() as connection:
        connection.execute(
            "create schema marts; create table marts.lead_profiles as select * from (values "
            "('ld_1', ' Ann@Acme.io', 'Ann', 'Lee', 'Acme')) "
            "as t(lead_id, email, first_name, last_name, company)"
        )
        exports = ExportDirResource(path=str(tmp_path), pseudonymize=True)
        assert exports.publish_parquet(connection, "marts", "lead_profiles") == 1
        path = str(tmp_path / "lead_profiles.parquet")
        rows = connection.execute("select * from read_parquet(?)", [path]).fetchall()
        described = connection.execute("select * from read_parquet(?)", [path]).description
        names = [column[0] for column in described]
    assert names == ["lead_id", "email", "company"]
    assert rows == [("ld_1", hashlib.sha256(b"ann@acme.io").hexdigest(), "Acme")]
    assert b"ann" not in (tmp_path / "lead_profiles.parquet").read_bytes().lower()
