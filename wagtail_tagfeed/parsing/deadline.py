"""An optional point in time after which parsing a page gives up with a clear error.

Every stage of parsing is linear or close to it, but "close to" on a hostile or huge page can
still mean minutes; the expensive loops call :meth:`Deadline.check` so that a run with an
overall deadline stops instead of holding its worker.
"""

from __future__ import annotations

import time

from wagtail_tagfeed.errors import ParseTimeoutError
from wagtail_tagfeed.errors import gettext as _


class Deadline:
    """A ``time.monotonic()`` value (or ``None``: no deadline) for parsing one source."""

    __slots__ = ("at", "source")

    def __init__(self, at: float | None = None, source: str = "") -> None:
        self.at = at
        self.source = source

    def check(self) -> None:
        """Raise :class:`ParseTimeoutError` once the deadline has passed."""
        if self.at is not None and time.monotonic() > self.at:
            reason = _(
                "reading the page took longer than allowed (it is too large or too intricate)"
            )
            raise ParseTimeoutError(
                _("%(source)s: %(reason)s") % {"source": self.source, "reason": reason},
                reason=reason,
            )


NO_DEADLINE = Deadline()
