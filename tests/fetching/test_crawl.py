"""One run's fetches: many at once within per-host and global limits, one deadline."""

import dataclasses

import pytest

from wagtail_tagfeed.conf import DEFAULTS, fetch_policy
from wagtail_tagfeed.errors import FetchError, NotHTMLError
from wagtail_tagfeed.fetching import (
    Crawl,
    Deadline,
    FetchPolicy,
    fetch,
    fetch_bytes,
    fetch_many,
)

PAGE = b"<!DOCTYPE html><html><head><title>t</title></head><body><p>Hello</p></body></html>"
LOCAL = FetchPolicy(allow_private=True, retries=0)


def crawl(**changes) -> Crawl:
    return Crawl(dataclasses.replace(LOCAL, **changes))


def slow_pages(server, count: int, seconds: float = 0.2) -> list[str]:
    def answer(request):
        if not server.sleep(seconds):
            return
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.send_header("Content-Length", str(len(PAGE)))
        request.end_headers()
        request.wfile.write(PAGE)

    return [server.handler(f"/slow/{n}", answer) for n in range(count)]


def test_policy_defaults_are_the_settings_defaults(settings):
    policy = FetchPolicy()
    assert policy.timeout == DEFAULTS["TAGFEED_TIMEOUT"]
    assert policy.max_bytes == DEFAULTS["TAGFEED_MAX_BYTES"]
    assert policy.max_image_bytes == DEFAULTS["TAGFEED_MAX_IMAGE_BYTES"]
    assert policy.max_image_pixels == DEFAULTS["TAGFEED_MAX_IMAGE_PIXELS"]
    assert policy.allow_private is DEFAULTS["TAGFEED_ALLOW_PRIVATE_HOSTS"] is False
    assert policy.contact_url == DEFAULTS["TAGFEED_CONTACT_URL"]
    assert policy.obey_robots is DEFAULTS["TAGFEED_OBEY_ROBOTS"]
    assert policy.retries == DEFAULTS["TAGFEED_RETRIES"]
    assert policy.per_host == DEFAULTS["TAGFEED_PER_HOST"]
    assert policy.concurrency == DEFAULTS["TAGFEED_CONCURRENCY"]
    assert policy.run_timeout == DEFAULTS["TAGFEED_RUN_TIMEOUT"]
    assert fetch_policy() == policy
    settings.TAGFEED_PER_HOST = 2
    assert fetch_policy(timeout=3, max_bytes=None) == dataclasses.replace(
        policy, per_host=2, timeout=3
    )


def test_results_in_order_with_failures_as_values(http_server):
    good = [http_server.route(f"/p{n}", PAGE) for n in range(5)]
    missing = http_server.url("/missing")
    binary = http_server.route("/doc", b"%PDF-1.4", headers={"Content-Type": "application/pdf"})
    sources = [good[0], missing, good[1], binary, *good[2:]]
    run = crawl()
    results = fetch_many(sources, run, lambda url: fetch(url, crawl=run))
    assert [getattr(result, "url", None) for result in results] == [
        good[0],
        None,
        good[1],
        None,
        *good[2:],
    ]
    assert isinstance(results[1], FetchError) and results[1].reason == "HTTP 404 Not Found"
    assert isinstance(results[3], NotHTMLError)
    assert len(http_server.robots_requests) == 1  # one robots.txt for the whole run


def test_never_more_than_the_per_host_limit_at_once(http_server):
    urls = slow_pages(http_server, 16)
    run = crawl(per_host=3, concurrency=8)
    results = fetch_many(urls, run, lambda url: fetch_bytes(url, crawl=run))
    assert [result.url for result in results] == urls
    assert 2 <= http_server.most_at_once <= 3


def test_never_more_than_the_global_limit_at_once(http_server):
    """Two host names of one server: the per-host limit alone would allow 8 at once."""
    urls = slow_pages(http_server, 8)
    urls += [url.replace("127.0.0.1", "localhost") for url in urls]
    run = crawl(per_host=4, concurrency=2)
    results = fetch_many(urls, run, lambda url: fetch_bytes(url, crawl=run))
    assert all(not isinstance(result, Exception) for result in results)
    assert http_server.most_at_once == 2


def test_the_run_deadline_stops_every_fetch_of_the_run(http_server):
    urls = slow_pages(http_server, 6, seconds=0.6)
    run = Crawl(dataclasses.replace(LOCAL, per_host=1, timeout=5), Deadline(1))
    results = fetch_many(urls, run, lambda url: fetch(url, crawl=run))
    assert not isinstance(results[0], Exception)
    failures = [result for result in results if isinstance(result, FetchError)]
    assert failures and all(
        "timed out: the run's time limit of 1 s was reached" in str(failure)
        for failure in failures
    )
    assert len(http_server.requests) < len(urls)


def test_the_run_deadline_cuts_a_fetch_short(http_server):
    url = http_server.trickle("/trickle", b"<html>" + b"x" * 100, "text/html", interval=0.1)
    with pytest.raises(FetchError) as excinfo:
        fetch(url, crawl=Crawl(LOCAL, Deadline(0.5)))
    assert str(excinfo.value) == f"{url}: timed out: the run's time limit of 0.5 s was reached"


def test_an_expired_run_fetches_nothing(http_server):
    url = http_server.route("/p", PAGE)
    with pytest.raises(FetchError, match="run's time limit of 0 s was reached"):
        fetch(url, crawl=Crawl(LOCAL, Deadline(0)))
    assert http_server.requests == []


def test_deadline():
    now = [100.0]
    deadline = Deadline(10, clock=lambda: now[0])
    assert deadline.remaining() == 10 and not deadline.expired()
    now[0] = 107.5
    assert deadline.remaining() == 2.5
    now[0] = 111
    assert deadline.remaining() == 0 and deadline.expired()


def test_a_policy_and_a_crawl_with_another_policy_are_refused(http_server):
    with pytest.raises(ValueError, match="policy or a crawl"):
        fetch(http_server.url("/p"), crawl=crawl(), policy=FetchPolicy(timeout=1))
