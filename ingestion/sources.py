"""Channel name -> dlt source factory, the one list of channels.

Support and CRM read their APIs instead of files when configured (see `api_client`).
"""

from collections.abc import Callable
from pathlib import Path

from dlt.sources import DltSource

from ingestion import salesforce_api, zendesk_api
from ingestion.api_client import is_api_mode
from ingestion.booth import booth_source
from ingestion.crm import crm_source
from ingestion.email import email_source
from ingestion.social import social_source
from ingestion.support import support_source
from ingestion.web import web_source

CHANNEL_SOURCES: dict[str, Callable[..., DltSource]] = {
    "web": web_source,
    "email": email_source,
    "support": support_source,
    "social": social_source,
    "booth": booth_source,
    "crm": crm_source,
}
CHANNELS: tuple[str, ...] = tuple(CHANNEL_SOURCES)
# Channels that can read a vendor API instead of their landing folder.
API_CHANNELS = {"support": zendesk_api.API, "crm": salesforce_api.API}


def channels_without_data(landing_dir: Path) -> list[str]:
    """Channels with no file under `<landing_dir>/<channel>/` and no API configured: their raw
    tables are created empty, and every model downstream runs on them."""
    return [
        channel
        for channel in CHANNELS
        if not (channel in API_CHANNELS and is_api_mode(API_CHANNELS[channel]))
        and not any(path.is_file() for path in (landing_dir / channel).rglob("*"))
    ]
