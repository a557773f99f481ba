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

READ_MORE_WORDS = "|".join(
    (
        r"read\s+more|continue\s+reading|keep\s+reading|read\s+on|read\s+the\s+rest",
        r"weiterlesen|weiter\s+lesen|mehr\s+lesen|mehr\s+erfahren|zum\s+artikel",
        r"lire\s+la\s+suite|lire\s+plus|en\s+savoir\s+plus",
        r"leer\s+m[aá]s|seguir\s+leyendo|continuar\s+leyendo",
        r"continua\s+a\s+leggere|leggi\s+tutto|leggi\s+di\s+pi[uù]|continua",
        r"leia\s+mais|continue\s+lendo|ler\s+mais|saiba\s+mais",
        r"czytaj\s+dalej|czytaj\s+wi[eę]cej|wi[eę]cej",
        r"читать\s+далее|читать\s+дальше|читать\s+полностью|подробнее|далее",
        r"читати\s+далі|читати\s+повністю|детальніше|докладніше|далі",
        r"devam\u0131n\u0131\s+oku|devam\u0131n\u0131\s+okuyun|haberin\s+devam\u0131|devam\u0131",
        r"lees\s+meer|lees\s+verder|verder\s+lezen|l[aä]s\s+mer|les\s+mer|l[æe]s\s+mere",
        r"[čc]íst\s+d[aá]l|[čc]íst\s+v[ií]ce|zobrazit\s+[čc]l[aá]nek|cel[ýy]\s+[čc]l[aá]nek",
        r"[čc]ítať\s+ďalej|lue\s+lis[aä][aä]",
        r"続きを読む|続きを見る|もっと見る|阅读全文|閱讀全文|阅读更多|閱讀更多|查看全文|继续阅读|繼續閱讀",
        r"더\s?보기",
    )
)
"""Labels that only lead to the rest of an article, in the languages listings are written
in, as a regular expression alternation."""
