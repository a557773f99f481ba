import pytest

from tests.factories import ArticlePageFactory, TagIndexPageFactory

pytest_plugins = ["tests.support.http"]


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
