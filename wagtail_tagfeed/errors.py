"""Errors the import pipeline raises: each carries a one-line message for the user."""


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


class NoTagError(TagfeedError):
    """No tag could be detected from the page and none was given."""


class SyncError(TagfeedError):
    """Writing the listing to the page tree failed; nothing was written."""
