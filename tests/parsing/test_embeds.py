"""Which iframe and link URLs become embed blocks."""

import pytest

from wagtail_tagfeed.parsing.embeds import embed_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/embed/abc123?rel=0", "https://www.youtube.com/watch?v=abc123"),
        ("//www.youtube-nocookie.com/embed/abc123", "https://www.youtube.com/watch?v=abc123"),
        ("https://youtu.be/abc123", "https://youtu.be/abc123"),
        ("https://player.vimeo.com/video/42?h=1", "https://vimeo.com/42"),
        ("https://twitter.com/someone/status/1?s=20", "https://twitter.com/someone/status/1"),
        ("https://maps.example/embed?pb=1", None),
        ("https://evil.example/youtube.com/watch?v=1", None),
        (None, None),
    ],
)
def test_embed_urls_are_those_the_oembed_providers_know(url, expected):
    assert embed_url(url) == expected
