"""What an :class:`~wagtail_tagfeed.inserting.Insert` writes, and the values it writes without
preparing them."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from wagtail_tagfeed import internals
from wagtail_tagfeed.inserting import Insert, unchanged_types
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


def test_rows_are_written_with_their_constants_in_one_statement(tag_index):
    now = timezone.now()
    insert = Insert(
        PageLogEntry, ("page_id", "label", "action"), {"data": {"n": 1}, "timestamp": now}
    )
    with CaptureQueriesContext(connection) as captured:
        insert.run([(tag_index.pk, "One", "wagtail.edit"), (tag_index.pk, "Two", "wagtail.edit")])
    rows = PageLogEntry.objects.filter(page=tag_index, action="wagtail.edit")
    assert sorted(rows.values_list("label", "data", "timestamp", "content_changed")) == [
        ("One", {"n": 1}, now, False),
        ("Two", {"n": 1}, now, False),
    ]
    # One statement for all rows, in the query log like any other.
    assert len(captured) == 1
    verb = "COPY" if internals.can_copy(connection) else "INSERT"
    assert captured[0]["sql"].startswith(f"2 times: {verb} ")


def test_a_failing_row_raises_djangos_error_and_writes_nothing(tag_index):
    insert = Insert(PageLogEntry, ("page_id", "label", "action"), {"timestamp": timezone.now()})
    with pytest.raises(IntegrityError), transaction.atomic():
        insert.run([(tag_index.pk, "One", "wagtail.edit"), (None, "Two", "wagtail.edit")])
    assert not PageLogEntry.objects.filter(label__in=["One", "Two"]).exists()
    insert.run([(tag_index.pk, "Three", "wagtail.edit")])
    assert PageLogEntry.objects.filter(label="Three").exists()


def test_columns_give_the_rows_that_rows_give(tag_index):
    now = timezone.now()
    insert = Insert(PageLogEntry, ("page_id", "label", "action"), {"timestamp": now})
    insert.run_columns([[tag_index.pk, tag_index.pk], ["One", "Two"], ["a.b", "a.b"]])
    insert.run([(tag_index.pk, "Three", "a.b")])
    rows = PageLogEntry.objects.filter(page=tag_index, action="a.b").order_by("label")
    assert list(rows.values_list("label", "timestamp")) == [
        ("One", now),
        ("Three", now),
        ("Two", now),
    ]


@pytest.mark.parametrize(
    "columns",
    [[[1, 2], ["One"], ["a.b", "a.b"]], [[1], ["One"]]],
    ids=["a short column", "a missing column"],
)
def test_columns_of_other_shapes_are_refused(tag_index, columns):
    insert = Insert(PageLogEntry, ("page_id", "label", "action"), {"timestamp": timezone.now()})
    with pytest.raises(ValueError):
        insert.run_columns(columns)
    assert not PageLogEntry.objects.filter(action="a.b").exists()
