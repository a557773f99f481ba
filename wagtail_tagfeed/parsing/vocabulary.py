"""The words of HTML the importer knows, each defined once.

Element names, schema.org types, and the labels sites put on "read more" links are shared by
the listing and article parsers and by cleaning; keeping them here means a language or a tag
added once is known everywhere.
"""

from __future__ import annotations

ARTICLE_TYPES = frozenset(
    (
        "article",
        "blogposting",
        "newsarticle",
        "report",
        "scholarlyarticle",
        "techarticle",
        "socialmediaposting",
        "liveblogposting",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reportagenewsarticle",
        "review",
        "posting",
    )
)
"""schema.org types (lower-cased) that describe one article, in JSON-LD and microdata."""

HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
INVISIBLE = frozenset(("script", "style", "noscript", "template", "head", "title", "iframe"))
"""Elements whose content is never shown as text of the page."""
BLOCK_TAGS = frozenset(
    (
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        *HEADINGS,
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    )
)
"""Elements that start a new line of text when a page is shown."""

READ_MORE_WORDS = (
    r"read\s+more|continue\s+reading|keep\s+reading|weiterlesen|devam\u0131n\u0131\s+oku"
)
"""Labels that only lead to the rest of an article, as a regular expression alternation."""
