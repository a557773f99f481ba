"""The StreamField data an article's cleaned blocks become in its draft."""

from wagtail_tagfeed.drafting import body_data
from wagtail_tagfeed.parsing.article import Block


def test_an_image_with_a_caption_becomes_a_captioned_image():
    blocks = [
        Block("image", {"url": "https://x.example/a.jpg", "alt": "A harbour", "caption": ""}),
        Block("image", {"url": "https://x.example/b.jpg", "alt": "", "caption": "At dawn"}),
        Block("image", {"url": "https://x.example/missing.jpg", "alt": "", "caption": ""}),
    ]
    data = body_data(blocks, {"https://x.example/a.jpg": 1, "https://x.example/b.jpg": 2})
    assert data == (
        {"type": "image", "value": {"image": 1, "alt_text": "A harbour", "decorative": False}},
        {
            "type": "captioned_image",
            "value": {
                "image": {"image": 2, "alt_text": "At dawn", "decorative": False},
                "caption": "At dawn",
            },
        },
    )
