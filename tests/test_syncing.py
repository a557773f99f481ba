"""Syncing: one page per source URL, idempotent, local edits kept, all-or-nothing."""

import copy
import dataclasses
import datetime

import pytest
from django.db.models.signals import post_save
from hypothesis import given, settings
from hypothesis import strategies as st
from wagtail.models import Page, Revision

from tests.factories import DraftFactory
from wagtail_tagfeed.errors import SyncError
from wagtail_tagfeed.listing import Outcome
from wagtail_tagfeed.models import ArticlePage
from wagtail_tagfeed.options import ImportOptions
from wagtail_tagfeed.syncing import sync
from wagtail_tagfeed.writing import fingerprint, unique_slug

pytestmark = pytest.mark.django_db


def entries(count=3, tags=("turkey",), **changes):
    return [
        DraftFactory(
            listing_url=f"https://news.example/story-{n}",
            title=changes.get("title", f"Story {n}"),
            summary=changes.get("summary", f"<p>Teaser {n}.</p>"),
            published=datetime.date(2020, 10, n + 1),
            tags=tuple(tags),
        )
        for n in range(count)
    ]


def run(index, drafts, dry_run=False, **options):
    return sync(index, drafts, options=ImportOptions(**options), dry_run=dry_run)


def outcomes(results):
    return [result.outcome for result in results]


def test_creates_published_tagged_pages(tag_index):
    results = run(tag_index, entries())
    assert outcomes(results) == [Outcome.CREATED] * 3
    pages = ArticlePage.objects.child_of(tag_index).order_by("date")
    assert [p.title for p in pages] == ["Story 0", "Story 1", "Story 2"]
    assert all(p.live and p.latest_revision_id for p in pages)
    assert [t.name for t in pages[0].tags.all()] == ["turkey"]
    assert pages[1].summary == "<p>Teaser 1.</p>"
    assert Page.find_problems() == ([], [], [], [], [])


def test_reimport_of_unchanged_items_writes_nothing(tag_index):
    run(tag_index, entries())
    revisions = Revision.objects.count()
    assert outcomes(run(tag_index, entries())) == [Outcome.UNCHANGED] * 3
    assert Revision.objects.count() == revisions
    assert ArticlePage.objects.count() == 3


def test_syncing_leaves_the_drafts_as_they_were(tag_index):
    """Drafts are values: writing one (its body gets block ids on the page) changes nothing
    in it, so the same drafts synced again are unchanged."""
    body = (
        {"type": "heading", "value": {"text": "Talks in Baku", "level": 2}},
        {"type": "paragraph", "value": "<p>Ankara said on Tuesday.</p>"},
    )
    drafts = [dataclasses.replace(draft, body=body) for draft in entries()]
    before = copy.deepcopy(drafts)
    assert outcomes(run(tag_index, drafts)) == [Outcome.CREATED] * 3
    assert drafts == before
    assert outcomes(run(tag_index, drafts)) == [Outcome.UNCHANGED] * 3


def test_changed_teaser_updates_with_a_new_revision(tag_index):
    run(tag_index, entries())
    results = run(tag_index, entries(summary="<p>A new teaser.</p>"))
    assert outcomes(results) == [Outcome.UPDATED] * 3
    page = ArticlePage.objects.get(source_url="https://news.example/story-0")
    assert page.summary == "<p>A new teaser.</p>"
    assert page.revisions.count() == 2


def test_new_tag_is_added_to_existing_articles(tag_index):
    run(tag_index, entries(tags=["turkey"]))
    assert outcomes(run(tag_index, entries(tags=["NATO"]))) == [Outcome.UPDATED] * 3
    page = ArticlePage.objects.get(source_url="https://news.example/story-0")
    assert sorted(t.name for t in page.tags.all()) == ["NATO", "turkey"]


def test_tags_are_reused_case_insensitively(tag_index):
    run(tag_index, entries(1, tags=["Turkey"]))
    run(tag_index, entries(2, tags=["turkey"]))
    from taggit.models import Tag

    assert list(Tag.objects.values_list("name", flat=True)) == ["Turkey"]


def test_local_edits_are_kept_unless_forced(tag_index):
    run(tag_index, entries(1))
    page = ArticlePage.objects.get()
    page.title = "Edited by an editor"
    page.save_revision().publish()
    changed = entries(1, summary="<p>Changed at the source.</p>")
    assert outcomes(run(tag_index, changed)) == [Outcome.KEPT]
    assert ArticlePage.objects.get().title == "Edited by an editor"
    assert outcomes(run(tag_index, changed, force=True)) == [Outcome.UPDATED]
    page = ArticlePage.objects.get()
    assert (page.title, page.summary) == ("Story 0", "<p>Changed at the source.</p>")


def test_dry_run_writes_nothing(tag_index):
    results = run(tag_index, entries(), dry_run=True)
    assert outcomes(results) == [Outcome.CREATED] * 3
    assert not ArticlePage.objects.exists()


def test_draft_pages_are_not_live(tag_index):
    run(tag_index, entries(1), draft=True)
    page = ArticlePage.objects.get()
    assert not page.live and page.latest_revision_id


@pytest.fixture
def failing_second_item():
    """Saving the article "Story 1" fails, as a database or a signal handler might."""

    def fail(sender, instance, **kwargs):
        if instance.title == "Story 1":
            raise RuntimeError("disk on fire")

    post_save.connect(fail, sender=ArticlePage)
    yield
    post_save.disconnect(fail, sender=ArticlePage)


@pytest.mark.usefixtures("failing_second_item")
def test_a_failure_writes_nothing_and_names_the_item(tag_index):
    with pytest.raises(SyncError, match=r"story-1: disk on fire; nothing was imported"):
        run(tag_index, entries())
    assert not ArticlePage.objects.exists()
    assert Page.find_problems() == ([], [], [], [], [])


@pytest.mark.usefixtures("failing_second_item")
def test_keep_going_reports_failures_and_imports_the_rest(tag_index):
    results = run(tag_index, entries(), keep_going=True)
    assert outcomes(results) == [Outcome.CREATED, Outcome.FAILED, Outcome.CREATED]
    assert results[1].reason == "disk on fire"
    assert ArticlePage.objects.count() == 2
    assert Page.find_problems() == ([], [], [], [], [])


def test_slugs_are_unique_under_the_parent(tag_index):
    twins = DraftFactory.create_batch(3, title="Same title")
    run(tag_index, twins)
    slugs = sorted(ArticlePage.objects.values_list("slug", flat=True))
    assert slugs == ["same-title", "same-title-2", "same-title-3"]


def test_unique_slug_keeps_non_ascii_and_length():
    taken = set()
    assert unique_slug("Türkiye’de deprem tatbikatı", taken) == "türkiyede-deprem-tatbikatı"
    assert len(unique_slug("x" * 500, taken)) == 200
    assert unique_slug("", taken) == "article"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=300), min_size=1, max_size=4))
def test_unique_slugs_pass_the_slug_fields_validation(titles):
    """The bulk path does not validate the slugs it makes: they must be valid."""
    field = Page._meta.get_field("slug")
    taken = set()
    for title in titles:
        field.clean(unique_slug(title, taken), None)


def test_fingerprints_keep_the_stored_format():
    """Pages imported by earlier versions store these hashes: a change of format would
    rewrite every article at its next import."""
    draft = DraftFactory(
        title="Çay & “quotes”",
        summary="<p>Teaser…</p>",
        published=datetime.date(2020, 10, 1),
        author="Ayşe",
        body=(
            {"type": "paragraph", "value": "<p>Body</p>"},
            {"type": "heading", "value": {"text": "H", "level": "h2"}},
        ),
    )
    assert fingerprint(draft) == {
        "title": "9552e77f7cffb042c8ab0a6a7a127674",
        "summary": "659e9eba21f7808f4c963b57924796e4",
        "summary_truncated": "fcbcf165908dd18a9e49f7ff27810176",
        "date": "47fbf3ee5092413ca5a95f4a73c9b579",
        "body": "ee99528711d852e0103a163fbafd804c",
        "author": "cd3dc5d671b526a7d280318ec859704f",
    }


def test_an_invalid_source_url_fails_the_import(tag_index):
    drafts = entries(3)
    drafts[1] = dataclasses.replace(drafts[1], source_url="https://bad host/story")
    with pytest.raises(SyncError, match=r"source_url: Enter a valid URL\..*nothing was imported"):
        run(tag_index, drafts)
    assert not ArticlePage.objects.exists()
