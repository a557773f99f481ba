"""An import touches only what its user may touch, the same way on both writers."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, WorkflowState

from tests.admin.factories import UserFactory
from tests.factories import DraftFactory, TagIndexPageFactory
from wagtail_tagfeed.listing import Outcome
from wagtail_tagfeed.models import ArticlePage
from wagtail_tagfeed.options import ImportOptions
from wagtail_tagfeed.syncing import sync

pytestmark = pytest.mark.django_db

WRITERS = pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "standard"])


def user_with(page, *actions: str):
    """A user whose group has these page permissions (add, change, publish) on ``page``."""
    group = Group.objects.create(name=f"Group {Group.objects.count()}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for action in actions:
        GroupPagePermission.objects.create(
            group=group, page=page, permission=Permission.objects.get(codename=f"{action}_page")
        )
    user = UserFactory()
    user.groups.add(group)
    return user


def run(index, drafts, user=None, **options):
    return sync(index, drafts, options=ImportOptions(**options), user=user)


@WRITERS
def test_an_article_below_another_index_is_never_touched(bulk):
    first, second = TagIndexPageFactory(title="First"), TagIndexPageFactory(title="Second")
    original = DraftFactory(title="The original")
    run(first, [original])
    article = ArticlePage.objects.get()
    revision = article.latest_revision_id
    user = user_with(second, "add", "change", "publish")
    intruder = DraftFactory(listing_url=original.listing_url, title="Replaced by an intruder")
    [result] = run(second, [intruder], user=user, bulk=bulk)
    assert result.outcome == Outcome.SKIPPED
    assert "below another page" in result.reason
    article.refresh_from_db()
    assert (article.title, article.latest_revision_id) == ("The original", revision)
    assert ArticlePage.objects.count() == 1


def test_a_matching_address_is_matched_however_it_is_spelled():
    index = TagIndexPageFactory()
    run(index, [DraftFactory(listing_url="https://news.example/story/?utm_source=feed")])
    again = DraftFactory(listing_url="http://www.news.example/story#comments")
    assert [r.outcome for r in run(index, [again])] == [Outcome.UPDATED]
    assert ArticlePage.objects.count() == 1


@WRITERS
def test_without_publish_rights_new_articles_are_drafts_in_moderation(bulk):
    index = TagIndexPageFactory()
    editor = user_with(index, "add", "change")
    results = run(index, DraftFactory.create_batch(3), user=editor, bulk=bulk)
    assert [r.outcome for r in results] == [Outcome.CREATED] * 3
    pages = ArticlePage.objects.child_of(index)
    assert pages.count() == 3
    assert not pages.filter(live=True).exists()
    assert all(page.latest_revision_id for page in pages)
    moderated = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS, requested_by=editor
    )
    assert moderated.count() == 3


@WRITERS
def test_without_publish_rights_changes_wait_in_moderation(bulk):
    index = TagIndexPageFactory()
    first = DraftFactory(title="Published at first")
    run(index, [first])
    editor = user_with(index, "add", "change")
    changed = DraftFactory(listing_url=first.listing_url, title="Changed")
    [result] = run(index, [changed], user=editor, bulk=bulk)
    assert result.outcome == Outcome.UPDATED
    page = ArticlePage.objects.get()
    assert page.title == "Published at first" and page.live
    assert page.has_unpublished_changes
    assert page.get_latest_revision_as_object().title == "Changed"
    assert WorkflowState.objects.filter(requested_by=editor).count() == 1


def test_asking_for_drafts_starts_no_moderation():
    index = TagIndexPageFactory()
    editor = user_with(index, "add", "change", "publish")
    run(index, DraftFactory.create_batch(2), user=editor, draft=True)
    assert not ArticlePage.objects.filter(live=True).exists()
    assert not WorkflowState.objects.exists()


def test_articles_the_user_may_not_edit_are_skipped():
    index = TagIndexPageFactory()
    owner = user_with(index, "add", "publish")
    theirs = DraftFactory(title="Theirs")
    run(index, [theirs], user=owner)
    other = user_with(index, "add", "publish")
    changed = DraftFactory(listing_url=theirs.listing_url, title="Mine now")
    [result] = run(index, [changed], user=other)
    assert (result.outcome, result.reason) == (Outcome.SKIPPED, "you may not edit this page")
    assert ArticlePage.objects.get().title == "Theirs"
    [result] = run(index, [changed], user=owner)
    assert result.outcome == Outcome.UPDATED


def test_locked_articles_are_skipped():
    index = TagIndexPageFactory()
    locked = DraftFactory(title="Locked")
    run(index, [locked])
    holder = user_with(index, "add", "change", "publish")
    ArticlePage.objects.update(locked=True, locked_by=holder)
    changed = DraftFactory(listing_url=locked.listing_url, title="Changed")
    editor = user_with(index, "add", "change", "publish")
    [result] = run(index, [changed], user=editor)
    assert (result.outcome, result.reason) == (Outcome.SKIPPED, "the page is locked")
    assert ArticlePage.objects.get().title == "Locked"
