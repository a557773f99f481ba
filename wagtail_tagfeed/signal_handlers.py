"""Forget cached listings and stored pages when what they show may have changed."""

from django.db.models.signals import post_delete, post_save
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import queries


def page_changed(sender, instance, **kwargs) -> None:
    """A page published, unpublished or deleted: an article, or a page whose title and
    URL other pages show (menus, breadcrumbs) and whose URL decides what the ones below
    it are found by."""
    if isinstance(instance, Page):
        queries.invalidate_on_commit()


def listings_changed(sender, **kwargs) -> None:
    queries.invalidate_on_commit()


def register_signal_handlers() -> None:
    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(page_changed, dispatch_uid=f"tagfeed_page_{id(signal)}")
    post_page_move.connect(listings_changed, dispatch_uid="tagfeed_move")
    # A tag's name decides which tags a listing counts as one; a restriction, what is
    # public; a site, which pages its host names find.
    for sender in (PageViewRestriction, Tag, Site):
        for signal in (post_save, post_delete):
            signal.connect(
                listings_changed,
                sender=sender,
                dispatch_uid=f"tagfeed_{sender.__name__}_{id(signal)}",
            )
