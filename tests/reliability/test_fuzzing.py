"""Random and mutated tag pages: the pure stages fail only in documented ways and keep bounds.

Pages are mutations of the real fixtures (elements deleted, duplicated or swapped, bytes cut,
random tags, attributes and entities injected, deep nesting, other encodings). Each example
runs under ``signal.alarm``, so a hang fails the example instead of blocking the run.
"""

from __future__ import annotations

import contextlib
import signal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wagtail_tagfeed.cleaning import clean_listing, clean_summary
from wagtail_tagfeed.errors import TagfeedError
from wagtail_tagfeed.listing import Document
from wagtail_tagfeed.parsing import parse_listing
from wagtail_tagfeed.truncation import truncate_html

DATA = Path(__file__).resolve().parents[1] / "data"
FIXTURES = sorted([*DATA.glob("listings/*/page*.html"), *DATA.glob("seed/*.html")])
PAGES = [path.read_bytes() for path in FIXTURES]
MAX_ITEMS = 5
HANG_SECONDS = 20
ALLOWED_TAGS = {"p", "b", "i", "a", "br", "ul", "ol", "li"}
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)

TAGS = ["div", "p", "a", "h1", "h3", "article", "li", "ul", "script", "style", "svg", "time"]
SNIPPETS = st.sampled_from(
    [
        "<div>",
        "</div>",
        "<a href='javascript:alert(1)'>x</a>",
        "<a href='/relative'>y</a>",
        "&amp;",
        "&#0;",
        "&#x110000;",
        "&nbsp;…",
        "<!--",
        "<![CDATA[",
        "<script>",
        "<plaintext>",
        "<svg><style>",
        "\x00",
        "\ufeff",
        "<time datetime='9999-99-99'>",
        '<img src="data:,x" onerror=1>',
        "<a href='http://[::1'>bad</a>",
    ]
)


class Hang(Exception):
    pass


@contextlib.contextmanager
def hang_guard():
    """Fail with :class:`Hang` when the block runs longer than HANG_SECONDS."""

    def alarm(signum, frame):
        raise Hang(f"no answer within {HANG_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(HANG_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@st.composite
def mutated_pages(draw) -> bytes:
    page = bytearray(draw(st.sampled_from(PAGES)))
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "truncate", "inject", "nest"]))
        start = draw(st.integers(0, max(len(page) - 1, 0)))
        length = draw(st.integers(1, 4000))
        chunk = bytes(page[start : start + length])
        if kind == "delete":
            del page[start : start + length]
        elif kind == "duplicate":
            page[start:start] = chunk * draw(st.integers(1, 5))
        elif kind == "swap":
            other = draw(st.integers(0, max(len(page) - 1, 0)))
            page[start : start + length] = page[other : other + length]
            page[other:other] = chunk
        elif kind == "truncate":
            del page[start:]
        elif kind == "inject":
            name = draw(st.sampled_from(TAGS))
            attribute = draw(st.sampled_from(["class=views-row", "href=/x", "onclick=1", "x"]))
            text = draw(SNIPPETS) + f"<{name} {attribute}>" + draw(st.text(max_size=20))
            page[start:start] = text.encode("utf-8", "surrogatepass")
        else:
            depth = draw(st.integers(100, 3000))
            name = draw(st.sampled_from(["div", "b", "span", "ul"]))
            page[start:start] = (f"<{name}>" * depth).encode()
    if draw(st.booleans()):
        codec = draw(st.sampled_from(["utf-16", "cp1254", "latin-1", "shift_jis", "utf-8"]))
        page = bytearray(page.decode("utf-8", "replace").encode(codec, "replace"))
    return bytes(page)


def check_listing(content: bytes, encoding: str | None) -> None:
    document = Document(content, "fuzz", "https://news.example/tag/x", encoding)
    try:
        with hang_guard():
            listing = clean_listing(parse_listing(document, max_items=MAX_ITEMS, max_depth=256))
    except TagfeedError:
        return
    assert len(listing.items) <= MAX_ITEMS
    for item in listing.items:
        assert item.url.startswith(("http://", "https://"))
        assert item.image is None or item.image.startswith(("http://", "https://"))
        assert_clean_html(item.summary_html)
    for url in (listing.next_page, listing.page_url):
        assert url is None or url.startswith(("http://", "https://"))


def assert_clean_html(html: str) -> None:
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        assert element.name in ALLOWED_TAGS, element.name
        assert set(element.attrs) <= ({"href"} if element.name == "a" else set())
        if element.name == "a":
            assert element["href"].startswith(("http://", "https://", "mailto:"))


@FUZZ
@given(mutated_pages(), st.sampled_from([None, "utf-8", "cp1254", "x-unknown"]))
def test_mutated_fixtures(content, encoding):
    check_listing(content, encoding)


@FUZZ
@given(st.binary(max_size=5000))
def test_random_bytes(content):
    check_listing(content, None)


@FUZZ
@given(st.text(max_size=3000) | st.lists(SNIPPETS | st.text(max_size=10)).map("".join))
def test_clean_summary_output_is_clean(html):
    with hang_guard():
        cleaned, truncated = clean_summary(html, "https://news.example/")
    assert isinstance(truncated, bool)
    assert_clean_html(cleaned)


@FUZZ
@given(
    st.text(max_size=3000)
    | st.lists(SNIPPETS | st.sampled_from(["one two ", "<p>", "</b>"])).map("".join),
    st.integers(-3, 60),
)
def test_truncation_stays_within_the_word_limit(html, words):
    if words < 0:
        with pytest.raises(ValueError):
            truncate_html(html, words=words)
        return
    with hang_guard():
        cut = truncate_html(html, words=words, ellipsis="")
    text = BeautifulSoup(cut, "html.parser").get_text(" ")
    assert len(text.split()) <= max(
        words, len(BeautifulSoup(html, "html.parser").get_text(" ").split())
    )
    if cut != html:
        kept = BeautifulSoup(cut, "lxml")
        for element in kept.find_all(["script", "style"]):
            element.decompose()
        assert len(kept.get_text("").split()) <= words


def test_deep_nesting_is_not_a_crash():
    page = b"<html><body><h1>Tagged x</h1>" + b"<div>" * 100_000 + b"</body></html>"
    with hang_guard(), pytest.raises(TagfeedError):
        parse_listing(Document(page, "deep", "https://news.example/"), max_depth=512)


def test_the_hang_guard_can_fail():
    with pytest.raises(Hang), hang_guard():
        signal.alarm(1)
        signal.pause()
