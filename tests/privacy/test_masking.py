"""Masking emails in previews and log lines."""

import logging

import pytest

from orchestration.privacy.masking import (
    MASK,
    EmailMaskingFilter,
    mask_email,
    mask_emails_in,
)


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
