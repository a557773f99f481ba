"""Network faults end to end: ``import_tagpage`` fails with one line, status 1, nothing written.

``tests/test_fetching.py`` covers each fault at the fetching level; here the same faults go
through the command, and the cases only the importer can see (a listing whose page 2 differs
from what page 1 promised) are defined.
"""

from __future__ import annotations

import gzip
import io
import socket

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from wagtail_tagfeed.models import ArticlePage

from .pages import item, tag_page

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_tagpage", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def fails(*args: str) -> str:
    """Run the command, expecting a one-line failure with status 1 and no write at all."""
    pages, revisions = Page.objects.count(), Revision.objects.count()
    with pytest.raises(CommandError) as info:
        run(*args)
    message = str(info.value)
    assert info.value.returncode == 1
    assert message and "\n" not in message.strip()
    assert not ArticlePage.objects.exists()
    assert (Page.objects.count(), Revision.objects.count()) == (pages, revisions)
    return message


def listing(server, path="/tag/turkey", count=3, prefix="story", next_url=None) -> str:
    body = tag_page(
        [item(n, prefix) for n in range(count)], page_url=server.url(path), next_url=next_url
    )
    return server.route(path, body=body)


def test_connection_refused(tag_index):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert "connection refused" in fails(f"http://127.0.0.1:{port}/tag/turkey")


def test_connect_timeout_on_a_full_backlog(tag_index):
    """A listening socket that never accepts: once its backlog is full, SYNs go unanswered."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        address = server.getsockname()
        fillers = []
        for _ in range(8):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(address)
            fillers.append(filler)
        try:
            message = fails(f"http://127.0.0.1:{address[1]}/", "--timeout", "1")
        finally:
            for filler in fillers:
                filler.close()
    assert "timed out" in message


def test_read_timeout(tag_index, http_server):
    http_server.handler("/silent", lambda request: http_server.sleep(5))
    assert "timed out" in fails(http_server.url("/silent"), "--timeout", "1")


def test_trickling_server_hits_the_page_deadline(tag_index, http_server):
    url = http_server.trickle("/trickle", tag_page([item(1), item(2)]).encode(), "text/html")
    message = fails(url, "--timeout", "1.5")
    assert "took longer than 1.5 s" in message


@pytest.mark.parametrize("with_length", [True, False])
def test_response_larger_than_the_limit(tag_index, http_server, with_length):
    body = tag_page([item(n) for n in range(200)]).encode()

    def answer(request):
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        if with_length:
            request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    url = http_server.handler("/big", answer)
    assert "larger than 10,000 bytes" in fails(url, "--max-bytes", "10000")


def test_gzip_bomb(tag_index, http_server):
    bomb = gzip.compress(b"<html><body>" + b" " * 50_000_000, compresslevel=9)
    http_server.route(
        "/bomb", body=bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
    )
    assert "larger than 1,000,000 bytes" in fails(
        http_server.url("/bomb"), "--max-bytes", "1000000"
    )


def test_redirect_loop(tag_index, http_server):
    http_server.redirect("/a", "/b")
    http_server.redirect("/b", "/a")
    assert "redirect loop" in fails(http_server.url("/a"))


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "javascript:alert(1)", "ftp://127.0.0.1/x", "data:,x"]
)
def test_redirect_to_a_forbidden_scheme(tag_index, http_server, location):
    http_server.redirect("/away", location)
    assert "refused redirect" in fails(http_server.url("/away"))


def test_redirect_to_a_forbidden_host(tag_index, http_server, settings):
    from wagtail_tagfeed.errors import FetchError
    from wagtail_tagfeed.importer import import_tagpage
    from wagtail_tagfeed.options import ImportOptions

    http_server.redirect("/away", "http://10.0.0.1/admin")
    with pytest.raises(FetchError, match="non-public address"):
        import_tagpage([http_server.url("/away")], options=ImportOptions(allow_private=False))
    assert not ArticlePage.objects.exists()


@pytest.mark.parametrize("status", [404, 500, 503])
def test_http_errors(tag_index, http_server, status):
    http_server.route("/err", body="<html><body><p>error</p></body></html>", status=status)
    assert f"HTTP {status}" in fails(http_server.url("/err"))


@pytest.mark.parametrize(
    ("content_type", "body", "reason"),
    [
        ("application/pdf", b"%PDF-1.4 ...", "not HTML but application/pdf"),
        ("image/png", b"\x89PNG\r\n\x1a\n...", "not HTML but image/png"),
        ("text/plain", b"just some words", "does not look like HTML"),
        (None, b"\x00\x01\x02binary", "binary"),
    ],
)
def test_wrong_or_missing_content_type(tag_index, http_server, content_type, body, reason):
    headers = {"Content-Type": content_type} if content_type else {}
    url = http_server.route("/doc", body=body, headers=headers)
    assert reason in fails(url)


def test_missing_content_type_on_a_real_page_is_imported(tag_index, http_server):
    url = http_server.route("/tag/turkey", body=tag_page([item(1), item(2)]), headers={})
    assert "2 created" in run(url)


def test_invalid_utf8_is_replaced_not_fatal(tag_index, http_server):
    body = tag_page([item(1, title="Caf\xe9 \ud800 story"), item(2)]).encode(
        "utf-8", "surrogatepass"
    )
    body = body.replace("Caf\xe9".encode(), b"Caf\xe9")
    url = http_server.route("/tag/turkey", body=body)
    assert "2 created" in run(url)
    title = ArticlePage.objects.get(source_url__endswith="story-1").title
    assert title.startswith("Caf\ufffd") and "\ud800" not in title


def test_cp1254_page_without_a_charset(tag_index, http_server):
    body = tag_page([item(1, title="Türkiye'de ğüşıöç"), item(2)]).replace(
        '<meta charset="utf-8">', ""
    )
    url = http_server.route(
        "/tag/turkey", body=body.encode("cp1254"), headers={"Content-Type": "text/html"}
    )
    run(url, "--encoding", "cp1254")
    assert ArticlePage.objects.get(source_url__endswith="story-1").title == "Türkiye'de ğüşıöç"


def test_page_2_repeating_page_1_ends_the_listing(tag_index, http_server):
    """A pager that leads back to the same items is a loop: page 1 is imported, once."""
    page1 = tag_page([item(n) for n in range(3)], next_url=http_server.url("/p2"))
    http_server.route("/p1", body=page1)
    http_server.route(
        "/p2", body=tag_page([item(n) for n in range(3)], next_url=http_server.url("/p3"))
    )
    out = run(http_server.url("/p1"), "--all-pages")
    assert "3 created" in out
    assert [r.path for r in http_server.requests] == ["/p1", "/p2"]
    assert ArticlePage.objects.count() == 3


def test_page_2_returning_garbage_ends_the_listing_with_a_warning(tag_index, http_server):
    """Page 1 was fine, page 2 is not HTML: page 1 is imported, the report says why the
    listing ended there."""
    http_server.route(
        "/p1", body=tag_page([item(n) for n in range(3)], next_url=http_server.url("/p2"))
    )
    http_server.route("/p2", body=b"\x1f\x8b\x08garbage", headers={"Content-Type": "text/html"})
    out = run(http_server.url("/p1"), "--all-pages")
    assert "Stopped after 1 pages" in out and "/p2" in out
    assert ArticlePage.objects.count() == 3


def test_page_2_failing_midway_ends_the_listing_with_a_warning(tag_index, http_server):
    http_server.route(
        "/p1", body=tag_page([item(n) for n in range(3)], next_url=http_server.url("/p2"))
    )
    http_server.route("/p2", body="<html><body>oops</body></html>", status=503)
    out = run(http_server.url("/p1"), "--all-pages")
    assert "Stopped after 1 pages" in out and "HTTP 503" in out
    assert ArticlePage.objects.count() == 3
