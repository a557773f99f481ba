"""A separate front end renders the example site from JSON alone, over real HTTP.

The example site runs in its own process (``manage.py runserver`` on a free port of
127.0.0.1, on a database of its own with the demo loaded), and the test reads it as a front
end would: a tag listing page after page, then an article, with urllib.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
MANAGE = ROOT / "example_site" / "manage.py"
PER_PAGE = 4
"""The demo's ten articles on three pages."""


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Site:
    """The example site at ``base``: GET a path (or a URL of the site, on any port)."""

    def __init__(self, base: str) -> None:
        self.base = base

    def get(self, url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with OPENER.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def json(self, url: str) -> dict:
        status, headers, body = self.get(url)
        assert status == 200, (url, status, body[:300])
        assert headers["Content-Type"] == "application/json"
        return json.loads(body)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("headless-site")
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "example_site.settings",
        "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "DEBUG": "1",
    }

    def manage(*args: str) -> None:
        subprocess.run(
            [sys.executable, MANAGE, *args], env=env, cwd=ROOT, check=True, capture_output=True
        )

    manage("migrate", "-v0")
    manage("load_demo")
    manage(
        "shell",
        "-c",
        "from wagtail_tagfeed.models import TagIndexPage; index = TagIndexPage.objects.get(); "
        f"index.per_page = {PER_PAGE}; index.save_revision().publish()",
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        site = Site(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 60
        while True:
            try:
                site.get("/news/json/")
                break
            except OSError:
                assert server.poll() is None, "the example site did not start"
                assert time.monotonic() < deadline, "the example site did not answer"
                time.sleep(0.2)
        yield site
    finally:
        server.terminate()
        server.wait(timeout=30)


def html_titles(site: Site, url: str) -> list[str]:
    status, _, body = site.get(url)
    assert status == 200
    titles = re.findall(r'class="tagfeed-item__title"><a href="[^"]*">([^<]*)</a>', body.decode())
    return [unescape(title) for title in titles]


def check_image(site: Site, image: dict) -> None:
    """Every rendition is served, in its format and size; the alt text is there."""
    assert image["alt"]
    for rendition in image["renditions"]:
        assert rendition["full_url"].endswith(rendition["url"])
        status, _, body = site.get(rendition["url"])
        assert status == 200, rendition["url"]
        if rendition["format"] in ("jpeg", "png", "webp"):
            with Image.open(io.BytesIO(body)) as decoded:
                assert decoded.format.lower() == rendition["format"]
                assert decoded.size == (rendition["width"], rendition["height"])
        else:
            assert body


def check_links(site: Site, html: str) -> None:
    """Links are front-end URLs: none in database form, each path one the site serves."""
    assert "linktype=" not in html
    for href in re.findall(r'href="([^"]*)"', html):
        if href.startswith("/"):
            assert site.get(unescape(href))[0] == 200, href


def test_a_front_end_reads_a_tag_listing_page_after_page(site):
    pages = [site.json("/news/tag/turkey/json/")]
    while pages[-1]["pagination"]["next_url"]:
        pages.append(site.json(pages[-1]["pagination"]["next_url"]))
    assert [page["pagination"]["page"] for page in pages] == [1, 2, 3]
    assert pages[0]["pagination"]["count"] == 10 and pages[0]["pagination"]["num_pages"] == 3
    assert pages[2]["pagination"]["previous_url"].endswith("/news/tag/turkey/json/?page=2")
    for number, page in enumerate(pages, start=1):
        html_url = "/news/tag/turkey/" + (f"?page={number}" if number > 1 else "")
        assert [item["title"] for item in page["items"]] == html_titles(site, html_url)
        assert page["canonical_url"].endswith(html_url)
    assert site.get("/news/tag/turkey/json/?page=4")[0] == 404

    items = [item for page in pages for item in page["items"]]
    assert len(items) == 10
    first = items[0]
    assert first["teaser"].endswith("this partnership is strategic,…</p>")
    for item in items:
        datetime.date.fromisoformat(item["published_date"])
        assert item["teaser"].endswith("…</p>") == item["summary_truncated"]
        assert item["teaser"].count("…") <= 1
        check_links(site, item["teaser"])
        check_image(site, item["listing_image"])
        assert item["tags"] == [{"name": "turkey", "slug": "turkey", "url": "/news/tag/turkey/"}]
        assert site.get(item["url"])[0] == 200
    assert pages[0]["tags"] == [
        {"name": "turkey", "slug": "turkey", "count": 10, "url": "/news/tag/turkey/"}
    ]


def test_a_front_end_reads_an_article_by_its_path(site):
    listing = site.json("/news/tag/turkey/json/")
    path = listing["items"][0]["url"]
    status, headers, _ = site.get(f"/api/v2/pages/find/?html_path={path}")
    assert status == 302
    article = site.json(headers["Location"] + "?fields=*")
    assert article["meta"]["type"] == "wagtail_tagfeed.ArticlePage"
    assert article["title"] == listing["items"][0]["title"]
    datetime.date.fromisoformat(article["published_date"])
    assert article["teaser"].endswith("…</p>") and article["has_standfirst"] is False
    assert article["tags"] == listing["items"][0]["tags"]
    assert article["reading_time"] >= 1
    kinds = [block["type"] for block in article["body"]]
    assert kinds[0] == "paragraph" and "image" in kinds and "heading" in kinds
    for block in article["body"]:
        if block["type"] == "paragraph":
            check_links(site, block["value"])
        elif block["type"] == "image":
            check_image(site, block["value"])
            formats = {rendition["format"] for rendition in block["value"]["renditions"]}
            assert "webp" in formats
    see_also = article["body"][-1]["value"]
    assert re.search(r'<a href="/news/[^"/]+/">', see_also)  # a link to another article
    check_image(site, article["listing_image"])
    assert site.get(article["social_image"]["url"])[0] == 200

    index = site.json(article["meta"]["parent"]["meta"]["detail_url"] + "?fields=*")
    assert index["tags_in_use"] == listing["tags"]
    assert index["listing_json_url"].endswith("/news/json/")
    for feed in index["feeds"]:
        assert site.get(feed["url"])[0] == 200


def test_a_front_end_revalidates_a_listing(site):
    status, headers, _ = site.get("/news/tag/turkey/json/?page=2")
    assert status == 200
    status, again, body = site.get(
        "/news/tag/turkey/json/?page=2", headers={"If-None-Match": headers["ETag"]}
    )
    assert (status, body) == (304, b"")
    assert again["ETag"] == headers["ETag"]
