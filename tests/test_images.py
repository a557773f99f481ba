"""Images into Wagtail's library: validated, limited, deduplicated by file hash."""

import dataclasses

import pytest
from wagtail.images import get_image_model
from wagtail.models import Collection

from tests.support.images import huge_png, image_bytes, serve_image
from wagtail_tagfeed.errors import ImageError
from wagtail_tagfeed.fetching import Crawl, FetchPolicy, addresses
from wagtail_tagfeed.images import (
    download_images,
    file_hash,
    get_collection,
    store_images,
    validate,
)
from wagtail_tagfeed.options import ImportOptions

Image = get_image_model()
LOCAL = FetchPolicy(allow_private=True, retries=0)


def local(**changes) -> Crawl:
    """A run that may fetch the test server on 127.0.0.1."""
    return Crawl(dataclasses.replace(LOCAL, **changes))


def reasons(failures):
    return {failure.url: failure.reason for failure in failures}


def test_downloads_png_jpeg_and_webp(http_server):
    urls = [
        serve_image(http_server, f"/img/{kind}", image_bytes(kind), kind)
        for kind in ("PNG", "JPEG", "WEBP")
    ]
    downloads, failures = download_images(urls, crawl=local())
    assert failures == ()
    assert [downloads[url].extension for url in urls] == ["png", "jpg", "webp"]
    assert {(d.width, d.height) for d in downloads.values()} == {(8, 6)}


def test_each_failure_has_its_url_and_reason(http_server):
    missing = http_server.url("/missing.png")
    page = http_server.route("/page.png", body="<html><body>hi</body></html>")
    broken = serve_image(http_server, "/broken.png", image_bytes("PNG", size=(40, 40))[:60])
    huge = serve_image(
        http_server, "/huge.png", image_bytes("PNG", size=(300, 300)) + b"\0" * 3000
    )
    bmp = http_server.route("/anim.bmp", body=b"BM" + b"\0" * 60, headers={})
    downloads, failures = download_images(
        [missing, page, broken, huge, bmp], crawl=local(max_image_bytes=2000)
    )
    assert downloads == {}
    found = reasons(failures)
    assert found[missing] == "HTTP 404 Not Found"
    assert found[page] == "not an image"
    assert found[broken] == "broken image data"
    assert found[huge] == "larger than 2,000 bytes"
    assert found[bmp] in ("not an image", "broken image data")
    assert all(
        str(failure).startswith(f"Image {failure.url} not imported: ") for failure in failures
    )


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_small_file_with_huge_dimensions_is_refused_before_decoding():
    """13,000 × 13,000 pixels in 21 KB: refused from the header, before Pillow decodes it."""
    bomb = huge_png(13_000, 13_000)
    assert len(bomb) < 100_000
    with pytest.raises(ImageError) as excinfo:
        validate("https://news.example/bomb.png", bomb)
    assert str(excinfo.value) == "too many pixels (13000 × 13000, more than 50,000,000 in all)"
    # Its pixel data is cut short: only refusing before decoding gives this reason.
    with pytest.raises(ImageError, match="too many pixels"):
        validate("https://news.example/bomb.png", huge_png(13_000, 13_000, data=False))
    with pytest.raises(ImageError, match="broken image data"):
        validate("https://news.example/small.png", huge_png(100, 100, data=False))


def test_pixel_limits_of_ours_and_of_wagtail(http_server, settings):
    settings.TAGFEED_ALLOW_PRIVATE_HOSTS = True
    small = serve_image(http_server, "/small.png", image_bytes(size=(8, 6)))
    large = serve_image(http_server, "/large.png", image_bytes(size=(20, 20)))
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100
    downloads, failures = download_images([small, large])
    assert list(downloads) == [small]
    assert reasons(failures) == {large: "too many pixels (20 × 20, more than 100 in all)"}
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = None
    settings.TAGFEED_MAX_IMAGE_PIXELS = 399
    assert reasons(download_images([large])[1]) == {
        large: "too many pixels (20 × 20, more than 399 in all)"
    }
    settings.TAGFEED_MAX_IMAGE_PIXELS = 400
    assert download_images([large])[1] == ()


def test_count_limit_per_run(http_server, settings):
    settings.TAGFEED_MAX_IMAGES = 2
    urls = [serve_image(http_server, f"/{n}.png", image_bytes(colour=f"#0{n}0")) for n in range(3)]
    downloads, failures = download_images(urls, crawl=local())
    assert list(downloads) == urls[:2]
    assert reasons(failures) == {urls[2]: "more than 2 images in one import"}


def test_private_addresses_refused_by_default(http_server, settings):
    url = serve_image(http_server, "/a.png", image_bytes())
    downloads, failures = download_images([url])
    assert downloads == {}
    assert "non-public address" in failures[0].reason
    settings.TAGFEED_ALLOW_PRIVATE_HOSTS = True
    downloads, failures = download_images([url])
    assert failures == () and list(downloads) == [url]


def test_settings_limit_the_downloads(http_server, settings):
    settings.TAGFEED_ALLOW_PRIVATE_HOSTS = True
    settings.TAGFEED_MAX_IMAGE_BYTES = 2000
    url = serve_image(http_server, "/big.png", image_bytes() + b"\0" * 3000)
    downloads, failures = download_images([url])
    assert downloads == {}
    assert reasons(failures) == {url: "larger than 2,000 bytes"}


def test_every_redirect_hop_is_checked(http_server, monkeypatch):
    monkeypatch.setattr(addresses, "is_public", lambda ip: str(ip) == "127.0.0.1")
    url = http_server.redirect("/a.png", f"http://127.0.0.2:{http_server.port}/internal.png")
    downloads, failures = download_images([url], crawl=local(allow_private=False))
    assert downloads == {}
    assert "127.0.0.2 is on a non-public address" in failures[0].reason
    assert [request.path for request in http_server.requests] == ["/a.png"]


def test_a_trickling_download_stops_at_the_deadline(http_server):
    url = http_server.trickle("/slow.png", image_bytes(), "image/png")
    downloads, failures = download_images([url], crawl=local(timeout=1))
    assert downloads == {}
    assert reasons(failures) == {url: "timed out: the download took longer than 1 s"}


def test_redirects_are_followed(http_server):
    url = serve_image(http_server, "/real.png", image_bytes())
    old = http_server.redirect("/old.png", url)
    downloads, failures = download_images([old], crawl=local())
    assert failures == () and downloads[old].content == image_bytes()


@pytest.mark.django_db
def test_same_file_under_two_urls_and_across_runs_is_one_image(http_server):
    content = image_bytes("JPEG", "orange")
    first = serve_image(http_server, "/a/photo.jpg", content, "JPEG")
    second = serve_image(http_server, "/b/copy.jpg", content, "JPEG")
    downloads, _ = download_images([first, second], crawl=local())
    ids = store_images(downloads, {first: "An orange square"})
    assert ids[first] == ids[second]
    image = Image.objects.get()
    assert image.title == "An orange square"
    assert image.file_hash == file_hash(content) == image.get_file_hash()
    assert (image.width, image.height, image.file_size) == (8, 6, len(content))
    assert image.collection == Collection.get_first_root_node()
    assert store_images(downloads, {}) == ids
    assert Image.objects.count() == 1


@pytest.mark.django_db
def test_title_from_file_name_and_named_collection(http_server, settings):
    settings.TAGFEED_IMAGE_COLLECTION = "Imported"
    url = serve_image(http_server, "/media/sunny-harbour.png", image_bytes())
    downloads, _ = download_images([url], crawl=local())
    store_images(downloads, {}, ImportOptions.from_settings().collection)
    image = Image.objects.get()
    assert image.title == "sunny harbour"
    assert image.collection.name == "Imported"
    assert get_collection("Other").get_parent() == Collection.get_first_root_node()
    assert get_collection("Imported") == image.collection
