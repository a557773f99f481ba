"""Small image files made with Pillow, for tests that import images."""

from __future__ import annotations

import io

from PIL import Image

CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


def image_bytes(kind: str = "PNG", colour: str = "teal", size: tuple[int, int] = (8, 6)) -> bytes:
    """An image of one colour in ``kind`` format (PNG, JPEG or WEBP)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, kind)
    return buffer.getvalue()


def serve_image(server, path: str, content: bytes, kind: str = "PNG", status: int = 200) -> str:
    """Route ``path`` on the test server to an image; returns its URL."""
    return server.route(
        path, body=content, status=status, headers={"Content-Type": CONTENT_TYPES[kind]}
    )
