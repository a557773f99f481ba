"""robots.txt, read and applied as RFC 9309 says.

The standard library's ``urllib.robotparser`` is not used: it knows neither the ``*`` and
``$`` wildcards nor the longest-match rule (it takes the first rule that matches), so a
common ``Disallow: /*?`` would be ignored and ``Allow: /news/`` after ``Disallow: /`` lost.

Reading follows RFC 9309 section 2.3: up to five redirects (more: no robots.txt); a 4xx
answer means no robots.txt, everything allowed; a 5xx answer (and 429, as Google treats it),
a network error or a timeout means the site cannot say, so everything is disallowed for the
rest of the run. Only the first :data:`MAX_ROBOTS_BYTES` are read, as RFC 9309 allows.
"""

from __future__ import annotations

import dataclasses
import math
import re
from urllib.parse import quote, urlsplit

from wagtail_tagfeed.errors import FetchError
from wagtail_tagfeed.errors import gettext as _

from . import http
from .policy import PRODUCT

MAX_ROBOTS_BYTES = 500 * 1024
MAX_PATTERN_LENGTH = 2048
"""Characters: longer rules are cut (nothing on the web matches them anyway)."""
PERCENT_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


@dataclasses.dataclass(frozen=True)
class Rule:
    pattern: str
    allow: bool

    def matches(self, path: str) -> bool:
        pattern = self.pattern
        if pattern.endswith("$"):
            return _glob(pattern[:-1], path)
        if "*" not in pattern:
            return path.startswith(pattern)
        return _glob(pattern + "*", path)


@dataclasses.dataclass(frozen=True)
class RobotsRules:
    """The rules of one site's robots.txt that apply to us."""

    rules: tuple[Rule, ...] = ()
    crawl_delay: float | None = None
    """Seconds to leave between two requests to the site."""
    unreachable: str = ""
    """Why robots.txt could not be read; everything is disallowed then."""
    network: bool = False
    """Whether it was for a network error (then the site's pages are out of reach too)."""

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        path = normalize((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        if path == "/robots.txt":
            return True
        if self.unreachable:
            return False
        best: Rule | None = None
        for rule in self.rules:
            if rule.matches(path) and (
                best is None
                or len(rule.pattern) > len(best.pattern)
                or (len(rule.pattern) == len(best.pattern) and rule.allow)
            ):
                best = rule
        return best is None or best.allow


def normalize(path: str) -> str:
    """Percent-encode what must be, and decode escapes of unreserved characters (RFC 3986)."""
    path = quote(path, safe="/%:@!$&'()*+,;=?#[]-._~")

    def unescape(match: re.Match) -> str:
        character = chr(int(match.group(1), 16))
        return character if character in UNRESERVED else "%" + match.group(1).upper()

    return PERCENT_ESCAPE.sub(unescape, path)


def parse(text: str, product: str = PRODUCT) -> RobotsRules:
    """The rules for ``product`` (or for ``*`` when no group names it) in a robots.txt."""
    product = product.lower()
    groups: list[tuple[list[str], list[Rule], list[float]]] = []
    agents: list[str] = []
    in_rules = True
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        key, colon, value = line.partition(":")
        if not colon:
            continue
        key, value = key.strip().lower(), value.strip()
        if key in ("user-agent", "useragent", "user agent"):
            if in_rules:
                agents = []
                groups.append((agents, [], []))
                in_rules = False
            agents.append(value.lower())
        elif key in ("allow", "disallow") and groups:
            in_rules = True
            if value:
                pattern = normalize(value[:MAX_PATTERN_LENGTH])
                groups[-1][1].append(Rule(pattern, key == "allow"))
        elif key == "crawl-delay" and groups:
            in_rules = True
            delay = _seconds(value)
            if delay is not None:
                groups[-1][2].append(delay)
    ours = [group for group in groups if any(_names(agent, product) for agent in group[0])]
    chosen = ours or [group for group in groups if "*" in group[0]]
    rules = tuple(rule for group in chosen for rule in group[1])
    delays = [delay for group in chosen for delay in group[2]]
    return RobotsRules(rules, max(delays) if delays else None)


def read(origin: str, crawl: http.Crawl) -> RobotsRules:
    """Fetch and parse ``origin``'s robots.txt under the run's limits."""
    request = http.Request(
        source=f"{origin}/robots.txt",
        max_bytes=MAX_ROBOTS_BYTES,
        accept="text/plain, */*;q=0.5",
        truncate=True,
        robots=False,
        what=_("robots.txt"),
    )
    try:
        answer = http.get(request, crawl)
    except http.TooManyRedirects:
        return RobotsRules()
    except FetchError as error:
        return RobotsRules(unreachable=error.reason, network=True)
    if 200 <= answer.status < 300:
        return parse(answer.content.decode("utf-8", errors="replace"))
    if 400 <= answer.status < 500 and answer.status != 429:
        return RobotsRules()
    return RobotsRules(unreachable=http.status_reason(answer))


def _names(agent: str, product: str) -> bool:
    """Whether a ``User-agent`` value names our product (its version is not compared)."""
    return agent == product or agent.split("/", 1)[0].strip() == product


def _seconds(value: str) -> float | None:
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _glob(pattern: str, text: str) -> bool:
    """Whether ``text`` matches ``pattern`` whole, ``*`` standing for any characters.

    Backtracks only to the last ``*``, so it takes at most len(pattern) × len(text) steps,
    whatever the pattern (a regular expression could take exponential time).
    """
    p = t = 0
    star, mark = -1, 0
    while t < len(text):
        if p < len(pattern) and pattern[p] == "*":
            star, mark = p, t
            p += 1
        elif p < len(pattern) and pattern[p] == text[t]:
            p += 1
            t += 1
        elif star >= 0:
            p, mark = star + 1, mark + 1
            t = mark
        else:
            return False
    return all(character == "*" for character in pattern[p:])
