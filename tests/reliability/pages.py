"""Tag-listing pages generated from the seed's markup, for hostile, large and changing input.

The layout is the seed's (a Drupal taxonomy view): an ``h1`` naming the tag, then
``div.views-row`` teasers with a title link, a ``time``, an image, teaser paragraphs and
``rel=tag`` links, then a pager. Every value is inserted as it is given, so a caller can
place raw markup anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SITE = "https://news.example"


@dataclass
class Item:
    """One teaser; each field is inserted into the page unescaped."""

    url: str
    title: str
    teaser: str = "<p>A teaser paragraph with a few words about the story, cut short …</p>"
    date: str = "2024-05-01"
    date_text: str = "1 May 2024"
    image: str = "/files/picture.jpg"
    image_alt: str = "A picture"
    tags: list[str] = field(default_factory=lambda: ["turkey"])
    extra: str = ""


def item(number: int, prefix: str = "story", **fields) -> Item:
    """A plain item with a unique URL and title."""
    fields.setdefault("url", f"{SITE}/{prefix}-{number}")
    fields.setdefault("title", f"Story number {number} about Turkey")
    return Item(**fields)


def render_item(entry: Item) -> str:
    tags = " ".join(
        f'<a href="/news/tag/t{n}" rel="tag">{tag}</a>' for n, tag in enumerate(entry.tags)
    )
    return f"""
    <div class="views-row">
      <div class="node node--type-article node--view-mode-teaser">
        <h3 class="node__title"><a href="{entry.url}" rel="bookmark">{entry.title}</a></h3>
        <p class="node__meta"><time datetime="{entry.date}">{entry.date_text}</time></p>
        <img class="node__image" src="{entry.image}" alt="{entry.image_alt}">
        <div class="node__content field--name-body">{entry.teaser}</div>
        <div class="field--name-tags">{tags}</div>{entry.extra}
      </div>
    </div>"""


def tag_page(
    items: list[Item],
    *,
    tag: str = "turkey",
    page_url: str = f"{SITE}/news/tag/turkey",
    next_url: str | None = None,
    head: str = "",
) -> str:
    """A whole tag-listing page holding ``items``, with a pager link to ``next_url``."""
    pager = (
        f'<nav class="pager" role="navigation"><ul class="pager__items">'
        f'<li class="pager__item pager__item--next"><a href="{next_url}" rel="next">'
        f"next ›</a></li></ul></nav>"
        if next_url
        else ""
    )
    rows = "".join(render_item(entry) for entry in items)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{tag} | News Wire</title>
<link rel="canonical" href="{page_url}">{head}
</head>
<body class="path-taxonomy page-tag">
<header class="site-header"><nav role="navigation" class="main-menu"><ul class="menu">
<li><a href="/news">News</a></li><li><a href="/about">About us</a></li></ul></nav></header>
<main>
<h1 class="page-title">Contents tagged with {tag}</h1>
<div class="view view-taxonomy-term"><div class="view-content">{rows}
</div>{pager}</div>
<aside class="layout-sidebar-first" role="complementary"><h2>Tags</h2>
<a href="/news/tag/russia">russia</a> <a href="/news/tag/nato">nato</a></aside>
</main>
<footer class="site-footer" role="contentinfo"><p>&copy; 2020 News Wire.</p></footer>
</body>
</html>
"""
