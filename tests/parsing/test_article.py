"""Article pages -> body blocks and metadata, on pages from real blogging software."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from wagtail_tagfeed.fetching import FetchPolicy, fetch
from wagtail_tagfeed.listing import Document
from wagtail_tagfeed.parsing.article import embed_url, parse_article

ARTICLES = Path(__file__).parents[1] / "data" / "articles"
FIXTURES = sorted(path.name for path in ARTICLES.iterdir() if path.is_dir())


def test_there_are_fixtures_from_at_least_six_programs():
    assert len(FIXTURES) >= 6


@pytest.mark.parametrize("name", FIXTURES)
def test_article_page_served_over_http(name, http_server):
    folder = ARTICLES / name
    origin = http_server.url("").rstrip("/")
    expected = json.loads((folder / "expected.json").read_text().replace("{origin}", origin))
    url = http_server.route(
        urlsplit(expected["url"]).path, body=(folder / "page.html").read_bytes()
    )
    content = parse_article(fetch(url, policy=FetchPolicy(timeout=5, allow_private=True)))
    found = content.as_json()
    assert found["blocks"] == expected["blocks"]
    assert found["author"] == expected["author"]
    assert found["published"] == expected["published"]
    assert found["tags"] == expected["tags"]
    assert found["image"] == expected["image"]
    assert found["url"] == expected["url"]


@pytest.mark.parametrize("name", FIXTURES)
def test_no_chrome_comments_or_unsafe_markup_in_the_body(name):
    content = parse_article(Document((ARTICLES / name / "page.html").read_bytes(), name))
    text = json.dumps([block.as_json() for block in content.blocks]).lower()
    for unwanted in (
        "share",
        "comment",
        "related",
        "subscribe",
        "javascript:",
        "onclick",
        "<script",
    ):
        assert unwanted not in text, unwanted


def page(body: str, head: str = "") -> Document:
    return Document(
        f"<html><head>{head}</head><body>{body}</body></html>".encode(),
        "test",
        url="https://blog.example/posts/one/",
    )


def test_text_density_finds_content_without_known_containers():
    paragraphs = "".join(
        f"<p>Sentence number {n} of the story, long enough.</p>" for n in range(5)
    )
    content = parse_article(
        page(
            f"<div id='menu'><p>Home</p></div><div id='x'>{paragraphs}</div><div><p>(c)</p></div>"
        )
    )
    assert [block.type for block in content.blocks] == ["paragraph"]
    assert content.blocks[0].value.count("<p>") == 5
    assert "Home" not in content.blocks[0].value


def test_a_page_without_paragraphs_has_no_blocks():
    assert parse_article(page("<div>nothing here</div>")).blocks == ()


def test_unsafe_markup_is_cleaned_like_summaries():
    content = parse_article(
        page(
            "<article><p onclick='x()'>Hello <a href='javascript:alert(1)'>there</a>"
            "<script>bad()</script><iframe src='https://evil.example/'></iframe>"
            "<a href='/rel'>rel</a></p></article>"
        )
    )
    assert content.blocks[0].value == (
        '<p>Hello there</p><p><a href="https://blog.example/rel">rel</a></p>'
    )


def test_metadata_from_json_ld_and_meta_tags():
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished":'
        ' "2023-02-01T10:00:00Z", "author": [{"name": "A"}, {"name": "B"}],'
        ' "keywords": "one, two"}</script>'
        '<meta property="article:tag" content="Three">'
    )
    content = parse_article(page("<article><p>Text.</p></article>", head))
    assert content.author == "A, B"
    assert str(content.published) == "2023-02-01"
    assert content.tags == ("Three", "one", "two")


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


def test_unknown_iframes_are_dropped_and_known_ones_embedded():
    content = parse_article(
        page(
            "<article><p>Intro text here.</p>"
            "<iframe src='https://ads.example/frame'></iframe>"
            "<iframe src='https://www.youtube.com/embed/xyz'></iframe></article>"
        )
    )
    assert [block.as_json() for block in content.blocks[1:]] == [
        {"type": "embed", "value": "https://www.youtube.com/watch?v=xyz"}
    ]
