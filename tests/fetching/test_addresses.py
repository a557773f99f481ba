"""The address guard decides from its own tables, the same on every Python release."""

import ipaddress

import pytest

from wagtail_tagfeed.fetching.addresses import embedded_ipv4, is_public

PUBLIC = [
    "93.184.216.34",
    "8.8.8.8",
    "1.1.1.1",
    "100.63.255.255",  # just below carrier-grade NAT
    "100.128.0.0",  # just above it
    "172.15.255.255",
    "172.32.0.0",
    "192.0.1.1",
    "192.169.0.1",
    "198.17.255.255",
    "198.20.0.0",
    "223.255.255.255",
    "2606:2800:220:1::1",
    "2a00:1450:4001:80b::200e",
    "2001:4860:4860::8888",
    "::ffff:8.8.8.8",  # IPv4-mapped public address
    "2002:808:808::1",  # 6to4 around 8.8.8.8
    "64:ff9b::808:808",  # NAT64 of 8.8.8.8
    "2001:0:808:808::f7f7:f7f7",  # Teredo: server 8.8.8.8, client 8.8.8.8
]

NOT_PUBLIC = [
    # IPv4 special-purpose registry
    "0.0.0.0",
    "0.1.2.3",
    "10.0.0.1",
    "10.255.255.255",
    "100.64.0.1",  # carrier-grade NAT
    "100.127.255.254",
    "127.0.0.1",
    "127.255.255.254",
    "169.254.169.254",  # cloud metadata
    "172.16.0.1",
    "172.31.255.255",
    "192.0.0.1",
    "192.0.0.9",
    "192.0.0.170",
    "192.0.2.1",
    "192.88.99.1",
    "192.168.1.1",
    "198.18.0.1",  # benchmarking
    "198.19.255.255",
    "198.51.100.7",
    "203.0.113.9",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    # IPv6 special-purpose registry
    "::",
    "::1",
    "fc00::1",
    "fd12:3456:789a::1",
    "fe80::1",
    "febf::1",
    "fec0::1",  # site-local: public on Python 3.11.7
    "feff::1",
    "ff02::1",
    "2001:db8::1",
    "3fff::1",
    "2001:2::1",  # benchmarking
    "2001:10::1",  # ORCHID
    "100::1",  # discard-only
    "5f00::1",
    "4000::1",  # outside the global unicast space
    "64:ff9b:1::a00:1",  # local-use NAT64
    # IPv4 inside IPv6
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "::127.0.0.1",  # IPv4-compatible
    "::10.0.0.1",
    "2002:7f00:1::",  # 6to4 around 127.0.0.1: public on Python 3.11.7
    "2002:a9fe:a9fe::",  # 6to4 around 169.254.169.254
    "2002:c0a8:101::1",  # 6to4 around 192.168.1.1
    "2002:a00:1::1",  # 6to4 around 10.0.0.1
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "2001:0:808:808::80ff:fffe",  # Teredo with client 127.0.0.1
    "2001:0:a00:1::f7f7:f7f7",  # Teredo with server 10.0.0.1
]


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses(address):
    assert is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_non_public_addresses(address):
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("address", "inside"),
    [
        ("::ffff:7f00:1", ["127.0.0.1"]),
        ("::a00:1", ["10.0.0.1"]),
        ("2002:7f00:1::", ["127.0.0.1"]),
        ("64:ff9b::a9fe:a9fe", ["169.254.169.254"]),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", ["65.54.227.120", "192.0.2.45"]),
        ("2606:2800:220:1::1", []),
        ("::1", []),
    ],
)
def test_ipv4_inside_ipv6(address, inside):
    assert [str(ip) for ip in embedded_ipv4(ipaddress.IPv6Address(address))] == inside
