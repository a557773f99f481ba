"""Links that stay inside the site: imported articles link to each other's pages.

A link in a summary or body that points at the source URL of an imported article (from this
run or an earlier one) becomes a Wagtail internal page link, ``<a linktype="page" id="N">``;
a link to one of the source site's tag pages becomes a link to the tag page of the same name
on the tag index, when it lists that tag. URLs are compared without their fragment, trailing
slash, and with the scheme and host lower-cased.

Links are rewritten in the imported items *before* they are fingerprinted, so a re-import of
the same content finds nothing to change. Targets created by the run itself only exist after
it wrote them: :func:`fold_links` then folds the rewritten links into the revision the run
has just written, rather than adding a second one.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from django.utils.text import slugify
from wagtail.models import Page

from .listing import ItemResult, ListingItem, Outcome
from .parsing.tags import tag_from_url
from .parsing.urls import normalise_url
from .syncing import TaggedItem, fingerprint, page_fields

HREF = re.compile(r'<a href="([^"]*)">')
"""A link as cleaning renders it: ``href`` is its only attribute."""


@dataclass(frozen=True)
class LinkTargets:
    """Where links may lead inside the site."""

    pages: dict[str, int] = field(default_factory=dict)
    """Page ids by normalised source URL."""
    tags: dict[str, str] = field(default_factory=dict)
    """URLs of the tag index's tag pages, by tag slug."""
    hosts: frozenset[str] = frozenset()
    """Hosts of the listing pages: links there that stay external are reported."""


@dataclass
class LinkChanges:
    """The links rewritten (source URL, new target) and those left pointing at the source."""

    rewritten: dict[tuple[str, str], None] = field(default_factory=dict)
    external: dict[str, None] = field(default_factory=dict)

    def left_external(self) -> tuple[str, ...]:
        """External links never rewritten (a first pass may not know a new page yet)."""
        rewritten = {url for url, _target in self.rewritten}
        return tuple(url for url in self.external if url not in rewritten)


def rewrite_html(html_text: str, targets: LinkTargets, changes: LinkChanges) -> str:
    """``html_text`` (rich text in cleaning's format) with its links rewritten."""

    def replace(match: re.Match) -> str:
        href = html.unescape(match[1])
        page_id = targets.pages.get(normalise_url(href))
        if page_id is not None:
            changes.rewritten[(href, f"page {page_id}")] = None
            return f'<a linktype="page" id="{page_id}">'
        if urlsplit(href).hostname not in targets.hosts:
            return match[0]
        slug = slugify(tag_from_url(href) or "", allow_unicode=True).lower()
        if slug in targets.tags:
            changes.rewritten[(href, targets.tags[slug])] = None
            return f'<a href="{html.escape(targets.tags[slug])}">'
        changes.external[href] = None
        return match[0]

    return HREF.sub(replace, html_text)


def rewrite_item(item: ListingItem, targets: LinkTargets, changes: LinkChanges) -> ListingItem:
    """``item`` with the links of its summary and body paragraphs rewritten."""
    body = item.body
    if body:
        blocks = json.loads(body)
        for block in blocks:
            if block["type"] == "paragraph":
                block["value"] = rewrite_html(block["value"], targets, changes)
        body = json.dumps(blocks, ensure_ascii=False)
    return dataclasses.replace(
        item, summary_html=rewrite_html(item.summary_html, targets, changes), body=body
    )


def links_of(items: Iterable[ListingItem]) -> set[str]:
    """Every link target in the items' summaries and bodies."""
    found: set[str] = set()
    for item in items:
        for text in (item.summary_html, *_paragraphs(item)):
            found.update(html.unescape(match[1]) for match in HREF.finditer(text))
    return found


def _paragraphs(item: ListingItem) -> list[str]:
    blocks = json.loads(item.body) if item.body else []
    return [block["value"] for block in blocks if block["type"] == "paragraph"]


def link_targets(
    parent: Page | None, items: Sequence[ListingItem], source_pages: Iterable[str]
) -> LinkTargets:
    """The pages and tag pages the items' links may lead to, in two queries."""
    if parent is None:
        return LinkTargets()
    index = parent.specific
    model = index.get_article_model()
    links = links_of(items)
    candidates = {variant for link in links for variant in _variants(link)}
    pages = {
        normalise_url(url): pk
        for url, pk in model.objects.filter(source_url__in=candidates).values_list(
            "source_url", "pk"
        )
    }
    hosts = frozenset(filter(None, (urlsplit(url).hostname for url in source_pages)))
    tags: dict[str, str] = {}
    base = index.get_full_url() if any(urlsplit(link).hostname in hosts for link in links) else ""
    if base:
        for row in index.get_tags_in_use():
            tags[row["slug"].lower()] = base + index.reverse_subpage(
                "tag", kwargs={"tag": row["slug"]}
            )
    return LinkTargets(pages=pages, tags=tags, hosts=hosts)


def _variants(url: str) -> set[str]:
    """The spellings of ``url`` a stored source URL may have."""
    parts = urlsplit(url.strip())
    base = urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query, "")
    )
    slashed = urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/") + "/", parts.query, "")
    )
    return {url, url.split("#", 1)[0], base, slashed}


def fold_links(
    parent: Page,
    entries: Sequence[TaggedItem],
    results: Sequence[ItemResult],
    targets: LinkTargets,
    changes: LinkChanges,
) -> list[TaggedItem]:
    """Rewrite links to pages this run created, in place in the revisions it wrote.

    Returns the entries of pages the run did not write (unchanged ones) whose links changed:
    those need a revision of their own.
    """
    model = parent.specific.get_article_model()
    outcomes = {result.url: result for result in results}
    folded: dict[int, ListingItem] = {}
    revise: list[TaggedItem] = []
    for entry in entries:
        result = outcomes.get(entry.item.url)
        if result is None or result.page_id is None:
            continue
        item = rewrite_item(entry.item, targets, changes)
        if fingerprint(item) == fingerprint(entry.item):
            continue
        if result.outcome in (Outcome.CREATED, Outcome.UPDATED):
            folded[result.page_id] = item
        elif result.outcome == Outcome.UNCHANGED:
            revise.append(TaggedItem(item, entry.tags))
    for page in model.objects.filter(pk__in=folded).select_related("latest_revision"):
        item = folded[page.pk]
        revision = page.latest_revision
        if revision is None or revision.pk != page.imported_revision_id:
            continue
        fields = {
            name: value for name, value in page_fields(item).items() if name in ("summary", "body")
        }
        draft = revision.as_object()
        for name, value in fields.items():
            setattr(draft, name, value)
        revision.content = draft.serializable_data()
        revision.save(update_fields=["content"])
        row = {"import_fingerprint": fingerprint(item)}
        if page.live_revision_id == revision.pk or not page.live:
            row.update({name: getattr(draft, name) for name in fields})
        model.objects.filter(pk=page.pk).update(**row)
    return revise
