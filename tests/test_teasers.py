"""Teasers: the source's "…" put back once, and summaries that only repeat the body's lead."""

import pytest

from wagtail_tagfeed.teasers import paragraphs, plain_text, starts_body, with_ellipsis
from wagtail_tagfeed.truncation import truncate_html


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>this partnership is strategic,</p>", "<p>this partnership is strategic,…</p>"),
        ("<p>One.</p><p>Two and</p>", "<p>One.</p><p>Two and…</p>"),
        ("<p>Read <b>on</b></p>", "<p>Read <b>on</b>…</p>"),
        ('<p>See <a href="/x">this</a></p>', '<p>See <a href="/x">this</a>…</p>'),
        ("<ul><li>one</li><li>two</li></ul>", "<ul><li>one</li><li>two…</li></ul>"),
        ("<p>one base station.</p>", "<p>one base station.\u00a0…</p>"),
        ("<p>ends in spaces   </p>", "<p>ends in spaces…   </p>"),
        ("plain text", "plain text…"),
    ],
)
def test_the_ellipsis_follows_the_last_word(html, expected):
    assert with_ellipsis(html) == expected


@pytest.mark.parametrize("html", ["", "<p></p>", "<p>Cut…</p>", "<p>Cut...</p>", "<p>“Cut…”</p>"])
def test_no_ellipsis_for_nothing_or_a_second_one(html):
    assert with_ellipsis(html) == html


@pytest.mark.parametrize("words", range(1, 8))
def test_one_ellipsis_whatever_the_template_cuts(words):
    """Six words: the source's "…" stays when nothing is cut, the template's replaces it."""
    shown = truncate_html(with_ellipsis("<p>One two three.</p><p>Four five six</p>"), words=words)
    assert shown.count("…") == 1
    assert shown.endswith("six…</p>") == (words >= 6)


def test_paragraphs_compare_letters_and_digits_only():
    assert paragraphs("<p>“We never,” he said…</p><ul><li>S-400 &amp; F-35</li></ul><p> </p>") == [
        "weneverhesaid",
        "s400f35",
    ]


def test_plain_text_keeps_paragraphs_apart():
    assert plain_text("<p>One.</p><p>Two &amp; <b>three</b></p>") == "One. Two & three"


@pytest.mark.parametrize(
    ("summary", "body", "starts"),
    [
        # The teaser is the first paragraphs, the last one cut short.
        ("<p>One two.</p><p>Three four</p>", ["<p>One two.</p>", "<p>Three four five.</p>"], True),
        # Markup, quotes and spacing differ.
        ('<p>"One <b>two</b>."</p>', ["<p>“One two.”</p><p>Three.</p>"], True),
        # One teaser paragraph made of two body paragraphs.
        ("<p>One two. Three</p>", ["<p>One two.</p>", "<p>Three four.</p>"], True),
        # Each teaser paragraph cut within the body's paragraph at the same place.
        ("<p>One two</p><p>Four five.</p>", ["<p>One two three.</p>", "<p>Four five.</p>"], True),
        # A standfirst of its own.
        ("<p>In short: one.</p>", ["<p>One two.</p>"], False),
        ("<p>One two.</p><p>Three</p>", ["<p>One two.</p>"], False),
        ("<p>One two.</p>", [], False),
        ("", ["<p>One two.</p>"], False),
    ],
)
def test_summary_starts_the_body(summary, body, starts):
    body_paragraphs = [key for html in body for key in paragraphs(html)]
    assert starts_body(paragraphs(summary), body_paragraphs) is starts


def test_the_body_is_read_only_as_far_as_needed():
    read = []

    def body():
        for text in ("one", "two", "three", "four"):
            read.append(text)
            yield text

    assert starts_body(["one", "tw"], body())
    assert read == ["one", "two"]
