"""Links that stay inside the site: imported articles link to each other's pages.

A link in a summary or body that points at an imported article (of this run or an earlier
one, in the tag index's language) becomes a Wagtail internal page link,
``<a linktype="page" id="N">``; a link to one of the source site's tag pages becomes a link to
the tag index's page for that tag, when it lists that tag, as a path on this site (never an
absolute URL of this site, which would break when the site moves). Addresses are compared by
:func:`~wagtail_tagfeed.parsing.urls.source_key`.

Links are resolved in the drafts before anything is written (the pages this run creates get
their ids first), so each revision is written once, with its final links, and Wagtail's
reference index sees them.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.text import slugify
from wagtail.models import Page

from .listing import ArticleDraft
from .parsing.tags import tag_from_url
from .parsing.urls import hostname, source_key
from .queries import by_source_key

HREF = re.compile(r'<a href="([^"]*)">')
"""A link as cleaning renders it: ``href`` is its only attribute."""


@dataclass(frozen=True)
class LinkTargets:
    """Where links may lead inside the site."""

    pages: Mapping[str, int] = field(default_factory=dict)
    """Page ids by source key."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Paths of the tag index's tag pages, by tag slug."""
    hosts: frozenset[str] = frozenset()
    """Hosts of the listing pages: links there that stay external are reported."""


@dataclass
class LinkChanges:
    """The links rewritten (source URL, new target) and those left pointing at the source."""

    rewritten: dict[tuple[str, str], None] = field(default_factory=dict)
    external: dict[str, None] = field(default_factory=dict)

    def left_external(self) -> tuple[str, ...]:
        rewritten = {url for url, _target in self.rewritten}
        return tuple(url for url in self.external if url not in rewritten)


def rewrite_html(html_text: str, targets: LinkTargets, changes: LinkChanges) -> str:
    """``html_text`` (rich text in cleaning's format) with its links rewritten."""

    def replace(match: re.Match) -> str:
        href = html.unescape(match[1])
        page_id = targets.pages.get(source_key(href))
        if page_id is not None:
            changes.rewritten[(href, f"page {page_id}")] = None
            return f'<a linktype="page" id="{page_id}">'
        if hostname(href) not in targets.hosts:
            return match[0]
        slug = slugify(tag_from_url(href) or "", allow_unicode=True).lower()
        if slug in targets.tags:
            changes.rewritten[(href, targets.tags[slug])] = None
            return f'<a href="{html.escape(targets.tags[slug])}">'
        changes.external[href] = None
        return match[0]

    return HREF.sub(replace, html_text)


def link_draft(draft: ArticleDraft, targets: LinkTargets, changes: LinkChanges) -> ArticleDraft:
    """``draft`` with the links of its summary and body paragraphs rewritten."""
    body = draft.body
    if body:
        body = tuple(
            {**block, "value": rewrite_html(block["value"], targets, changes)}
            if block["type"] == "paragraph"
            else block
            for block in body
        )
    summary = rewrite_html(draft.summary, targets, changes)
    if summary == draft.summary and body == draft.body:
        return draft
    return dataclasses.replace(draft, summary=summary, body=body)


def links_of(drafts: Iterable[ArticleDraft]) -> set[str]:
    """Every link target in the drafts' summaries and bodies."""
    found: set[str] = set()
    for draft in drafts:
        paragraphs = [b["value"] for b in draft.body or () if b["type"] == "paragraph"]
        for text in (draft.summary, *paragraphs):
            found.update(html.unescape(match[1]) for match in HREF.finditer(text))
    return found


def link_targets(
    index: Page,
    drafts: Sequence[ArticleDraft],
    source_pages: Iterable[str],
    known: Mapping[str, int],
    tag_slugs: Iterable[str] = (),
) -> LinkTargets:
    """The pages and tag pages the drafts' links may lead to, in at most two queries.

    ``known`` maps source keys to the ids of pages this run is writing, ``tag_slugs`` are
    the tags it adds: their tag pages exist once it is done.
    """
    links = links_of(drafts)
    if not links:
        return LinkTargets()
    keys = {source_key(link) for link in links}
    model = index.specific.get_article_model()
    pages = {
        row["source_key"]: row["pk"]
        for row in by_source_key(model.objects, keys - known.keys(), index.locale_id, "pk")
    }
    pages.update({key: pk for key, pk in known.items() if key in keys})
    hosts = frozenset(filter(None, map(hostname, source_pages)))
    tags: dict[str, str] = {}
    base = index.specific.url if any(hostname(link) in hosts for link in links) else ""
    if base:
        slugs = [row["slug"] for row in index.specific.get_tags_in_use()]
        for slug in filter(None, (*slugs, *tag_slugs)):
            tags[slug.lower()] = base + index.specific.reverse_subpage("tag", kwargs={"tag": slug})
    return LinkTargets(pages=pages, tags=tags, hosts=hosts)
