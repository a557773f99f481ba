"""Connection errors, HTTP 429 and 503 are tried again, within the run's deadline."""

import dataclasses
import email.utils
import time

import pytest

from wagtail_tagfeed.errors import FetchError
from wagtail_tagfeed.fetching import Crawl, Deadline, FetchPolicy, fetch
from wagtail_tagfeed.fetching.http import MAX_RETRY_AFTER, retry_after

PAGE = b"<!DOCTYPE html><html><head><title>t</title></head><body><p>Hello</p></body></html>"
RETRYING = FetchPolicy(allow_private=True, retries=2)


def failing_first(server, path: str, failures: int, status: int, headers=None) -> str:
    """Answer ``path`` with ``status`` (or hang up, for status 0) ``failures`` times, then 200."""
    seen = []

    def answer(request):
        seen.append(request.path)
        if len(seen) <= failures:
            if status == 0:
                return  # closes the connection without a word
            request.send_response(status)
            for name, value in (headers or {}).items():
                request.send_header(name, value)
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.send_header("Content-Length", str(len(PAGE)))
        request.end_headers()
        request.wfile.write(PAGE)

    return server.handler(path, answer)


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        (503, {"Retry-After": "0"}),
        (429, {"Retry-After": "1"}),
        (503, {}),
        (503, {"Retry-After": "soon"}),  # malformed: the backoff decides
        (429, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}),  # past: the backoff decides
        (0, {}),  # the server hangs up without answering
    ],
)
def test_a_temporary_failure_is_tried_again(http_server, status, headers):
    url = failing_first(http_server, "/p", 2, status, headers)
    assert fetch(url, policy=RETRYING).content == PAGE
    assert len(http_server.requests) == 3


def test_retries_are_bounded(http_server):
    url = http_server.route("/p", b"busy", status=503, headers={"Retry-After": "0"})
    with pytest.raises(FetchError) as excinfo:
        fetch(url, policy=RETRYING)
    assert str(excinfo.value) == f"{url}: HTTP 503 Service Unavailable"
    assert len(http_server.requests) == 3
    with pytest.raises(FetchError):
        fetch(url, policy=dataclasses.replace(RETRYING, retries=0))
    assert len(http_server.requests) == 4


@pytest.mark.parametrize("status", [404, 500, 502])
def test_other_errors_are_not_tried_again(http_server, status):
    url = http_server.route("/p", b"no", status=status)
    with pytest.raises(FetchError, match=f"HTTP {status}"):
        fetch(url, policy=RETRYING)
    assert len(http_server.requests) == 1


def test_a_retry_after_past_the_deadline_fails_at_once(http_server):
    url = http_server.route("/p", b"busy", status=503, headers={"Retry-After": "30"})
    with pytest.raises(FetchError) as excinfo:
        fetch(url, crawl=Crawl(RETRYING, Deadline(5)))
    assert str(excinfo.value) == (
        f"{url}: HTTP 503 Service Unavailable; a retry after 30.0 s would pass the run's "
        "time limit"
    )
    assert len(http_server.requests) == 1


def test_an_absurd_retry_after_is_not_waited_for(http_server):
    url = http_server.route("/p", b"busy", status=429, headers={"Retry-After": "86400"})
    with pytest.raises(FetchError) as excinfo:
        fetch(url, policy=RETRYING)
    assert str(excinfo.value) == (
        f"{url}: HTTP 429 Too Many Requests (asked to retry after 86400 s)"
    )
    assert len(http_server.requests) == 1


def test_retry_after_values():
    now = time.time()
    in_a_minute = email.utils.formatdate(now + 60, usegmt=True)
    assert retry_after("120") == 120
    assert 55 <= retry_after(in_a_minute, now=now) <= 60
    assert retry_after(email.utils.formatdate(now - 60, usegmt=True), now=now) is None
    for malformed in (None, "", "-5", "1.5", "soon", "Mon, 99 Foo 2024 99:99:99 GMT"):
        assert retry_after(malformed) is None
    assert retry_after(str(10**30)) > MAX_RETRY_AFTER
