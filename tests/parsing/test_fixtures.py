"""Parse every real-software listing in tests/data/listings and compare with expected.json."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from wagtail_tagfeed.listing import Document, Listing
from wagtail_tagfeed.parsing import parse_listing

try:
    from wagtail_tagfeed.cleaning import clean_listing
except ImportError:
    clean_listing = None

LISTINGS = Path(__file__).resolve().parent.parent / "data" / "listings"
FIXTURES = sorted(path for path in LISTINGS.iterdir() if path.is_dir())
PAGE2_FIXTURES = [
    path
    for path in FIXTURES
    if (path / "page2.html").exists()
    and "page2" in json.loads((path / "expected.json").read_text(encoding="utf-8"))
]
ITEM_FIELDS = ("title", "url", "summary_text", "published", "image", "tags")


def parse_fixture(directory: Path, page: str = "page") -> tuple[Listing, dict]:
    """Parse (and clean) ``page.html`` or ``page2.html``; return it with its expected values."""
    expected = json.loads((directory / "expected.json").read_text(encoding="utf-8"))
    if page == "page2":
        expected = expected["page2"]
    document = Document(
        content=(directory / f"{page}.html").read_bytes(),
        source=str(directory / f"{page}.html"),
        url=expected["page_url"],
    )
    listing = parse_listing(document)
    if clean_listing is not None:
        listing = clean_listing(listing)
    return listing, expected


def item_fields(item) -> dict:
    published = item.published
    return {
        "title": item.title,
        "url": item.url,
        "summary_text": item.summary_text,
        "published": published.isoformat() if isinstance(published, datetime.date) else None,
        "image": item.image,
        "tags": list(item.tags),
    }


def differences(listing: Listing, expected: dict) -> list[str]:
    """Every mismatch, one line each, so a failure shows all of them at once."""
    found = []
    for name in ("heading", "tag", "next_page"):
        if name in expected and getattr(listing, name) != expected[name]:
            found.append(f"{name}: got {getattr(listing, name)!r}, want {expected[name]!r}")
    if len(listing.items) != len(expected["items"]):
        found.append(f"items: got {len(listing.items)}, want {len(expected['items'])}")
    for position, (item, want) in enumerate(zip(listing.items, expected["items"], strict=False)):
        got = item_fields(item)
        for name in ITEM_FIELDS:
            wanted = want.get(name, [] if name == "tags" else None)
            if name == "summary_text" and clean_listing is None:
                if not got[name].startswith(wanted[: max(0, len(wanted) - 40)]):
                    found.append(f"item {position} {name}: got {got[name]!r}, want {wanted!r}")
                continue
            if got[name] != wanted:
                found.append(f"item {position} {name}: got {got[name]!r}, want {wanted!r}")
    return found


@pytest.mark.parametrize("directory", FIXTURES, ids=[path.name for path in FIXTURES])
def test_fixture_matches_expected(directory):
    listing, expected = parse_fixture(directory)
    assert differences(listing, expected) == []


@pytest.mark.parametrize("directory", PAGE2_FIXTURES, ids=[path.name for path in PAGE2_FIXTURES])
def test_fixture_second_page_matches_expected(directory):
    listing, expected = parse_fixture(directory, "page2")
    assert differences(listing, expected) == []
