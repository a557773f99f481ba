"""parse_listing as a whole: page-level fields, selectors, limits and errors."""

from __future__ import annotations

import time

import pytest

from wagtail_tagfeed.errors import NoItemsError, NotHTMLError, ParseTimeoutError, SelectorError
from wagtail_tagfeed.listing import Document, Selectors
from wagtail_tagfeed.parsing import parse_listing

from .conftest import page, teaser

LISTING = page(
    "<header><h1>My site</h1></header><main><h1>Posts tagged “turkey”</h1>"
    + "".join(teaser(n) for n in range(1, 6))
    + "</main>",
    '<link rel="canonical" href="https://blog.example/tag/turkey/">'
    '<link rel="alternate" type="application/rss+xml" href="/tag/turkey/feed/">',
)


def test_page_level_fields(parse):
    listing = parse(LISTING, url=None)
    assert listing.page_url == "https://blog.example/tag/turkey/"
    assert listing.heading == "Posts tagged “turkey”"
    assert listing.tag == "turkey"
    assert listing.source == "test.html"
    assert len(listing.items) == 5


def test_page_url_from_og_url(parse):
    html = LISTING.replace('rel="canonical"', 'rel="x"').replace(
        "<title>", '<meta property="og:url" content="https://og.example/tag/turkey/"><title>'
    )
    assert parse(html, url=None).page_url == "https://og.example/tag/turkey/"


def test_document_url_wins(parse):
    assert parse(LISTING, url="https://real.example/t/").page_url == "https://real.example/t/"


def test_max_items_cuts_the_listing(parse):
    listing = parse(LISTING, max_items=2)
    assert [item.title for item in listing.items] == [
        "Story number 1 about Turkey",
        "Story number 2 about Turkey",
    ]


def test_selectors_override_detection(parse):
    html = page(
        "<main>"
        + "".join(
            f'<div class="x"><b class="t"><a href="/s{n}">Sel {n}</a></b>'
            f'<span class="d">2020-01-0{n + 1}</span><i class="s">Summary {n}</i>'
            f'<span class="pic"><img src="/i{n}.png"></span></div>'
            for n in range(3)
        )
        + '<p class="more"><a href="/tag/turkey/p2">Onwards</a></p></main>'
    )
    selectors = Selectors(
        item="div.x", title=".t", summary=".s", date=".d", image=".pic", next=".more"
    )
    listing = parse(html, selectors=selectors)
    assert [item.title for item in listing.items] == ["Sel 0", "Sel 1", "Sel 2"]
    assert listing.items[1].summary_text == "Summary 1"
    assert listing.items[1].published.isoformat() == "2020-01-02"
    assert listing.items[1].image == "https://blog.example/i1.png"
    assert listing.next_page == "https://blog.example/tag/turkey/p2"


def test_item_selector_picks_blocks_detection_would_not(parse):
    listing = parse(LISTING, selectors=Selectors(item="article:nth-of-type(2)"))
    assert [item.title for item in listing.items] == ["Story number 2 about Turkey"]


def test_invalid_selector_names_the_field_without_command_line_hints(parse):
    with pytest.raises(SelectorError, match=r"^Invalid title selector: 'h2\[' ") as caught:
        parse(LISTING, selectors=Selectors(title="h2["))
    assert "--" not in str(caught.value)


def test_item_selector_matching_nothing(parse):
    with pytest.raises(NoItemsError, match=r"^The item selector '\.nothing' matched nothing"):
        parse(LISTING, selectors=Selectors(item=".nothing"))


@pytest.mark.parametrize("content", [b"", b"   \n ", b"\xef\xbb\xbf"])
def test_empty_document(content):
    with pytest.raises(NotHTMLError, match="is empty"):
        parse_listing(Document(content=content, source="empty.html"))


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.7\n...", b"\x89PNG\r\n\x1a\n\x00\x00", b'{"items": []}', b"just some words"],
)
def test_not_html(content):
    with pytest.raises(NotHTMLError, match="not an HTML page"):
        parse_listing(Document(content=content, source="thing"))


def test_feed_is_not_html():
    feed = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    with pytest.raises(NotHTMLError, match="RSS or Atom feed"):
        parse_listing(Document(content=feed, source="feed.xml"))


def test_no_items_says_what_was_tried(parse):
    with pytest.raises(NoItemsError) as caught:
        parse(page("<main><h1>About us</h1><p>We are a small team.</p></main>"))
    message = str(caught.value)
    assert "structured data" in message
    assert "repeated blocks" in message
    assert "item selector" in message
    assert "--" not in message
    assert "\n" not in message


def test_deep_nesting_does_not_crash():
    depth = 20000
    html = page("<div>" * depth + "deep" + "</div>" * depth + "".join(teaser(n) for n in (1, 2)))
    listing = parse_listing(Document(content=html.encode(), source="deep.html"), max_depth=64)
    assert len(listing.items) == 2


def test_deep_nesting_inside_an_item_does_not_crash():
    deep = "<div>" * 5000 + "x" + "</div>" * 5000
    html = page("".join(teaser(n, inside=deep) for n in (1, 2)))
    listing = parse_listing(Document(content=html.encode(), source="deep.html"))
    assert len(listing.items) == 2
    assert listing.items[0].summary_text.startswith("First paragraph of story 1")


def test_declared_encoding_is_used():
    html = page("<ul>" + "".join(
        f'<li><h2><a href="/p{n}">Türkei {n}</a></h2><p>Käse und Brötchen.</p></li>'
        for n in range(2)
    ) + "</ul>")  # fmt: skip
    document = Document(content=html.encode("latin-1"), source="x", encoding="iso-8859-1")
    listing = parse_listing(document)
    assert listing.items[0].title == "Türkei 0"


def test_a_passed_deadline_stops_parsing_with_a_clear_error(parse):
    with pytest.raises(ParseTimeoutError, match=r"^test\.html: reading the page took longer"):
        parse(LISTING, deadline=time.monotonic() - 1)


def test_a_distant_deadline_changes_nothing(parse):
    assert parse(LISTING, deadline=time.monotonic() + 3600) == parse(LISTING)
