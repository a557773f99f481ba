"""Links between imported articles become internal page links, across runs."""

import pytest

from tests.factories import DraftFactory
from wagtail_tagfeed.linking import (
    LinkChanges,
    LinkTargets,
    link_draft,
    link_targets,
    rewrite_html,
)

TARGETS = LinkTargets(
    pages={"news.example/a": 7},
    tags={"turkey": "/news/tag/turkey/"},
    hosts=frozenset({"news.example"}),
)


def test_rewrites_article_and_tag_links_and_reports_the_rest():
    changes = LinkChanges()
    html = (
        '<p><a href="https://news.example/a/#x">A</a> '
        '<a href="https://news.example/tag/Turkey/">tag</a> '
        '<a href="https://news.example/about/">about</a> '
        '<a href="https://elsewhere.example/a">other site</a></p>'
    )
    assert rewrite_html(html, TARGETS, changes) == (
        '<p><a linktype="page" id="7">A</a> '
        '<a href="/news/tag/turkey/">tag</a> '
        '<a href="https://news.example/about/">about</a> '
        '<a href="https://elsewhere.example/a">other site</a></p>'
    )
    assert list(changes.rewritten) == [
        ("https://news.example/a/#x", "page 7"),
        ("https://news.example/tag/Turkey/", "/news/tag/turkey/"),
    ]
    assert changes.left_external() == ("https://news.example/about/",)


def test_a_link_rewritten_later_is_not_reported_external():
    changes = LinkChanges()
    rewrite_html('<a href="https://news.example/b">b</a>', TARGETS, changes)
    later = LinkTargets(pages={"news.example/b": 9}, hosts=TARGETS.hosts)
    rewrite_html('<a href="https://news.example/b">b</a>', later, changes)
    assert changes.left_external() == ()


def test_rewrites_summary_and_body_paragraphs_only():
    body = [
        {"type": "paragraph", "value": '<p><a href="https://news.example/a">A</a></p>'},
        {"type": "embed", "value": "https://news.example/a"},
    ]
    draft = DraftFactory(summary='<p><a href="https://news.example/a">A</a></p>', body=body)
    rewritten = link_draft(draft, TARGETS, LinkChanges())
    assert rewritten.summary == '<p><a linktype="page" id="7">A</a></p>'
    assert list(rewritten.body) == [
        {"type": "paragraph", "value": '<p><a linktype="page" id="7">A</a></p>'},
        {"type": "embed", "value": "https://news.example/a"},
    ]


@pytest.mark.django_db
def test_targets_found_in_one_query_with_or_without_trailing_slash(
    make_articles, tag_index, django_assert_max_num_queries
):
    first, second = make_articles(2)
    first.source_url, second.source_url = "https://news.example/a/", "https://news.example/b"
    first.save()
    second.save()
    drafts = [
        DraftFactory(
            summary='<p><a href="https://news.example/a">A</a>'
            '<a href="http://www.news.example/b/#c">B</a></p>',
        )
    ]
    with django_assert_max_num_queries(1):
        targets = link_targets(tag_index, drafts, [], known={})
    assert targets.pages == {"news.example/a": first.pk, "news.example/b": second.pk}
