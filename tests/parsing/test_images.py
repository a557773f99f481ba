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
        ('<img srcset="/s.jpg 300w, /l.jpg 1200w, /m.jpg 800w">', "https://blog.example/l.jpg"),
        ('<img srcset="/a.jpg, /b.jpg 2x">', "https://blog.example/b.jpg"),
        ('<img src="data:image/gif;base64,R0lGOD" data-src="/real.jpg">', "https://blog.example/real.jpg"),
        ('<img src="/placeholder.png" data-lazy-src="/real.jpg">', "https://blog.example/real.jpg"),
        ('<img data-original="/real.jpg">', "https://blog.example/real.jpg"),
        ('<img src="data:image/svg+xml,x" data-srcset="/a.jpg 1x, /b.jpg 2x">', "https://blog.example/b.jpg"),
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


def test_find_image_skips_unusable_images_and_reads_picture_sources():
    block = BeautifulSoup(
        '<div><img src="/spacer.gif"><picture><source srcset="/p-small.webp 400w, '
        '/p-big.webp 1600w"><img src="/p.jpg"></picture></div>',
        "lxml",
    ).div
    assert find_image(block.find_all(True), BASE) == "https://blog.example/p-big.webp"
    assert find_image(BeautifulSoup("<p>no image</p>", "lxml").find_all(True), BASE) is None
