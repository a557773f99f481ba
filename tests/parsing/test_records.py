"""Detection of the repeated item blocks on an unknown page, ignoring site chrome."""

from __future__ import annotations

import datetime

from .conftest import page, teaser


def sidebar(count: int) -> str:
    entries = "".join(
        f'<li><a href="/popular-{n}">A very popular story number {n} from last year</a>'
        f" <span>{n * 100} views</span></li>"
        for n in range(count)
    )
    return f'<aside class="sidebar"><h2>Most read</h2><ul>{entries}</ul></aside>'


def menu() -> str:
    links = "".join(f'<li><a href="/section-{n}">Section {n}</a></li>' for n in range(12))
    return (
        f'<header class="site-header"><h1><a href="/">Site</a></h1><nav><ul>{links}</ul></nav>'
        "</header>"
    )


TAG_CLOUD = '<div class="tagcloud">' + " ".join(
    f'<a href="/tag/t{n}">t{n}</a>' for n in range(30)
) + "</div>"  # fmt: skip
FOOTER = (
    '<footer><ul><li><a href="/privacy">Privacy policy</a></li>'
    '<li><a href="/contact">Contact</a></li></ul></footer>'
)


def test_sidebar_with_more_entries_than_the_listing_is_ignored(parse):
    items = "".join(teaser(n) for n in range(1, 4))
    html = page(
        f"{menu()}<main><h1>Tag: turkey</h1>{items}</main>{sidebar(15)}{TAG_CLOUD}{FOOTER}"
    )
    listing = parse(html)
    assert [item.url for item in listing.items] == [
        f"https://blog.example/posts/story-{n}/" for n in range(1, 4)
    ]
    assert listing.heading == "Tag: turkey"


def test_sidebar_before_the_content_is_ignored_too(parse):
    items = "".join(teaser(n) for n in range(1, 3))
    html = page(f"{sidebar(8)}<div id='content'>{items}</div>")
    assert len(parse(html).items) == 2


def test_block_boundary_holds_one_item_each(parse):
    rows = "".join(
        f'<div class="row">{teaser(2 * n + 1)}{teaser(2 * n + 2)}</div>' for n in range(3)
    )
    listing = parse(page(f"<main>{rows}</main>"))
    assert len(listing.items) == 6
    assert "story 2" not in listing.items[0].summary_text


def test_items_without_classes_or_headings(parse):
    entries = "".join(
        f'<li><a href="/notes/{n}">Note number {n} on the road</a><br>'
        f"Some words about note {n} that make a short but real teaser.</li>"
        for n in range(5)
    )
    listing = parse(page(f"<ul class='menu'><li><a href='/'>Home</a></li></ul><ul>{entries}</ul>"))
    assert [item.title for item in listing.items] == [
        f"Note number {n} on the road" for n in range(5)
    ]
    assert listing.items[0].summary_text.startswith("Some words about note 0")


def test_cards_that_are_links(parse):
    cards = "".join(
        f'<a class="card" href="/c/{n}"><h3>Card {n} title</h3><p>Card {n} teaser text.</p></a>'
        for n in range(3)
    )
    listing = parse(page(f"<main><div class='grid'>{cards}</div></main>"))
    assert [item.title for item in listing.items] == [
        "Card 0 title",
        "Card 1 title",
        "Card 2 title",
    ]
    assert listing.items[2].summary_text == "Card 2 teaser text."


def test_title_only_listing(parse):
    entries = "".join(
        f'<li><span class="post-meta">Mar {n}, 2024</span><h3><a class="post-link" '
        f'href="/2024/03/0{n}/post-{n}.html">Post {n}</a></h3></li>'
        for n in range(1, 5)
    )
    listing = parse(
        page(f"<main><h1>Posts tagged turkey</h1><ul class='post-list'>{entries}</ul></main>")
    )
    assert len(listing.items) == 4
    assert listing.items[0].title == "Post 1"
    assert listing.items[0].summary_text == ""
    assert listing.items[0].published.isoformat() == "2024-03-01"


def test_featured_article_before_the_list_is_kept(parse):
    featured = (
        '<aside id="featured"><article><h1 class="entry-title"><a href="/posts/new/">Newest</a>'
        "</h1><p>The newest story, shown in full above the others.</p></article></aside>"
    )
    items = "".join(f"<li>{teaser(n)}</li>" for n in range(1, 3))
    html = page(
        f"{featured}<section id='content'><h1>Other articles</h1><ol>{items}</ol></section>"
    )
    listing = parse(html)
    assert [item.title for item in listing.items][:1] == ["Newest"]
    assert len(listing.items) == 3
    assert listing.heading is None


def test_flat_listing_without_an_element_per_item(parse):
    entries = "".join(
        f'<h2><a href="/p/{n}/">Flat post {n}</a></h2><p class="date">March {n + 1}, 2024</p>'
        f"<p>Teaser of flat post {n}, with enough words to count.</p><p>More of post {n}.</p>"
        for n in range(4)
    )
    html = page(f'<div id="content"><h1>Tag: turkey</h1>{entries}<hr><p>Page 1 of 1</p></div>')
    listing = parse(html)
    assert [item.title for item in listing.items] == [f"Flat post {n}" for n in range(4)]
    assert listing.items[1].summary_text == (
        "Teaser of flat post 1, with enough words to count.\n\nMore of post 1."
    )
    assert listing.items[1].published.isoformat() == "2024-03-02"
    assert "Page 1 of 1" not in listing.items[3].summary_text
    assert listing.heading == "Tag: turkey"


def test_ads_and_cookie_banners_between_items_are_not_items(parse):
    items = [teaser(n) for n in range(1, 5)]
    ad = (
        '<article class="ad"><h2><a href="https://ads.example/click?c=1" rel="sponsored">'
        "Buy the best carpets in town</a></h2><p>Today only, with a discount of thirty "
        "percent on every rug in the shop.</p></article>"
    )
    banner = (
        '<div class="cookie-consent"><p>We use cookies to give you a better experience on '
        'this site. See our <a href="/cookies">cookie policy</a>.</p></div>'
    )
    html = page(f"<main>{items[0]}{items[1]}{ad}{items[2]}{items[3]}</main>{banner}")
    listing = parse(html)
    assert [item.url for item in listing.items] == [
        f"https://blog.example/posts/story-{n}/" for n in range(1, 5)
    ]


def test_unmarked_sidebar_with_excerpts_loses_to_the_headed_listing(parse):
    main = "".join(
        f"<div><h2><a href='/p/{n}'>Main post {n}</a></h2><p>March {n + 1}, 2024</p>"
        f"<p>{'Teaser words here. ' * 8}</p></div>"
        for n in range(3)
    )
    side = "".join(
        f"<div><h4><a href='/r/{n}'>Recent thing {n}</a></h4>"
        f"<p>Short excerpt of recent thing {n} for the box.</p></div>"
        for n in range(10)
    )
    html = page(
        "<div class='container'><div class='col-md-8'><h1>Tag: turkey</h1>"
        f"{main}</div><div class='col-md-4'><h3>Recent</h3>{side}</div></div>"
    )
    listing = parse(html)
    assert [item.title for item in listing.items] == ["Main post 0", "Main post 1", "Main post 2"]


def test_majority_classes_no_block_carries_all_still_end(parse):
    """Each class is on most blocks but no block has them all: grouping must still end."""
    blocks = "".join(
        f'<div class="{names}"><h2><a href="/posts/{n}/">Story number {n} of the day</a></h2>'
        f"<p>Teaser text of story {n}, long enough to count.</p></div>"
        for n, names in enumerate(["card wide", "wide dark", "card dark"] * 2)
    )
    assert len(parse(page(f"<main>{blocks}</main>")).items) == 6


def test_block_links_around_articles_beat_a_shorter_promo_group(parse):
    """Cards that are one link around an ``<article>`` with an ``h4`` title, against three
    promo cards with more text of their own in a box beside them."""
    cards = "".join(
        f'<a class="card-link" href="/news/{n}"><article class="card"><img src="/i/{n}.jpg">'
        f"<h4>Headline of news story {n}</h4><p>Short teaser of story {n}.</p>"
        f"<span>12.03.2024</span></article></a>"
        for n in range(1, 9)
    )
    promos = "".join(
        f'<div class="box-item"><h3><a href="/offer/{n}">Offer {n}</a></h3><p>'
        + "A long promotional text about the offer, repeated to be long. " * 5
        + "</p></div>"
        for n in range(1, 4)
    )
    html = page(f'<div class="content"><div class="grid">{cards}</div></div><div>{promos}</div>')
    listing = parse(html)
    assert [item.url for item in listing.items] == [
        f"https://blog.example/news/{n}" for n in range(1, 9)
    ]
    assert listing.items[0].title == "Headline of news story 1"
    assert listing.items[0].summary_text == "Short teaser of story 1."


def aggregator_rows(number: int) -> str:
    """One item of a link aggregator: a title row, a row of points and comments, a spacer
    (the markup of Hacker News-like sites)."""
    return (
        f'<tr class="athing" id="{number}"><td class="title"><span class="rank">{number}.</span>'
        f'</td><td class="votelinks"><a href="vote?id={number}&amp;how=up"><div class="votearrow">'
        f'</div></a></td><td class="title"><span class="titleline"><a href="https://ext{number}'
        f'.example/story">An outbound story number {number}</a><span class="sitebit"> (<a href'
        f'="from?site=ext{number}.example">ext{number}.example</a>)</span></span></td></tr>'
        f'<tr><td colspan="2"></td><td class="subtext"><span class="score">{number}0 points'
        f'</span> by <a href="user?id=ann" class="hnuser">ann</a> <span class="age" title="2024'
        f'-05-01T10:00:00"><a href="item?id={number}">{number} hours ago</a></span> | <a href="'
        f'hide?id={number}">hide</a> | <a href="item?id={number}">{number} comments</a></td></tr>'
        '<tr class="spacer" style="height:5px"></tr>'
    )


def test_two_table_rows_per_item_make_one_item(parse):
    rows = "".join(aggregator_rows(n) for n in range(1, 8))
    html = page(
        f'<table id="hnmain"><tr><td><table><tr><td><a href="news">News</a></td></tr></table>'
        f'</td></tr><tr><td><table class="itemlist">{rows}</table></td></tr></table>'
    )
    listing = parse(html, url="https://news.example/news")
    assert [item.url for item in listing.items] == [
        f"https://ext{n}.example/story" for n in range(1, 8)
    ]
    first = listing.items[0]
    assert first.title == "An outbound story number 1"
    assert first.summary_text == ""
    assert first.published is None


def card(number: int, names: str, image: bool = False) -> str:
    picture = f'<div class="media"><a href="/s/{number}"><img src="/i/{number}.jpg"></a></div>'
    return (
        f'<div class="{names}">{picture if image else ""}<h3><a href="/s/{number}">Story '
        f"number {number} of the list</a></h3><p>Teaser of story {number}, a sentence.</p></div>"
    )


def test_cards_of_one_list_with_other_classes_are_kept(parse):
    """A featured first card and cards with an image block wear other classes than the
    plain cards: they are items of the same list all the same."""
    cards = (
        card(1, "hero-card", image=True)
        + "".join(card(n, "teaser") for n in (2, 3))
        + card(4, "teaser-with-image", image=True)
        + "".join(card(n, "teaser") for n in (5, 6, 7))
        + '<div class="ad"><a href="https://ads.example/c">Buy things, cheap things</a></div>'
    )
    html = page(f'<main><h1>Topic</h1><div class="list">{cards}</div></main>')
    listing = parse(html)
    assert [item.url for item in listing.items] == [
        f"https://blog.example/s/{n}" for n in range(1, 8)
    ]
    assert listing.items[3].image == "https://blog.example/i/4.jpg"


def test_the_other_sections_of_a_front_page_join_the_list(parse):
    """A magazine front page: a slider of cards, then sections of the same cards under
    other parents (BEM modifiers differ: prominent, small)."""

    def cover(number: int, size: str) -> str:
        return (
            f'<div><article class="cover style-default cover--{size}"><div class="cover__image">'
            f'<a href="/en/topic/{number}"><img src="/f/{number}.jpg"></a></div><div class="co'
            f'ver__inner"><h3><a href="/en/topic/{number}">Cover story {number}</a></h3><div c'
            f'lass="cover__text">What cover story {number} is about.</div></div></article></div>'
        )

    slider = "".join(f'<div class="slide-item">{cover(n, "prominent")}</div>' for n in range(4))
    sections = "".join(
        f'<section class="topic"><h2>Topic {s}</h2><div class="topic__items">'
        + "".join(cover(10 * s + n, "small") for n in range(2))
        + "</div></section>"
        for s in (1, 2)
    )
    html = page(f'<main><div class="slider">{slider}</div>{sections}</main>')
    urls = [item.url for item in parse(html, url="https://mag.example/en").items]
    assert urls == [f"https://mag.example/en/topic/{n}" for n in (0, 1, 2, 3, 10, 11, 20, 21)]


def test_a_flat_card_keeps_the_picture_and_date_written_before_its_title(parse):
    cards = "".join(
        f'<a class="thumb" href="/n/{n}"><img src="/i/{n}.jpg"></a>'
        f'<span class="date">1{n}.03.2024</span>'
        f'<h3><a href="/n/{n}">News item number {n}</a></h3>'
        f"<p>The teaser of news item {n}, which says what happened.</p>"
        for n in range(1, 5)
    )
    html = page(f'<main><h1>News</h1><div class="news">{cards}</div></main>')
    items = parse(html).items
    assert [(item.image, item.published.day) for item in items] == [
        (f"https://blog.example/i/{n}.jpg", 10 + n) for n in range(1, 5)
    ]
    assert items[1].summary_text == "The teaser of news item 2, which says what happened."


def test_a_header_row_above_one_row_items_makes_no_row_pairs(parse):
    """A forum board: a "who is viewing" row, then one row per topic (classless rows)."""
    rows = "".join(
        f'<tr><td class="subject"><span><a href="/forum/index.php?topic={n}.0">Topic number '
        f'{n} asks a question</a></span><p>Started by user{n}</p></td><td class="stats">{n} '
        f'Replies<br />{n}0 Views</td><td class="lastpost">May 0{n}, 2013, 13:43:35 PM<br />'
        f'by <a href="/forum/index.php?action=profile;u={n}">kam</a></td></tr>'
        for n in range(1, 8)
    )
    html = page(
        '<table class="table_grid"><tbody><tr class="windowbg2 whos_viewing"><td colspan="3">'
        f"0 Members and 2 Guests are viewing this board.</td></tr>{rows}</tbody></table>"
    )
    items = parse(html, url="https://forum.example/forum/index.php?board=18.0").items
    assert [item.url for item in items] == [
        f"https://forum.example/forum/index.php?topic={n}.0" for n in range(1, 8)
    ]
    assert items[0].published == datetime.date(2013, 5, 1)


def test_on_a_tag_page_cards_of_another_section_do_not_join(parse):
    def card(number: int) -> str:
        return (
            f'<article class="card"><h3><a href="/p/{number}">Post number {number} here</a>'
            f"</h3><p>Teaser of post {number}.</p></article>"
        )

    listing = "".join(card(n) for n in range(1, 5))
    related = "".join(card(n) for n in range(10, 13))
    html = page(
        f'<main><h1>Tag: turkey</h1><div class="list">{listing}</div>'
        f'<section class="more"><h2>More reading</h2><div>{related}</div></section></main>'
    )
    urls = [item.url for item in parse(html, url="https://blog.example/tag/turkey/").items]
    assert urls == [f"https://blog.example/p/{n}" for n in range(1, 5)]
