"""Imports and translations in a multilingual site: each language has its own articles."""

import pytest
from django.urls import reverse
from wagtail.models import Locale

from tests.admin.factories import UserFactory
from tests.factories import DraftFactory, TagIndexPageFactory, site_root
from wagtail_tagfeed.listing import Outcome
from wagtail_tagfeed.models import ArticlePage
from wagtail_tagfeed.options import ImportOptions
from wagtail_tagfeed.syncing import sync

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_languages(settings):
    settings.WAGTAIL_I18N_ENABLED = True
    settings.LANGUAGE_CODE = "en"
    settings.LANGUAGES = settings.WAGTAIL_CONTENT_LANGUAGES = [
        ("en", "English"),
        ("fr", "French"),
    ]
    Locale.objects.update(language_code="en")


@pytest.fixture
def french():
    """French, with the site's home page translated (articles' indexes live below it)."""
    locale = Locale.objects.create(language_code="fr")
    site_root().copy_for_translation(locale)
    return locale


def run(index, drafts):
    return sync(index, drafts, options=ImportOptions())


def test_a_translation_of_an_imported_article_is_an_article_of_its_own(client, french):
    index = TagIndexPageFactory()
    drafts = DraftFactory.create_batch(2)
    run(index, drafts)
    article = ArticlePage.objects.get(source_url=drafts[0].source_url)
    client.force_login(UserFactory(is_superuser=True))
    response = client.post(
        reverse("simple_translation:submit_page_translation", args=[index.pk]),
        {"locales": [french.pk], "include_subtree": "on"},
    )
    assert response.status_code == 302
    translation = article.get_translation(french)
    assert translation.source_url is None and translation.source_key == ""
    assert translation.import_fingerprint == {} and translation.imported_revision is None
    assert translation.title == article.title


def test_the_same_listing_imported_into_each_language(french):
    english = TagIndexPageFactory()
    french_index = english.copy_for_translation(french)
    drafts = DraftFactory.create_batch(3)
    assert [r.outcome for r in run(english, drafts)] == [Outcome.CREATED] * 3
    assert [r.outcome for r in run(french_index, drafts)] == [Outcome.CREATED] * 3
    assert [r.outcome for r in run(french_index, drafts)] == [Outcome.UNCHANGED] * 3
    assert ArticlePage.objects.filter(locale=french).count() == 3
    assert ArticlePage.objects.child_of(english).count() == 3
