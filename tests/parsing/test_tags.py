"""The page's tag: from the heading, the title, the URL, then the body classes."""

from __future__ import annotations

import pytest

from wagtail_tagfeed.parsing.tags import (
    detect_tag,
    tag_from_body_classes,
    tag_from_heading,
    tag_from_title,
    tag_from_url,
    taxonomy_prefix,
)


@pytest.mark.parametrize(
    ("heading", "tag"),
    [
        ("Contents tagged with turkey", "turkey"),
        ("Tag: turkey", "turkey"),
        ("Tagged: Turkey", "Turkey"),
        ("Posts tagged “turkey”", "turkey"),
        ("Posts Tagged 'turkey'", "turkey"),
        ("Archive for the \u2018turkey\u2019 Category", "turkey"),
        ("Category: Middle East", "Middle East"),
        ("Category Archives: turkey", "turkey"),
        ("Tag Archives: turkey", "turkey"),
        ("#turkey", "turkey"),
        ("Articles about the topic: turkey", "turkey"),
    ],
)
def test_tag_from_heading(heading, tag):
    assert tag_from_heading(heading) == tag


@pytest.mark.parametrize("heading", ["Other articles", "Turkey travel notes", "", None])
def test_headings_that_name_no_tag(heading):
    assert tag_from_heading(heading) is None


@pytest.mark.parametrize(
    ("url", "tag"),
    [
        ("https://b.example/tag/turkey/", "turkey"),
        ("https://b.example/news/tags/turkey", "turkey"),
        ("https://b.example/category/travel/turkey/", "travel"),
        ("https://b.example/tag/turkey.html", "turkey"),
        ("https://b.example/tag/turkey/page/2/", "turkey"),
        ("https://b.example/search?tag=turkey", "turkey"),
        ("https://b.example/tag/", None),
        ("https://b.example/blog/turkey/", None),
        (None, None),
    ],
)
def test_tag_from_url(url, tag):
    assert tag_from_url(url) == tag


def test_tag_from_title_splits_off_the_site_name():
    assert tag_from_title("Tag: Türkei | Fernweh & Filterkaffee") == "Türkei"
    assert tag_from_title("Posts tagged turkey \u2013 My blog") == "turkey"
    assert tag_from_title("Lowland Notes - turkey") is None


def test_tag_from_body_classes():
    assert tag_from_body_classes(("archive", "tag", "tag-turkey", "tag-14")) == "turkey"
    assert tag_from_body_classes(("tag-template", "term-turkey")) == "turkey"
    assert tag_from_body_classes(("home", "blog")) is None


def test_detect_tag_prefers_heading_then_title_then_url_then_body():
    assert detect_tag("Tag: Kebab", "https://b.example/tag/turkey/", ("tag-x",)) == "kebab"
    assert detect_tag("News", "https://b.example/tag/turkey/", (), "Tag: Türkei | S") == "türkei"
    assert detect_tag("News", "https://b.example/tag/turkey/", ("tag-x",)) == "turkey"
    assert detect_tag(None, "https://b.example/", ("tag-turkey",)) == "turkey"
    assert detect_tag(None, None, ()) is None


def test_taxonomy_prefix():
    assert taxonomy_prefix("https://b.example/blog/category/turkey/") == "/blog/category/"
    assert taxonomy_prefix("https://b.example/tag/turkey.html") == "/tag/"
    assert taxonomy_prefix("https://b.example/blog/") is None


@pytest.mark.parametrize(
    ("heading", "tag"),
    [
        ("カテゴリ：非常識", "非常識"),
        ("Рубрика: Новости спорта", "Новости спорта"),
        ("Archivo de la categoría: Viajes", "Viajes"),
        ("Kategoria: Polityka", "Polityka"),
        ("Archivi della categoria » Calcio", "Calcio"),
        ("分类：科技", "科技"),
    ],
)
def test_taxonomy_labels_in_other_languages(heading, tag):
    assert tag_from_heading(heading) == tag


@pytest.mark.parametrize("heading", ["Strona główna", "Home - blog", "Why: a question"])
def test_headings_with_a_separator_but_no_taxonomy_label(heading):
    assert tag_from_heading(heading) is None


def test_on_a_category_page_the_shown_name_is_the_tag():
    url = "https://b.example/archives/cat_103640.html"
    assert detect_tag("非常識", url) == "非常識"
    assert detect_tag(None, url, title="非常識 : 鬼女ナンデス") == "非常識"
    assert detect_tag(None, "https://b.example/c/12/", ("category",), None, "Viajes") == "viajes"


def test_a_word_slug_wins_over_the_shown_name_and_an_id_slug_does_not():
    assert detect_tag("Стратегии", "https://b.example/category/strategy") == "strategy"
    assert detect_tag("Middle East", "https://b.example/category/12") == "middle east"


def test_news_sections_and_blog_indexes_have_no_tag():
    assert detect_tag("Nyheter", "https://b.example/nyheter/") is None
    assert detect_tag("Blog", "https://b.example/category/", ("category",)) is None


def test_a_site_name_after_an_archive_title_is_no_tag():
    assert tag_from_title("Parenting Archives - Eco Child's Play") is None


def test_a_forum_boards_name_is_its_tag():
    url = "https://forum.example/forum/index.php?board=18.0"
    assert detect_tag(None, url, title="Analog discussion") == "analog discussion"
    assert detect_tag(None, "https://forum.example/viewforum.php?f=2", (), "Off topic") == (
        "off topic"
    )
