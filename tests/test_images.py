"""Images into Wagtail's library: validated, limited, deduplicated by file hash."""

import pytest
from wagtail.images import get_image_model
from wagtail.models import Collection

from tests.support.images import image_bytes, serve_image
from wagtail_tagfeed import fetching
from wagtail_tagfeed.images import (
    download_images,
    file_hash,
    get_collection,
    store_images,
)
from wagtail_tagfeed.options import ImportOptions

Image = get_image_model()


def reasons(failures):
    return {failure.url: failure.reason for failure in failures}


def test_downloads_png_jpeg_and_webp(http_server):
    urls = [
        serve_image(http_server, f"/img/{kind}", image_bytes(kind), kind)
        for kind in ("PNG", "JPEG", "WEBP")
    ]
    downloads, failures = download_images(urls, allow_private=True)
    assert failures == ()
    assert [downloads[url].extension for url in urls] == ["png", "jpg", "webp"]
    assert {(d.width, d.height) for d in downloads.values()} == {(8, 6)}


def test_each_failure_has_its_url_and_reason(http_server, settings):
    settings.TAGFEED_MAX_IMAGE_BYTES = 2000
    missing = http_server.url("/missing.png")
    page = http_server.route("/page.png", body="<html><body>hi</body></html>")
    broken = serve_image(http_server, "/broken.png", image_bytes("PNG", size=(40, 40))[:60])
    huge = serve_image(
        http_server, "/huge.png", image_bytes("PNG", size=(300, 300)) + b"\0" * 3000
    )
    bmp = http_server.route("/anim.bmp", body=b"BM" + b"\0" * 60, headers={})
    downloads, failures = download_images([missing, page, broken, huge, bmp], allow_private=True)
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


def test_count_limit_per_run(http_server, settings):
    settings.TAGFEED_MAX_IMAGES = 2
    urls = [serve_image(http_server, f"/{n}.png", image_bytes(colour=f"#0{n}0")) for n in range(3)]
    downloads, failures = download_images(urls, allow_private=True)
    assert list(downloads) == urls[:2]
    assert reasons(failures) == {urls[2]: "more than 2 images in one import"}


def test_private_addresses_refused_when_not_allowed(http_server):
    url = serve_image(http_server, "/a.png", image_bytes())
    downloads, failures = download_images([url], allow_private=False)
    assert downloads == {}
    assert "non-public address" in failures[0].reason


def test_every_redirect_hop_is_checked(http_server, monkeypatch):
    monkeypatch.setattr(fetching, "_is_public", lambda ip: str(ip) == "127.0.0.1")
    url = http_server.redirect("/a.png", f"http://127.0.0.2:{http_server.port}/internal.png")
    downloads, failures = download_images([url], allow_private=False)
    assert downloads == {}
    assert "127.0.0.2 is on a non-public address" in failures[0].reason
    assert [request.path for request in http_server.requests] == ["/a.png"]


def test_a_trickling_download_stops_at_the_deadline(http_server):
    url = http_server.trickle("/slow.png", image_bytes(), "image/png")
    downloads, failures = download_images([url], timeout=1, allow_private=True)
    assert downloads == {}
    assert reasons(failures) == {url: "timed out: the download took longer than 1 s"}


def test_redirects_are_followed(http_server):
    url = serve_image(http_server, "/real.png", image_bytes())
    old = http_server.redirect("/old.png", url)
    downloads, failures = download_images([old], allow_private=True)
    assert failures == () and downloads[old].content == image_bytes()


@pytest.mark.django_db
def test_same_file_under_two_urls_and_across_runs_is_one_image(http_server):
    content = image_bytes("JPEG", "orange")
    first = serve_image(http_server, "/a/photo.jpg", content, "JPEG")
    second = serve_image(http_server, "/b/copy.jpg", content, "JPEG")
    downloads, _ = download_images([first, second], allow_private=True)
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
    downloads, _ = download_images([url], allow_private=True)
    store_images(downloads, {}, ImportOptions.from_settings().collection)
    image = Image.objects.get()
    assert image.title == "sunny harbour"
    assert image.collection.name == "Imported"
    assert get_collection("Other").get_parent() == Collection.get_first_root_node()
    assert get_collection("Imported") == image.collection
