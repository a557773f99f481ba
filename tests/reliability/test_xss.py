"""Hostile markup in imported tag pages: nothing unsafe is stored and nothing runs.

Each payload of the corpus is imported through :func:`importer.import_tagpage` from a
generated page. The stored values are checked, then the pages a visitor or an editor sees
are rendered by the server (statically checked here) and loaded in a real browser
(``test_xss_browser.py``).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from wagtail_tagfeed.errors import TagfeedError
from wagtail_tagfeed.importer import import_tagpage
from wagtail_tagfeed.models import ArticlePage
from wagtail_tagfeed.options import ImportOptions

from .hostile import (
    ALLOWED_SUMMARY_TAGS,
    IGNORED_IN_URLS,
    hostile_page,
    is_safe_url,
    load_corpus,
)
from .pages import SITE

CORPUS = load_corpus()
SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "background")


def import_corpus(parent, folder) -> dict[int, str]:
    """Import every payload's page below ``parent``: payload id -> "imported" or the error."""
    outcomes = {}
    for snippet in CORPUS:
        path = folder / f"hostile-{snippet.id}.html"
        path.write_text(hostile_page(snippet), encoding="utf-8")
        options = ImportOptions(base_url=f"{SITE}/news/tag/turkey")
        try:
            import_tagpage([str(path)], parent=parent, options=options)
        except TagfeedError as error:
            outcomes[snippet.id] = f"rejected: {error}"
        else:
            outcomes[snippet.id] = "imported"
    return outcomes


def assert_stored_safely(article: ArticlePage) -> None:
    soup = BeautifulSoup(article.summary, "html.parser")
    for element in soup.find_all(True):
        assert element.name in ALLOWED_SUMMARY_TAGS, (article.pk, element.name)
        allowed = {"href"} if element.name == "a" else set()
        assert set(element.attrs) <= allowed, (article.pk, element.attrs)
        if "href" in element.attrs:
            assert is_safe_url(element["href"]), (article.pk, element["href"])
    assert "<script" not in article.summary.lower()
    parts = urlsplit(article.source_url)
    assert parts.scheme in ("http", "https") and parts.hostname, article.source_url
    assert not re.search(r"[\s<>\"]", article.source_url), article.source_url
    for text in (article.title, *(tag.name for tag in article.tags.all())):
        assert not CONTROL.search(text), (article.pk, text)


def has_unsafe_scheme(url: str) -> bool:
    """Whether ``url`` (relative ones are fine) has a scheme other than http(s)/mailto."""
    return bool(SCHEME.match(IGNORED_IN_URLS.sub("", html.unescape(url)))) and not is_safe_url(url)


def executable_markup(html_text: str) -> list[str]:
    """Everything in a rendered page that could run a payload: script, handler or URL."""
    soup = BeautifulSoup(html_text, "html.parser")
    found = []
    for element in soup.find_all(True):
        if element.name in ("script", "style") and "__pwned" in element.get_text():
            found.append(str(element)[:120])
        for name, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name.lower().startswith("on") and "__pwned" in value:
                found.append(f"{element.name}[{name}]")
            if name.lower() in URL_ATTRIBUTES and has_unsafe_scheme(value):
                found.append(f"{element.name}[{name}={value[:60]}]")
        risky = element.name in ("base", "iframe", "object", "embed", "svg", "math") or (
            element.name == "meta" and element.has_attr("http-equiv")
        )
        if risky and "__pwned" in str(element):
            found.append(str(element)[:120])
    return found


@pytest.mark.slow
def test_corpus_is_large_and_covers_every_class():
    assert len(CORPUS) >= 100
    assert len({snippet.category for snippet in CORPUS}) >= 8


@pytest.mark.slow
def test_hostile_pages_store_and_render_only_safe_values(tag_index, tmp_path):
    outcomes = import_corpus(tag_index, tmp_path)
    rejected = {key: value for key, value in outcomes.items() if value != "imported"}
    # Only a page whose payload puts NUL bytes all over it is refused (as binary data).
    assert set(rejected) <= {155}, rejected
    articles = ArticlePage.objects.all()
    # Unclosed markup in one item may swallow the next one, which is then not imported.
    assert articles.count() >= 2.5 * (len(CORPUS) - len(rejected))
    for article in articles:
        assert_stored_safely(article)

    type(tag_index).objects.filter(pk=tag_index.pk).update(per_page=200)
    client = Client()
    index = tag_index.url
    urls = [index, f"{index}?page=2", f"{index}?page=3", f"{index}tag/turkey/"]
    urls += [article.url for article in articles.filter(slug__startswith="hostile")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert executable_markup(response.content.decode()) == [], url
    for kind in ("rss", "atom"):
        feed = client.get(f"{index}feed/{kind}/").content.decode()
        assert "<script" not in feed.lower() and " onerror=" not in feed.lower()

    # Markup written as text in a title stays text: stored as written, shown escaped.
    article = articles.get(source_url__contains="hostile-16-a")
    assert "<script>__pwned(16)</script>" in article.title
    page = client.get(article.url).content.decode()
    assert "&lt;script&gt;__pwned(16)&lt;/script&gt;" in page
    assert "<script>__pwned(16)" not in page


def test_the_static_check_can_fail():
    page = '<p><img src=x onerror="__pwned(1)"><a href=" java&#x09;script:__pwned(2)">x</a></p>'
    assert len(executable_markup(page)) == 2
