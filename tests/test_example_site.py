"""The example site: demo content loads with import_tagpage, twice without duplicates."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page

from example_site.home.models import HomePage
from wagtail_tagfeed.models import ArticlePage, TagIndexPage

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_loads_the_seed_once(client):
    first = load_demo()
    assert "turkey: 10 created" in first
    assert "user: demo  password: demo-password" in first
    second = load_demo()
    assert "turkey: 0 created, 0 updated, 10 unchanged" in second
    assert ArticlePage.objects.count() == 10
    assert TagIndexPage.objects.get().url == "/news/"
    assert get_user_model().objects.filter(username="demo", is_superuser=True).count() == 1
    assert Page.find_problems() == ([], [], [], [], [])


def test_demo_pages_render(client):
    load_demo()
    home = client.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    assert isinstance(Page.objects.get(url_path="/tagfeed-home/").specific, HomePage)
    assert "Latest on turkey" in html
    assert html.count('class="tagfeed-item"') == 5
    listing = client.get("/news/tag/turkey/")
    assert listing.status_code == 200
    assert "Contents tagged with turkey" in listing.content.decode()
    assert listing.content.decode().count('class="tagfeed-item"') == 10
    for feed in ("/news/tag/turkey/feed/rss/", "/news/feed/atom/", "/sitemap.xml"):
        assert client.get(feed).status_code == 200
