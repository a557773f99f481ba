"""Which addresses are on the public internet, decided the same way on every Python release.

The flags of :mod:`ipaddress` (``is_private``, ``is_global``...) changed between patch
releases (3.11.7 counts ``fec0::/10``, ``192.0.0.0/24`` and 6to4 addresses wrapping
``127.0.0.1`` as public), so the decision rests on explicit tables from IANA's
special-purpose address registries instead. IPv6 addresses that carry an IPv4 address
(IPv4-mapped and -compatible, 6to4, Teredo, NAT64) are judged by the IPv4 address inside.
"""

from __future__ import annotations

import ipaddress
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DENIED_IPV4 = tuple(
    ipaddress.IPv4Network(network)
    for network in (
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local (cloud metadata services live here)
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation (TEST-NET-1)
        "192.88.99.0/24",  # 6to4 relay anycast (deprecated)
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation (TEST-NET-2)
        "203.0.113.0/24",  # documentation (TEST-NET-3)
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and 255.255.255.255 (limited broadcast)
    )
)
DENIED_IPV6 = tuple(
    ipaddress.IPv6Network(network)
    for network in (
        "::/128",  # unspecified
        "::1/128",  # loopback
        "64:ff9b:1::/48",  # local-use IPv4/IPv6 translation: the IPv4 inside is not locatable
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments (Teredo, 2001::/32, is unwrapped first)
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing (SRv6) identifiers
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
)
GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")
"""The only IPv6 space IANA allocates for the internet; the rest is reserved."""
IPV4_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
SIX_TO_FOUR = ipaddress.IPv6Network("2002::/16")
TEREDO = ipaddress.IPv6Network("2001::/32")
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, ...]:
    """The IPv4 addresses an IPv6 address stands for (none for a plain IPv6 address).

    Teredo gives two, the relay server's and the client's: both must be public.
    """
    value = int(ip)
    low32 = ipaddress.IPv4Address(value & 0xFFFFFFFF)
    if ip in IPV4_MAPPED or ip in NAT64:
        return (low32,)
    if ip in IPV4_COMPATIBLE and value > 1:
        return (low32,)
    if ip in SIX_TO_FOUR:
        return (ipaddress.IPv4Address((value >> 80) & 0xFFFFFFFF),)
    if ip in TEREDO:
        server = ipaddress.IPv4Address((value >> 64) & 0xFFFFFFFF)
        client = ipaddress.IPv4Address(~value & 0xFFFFFFFF)
        return (server, client)
    return ()


def is_public(ip: IPAddress) -> bool:
    """Whether an address is on the public internet, by the tables above."""
    if isinstance(ip, ipaddress.IPv4Address):
        return not any(ip in network for network in DENIED_IPV4)
    inner = embedded_ipv4(ip)
    if inner:
        return all(is_public(address) for address in inner)
    return ip in GLOBAL_UNICAST and not any(ip in network for network in DENIED_IPV6)


def parse(address: str) -> IPAddress:
    """An address as ``getaddrinfo`` gives it (an IPv6 one may carry a ``%zone``)."""
    return ipaddress.ip_address(address.split("%", 1)[0])


def resolve(host: str, port: int) -> list[str]:
    """The addresses of ``host``, in the resolver's order, each once.

    Raises :class:`OSError` (``socket.gaierror``) or :class:`UnicodeError` when it has none.
    """
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))
