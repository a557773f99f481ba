"""Reading pages from files, standard input and real HTTP servers on 127.0.0.1."""

import dataclasses
import gzip
import io
import socket
import zlib

import pytest

from wagtail_tagfeed import __version__
from wagtail_tagfeed.errors import FetchError, NotHTMLError
from wagtail_tagfeed.fetching import FetchPolicy, addresses, decode_html, fetch, fetch_bytes

PAGE = b"<!DOCTYPE html><html><head><title>t</title></head><body><p>Hello</p></body></html>"
TURKISH = "<html><body><p>Dışişleri Bakanı Çavuşoğlu ateşkes çağrısı yaptı.</p></body></html>"


LOCAL = FetchPolicy(allow_private=True, retries=0)
"""The test servers are on 127.0.0.1; retries have tests of their own."""


def local(**changes) -> FetchPolicy:
    return dataclasses.replace(LOCAL, **changes)


def message(excinfo: pytest.ExceptionInfo) -> str:
    text = str(excinfo.value)
    assert "\n" not in text and text == text.strip()
    return text


def html_file(tmp_path, content: bytes, name: str = "page.html") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Files and standard input


def test_file_is_read_with_base_url_and_encoding(tmp_path):
    path = html_file(tmp_path, PAGE)
    document = fetch(path, base_url="https://news.example/tag/x", encoding="CP1254")
    assert document.content == PAGE
    assert document.source == path
    assert document.url == "https://news.example/tag/x"
    assert document.encoding == "cp1254"
    assert document.content_type is None


def test_missing_file(tmp_path):
    path = str(tmp_path / "missing.html")
    with pytest.raises(FetchError) as excinfo:
        fetch(path)
    assert message(excinfo) == f"{path}: file not found"


def test_directory_is_not_a_file(tmp_path):
    with pytest.raises(FetchError) as excinfo:
        fetch(str(tmp_path))
    assert "directory" in message(excinfo)


@pytest.mark.parametrize("content", [b"", b"  \n\t "])
def test_empty_file(tmp_path, content):
    with pytest.raises(NotHTMLError) as excinfo:
        fetch(html_file(tmp_path, content))
    assert "empty" in message(excinfo)


def test_file_larger_than_limit(tmp_path):
    with pytest.raises(FetchError) as excinfo:
        fetch(html_file(tmp_path, PAGE), policy=FetchPolicy(max_bytes=10))
    assert message(excinfo).endswith("larger than 10 bytes")


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "WebP"),
        (b' {"items": [{"title": "<b>not a page</b>"}]}', "JSON"),
        (b"<html>\x00\x01\x02\x03 binary", "binary"),
        (b"Just some words, no markup at all.", "does not look like HTML"),
    ],
)
def test_file_that_is_not_html(tmp_path, content, kind):
    with pytest.raises(NotHTMLError) as excinfo:
        fetch(html_file(tmp_path, content))
    assert kind in message(excinfo)


def test_utf16_file_with_bom_is_html(tmp_path):
    content = "<html><body><p>Grüße</p></body></html>".encode("utf-16")
    document = fetch(html_file(tmp_path, content))
    assert decode_html(document.content, document.encoding)[0].endswith("</html>")


def test_stdin(tmp_path):
    document = fetch("-", stdin=io.BytesIO(PAGE), base_url="https://news.example/tag/x")
    assert document.content == PAGE
    assert document.source == "-"
    assert document.url == "https://news.example/tag/x"


def test_empty_stdin_names_standard_input():
    with pytest.raises(NotHTMLError) as excinfo:
        fetch("-", stdin=io.BytesIO(b""))
    assert message(excinfo) == "standard input: empty document"


def test_stdin_larger_than_limit():
    with pytest.raises(FetchError) as excinfo:
        fetch("-", stdin=io.BytesIO(PAGE * 10), policy=FetchPolicy(max_bytes=len(PAGE)))
    assert "larger than" in message(excinfo)


def test_unsupported_scheme():
    with pytest.raises(FetchError) as excinfo:
        fetch("ftp://news.example/tag/x")
    assert "unsupported URL scheme 'ftp'" in message(excinfo)


def test_unknown_encoding(tmp_path):
    with pytest.raises(FetchError) as excinfo:
        fetch(html_file(tmp_path, PAGE), encoding="no-such-charset")
    assert "unknown encoding" in message(excinfo)


# HTTP: success


def test_http_page_with_charset_header(http_server):
    body = "<html><body><p>Grüße aus İstanbul</p></body></html>".encode("iso-8859-9")
    url = http_server.route(
        "/tag/x", body, headers={"Content-Type": "text/html; charset=ISO-8859-9"}
    )
    document = fetch(url, policy=LOCAL)
    assert document.content == body
    assert document.url == url
    assert document.source == url
    assert document.content_type == "text/html"
    assert document.encoding == "cp1254"  # as in browsers: ISO-8859-9 means windows-1254
    assert "Grüße aus İstanbul" in decode_html(document.content, document.encoding)[0]
    request = http_server.requests[-1]
    assert request.headers["User-Agent"] == (
        f"wagtail-tagfeed/{__version__} (+https://wagtail-tagfeed.readthedocs.io/)"
    )
    assert request.headers["Accept"] == "text/html,application/xhtml+xml"


def test_encoding_argument_wins_over_header(http_server):
    url = http_server.route("/p", PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
    assert fetch(url, policy=LOCAL, encoding="cp1254").encoding == "cp1254"


def test_redirects_are_followed_and_url_is_final(http_server):
    http_server.redirect("/old", "/middle#fragment", status=301)
    http_server.redirect("/middle", http_server.url("/new"), status=308)
    final = http_server.route("/new", PAGE)
    document = fetch(http_server.url("/old"), policy=LOCAL)
    assert document.url == final
    assert document.source == http_server.url("/old")
    assert [request.path for request in http_server.requests] == ["/old", "/middle", "/new"]


def test_five_redirects_are_allowed(http_server):
    for hop in range(5):
        http_server.redirect(f"/r{hop}", f"/r{hop + 1}")
    final = http_server.route("/r5", PAGE)
    assert fetch(http_server.url("/r0"), policy=LOCAL).url == final


def test_text_plain_holding_html_is_accepted(http_server):
    url = http_server.route("/p", PAGE, headers={"Content-Type": "text/plain"})
    assert fetch(url, policy=LOCAL).content == PAGE


def test_missing_content_type_holding_html_is_accepted(http_server):
    url = http_server.route("/p", PAGE, headers={})
    document = fetch(url, policy=LOCAL)
    assert document.content == PAGE
    assert document.content_type is None


def test_text_plain_without_markup_is_refused(http_server):
    url = http_server.route("/p", b"plain words only", headers={"Content-Type": "text/plain"})
    with pytest.raises(NotHTMLError) as excinfo:
        fetch(url, policy=LOCAL)
    assert "text/plain" in message(excinfo)


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate"])
def test_compressed_pages_are_decoded(http_server, encoding):
    compress = {
        "gzip": gzip.compress,
        "deflate": zlib.compress,
        "raw-deflate": lambda data: zlib.compress(data, wbits=-15),
    }[encoding]
    header = "gzip" if encoding == "gzip" else "deflate"
    url = http_server.route(
        "/p", compress(PAGE), headers={"Content-Type": "text/html", "Content-Encoding": header}
    )
    assert fetch(url, policy=LOCAL).content == PAGE
    assert http_server.requests[-1].headers["Accept-Encoding"] == "gzip, deflate"


def test_chunked_page(http_server):
    def chunked(request):
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.send_header("Transfer-Encoding", "chunked")
        request.end_headers()
        for part in (PAGE[:20], PAGE[20:]):
            request.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
        request.wfile.write(b"0\r\n\r\n")

    assert fetch(http_server.handler("/p", chunked), policy=LOCAL).content == PAGE


# HTTP: errors


@pytest.mark.parametrize(
    ("status", "reason"),
    [(404, "Not Found"), (500, "Internal Server Error"), (503, "Service Unavailable")],
)
def test_http_error_status(http_server, status, reason):
    url = http_server.route("/p", b"<html>error page</html>", status=status)
    with pytest.raises(FetchError) as excinfo:
        fetch(url, policy=LOCAL)
    assert message(excinfo) == f"{url}: HTTP {status} {reason}"


def test_http_error_after_redirect_names_both_urls(http_server):
    http_server.redirect("/old", "/gone")
    with pytest.raises(FetchError) as excinfo:
        fetch(http_server.url("/old"), policy=LOCAL)
    text = message(excinfo)
    assert text.startswith(http_server.url("/old") + ": HTTP 404 Not Found")
    assert http_server.url("/gone") in text


def test_connection_refused():
    url = f"http://127.0.0.1:{unused_port()}/tag/x"
    with pytest.raises(FetchError) as excinfo:
        fetch(url, policy=local(timeout=2))
    assert message(excinfo) == f"{url}: connection refused"


def test_dns_failure():
    with pytest.raises(FetchError) as excinfo:
        fetch("http://no-such-host.invalid/tag/x", policy=local(timeout=2))
    assert "cannot resolve host 'no-such-host.invalid'" in message(excinfo)


def test_server_that_does_not_answer_times_out(http_server):
    def silent(request):
        http_server.sleep(5)

    url = http_server.handler("/slow", silent)
    with pytest.raises(FetchError) as excinfo:
        fetch(url, policy=local(timeout=0.5))
    assert message(excinfo).startswith(f"{url}: timed out")


def test_trickling_body_fails_at_the_overall_deadline(http_server):
    url = http_server.trickle("/trickle", b"<html>" + b"x" * 994, "text/html", length=1000)
    with pytest.raises(FetchError) as excinfo:
        fetch(url, policy=local(timeout=1))
    assert "timed out: the page took longer than 1 s" in message(excinfo)


def test_trickling_headers_fail_at_the_overall_deadline(http_server):
    def trickle(request):
        request.wfile.write(b"HTTP/1.1 200 OK\r\n")
        while http_server.sleep(0.2):
            request.wfile.write(b"X")
            request.wfile.flush()

    url = http_server.handler("/trickle", trickle)
    with pytest.raises(FetchError) as excinfo:
        fetch(url, policy=local(timeout=1))
    assert "timed out" in message(excinfo)


def test_too_large_with_content_length(http_server):
    url = http_server.route("/big", b"<html>" + b"x" * 2000)
    with pytest.raises(FetchError) as excinfo:
        fetch(url, policy=local(max_bytes=1000))
    assert message(excinfo) == f"{url}: larger than 1,000 bytes"
    assert fetch(url, policy=local(max_bytes=2006)).content.startswith(b"<html>")


def test_too_large_without_content_length(http_server):
    def endless(request):
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.end_headers()
        for _ in range(100):
            request.wfile.write(b"<p>" + b"x" * 10_000 + b"</p>")

    url = http_server.handler("/big", endless)
    with pytest.raises(FetchError) as excinfo:
        fetch(url, policy=local(max_bytes=50_000))
    assert message(excinfo) == f"{url}: larger than 50,000 bytes"


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compression_bomb_is_stopped_at_the_decoded_limit(http_server, encoding):
    decoded = b"<html>" + b" " * 20_000_000
    body = gzip.compress(decoded) if encoding == "gzip" else zlib.compress(decoded)
    assert len(body) < 1_000_000
    url = http_server.route(
        "/bomb", body, headers={"Content-Type": "text/html", "Content-Encoding": encoding}
    )
    with pytest.raises(FetchError) as excinfo:
        fetch(url, policy=local(max_bytes=1_000_000))
    assert message(excinfo) == f"{url}: larger than 1,000,000 bytes"


def test_corrupt_gzip(http_server):
    body = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 20
    url = http_server.route("/p", body, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError) as excinfo:
        fetch(url, policy=LOCAL)
    assert "invalid gzip data" in message(excinfo)


def test_unsupported_content_encoding(http_server):
    url = http_server.route("/p", PAGE, headers={"Content-Encoding": "br"})
    with pytest.raises(FetchError) as excinfo:
        fetch(url, policy=LOCAL)
    assert "unsupported Content-Encoding 'br'" in message(excinfo)


def test_body_shorter_than_content_length(http_server):
    url = http_server.route("/p", PAGE, headers={"Content-Length": str(len(PAGE) + 100)})
    with pytest.raises(FetchError) as excinfo:
        fetch(url, policy=local(timeout=2))
    assert "closed before the whole page was received" in message(excinfo)


def test_redirect_loop(http_server):
    http_server.redirect("/a", "/b")
    http_server.redirect("/b", "/a")
    with pytest.raises(FetchError) as excinfo:
        fetch(http_server.url("/a"), policy=LOCAL)
    assert f"redirect loop back to {http_server.url('/a')}" in message(excinfo)


def test_too_many_redirects(http_server):
    for hop in range(6):
        http_server.redirect(f"/r{hop}", f"/r{hop + 1}")
    http_server.route("/r6", PAGE)
    with pytest.raises(FetchError) as excinfo:
        fetch(http_server.url("/r0"), policy=LOCAL)
    assert "too many redirects (more than 5)" in message(excinfo)
    assert len(http_server.requests) == 6


def test_redirect_without_location(http_server):
    url = http_server.route("/p", status=302, headers={})
    with pytest.raises(FetchError) as excinfo:
        fetch(url, policy=LOCAL)
    assert "without a Location header" in message(excinfo)


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "ftp://news.example/x", "javascript:alert(1)"]
)
def test_redirect_to_forbidden_scheme(http_server, location):
    url = http_server.redirect("/p", location)
    with pytest.raises(FetchError) as excinfo:
        fetch(url, policy=LOCAL)
    assert f"refused redirect to {location}" in message(excinfo)


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "localhost",
        "[::1]",
        "10.1.2.3",
        "169.254.169.254",
        "0.0.0.0",
        "[::ffff:7f00:1]",
    ],
)
def test_private_hosts_are_refused_before_connecting(http_server, host):
    """By default: the address guard is on unless a caller turns it off."""
    url = f"http://{host}:{http_server.port}/p"
    http_server.route("/p", PAGE)
    with pytest.raises(FetchError) as excinfo:
        fetch(url)
    assert "non-public address" in message(excinfo)
    with pytest.raises(FetchError, match="non-public address"):
        fetch_bytes(url)
    assert http_server.requests == http_server.robots_requests == []


def test_refusal_does_not_tell_the_internal_address(monkeypatch):
    resolve = socket.getaddrinfo

    def internal(host, port, *args, **kwargs):
        if host == "intranet.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.20.30.40", port))]
        return resolve(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", internal)
    with pytest.raises(FetchError) as excinfo:
        fetch("http://intranet.test/wiki")
    assert message(excinfo) == (
        "http://intranet.test/wiki: refused: intranet.test is on a non-public address"
    )


def test_private_redirect_target_is_refused(http_server, monkeypatch):
    """Every hop is checked: here the server's own address counts as public, the target not."""
    monkeypatch.setattr(addresses, "is_public", lambda ip: str(ip) == "127.0.0.1")
    url = http_server.redirect("/p", f"http://127.0.0.2:{http_server.port}/internal")
    with pytest.raises(FetchError) as excinfo:
        fetch(url)
    text = message(excinfo)
    assert "127.0.0.2 is on a non-public address" in text
    assert [request.path for request in http_server.requests] == ["/p"]


def test_connection_goes_to_the_address_that_was_checked(http_server, monkeypatch):
    """A second DNS answer (here a closed address) must not be used: no DNS rebinding."""
    answers = iter(["127.0.0.1"])
    resolve = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host == "news.test":
            address = next(answers, "127.0.0.2")
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return resolve(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(addresses, "is_public", lambda ip: str(ip) == "127.0.0.1")
    http_server.route("/p", PAGE)
    policy = local(allow_private=False, obey_robots=False)
    document = fetch(f"http://news.test:{http_server.port}/p", policy=policy)
    assert document.content == PAGE
    assert [request.headers["Host"] for request in http_server.requests] == [
        f"news.test:{http_server.port}"
    ]


def test_fetch_bytes_takes_any_type_with_the_same_limits(http_server):
    url = http_server.route("/a.bin", b"\x89PNG\r\n\x1a\n", headers={"Content-Type": "image/png"})
    response = fetch_bytes(url, policy=LOCAL)
    assert (response.url, response.content_type) == (url, "image/png")
    assert response.content == b"\x89PNG\r\n\x1a\n"
    assert http_server.requests[0].headers["Accept"] == "*/*"
    with pytest.raises(FetchError) as excinfo:
        fetch_bytes(url, policy=LOCAL, max_bytes=4)
    assert excinfo.value.reason == "larger than 4 bytes"
    with pytest.raises(FetchError, match="not an http"):
        fetch_bytes("file:///etc/passwd")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/pdf", b"%PDF-1.7"),
        ("image/png", b"\x89PNG\r\n\x1a\n"),
        ("application/json", b'{"a": 1}'),
        ("application/ld+json", b'{"a": 1}'),
    ],
)
def test_non_html_content_types_are_refused(http_server, content_type, body):
    url = http_server.route("/p", body, headers={"Content-Type": content_type})
    with pytest.raises(NotHTMLError) as excinfo:
        fetch(url, policy=LOCAL)
    assert message(excinfo) == f"{url}: not HTML but {content_type}"


@pytest.mark.parametrize(
    ("body", "kind"),
    [(b"%PDF-1.4 ...", "PDF"), (b"\x89PNG\r\n\x1a\n...", "PNG"), (b'[{"a": "<p>"}]', "JSON")],
)
def test_non_html_bodies_are_refused_despite_an_html_type(http_server, body, kind):
    url = http_server.route("/p", body, headers={"Content-Type": "text/html"})
    with pytest.raises(NotHTMLError) as excinfo:
        fetch(url, policy=LOCAL)
    assert kind in message(excinfo)


def test_empty_http_body(http_server):
    url = http_server.route("/p", b"")
    with pytest.raises(NotHTMLError) as excinfo:
        fetch(url, policy=LOCAL)
    assert message(excinfo) == f"{url}: empty document"
