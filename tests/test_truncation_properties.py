import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.test_truncation import is_well_formed, visible_text
from wagtail_tagfeed import truncation
from wagtail_tagfeed.truncation import _grapheme_ends, truncate_html

ELLIPSIS = "…"
WORDS = st.text(
    alphabet=st.sampled_from([*"abcXYZ019 ,.\n\t", "é", "ß", "\u0301", "👍", "🏽", "🇫", "🇷"]),
    max_size=12,
)
ENTITIES = st.sampled_from(["&amp;", "&nbsp;", "&hellip;", "&eacute;", "&#128512;", "&lt;"])
COMMENTS = st.builds("<!-- {} -->".format, st.sampled_from(["", "a b c", "<p>x</p>"]))
SCRIPTS = st.sampled_from(
    ['<script>var s = "a b </p> c";</script>', "<style>p { color: red }</style>"]
)
STRAYS = st.sampled_from(["</b>", "</i>", "</div>", "</p>", "</a>", "</span>"])
VOIDS = st.sampled_from(["<br>", '<img src="x.png" alt="a b">', "<hr>"])
INLINE = ("b", "i", "em", "span", "strong")


def element(name: str, attrs: str = ""):
    return lambda children: f"<{name}{attrs}>{''.join(children)}</{name}>"


def misnested(children: list[str]) -> str:
    """``<b><i>x</b>y</i>``: end tags in the wrong order."""
    half = len(children) // 2
    return f"<b><i>{''.join(children[:half])}</b>{''.join(children[half:])}</i>"


leaves = st.one_of(WORDS, WORDS, ENTITIES, COMMENTS, SCRIPTS, STRAYS, VOIDS)
inline = st.recursive(
    leaves,
    lambda inner: st.one_of(
        *(st.lists(inner, max_size=4).map(element(name)) for name in INLINE),
        st.lists(inner, max_size=4).map(element("a", ' href="/x?a=1&amp;b=2"')),
        st.lists(inner, max_size=4).map(misnested),
    ),
    max_leaves=12,
)
paragraphs = st.lists(inline, max_size=5).map(element("p"))
blocks = st.recursive(
    st.one_of(paragraphs, inline),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(element("div", ' class="teaser"')),
        st.lists(inner, max_size=4).map(element("blockquote")),
        st.lists(st.lists(inline, max_size=3).map(element("li")), max_size=3).map(element("ul")),
    ),
    max_leaves=8,
)
documents = st.lists(st.one_of(blocks, st.sampled_from(["\n", "\n  ", " "])), max_size=6).map(
    "".join
)


def word_count(html: str) -> int:
    return len(visible_text(html, ELLIPSIS).split())


def char_count(html: str) -> int:
    return len(_grapheme_ends(visible_text(html)))


def check(html: str, out: str, limits: dict) -> None:
    if out == html:
        return
    assert is_well_formed(out), out
    assert visible_text(html).startswith(visible_text(out, ELLIPSIS)), out
    assert truncate_html(out, **limits) == out


@settings(max_examples=250, deadline=None)
@given(documents, st.integers(min_value=0, max_value=25))
@example("<p><b>0 0 0</div>0 0 0</b><b></p>0 0</b></p>", 5)
def test_cut_by_words(html, words):
    out = truncate_html(html, words=words)
    assert word_count(out) <= words
    check(html, out, {"words": words})


@settings(max_examples=250, deadline=None)
@given(documents, st.integers(min_value=0, max_value=80))
def test_cut_by_chars(html, chars):
    out = truncate_html(html, chars=chars)
    assert char_count(out) <= chars
    check(html, out, {"chars": chars})


def ends_at_a_word_boundary(html: str, out: str, chars: int) -> bool:
    """Whether ``out`` keeps whole words of ``html``, or part of a first word too long to fit."""
    full = visible_text(html)
    kept = visible_text(out, ELLIPSIS)
    for shown in (visible_text(out), kept):
        if full.startswith(shown) and full[len(shown) : len(shown) + 1] in ("", " "):
            return True
    first = full.split(maxsplit=1)[0]
    return first.startswith(kept) and len(_grapheme_ends(first)) > chars - len(ELLIPSIS)


@settings(max_examples=300, deadline=None)
@given(documents, st.integers(min_value=0, max_value=80))
@example("<p><b>00000000000</b></p><ul><li>00000000<b></p>0</b></li></ul><p>&amp;</p>", 23)
@example("<p><b>00000000000</b></p><ul><li>00000000<b>0&amp;</p></b>&amp;</li></ul>", 23)
def test_cut_by_chars_ends_at_a_word_boundary(html, chars):
    out = truncate_html(html, chars=chars)
    check(html, out, {"chars": chars})
    assert out == html or ends_at_a_word_boundary(html, out, chars), out


@settings(max_examples=150, deadline=None)
@given(documents, st.integers(min_value=0, max_value=25), st.integers(min_value=0, max_value=80))
def test_cut_by_both_is_the_stricter_cut(html, words, chars):
    out = truncate_html(html, words=words, chars=chars)
    by_words = truncate_html(html, words=words)
    by_chars = truncate_html(html, chars=chars)
    assert out in (by_words, by_chars)
    kept = len(visible_text(out, ELLIPSIS))
    assert kept <= len(visible_text(by_words, ELLIPSIS))
    assert kept <= len(visible_text(by_chars, ELLIPSIS))
    check(html, out, {"words": words, "chars": chars})


@settings(max_examples=150, deadline=None)
@given(
    documents,
    st.integers(min_value=0, max_value=25),
    st.integers(min_value=0, max_value=80),
    st.integers(min_value=1, max_value=30),
)
def test_text_read_in_windows_is_cut_as_a_whole(html, words, chars, window):
    whole = [truncate_html(html, words=words), truncate_html(html, chars=chars)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(truncation, "_WINDOW", window)
        assert [truncate_html(html, words=words), truncate_html(html, chars=chars)] == whole
