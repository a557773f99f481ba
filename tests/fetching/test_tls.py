"""TLS on the pinned connection: the certificate is checked against the host name."""

import socket

import pytest

from tests.support.http import TLS_FOLDER
from wagtail_tagfeed.errors import FetchError
from wagtail_tagfeed.fetching import FetchPolicy, addresses, fetch

PAGE = b"<!DOCTYPE html><html><head><title>t</title></head><body><p>Hello</p></body></html>"


@pytest.fixture
def names_on_loopback(monkeypatch):
    """``news.test`` and ``other.test`` resolve to 127.0.0.1, which counts as public."""
    resolve = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host in ("news.test", "other.test"):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return resolve(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    monkeypatch.setattr(addresses, "is_public", lambda ip: str(ip) == "127.0.0.1")


@pytest.fixture
def trusted_test_ca(monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(TLS_FOLDER / "ca.pem"))


def test_https_to_the_checked_address_verifies_the_host_name(
    https_server, names_on_loopback, trusted_test_ca
):
    https_server.route("/p", PAGE)
    url = https_server.url("/p", host="news.test")
    document = fetch(url, policy=FetchPolicy(retries=0))
    assert document.content == PAGE
    assert set(https_server.server_names) == {"news.test"}
    assert https_server.requests[0].headers["Host"] == f"news.test:{https_server.port}"


def test_a_certificate_for_another_name_is_refused(
    https_server, names_on_loopback, trusted_test_ca
):
    https_server.route("/p", PAGE)
    url = https_server.url("/p", host="other.test")
    with pytest.raises(FetchError) as excinfo:
        fetch(url, policy=FetchPolicy(retries=0, obey_robots=False))
    assert str(excinfo.value).startswith(f"{url}: TLS certificate not accepted (")
    assert "other.test" in str(excinfo.value)
    assert https_server.requests == []


def test_an_untrusted_certificate_is_refused(https_server, names_on_loopback):
    https_server.route("/p", PAGE)
    url = https_server.url("/p", host="news.test")
    with pytest.raises(FetchError) as excinfo:
        fetch(url, policy=FetchPolicy(retries=0, obey_robots=False))
    assert str(excinfo.value).startswith(f"{url}: TLS certificate not accepted (")
    assert https_server.requests == []
