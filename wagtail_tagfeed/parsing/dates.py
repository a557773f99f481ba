"""Read publication dates from machine-readable values, URLs and visible text.

Only unambiguous, complete dates are accepted: no fuzzy parsing, nothing before 1990 and
nothing later than tomorrow. Month names are known in the languages listings are written in
(a table, not a library: the forms below are all a listing shows, and a lookup costs nothing);
a numeric date whose order is unclear (``03/04/2024``) is read only when the caller knows the
order, from the page's language or from another date on the page.
"""

from __future__ import annotations

import datetime
import re

EARLIEST = datetime.date(1990, 1, 1)

_MONTH_NAMES = {
    1: "january jan januar jänner janvier janv enero ene gennaio gen janeiro januari "
    "stycznia styczeń styczen sty января январь янв січня січень січ ocak ledna leden "
    "tammikuuta tammikuu",
    2: "february feb februar février fevrier févr fevr febrero febbraio fevereiro fev februari "
    "lutego luty lut февраля февраль фев лютого лютий лют şubat subat února únor "
    "helmikuuta helmikuu",
    3: "march mar märz maerz mär mars marzo março marco maart marca marzec марта март мар "
    "березня березень бер mart března březen maaliskuuta maaliskuu",
    4: "april apr avril avr abril abr aprile aprilie kwietnia kwiecień kwiecien kwi апреля "
    "апрель апр квітня квітень кві nisan dubna duben huhtikuuta huhtikuu",
    5: "may mai mayo maggio mag maio mei maja maj мая май травня травень тра mayıs mayis "
    "května květen toukokuuta toukokuu",
    6: "june jun juni juin junio giugno giu junho juin czerwca czerwiec cze июня июнь июн "
    "червня червень чер haziran června červen kesäkuuta kesäkuu",
    7: "july jul juli juillet julio luglio lug julho lipca lipiec lip июля июль июл липня "
    "липень лип temmuz července červenec heinäkuuta heinäkuu",
    8: "august aug août aout agosto ago augustus augusti sierpnia sierpień sierpien sie "
    "августа август авг серпня серпень сер ağustos agustos srpna srpen elokuuta elokuu",
    9: "september sep sept septembre septiembre setiembre settembre set setembro "
    "września wrzesień wrzesien wrz сентября сентябрь сен сент вересня вересень вер eylül "
    "eylul září zari syyskuuta syyskuu",
    10: "october oct oktober okt octobre octubre ottobre ott outubro out października "
    "październik pazdziernika paź октября октябрь окт жовтня жовтень жов ekim října říjen "
    "lokakuuta lokakuu",
    11: "november nov novembre noviembre novembro listopada listopad lis ноября ноябрь ноя "
    "листопада листопад лис kasım kasim listopadu marraskuuta marraskuu",
    12: "december dec dezember dez décembre decembre déc diciembre dic dicembre dezembro "
    "grudnia grudzień grudzien gru декабря декабрь дек грудня грудень гру aralık aralik "
    "prosince prosinec joulukuuta joulukuu desember",
}
MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names.split()}
"""Month names and abbreviations (lower-cased) in the languages listings are written in, with
the genitive forms Slavic languages use in dates ("3 марта 2024")."""

_MONTH = r"(?P<month>[^\W\d_]{3,12})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|º|\.)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_OF = r"(?:\s+(?:of|de|del|di)\s+|[\s,]+)"
_PATTERNS = [
    # 2024-03-03, 2024/03/03, 2024.03.03 (optionally followed by a time)
    re.compile(r"(?<![\d/])(?P<year>(?:19|20)\d\d)([-/.])(?P<month>\d\d?)\2(?P<day>\d\d?)(?!\d)"),
    # 2024年3月3日 (Japanese, Chinese), 2024년 3월 3일 (Korean)
    re.compile(r"(?P<year>(?:19|20)\d\d)\s*[年년]\s*(?P<month>\d\d?)\s*[月월]\s*(?P<day>\d\d?)"),
    # 03.03.2024: dotted dates are day first
    re.compile(r"(?<![\d.])(?P<day>\d\d?)\.\s?(?P<month>\d\d?)\.\s?(?P<year>(?:19|20)\d\d)(?!\d)"),
    # March 3, 2024 / Mar. 3 2024 / March 3rd, 2024
    re.compile(rf"(?<!\w){_MONTH}\s+{_DAY},?\s+{_YEAR}(?!\d)"),
    # 3 March 2024 / 3. März 2024 / 3 de marzo de 2024 / 3 марта 2024 г.
    re.compile(rf"(?<![\w.]){_DAY}{_OF}{_MONTH}{_OF}{_YEAR}(?!\d)"),
]
# 03/04/2024 is ambiguous unless one side is over 12 or the order is known.
_SLASHED = re.compile(r"(?<![\d/])(?P<a>\d\d?)([/.-])(?P<b>\d\d?)\2(?P<year>(?:19|20)\d\d)(?!\d)")
_ISO = re.compile(r"\s*(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)(?:$|[T\s]\d)")
_URL = re.compile(r"/(?P<year>(?:19|20)\d\d)/(?P<month>[01]\d)/(?P<day>[0-3]\d)(?:/|[-_.]|$)")
_ADDRESSES = re.compile(r"\S*(?:://|www\.)\S*|\S+/\S+/\S+/\S*")
"""Web addresses in a text: the digits of their paths are no date the page shows."""
_MONTH_FIRST_LANGUAGES = ("en-us", "en", "en-ph", "en-ca", "fil")
"""Languages whose numeric dates put the month first (``en`` alone: most such pages are US)."""


def latest() -> datetime.date:
    """The latest acceptable date: tomorrow, to allow for time zones."""
    return datetime.date.today() + datetime.timedelta(days=1)


def make_date(year: int, month: int, day: int) -> datetime.date | None:
    """A date if the parts form a real one within the accepted range, else ``None``."""
    try:
        value = datetime.date(year, month, day)
    except ValueError:
        return None
    if value < EARLIEST or value > latest():
        return None
    return value


def _month_number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return MONTHS.get(word.lower().rstrip("."))


def parse_machine(value: str) -> datetime.date | None:
    """A date from an ISO 8601 value as found in ``datetime``/``content`` attributes."""
    match = _ISO.match(value)
    if not match:
        return None
    return make_date(int(match["year"]), int(match["month"]), int(match["day"]))


def day_first(language: str | None) -> bool | None:
    """Whether numeric dates put the day first in ``language`` (a ``lang`` value), or
    ``None`` when the language is not known."""
    if not language:
        return None
    language = language.strip().lower().replace("_", "-")
    return language not in _MONTH_FIRST_LANGUAGES


def slashed_order(text: str) -> bool | None:
    """Whether ``text`` shows a numeric date that can only be day first (``25/12/2023``:
    ``True``) or month first (``12/25/2023``: ``False``); ``None`` when it does not tell."""
    for match in _SLASHED.finditer(text):
        first, second = int(match["a"]), int(match["b"])
        if first > 12 >= second:
            return True
        if second > 12 >= first:
            return False
    return None


def find_date(text: str, day_first: bool | None = None) -> datetime.date | None:
    """The first complete date written in ``text`` in one of the common formats.

    ``day_first`` settles numeric dates such as ``03/04/2024`` (``None``: read them only
    when one part is over 12). Dates inside web addresses are not read.
    """
    if "/" in text:
        text = _ADDRESSES.sub(" ", text)
    best: tuple[int, datetime.date] | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if best is not None and match.start() >= best[0]:
                break
            month = _month_number(match["month"])
            if month is None:
                continue
            value = make_date(int(match["year"]), month, int(match["day"]))
            if value is not None:
                best = (match.start(), value)
                break
    for match in _SLASHED.finditer(text):
        if best is not None and match.start() >= best[0]:
            break
        first, second = int(match["a"]), int(match["b"])
        if first > 12 >= second or (day_first and first <= 12 and second <= 12):
            value = make_date(int(match["year"]), second, first)
        elif second > 12 >= first or (day_first is False and first <= 12 and second <= 12):
            value = make_date(int(match["year"]), first, second)
        else:
            continue
        if value is not None:
            best = (match.start(), value)
            break
    return best[1] if best else None


def date_from_url(url: str) -> datetime.date | None:
    """A date written in a URL path as ``/YYYY/MM/DD/``."""
    match = _URL.search(url)
    if not match:
        return None
    return make_date(int(match["year"]), int(match["month"]), int(match["day"]))
