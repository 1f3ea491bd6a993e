"""Which webhook URLs Balie may call: no requests into the machine's own network (SSRF).

A shop's admin types the URL, so it could name the database, Redis, a cloud metadata
service (169.254.169.254) or anything else only reachable from the server. Balie resolves
the host itself and refuses loopback, private, link-local, shared, multicast and reserved
addresses, unless `BALIE_WEBHOOKS_ALLOW_PRIVATE` is set (development and tests, which
receive on 127.0.0.1); that setting also allows plain http. The check runs when an endpoint
is saved and again before each attempt, and the request goes to the address that was
checked, so a DNS answer that changes in between (DNS rebinding) cannot slip through.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from balie.webhooks import errors

URL_MAX = 2000


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect and what to ask for."""

    scheme: str
    host: str
    port: int
    path: str  # path and query, at least "/"
    addresses: tuple[str, ...]  # every address the host resolved to, all allowed


def allow_private() -> bool:
    return bool(settings.BALIE_WEBHOOKS_ALLOW_PRIVATE)


def url_parts(url: str) -> SplitResult:
    """The URL's parts when its form is acceptable; raises WebhookUrlInvalid otherwise."""
    url = url.strip()
    if not url or len(url) > URL_MAX:
        raise errors.WebhookUrlInvalid(
            _("Vul een adres in van hoogstens %(max)d tekens.") % {"max": URL_MAX}, field="url"
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise errors.WebhookUrlInvalid(_("Dit is geen geldig adres."), field="url") from None
    schemes = ("https", "http") if allow_private() else ("https",)
    if parts.scheme.lower() not in schemes:
        raise errors.WebhookUrlInvalid(_("Gebruik een adres dat met https:// begint."), field="url")
    if not parts.hostname or any(char.isspace() for char in url):
        raise errors.WebhookUrlInvalid(_("Dit is geen geldig adres."), field="url")
    if parts.username is not None or parts.password is not None:
        raise errors.WebhookUrlInvalid(
            _("Zet geen gebruikersnaam of wachtwoord in het adres."), field="url"
        )
    if port == 0:
        raise errors.WebhookUrlInvalid(_("Dit is geen geldig adres."), field="url")
    return parts


def target(url: str) -> Target:
    """Resolve and check `url`; raises WebhookUrlInvalid (a form error, a refused address)
    or WebhookHostUnknown (DNS has no answer)."""
    parts = url_parts(url)
    host = parts.hostname or ""
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise errors.WebhookHostUnknown(
            _("De server %(host)s is niet te vinden.") % {"host": host}, field="url"
        ) from None
    addresses = tuple(dict.fromkeys(str(info[4][0]) for info in infos))
    if not allow_private():
        for address in addresses:
            if not is_public(address):
                raise errors.WebhookUrlInvalid(
                    _(
                        "%(host)s wijst naar %(address)s, een adres in een intern netwerk. "
                        "Webhooks gaan alleen naar openbare adressen."
                    )
                    % {"host": host, "address": address},
                    field="url",
                )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme=scheme, host=host, port=port, path=path, addresses=addresses)


def is_public(address: str) -> bool:
    """True for an address on the public internet (not loopback, private, link-local,
    shared, reserved, multicast or unspecified; IPv4 inside IPv6 judged as IPv4)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            ip = embedded
    return ip.is_global and not ip.is_multicast
