"""Which URLs of an article's iframes and lone links Wagtail can embed."""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qs, urlsplit

YOUTUBE_EMBED = re.compile(
    r"^https?://(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]+)", re.IGNORECASE
)
VIMEO_PLAYER = re.compile(r"^https?://player\.vimeo\.com/video/(\d+)", re.IGNORECASE)
TWITTER_HOSTS = frozenset(("twitter.com", "x.com", "www.twitter.com", "www.x.com"))


def embed_url(url: str | None) -> str | None:
    """The URL to store in an ``embed`` block, when Wagtail's oEmbed providers know it.

    Player iframes (``youtube.com/embed/ID``, ``player.vimeo.com/video/ID``) are turned into
    the page URLs the providers list; nothing is fetched.
    """
    if not url:
        return None
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    if match := YOUTUBE_EMBED.match(url):
        url = f"https://www.youtube.com/watch?v={match[1]}"
    elif match := VIMEO_PLAYER.match(url):
        url = f"https://vimeo.com/{match[1]}"
    elif urlsplit(url).hostname in ("platform.twitter.com", "platform.x.com"):
        ids = parse_qs(urlsplit(url).query).get("id")
        url = f"https://twitter.com/i/status/{ids[0]}" if ids else url
    if not any(pattern.match(url) for pattern in _provider_patterns()):
        return None
    parts = urlsplit(url)
    if parts.hostname in TWITTER_HOSTS:
        url = parts._replace(query="", fragment="").geturl()
    return url


@functools.cache
def _provider_patterns() -> tuple[re.Pattern, ...]:
    # The providers' URL patterns are plain data: importing them needs no Django settings.
    from wagtail.embeds.oembed_providers import all_providers

    return tuple(re.compile(url) for provider in all_providers for url in provider["urls"])
