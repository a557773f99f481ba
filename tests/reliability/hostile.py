"""The XSS corpus (``tests/data/xss/corpus.json``) placed into generated tag pages.

Every payload calls ``__pwned(<id>)`` (the corpus's ``PWN`` placeholder) when it runs, so a
browser hook that defines ``__pwned`` learns which payload executed. Each payload yields one
page of three items: a clean one, one with the payload in the text positions (title, teaser,
date, tag, the query of the article URL) and one with the payload, or the URL inside it, in
the URL and attribute positions (teaser link, teaser image, the item's image and its alt).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .pages import SITE, Item, item, tag_page

CORPUS_FILE = Path(__file__).resolve().parents[1] / "data" / "xss" / "corpus.json"
URL_IN_MARKUP = re.compile(r"""(?:href|src|data|action)\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)
ALLOWED_SUMMARY_TAGS = frozenset({"p", "b", "i", "a", "br", "ul", "ol", "li"})
SAFE_SCHEMES = ("http:", "https:", "mailto:")
IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")


@dataclass(frozen=True)
class Snippet:
    id: int
    category: str
    payload: str

    @property
    def url(self) -> str:
        """The URL inside the payload (``href``, ``src``...), or the whole payload."""
        match = URL_IN_MARKUP.search(self.payload)
        return match.group(1) if match else self.payload


def load_corpus() -> list[Snippet]:
    data = json.loads(CORPUS_FILE.read_text())
    marker = data["placeholder"]
    return [
        Snippet(
            entry["id"],
            entry["category"],
            entry["payload"].replace(marker, f"__pwned({entry['id']})"),
        )
        for entry in data["entries"]
    ]


def hostile_page(snippet: Snippet) -> str:
    number, payload = snippet.id, snippet.payload
    text_item = Item(
        url=f"{SITE}/hostile-{number}-a?q={html.escape(payload)}",
        title=f"Hostile {number} {payload}",
        teaser=f"<p>Teaser {number} {payload} end.</p>",
        date=payload,
        date_text=payload,
        tags=["turkey", payload],
    )
    url_item = Item(
        url=f"{SITE}/hostile-{number}-b",
        title=f"Links {number}",
        teaser=(
            f'<p>Link {number}: <a href="{snippet.url}">more</a> '
            f'<img src="{snippet.url}" alt="{payload}"></p>'
        ),
        image=snippet.url,
        image_alt=payload,
    )
    return tag_page([item(number, prefix="clean"), text_item, url_item])


def is_safe_url(value: str) -> bool:
    """Whether a URL, read as a browser does (entities decoded, junk dropped), is safe:
    an http(s) or mailto URL, or a path on this site (which the importer writes for links
    to its own tag pages)."""
    url = IGNORED_IN_URLS.sub("", html.unescape(value)).lower()
    on_this_site = url.startswith("/") and not url.startswith(("//", "/\\"))
    return url.startswith(SAFE_SCHEMES) or on_this_site
