"""The site's public address: where it comes from, and why a production build refuses a local one.

Citations, the feed, the exports, the schema's ``$id``, edit/suggest links and search's bundle path
are all made from one address. A build published with ``http://127.0.0.1:8000/`` in it sends every
reader who cites a case to their own machine, so ``hls build`` refuses a loopback or empty address
(``hls serve`` does not: previewing on loopback is its job).
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

#: The environment variable a build reads the address from (CI sets it; ``--site-url`` sets it too).
ENV_VAR = "HLS_SITE_URL"
#: Set by ``hls build`` (and by anyone who wants the same check from ``mkdocs build``).
PRODUCTION_ENV_VAR = "HLS_PRODUCTION"


class SiteAddressError(ValueError):
    """The address is unusable for a published build; the message says what to do."""


def normalise(url: str) -> str:
    """``https://example.org/kb`` -> ``https://example.org/kb/`` (one trailing slash, no query)."""
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SiteAddressError(
            f"site address '{url}' is not a full web address; give one such as https://example.org/kb/")
    if parts.query or parts.fragment:
        raise SiteAddressError(f"site address '{url}' has a query or fragment; give only scheme, host and path")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def is_loopback(url: str) -> bool:
    """True for localhost, 127.0.0.0/8, ::1 and 0.0.0.0: addresses only the builder's machine reaches."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def from_environment(configured: str | None) -> str:
    """The address to build for: ``$HLS_SITE_URL`` if set, else the configured one, normalised."""
    return normalise(os.environ.get(ENV_VAR) or configured or "")


def check_production(url: str) -> str:
    """``url`` if a published site may carry it; otherwise a :class:`SiteAddressError` saying how to fix it."""
    how = (f"give the address readers will use: `hls build --site-url https://example.org/kb/`, the "
           f"{ENV_VAR} environment variable, or site_url in mkdocs.yml (`hls build --preview` builds "
           "for a local preview without this check)")
    if not url:
        raise SiteAddressError(f"no site address: citations, the feed and search need it; {how}")
    if is_loopback(url):
        raise SiteAddressError(f"site address {url} is on this machine only (loopback); {how}")
    return url


def base_path(url: str | None) -> str:
    """'/kb/' for https://example.org/kb/; '/' when there is no address."""
    path = urlsplit(url or "/").path or "/"
    return path if path.endswith("/") else path + "/"
