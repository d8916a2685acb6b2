"""Channel name -> dlt source factory, the one list of channels.

Support and CRM read their APIs instead of files when configured (see `api_client`).
"""

from collections.abc import Callable

from dlt.sources import DltSource

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
