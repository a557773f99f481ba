"""What fetching may do and spend: the options of a run and its overall deadline.

Fetching never reads Django settings: whoever starts a run builds one :class:`FetchPolicy`
(``wagtail_tagfeed.conf.fetch_policy`` does it from the settings) and one :class:`Deadline`.
"""

from __future__ import annotations

import dataclasses
import math
import time

from wagtail_tagfeed import __version__

PRODUCT = "wagtail-tagfeed"
"""The product token of our User-Agent, matched against robots.txt ``User-agent`` lines."""


@dataclasses.dataclass(frozen=True)
class FetchPolicy:
    """The limits and manners of fetching; the defaults are those of ``conf.DEFAULTS``."""

    timeout: float = 10.0
    """Seconds for connecting, for each read, and for one whole page or image."""
    max_bytes: int = 5_000_000
    """Largest page, raw and after gzip/deflate decoding."""
    max_image_bytes: int = 10_000_000
    max_image_pixels: int = 50_000_000
    """Most pixels (width × height × frames) of an image, checked before it is decoded."""
    allow_private: bool = False
    """Whether hosts on loopback, private and other non-public addresses may be fetched."""
    contact_url: str = "https://wagtail-tagfeed.readthedocs.io/"
    """Where a site's owner learns who fetches their pages; part of the User-Agent."""
    obey_robots: bool = True
    """Honour robots.txt (and its ``Crawl-delay``); off only for one's own sites."""
    retries: int = 2
    """Further tries after a connection error, HTTP 429 or HTTP 503."""
    per_host: int = 4
    """Most requests under way to one host at once."""
    concurrency: int = 8
    """Most fetches under way at once in :func:`~wagtail_tagfeed.fetching.fetch_many`."""
    run_timeout: float = 600.0
    """Seconds all the fetches of one run may take together, waits included."""

    @property
    def user_agent(self) -> str:
        contact = f" (+{self.contact_url})" if self.contact_url else ""
        return f"{PRODUCT}/{__version__}{contact}"


class Deadline:
    """The moment a run must stop; shared by every fetch of the run (and thread-safe)."""

    def __init__(self, seconds: float, *, clock=time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._ends = clock() + seconds if math.isfinite(seconds) else math.inf

    def remaining(self) -> float:
        """Seconds left, 0 once expired."""
        return max(self._ends - self._clock(), 0.0)

    def expired(self) -> bool:
        return self.remaining() <= 0
