"""Helpers for the parsing tests: build a Document from a snippet of HTML."""

from __future__ import annotations

import pytest

from wagtail_tagfeed.listing import Document
from wagtail_tagfeed.parsing import parse_listing


def document(html: str, url: str | None = "https://blog.example/tag/turkey/") -> Document:
    return Document(content=html.encode("utf-8"), source="test.html", url=url)


def teaser(number: int, **extra: str) -> str:
    """One ordinary teaser block: linked heading, date, two paragraphs."""
    return (
        f'<article class="post"><h2 class="entry-title"><a href="/posts/story-{number}/">'
        f"Story number {number} about Turkey</a></h2>"
        f'<time datetime="2024-03-{number:02d}">March {number}, 2024</time>'
        f"<p>First paragraph of story {number}, long enough to be a teaser of substance.</p>"
        f"<p>Second paragraph of story {number} …</p>{extra.get('inside', '')}</article>"
    )


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head><title>Test</title>{head}</head><body>{body}</body></html>"


@pytest.fixture
def parse():
    def run(html: str, url: str | None = "https://blog.example/tag/turkey/", **kwargs):
        return parse_listing(document(html, url), **kwargs)

    return run
