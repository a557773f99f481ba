"""Cut HTML after a number of words or visible characters, keeping it well-formed.

One pass over the source with a small tokenizer that follows the HTML syntax rules that
matter for cutting (tags, quoted attributes, comments, raw text of ``<script>``). What is
kept is copied from the source as it is; only the end tags needed to close what is still
open are added, so input that needs no cut comes back unchanged.
"""

from __future__ import annotations

import html as htmllib
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from itertools import islice

__all__ = ["truncate_html"]


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


BLOCK_TAGS = _names(
    "address article aside blockquote caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li listing main menu "
    "nav ol p pre section summary table tbody td tfoot th thead tr ul"
)
"""Elements whose edges separate words: ``one</p><p>two`` is two words, ``one<b>two`` one."""

VOID_TAGS = _names("area base br col embed hr img input keygen link meta param source track wbr")
RAW_TEXT_TAGS = _names("script style textarea title xmp iframe noembed noframes noscript")
"""Elements whose content is not markup: never counted and never cut into."""

_CLOSES_P = BLOCK_TAGS - {"caption", "tbody", "td", "tfoot", "th", "thead", "tr"}
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_IMPLIED_END = {
    **dict.fromkeys(_CLOSES_P, frozenset(("p",))),
    **dict.fromkeys(_HEADINGS, frozenset(("p", *_HEADINGS))),
    "li": frozenset(("p", "li")),
    "dt": frozenset(("p", "dt", "dd")),
    "dd": frozenset(("p", "dt", "dd")),
    "td": frozenset(("td", "th")),
    "th": frozenset(("td", "th")),
    "tr": frozenset(("td", "th", "tr")),
    "option": frozenset(("option",)),
}
"""Start tags that close the open element on top of the stack, as browsers do."""
_RAW = frozenset(("<raw>",))
_START_KINDS = {
    **dict.fromkeys(BLOCK_TAGS | VOID_TAGS, frozenset()),
    **_IMPLIED_END,
    **dict.fromkeys(RAW_TEXT_TAGS, _RAW),
}
"""Start tags that need more than a push: what they close, or ``_RAW`` for raw text.

``_RAW`` holds no tag name, so it closes nothing.
"""
_BOUNDARY_TAGS = BLOCK_TAGS | {"br"}
_FOREIGN = frozenset(("svg", "math"))
"""Where ``<name/>`` closes itself, as it does for any element inside them."""

_ATTRS = r"""(?:[^>=]++|=[\t\n\f\r ]*+(?:"[^"]*+"|'[^']*+'|(?!["'])))*+>"""
_END_TAG = re.compile(r"</([a-zA-Z][^\t\n\f\r />]*+)" + _ATTRS)
_NAME = r"([a-zA-Z][^\t\n\f\r />]*+)"
_TOKENS = re.compile(r"([^<]++)|</" + _NAME + _ATTRS + "|<" + _NAME + _ATTRS + "|<")
"""Text (group 1), an end tag (2), a start tag (3), or a ``<`` that starts something else.

``lastindex`` tells them apart without building a tuple of groups per token.
"""
_TEXT, _END, _START = 1, 2, 3
_RAW_END = {name: re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE) for name in RAW_TEXT_TAGS}
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
"""The character references :func:`html.unescape` decodes, to map text back to the source."""
_WORD = re.compile(r"\S+")
_SPACE = re.compile(r"[\t\n\f ]")
"""Whitespace no character reference can contain: a text may be split after it."""
_WINDOW = 8192
"""About how many characters of a long text are decoded at a time."""
_Place = tuple[int, str, int]
"""A place in the text: where a text starts in the source, its source, an index into its
decoded text. Places are mapped to the source only for the cut, so that a text full of
entities is decoded once, not once per word."""
_START: _Place = (0, "", 0)
_ELLIPSES = ("…", "...")
_UNLIMITED = sys.maxsize


def truncate_html(
    html: str, *, words: int | None = None, chars: int | None = None, ellipsis: str = "…"
) -> str:
    """Keep the first ``words`` words and/or ``chars`` visible characters of ``html``.

    Words are runs of visible text: inline tags do not split them, block edges do;
    comments and the content of ``<script>``/``<style>`` never count. Characters are
    grapheme clusters of the text with whitespace collapsed, entities decoded, and include
    the ellipsis. The ellipsis follows the last kept word, outside any link, unless the
    kept text already ends with one. When both limits are given the stricter one wins.
    """
    for limit in (words, chars):
        if limit is not None and limit < 0:
            raise ValueError(f"Truncation limits must not be negative, got {limit}.")
    if words is None and chars is None:
        return html
    scan = _Scan(html, words, chars, ellipsis)
    if not scan.run():
        return html
    return scan.result()


class _Scan:
    """The state of one truncation: the open elements and where a cut may go."""

    __slots__ = (
        "chars",
        "count",
        "counts",
        "edits",
        "ellipsis",
        "html",
        "in_word",
        "keep",
        "log",
        "logging",
        "mid_end",
        "safe_count",
        "safe_end",
        "stack",
        "total",
        "word_end",
        "words",
    )

    def __init__(self, html: str, words: int | None, chars: int | None, ellipsis: str):
        self.html = html
        self.words = _UNLIMITED if words is None else words
        self.chars = chars
        self.ellipsis = ellipsis
        self.keep = _UNLIMITED
        if chars is not None:
            self.keep = chars - len(_grapheme_ends(htmllib.unescape(ellipsis)))
        self.stack: list[str] = []
        self.counts: defaultdict[str, int] = defaultdict(int)
        self.edits: list[int | str] = []
        """Changes to the kept source, flat: ``start, end, replacement, ...`` in source order.

        Flat lists of ints and strings keep the garbage collector out of crafted inputs.
        """
        self.log: list[int | str | bool] = []
        """Stack changes after the first possible cut, flat: ``position, name, pushed, ...``."""
        self.logging = False
        self.count = 0
        self.total = 0
        self.in_word = False
        self.word_end = _START
        """Where the last counted word ends, as a :data:`_Place`; ``safe_end`` and ``mid_end``
        likewise: the end of the last word that fits, and the cut inside the first word."""
        self.safe_end = _START
        self.safe_count = 0
        self.mid_end = _START

    def run(self) -> bool:
        """Scan until a cut is decided (True) or the input ends without one (False)."""
        html = self.html
        size = len(html)
        stack = self.stack
        counts = self.counts
        edits = self.edits
        log = self.log
        logging = self.logging
        pos = 0
        while pos < size:
            for found in _TOKENS.finditer(html, pos):
                kind = found.lastindex
                if kind == _TEXT:
                    if self.text(*found.span()):
                        return True
                    logging = self.logging
                    continue
                if kind is None:
                    at = found.start()
                    pos = self.other(at)
                    if pos < 0:
                        return True
                    logging = self.logging
                    if pos == at + 1:
                        continue
                    break
                name = found[kind].lower()
                if kind == _END:
                    if stack and stack[-1] == name:
                        stack.pop()
                        counts[name] -= 1
                        if logging:
                            log += (found.start(), name, False)
                        if self.in_word and name in BLOCK_TAGS:
                            self.complete()
                        continue
                    at, pos = found.span()
                    if counts.get(name):
                        boundary = name in BLOCK_TAGS
                        while True:
                            top = stack.pop()
                            counts[top] -= 1
                            if logging:
                                log += (at, top, False)
                            if top == name:
                                break
                            boundary = boundary or top in BLOCK_TAGS
                            edits += (at, at, f"</{top}>")
                    elif name == "br":
                        boundary = True
                        edits += (at, pos, "<br>")
                    elif name == "p":
                        # A stray </p> makes an empty paragraph, as browsers do: a break.
                        boundary = True
                        edits += (at, pos, "<p></p>")
                    else:
                        boundary = False
                        edits += (at, pos, "")
                    if boundary and self.in_word:
                        self.complete()
                    continue
                if html[found.end() - 2] == "/" and (
                    name in _FOREIGN or counts.get("svg") or counts.get("math")
                ):
                    continue
                closes = _START_KINDS.get(name)
                if not closes:
                    if closes is not None:
                        if self.in_word and name in _BOUNDARY_TAGS:
                            self.complete()
                        if name in VOID_TAGS:
                            continue
                    stack.append(name)
                    counts[name] += 1
                    if logging:
                        log += (found.start(), name, True)
                    continue
                at, pos = found.span()
                if closes is _RAW:
                    raw_end = _RAW_END[name].search(html, pos)
                    closing = raw_end and _END_TAG.match(html, raw_end.start())
                    if not closing:
                        return False
                    pos = closing.end()
                    break
                if self.in_word and name in _BOUNDARY_TAGS:
                    self.complete()
                while stack and stack[-1] in closes:
                    top = stack.pop()
                    counts[top] -= 1
                    if logging:
                        log += (at, top, False)
                    edits += (at, at, f"</{top}>")
                if name not in VOID_TAGS:
                    stack.append(name)
                    counts[name] += 1
                    if logging:
                        log += (at, name, True)
            else:
                return False
        return False

    def other(self, at: int) -> int:
        """Step over the markup at ``at`` that is not a start or end tag.

        Returns where to go on, or -1 when a literal ``<`` decides the cut.
        """
        html = self.html
        after = html[at + 1 : at + 3]
        if after[:1] == "!":
            return _skip_declaration(html, at)
        if after[:1] == "?":
            return _skip_past(html, ">", at + 2)
        if after == "/>":
            return at + 3
        if after[:1] == "/" and not _is_letter(after[1:]):
            return _skip_past(html, ">", at + 2)
        if _is_letter(after[:1]) or after[:1] == "/":
            return len(html)
        return -1 if self.text(at, at + 1) else at + 1

    def text(self, start: int, end: int) -> bool:
        """Count the text ``html[start:end]``; True when it decides the cut.

        A long text is read a window at a time, each ending after whitespace, so that the
        part after the cut is never decoded: a window counts as the text it is part of.
        """
        html = self.html
        while end - start > _WINDOW:
            space = _SPACE.search(html, start + _WINDOW, end - 1)
            if not space:
                break
            if self.window(start, space.end()):
                return True
            start = space.end()
        return self.window(start, end)

    def window(self, start: int, end: int) -> bool:
        """Count ``html[start:end]``, a text or a part of one that ends after whitespace."""
        source = self.html[start:end]
        text = htmllib.unescape(source) if "&" in source else source
        if text.isspace():
            if self.in_word:
                self.complete()
            return False
        if self.chars is None:
            return self.words_only(start, source, text)
        return self.words_of(start, source, text)

    def words_only(self, start: int, source: str, text: str) -> bool:
        """Count ``text`` when only words are limited: a word at a time only near the cut."""
        parts = len(text.split())
        continued = self.in_word and not text[0].isspace()
        allowed = self.words - self.count + continued
        if parts < allowed:
            self.count += parts - continued
            self.in_word = not text[-1].isspace()
            return False
        if allowed:
            last = next(islice(_WORD.finditer(text), allowed - 1, None))
            self.safe_end = (start, source, last.end())
            self.safe_count = self.count = self.words
            self.in_word = not text[-1].isspace()
            self.logging = True
        return parts > allowed

    def words_of(self, start: int, source: str, text: str) -> bool:
        """Count ``text`` word by word and character by character, noting where a cut could go."""
        ascii_only = text.isascii()
        for word in _WORD.finditer(text):
            begin, stop = word.span()
            if not (self.in_word and begin == 0):
                if self.in_word:
                    self.complete()
                self.count += 1
                if self.count > self.words:
                    return True
                if self.count > 1:
                    self.total += 1
                self.logging = True
            self.in_word = True
            ends = range(1, stop - begin + 1) if ascii_only else _grapheme_ends(text[begin:stop])
            word_end = (start, source, stop)
            if self.count == 1 and not self.safe_count:
                room = self.keep - self.total
                if room >= len(ends):
                    self.mid_end = word_end
                elif room > 0:
                    self.mid_end = (start, source, begin + ends[room - 1])
            self.total += len(ends)
            if self.total > self.chars:
                return True
            self.word_end = word_end
        if self.in_word and text[-1].isspace():
            self.complete()
        return False

    def complete(self) -> None:
        """End the current word; with a character limit, it becomes a cut point if it fits."""
        self.in_word = False
        if self.chars is not None and self.total <= self.keep:
            self.safe_end = self.word_end
            self.safe_count = self.count

    def result(self) -> str:
        """The kept source with its edits, closing tags, and the ellipsis."""
        html = self.html
        cut = _source_position(self.safe_end if self.safe_count else self.mid_end)
        if not cut:
            return ""
        stack, counts, log = self.stack, self.counts, self.log
        while log and log[-3] >= cut:
            pushed = log.pop()
            name = log.pop()
            del log[-1]
            if pushed:
                stack.pop()
                counts[name] -= 1
            else:
                stack.append(name)
                counts[name] = counts.get(name, 0) + 1
        parts = []
        done = 0
        edits = self.edits
        for index in range(0, len(edits), 3):
            start, end, replacement = edits[index : index + 3]
            if start >= cut:
                break
            parts.append(html[done:start])
            parts.append(replacement)
            done = end
        parts.append(html[done:cut])
        inner = stack.index("a") if counts.get("a") else len(stack)
        while inner and stack[inner - 1] not in BLOCK_TAGS:
            inner -= 1
        parts.extend(f"</{name}>" for name in reversed(stack[inner:]))
        tail = htmllib.unescape(html[max(0, cut - 16) : cut].rpartition(">")[2]).rstrip()
        ending = self.ellipsis.strip()
        if ending and not tail.endswith((*_ELLIPSES, ending)):
            parts.append(self.ellipsis)
        parts.extend(f"</{name}>" for name in reversed(stack[:inner]))
        return "".join(parts)


def _is_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _skip_past(html: str, marker: str, start: int) -> int:
    """The position after the next ``marker``, or the end: unclosed markup runs to the end."""
    found = html.find(marker, start)
    return len(html) if found < 0 else found + len(marker)


def _skip_declaration(html: str, at: int) -> int:
    """The end of a comment, doctype or CDATA section starting at ``at``."""
    if not html.startswith("<!--", at):
        return _skip_past(html, ">", at + 2)
    if html.startswith(">", at + 4):
        return at + 5
    if html.startswith("->", at + 4):
        return at + 6
    return _skip_past(html, "-->", at + 4)


def _source_position(place: _Place) -> int:
    """The position in the source of ``place``, never inside an entity."""
    start, source, index = place
    if "&" not in source:
        return start + index
    done = decoded = 0
    for ref in _CHARREF.finditer(source):
        plain = ref.start() - done
        if decoded + plain >= index:
            break
        decoded += plain
        done = ref.start()
        width = len(htmllib.unescape(ref.group()))
        if decoded + width > index:
            return start + done
        decoded += width
        done = ref.end()
    return start + done + index - decoded


def _is_extender(char: str) -> bool:
    """Whether ``char`` joins the preceding character into one grapheme cluster."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
        or 0x1160 <= code <= 0x11FF
        or code in (0x200C, 0x200D)
    )


def _grapheme_ends(text: str) -> Sequence[int]:
    """End offsets of the grapheme clusters of ``text``, approximating Unicode's rules.

    Combining marks, variation selectors, emoji modifiers and tag characters extend a
    cluster, a zero-width joiner glues the next character on, and regional indicators pair.
    """
    size = len(text)
    if text.isascii():
        return range(1, size + 1)
    ends = []
    index = 0
    while index < size:
        code = ord(text[index])
        index += 1
        if 0x1F1E6 <= code <= 0x1F1FF and index < size and 0x1F1E6 <= ord(text[index]) <= 0x1F1FF:
            index += 1
        while index < size and ord(text[index]) >= 0x300 and _is_extender(text[index]):
            index += 2 if text[index] == "\u200d" else 1
        index = min(index, size)
        ends.append(index)
    return ends
