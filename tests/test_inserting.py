"""What an :class:`~wagtail_tagfeed.inserting.Insert` writes, and the values it writes without
preparing them."""

import pytest
from django.db import IntegrityError, NotSupportedError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from wagtail_tagfeed import internals
from wagtail_tagfeed.inserting import (
    Insert,
    can_reserve_keys,
    insert_rows,
    reserve_keys,
    unchanged_types,
)
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


def new_entry(page, label: str) -> PageLogEntry:
    """A log entry saved with a key from the database, as Django saves rows."""
    (entry,) = PageLogEntry.objects.bulk_create(
        [PageLogEntry(page=page, label=label, action="a.b", timestamp=timezone.now())]
    )
    return entry


def test_reserved_keys_are_taken_by_no_other_row(tag_index):
    first = reserve_keys(PageLogEntry, 3)
    second = reserve_keys(PageLogEntry, 2)
    assert len(first) == 3 and len(second) == 2
    assert first == sorted(first) and max(first) < min(second)
    # Django's own insert after the reservations takes a key past them.
    assert new_entry(tag_index, "Later").pk > max(second)
    entries = [
        PageLogEntry(pk=key, page=tag_index, label=f"Reserved {key}", action="a.b")
        for key in first + second
    ]
    insert_rows(PageLogEntry, entries, overrides={"timestamp": timezone.now()})
    assert sorted(
        PageLogEntry.objects.filter(label__startswith="Reserved").values_list("pk", flat=True)
    ) == sorted(first + second)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's AUTOINCREMENT counter")
def test_keys_are_reserved_past_the_largest_key_of_a_table_without_a_counter(tag_index):
    entry = new_entry(tag_index, "One")
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM sqlite_sequence WHERE name = %s", [PageLogEntry._meta.db_table]
        )
    assert reserve_keys(PageLogEntry, 2) == [entry.pk + 1, entry.pk + 2]
    assert new_entry(tag_index, "Two").pk == entry.pk + 3


def test_keys_of_a_table_whose_key_is_not_generated_are_not_reserved():
    assert not can_reserve_keys(ArticlePage)
    with pytest.raises(NotSupportedError):
        reserve_keys(ArticlePage, 1)


def test_rows_take_values_given_per_object(tag_index):
    entries = [PageLogEntry(page=tag_index, action="a.b") for _ in range(2)]
    insert_rows(
        PageLogEntry,
        entries,
        overrides={"timestamp": timezone.now()},
        values={"label": ["One", "Two"]},
    )
    rows = PageLogEntry.objects.filter(action="a.b").order_by("label")
    assert list(rows.values_list("label", flat=True)) == ["One", "Two"]


@pytest.mark.parametrize(
    "kwargs",
    [{"keys": [None, 99]}, {"values": {"nonsense": ["x", "y"]}}, {"values": {"label": ["x"]}}],
    ids=["some keys", "an unknown column", "too few values"],
)
def test_rows_of_mixed_keys_or_wrong_values_are_refused(tag_index, kwargs):
    keys = kwargs.pop("keys", [None, None])
    entries = [PageLogEntry(pk=key, page=tag_index, action="a.b") for key in keys]
    with pytest.raises(ValueError):
        insert_rows(PageLogEntry, entries, overrides={"timestamp": timezone.now()}, **kwargs)
    assert not PageLogEntry.objects.filter(action="a.b").exists()
