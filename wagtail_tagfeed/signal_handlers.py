"""Forget cached listings when the listed articles, their tags or privacy may have changed."""

from django.db.models.signals import post_delete, post_save
from taggit.models import Tag
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import queries


def article_changed(sender, instance, **kwargs) -> None:
    from .models import AbstractArticlePage

    if isinstance(instance, AbstractArticlePage):
        queries.invalidate_on_commit()


def listings_changed(sender, **kwargs) -> None:
    queries.invalidate_on_commit()


def register_signal_handlers() -> None:
    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(article_changed, dispatch_uid=f"tagfeed_article_{id(signal)}")
    post_page_move.connect(listings_changed, dispatch_uid="tagfeed_move")
    # A tag's name decides which tags a listing counts as one; a restriction, what is public.
    for sender in (PageViewRestriction, Tag):
        for signal in (post_save, post_delete):
            signal.connect(
                listings_changed,
                sender=sender,
                dispatch_uid=f"tagfeed_{sender.__name__}_{id(signal)}",
            )
