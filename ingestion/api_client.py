"""API mode shared by support (Zendesk) and CRM (Salesforce): config, retrying REST client, 401.

Everything comes from dlt's configuration (`SOURCES__<API>__*` environment variables or
`.dlt/config.toml` / `.dlt/secrets.toml`); retries use dlt's own runtime settings
(`RUNTIME__REQUEST_MAX_ATTEMPTS`, `..._BACKOFF_FACTOR`, `..._MAX_RETRY_DELAY`, `..._TIMEOUT`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dlt
from dlt.common.configuration import resolve_configuration
from dlt.common.configuration.specs import RuntimeConfiguration
from dlt.sources.helpers.requests import HTTPError
from dlt.sources.helpers.requests.retry import Client
from dlt.sources.helpers.rest_client.auth import AuthConfigBase
from dlt.sources.helpers.rest_client.client import RESTClient
from dlt.sources.helpers.rest_client.paginators import BasePaginator
from requests import Session

UNAUTHORIZED = 401


class ApiConfigError(ValueError):
    """API mode is on (a base URL is set) but a setting it needs is missing."""


class ApiAuthError(RuntimeError):
    """The API answered 401: the credentials are wrong or expired."""


def api_setting(api: str, name: str) -> str | None:
    """`sources.<api>.<name>` from dlt's config (env `SOURCES__<API>__<NAME>`), else None."""
    value = dlt.config.get(f"sources.{api}.{name}", str)
    return str(value) if value not in (None, "") else None


def api_secret(api: str, name: str) -> str:
    """`sources.<api>.<name>` from dlt's secrets; its absence names the variable, never a value."""
    value = dlt.secrets.get(f"sources.{api}.{name}", str)
    if value in (None, ""):
        raise ApiConfigError(
            f"{api} API mode needs SOURCES__{api.upper()}__{name.upper()} "
            f"(or sources.{api}.{name} in .dlt/secrets.toml)"
        )
    return str(value)


def is_api_mode(api: str) -> bool:
    """API mode for a source is on when its base URL is configured."""
    return api_setting(api, "base_url") is not None


def rest_client(base_url: str, auth: AuthConfigBase, paginator: BasePaginator) -> RESTClient:
    """dlt's REST client over a retrying session: 429 (honouring Retry-After), 5xx, timeouts.

    The attempts, backoff and timeout are dlt's runtime settings, resolved now so a test or
    a user can shorten them; other 4xx fail at once.
    """
    return RESTClient(base_url=base_url, auth=auth, paginator=paginator, session=retrying_session())


def retrying_session() -> Session:
    """A requests session that retries 429 (honouring Retry-After), 5xx and timeouts with
    backoff, per dlt's runtime settings; other 4xx come back at once."""
    runtime = resolve_configuration(RuntimeConfiguration())
    return Client(
        request_timeout=runtime.request_timeout,
        request_max_attempts=runtime.request_max_attempts,
        request_backoff_factor=runtime.request_backoff_factor,
        request_max_retry_delay=runtime.request_max_retry_delay,
        raise_for_status=False,
    ).session


@contextmanager
def explained_unauthorized(api: str, credential_variable: str) -> Iterator[None]:
    """Turn a 401 into an error that names the source and the setting to check (no secret)."""
    try:
        yield
    except HTTPError as exc:
        if exc.response is None or exc.response.status_code != UNAUTHORIZED:
            raise
        raise ApiAuthError(
            f"{api} API refused the credentials (HTTP 401): check {credential_variable}"
        ) from None
