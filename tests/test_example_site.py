"""The example site: demo content loads with import_tagpage, twice without duplicates."""

import io
import re
import shutil
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from example_site.home.management.commands import load_demo as load_demo_command
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


def test_demo_imports_full_articles_images_and_links():
    first = load_demo()
    assert "not imported" not in first and "imported from its teaser" not in first
    revisions, images = Revision.objects.count(), get_image_model().objects.count()
    assert images == 4
    articles = ArticlePage.objects.all()
    pages = {article.source_url: article.pk for article in articles}
    for article in articles:
        kinds = [block.block_type for block in article.body]
        assert kinds[0] == "paragraph" and "image" in kinds and "heading" in kinds
        assert article.listing_image is not None
        assert article.author == "News Wire desk"
        see_also = article.body[-1].value.source
        assert see_also.count('linktype="page"') == 1
        linked = int(see_also.split('id="')[1].split('"')[0])
        assert linked in pages.values() and linked != article.pk
        # Links to the site's own pages are paths, never absolute URLs of this site.
        assert 'href="/news/tag/turkey/"' in see_also and "localhost" not in see_also
        assert "Share" not in str(article.body.raw_data) and "Comments" not in str(
            article.body.raw_data
        )
    load_demo()
    assert (Revision.objects.count(), get_image_model().objects.count()) == (revisions, images)


def test_demo_pages_render(client):
    load_demo()
    home = client.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    assert isinstance(Page.objects.get(url_path="/tagfeed-home/").specific, HomePage)
    assert "Latest on turkey" in html
    assert html.count('class="tagfeed-item"') == 5
    sidebar = html.split('id="sidebar-latest-heading"')[1].split("</aside>")[0]
    labels = [unescape(label) for label in re.findall(r"<li><a [^>]*>([^<]*)</a>", sidebar)]
    titles = list(ArticlePage.objects.values_list("title", flat=True))
    cut = [label for label in labels if label not in titles]
    assert len(labels) == 5 and cut, labels
    for label in cut:
        assert len(label) <= 70 and label.endswith("…"), label
        assert any(title.startswith(label[:-1] + " ") for title in titles), label
    listing = client.get("/news/tag/turkey/")
    assert listing.status_code == 200
    assert "Contents tagged with turkey" in listing.content.decode()
    assert listing.content.decode().count('class="tagfeed-item"') == 10
    article = client.get(ArticlePage.objects.first().url)
    assert article.status_code == 200
    assert "<img" in article.content.decode() and "See also" in article.content.decode()
    for feed in ("/news/tag/turkey/feed/rss/", "/news/feed/atom/", "/sitemap.xml"):
        assert client.get(feed).status_code == 200


def test_demo_fails_listing_the_articles_it_could_not_fetch(tmp_path, monkeypatch):
    demo = shutil.copytree(load_demo_command.DEMO_DIR, tmp_path / "demo")
    missing = "turkey-decides-to-stop-turkstream-pipeline"
    (demo / "articles" / f"{missing}.html").unlink()
    monkeypatch.setattr(load_demo_command, "DEMO_DIR", demo)
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("load_demo", verbosity=0, stdout=out)
    lines = str(failure.value).splitlines()
    assert lines[0] == "The demo is incomplete: 1 of its articles or images could not be imported."
    assert len(lines) == 2
    assert f"Article https://news.example/{missing} imported from its teaser" in lines[1]
    assert "404" in lines[1]
    assert failure.value.returncode == 1
    # What could be read is there, and the site is usable.
    assert "user: demo" in out.getvalue()
    assert ArticlePage.objects.count() == 10
    teaser_only = ArticlePage.objects.get(source_url=f"https://news.example/{missing}")
    assert not teaser_only.body


def test_demo_site_is_where_make_demo_serves_it():
    load_demo()
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "http://127.0.0.1:8000"
    site.hostname, site.port = "localhost", 80  # a demo database of an earlier version
    site.save()
    load_demo()
    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:8000"


def main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_rendered_demo_pages_link_to_the_demo_address(client):
    load_demo()
    article = ArticlePage.objects.get(slug="lavrov-turkey-is-not-russias-strategic-ally")
    api = "/api/v2/pages/?type=wagtail_tagfeed.ArticlePage&fields=*"
    feeds = ("/news/feed/rss/", "/news/tag/turkey/feed/atom/")
    for url in ("/", "/news/", "/news/tag/turkey/", article.url, *feeds, "/sitemap.xml", api):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "localhost" not in response.content.decode(), url
    html = client.get(article.url).content.decode()
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{article.url}">' in html


def test_demo_teasers_end_with_an_ellipsis_and_articles_do_not_repeat_them(client):
    load_demo()
    articles = ArticlePage.objects.all()
    assert all(article.summary_truncated for article in articles)
    assert not any(article.has_standfirst for article in articles)
    listing = main(client.get("/news/tag/turkey/").content.decode())
    assert "this partnership is strategic,…</p>" in listing
    assert listing.count("…</p>") == 10
    lavrov = articles.get(slug="lavrov-turkey-is-not-russias-strategic-ally")
    page = main(client.get(lavrov.url).content.decode())
    assert "tagfeed-article__summary" not in page
    assert page.count("Russia does not and has never considered Turkey a strategic ally") == 1
    assert "Lavrov said." in page and "Moscow and Ankara back opposing sides" in page
