"""The fields of one item: title, URL, teaser, date, image and tags."""

from __future__ import annotations

import datetime

import pytest

from wagtail_tagfeed import extract

from .conftest import page


def one_item_page(inner: str, count: int = 2) -> str:
    blocks = "".join(inner.replace("{n}", str(n)) for n in range(count))
    return page(f"<main><h1>Tag: turkey</h1><div class='list'>{blocks}</div></main>")


WORDPRESS = (
    '<article class="post-{n} post type-post hentry category-news tag-turkey">'
    '<header class="entry-header"><h2 class="entry-title"><a href="/2024/01/1{n}/post-{n}/" '
    'rel="bookmark">Post {n}</a></h2><div class="entry-meta"><span class="posted-on">'
    '<a href="/2024/01/1{n}/post-{n}/"><time class="entry-date published" '
    'datetime="2024-01-1{n}T10:00:00+00:00">January 1{n}, 2024</time>'
    '<time class="updated" datetime="2024-02-01T10:00:00+00:00">February 1, 2024</time></a>'
    '</span><span class="byline">by <a class="url fn n" href="/author/ann/">Ann</a></span>'
    "</div></header>"
    '<div class="post-thumbnail"><a href="/2024/01/1{n}/post-{n}/"><img width="1" height="1" '
    'src="/pixel.gif"><img src="data:image/gif;base64,R0l" data-lazy-src="/img/{n}.jpg" '
    'alt=""></a></div>'
    '<div class="entry-summary"><p>The teaser of post {n}, in two sentences. Here is the '
    'second. <a class="more-link" href="/2024/01/1{n}/post-{n}/">Continue reading '
    '<span class="screen-reader-text">Post {n}</span></a></p></div>'
    '<footer class="entry-footer"><span class="cat-links">Posted in <a rel="category tag" '
    'href="/category/news/">News</a></span><span class="tags-links">Tagged <a rel="tag" '
    'href="/tag/turkey/">turkey</a>, <a rel="tag" href="/tag/travel/">travel</a></span>'
    '<span class="comments-link"><a href="/2024/01/1{n}/post-{n}/#comments">2 Comments</a>'
    "</span></footer></article>"
)


def test_wordpress_classic_teaser(parse):
    listing = parse(one_item_page(WORDPRESS))
    item = listing.items[1]
    assert item.title == "Post 1"
    assert item.url == "https://blog.example/2024/01/11/post-1/"
    assert item.published == datetime.date(2024, 1, 11)
    assert item.image == "https://blog.example/img/1.jpg"
    assert item.tags == ("turkey", "travel")
    assert item.summary_text == "The teaser of post 1, in two sentences. Here is the second."
    assert "Continue reading" not in item.summary_html
    assert "Ann" not in item.summary_html
    assert "<img" not in item.summary_html


def test_date_from_visible_text_when_no_markup(parse):
    html = one_item_page(
        '<div class="teaser"><h2><a href="/p{n}">Post {n}</a></h2>'
        '<div class="meta">Posted 3 March 2024 by Ann</div><p>Teaser {n} text.</p></div>'
    )
    item = parse(html).items[0]
    assert item.published == datetime.date(2024, 3, 3)
    assert item.summary_text == "Teaser 0 text."


def test_date_in_teaser_text_is_not_taken(parse):
    html = one_item_page(
        '<div class="teaser"><h2><a href="/p{n}">Post {n}</a></h2>'
        "<p>On March 3, 2024 the city opened a new line, with many more words here.</p></div>"
    )
    assert parse(html).items[0].published is None


def test_a_date_in_the_url_is_not_a_date_the_page_shows(parse):
    html = one_item_page(
        '<div class="teaser"><h2><a href="/2021/06/0{n}/slug/">Post {n}</a></h2>'
        "<p>Text {n}.</p></div>"
    )
    assert parse(html).items[1].published is None


def test_shown_day_wins_over_the_utc_day_of_datetime(parse):
    html = one_item_page(
        '<div class="teaser"><h2><a href="/p{n}">Post {n}</a></h2>'
        '<time datetime="2024-03-0{n}T23:30:00Z">{m} March 2024</time><p>Text {n}.</p></div>'
    ).replace("{m}", "4")
    assert parse(html).items[1].published == datetime.date(2024, 3, 4)


def test_abbr_title_date(parse):
    html = one_item_page(
        '<div class="teaser"><h2><a href="/p{n}">Post {n}</a></h2>'
        '<abbr class="published" title="2019-07-0{n}T10:00:00+02:00">July</abbr><p>Text.</p></div>'
    )
    assert parse(html).items[1].published == datetime.date(2019, 7, 1)


def test_title_link_wrapped_around_heading_and_image_link_first(parse):
    html = one_item_page(
        '<div class="teaser"><a href="/p{n}"><img src="/i{n}.jpg"></a>'
        '<a href="/p{n}"><h2>Post {n} heading</h2></a><p>Text {n}.</p>'
        '<a href="/p{n}">Read more »</a></div>'
    )
    item = parse(html).items[1]
    assert item.title == "Post 1 heading"
    assert item.url == "https://blog.example/p1"
    assert item.image == "https://blog.example/i1.jpg"
    assert item.summary_text == "Text 1."


def test_unlinked_heading_takes_the_first_article_link(parse):
    html = one_item_page(
        '<div class="teaser"><h2>Post {n} heading</h2><p>Text {n}.</p>'
        '<a href="/tag/x/" rel="tag">x</a> <a href="/p{n}">Read the full story</a></div>'
    )
    item = parse(html).items[0]
    assert item.title == "Post 0 heading"
    assert item.url == "https://blog.example/p0"


def test_relative_urls_use_base_href(parse):
    html = page(
        "<ul>"
        + "".join(
            f'<li><h2><a href="p{n}.html">Post {n}</a></h2><p>Text {n}.</p></li>' for n in range(2)
        )
        + "</ul>",
        '<base href="https://cdn.example/blog/">',
    )
    listing = parse(html, url="https://www.example/tag/x")
    assert listing.items[0].url == "https://cdn.example/blog/p0.html"
    assert listing.page_url == "https://www.example/tag/x"


def test_relative_times_and_reading_times_are_not_teaser_text(parse):
    html = one_item_page(
        '<li class="card"><a href="/a/{n}"><img src="/i/{n}.jpg"></a><div class="card-body">'
        '<a class="card-link" href="/a/{n}">Card article {n} with a long title</a>'
        "<p>Teaser of card {n}, a sentence.</p><small>Updated 2 days ago</small>"
        "<span>4 min read</span></div></li>"
    )
    item = parse(html).items[1]
    assert item.title == "Card article 1 with a long title"
    assert item.summary_text == "Teaser of card 1, a sentence."
    assert item.image == "https://blog.example/i/1.jpg"


def test_table_rows_with_a_date_cell(parse):
    rows = "".join(
        f"<tr><td>2024-01-0{n}</td><td><a href='/t/{n}'>Table item {n}</a></td>"
        f"<td>Short teaser {n} goes here.</td></tr>"
        for n in range(1, 4)
    )
    listing = parse(page(f"<table>{rows}</table>"))
    assert [item.published.day for item in listing.items] == [1, 2, 3]
    assert listing.items[0].summary_text == "Short teaser 1 goes here."


def test_links_to_other_schemes_are_never_the_article_link(parse):
    html = one_item_page(
        '<div class="teaser"><h2><a href="javascript:alert({n})">Post {n}</a></h2>'
        '<p>Text {n}.</p><a href="data:text/html,x">Read the whole thing</a>'
        '<a href="mailto:me@example.com">Mail me</a> '
        '<a href="/real/{n}">Post {n} article</a></div>'
    )
    item = parse(html).items[0]
    assert item.url == "https://blog.example/real/0"
    assert item.title == "Post 0"


def test_numeric_date_inside_a_link_read_in_the_page_language(parse):
    blocks = "".join(
        f'<div class="teaser"><h2><a href="/p{n}">Post {n}</a></h2>'
        f'<a class="when" href="/archivio/2024/04/0{n}">0{n}/04/2024</a><p>Testo {n}.</p></div>'
        for n in range(1, 3)
    )
    html = f'<html lang="it"><body><main><h1>Tag</h1>{blocks}</main></body></html>'
    assert [item.published for item in parse(html).items] == [
        datetime.date(2024, 4, 1),
        datetime.date(2024, 4, 2),
    ]


def test_month_names_in_other_languages(parse):
    html = one_item_page(
        '<div class="teaser"><h2><a href="/p{n}">Post {n}</a></h2>'
        '<span class="meta">1{n} февраля 2016</span><p>Текст {n}.</p></div>'
    )
    assert parse(html).items[1].published == datetime.date(2016, 2, 11)


def test_a_teaser_in_an_info_box_is_kept_and_a_byline_named_by_its_id_is_not(parse):
    html = one_item_page(
        '<div class="post"><h2><a href="/p{n}">Post {n}</a></h2>'
        '<div class="info-block"><div class="text-box">Спешим сообщить о выходе нового '
        "программного обеспечения {n}.</div></div>"
        '<div id="wpcom-author"><p>Mark Armstrong</p></div></div>'
    )
    item = parse(html).items[1]
    assert item.summary_text == "Спешим сообщить о выходе нового программного обеспечения 1."


@pytest.mark.parametrize(
    "label", ["Continua a leggere »", "Devamı", "Читать далее", "Czytaj dalej", "続きを読む"]
)
def test_read_more_links_in_other_languages_leave_the_teaser_and_mark_it_cut(parse, label):
    html = one_item_page(
        '<div class="teaser"><h2><a href="/p{n}">Post {n}</a></h2>'
        f'<p>The teaser of post {{n}} stops here</p><a href="/p{{n}}">{label}</a></div>'
    )
    item = parse(html).items[1]
    assert item.summary_text == "The teaser of post 1 stops here"
    assert item.truncated is True


def test_a_teaser_without_read_more_is_not_marked_cut(parse):
    html = one_item_page(
        '<div class="teaser"><h2><a href="/p{n}">Post {n}</a></h2><p>Whole teaser {n}.</p></div>'
    )
    assert parse(html).items[1].truncated is False


def test_a_teaser_in_a_second_link_comes_without_the_links_labels(parse):
    """The teaser sits in a second link beside the title, with a section label, a hot-linked
    picture and a byline in it, and save/share actions after it."""
    html = one_item_page(
        '<div class="card"><h3 class="card__title"><a href="/a/{n}">Title of card {n}</a></h3>'
        '<a class="card__link" href="/a/{n}"><span class="card__section">Politics</span>'
        '<img src="https://cdn.other.example/img/{n}.jpg" alt=""><p>The teaser of card {n}.</p>'
        '<span class="card__byline">By Ann Author</span></a><div class="card__actions">'
        '<button>Save</button><a href="/share?u=/a/{n}" class="share">Share</a></div></div>'
    )
    item = parse(html).items[1]
    assert item.summary_text == "The teaser of card 1."
    assert item.image == "https://cdn.other.example/img/1.jpg"


def test_figure_captions_stay_in_full_post_summaries(parse):
    html = one_item_page(
        '<article class="post"><h2><a href="/p{n}">Post {n}</a></h2><div class="entry-content">'
        "<p>First paragraph of post {n}.</p><figure><img src='/i{n}.jpg'><figcaption>The harbour "
        "at dawn.</figcaption></figure><p>Last paragraph.</p></div></article>"
    )
    item = parse(html).items[1]
    assert item.summary_text == (
        "First paragraph of post 1.\n\nThe harbour at dawn.\n\nLast paragraph."
    )
    assert item.image == "https://blog.example/i1.jpg"


def test_a_cards_thumbnail_caption_is_no_teaser(parse):
    html = one_item_page(
        '<article class="post"><figure><img src="/i{n}.jpg"><figcaption>Photo: Ann</figcaption>'
        '</figure><h2><a href="/p{n}">Post {n}</a></h2><p>Teaser {n}.</p></article>'
    )
    assert parse(html).items[1].summary_text == "Teaser 1."


def test_a_date_prefix_in_the_teaser_is_the_date_and_not_teaser_text():
    """A press portal's cards: a company kicker above the title, the title link repeated
    by a read-more link, and the date in bold at the teaser's start."""
    html = one_item_page(
        '<div class="pmdiv"><h6><a href="/firmen/{n}">Company {n} GmbH</a></h6>'
        '<h1><a href="/pm-{n}">Press release number {n}</a></h1><div class="newsContent">'
        "<p><strong>1{n}.12.2022</strong> | Paris (iwr-pressedienst) - What happened "
        '{n}... <a href="/pm-{n}">weiter...</a></p></div></div>',
        count=3,
    )
    items = extract.listing(html, "https://press.example/").items
    assert [item.published for item in items] == [
        datetime.date(2022, 12, 10 + n) for n in range(3)
    ]
    assert items[1].title == "Press release number 1"
    assert items[1].summary_text == "Paris (iwr-pressedienst) - What happened 1"
    assert items[1].truncated is True


def test_a_picture_many_items_share_is_nobodys(parse):
    html = one_item_page(
        '<div class="teaser"><img src="/theme/card-{m}.png"><h2><a href="/p{n}">Post {n}</a></h2>'
        "<p>Text {n}.</p></div>",
        count=5,
    )
    html = html.replace("card-{m}", "card-default")
    assert [item.image for item in parse(html).items] == [None] * 5


def test_a_card_that_is_one_link_without_a_heading_keeps_title_and_teaser_apart(parse):
    html = one_item_page(
        '<li class="card"><a class="card__link" href="/s/{n}"><span class="card__kicker">'
        'Economy</span><div class="card__name">Story number {n} of the day</div><div class="'
        'card__text">What happened in story {n}, told in a sentence.</div></a></li>',
        count=3,
    )
    item = parse(html).items[1]
    assert item.title == "Story number 1 of the day"
    assert item.summary_text == "What happened in story 1, told in a sentence."
