"""The import screen: form, preview, untick, import, report; errors; permissions; CSRF."""

import datetime
import json
import re

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from tests.admin.conftest import SEED, make_editor, seed_body
from tests.factories import ArticlePageFactory, TagIndexPageFactory
from tests.reliability.pages import SITE, item, tag_page
from tests.support.images import image_bytes, serve_image
from wagtail_tagfeed.models import ArticlePage, ImportPreview, ImportRun

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/tagfeed_import/"


def form_data(parent, **data):
    return {"parent": parent.pk, "pages": 1, "tags": "", **data}


def preview(client, parent, **data):
    """Post the form; returns the preview page (following the redirect)."""
    response = client.post(IMPORT_URL, form_data(parent, **data), follow=True)
    assert response.status_code == 200
    return response


def ticked_urls(response) -> list[str]:
    return re.findall(r'name="items" value="([^"]+)"[^>]*checked', response.content.decode())


def test_form_uses_the_page_chooser_and_hides_selectors(editor_client):
    response = editor_client.get(IMPORT_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Import a tag-listing page" in html
    assert 'data-controller="w-page-chooser"' in html or "page-chooser" in html
    assert 'id="tagfeed-advanced-section"' in html and 'name="item"' in html
    assert re.search(r'class="w-panel[^"]*collapsed[^"]*" id="tagfeed-advanced-section"', html)
    assert 'enctype="multipart/form-data"' in html


def test_preview_lists_the_items_all_ticked(editor_client, tag_index, seed_url, allow_private):
    response = preview(editor_client, tag_index, url=seed_url)
    html = response.content.decode()
    assert response.redirect_chain[0][0].startswith(f"{IMPORT_URL}preview/")
    assert len(ticked_urls(response)) == 10
    assert "Lavrov: Turkey is not Russia’s strategic ally" in html
    assert "turkey" in html and "?page=1" in html  # detected tag and next page
    assert html.count('data-outcome="created"') == 10
    assert not ArticlePage.objects.exists()


def test_preview_shows_updated_unchanged_and_kept(
    editor_client, tag_index, seed_url, allow_private
):
    url = seed_url.replace("/news/tag/turkey", "")
    first = preview(editor_client, tag_index, url=seed_url)
    editor_client.post(first.request["PATH_INFO"], {"items": ticked_urls(first)})
    kept = ArticlePage.objects.get(source_url=f"{url}/turkey-rejects-truce-in-nagorno-karabakh")
    kept.title = "Edited by hand"
    kept.save_revision().publish()
    html = preview(editor_client, tag_index, url=seed_url).content.decode()
    assert html.count('data-outcome="unchanged"') == 9
    assert html.count('data-outcome="kept local edits"') == 1


def test_import_creates_only_ticked_items_and_reports(
    editor_client, editor, tag_index, seed_url, allow_private
):
    response = preview(editor_client, tag_index, url=seed_url)
    urls = ticked_urls(response)
    response = editor_client.post(response.request["PATH_INFO"], {"items": urls[1:]}, follow=True)
    assert response.status_code == 200
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert (run.user, run.parent_id, run.created, run.failed) == (editor, tag_index.pk, 9, 0)
    imported = [item["url"] for listing in run.listings for item in listing["items"]]
    assert imported == urls[1:]
    pages = ArticlePage.objects.child_of(tag_index)
    assert sorted(pages.values_list("source_url", flat=True)) == sorted(urls[1:])
    html = response.content.decode()
    assert "9 created" in html
    for page in pages:
        assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in html
        assert page.url in html
    assert 'http-equiv="refresh"' not in html


def test_pasted_html_is_imported_as_previewed_without_refetching(
    editor_client, tag_index, http_server
):
    html = (SEED / "tag-listing-turkey.html").read_text()
    response = preview(
        editor_client, tag_index, html=html, base_url="https://news.example/news/tag/turkey"
    )
    assert len(ticked_urls(response)) == 10
    editor_client.post(response.request["PATH_INFO"], {"items": ticked_urls(response)})
    assert ArticlePage.objects.child_of(tag_index).count() == 10
    assert http_server.requests == []


def test_uploaded_file_and_chosen_tags(editor_client, tag_index):
    with open(SEED / "tag-listing-turkey.html", "rb") as upload:
        response = preview(editor_client, tag_index, upload=upload, tags="Türkiye, news")
    editor_client.post(response.request["PATH_INFO"], {"items": ticked_urls(response)})
    page = ArticlePage.objects.child_of(tag_index).first()
    assert sorted(tag.name for tag in page.tags.all()) == ["Türkiye", "news"]


def test_unticking_everything_imports_nothing(editor_client, tag_index):
    response = preview(
        editor_client, tag_index, html=(SEED / "tag-listing-turkey.html").read_text()
    )
    response = editor_client.post(response.request["PATH_INFO"], {})
    assert response.status_code == 200
    assert "Tick at least one item" in response.content.decode()
    assert not ImportRun.objects.exists()
    assert not ArticlePage.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"html": "<html><body><p>Nothing listed here.</p></body></html>"},
            "No listing items found",
        ),
        ({"html": "<p>x</p>", "item": "div[["}, "selector"),
        ({}, "Give one source"),
        ({"url": "ftp://news.example/tag/turkey"}, "Enter a valid URL"),
    ],
)
def test_errors_are_shown_on_the_form_with_nothing_written(
    editor_client, tag_index, data, message
):
    response = editor_client.post(IMPORT_URL, form_data(tag_index, **data))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ArticlePage.objects.exists()
    assert not ImportRun.objects.exists()


def test_loopback_urls_are_refused_by_default(editor_client, tag_index, seed_url):
    response = editor_client.post(IMPORT_URL, form_data(tag_index, url=seed_url))
    assert response.status_code == 200
    assert "127.0.0.1" in response.content.decode()
    assert "error" in response.content.decode()
    assert not ArticlePage.objects.exists()


def test_loopback_urls_are_accepted_when_allowed(editor_client, tag_index, seed_url, settings):
    settings.TAGFEED_ALLOW_PRIVATE_HOSTS = True
    response = editor_client.post(IMPORT_URL, form_data(tag_index, url=seed_url))
    assert response.status_code == 302


def test_anonymous_users_are_sent_to_the_login_page(client, db):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))


def test_editors_without_the_permission_get_403(client, tag_index):
    client.force_login(make_editor(tag_index, can_import=False))
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, form_data(tag_index, html="<p>x</p>")).status_code == 403


def test_the_menu_shows_the_import_screen_only_to_importers(client, tag_index):
    client.force_login(make_editor(tag_index, can_import=False))
    assert IMPORT_URL not in client.get("/admin/").content.decode()
    client.force_login(make_editor(tag_index))
    assert IMPORT_URL in client.get("/admin/").content.decode()


def test_a_parent_without_add_permission_is_rejected(editor_client, tag_index):
    other = TagIndexPageFactory(title="Elsewhere")
    html = (SEED / "tag-listing-turkey.html").read_text()
    response = editor_client.post(IMPORT_URL, form_data(other, html=html))
    assert response.status_code == 200
    assert "You may not add pages below “Elsewhere”" in response.content.decode()
    assert not ArticlePage.objects.exists()


def test_a_page_that_is_not_a_tag_index_is_rejected(editor_client, tag_index):
    article = ArticlePageFactory(parent=tag_index)
    response = editor_client.post(IMPORT_URL, form_data(article, html="<p>x</p>"))
    assert "Choose a tag index page" in response.content.decode()


def test_superusers_may_import_anywhere(superuser_client, tag_index):
    root = Page.objects.get(depth=1)
    other = TagIndexPageFactory(parent=root.get_children().first())
    response = preview(
        superuser_client, other, html=(SEED / "tag-listing-turkey.html").read_text()
    )
    superuser_client.post(response.request["PATH_INFO"], {"items": ticked_urls(response)})
    assert ArticlePage.objects.child_of(other).count() == 10


def test_csrf_is_enforced_on_every_step(editor, tag_index):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    html = (SEED / "tag-listing-turkey.html").read_text()
    assert client.post(IMPORT_URL, form_data(tag_index, html=html)).status_code == 403
    page = client.get(IMPORT_URL)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    response = client.post(
        IMPORT_URL, form_data(tag_index, html=html, csrfmiddlewaretoken=token), follow=True
    )
    preview_path = response.request["PATH_INFO"]
    assert client.post(preview_path, {"items": ticked_urls(response)}).status_code == 403
    assert not ArticlePage.objects.exists()
    client.post(preview_path, {"items": ticked_urls(response), "csrfmiddlewaretoken": token})
    assert ArticlePage.objects.count() == 10


def test_an_expired_preview_is_404(editor_client):
    assert editor_client.get(f"{IMPORT_URL}preview/nope/").status_code == 404


def test_preview_shows_dates_and_image_thumbnails(editor_client, tag_index):
    folder = SEED.parent / "listings" / "ghost-casper"
    expected = json.loads((folder / "expected.json").read_text())
    response = preview(
        editor_client,
        tag_index,
        html=(folder / "page.html").read_text(),
        base_url=expected["page_url"],
    )
    html = response.content.decode()
    thumbnails = re.findall(r'<img src="([^"]+)"', html)
    assert len(thumbnails) == sum(1 for item in expected["items"] if item["image"])
    # The editor's browser asks the server, which checks each address before fetching it.
    assert all(src.startswith(f"{IMPORT_URL}image/") for src in thumbnails)
    for entry in expected["items"]:
        if entry["image"]:
            assert entry["image"] not in thumbnails
        if entry["published"]:
            assert entry["published"] in html


DEMO_ARTICLES = SEED.parents[2] / "example_site" / "demo" / "articles"


@pytest.fixture
def seed_articles(http_server, seed_url):
    """The seed's article pages, served where the seed's links point."""
    for page in DEMO_ARTICLES.glob("*.html"):
        http_server.route(f"/{page.stem}", page.read_bytes())
    return seed_url


def test_full_articles_are_fetched_when_asked(
    editor_client, tag_index, seed_articles, http_server, allow_private
):
    response = preview(editor_client, tag_index, url=seed_articles, fetch_articles="on")
    # The preview reads the listing only: article pages are the background run's work.
    assert [request.path for request in http_server.requests] == ["/news/tag/turkey"]
    editor_client.post(response.request["PATH_INFO"], {"items": ticked_urls(response)})
    run = ImportRun.objects.get()
    assert run.options["fetch_articles"] is True
    pages = ArticlePage.objects.child_of(tag_index)
    assert pages.count() == 10
    assert all(len(page.body) > 0 for page in pages)


def test_the_import_writes_what_was_previewed_not_what_the_source_says_now(
    editor_client, tag_index, seed_url, http_server, allow_private
):
    response = preview(editor_client, tag_index, url=seed_url)
    previewed = ticked_urls(response)
    late = http_server.url("/late-arrival")
    changed = seed_body(http_server).replace(
        b'<div class="views-row">',
        f'<div class="views-row"><h2><a href="{late}">A late arrival</a></h2>'
        "<p>Added after the preview, never seen by the editor.</p></div>"
        '<div class="views-row">'.encode(),
        1,
    )
    http_server.route("/news/tag/turkey", changed)
    requests = len(http_server.requests)
    editor_client.post(response.request["PATH_INFO"], {"items": previewed})
    assert len(http_server.requests) == requests  # the source is not read again
    urls = set(ArticlePage.objects.values_list("source_url", flat=True))
    assert urls == set(previewed)
    assert late not in urls


def test_a_preview_belongs_to_its_editor(editor_client, tag_index, client):
    response = preview(
        editor_client, tag_index, html=(SEED / "tag-listing-turkey.html").read_text()
    )
    path = response.request["PATH_INFO"]
    client.force_login(make_editor(tag_index))
    assert client.get(path).status_code == 404
    assert client.post(path, {"items": ticked_urls(response)}).status_code == 404
    assert not ImportRun.objects.exists()


def test_pasted_and_uploaded_html_is_never_stored(editor_client, tag_index):
    html = (SEED / "tag-listing-turkey.html").read_text()
    response = preview(editor_client, tag_index, html=html)
    editor_client.post(response.request["PATH_INFO"], {"items": ticked_urls(response)})
    with open(SEED / "tag-listing-turkey.html", "rb") as upload:
        preview(editor_client, tag_index, upload=upload)
    preview(editor_client, tag_index, html="<p>No listing in here.</p>")
    assert not default_storage.exists("tagfeed")
    assert ImportPreview.objects.count() == 1  # the upload's, not yet imported


def test_old_previews_expire(editor_client, tag_index, settings):
    response = preview(
        editor_client, tag_index, html=(SEED / "tag-listing-turkey.html").read_text()
    )
    ImportPreview.objects.update(created_at=timezone.now() - datetime.timedelta(hours=2))
    assert editor_client.get(response.request["PATH_INFO"]).status_code == 404
    preview(editor_client, tag_index, html=(SEED / "tag-listing-turkey.html").read_text())
    assert ImportPreview.objects.count() == 1


def test_preview_images_come_through_the_servers_checks(
    editor_client, tag_index, http_server, settings
):
    images = [serve_image(http_server, f"/photo-{n}.png", image_bytes()) for n in range(3)]
    html = tag_page([item(n, image=image) for n, image in enumerate(images)])
    response = preview(editor_client, tag_index, html=html, base_url=f"{SITE}/news/tag/turkey")
    src = re.search(r'<img src="([^"]+)"', response.content.decode())[1]
    assert src.startswith(f"{IMPORT_URL}image/")
    refused = editor_client.get(src)
    assert refused.status_code == 404  # 127.0.0.1 is not a public address
    assert http_server.requests == []
    settings.TAGFEED_ALLOW_PRIVATE_HOSTS = True
    served = editor_client.get(src)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert editor_client.get(src[:-3] + "abc/").status_code == 404
    assert Client().get(src).status_code == 302  # to the login page
