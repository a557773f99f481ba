import html as html_module
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils.text import Truncator

from wagtail_tagfeed.truncation import BLOCK_TAGS, VOID_TAGS, truncate_html

SEED = Path(__file__).parent / "data" / "seed" / "tag-listing-turkey.html"


class _Reader(HTMLParser):
    """Visible text and tag balance of an HTML fragment, the way the tests see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[str] = []
        self.balanced = True
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS or tag == "br":
            self.parts.append(" ")
        if tag in ("script", "style"):
            self.hidden += 1
        if tag not in VOID_TAGS:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1
        if tag not in self.stack:
            if tag in ("p", "br"):  # browsers make an empty paragraph, or a line break
                self.parts.append(" ")
            self.balanced = False
            return
        while self.stack:
            top = self.stack.pop()
            if top in BLOCK_TAGS:
                self.parts.append(" ")
            if top == tag:
                break
            self.balanced = False

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def visible_text(html: str, ellipsis: str = "") -> str:
    """The whitespace-collapsed visible text, without a trailing ``ellipsis``."""
    text = " ".join("".join(read(html).parts).split())
    if ellipsis and text.endswith(ellipsis):
        text = text[: -len(ellipsis)].rstrip()
    return text


def is_well_formed(html: str) -> bool:
    reader = read(html)
    return reader.balanced and not reader.stack


def django_words(html: str, words: int) -> str:
    return Truncator(html).words(words, html=True, truncate="…")


@pytest.fixture(scope="module")
def teasers() -> list[str]:
    html = SEED.read_text(encoding="utf-8")
    found = re.findall(r'<div class="node__content[^"]*">(.*?)</div>', html, re.S)
    assert len(found) == 10
    return [teaser.strip() for teaser in found]


@pytest.fixture(scope="module")
def title_links() -> list[str]:
    html = SEED.read_text(encoding="utf-8")
    return re.findall(r'<h3 class="node__title">(.*?)</h3>', html)


# Limits


def test_no_limit_returns_the_input():
    html = "<p>One two three</p>"
    assert truncate_html(html) is html


@pytest.mark.parametrize("limits", [{"words": -1}, {"chars": -1}, {"words": 3, "chars": -2}])
def test_negative_limits_are_rejected(limits):
    with pytest.raises(ValueError, match="negative"):
        truncate_html("<p>One</p>", **limits)


def test_zero_words_keeps_nothing():
    assert truncate_html("<p>One two</p>", words=0) == ""


def test_input_without_text_is_never_cut():
    html = '<div><img src="a.png"><!-- note --></div>'
    assert truncate_html(html, words=0) == html


def test_stricter_limit_wins():
    html = "<p>Alpha beta gamma delta epsilon</p>"
    assert truncate_html(html, words=2, chars=100) == "<p>Alpha beta…</p>"
    assert truncate_html(html, words=4, chars=12) == "<p>Alpha beta…</p>"
    assert truncate_html(html, words=4, chars=6) == truncate_html(html, chars=6)


# Words


def test_word_spans_inline_tags():
    assert truncate_html("<p>foo<b>bar</b> baz qux</p>", words=2) == "<p>foo<b>bar</b> baz…</p>"


def test_block_edges_and_line_breaks_separate_words():
    assert truncate_html("<p>one</p><p>two</p><p>three</p>", words=2) == ("<p>one</p><p>two…</p>")
    assert truncate_html("<p>one<br>two<br>three</p>", words=2) == "<p>one<br>two…</p>"


def test_whitespace_between_tags_is_not_a_word():
    html = "<p>one</p>\n\n   <p>two</p>\n<p>three</p>"
    assert truncate_html(html, words=2) == "<p>one</p>\n\n   <p>two…</p>"


def test_entities_count_as_text_and_nbsp_separates_words():
    html = "<p>caf&eacute;&nbsp;au lait &amp; cr&egrave;me</p>"
    assert truncate_html(html, words=3) == "<p>caf&eacute;&nbsp;au lait…</p>"


def test_comments_never_count():
    html = "<p>one <!-- two three four --> two three</p>"
    assert truncate_html(html, words=2) == "<p>one <!-- two three four --> two…</p>"


@pytest.mark.parametrize("tag", ["script", "style"])
def test_script_and_style_are_not_counted_nor_cut(tag):
    html = f"<p>one <{tag}>a b c d e f</{tag}> two three</p>"
    assert truncate_html(html, words=2) == f"<p>one <{tag}>a b c d e f</{tag}> two…</p>"


def test_script_containing_markup_is_skipped_whole():
    html = '<p>one <script>document.write("</p><p>x y z");</script> two three</p>'
    assert truncate_html(html, words=2) == (
        '<p>one <script>document.write("</p><p>x y z");</script> two…</p>'
    )


def test_attribute_values_may_contain_angle_brackets():
    html = "<p title=\"a > b\"><span data-x='<i>'>one two</span> three</p>"
    assert truncate_html(html, words=2) == (
        "<p title=\"a > b\"><span data-x='<i>'>one two</span>…</p>"
    )


# Well-formed output


def test_open_elements_are_closed():
    html = "<div><blockquote><p>one <em>two three</em></p></blockquote></div>"
    out = truncate_html(html, words=2)
    assert out == "<div><blockquote><p>one <em>two</em>…</p></blockquote></div>"
    assert is_well_formed(out)


def test_void_elements_need_no_closing_tag():
    html = '<p>one <img src="a.png"> two<br> three</p>'
    assert truncate_html(html, words=2) == '<p>one <img src="a.png"> two…</p>'


def test_misnested_tags_are_closed_in_order():
    out = truncate_html("<p><b><i>one</b> two</i> three four</p>", words=2)
    assert out == "<p><b><i>one</i></b> two…</p>"
    assert is_well_formed(out)


def test_unmatched_end_tags_are_dropped_when_cutting():
    out = truncate_html("</span></div><p>one</b> two three</p>", words=2)
    assert out == "<p>one two…</p>"


def test_implied_end_tags_are_written_out():
    out = truncate_html("<ul><li>one<li>two<li>three</ul>", words=2)
    assert out == "<ul><li>one</li><li>two…</li></ul>"
    assert truncate_html("<p>one<div>two three</div>", words=2) == ("<p>one</p><div>two…</div>")


def test_self_closing_svg_elements_are_not_left_open():
    out = truncate_html('<p>one <svg><circle r="1"/></svg> two three</p>', words=2)
    assert out == '<p>one <svg><circle r="1"/></svg> two…</p>'


def test_deep_nesting_is_closed_completely():
    html = "<div>" * 10_000 + "one two three" + "</div>" * 10_000
    out = truncate_html(html, words=1)
    assert out == "<div>" * 10_000 + "one…" + "</div>" * 10_000


def test_thousands_of_unmatched_end_tags():
    html = "</b>" * 5_000 + "<p>" + "word " * 50 + "</p>"
    assert truncate_html(html, words=2) == "<p>word word…</p>"


@pytest.mark.parametrize(
    "html",
    [
        "<p>one</p><!-- two three four",
        '<p>one</p><a href="two three four',
        "<p>one</p>" + "<a" * 10_000,
        "<p>one</p><script>two three four",
    ],
    ids=["comment", "quote", "tag", "script"],
)
def test_unclosed_markup_runs_to_the_end(html):
    assert truncate_html(html, words=1) == html


# Ellipsis


def test_ellipsis_follows_the_last_kept_word():
    assert truncate_html("<p>one two three</p>", words=2) == "<p>one two…</p>"


def test_ellipsis_is_placed_outside_links():
    html = '<p>Read <a href="/story">the full story</a> now</p>'
    assert truncate_html(html, words=2) == '<p>Read <a href="/story">the</a>…</p>'


def test_ellipsis_is_placed_outside_a_link_wrapping_blocks():
    html = '<a href="/story"><div>one two three</div></a>'
    assert truncate_html(html, words=2) == '<a href="/story"><div>one two</div></a>…'


def test_ellipsis_never_gets_an_element_of_its_own():
    out = truncate_html("<p>one two</p><p>three</p>", words=2)
    assert out == "<p>one two…</p>"
    assert "<p>…" not in out


@pytest.mark.parametrize("ending", ["…", "...", "&hellip;"])
def test_ellipsis_is_not_doubled(ending):
    html = f"<p>one two{ending}</p><p>three</p>"
    assert truncate_html(html, words=2) == f"<p>one two{ending}</p>"


def test_custom_and_empty_ellipsis():
    html = "<p>one two three</p>"
    assert truncate_html(html, words=1, ellipsis=" [more]") == "<p>one [more]</p>"
    assert truncate_html(html, words=1, ellipsis="") == "<p>one</p>"


# Verbatim copies


def test_uncut_input_comes_back_byte_for_byte():
    html = (
        "<!-- teaser --><p class='lead' data-x=\"1\">One&nbsp;two &amp; <B>three</B></p>\n"
        "<pre>  keep\n    this  </pre><p>four</p >"
    )
    assert truncate_html(html, words=7) is html
    assert truncate_html(html, chars=1_000) is html


def test_kept_prefix_is_copied_verbatim():
    html = "<!-- a --><DIV CLASS=lead>One&nbsp;two <pre>a\n  b</pre> c d</DIV>"
    assert truncate_html(html, words=4) == (
        "<!-- a --><DIV CLASS=lead>One&nbsp;two <pre>a\n  b…</pre></div>"
    )


# Characters


def test_chars_count_visible_characters_with_the_ellipsis():
    html = "<p>caf&eacute;s &amp;   bars, <b>pubs</b></p>"
    assert truncate_html(html, chars=14) == "<p>caf&eacute;s &amp;   bars,…</p>"
    assert truncate_html(html, chars=13) == "<p>caf&eacute;s &amp;…</p>"
    assert truncate_html(html, chars=18) is html


def test_chars_cut_at_a_word_boundary():
    html = "<p>Hello wonderful world</p>"
    assert truncate_html(html, chars=16) == "<p>Hello wonderful…</p>"
    assert truncate_html(html, chars=15) == "<p>Hello…</p>"


def test_chars_cut_inside_a_single_long_word():
    assert truncate_html("<p>Supercalifragilistic</p>", chars=6) == "<p>Super…</p>"


LABEL = "Armenia accuses Turkey of fighting alongside Azerbaijan in Nagorno-Karabakh conflict"


@pytest.mark.parametrize(
    ("chars", "kept"),
    [
        (84, LABEL),
        (83, "Armenia accuses Turkey of fighting alongside Azerbaijan in Nagorno-Karabakh…"),
        (76, "Armenia accuses Turkey of fighting alongside Azerbaijan in Nagorno-Karabakh…"),
        (75, "Armenia accuses Turkey of fighting alongside Azerbaijan in…"),
        (70, "Armenia accuses Turkey of fighting alongside Azerbaijan in…"),
        (8, "Armenia…"),
        (7, "Armeni…"),
        (1, ""),
    ],
)
def test_chars_cut_labels_at_the_last_word_that_fits(chars, kept):
    # A hyphen does not end a word: "Nagorno-" alone is never kept.
    assert truncate_html(LABEL, chars=chars) == kept


def test_chars_never_cut_a_later_word_however_long():
    html = "Hello Supercalifragilisticexpialidocious"
    assert truncate_html(html, chars=10) == "Hello…"
    assert truncate_html(html, chars=39) == "Hello…"
    assert truncate_html("Supercalifragilisticexpialidocious Hello", chars=10) == "Supercali…"


def test_chars_cut_escaped_labels_between_words():
    label = "Q&amp;A: Turkey &amp; NATO &lt;talks&gt; on S-400"
    assert truncate_html(label, chars=18) == "Q&amp;A: Turkey &amp;…"
    assert truncate_html(label, chars=26) == "Q&amp;A: Turkey &amp; NATO…"
    assert truncate_html(label, chars=27) == "Q&amp;A: Turkey &amp; NATO &lt;talks&gt;…"


@pytest.mark.parametrize(
    ("cluster", "name"),
    [
        ("👩\u200d👩\u200d👧\u200d👦", "zwj family"),
        ("🇫🇷", "flag"),
        ("👍🏽", "skin tone"),
        ("e\u0301", "combining mark"),
        ("❤\ufe0f", "variation selector"),
        ("🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f", "tag sequence"),
    ],
)
def test_chars_never_split_grapheme_clusters(cluster, name):
    html = f"<p>{cluster * 5}</p>"
    assert truncate_html(html, chars=5) is html
    assert truncate_html(html, chars=4) == f"<p>{cluster * 3}…</p>", name


# Idempotence


@pytest.mark.parametrize(
    ("html", "limits"),
    [
        ("<p>one <b>two</b> three</p>", {"words": 2}),
        ('<p>One <a href="/x">two three</a></p>', {"words": 2}),
        ('<a href="/x"><div>one two three</div></a>', {"words": 2}),
        ("<p>one two</p><p>three</p>", {"words": 2, "ellipsis": " [more]"}),
        ('<a href="/x"><div>one two three</div></a>', {"chars": 8}),
        ("<p>Supercalifragilistic</p>", {"chars": 6}),
        ("<p>one two three</p>", {"chars": 8}),
    ],
)
def test_truncating_twice_changes_nothing(html, limits):
    once = truncate_html(html, **limits)
    assert once != html
    assert truncate_html(once, **limits) == once


def test_ellipsis_does_not_count_as_a_word():
    once = truncate_html("<p>one two three</p>", words=2)
    assert once == "<p>one two…</p>"
    assert truncate_html(once, words=2) is once


# The seed listing


def test_seed_teasers_are_cut_well_formed(teasers):
    for teaser in teasers:
        out = truncate_html(teaser, words=30)
        assert is_well_formed(out)
        kept = visible_text(out, "…")
        assert len(kept.split()) <= 30
        assert visible_text(teaser).startswith(kept)


def test_seed_teaser_keeps_exactly_the_asked_words(teasers):
    out = truncate_html(teasers[0], words=30)
    assert visible_text(out, "…").split() == visible_text(teasers[0]).split()[:30]
    assert out.endswith("According to him, Russia does not…</p>")


# Where Django's Truncator(...).words(n, html=True) goes wrong


def test_django_counts_whitespace_between_paragraphs_as_words(teasers):
    teaser = teasers[0]
    assert len(visible_text(django_words(teaser, 30), "…").split()) < 30
    assert len(visible_text(truncate_html(teaser, words=30), "…").split()) == 30


def test_django_puts_the_ellipsis_inside_links(title_links):
    link = title_links[1]
    assert django_words(link, 4).endswith("concern to…</a>")
    assert truncate_html(link, words=4).endswith("concern to</a>…")


def test_django_puts_the_ellipsis_in_a_new_empty_paragraph(teasers):
    # The first paragraph has 24 words, so the 25th word starts the next one.
    assert django_words(teasers[0], 25).endswith("<p>…</p>")
    assert truncate_html(teasers[0], words=25).endswith("<p>According…</p>")


def test_django_reserialises_html_it_did_not_cut():
    html = "<!-- lead --><p>One&nbsp;two</p>\n<pre>keep\n    this</pre>"
    assert django_words(html, 10) != html
    assert truncate_html(html, words=10) is html


def test_django_counts_and_cuts_script_text():
    html = "<p>One <script>var a = 1, b = 2;</script> two three</p>"
    assert "</script></p>" in django_words(html, 3)
    assert "two" not in django_words(html, 3)
    assert truncate_html(html, words=2) == ("<p>One <script>var a = 1, b = 2;</script> two…</p>")


def test_django_splits_words_at_inline_tags():
    html = "<p>foo<b>bar</b> baz qux</p>"
    assert django_words(html, 2) == "<p>foo<b>bar</b>…</p>"
    assert truncate_html(html, words=2) == "<p>foo<b>bar</b> baz…</p>"


# Work grows with the input, not with its square


class _Counting:
    """A stand-in for a compiled pattern that counts the matches its ``finditer`` yields."""

    def __init__(self, pattern: re.Pattern, work: list[int]):
        self.pattern = pattern
        self.work = work

    def finditer(self, string, *args):
        for found in self.pattern.finditer(string, *args):
            self.work[0] += 1
            yield found


@pytest.fixture
def work(monkeypatch):
    """Count the scan's operations: tokens, words and references matched, characters read.

    Every loop of ``truncate_html`` runs over one of these, so their sum bounds its time.
    """
    from wagtail_tagfeed import truncation

    done = [0]

    def unescape(text: str) -> str:
        done[0] += len(text)
        return html_module.unescape(text)

    def grapheme_ends(text: str) -> list[int]:
        done[0] += len(text)
        return real_grapheme_ends(text)

    real_grapheme_ends = truncation._grapheme_ends
    for name in ("_TOKENS", "_WORD", "_CHARREF"):
        monkeypatch.setattr(truncation, name, _Counting(getattr(truncation, name), done))
    monkeypatch.setattr(truncation, "htmllib", SimpleNamespace(unescape=unescape))
    monkeypatch.setattr(truncation, "_grapheme_ends", grapheme_ends)

    def measure(html: str, **limits) -> int:
        done[0] = 0
        truncate_html(html, **limits)
        return done[0]

    return measure


LINEAR_CASES = {
    "entities": "&amp; ",
    "entities without spaces": "&amp;",
    "numeric references": "&#38; &#x26;&#128512; ",
    "references without semicolons": "&amp&lt&gt x&ampy ",
    "combining marks": "e\u0301\u0301\u0301 ",
    "long words of marks": "a" + "\u0301" * 40 + " ",
    "tiny tags": "<b>a</b><i>&amp;</i> ",
    "tiny blocks": "<p>a&nbsp;b</p>",
    "emoji sequences": "👩\u200d👩\u200d👧 🇫🇷👍🏽 ",
}


@pytest.mark.parametrize("limit", ["words", "chars"])
@pytest.mark.parametrize("unit", LINEAR_CASES.values(), ids=LINEAR_CASES.keys())
def test_work_grows_linearly_with_the_kept_text(work, unit, limit):
    # The same long input cut four times further in does four times the work.
    html = unit * 20_000
    small = work(html, **{limit: 500})
    large = work(html, **{limit: 2_000})
    assert large <= 4.5 * small, (small, large)


@pytest.mark.parametrize("limit", ["words", "chars"])
@pytest.mark.parametrize("unit", LINEAR_CASES.values(), ids=LINEAR_CASES.keys())
def test_work_grows_linearly_with_an_uncut_input(work, unit, limit):
    small = work(unit * 2_000, **{limit: 10**9})
    large = work(unit * 8_000, **{limit: 10**9})
    assert large <= 4.5 * small, (small, large)


def test_a_short_cut_of_a_long_text_reads_little_of_it(work):
    html = "&amp; " * 200_000
    assert work(html, chars=4_000) < len(html) // 20
    assert work(html, words=2_000) < len(html) // 20


def test_a_stray_paragraph_end_separates_words_as_browsers_show_it():
    """``</p>`` with no paragraph open makes an empty paragraph: "one" and "two" are two
    words, on two lines, and the cut keeps that break."""
    html = "<div><b>one</p>two three</b></div>"
    assert truncate_html(html, words=1) == "<div><b>one</b>…</div>"
    assert truncate_html(html, words=2) == "<div><b>one<p></p>two</b>…</div>"
    assert truncate_html(html, words=3) == html
