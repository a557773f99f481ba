"""Items from structured data: JSON-LD, microdata and h-entry."""

from __future__ import annotations

import datetime
import json

from .conftest import page


def json_ld(data) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


ITEM_LIST = {
    "@context": "https://schema.org",
    "@type": "CollectionPage",
    "mainEntity": {
        "@type": "ItemList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": n,
                "item": {
                    "@type": "NewsArticle",
                    "url": f"https://news.example/story-{n}",
                    "headline": f"Headline {n}",
                    "description": f"Description of story {n}.",
                    "datePublished": f"2024-02-0{n}T08:00:00Z",
                    "image": {"@type": "ImageObject", "url": f"/img/{n}.jpg"},
                },
            }
            for n in (1, 2, 3)
        ],
    },
}


def test_json_ld_alone_gives_items(parse):
    html = page("<main><h1>Tag: turkey</h1><p>Nothing else here.</p></main>", json_ld(ITEM_LIST))
    listing = parse(html, url="https://news.example/tag/turkey")
    assert [item.url for item in listing.items] == [
        "https://news.example/story-1",
        "https://news.example/story-2",
        "https://news.example/story-3",
    ]
    first = listing.items[0]
    assert first.title == "Headline 1"
    assert first.summary_text == "Description of story 1."
    assert first.published == datetime.date(2024, 2, 1)
    assert first.image == "https://news.example/img/1.jpg"


def test_json_ld_urls_combine_with_markup_summaries(parse):
    blocks = "".join(
        f'<div class="card"><h3><a href="/story-{n}">Markup title {n}</a></h3>'
        f"<p>Markup teaser for story {n}, with more words than the description.</p></div>"
        for n in (1, 2, 3)
    )
    html = page(f"<main>{blocks}</main>", json_ld(ITEM_LIST))
    listing = parse(html, url="https://news.example/tag/turkey")
    assert [item.title for item in listing.items] == [
        "Markup title 1",
        "Markup title 2",
        "Markup title 3",
    ]
    assert listing.items[1].summary_text.startswith("Markup teaser for story 2")
    assert listing.items[1].published == datetime.date(2024, 2, 2)
    assert listing.items[1].image == "https://news.example/img/2.jpg"


def test_blog_posts_array_and_graph(parse):
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "url": "https://b.example/"},
            {
                "@type": "Blog",
                "blogPost": [
                    {"@type": "BlogPosting", "url": "/a", "headline": "A"},
                    {"@type": "BlogPosting", "url": "/b", "headline": "B"},
                ],
            },
        ],
    }
    listing = parse(page("<main><p>x</p></main>", json_ld(data)), url="https://b.example/tag/x/")
    assert [item.title for item in listing.items] == ["A", "B"]


def test_single_article_json_ld_is_not_a_listing(parse):
    data = {"@type": "Article", "url": "https://b.example/a", "headline": "A"}
    blocks = "".join(
        f'<li><h2><a href="/p{n}">Post {n} title</a></h2>'
        f"<p>Teaser text {n} of some length.</p></li>"
        for n in range(3)
    )
    listing = parse(page(f"<main><ul>{blocks}</ul></main>", json_ld(data)))
    assert [item.title for item in listing.items] == [
        "Post 0 title",
        "Post 1 title",
        "Post 2 title",
    ]


def test_invalid_json_ld_is_ignored(parse):
    blocks = "".join(
        f'<li><h2><a href="/p{n}">Post {n} title</a></h2><p>Teaser text {n}.</p></li>'
        for n in range(2)
    )
    html = page(f"<ul>{blocks}</ul>", '<script type="application/ld+json">{oops</script>')
    assert len(parse(html).items) == 2


def test_microdata_articles(parse):
    blocks = "".join(
        f'<div itemscope itemtype="https://schema.org/BlogPosting">'
        f'<a itemprop="url" href="/m{n}"><span itemprop="headline">Micro {n}</span></a>'
        f'<meta itemprop="datePublished" content="2023-0{n}-15">'
        f'<div itemprop="description"><p>About micro {n}.</p></div></div>'
        for n in (1, 2)
    )
    listing = parse(page(f"<main>{blocks}</main>"))
    assert [item.title for item in listing.items] == ["Micro 1", "Micro 2"]
    assert listing.items[1].published == datetime.date(2023, 2, 15)
    assert listing.items[1].summary_text == "About micro 2."


def test_h_entries(parse):
    blocks = "".join(
        f'<div class="h-entry"><a class="u-url p-name" href="/e{n}">Entry {n} title</a>'
        f'<time class="dt-published" datetime="2022-11-0{n}">Nov {n}</time>'
        f'<p class="p-summary">Summary of entry {n}.</p>'
        f'<a class="p-category" href="/tag/x">x</a></div>'
        for n in (1, 2, 3)
    )
    listing = parse(page(f"<main><div class='h-feed'>{blocks}</div></main>"))
    assert [item.url for item in listing.items] == [
        "https://blog.example/e1",
        "https://blog.example/e2",
        "https://blog.example/e3",
    ]
    assert listing.items[0].published == datetime.date(2022, 11, 1)
    assert listing.items[0].summary_text == "Summary of entry 1."
    assert listing.items[0].tags == ("x",)
