"""Image selection: src, srcset, lazy-loading attributes; no placeholders or pixels."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from wagtail_tagfeed.parsing.images import find_image, image_url, largest_candidate

BASE = "https://blog.example/tag/turkey/"


def first_img(html: str):
    return BeautifulSoup(html, "lxml").find(("img", "source"))


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<img src="/a.jpg">', "https://blog.example/a.jpg"),
        ('<img srcset="/s.jpg 300w, /l.jpg 1200w, /m.jpg 800w">', "https://blog.example/s.jpg"),
        ('<img srcset="/a.jpg, /b.jpg 2x">', "https://blog.example/a.jpg"),
        ('<img src="/shown-300.jpg" srcset="/s.jpg 300w, /l.jpg 1200w">', "https://blog.example/shown-300.jpg"),
        ('<img src="/img/lazy-load.gif" data-src="/real.jpg">', "https://blog.example/real.jpg"),
        ('<img src="data:image/gif;base64,R0lGOD" data-src="/real.jpg">', "https://blog.example/real.jpg"),
        ('<img src="/placeholder.png" data-lazy-src="/real.jpg">', "https://blog.example/real.jpg"),
        ('<img data-original="/real.jpg">', "https://blog.example/real.jpg"),
        ('<img src="data:image/svg+xml,x" data-srcset="/a.jpg 1x, /b.jpg 2x">', "https://blog.example/a.jpg"),
        ('<img src="data:image/gif;base64,R0lGOD">', None),
        ('<img src="/t.gif" width="1" height="1">', None),
        ('<img src="https://tracker.example/pixel.gif?id=3">', None),
        ('<img class="avatar avatar-96" src="/me.jpg">', None),
    ],
)  # fmt: skip
def test_image_url(html, expected):
    assert image_url(first_img(html), BASE) == expected


def test_largest_candidate_keeps_the_first_of_equal_sizes():
    assert largest_candidate("/a.jpg 800w, /b.jpg 800w") == "/a.jpg"
    assert largest_candidate("") is None


def block_of(html: str):
    return BeautifulSoup(html, "lxml").body.contents[0]


def test_find_image_takes_the_picture_img_not_its_alternative_crops():
    block = block_of(
        '<div><img src="/spacer.gif"><picture><source srcset="/p-small.webp 400w, '
        '/p-big.webp 1600w"><img src="/p.jpg"></picture></div>'
    )
    assert find_image(block.find_all(True), BASE, block) == "https://blog.example/p.jpg"
    assert find_image(BeautifulSoup("<p>no image</p>", "lxml").find_all(True), BASE) is None


def test_a_picture_without_usable_img_falls_back_to_its_source():
    block = block_of(
        '<div><picture><source srcset="/p.webp 1x"><img src="data:,x"></picture></div>'
    )
    assert find_image(block.find_all(True), BASE, block) == "https://blog.example/p.webp"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<div style="background-image: url( \'/bg.jpg?w=720\' );"></div>', "/bg.jpg?w=720"),
        ('<div style="background:#000 url(/bg.png) no-repeat"></div>', "/bg.png"),
        ('<div style="background-image: url(/unclosed.jpg"></div>', "/unclosed.jpg"),
        ('<div class="lazy" data-bg="/lazy-bg.jpg"></div>', "/lazy-bg.jpg"),
        ('<div data-background-image="url(/lazy.jpg)"></div>', "/lazy.jpg"),
        ('<div style="color: red"></div>', None),
    ],
)  # fmt: skip
def test_css_background_images(html, expected):
    block = block_of(f"<article>{html}</article>")
    found = find_image(block.find_all(True), BASE, block)
    assert found == (f"https://blog.example{expected}" if expected else None)


def test_noscript_fallback_inside_a_custom_element():
    block = block_of(
        '<article><lazy-image><img src="data:image/gif;base64,R0lGOD">'
        '<noscript><img src="/real.jpg"></noscript></lazy-image></article>'
    )
    assert find_image(block.find_all("noscript"), BASE, block) == "https://blog.example/real.jpg"


def test_share_buttons_are_no_pictures():
    block = block_of(
        '<div><div class="social-box"><a href="https://vk.com/share.php?url=x">'
        '<img src="/vk.jpg"></a></div><a href="https://facebook.com/sharer.php?u=x">'
        '<img src="/fb.png"></a></div>'
    )
    assert find_image(block.find_all(True), BASE, block) is None


@pytest.mark.parametrize(
    "src", ["/images/defaultpic.gif", "/img/no-image.png", "/static/noimage_thumb.jpg"]
)
def test_a_sites_no_picture_placeholder_is_no_picture(src):
    assert image_url(first_img(f'<img src="{src}">'), BASE) is None


@pytest.mark.parametrize(
    ("href", "share"),
    [
        ("https://vk.com/share.php?url=x", True),
        ("https://www.facebook.com/sharer/sharer.php?u=x", True),
        ("/share?u=/a/1", True),
        ("https://twitter.com/intent/tweet?text=x", True),
        ("/nyheter/artikkel/icelandair-og-jetblue-innleder-codeshare-samarbeid/", False),
        ("/blog/shareholders-meeting-2024", False),
    ],
)
def test_share_buttons_are_told_from_articles_about_sharing(href, share):
    block = block_of(f'<div><a href="{href}"><img src="/pic.jpg"></a></div>')
    found = find_image(block.find_all(True), BASE, block)
    assert (found is None) is share
