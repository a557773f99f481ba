"""From a page's bytes to text, with the encodings browsers know and no others.

Python's codec registry also holds transforms that are no text encoding of the web
(``base64``, ``hex``, ``rot13``, ``idna``, ``zlib``...): a page declaring one of them must not
reach them. Labels are therefore looked up in the WHATWG Encoding Standard's table only
(https://encoding.spec.whatwg.org/#names-and-labels), mapped to the Python codec that decodes
the same way; any other label counts as no declaration at all.
"""

from __future__ import annotations

import codecs

from bs4.dammit import EncodingDetector

ENCODING_LABELS: dict[str, tuple[str, ...]] = {
    "utf-8": (
        "unicode-1-1-utf-8",
        "unicode11utf8",
        "unicode20utf8",
        "utf-8",
        "utf8",
        "x-unicode20utf8",
    ),
    "cp866": ("866", "cp866", "csibm866", "ibm866"),
    "iso8859-2": (
        "csisolatin2",
        "iso-8859-2",
        "iso-ir-101",
        "iso8859-2",
        "iso88592",
        "iso_8859-2",
        "iso_8859-2:1987",
        "l2",
        "latin2",
    ),
    "iso8859-3": (
        "csisolatin3",
        "iso-8859-3",
        "iso-ir-109",
        "iso8859-3",
        "iso88593",
        "iso_8859-3",
        "iso_8859-3:1988",
        "l3",
        "latin3",
    ),
    "iso8859-4": (
        "csisolatin4",
        "iso-8859-4",
        "iso-ir-110",
        "iso8859-4",
        "iso88594",
        "iso_8859-4",
        "iso_8859-4:1988",
        "l4",
        "latin4",
    ),
    "iso8859-5": (
        "csisolatincyrillic",
        "cyrillic",
        "iso-8859-5",
        "iso-ir-144",
        "iso8859-5",
        "iso88595",
        "iso_8859-5",
        "iso_8859-5:1988",
    ),
    "iso8859-6": (
        "arabic",
        "asmo-708",
        "csiso88596e",
        "csiso88596i",
        "csisolatinarabic",
        "ecma-114",
        "iso-8859-6",
        "iso-8859-6-e",
        "iso-8859-6-i",
        "iso-ir-127",
        "iso8859-6",
        "iso88596",
        "iso_8859-6",
        "iso_8859-6:1987",
    ),
    "iso8859-7": (
        "csisolatingreek",
        "ecma-118",
        "elot_928",
        "greek",
        "greek8",
        "iso-8859-7",
        "iso-ir-126",
        "iso8859-7",
        "iso88597",
        "iso_8859-7",
        "iso_8859-7:1987",
        "sun_eu_greek",
    ),
    "iso8859-8": (
        "csiso88598e",
        "csisolatinhebrew",
        "hebrew",
        "iso-8859-8",
        "iso-8859-8-e",
        "iso-ir-138",
        "iso8859-8",
        "iso88598",
        "iso_8859-8",
        "iso_8859-8:1988",
        "visual",
        # ISO-8859-8-I decodes the same bytes to the same characters.
        "csiso88598i",
        "iso-8859-8-i",
        "logical",
    ),
    "iso8859-10": (
        "csisolatin6",
        "iso-8859-10",
        "iso-ir-157",
        "iso8859-10",
        "iso885910",
        "l6",
        "latin6",
    ),
    "iso8859-13": ("iso-8859-13", "iso8859-13", "iso885913"),
    "iso8859-14": ("iso-8859-14", "iso8859-14", "iso885914"),
    "iso8859-15": (
        "csisolatin9",
        "iso-8859-15",
        "iso8859-15",
        "iso885915",
        "iso_8859-15",
        "l9",
    ),
    "iso8859-16": ("iso-8859-16",),
    "koi8-r": ("cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"),
    "koi8-u": ("koi8-ru", "koi8-u"),
    "mac-roman": ("csmacintosh", "mac", "macintosh", "x-mac-roman"),
    "cp874": (
        "dos-874",
        "iso-8859-11",
        "iso8859-11",
        "iso885911",
        "tis-620",
        "windows-874",
    ),
    "cp1250": ("cp1250", "windows-1250", "x-cp1250"),
    "cp1251": ("cp1251", "windows-1251", "x-cp1251"),
    # ASCII and Latin-1 labels mean windows-1252, a superset of both.
    "cp1252": (
        "ansi_x3.4-1968",
        "ascii",
        "cp1252",
        "cp819",
        "csisolatin1",
        "ibm819",
        "iso-8859-1",
        "iso-ir-100",
        "iso8859-1",
        "iso88591",
        "iso_8859-1",
        "iso_8859-1:1987",
        "l1",
        "latin1",
        "us-ascii",
        "windows-1252",
        "x-cp1252",
    ),
    "cp1253": ("cp1253", "windows-1253", "x-cp1253"),
    "cp1254": (
        "cp1254",
        "csisolatin5",
        "iso-8859-9",
        "iso-ir-148",
        "iso8859-9",
        "iso88599",
        "iso_8859-9",
        "iso_8859-9:1989",
        "l5",
        "latin5",
        "windows-1254",
        "x-cp1254",
    ),
    "cp1255": ("cp1255", "windows-1255", "x-cp1255"),
    "cp1256": ("cp1256", "windows-1256", "x-cp1256"),
    "cp1257": ("cp1257", "windows-1257", "x-cp1257"),
    "cp1258": ("cp1258", "windows-1258", "x-cp1258"),
    "mac-cyrillic": ("x-mac-cyrillic", "x-mac-ukrainian"),
    # The web's GBK decoder is the gb18030 one.
    "gb18030": (
        "chinese",
        "csgb2312",
        "csiso58gb231280",
        "gb2312",
        "gb_2312",
        "gb_2312-80",
        "gbk",
        "iso-ir-58",
        "x-gbk",
        "gb18030",
    ),
    # The web's Big5 includes the Hong Kong extensions.
    "big5hkscs": ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"),
    "euc_jp": ("cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"),
    "iso2022_jp": ("csiso2022jp", "iso-2022-jp"),
    # The web's Shift_JIS is Microsoft's code page 932.
    "cp932": (
        "csshiftjis",
        "ms932",
        "ms_kanji",
        "shift-jis",
        "shift_jis",
        "sjis",
        "windows-31j",
        "x-sjis",
    ),
    # The web's EUC-KR is Microsoft's code page 949.
    "cp949": (
        "cseuckr",
        "csksc56011987",
        "euc-kr",
        "iso-ir-149",
        "korean",
        "ks_c_5601-1987",
        "ks_c_5601-1989",
        "ksc5601",
        "ksc_5601",
        "windows-949",
    ),
    # Bytes that reached us without a byte-order mark cannot really be UTF-16: browsers
    # read a page whose <meta> says UTF-16 as UTF-8, and so do we, whatever declared it.
    "utf-16": (
        "unicodefffe",
        "utf-16be",
        "csunicode",
        "iso-10646-ucs-2",
        "ucs-2",
        "unicode",
        "unicodefeff",
        "utf-16",
        "utf-16le",
    ),
}
"""Python codec names and the WHATWG labels that mean them. Left out on purpose: the
"replacement" labels (ISO-2022-KR, ISO-2022-CN, HZ-GB-2312), which browsers refuse to decode,
and x-user-defined; they count as no declaration."""

CODECS: dict[str, str] = {
    label: codec for codec, labels in ENCODING_LABELS.items() for label in labels
}
ASCII_WHITESPACE = "\t\n\f\r "


def codec_name(label: str | None) -> str | None:
    """The Python codec for an encoding label, or None when browsers do not know the label."""
    if not label:
        return None
    return CODECS.get(label.strip(ASCII_WHITESPACE + "\"'").lower())


def decode_html(content: bytes, declared: str | None) -> tuple[str, str]:
    """Decode an HTML page, returning the text and the name of the encoding used.

    The order is: a byte-order mark; the declared charset (HTTP header or the user's choice);
    a ``<meta charset>``, ``<meta http-equiv="Content-Type">`` or XML declaration in the
    first 4 KB; strict UTF-8; and finally windows-1252 with replacement characters, the
    browsers' default. A label that is not a web text encoding is skipped like a missing one.
    Statistical detection is deliberately not used: on teaser-sized pages it confuses the
    single-byte code pages (windows-1252 reported as windows-1250 or cp852), and windows-1252
    and windows-1254 (Turkish) differ in six letters only, so no detector tells them apart
    reliably. A legacy page without a declaration needs its encoding given.
    """
    data, bom_encoding = EncodingDetector.strip_byte_order_mark(content)
    if bom_encoding:
        # Only Unicode encodings have a byte-order mark: UTF-8, -16 and -32.
        codec = codecs.lookup(bom_encoding).name
        return data.decode(codec, errors="replace"), codec
    meta = EncodingDetector.find_declared_encoding(content[:4096], is_html=True)
    for label in (declared, meta):
        codec = codec_name(label)
        if codec:
            codec = "utf-8" if codec == "utf-16" else codec
            try:
                return data.decode(codec, errors="replace"), codec
            except (LookupError, UnicodeError):
                continue
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"
