"""--fetch-articles and --images end to end: article pages and images served over HTTP."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex, Revision
from wagtail.signals import page_published

from tests.support.images import image_bytes, serve_image
from wagtail_tagfeed.errors import ArticleError, SyncError
from wagtail_tagfeed.importer import import_tagpage
from wagtail_tagfeed.listing import Outcome
from wagtail_tagfeed.models import ArticlePage
from wagtail_tagfeed.options import ImportOptions

pytestmark = pytest.mark.django_db

Image = get_image_model()
FULL = ImportOptions(fetch_articles=True, images=True, allow_private=True)

LISTING = """<!doctype html><html><head><title>turkey – Test news</title></head><body>
<header><nav><a href="/">Home</a> <a href="/about/">About</a></nav></header>
<main><h1>Contents tagged with turkey</h1>
{items}
</main><footer><p>Test news</p></footer></body></html>"""

ITEM = """<article class="post"><h2 class="entry-title"><a href="{url}">{title}</a></h2>
<time datetime="2024-0{n}-01">1 {n} 2024</time>{image}
<p>The teaser of {title}, long enough to count as a summary of the story&nbsp;…</p></article>"""

ARTICLE = """<!doctype html><html><head><title>{title}</title>
<meta name="author" content="{author}"></head><body>
<header><nav><a href="/">Home</a></nav></header>
<main><article><h1>{title}</h1><div class="entry-content">{body}</div>
<footer><a href="/tag/turkey/" rel="tag">turkey</a>
<div class="share"><a href="https://x.example/share">Share</a></div></footer></article>
<section class="comments"><p>A comment that is not part of the story, at some length.</p></section>
</main></body></html>"""


def serve_listing(server, path, stories):
    items = "".join(
        ITEM.format(
            n=n + 1,
            url=url,
            title=title,
            image=f'<img src="{image}" alt="">' if image else "",
        )
        for n, (url, title, image) in enumerate(stories)
    )
    return server.route(path, body=LISTING.format(items=items))


def serve_article(server, path, title, body, author="Jane Doe"):
    return server.route(path, body=ARTICLE.format(title=title, body=body, author=author))


@pytest.fixture
def site(http_server):
    """Three stories: one links to two, to the tag page and to /about/; three is missing."""
    server = http_server
    photo = image_bytes("JPEG", "orange")
    serve_image(server, "/img/one.png", image_bytes("PNG", "navy"))
    serve_image(server, "/img/two.webp", image_bytes("WEBP", "olive"), "WEBP")
    serve_image(server, "/img/body.jpg", photo, "JPEG")
    serve_image(server, "/img/body-copy.jpg", photo, "JPEG")
    serve_image(server, "/img/broken.png", image_bytes("PNG", size=(50, 50))[:70])
    serve_article(
        server,
        "/posts/one/",
        "Story one",
        '<p>First paragraph, see <a href="/posts/two#more">story two</a> and'
        ' <a href="/tag/turkey/">more on turkey</a> and <a href="/about/">us</a>.</p>'
        '<h2>Details</h2><figure><img src="/img/body.jpg" alt="An orange square"></figure>'
        '<p>Second paragraph.</p><img src="/img/body-copy.jpg" alt="The same square">'
        '<img src="/img/broken.png" alt="Broken">'
        '<iframe src="https://www.youtube.com/embed/abc123"></iframe>'
        "<blockquote><p>Quoted words.</p><cite>Someone</cite></blockquote>",
    )
    serve_article(
        server, "/posts/two/", "Story two", "<p>Story two's text, which links nowhere.</p>"
    )
    listing = serve_listing(
        server,
        "/tag/turkey/",
        [
            ("/posts/one/", "Story one", "/img/one.png"),
            ("/posts/two/", "Story two", "/img/two.webp"),
            ("/posts/three/", "Story three", None),
        ],
    )
    return server, listing


def pages():
    return {page.title: page for page in ArticlePage.objects.all()}


def test_full_articles_images_and_links(site, tag_index):
    server, listing = site
    report = import_tagpage([listing], parent=tag_index, options=FULL)
    assert [result.outcome for result in report.results] == [Outcome.CREATED] * 3
    found = pages()
    one, two, three = found["Story one"], found["Story two"], found["Story three"]
    body = one.body.raw_data
    assert [block["type"] for block in body] == [
        "paragraph",
        "heading",
        "image",
        "paragraph",
        "image",
        "embed",
        "quote",
    ]
    assert f'<a linktype="page" id="{two.pk}">story two</a>' in body[0]["value"]
    tag_url = tag_index.url + "tag/turkey/"
    assert f'<a href="{tag_url}">more on turkey</a>' in body[0]["value"]
    assert f'<a href="{server.url("/about/")}">us</a>' in body[0]["value"]
    assert body[2]["value"]["image"] == body[4]["value"]["image"]
    assert body[2]["value"]["alt_text"] == "An orange square"
    assert body[5]["value"] == "https://www.youtube.com/watch?v=abc123"
    assert body[6]["value"] == {"text": "Quoted words.", "attribution": "Someone"}
    assert one.author == "Jane Doe"
    assert one.listing_image.title == "one"
    assert two.listing_image.file_hash != one.listing_image.file_hash
    assert three.listing_image is None and len(three.body) == 0
    assert "long enough to count" in three.summary
    assert Image.objects.count() == 3
    assert one.body[2].value.title == "An orange square"
    assert sorted(report.messages) == [
        f"Article {server.url('/posts/three/')} imported from its teaser: "
        f"{server.url('/posts/three/')}: HTTP 404 Not Found",
        f"Image {server.url('/img/broken.png')} not imported: broken image data.",
    ]
    assert (server.url("/posts/two#more"), f"page {two.pk}") in report.links_rewritten
    assert (server.url("/tag/turkey/"), tag_url) in report.links_rewritten
    assert report.links_external == (server.url("/about/"),)
    assert report.as_json()["links"]["external"] == [server.url("/about/")]
    assert all(page.revisions.count() == 1 for page in found.values())
    assert one.get_latest_revision_as_object().body.raw_data[0]["value"] == body[0]["value"]


def test_reimport_changes_nothing(site, tag_index):
    _, listing = site
    import_tagpage([listing], parent=tag_index, options=FULL)
    revisions, images = Revision.objects.count(), Image.objects.count()
    report = import_tagpage([listing], parent=tag_index, options=FULL)
    assert [result.outcome for result in report.results] == [Outcome.UNCHANGED] * 3
    assert (Revision.objects.count(), Image.objects.count()) == (revisions, images)
    dry = import_tagpage([listing], parent=tag_index, options=FULL, dry_run=True)
    assert [result.outcome for result in dry.results] == [Outcome.UNCHANGED] * 3


def test_links_to_articles_imported_in_an_earlier_run(http_server, tag_index):
    serve_article(http_server, "/a/", "Story A", "<p>Plain text of story A.</p>")
    serve_article(http_server, "/b/", "Story B", '<p>B cites <a href="/a">story A</a> here.</p>')
    first = serve_listing(http_server, "/tag/turkey/", [("/a/", "Story A", None)])
    second = serve_listing(http_server, "/tag/turkey/page/2/", [("/b/", "Story B", None)])
    options = ImportOptions(fetch_articles=True, allow_private=True)
    import_tagpage([first], parent=tag_index, options=options)
    report = import_tagpage([second], parent=tag_index, options=options)
    a, b = pages()["Story A"], pages()["Story B"]
    assert f'<a linktype="page" id="{a.pk}">story A</a>' in b.body.raw_data[0]["value"]
    assert report.links_rewritten == ((http_server.url("/a"), f"page {a.pk}"),)
    assert b.revisions.count() == 1
    again = import_tagpage([second], parent=tag_index, options=options)
    assert again.results[0].outcome == Outcome.UNCHANGED


def test_strict_makes_a_failure_an_error_with_nothing_written(site, tag_index):
    _, listing = site
    with pytest.raises(ArticleError, match="nothing was imported"):
        import_tagpage(
            [listing],
            parent=tag_index,
            options=ImportOptions(fetch_articles=True, strict=True, allow_private=True),
        )
    assert not ArticlePage.objects.exists()
    assert not Image.objects.exists()


def image_files() -> set[str]:
    storage = Image._meta.get_field("file").storage
    return (
        set(storage.listdir("original_images")[1]) if storage.exists("original_images") else set()
    )


def test_a_failed_import_leaves_no_image_files_behind(site, tag_index):
    _, listing = site
    before = image_files()

    def fail(**kwargs):
        raise RuntimeError("a receiver of the site failed")

    page_published.connect(fail, dispatch_uid="test_fail")
    try:
        with pytest.raises(SyncError, match="a receiver of the site failed"):
            import_tagpage([listing], parent=tag_index, options=FULL)
    finally:
        page_published.disconnect(dispatch_uid="test_fail")
    assert not ArticlePage.objects.exists()
    assert not Image.objects.exists()
    assert image_files() == before
    import_tagpage([listing], parent=tag_index, options=FULL)
    assert len(image_files() - before) == Image.objects.count() == 3


def test_teaser_only_import_keeps_body_author_and_image(site, tag_index):
    _, listing = site
    import_tagpage([listing], parent=tag_index, options=FULL)
    before = pages()["Story one"]
    import_tagpage([listing], parent=tag_index, options=ImportOptions(allow_private=True))
    after = pages()["Story one"]
    assert list(after.body.raw_data) == list(before.body.raw_data)
    assert (after.author, after.listing_image_id) == ("Jane Doe", before.listing_image_id)


def test_command_options(site, tag_index):
    server, listing = site
    out = io.StringIO()
    call_command(
        "import_tagpage",
        listing,
        "--fetch-articles",
        "--images",
        "--collection",
        "From the web",
        "--format",
        "json",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert report["counts"]["created"] == 3
    assert report["links"]["external"] == [server.url("/about/")]
    assert {image.collection.name for image in Image.objects.all()} == {"From the web"}
    with pytest.raises(CommandError, match="imported from its teaser"):
        call_command("import_tagpage", listing, "--fetch-articles", "--strict", stdout=out)


def test_options_that_read_less_change_nothing(site, tag_index):
    """Importing with articles and images, then teasers only, then everything again: one
    revision per article, as nothing the source shows changed."""
    _, listing = site
    import_tagpage([listing], parent=tag_index, options=FULL)
    revisions = Revision.objects.count()
    teasers = import_tagpage(
        [listing], parent=tag_index, options=ImportOptions(allow_private=True)
    )
    assert [result.outcome for result in teasers.results] == [Outcome.UNCHANGED] * 3
    again = import_tagpage([listing], parent=tag_index, options=FULL)
    assert [result.outcome for result in again.results] == [Outcome.UNCHANGED] * 3
    assert Revision.objects.count() == revisions


def test_the_usage_of_an_imported_article_lists_the_articles_linking_to_it(
    site, tag_index, admin_client
):
    _, listing = site
    import_tagpage([listing], parent=tag_index, options=FULL)
    one, two = pages()["Story one"], pages()["Story two"]
    response = admin_client.get(reverse("wagtailadmin_pages:usage", args=[two.pk]))
    assert response.status_code == 200
    assert reverse("wagtailadmin_pages:edit", args=[one.pk]) in response.content.decode()
    assert ReferenceIndex.get_references_to(two).count() == 1


def test_the_same_article_from_a_mirror_is_one_article(http_server, tag_index):
    """A listing on another host (here: ``localhost``) whose article pages name the
    original as canonical, and a tracking parameter on the original's link."""
    original = serve_article(http_server, "/a/", "Story A", "<p>Story A's own words.</p>")
    page = ARTICLE.format(title="Story A", body="<p>Story A's own words.</p>", author="Jane Doe")
    head = f'<head><link rel="canonical" href="{original}">'
    http_server.route("/mirror/a/", body=page.replace("<head>", head))
    first = serve_listing(http_server, "/tag/turkey/", [("/a/?utm_source=rss", "Story A", None)])
    mirror = serve_listing(http_server, "/mirror/tag/", [("/mirror/a/", "Story A", None)])
    options = ImportOptions(fetch_articles=True, allow_private=True)
    import_tagpage([first], parent=tag_index, options=options)
    on_mirror = mirror.replace("127.0.0.1", "localhost")
    report = import_tagpage([on_mirror], parent=tag_index, options=options)
    assert [result.outcome for result in report.results] == [Outcome.UNCHANGED]
    assert ArticlePage.objects.get().source_url == original + "?utm_source=rss"
