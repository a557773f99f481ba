"""robots.txt: parsed and matched as RFC 9309 says, read once per site and run, obeyed."""

import dataclasses
import itertools

import pytest

from wagtail_tagfeed.errors import FetchError
from wagtail_tagfeed.fetching import Crawl, Deadline, FetchPolicy, addresses, fetch, fetch_bytes
from wagtail_tagfeed.fetching.robots import MAX_ROBOTS_BYTES, parse

PAGE = b"<!DOCTYPE html><html><head><title>t</title></head><body><p>Hello</p></body></html>"
LOCAL = FetchPolicy(allow_private=True, retries=0)


def crawl(**changes) -> Crawl:
    return Crawl(dataclasses.replace(LOCAL, **changes))


def allowed(robots: str, path: str) -> bool:
    return parse(robots).allows(f"https://news.example{path}")


# Parsing and matching


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", True),
        ("/news/", True),
        ("/private/", False),
        ("/private/open/page", True),  # the longer Allow wins
        ("/private/open", True),
        ("/search?q=x", False),
        ("/tag/x?page=2", False),  # Disallow: /*?
        ("/report.pdf", False),  # Disallow: /*.pdf$
        ("/report.pdf.html", True),
        ("/a/b/secret/c", False),  # Disallow: /*/secret/
        ("/robots.txt", True),  # always allowed
    ],
)
def test_rules_longest_match_and_wildcards(path, expected):
    robots = """
        # comments and blank lines are ignored
        User-agent: *
        Disallow: /private/
        Allow: /private/open
        Disallow: /search
        Disallow: /*?
        Disallow: /*.pdf$
        Disallow: /*/secret/
        Disallow: /robots.txt
    """
    assert allowed(robots, path) is expected


def test_allow_wins_a_tie():
    assert allowed("User-agent: *\nDisallow: /page\nAllow: /page", "/page")
    assert allowed("User-agent: *\nAllow: /page\nDisallow: /page", "/page")


def test_our_group_wins_over_the_star_group():
    robots = """
        User-agent: *
        Disallow: /

        User-agent: Wagtail-Tagfeed
        Disallow: /drafts/
        Crawl-delay: 2.5
    """
    rules = parse(robots)
    assert rules.allows("https://news.example/news/") and not rules.allows(
        "https://news.example/drafts/x"
    )
    assert rules.crawl_delay == 2.5
    assert parse("User-agent: otherbot\nDisallow: /").allows("https://news.example/x")


def test_groups_naming_us_are_merged_and_agents_can_share_a_group():
    robots = """
        User-agent: otherbot
        User-agent: wagtail-tagfeed/0.1
        Disallow: /a/

        User-agent: wagtail-tagfeed
        Disallow: /b/
    """
    rules = parse(robots)
    assert not rules.allows("https://news.example/a/1")
    assert not rules.allows("https://news.example/b/1")
    assert rules.allows("https://news.example/c/1")


@pytest.mark.parametrize(
    "robots",
    [
        "Disallow: /\n",  # rules before any User-agent belong to no group
        "User-agent: *\nDisallow:\n",  # an empty Disallow allows everything
        "User-agent *\nDisallow /\n",  # no colons: not rules
        "\x00\xff garbage \x1b[0m\nUser-agent: *\nDisalow: /\n",
        "",
    ],
)
def test_malformed_or_empty_robots_allow_everything(robots):
    assert allowed(robots, "/news/page")


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "soon", ""])
def test_invalid_crawl_delay_is_ignored(value):
    assert parse(f"User-agent: *\nCrawl-delay: {value}\nDisallow: /x").crawl_delay is None


def test_percent_encoding_is_compared_normalised():
    robots = "User-agent: *\nDisallow: /caf%C3%A9/\nDisallow: /%7Euser/\nDisallow: /söz/"
    assert not allowed(robots, "/café/menu")
    assert not allowed(robots, "/~user/page")
    assert not allowed(robots, "/s%C3%B6z/1")
    assert allowed(robots, "/cafe/menu")


def test_pathological_patterns_are_matched_without_backtracking_blowup():
    robots = "User-agent: *\nDisallow: /" + "*a" * 500 + "b$"
    assert allowed(robots, "/" + "a" * 2000)


# Over HTTP


def test_disallowed_pages_and_images_are_not_fetched(http_server):
    http_server.route("/robots.txt", "User-agent: *\nDisallow: /private/\n", headers={})
    http_server.route("/private/p", PAGE)
    open_url = http_server.route("/open/p", PAGE)
    run = crawl()
    with pytest.raises(FetchError) as excinfo:
        fetch(http_server.url("/private/p"), crawl=run)
    assert str(excinfo.value) == (
        f"{http_server.url('/private/p')}: not fetched: the site's robots.txt disallows it"
    )
    with pytest.raises(FetchError, match=r"robots\.txt disallows it"):
        fetch_bytes(http_server.url("/private/p"), crawl=run)
    assert fetch(open_url, crawl=run).content == PAGE
    assert [request.path for request in http_server.requests] == ["/open/p"]
    assert len(http_server.robots_requests) == 1  # once per site and run


def test_each_run_reads_robots_txt_again(http_server):
    url = http_server.route("/p", PAGE)
    fetch(url, crawl=crawl())
    fetch(url, crawl=crawl())
    assert len(http_server.robots_requests) == 2


def test_robots_can_be_turned_off_for_ones_own_sites(http_server):
    http_server.route("/robots.txt", "User-agent: *\nDisallow: /\n", headers={})
    url = http_server.route("/p", PAGE)
    assert fetch(url, crawl=crawl(obey_robots=False)).content == PAGE
    assert http_server.robots_requests == []


def test_user_agent_names_us_and_the_contact(http_server):
    url = http_server.route("/p", PAGE)
    fetch(url, crawl=crawl(contact_url="https://example.org/about-our-bot"))
    agents = {r.headers["User-Agent"] for r in http_server.requests + http_server.robots_requests}
    assert len(agents) == 1
    assert agents.pop().endswith(" (+https://example.org/about-our-bot)")


def test_a_redirect_to_a_disallowed_page_is_refused(http_server):
    http_server.route("/robots.txt", "User-agent: *\nDisallow: /private/\n", headers={})
    url = http_server.redirect("/go", "/private/p")
    with pytest.raises(FetchError, match=r"robots\.txt disallows it"):
        fetch(url, crawl=crawl())
    assert [request.path for request in http_server.requests] == ["/go"]


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_robots_unavailable_4xx_allows_everything(http_server, status):
    http_server.route("/robots.txt", "User-agent: *\nDisallow: /\n", status=status)
    url = http_server.route("/p", PAGE)
    assert fetch(url, crawl=crawl()).content == PAGE


@pytest.mark.parametrize(("status", "reason"), [(500, "Internal Server Error"), (429, "")])
def test_robots_unreachable_disallows_everything(http_server, status, reason):
    http_server.route("/robots.txt", "User-agent: *\nAllow: /\n", status=status)
    url = http_server.route("/p", PAGE)
    with pytest.raises(FetchError) as excinfo:
        fetch(url, crawl=crawl())
    assert f"the site's robots.txt could not be read (HTTP {status}" in str(excinfo.value)
    assert "counts as disallowing everything" in str(excinfo.value)
    assert http_server.requests == []


def test_robots_that_never_answers_stops_at_the_deadline(http_server):
    http_server.trickle("/robots.txt", b"User-agent: *\n", "text/plain", interval=0.3)
    url = http_server.route("/p", PAGE)
    with pytest.raises(FetchError) as excinfo:
        fetch(url, crawl=crawl(timeout=0.5))
    assert "timed out: robots.txt took longer than 0.5 s" in str(excinfo.value)
    assert http_server.requests == []


def test_robots_beyond_the_size_cap_is_ignored(http_server):
    """RFC 9309 lets a crawler read only the first 500 KiB: later rules do not count."""
    padding = "# " + "x" * 1000 + "\n"
    early = "User-agent: *\nDisallow: /early/\n"
    body = early + padding * (MAX_ROBOTS_BYTES // len(padding) + 10) + "Disallow: /late/\n"
    assert len(body) > MAX_ROBOTS_BYTES
    http_server.route("/robots.txt", body, headers={"Content-Type": "text/plain"})
    http_server.route("/early/p", PAGE)
    late = http_server.route("/late/p", PAGE)
    run = crawl()
    with pytest.raises(FetchError, match="disallows"):
        fetch(http_server.url("/early/p"), crawl=run)
    assert fetch(late, crawl=run).content == PAGE


def test_robots_redirects_are_followed_up_to_five(http_server):
    http_server.redirect("/robots.txt", "/r1")
    for hop in range(1, 5):
        http_server.redirect(f"/r{hop}", f"/r{hop + 1}")
    http_server.route("/r5", "User-agent: *\nDisallow: /private/\n", headers={})
    http_server.route("/private/p", PAGE)
    with pytest.raises(FetchError, match="disallows"):
        fetch(http_server.url("/private/p"), crawl=crawl())


def test_robots_with_too_many_redirects_counts_as_missing(http_server):
    http_server.redirect("/robots.txt", "/r1")
    for hop in range(1, 7):
        http_server.redirect(f"/r{hop}", f"/r{hop + 1}")
    http_server.route("/r7", "User-agent: *\nDisallow: /\n", headers={})
    url = http_server.route("/private/p", PAGE)
    assert fetch(url, crawl=crawl()).content == PAGE


def test_robots_fetch_obeys_the_address_guard(http_server, monkeypatch):
    """Here the page's address counts as public, the robots.txt redirect target not."""
    monkeypatch.setattr(addresses, "is_public", lambda ip: str(ip) == "127.0.0.1")
    http_server.redirect("/robots.txt", f"http://127.0.0.2:{http_server.port}/robots.txt")
    url = http_server.route("/p", PAGE)
    with pytest.raises(FetchError) as excinfo:
        fetch(url, crawl=crawl(allow_private=False))
    assert "refused: 127.0.0.2 is on a non-public address" in str(excinfo.value)
    assert http_server.requests == []


def test_crawl_delay_spaces_the_requests_to_a_site(http_server):
    http_server.route("/robots.txt", "User-agent: *\nCrawl-delay: 0.5\n", headers={})
    urls = [http_server.route(f"/p{n}", PAGE) for n in range(3)]
    run = crawl()
    for url in urls:
        fetch(url, crawl=run)
    arrivals = [request.at for request in http_server.requests]
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert len(gaps) == 2 and min(gaps) >= 0.4  # the delay, less any network jitter


def test_a_crawl_delay_past_the_deadline_fails_at_once(http_server):
    http_server.route("/robots.txt", "User-agent: *\nCrawl-delay: 30\n", headers={})
    first, second = (http_server.route(f"/p{n}", PAGE) for n in range(2))
    run = Crawl(LOCAL, Deadline(5))
    fetch(first, crawl=run)
    with pytest.raises(FetchError) as excinfo:
        fetch(second, crawl=run)
    assert "waiting 30.0 s for the site's Crawl-delay would pass the time limit" in str(
        excinfo.value
    )
    assert [request.path for request in http_server.requests] == ["/p0"]
