"""Decoding pages: only the encodings browsers know, and never a codec error."""

import pytest

from wagtail_tagfeed.errors import FetchError
from wagtail_tagfeed.fetching import FetchPolicy, decode_html, fetch
from wagtail_tagfeed.fetching.decoding import CODECS, codec_name
from wagtail_tagfeed.listing import Document
from wagtail_tagfeed.parsing import parse_listing

LOCAL = FetchPolicy(allow_private=True, retries=0)
TURKISH = "<html><body><p>Dışişleri Bakanı Çavuşoğlu ateşkes çağrısı yaptı.</p></body></html>"
LISTING = (
    "<html><head>{meta}<title>Turkey</title></head><body><h1>Turkey</h1>"
    + "".join(
        f'<div class="views-row"><h3><a href="https://news.example/story-{n}">Story {n} Grüße'
        f"</a></h3><p>Teaser {n} with a few words.</p></div>"
        for n in range(3)
    )
    + "</body></html>"
)
NOT_WEB_ENCODINGS = [
    "base64",
    "rot13",
    "rot_13",
    "hex",
    "idna",
    "zlib",
    "bz2",
    "uu",
    "quopri",
    "punycode",
    "unicode_escape",
    "raw_unicode_escape",
    "utf-7",
    "utf-32",
    "mbcs",
    "x-user-defined",
    "iso-2022-kr",
    "hz-gb-2312",
    "no-such-charset",
    "",
]


def test_every_label_maps_to_a_text_codec():
    for label, codec in CODECS.items():
        assert codec_name(label) == codec
        # bytes.decode refuses codecs that are not text encodings (base64...).
        assert b"<p>".decode(codec if codec != "utf-16" else "utf-8") == "<p>"


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("UTF-8", "utf-8"),
        (" utf8 ", "utf-8"),
        ('"windows-1254"', "cp1254"),
        ("ISO-8859-9", "cp1254"),
        ("latin1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("shift_jis", "cp932"),
        ("gb2312", "gb18030"),
        ("euc-kr", "cp949"),
        ("big5", "big5hkscs"),
        ("koi8-r", "koi8-r"),
        ("x-mac-cyrillic", "mac-cyrillic"),
    ],
)
def test_whatwg_labels(label, codec):
    assert codec_name(label) == codec


@pytest.mark.parametrize("label", NOT_WEB_ENCODINGS)
def test_other_codecs_are_no_declaration(label):
    """A ``<meta>`` naming a codec browsers do not know falls through to the next rule."""
    assert codec_name(label) is None
    page = f'<html><head><meta charset="{label}"></head><body><p>Grüße</p></body></html>'
    text, codec = decode_html(page.encode(), None)
    assert (text, codec) == (page, "utf-8")
    legacy = page.encode("cp1252")
    assert decode_html(legacy, label) == (page, "cp1252")
    content_type = f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'
    assert decode_html(f"{content_type}<p>Grüße</p>".encode(), None)[1] == "utf-8"


@pytest.mark.parametrize("label", NOT_WEB_ENCODINGS[:6])
def test_other_codecs_in_a_listing_are_parsed(label):
    """End to end through the parser: the page is read as if it declared nothing."""
    content = LISTING.format(meta=f"<meta charset={label}>").encode()
    listing = parse_listing(Document(content, "page.html", url="https://news.example/tag/t"))
    assert [item.title for item in listing.items] == [f"Story {n} Grüße" for n in range(3)]


@pytest.mark.parametrize("label", ["base64", "rot13", "hex", "idna", "x-user-defined"])
def test_other_codecs_in_the_http_header_are_ignored(http_server, label):
    content = LISTING.format(meta="").encode()
    url = http_server.route(
        "/tag/t", content, headers={"Content-Type": f"text/html; charset={label}"}
    )
    document = fetch(url, policy=LOCAL)
    assert document.encoding is None
    assert "Grüße" in decode_html(document.content, document.encoding)[0]
    assert len(parse_listing(document).items) == 3


@pytest.mark.parametrize("label", ["base64", "rot13", "hex", "idna", "utf-7"])
def test_other_codecs_given_by_the_user_are_refused(tmp_path, label):
    path = tmp_path / "page.html"
    path.write_bytes(LISTING.format(meta="").encode())
    with pytest.raises(FetchError) as excinfo:
        fetch(str(path), encoding=label)
    assert str(excinfo.value) == f"{path}: unknown encoding {label!r}"


def test_xml_declaration_with_another_codec():
    content = b'<?xml version="1.0" encoding="base64"?><html><body><p>ok</p></body></html>'
    assert decode_html(content, None) == (content.decode(), "utf-8")


def test_invalid_utf8_bytes_are_replaced_when_declared(http_server):
    url = http_server.route(
        "/p", b"<p>caf\xe9 \xff</p>", headers={"Content-Type": "text/html; charset=utf-8"}
    )
    document = fetch(url, policy=LOCAL)
    assert decode_html(document.content, document.encoding) == ("<p>caf\ufffd \ufffd</p>", "utf-8")


def test_invalid_utf8_bytes_without_declaration_fall_back_to_windows_1252():
    text, encoding = decode_html("<p>“café” — 3 €</p>".encode("cp1252"), None)
    assert (text, encoding) == ("<p>“café” — 3 €</p>", "cp1252")


def test_cp1254_page_without_charset_needs_the_encoding(http_server):
    url = http_server.route("/p", TURKISH.encode("cp1254"), headers={"Content-Type": "text/html"})
    document = fetch(url, policy=LOCAL, encoding="cp1254")
    assert decode_html(document.content, document.encoding) == (TURKISH, "cp1254")
    undeclared = fetch(url, policy=LOCAL)
    text, encoding = decode_html(undeclared.content, undeclared.encoding)
    assert encoding == "cp1252"
    assert "ş" not in text


@pytest.mark.parametrize(
    "head",
    [
        b'<meta charset="windows-1254">',
        b"<meta charset=cp1254>",
        b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1254">',
    ],
)
def test_meta_charset(head):
    content = b"<html><head>" + head + b"</head>" + TURKISH.encode("cp1254")[6:]
    text, encoding = decode_html(content, None)
    assert encoding == "cp1254"
    assert "Çavuşoğlu" in text


def test_declared_charset_wins_over_meta():
    content = '<meta charset="utf-8"><p>Grüße</p>'.encode("cp1252")
    assert decode_html(content, "windows-1252") == ('<meta charset="utf-8"><p>Grüße</p>', "cp1252")


def test_byte_order_mark_wins():
    content = "<p>Grüße</p>".encode("utf-8-sig")
    assert decode_html(content, "cp1252") == ("<p>Grüße</p>", "utf-8")


def test_latin1_label_means_windows_1252():
    assert decode_html(b"<p>\x93quoted\x94</p>", "iso-8859-1") == ("<p>“quoted”</p>", "cp1252")


def test_meta_utf16_without_bom_means_utf8():
    content = '<meta charset="utf-16"><p>Grüße</p>'.encode()
    assert decode_html(content, None) == ('<meta charset="utf-16"><p>Grüße</p>', "utf-8")


def test_unknown_declared_charset_is_ignored():
    assert decode_html("<p>Grüße</p>".encode(), "x-unknown") == ("<p>Grüße</p>", "utf-8")
