"""Conditional requests: validators go out, an unchanged page comes back as NotModified."""

import pytest

from wagtail_tagfeed.errors import FetchError
from wagtail_tagfeed.fetching import FetchPolicy, NotModified, Validators, fetch, fetch_bytes
from wagtail_tagfeed.listing import Document

PAGE = b"<!DOCTYPE html><html><head><title>t</title></head><body><p>Hello</p></body></html>"
LOCAL = FetchPolicy(allow_private=True, retries=0)
MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT"


def versioned(server, path: str, etag: list[str]) -> str:
    """Answer ``path`` with ETag ``etag[0]``, or 304 when the request holds that version."""

    def answer(request):
        current = etag[0]
        unchanged = request.headers.get("If-None-Match") == current or (
            "If-None-Match" not in request.headers
            and request.headers.get("If-Modified-Since") == MODIFIED
        )
        request.send_response(304 if unchanged else 200)
        request.send_header("ETag", current)
        request.send_header("Last-Modified", MODIFIED)
        if unchanged:
            request.end_headers()
            return
        request.send_header("Content-Type", "text/html")
        request.send_header("Content-Length", str(len(PAGE)))
        request.end_headers()
        request.wfile.write(PAGE)

    return server.handler(path, answer)


def test_unchanged_page_is_not_modified(http_server):
    version = ['"v1"']
    url = versioned(http_server, "/p", version)
    document = fetch(url, policy=LOCAL)
    assert (document.etag, document.last_modified) == ('"v1"', MODIFIED)
    assert document.validators == Validators('"v1"', MODIFIED)
    again = fetch(url, policy=LOCAL, validators=document.validators)
    assert again == NotModified(url, url, etag='"v1"', last_modified=MODIFIED)
    sent = http_server.requests[-1].headers
    assert (sent["If-None-Match"], sent["If-Modified-Since"]) == ('"v1"', MODIFIED)
    version[0] = '"v2"'
    changed = fetch(url, policy=LOCAL, validators=document.validators)
    assert isinstance(changed, Document) and changed.etag == '"v2"'
    assert changed.content == PAGE


def test_last_modified_alone(http_server):
    url = versioned(http_server, "/p", ['"v1"'])
    result = fetch(url, policy=LOCAL, validators=Validators(last_modified=MODIFIED))
    assert isinstance(result, NotModified)
    assert "If-None-Match" not in http_server.requests[-1].headers


def test_not_modified_after_a_redirect_names_the_final_url(http_server):
    final = versioned(http_server, "/new", ['"v1"'])
    old = http_server.redirect("/old", "/new")
    result = fetch(old, policy=LOCAL, validators=Validators('"v1"'))
    assert (result.source, result.url) == (old, final)


def test_fetch_bytes_is_conditional_too(http_server):
    url = versioned(http_server, "/image.png", ['"v1"'])
    assert isinstance(fetch_bytes(url, policy=LOCAL, validators=Validators('"v1"')), NotModified)
    assert fetch_bytes(url, policy=LOCAL).etag == '"v1"'


def test_no_validators_no_conditional_headers_and_no_validator_fields(http_server):
    url = http_server.route("/p", PAGE)
    document = fetch(url, policy=LOCAL, validators=Validators())
    assert isinstance(document, Document)
    assert (document.etag, document.last_modified) == (None, None)
    assert not {"If-None-Match", "If-Modified-Since"} & set(http_server.requests[-1].headers)


def test_a_304_nobody_asked_for_is_an_error(http_server):
    url = http_server.route("/p", status=304, headers={})
    with pytest.raises(FetchError) as excinfo:
        fetch(url, policy=LOCAL)
    assert str(excinfo.value) == f"{url}: HTTP 304 Not Modified"
