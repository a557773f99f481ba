"""A site moving to Wagtail keeps its old article addresses: they redirect to the imports."""

import pytest
from wagtail.contrib.redirects.models import Redirect

from tests.factories import DraftFactory
from wagtail_tagfeed.models import ArticlePage
from wagtail_tagfeed.options import ImportOptions
from wagtail_tagfeed.syncing import sync

pytestmark = pytest.mark.django_db


def run(index, drafts):
    return sync(index, drafts, options=ImportOptions())


@pytest.fixture
def old_site(settings):
    settings.TAGFEED_REDIRECT_FROM_HOSTS = ["old.example", "WWW.Old.Example"]


def test_old_addresses_redirect_to_the_imported_articles(client, tag_index, old_site):
    drafts = [
        DraftFactory(listing_url="https://old.example/2020/10/lavrov-interview/"),
        DraftFactory(listing_url="https://www.old.example/story.php?id=7&lang=en"),
        DraftFactory(listing_url="https://elsewhere.example/2020/10/other/"),
    ]
    run(tag_index, drafts)
    lavrov, story, _ = (ArticlePage.objects.get(source_url=d.source_url) for d in drafts)
    redirects = {r.old_path: r.redirect_page_id for r in Redirect.objects.all()}
    assert redirects == {
        "/2020/10/lavrov-interview": lavrov.pk,
        "/story.php?id=7&lang=en": story.pk,
    }
    assert Redirect.objects.filter(site=tag_index.get_site(), is_permanent=True).count() == 2

    response = client.get("/2020/10/lavrov-interview/")
    assert (response.status_code, response["Location"]) == (301, lavrov.url)
    response = client.get("/story.php?lang=en&id=7")
    assert (response.status_code, response["Location"]) == (301, story.url)
    assert client.get("/2020/10/other/").status_code == 404


def test_importing_again_adds_no_redirect_and_keeps_the_editors(tag_index, old_site, settings):
    drafts = [DraftFactory(listing_url=f"https://old.example/a-{n}/") for n in range(3)]
    settings.TAGFEED_REDIRECT_FROM_HOSTS = []
    run(tag_index, drafts)
    assert not Redirect.objects.exists()
    settings.TAGFEED_REDIRECT_FROM_HOSTS = ["old.example"]
    chosen = Redirect.objects.create(
        old_path="/a-0", site=tag_index.get_site(), redirect_link="https://example.com/"
    )
    run(tag_index, drafts)  # unchanged articles get their redirects once the setting is on
    assert Redirect.objects.count() == 3
    chosen.refresh_from_db()
    assert chosen.redirect_link == "https://example.com/" and chosen.redirect_page is None
    run(tag_index, drafts)
    assert Redirect.objects.count() == 3


def test_no_redirect_where_the_page_has_the_old_path(tag_index, old_site):
    [draft] = [
        DraftFactory(listing_url=f"https://old.example{tag_index.url}story-a/", title="Story A")
    ]
    run(tag_index, [draft])
    assert ArticlePage.objects.get().url == f"{tag_index.url}story-a/"
    assert not Redirect.objects.exists()
