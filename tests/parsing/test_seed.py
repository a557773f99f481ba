"""The seed page parses to exactly the expected listing."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bs4 import BeautifulSoup

from wagtail_tagfeed.listing import Document
from wagtail_tagfeed.parsing import parse_listing

SEED = Path(__file__).resolve().parent.parent / "data" / "seed"


def paragraphs(summary_html: str) -> list[str]:
    """The texts of the ``<p>`` elements, ASCII whitespace collapsed (no-break spaces kept)."""
    soup = BeautifulSoup(summary_html, "lxml")
    return [re.sub(r"[ \t\r\n\f]+", " ", p.get_text()).strip() for p in soup.find_all("p")]


def test_seed_page_matches_expected_json():
    expected = json.loads((SEED / "tag-listing-turkey.expected.json").read_text(encoding="utf-8"))
    path = SEED / "tag-listing-turkey.html"
    listing = parse_listing(Document(content=path.read_bytes(), source=str(path)))

    assert listing.page_url == expected["page_url"]
    assert listing.heading == expected["heading"]
    assert listing.tag == expected["tag"]
    assert listing.next_page == expected["next_page"]
    assert len(listing.items) == len(expected["items"]) == 10
    for item, want in zip(listing.items, expected["items"], strict=True):
        assert item.title == want["title"]
        assert item.url == want["url"]
        assert item.published == want["published"]
        assert item.image == want["image"]
        assert paragraphs(item.summary_html) == want["summary_paragraphs"]


def test_seed_summary_leaves_out_the_title_and_sidebar():
    path = SEED / "tag-listing-turkey.html"
    listing = parse_listing(Document(content=path.read_bytes(), source=str(path)))
    first = listing.items[0]
    assert first.title not in first.summary_text
    assert first.summary_text.startswith("Russia does not and has never considered")
    assert first.summary_text.count("\n\n") == 2
    urls = {item.url for item in listing.items}
    assert "https://news.example/gas-transit-talks-resume-in-vienna" not in urls


def test_seed_second_page_has_no_next_page():
    path = SEED / "tag-listing-turkey-page2.html"
    listing = parse_listing(
        Document(
            content=path.read_bytes(),
            source=str(path),
            url="https://news.example/news/tag/turkey?page=1",
        )
    )
    assert listing.next_page is None
    assert listing.tag == "turkey"
    assert len(listing.items) >= 3
    assert listing.items[0].url == (
        "https://news.example/istanbul-hosts-regional-earthquake-preparedness-drill"
    )
