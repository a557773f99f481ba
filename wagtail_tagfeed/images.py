"""Images from imported articles into Wagtail's image library, once each.

Downloading (:func:`download_images`) is network only and runs before the import's
transaction; it fetches with :func:`~wagtail_tagfeed.fetching.fetch_bytes` (the limits and
address checks of listing pages), checks that the bytes are an image Wagtail accepts (decoded
in full with Pillow, which Wagtail ships) and computes the SHA-1 that Wagtail stores in
``file_hash``. Storing (:func:`store_images`) looks those hashes up in one query and creates
only the images the library does not have yet, so a file served under two URLs, or imported
again in a later run, is one image.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.files.images import ImageFile
from django.utils.text import slugify

from .conf import get_setting
from .errors import FetchError, ImageError
from .fetching import fetch_bytes

logger = logging.getLogger(__name__)

FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
"""Pillow format names Wagtail accepts by default, with the extension files get."""


@dataclass(frozen=True)
class Download:
    """A downloaded, validated image file."""

    url: str
    content: bytes
    extension: str
    width: int
    height: int

    @property
    def file_hash(self) -> str:
        return file_hash(self.content)

    @property
    def filename(self) -> str:
        stem = PurePosixPath(unquote(urlsplit(self.url).path)).stem
        return f"{slugify(stem)[:80] or 'image'}.{self.extension}"


@dataclass(frozen=True)
class ImageFailure:
    url: str
    reason: str

    def __str__(self) -> str:
        return f"Image {self.url} not imported: {self.reason}."


def file_hash(content: bytes) -> str:
    """The SHA-1 of a file's bytes, as Wagtail computes ``file_hash``."""
    return hashlib.sha1(content).hexdigest()


def validate(url: str, content: bytes) -> Download:
    """Decode ``content`` in full; raises :class:`ImageError` unless it is a usable image."""
    from PIL import Image as PillowImage

    try:
        with PillowImage.open(io.BytesIO(content)) as image:
            kind = image.format
            image.load()
            width, height = image.size
    except PillowImage.DecompressionBombError as error:
        raise ImageError("too many pixels") from error
    except PillowImage.UnidentifiedImageError as error:
        raise ImageError("not an image") from error
    except (OSError, ValueError, SyntaxError) as error:
        raise ImageError("broken image data") from error
    if kind not in FORMATS:
        raise ImageError(f"unsupported image format {kind}")
    return Download(url, content, FORMATS[kind], width, height)


def download_images(
    urls: Iterable[str],
    *,
    timeout: float | None = None,
    max_bytes: int | None = None,
    max_images: int | None = None,
    allow_private: bool = True,
    locate: Callable[[str], str] | None = None,
) -> tuple[dict[str, Download], tuple[ImageFailure, ...]]:
    """Download each URL once, up to the run's image limit; failures carry their reason.

    ``locate`` gives the address to download a URL from, when it is not the URL itself.
    """
    timeout = timeout or get_setting("TAGFEED_TIMEOUT")
    max_bytes = max_bytes or get_setting("TAGFEED_MAX_IMAGE_BYTES")
    limit = get_setting("TAGFEED_MAX_IMAGES") if max_images is None else max_images
    downloads: dict[str, Download] = {}
    failures: list[ImageFailure] = []
    for position, url in enumerate(dict.fromkeys(urls)):
        if position >= limit:
            failures.append(ImageFailure(url, f"more than {limit} images in one import"))
            continue
        location = locate(url) if locate else url
        try:
            response = fetch_bytes(
                location, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private
            )
            downloads[url] = validate(url, response.content)
        except (FetchError, ImageError) as error:
            failures.append(ImageFailure(url, error.reason))
    return downloads, tuple(failures)


def get_collection(name: str | None = None):
    """The collection named ``name`` (created below the root if missing), or the root."""
    from wagtail.models import Collection

    root = Collection.get_first_root_node()
    if not name:
        return root
    found = Collection.objects.filter(name=name).order_by("path").first()
    return found or root.add_child(name=name)


def existing_images(downloads: Iterable[Download]) -> dict[str, int]:
    """Image ids already in the library, by file hash, in one query."""
    from wagtail.images import get_image_model

    hashes = {download.file_hash for download in downloads}
    rows = get_image_model().objects.filter(file_hash__in=hashes).order_by("pk")
    found: dict[str, int] = {}
    for pk, hash_ in rows.values_list("pk", "file_hash"):
        found.setdefault(hash_, pk)
    return found


def store_images(
    downloads: dict[str, Download],
    titles: dict[str, str],
    collection: str | None = None,
    written: list[str] | None = None,
) -> dict[str, int]:
    """Image ids by URL, creating the images the library lacks (titles by URL, or file name)
    in the collection named ``collection`` (the root collection when None).

    The names of the files saved to storage are appended to ``written``, the list that
    :func:`files_removed_on_error` gives, so that a rolled-back import leaves no files.
    """
    from wagtail.images import get_image_model

    model = get_image_model()
    by_hash = existing_images(downloads.values())
    collection = get_collection(collection) if downloads else None
    ids: dict[str, int] = {}
    for url, download in downloads.items():
        key = download.file_hash
        if key not in by_hash:
            title = titles.get(url) or PurePosixPath(download.filename).stem.replace("-", " ")
            image = model(
                title=title[:255],
                collection=collection,
                file=ImageFile(io.BytesIO(download.content), name=download.filename),
                width=download.width,
                height=download.height,
                file_size=len(download.content),
                file_hash=key,
            )
            image.save()
            if written is not None:
                written.append(image.file.name)
            by_hash[key] = image.pk
        ids[url] = by_hash[key]
    return ids


@contextmanager
def files_removed_on_error() -> Iterator[list[str]]:
    """A list for :func:`store_images` to note the files it saves; on an error they are removed.

    Put it outside the transaction: the image rows go with the rollback, their files with this.
    """
    written: list[str] = []
    try:
        yield written
    except BaseException:
        from wagtail.images import get_image_model

        storage = get_image_model()._meta.get_field("file").storage
        for name in written:
            try:
                storage.delete(name)
            except Exception:
                logger.warning("Could not delete the image file %s", name, exc_info=True)
        raise
