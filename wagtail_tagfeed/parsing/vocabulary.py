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

# Article pages: what marks an element as the article's text, as site chrome, or as hidden.
# Class names and ids are matched as substrings (``rightSidebar``, ``post_body_2``), so these
# are regular-expression alternations, lower-case.

ARTICLE_BODY_CLASSES = frozenset(
    (
        "entry-content",
        "post-content",
        "gh-content",
        "e-content",
        "article-body",
        "article-content",
        "article__body",
        "article__content",
        "article-text",
        "articlebody",
        "post-body",
        "post__content",
        "post-entry",
        "entry-body",
        "story-body",
        "story-content",
        "story__body",
        "c-entry-content",
        "td-post-content",
        "field--name-body",
        "field-name-body",
        "blog-post-body",
        "md-content__inner",
        "text-content",
    )
)
"""Class names that blogging and news software give to the element holding just an article's
text (WordPress, Ghost, microformats, Drupal, Vox, MkDocs...)."""

CONTENT_HINTS = r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story"
"""Class or id words of elements that hold an article's text (they score higher)."""
CHROME_HINTS = (
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|"
    r"masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|"
    r"sponsor|shopping|tags|widget|byline|author-bio|newsletter|subscribe|recommend"
)
"""Class or id words of the site's chrome around an article (they score lower)."""
UNLIKELY_HINTS = (
    r"-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|"
    r"gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|"
    r"sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|newsletter|"
    r"cookie|consent|most-popular|mostpopular|trending|recirc|outbrain|taboola"
)
"""Class or id words of elements that are never the article (menus, comments, sidebars...)."""
MAYBE_HINTS = r"and|article|body|column|content|main|shadow|story|entry|post"
"""Words that make an element with an :data:`UNLIKELY_HINTS` word a candidate after all."""
UNLIKELY_ROLES = frozenset(
    ("menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog")
)
HIDDEN_CLASSES = frozenset(
    (
        "hidden",
        "hide",
        "d-none",
        "invisible",
        "sr-only",
        "visually-hidden",
        "visuallyhidden",
        "screen-reader-text",
        "screen-reader-only",
        "element-invisible",
        "offscreen",
        "print-only",
        "printonly",
        "visible-print",
        "show-for-print",
        "show-for-sr",
        "u-hidden",
        "is-hidden",
    )
)
"""Class names that hide an element on screen (for print or screen readers only)."""
PROMPT_HINTS = (
    r"(?:\b|_)(?:share|sharedaddy|sharing|social|addthis|jp-relatedposts|cta|signup|sign-up|"
    r"subscribe|subscription|newsletter|promo|donate|related|inline-ad|advert)(?:\b|_)"
)
"""Class or id words of the prompts inside an article's text: share buttons, sign-up and
donation boxes, related links (left out when short)."""
BYLINE_HINTS = (
    r"byline|author|dateline|writtenby|p-author|timestamp|pubdate|published|post-date|"
    r"entry-date|entry-meta|post-meta|article-meta|article__meta|story-meta"
)
"""Class or id words of the lines naming an article's author and date."""
CAPTION_HINTS = r"caption|credit"
"""Class or id words of an image's caption or credit line."""
FIGURE_CLASSES = frozenset(("wp-caption", "wp-block-image", "image-with-caption", "figure"))
"""Class names of a box holding an image and its caption, where ``<figure>`` is not used."""
END_HEADINGS = (
    r"related(?:\s+(?:articles?|posts?|stories|content|reading|links))?|"
    r"(?:more|also)\s+(?:from|on|in|like\s+this|to\s+read)\b.*|"
    r"you\s+(?:may|might)\s+also\s+(?:like|enjoy)|recommended(?:\s+for\s+you)?|"
    r"read\s+(?:more|next|also)|further\s+reading|popular\s+(?:posts|articles|stories)|"
    r"most\s+(?:read|popular)|(?:\d+\s+)?(?:comments?|responses?|replies)|"
    r"leave\s+a\s+(?:reply|comment)|post\s+a\s+comment|join\s+the\s+discussion|"
    r"share(?:\s+this(?:\s+(?:article|post|story))?)?|like\s+this|tags|"
    r"ähnliche\s+artikel|kommentare|mehr\s+zum\s+thema|à\s+lire\s+aussi|commentaires|"
    r"articles?\s+similaires|artículos\s+relacionados|comentarios|noticias\s+relacionadas"
)
"""Headings of the sections that close an article page (regular expression alternation)."""
END_LABELS = (
    r"tags|tagged(?:\s+with)?|filed\s+under|posted\s+in|categor(?:y|ies)|topics|"
    r"schlagw(?:ö|oe)rter|themen|étiquettes|mots-clés|etiquetas|temas"
)
"""Labels of the lines listing an article's tags or categories after its text."""
