"""Article pages -> body blocks and metadata, on pages from real blogging software and real
news sites (the classes of failure each excerpt stands for are in its ``expected.json``)."""

import gzip
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from wagtail_tagfeed import extract
from wagtail_tagfeed.cleaning import clean_article
from wagtail_tagfeed.fetching import FetchPolicy, fetch
from wagtail_tagfeed.listing import Document
from wagtail_tagfeed.parsing.article import parse_article as parse_raw


def parse_article(document: Document):
    """What the importer stores: the raw article, cleaned."""
    return clean_article(parse_raw(document))


DATA = Path(__file__).parents[1] / "data"
ARTICLES = DATA / "articles"
FIXTURES = sorted(path.name for path in ARTICLES.iterdir() if path.is_dir())
EXCERPTS = sorted(path for path in (DATA / "article-excerpts").iterdir() if path.is_dir())


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


def test_a_page_without_text_has_no_blocks():
    assert parse_article(page("<div> <span></span><script>text()</script></div>")).blocks == ()


def test_a_page_with_only_a_line_of_text_gives_that_line():
    assert parse_article(page("<div>Only this.</div>")).text == "Only this."


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


@pytest.mark.parametrize("folder", EXCERPTS, ids=lambda folder: folder.name)
def test_real_pages_that_defeated_the_extractor(folder):
    expected = json.loads((folder / "expected.json").read_text())
    content = extract.article(
        gzip.decompress((folder / "page.html.gz").read_bytes()), expected["url"]
    )
    text = " ".join(content.text.split())
    for part in expected["text_has"]:
        assert part in text
    for part in expected["text_lacks"]:
        assert part not in text
    captions = [block.value["caption"] for block in content.blocks if block.type == "image"]
    for caption in expected.get("captions", []):
        assert any(caption in found for found in captions)
        assert caption not in text


def test_there_is_an_excerpt_for_each_class_of_failure():
    classes = {json.loads((f / "expected.json").read_text())["issue_class"] for f in EXCERPTS}
    assert classes >= {1, 2, 3, 4, 5}


def test_chrome_words_on_the_wrappers_of_the_text_do_not_hide_it():
    paragraphs = "<p>A paragraph of the article, long enough to count as one.</p>" * 4
    html = (
        "<html><body class='one-sidebar sidebar-second'>"
        "<div class='site-content has-sidebar'><div class='elementor-widget-container'>"
        f"{paragraphs}</div></div>"
        "<aside class='sidebar'><p>Archives and other widgets here.</p></aside></body></html>"
    )
    content = parse_article(Document(html.encode(), "test", url="https://x.example/"))
    assert content.text.count("A paragraph of the article") == 4
    assert "Archives" not in content.text


def test_text_in_a_named_body_without_paragraphs_counts():
    lines = "<br>".join(
        f"Line {n} of the story, which is written without paragraphs." for n in range(6)
    )
    content = parse_article(
        page(
            "<div class='menu'><a href='/'>Home</a></div>"
            f"<div itemprop='articleBody'>{lines}</div>"
        )
    )
    assert "Line 5 of the story" in content.text
    assert "Home" not in content.text


def test_a_body_of_preformatted_text_keeps_its_lines():
    content = parse_article(
        page("<article><pre>first line of the poem\nsecond line</pre></article>")
    )
    assert content.blocks[0].value == "<p>first line of the poem<br>second line</p>"


def test_hidden_gallery_captions_and_print_headers_are_not_text():
    body = (
        "<article><div class='print-only'>Printed from news.example on 3 March</div>"
        "<p>The article's first paragraph, long enough to be one.</p>"
        "<div class='gallery'><img src='/1.jpg' alt='One'>"
        "<span class='visually-hidden'>Image 1 of 9</span><p hidden>Caption Close</p></div>"
        "<p>The article's second paragraph, long enough to be one.</p></article>"
    )
    text = parse_article(page(body)).text
    assert "second paragraph" in text
    for hidden in ("Printed from", "Image 1 of 9", "Caption Close"):
        assert hidden not in text


def test_captions_belong_to_their_images_not_to_the_text():
    body = (
        "<article><p>The article's first paragraph, long enough to be one.</p>"
        "<div class='wp-caption'><img src='/a.jpg' alt='A harbour'>"
        "<p class='wp-caption-text'>The harbour at dawn, seen from the ferry.</p></div>"
        "<figure><img src='/b.jpg' alt=''><figcaption>A long caption that tells the story of"
        " the photograph in more words than most paragraphs.</figcaption></figure>"
        "<p>The article's second paragraph, long enough to be one.</p></article>"
    )
    content = parse_article(page(body))
    images = [block.value for block in content.blocks if block.type == "image"]
    assert [image["caption"][:11] for image in images] == ["The harbour", "A long capt"]
    assert images[0]["alt"] == "A harbour"
    assert "harbour at dawn" not in content.text
    assert "A long caption" not in content.text


def test_what_closes_an_article_is_not_its_text():
    story = "<p>A paragraph of the story, long enough to count as one.</p>" * 6
    related = "".join(f"<li><a href='/s/{n}'>Another story number {n}</a></li>" for n in range(5))
    body = (
        f"<article><div class='entry-content'>{story}"
        "<p>Tags: <a href='/t/a'>harbours</a>, <a href='/t/b'>ferries</a></p>"
        f"<h3>Related articles</h3><ul>{related}</ul>"
        "<div class='comment-rules'><p>Comments are moderated: be kind.</p></div>"
        "</div></article>"
    )
    content = parse_article(page(body))
    assert content.text.count("A paragraph of the story") == 6
    for closing in ("Tags:", "Related articles", "Another story", "Comments are moderated"):
        assert closing not in content.text


@pytest.mark.parametrize("tag", ["div", "span", "blockquote"])
def test_absurdly_deep_nesting_is_not_a_crash(tag):
    story = "<p>A paragraph of the story, long enough to count as one.</p>" * 3
    deep = f"<{tag} class='author'>x" * 3000 + "deep" + f"</{tag}>" * 3000
    content = parse_article(page(f"<article>{story}{deep}</article>"))
    assert content.text.count("A paragraph of the story") == 3


def test_a_page_drawn_by_scripts_gives_the_text_of_its_json_ld():
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "articleBody":'
        ' "The first paragraph of the story, which only scripts show.\\nThe second one &amp;'
        ' the last, long enough to be worth more than the page shows."}</script>'
    )
    content = parse_article(page("<div id='app'>Loading…</div>", head))
    assert content.text == (
        "The first paragraph of the story, which only scripts show.\n\n"
        "The second one & the last, long enough to be worth more than the page shows."
    )
