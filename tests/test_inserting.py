"""The values an :class:`~wagtail_tagfeed.inserting.Insert` writes without preparing them."""

import pytest
from django.db import connection
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from wagtail_tagfeed.inserting import unchanged_types
from wagtail_tagfeed.models import ArticlePage

SAMPLES = (None, 0, 7, -3, 2**40, "", "text", True, False)


@pytest.mark.parametrize(
    "model",
    [Page, ArticlePage, ArticlePage.tags.through, Revision, PageLogEntry, ReferenceIndex],
    ids=lambda model: model.__name__,
)
def test_values_left_unprepared_are_those_preparation_returns_unchanged(model):
    checked = set()
    for field in model._meta.local_concrete_fields:
        kept = unchanged_types(field, connection)
        for value in SAMPLES:
            if type(value) in kept:
                prepared = field.get_db_prep_save(value, connection)
                assert prepared == value, (field, value)
                assert type(prepared) is type(value), (field, value)
                checked.add(type(value))
    assert type(None) in checked


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite takes integers as they are")
def test_integers_of_keys_and_counts_are_not_prepared_on_sqlite():
    for name in ("owner", "depth", "numchild", "id"):
        assert int in unchanged_types(Page._meta.get_field(name), connection), name
