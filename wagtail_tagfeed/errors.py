"""Errors the import pipeline raises: each carries a one-line, translatable message for the user.

Messages never name command-line options: a front door (the command, the admin) adds its own
hints. :func:`gettext` lets the stages that run without Django settings (fetching, parsing,
cleaning and the extraction API) translate their messages where Django is configured.
"""

from django.conf import settings
from django.utils import translation

__all__ = [
    "ArticleError",
    "FetchError",
    "ImageError",
    "NoItemsError",
    "NoTagError",
    "NotHTMLError",
    "ParentError",
    "RunPendingError",
    "SelectorError",
    "SyncError",
    "TagfeedError",
]


def gettext(message: str) -> str:
    """Django's ``gettext``, or ``message`` as it is where Django's settings are not configured."""
    return translation.gettext(message) if settings.configured else message


class TagfeedError(Exception):
    """Base class: the message is meant to be shown to the user as it is.

    ``reason`` is the message without the source it names, for callers that name it.
    """

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message


class FetchError(TagfeedError):
    """A source could not be read: unreachable, HTTP error, timeout, too large, bad redirect."""


class NotHTMLError(TagfeedError):
    """The source is not an HTML document (empty, PDF, image, JSON...)."""


class SelectorError(TagfeedError):
    """A CSS selector given by the user is invalid."""


class NoItemsError(TagfeedError):
    """No listing items were found on the page."""


class ParseTimeoutError(TagfeedError):
    """Parsing a page went past its deadline (a page too large or too intricate to read)."""


class NoTagError(TagfeedError):
    """No tag could be detected from the page and none was given."""


class SyncError(TagfeedError):
    """Writing the listing to the page tree failed; nothing was written."""


class ParentError(TagfeedError):
    """The tag index to import into is unknown, ambiguous or not a tag index."""


class RunPendingError(TagfeedError):
    """A tag source already has a run queued or running: it is not queued twice."""


class ArticleError(TagfeedError):
    """An article or image could not be read and the import is strict."""


class ImageError(TagfeedError):
    """One image could not be used; the message is the reason, in a few words."""
