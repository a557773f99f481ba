"""Small image files made with Pillow, for tests that import images."""

from __future__ import annotations

import io
import struct
import zlib

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


def huge_png(width: int, height: int, *, data: bool = True) -> bytes:
    """A black-and-white PNG of ``width`` × ``height`` pixels, small because it is all zeros.

    Written by hand, row by row, so that making it takes no more memory than the file.
    Without ``data`` the pixel data is garbage: only a decoder would notice.
    """

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    compressor = zlib.compressobj(9)
    row = bytes(1 + (width + 7) // 8)  # filter byte, then the packed bits
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    if not data:
        pixels = b"not zlib data"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )
