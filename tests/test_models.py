"""The page models: routes, listings, tags, sitemap and query counts."""

import datetime
import io

import pytest
from django.core.files.images import ImageFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.rich_text import RichText

from tests.factories import ArticlePageFactory, ImageFactory, TagIndexPageFactory
from tests.support.images import image_bytes
from wagtail_tagfeed import queries
from wagtail_tagfeed.models import ArticlePage

pytestmark = pytest.mark.django_db


def main(response) -> str:
    """The page's main content, without the site's sidebars."""
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_index_lists_articles_newest_first(client, tag_index, make_articles):
    older, newer = make_articles(2)
    html = main(client.get(tag_index.url))
    assert html.index(newer.title) < html.index(older.title)


def test_tag_page_has_the_heading_and_only_that_tag(client, tag_index, make_articles):
    turkey = make_articles(2, tags=["turkey"])
    other = make_articles(1, tags=["nato"])
    html = main(client.get(f"{tag_index.url}tag/turkey/"))
    assert "<h1>Contents tagged with turkey</h1>" in html
    assert all(article.title in html for article in turkey)
    assert other[0].title not in html


def test_unknown_tag_is_404(client, tag_index, make_articles):
    make_articles(1, tags=["turkey"])
    assert client.get(f"{tag_index.url}tag/unknown/").status_code == 404


def test_tag_used_only_elsewhere_is_404(client, tag_index, make_articles):
    elsewhere = TagIndexPageFactory(title="Elsewhere")
    make_articles(1, tags=["nato"], parent=elsewhere)
    assert client.get(f"{tag_index.url}tag/nato/").status_code == 404


def test_tags_are_case_insensitive(client, tag_index, make_articles):
    [upper] = make_articles(1, tags=["Turkey"])
    for slug in ("turkey", "Turkey", "TURKEY"):
        assert upper.title in main(client.get(f"{tag_index.url}tag/{slug}/"))


def test_listing_shows_only_live_public_pages(client, tag_index, make_articles):
    [live] = make_articles(1)
    [draft] = make_articles(1, publish=False)
    [private] = make_articles(1)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    html = main(client.get(f"{tag_index.url}tag/turkey/"))
    assert live.title in html
    assert draft.title not in html
    assert private.title not in html


@pytest.mark.parametrize("route", ["", "tag/turkey/"])
def test_pages_past_the_last_and_non_numbers_are_404(client, tag_index, make_articles, route):
    tag_index.per_page = 2
    tag_index.save_revision().publish()
    articles = make_articles(5)
    newest_first = [a.title for a in reversed(articles)]
    url = f"{tag_index.url}{route}"
    page2 = main(client.get(f"{url}?page=2"))
    assert newest_first[2] in page2 and newest_first[1] not in page2
    for query in ("", "?page=", "?page=1"):
        assert newest_first[0] in main(client.get(url + query))
    assert newest_first[4] in main(client.get(f"{url}?page=3"))
    for query in ("?page=4", "?page=99", "?page=0", "?page=-1", "?page=abc", "?page=last"):
        assert client.get(url + query).status_code == 404, query


def test_an_empty_index_has_its_first_page_only(client, tag_index):
    assert "No articles yet." in main(client.get(tag_index.url))
    assert client.get(f"{tag_index.url}?page=2").status_code == 404


def test_pinned_tag_limits_the_index(client, tag_index, make_articles):
    [pinned] = make_articles(1, tags=["turkey"])
    [other] = make_articles(1, tags=["nato"])
    tag_index.pinned_tag = pinned.tags.get()
    tag_index.save_revision().publish()
    html = main(client.get(tag_index.url))
    assert pinned.title in html and other.title not in html


def test_tags_in_use_with_counts(tag_index, make_articles):
    make_articles(3, tags=["turkey"])
    make_articles(1, tags=["turkey", "nato"])
    assert [(row["name"], row["count"]) for row in tag_index.get_tags_in_use()] == [
        ("turkey", 4),
        ("nato", 1),
    ]


def test_index_head_announces_feeds(client, tag_index, make_articles):
    make_articles(1)
    html = client.get(f"{tag_index.url}tag/turkey/").content.decode()
    assert 'rel="alternate" type="application/rss+xml"' in html
    assert f'href="http://localhost{tag_index.url}tag/turkey/feed/atom/"' in html


def test_article_page_has_canonical_and_open_graph(client, make_articles):
    [article] = make_articles(1)
    html = client.get(article.url).content.decode()
    assert f'<link rel="canonical" href="http://localhost{article.url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:title" content="{article.title}">' in html
    assert '<time datetime="' in html
    assert 'rel="tag"' in html


def test_sitemap_lists_tag_pages(rf, tag_index, make_articles):
    make_articles(1, tags=["turkey"])
    make_articles(1, tags=["nato"])
    locations = [entry["location"] for entry in tag_index.get_sitemap_urls(rf.get("/"))]
    assert locations[0] == tag_index.full_url
    assert f"{tag_index.full_url}tag/turkey/" in locations
    assert f"{tag_index.full_url}tag/nato/" in locations


def test_blank_source_url_is_stored_as_null_so_it_stays_unique(tag_index):
    first = ArticlePageFactory(parent=tag_index, source_url="")
    second = ArticlePageFactory(parent=tag_index, source_url="")
    assert ArticlePage.objects.filter(pk__in=[first.pk, second.pk], source_url=None).count() == 2


def test_articles_can_only_live_under_a_tag_index():
    assert ArticlePage.allowed_parent_page_models() == [
        Page.objects.model._meta.apps.get_model("wagtail_tagfeed", "TagIndexPage")
    ]


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("route", ["", "tag/turkey/", "feed/rss/", "tag/turkey/feed/atom/"])
def test_listing_query_count_does_not_grow_with_articles(client, tag_index, make_articles, route):
    tag_index.per_page = 50
    tag_index.save_revision().publish()
    make_articles(5, tags=["turkey", "nato"])
    url = f"{tag_index.url}{route}"
    client.get(url)  # warm the per-process caches (site root paths, content types)
    with_five = count_queries(client, url)
    make_articles(45, tags=["turkey", "gas", "drones"])
    assert count_queries(client, url) == with_five


@pytest.mark.usefixtures("committed_db", "real_cache")
def test_cached_counts_follow_publishing(client, tag_index, make_articles):
    [first] = make_articles(1, tags=["turkey"])
    assert [row["count"] for row in tag_index.get_tags_in_use()] == [1]
    [second] = make_articles(1, tags=["turkey"])
    assert [row["count"] for row in tag_index.get_tags_in_use()] == [2]
    second.unpublish()
    assert [row["count"] for row in tag_index.get_tags_in_use()] == [1]
    html = main(client.get(f"{tag_index.url}tag/turkey/"))
    assert first.title in html and second.title not in html
    first.delete()
    assert client.get(f"{tag_index.url}tag/turkey/").status_code == 404


@pytest.mark.usefixtures("committed_db", "real_cache")
def test_counts_are_forgotten_once_when_the_transaction_commits(tag_index, make_articles):
    """Not before: a request in between would cache the old counts under the new generation."""
    before = queries.generation()
    with transaction.atomic():
        make_articles(3, tags=["turkey"])
        assert queries.generation() == before
    assert queries.generation() == before + 1


CUT_TEASER = "<p>On many fronts, this partnership is strategic,</p>"


def test_listings_end_a_teaser_cut_at_the_source_with_one_ellipsis(
    client, tag_index, make_articles
):
    make_articles(1, summary=CUT_TEASER, summary_truncated=True)
    make_articles(1, summary="<p>A teaser in full.</p>")
    for url in (tag_index.url, f"{tag_index.url}tag/turkey/"):
        html = main(client.get(url))
        assert "this partnership is strategic,…</p>" in html
        assert "A teaser in full.</p>" in html
        assert html.count("…") == 1


def test_the_teaser_property_carries_the_ellipsis(make_articles):
    [cut] = make_articles(1, summary=CUT_TEASER, summary_truncated=True)
    [whole] = make_articles(1, summary=CUT_TEASER)
    assert cut.teaser == "<p>On many fronts, this partnership is strategic,…</p>"
    assert whole.teaser == CUT_TEASER
    assert cut.teaser_text == "On many fronts, this partnership is strategic,…"


LEAD = (
    "<p>Russia has never considered Turkey a strategic ally, the minister said.</p>",
    "<p>“We have never looked at Turkey as our strategic ally,” he told the radio.</p>",
    "<p>Moscow and Ankara back opposing sides in Syria.</p>",
)


def paragraphs(*html: str) -> list:
    return [("paragraph", RichText(text)) for text in html]


@pytest.mark.parametrize(
    ("summary", "standfirst"),
    [
        # The listing's teaser: the first paragraphs, cut at the source.
        (
            "<p>Russia has never considered Turkey a strategic ally, the minister said.</p>"
            '<p>"We have never looked at Turkey as our</p>',
            False,
        ),
        ("<p>Partners, not allies: the minister on Turkey.</p>", True),
    ],
)
def test_article_page_shows_the_summary_only_when_it_is_not_the_bodys_start(
    client, make_articles, summary, standfirst
):
    [article] = make_articles(1, summary=summary, summary_truncated=True, body=paragraphs(*LEAD))
    html = main(client.get(article.url))
    assert ('class="tagfeed-article__summary"' in html) is standfirst
    assert html.count("Russia has never considered Turkey") == 1
    assert "Moscow and Ankara back opposing sides" in html
    assert article.has_standfirst is standfirst


def test_an_article_without_body_shows_its_summary(client, make_articles):
    [article] = make_articles(1, summary=CUT_TEASER, summary_truncated=True)
    html = main(client.get(article.url))
    assert '<div class="tagfeed-article__summary"><p>On many fronts' in html
    assert "this partnership is strategic,…</p>" in html


def test_undated_articles_show_their_first_publication_date(client, tag_index, make_articles):
    [article] = make_articles(1, date=None)
    day = timezone.localdate(article.first_published_at)
    assert article.published_date == day
    time = f'<time datetime="{day:%Y-%m-%d}">'
    for url in (tag_index.url, f"{tag_index.url}tag/turkey/", article.url):
        assert time in main(client.get(url)), url
    head = client.get(article.url).content.decode()
    assert f'<meta property="article:published_time" content="{day:%Y-%m-%d}">' in head


def test_the_source_date_comes_first(make_articles):
    [article] = make_articles(1, date=datetime.date(2020, 10, 1))
    assert article.published_date == datetime.date(2020, 10, 1)


def test_undated_articles_are_listed_after_dated_ones(client, tag_index, make_articles):
    """Listings order by ``date`` (an index serves it): the fallback date only shows."""
    [undated] = make_articles(1, date=None)
    [dated] = make_articles(1, date=datetime.date(2020, 10, 1))
    html = main(client.get(tag_index.url))
    assert html.index(dated.title) < html.index(undated.title)


def test_absolute_urls_are_the_sites_not_the_requests(client, tag_index, make_articles):
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "news.example.org", 443
    site.save()
    [article] = make_articles(1, listing_image=ImageFactory())
    base = "https://news.example.org"
    page = client.get(article.url, HTTP_HOST="127.0.0.1").content.decode()
    assert f'<link rel="canonical" href="{base}{article.url}">' in page
    assert f'<meta property="og:url" content="{base}{article.url}">' in page
    assert f'<meta property="og:image" content="{base}/media/images/' in page
    tag_page = client.get(f"{tag_index.url}tag/turkey/", HTTP_HOST="127.0.0.1").content.decode()
    assert f'<link rel="canonical" href="{base}{tag_index.url}tag/turkey/">' in tag_page
    index = client.get(f"{tag_index.url}", HTTP_HOST="127.0.0.1").content.decode()
    assert f'<link rel="canonical" href="{base}{tag_index.url}">' in index
    for html in (page, tag_page, index):
        assert "127.0.0.1" not in html and "localhost" not in html


def wide_image():
    content = image_bytes("PNG", size=(1200, 800))
    return ImageFactory(file=ImageFile(io.BytesIO(content), name="wide.png"))


def test_listing_images_are_responsive_pictures(client, tag_index, make_articles):
    make_articles(1, listing_image=wide_image())
    html = main(client.get(tag_index.url))
    picture = html[html.index("<picture>") : html.index("</picture>")]
    sources = [f'type="image/{name}"' for name in queries.listing_image_formats()[:-1]]
    assert all(source in picture for source in sources)
    assert picture.count("<source") == len(sources)
    img = picture[picture.index("<img") :]
    for attribute in ('loading="lazy"', 'width="480"', 'height="270"', "sizes=", 'alt="'):
        assert attribute in img
    assert ".fill-480x270.format-jpeg.jpg 480w" in img
    assert ".fill-960x540.format-jpeg.jpg 960w" in img


def test_formats_pillow_cannot_write_are_left_out(monkeypatch):
    monkeypatch.delitem(Image.SAVE, "AVIF", raising=False)
    assert queries.listing_image_formats() == ("webp", "jpeg")
    assert "fill-960x540|format-avif" not in queries.listing_image_filters()


def test_a_site_may_leave_out_avif(client, tag_index, make_articles, settings):
    """AVIF is the slowest to encode: the first view of a new image takes that much longer."""
    settings.TAGFEED_LISTING_IMAGE_FORMATS = ("webp",)
    assert queries.listing_image_formats() == ("webp", "jpeg")
    make_articles(1, listing_image=ImageFactory())
    picture = main(client.get(tag_index.url))
    assert 'type="image/webp"' in picture and "avif" not in picture
    settings.TAGFEED_LISTING_IMAGE_FORMATS = ()
    picture = main(client.get(tag_index.url))
    assert "<source" not in picture and ".format-jpeg.jpg" in picture


@pytest.mark.parametrize("route", ["", "tag/turkey/", "feed/rss/"])
def test_listing_images_cost_no_query_per_article(client, tag_index, make_articles, route):
    url = f"{tag_index.url}{route}"
    for _ in range(2):
        make_articles(1, listing_image=ImageFactory())
    client.get(url)  # the first request makes the renditions of new images
    with_two = count_queries(client, url)
    for _ in range(4):
        make_articles(1, listing_image=ImageFactory())
    client.get(url)
    assert count_queries(client, url) == with_two


def test_an_index_routes_to_its_live_articles_only(client, tag_index, make_articles):
    """The index finds an article in one query; drafts and unknown slugs are 404, and its
    own one-part route (``json/``) is still its own."""
    [article, draft] = make_articles(2)
    draft.unpublish()
    assert client.get(article.url).context["page"] == article
    assert client.get(draft.url).status_code == 404
    assert client.get(f"{tag_index.url}no-such-article/").status_code == 404
    assert client.get(f"{tag_index.url}json/")["Content-Type"] == "application/json"
