"""The next listing page: rel=next, pager classes and texts, numbers; never an article."""

from __future__ import annotations

import pytest

from .conftest import page, teaser


def listing_with(pager: str, head: str = "") -> str:
    items = "".join(teaser(n) for n in range(1, 4))
    return page(f"<main><h1>Tag: turkey</h1>{items}{pager}</main>", head)


def test_link_rel_next_in_head(parse):
    html = listing_with("", '<link rel="next" href="/tag/turkey/page/2/">')
    assert parse(html).next_page == "https://blog.example/tag/turkey/page/2/"


def test_link_rel_next_to_another_document_is_not_a_pager(parse):
    html = listing_with("", '<link rel="next" href="/archive/2024/">')
    assert parse(html).next_page is None


def test_anchor_rel_next(parse):
    html = listing_with('<nav class="pager"><a rel="next" href="?page=2">\u203a</a></nav>')
    assert parse(html).next_page == "https://blog.example/tag/turkey/?page=2"


def test_wordpress_pagination_class(parse):
    html = listing_with(
        '<nav class="navigation pagination"><div class="nav-links">'
        '<span aria-current="page" class="page-numbers current">1</span>'
        '<a class="page-numbers" href="/tag/turkey/page/2/">2</a>'
        '<a class="next page-numbers" href="/tag/turkey/page/2/">Next</a></div></nav>'
    )
    assert parse(html).next_page == "https://blog.example/tag/turkey/page/2/"


def test_block_theme_query_pagination(parse):
    html = listing_with(
        '<nav class="wp-block-query-pagination"><a href="/tag/turkey/page/2/" '
        'class="wp-block-query-pagination-next">Next Page</a></nav>'
    )
    assert parse(html).next_page == "https://blog.example/tag/turkey/page/2/"


def test_older_posts_text(parse):
    html = listing_with(
        '<nav class="posts-navigation"><div class="nav-previous">'
        '<a href="/tag/turkey/page/2/">Older posts</a></div>'
        '<div class="nav-next"><a href="/tag/turkey/">Newer posts</a></div></nav>'
    )
    assert parse(html).next_page == "https://blog.example/tag/turkey/page/2/"


def test_arrow_only_link(parse):
    html = listing_with('<nav><ul><li>Page 1 / 2</li><li><a href="turkey2.html">»</a></li></ul>')
    assert parse(html, url="https://blog.example/tag/turkey.html").next_page == (
        "https://blog.example/tag/turkey2.html"
    )


def test_numbered_pager_after_the_current_page(parse):
    html = listing_with(
        '<div class="pagination"><a href="/tag/turkey/page/1/">1</a>'
        '<span class="current">2</span><a href="/tag/turkey/page/3/">3</a></div>'
    )
    url = "https://blog.example/tag/turkey/page/2/"
    assert parse(html, url=url).next_page == "https://blog.example/tag/turkey/page/3/"


def test_last_page_has_no_next(parse):
    html = listing_with(
        '<div class="pagination"><a rel="prev" href="/tag/turkey/">\u2039 previous</a>'
        '<a href="/tag/turkey/">1</a><span class="current">2</span></div>'
    )
    assert parse(html, url="https://blog.example/tag/turkey/page/2/").next_page is None


def test_never_the_current_page(parse):
    html = listing_with('<nav class="pager"><a rel="next" href="/tag/turkey/">Next</a></nav>')
    assert parse(html).next_page is None


def test_post_navigation_of_an_article_is_not_a_pager(parse):
    html = listing_with(
        '<nav class="navigation post-navigation"><div class="nav-links">'
        '<div class="nav-previous"><a href="/posts/older-article/" rel="prev">Older</a></div>'
        '<div class="nav-next"><a href="/posts/newer-article/" rel="next">Next post</a></div>'
        "</div></nav>"
    )
    assert parse(html).next_page is None


def test_next_link_to_an_item_is_not_a_pager(parse):
    html = listing_with('<a rel="next" href="/posts/story-2/">Next</a>')
    assert parse(html).next_page is None


def test_next_page_by_url_pattern(parse):
    html = listing_with('<p><a class="button" href="/tag/turkey/page/3/">Load more</a></p>')
    url = "https://blog.example/tag/turkey/page/2/"
    assert parse(html, url=url).next_page == "https://blog.example/tag/turkey/page/3/"


def test_next_page_by_query_pattern(parse):
    html = listing_with('<div><a href="?page=2&amp;sort=new">See what else</a></div>')
    url = "https://blog.example/topics/turkey?sort=new"
    assert parse(html, url=url).next_page == "https://blog.example/topics/turkey?page=2&sort=new"


@pytest.mark.parametrize(
    "label",
    ["Ältere Beiträge", "Далее", "Sonraki »", "次のページ", "下一页", "След.", "Następna strona",
     "Pagina successiva ›", "Entradas más antiguas"],
)  # fmt: skip
def test_next_labels_in_other_languages(parse, label):
    html = listing_with(f'<div class="nav"><a href="/tag/turkey/2">{label}</a></div>')
    assert parse(html).next_page == "https://blog.example/tag/turkey/2"


@pytest.mark.parametrize("label", ["Newer posts", "« Назад", "Önceki", "前へ", "Last »"])
def test_other_pager_labels_are_not_next(parse, label):
    html = listing_with(f'<div class="nav"><a href="/tag/turkey/9">{label}</a></div>')
    assert parse(html).next_page is None


@pytest.mark.parametrize(
    "link",
    [
        '<a href="/tag/turkey/2" aria-label="Next page"><svg></svg></a>',
        '<a href="/tag/turkey/2" title="Sonraki sayfa"><i class="icon"></i></a>',
        '<a href="/tag/turkey/2"><img src="/arrow.png" alt="Weiter"></a>',
    ],
)
def test_icon_only_links_are_read_by_their_label(parse, link):
    html = listing_with(f"<div>{link}</div>")
    assert parse(html).next_page == "https://blog.example/tag/turkey/2"


def test_a_pager_inside_a_block_taken_for_an_item_counts(parse):
    items = "".join(teaser(n) for n in range(1, 4))
    html = page(
        f"<main><h1>Tag: turkey</h1><div class='list'>{items}"
        '<article class="post"><nav class="pagination"><a href="/tag/turkey/page/2/">2</a>'
        '<a class="next" href="/tag/turkey/page/2/">Next</a></nav></article></div></main>'
    )
    assert parse(html).next_page == "https://blog.example/tag/turkey/page/2/"


def test_the_next_month_of_a_calendar_is_not_the_next_page(parse):
    html = listing_with(
        '<table id="wp-calendar"><tfoot><tr><td><a href="/2024/02/">« Feb</a></td>'
        '<td><a href="/tag/turkey/2024/04/">»</a></td></tr></tfoot></table>'
    )
    assert parse(html).next_page is None


def test_offset_pagination_is_not_read_as_page_numbers(parse):
    pager = "".join(
        f'<a href="/forum/list?start={10 * (n - 1)}">{n}</a> ' for n in range(1, 9) if n != 6
    )
    html = listing_with(f'<div class="pagination">{pager}<strong>6</strong></div>')
    url = "https://blog.example/forum/list?start=50"
    assert parse(html, url=url).next_page == "https://blog.example/forum/list?start=60"


def test_offset_pagination_without_a_marked_current_page(parse):
    pager = "".join(f'<a href="?start={10 * n}">{n + 1}</a> ' for n in (0, 1, 2, 6, 7))
    html = listing_with(f'<div class="pages">{pager}</div>')
    url = "https://blog.example/forum/list?start=50"
    assert parse(html, url=url).next_page == "https://blog.example/forum/list?start=60"


def test_a_next_classed_link_that_says_show_all_is_not_trusted(parse):
    html = listing_with(
        '<div class="pager"><b>1</b> <a href="?PAGEN_1=2">2</a> '
        '<a class="next" href="?SHOWALL_1=1">Show all</a></div>'
    )
    url = "https://blog.example/blog/"
    assert parse(html, url=url).next_page == "https://blog.example/blog/?PAGEN_1=2"


def test_a_forum_pager_of_links_classed_navpages(parse):
    html = listing_with(
        '<div class="pagesection"><div class="pagelinks">Pages: [<strong>1</strong>] '
        '<a class="navPages" href="/forum/index.php?board=18.20">2</a> '
        '<a class="navPages" href="/forum/index.php?board=18.40">3</a></div></div>'
    )
    url = "https://blog.example/forum/index.php?board=18.0"
    assert parse(html, url=url).next_page == "https://blog.example/forum/index.php?board=18.20"


def test_a_link_classed_next_to_an_earlier_page_is_not_the_next_page(parse):
    """Themes class the link to newer posts "next": on page 3, page 2 comes before."""
    html = listing_with(
        '<ul class="default-wp-page"><li class="next"><a href="/page/2">Načíst předešlé '
        'příběhy »</a></li><li class="previous"><a href="/page/4">« Načíst další příběhy</a>'
        "</li></ul>"
    )
    assert parse(html, url="https://blog.example/page/3").next_page == (
        "https://blog.example/page/4"
    )
