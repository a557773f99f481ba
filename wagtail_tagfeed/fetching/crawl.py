"""One run's fetches: their shared deadline, robots.txt cache and manners towards each host.

A :class:`Crawl` is made per import run and passed to every fetch of it, never kept between
runs: robots.txt is read once per site and run, ``Crawl-delay`` is kept between requests
to a site, at most ``per_host`` requests are under way to one host at once, and nothing
waits past the run's deadline. :func:`fetch_many` runs many fetches on threads under those
rules, returning their results in order with failures as values.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar
from urllib.parse import SplitResult, urlsplit

from wagtail_tagfeed.errors import FetchError, TagfeedError
from wagtail_tagfeed.errors import gettext as _

from . import robots
from .http import Clock, fail, run_timed_out
from .policy import Deadline, FetchPolicy

T = TypeVar("T")


class _Host:
    """What a run knows of one host: its free request places and when it may be asked next."""

    def __init__(self, places: int) -> None:
        self.places = threading.BoundedSemaphore(places)
        self.lock = threading.Lock()
        self.next_start = 0.0


class _Site:
    """One origin's robots.txt, read by the first fetch that needs it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rules: robots.RobotsRules | None = None


class Crawl:
    """The fetches of one run: one policy, one deadline, one robots.txt cache."""

    def __init__(self, policy: FetchPolicy | None = None, deadline: Deadline | None = None):
        self.policy = policy or FetchPolicy()
        self.deadline = deadline or Deadline(self.policy.run_timeout)
        self._lock = threading.Lock()
        self._hosts: dict[str, _Host] = {}
        self._sites: dict[str, _Site] = {}

    def robots_rules(self, url: str) -> robots.RobotsRules:
        """The robots.txt rules of ``url``'s site, read on first use in this run."""
        parts = SplitResult(*_origin(url), "", "", "")
        origin = parts.geturl()
        with self._lock:
            site = self._sites.setdefault(origin, _Site())
        if not site.lock.acquire(timeout=self.deadline.remaining()):
            raise FetchError(run_timed_out(self.deadline.seconds))
        try:
            if site.rules is None:
                site.rules = robots.read(origin, self)
            return site.rules
        finally:
            site.lock.release()

    def check_robots(self, url: str, source: str) -> None:
        """Raise :class:`FetchError` unless robots.txt lets us fetch ``url``."""
        if not self.policy.obey_robots:
            return
        rules = self.robots_rules(url)
        if rules.allows(url):
            return
        if rules.network:
            reason = rules.unreachable
        elif rules.unreachable:
            reason = _(
                "not fetched: the site's robots.txt could not be read (%(why)s), "
                "which counts as disallowing everything"
            ) % {"why": rules.unreachable}
        else:
            reason = _("not fetched: the site's robots.txt disallows it")
        fail(source, reason, url=url)

    @contextlib.contextmanager
    def slot(self, parts: SplitResult, clock: Clock) -> Iterator[None]:
        """A place among the requests to ``parts``' host, at the pace its robots.txt asks."""
        host = self._host((parts.hostname or "").lower())
        url = parts.geturl()
        if not host.places.acquire(timeout=clock.remaining()):
            clock.timed_out(url)
        try:
            self._pace(host, url, clock)
            yield
        finally:
            host.places.release()

    def _host(self, name: str) -> _Host:
        with self._lock:
            return self._hosts.setdefault(name, _Host(max(self.policy.per_host, 1)))

    def _pace(self, host: _Host, url: str, clock: Clock) -> None:
        """Wait for this request's turn when the site asks for a ``Crawl-delay``."""
        if not (clock.request.robots and self.policy.obey_robots):
            return
        delay = self.robots_rules(url).crawl_delay
        if not delay:
            return
        with host.lock:
            now = time.monotonic()
            start = max(now, host.next_start)
            host.next_start = start + delay
        wait = start - now
        if wait >= clock.remaining():
            host.next_start -= delay  # the turn is given back
            reason = _(
                "waiting %(seconds)s s for the site's Crawl-delay would pass the time limit"
            ) % {"seconds": f"{wait:.1f}"}
            fail(clock.request.source, reason, url=url)
        time.sleep(wait)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.rpartition("@")[2].lower()


def fetch_many(
    sources: Sequence[str],
    crawl: Crawl,
    get: Callable[[str], T],
) -> list[T | TagfeedError]:
    """``get(source)`` for every source, ``crawl.policy.concurrency`` at a time.

    ``get`` fetches with ``crawl`` (``lambda url: fetch(url, crawl=crawl)``, say), which
    keeps each host's limit, pace and robots.txt. Results come in the order of ``sources``;
    a :class:`TagfeedError` is returned in its source's place rather than raised.
    """
    run = _in_callers_language(get)

    def attempt(source: str) -> T | TagfeedError:
        try:
            return run(source)
        except TagfeedError as error:
            return error

    if len(sources) <= 1 or crawl.policy.concurrency <= 1:
        return [attempt(source) for source in sources]
    with ThreadPoolExecutor(max_workers=min(crawl.policy.concurrency, len(sources))) as pool:
        return list(pool.map(attempt, sources))


def _in_callers_language(get: Callable[[str], T]) -> Callable[[str], T]:
    """``get``, run in the language active here (Django's is per thread), when there is one."""
    from django.conf import settings

    if not settings.configured:
        return get
    from django.utils import translation

    language = translation.get_language()

    def run(source: str) -> T:
        with translation.override(language):
            return get(source)

    return run
