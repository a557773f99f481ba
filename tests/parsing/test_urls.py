"""One spelling per URL for comparisons."""

import pytest

from wagtail_tagfeed.parsing.urls import normalise_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://News.Example/a/", "https://news.example/a"),
        ("HTTPS://news.example/a#top", "https://news.example/a"),
        ("https://news.example/a?x=1", "https://news.example/a?x=1"),
        ("https://news.example/a?b=2&a=1", "https://news.example/a?a=1&b=2"),
    ],
)
def test_normalise_url(url, expected):
    assert normalise_url(url) == expected
