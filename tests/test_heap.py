"""The objects of the process are left out of garbage collections while an import runs."""

import gc
import threading

import pytest
from wagtail.signals import page_published

from tests.factories import DraftFactory
from wagtail_tagfeed import heap
from wagtail_tagfeed.options import ImportOptions
from wagtail_tagfeed.syncing import sync


def test_objects_of_before_the_block_are_frozen_until_it_ends():
    before, thresholds = gc.get_freeze_count(), gc.get_threshold()
    with heap.frozen():
        inside = gc.get_freeze_count()
        assert gc.get_threshold() == (heap.YOUNG_THRESHOLD, *thresholds[1:])
    assert inside > before
    assert gc.get_freeze_count() == before
    assert gc.get_threshold() == thresholds


def test_nested_blocks_lift_the_freeze_once_when_the_outer_one_ends():
    before = gc.get_freeze_count()
    with heap.frozen():
        with heap.frozen():
            pass
        assert gc.get_freeze_count() > before
    assert gc.get_freeze_count() == before


def test_the_freeze_is_lifted_when_the_block_fails():
    before = gc.get_freeze_count()
    thresholds = gc.get_threshold()
    with pytest.raises(RuntimeError), heap.frozen():
        raise RuntimeError("failed")
    assert gc.get_freeze_count() == before
    assert gc.get_threshold() == thresholds


def test_a_thread_ending_its_block_keeps_the_freeze_of_another():
    before = gc.get_freeze_count()
    entered, leave = threading.Event(), threading.Event()

    def other():
        with heap.frozen():
            entered.set()
            leave.wait(5)

    thread = threading.Thread(target=other)
    with heap.frozen():
        thread.start()
        entered.wait(5)
    assert gc.get_freeze_count() > before
    leave.set()
    thread.join(5)
    assert gc.get_freeze_count() == before


@pytest.mark.django_db
def test_an_import_runs_with_the_heap_frozen(tag_index):
    counts = []

    def record(sender, **kwargs):
        counts.append(gc.get_freeze_count())

    before = gc.get_freeze_count()
    page_published.connect(record)
    try:
        sync(
            tag_index,
            [DraftFactory(listing_url="https://news.example/one")],
            options=ImportOptions(),
        )
    finally:
        page_published.disconnect(record)
    assert counts and counts[0] > before
    assert gc.get_freeze_count() == before
