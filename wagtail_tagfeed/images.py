"""Images from imported articles into Wagtail's image library, once each.

Downloading (:func:`download_images`) is network only and runs before the import's
transaction; it fetches with :func:`~wagtail_tagfeed.fetching.fetch_bytes`, several at once
(the limits, address checks and robots.txt of listing pages), checks that the bytes are an
image Wagtail accepts (its size read from the header and refused above the pixel limit before
anything is decoded, then decoded in full with Pillow, which Wagtail ships) and computes the
SHA-1 that Wagtail stores in ``file_hash``. Storing (:func:`store_images`) looks those hashes
up in one query and creates only the images the library does not have yet, so a file served
under two URLs, or imported again in a later run, is one image.
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
from django.utils.translation import gettext as _

from .conf import fetch_policy, get_setting
from .errors import ImageError, TagfeedError
from .fetching import Crawl, FetchPolicy, fetch_bytes, fetch_many

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


def validate(url: str, content: bytes, max_pixels: int = FetchPolicy.max_image_pixels) -> Download:
    """Decode ``content`` in full; raises :class:`ImageError` unless it is a usable image.

    The size comes from the file's header (Pillow opens lazily): an image of more than
    ``max_pixels`` (width × height × frames) is refused before it is decoded, so a small
    file cannot make us decode gigabytes.
    """
    from PIL import Image as PillowImage

    try:
        with PillowImage.open(io.BytesIO(content)) as image:
            kind = image.format
            width, height = image.size
            pixels = width * height * getattr(image, "n_frames", 1)
            if pixels > max_pixels:
                raise ImageError(
                    _("too many pixels (%(width)s × %(height)s, more than %(limit)s in all)")
                    % {"width": width, "height": height, "limit": f"{max_pixels:,}"}
                )
            image.load()
    except PillowImage.DecompressionBombError as error:
        raise ImageError(_("too many pixels")) from error
    except PillowImage.UnidentifiedImageError as error:
        raise ImageError(_("not an image")) from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise ImageError(_("broken image data")) from error
    if kind not in FORMATS:
        raise ImageError(_("unsupported image format %(format)s") % {"format": kind})
    return Download(url, content, FORMATS[kind], width, height)


def download_images(
    urls: Iterable[str],
    *,
    crawl: Crawl | None = None,
    max_images: int | None = None,
    locate: Callable[[str], str] | None = None,
) -> tuple[dict[str, Download], tuple[ImageFailure, ...]]:
    """Download each URL once, up to the run's image limit; failures carry their reason.

    ``crawl`` is the run the downloads belong to (by default one under the settings' policy,
    which refuses private hosts unless ``TAGFEED_ALLOW_PRIVATE_HOSTS`` is set). ``locate``
    gives the address to download a URL from, when it is not the URL itself.
    """
    crawl = crawl or Crawl(fetch_policy())
    policy = crawl.policy
    limit = get_setting("TAGFEED_MAX_IMAGES") if max_images is None else max_images
    unique = list(dict.fromkeys(urls))
    wanted, over = unique[:limit], unique[limit:]

    def download(url: str) -> Download:
        location = locate(url) if locate else url
        response = fetch_bytes(location, crawl=crawl, max_bytes=policy.max_image_bytes)
        return validate(url, response.content, policy.max_image_pixels)

    downloads: dict[str, Download] = {}
    failures: list[ImageFailure] = []
    for url, result in zip(wanted, fetch_many(wanted, crawl, download), strict=True):
        if isinstance(result, TagfeedError):
            failures.append(ImageFailure(url, result.reason))
        else:
            downloads[url] = result
    failures.extend(
        ImageFailure(url, _("more than %(count)s images in one import") % {"count": limit})
        for url in over
    )
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
