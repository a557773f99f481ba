import pytest
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from tests.factories import ArticlePageFactory, TagIndexPageFactory

pytest_plugins = ["tests.support.http"]


@pytest.fixture
def committed_db(transactional_db):
    """A database whose transactions really commit, with a default site.

    An earlier transactional test's flush removes the pages and site that migrations create.
    """
    if not Site.objects.exists():
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root"))
        home = root.add_child(instance=Page(title="Home", slug="home"))
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)


@pytest.fixture
def tag_index(db):
    return TagIndexPageFactory()


@pytest.fixture
def make_articles(tag_index):
    """Create ``count`` live articles below the tag index, each with ``tags``."""

    def make(count: int, tags=("turkey",), parent=None, **kwargs):
        return [
            ArticlePageFactory(parent=parent or tag_index, tags=list(tags), **kwargs)
            for _ in range(count)
        ]

    return make


@pytest.fixture
def real_cache(settings):
    """A cache that keeps what is set (the tests' default keeps nothing)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
