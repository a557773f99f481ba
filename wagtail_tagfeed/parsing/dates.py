"""Read publication dates from machine-readable values, URLs and common visible formats.

Only unambiguous, complete dates are accepted: no fuzzy parsing, nothing before 1990 and
nothing later than tomorrow.
"""

from __future__ import annotations

import datetime
import re

EARLIEST = datetime.date(1990, 1, 1)

MONTHS = {
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
    # German
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mai": 5, "juni": 6,
    "juli": 7, "oktober": 10, "okt": 10, "dezember": 12, "dez": 12,
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
}  # fmt: skip

_MONTH = r"(?P<month>[^\W\d_]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|\.)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = [
    # 2024-03-03, 2024/03/03 (optionally followed by a time)
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)([-/])(?P<month>\d\d?)\2(?P<day>\d\d?)(?!\d)"),
    # 03.03.2024: dotted dates are day first
    re.compile(r"(?<![\d.])(?P<day>\d\d?)\.(?P<month>\d\d?)\.(?P<year>(?:19|20)\d\d)(?!\d)"),
    # March 3, 2024 / Mar. 3 2024 / March 3rd, 2024
    re.compile(rf"(?<!\w){_MONTH}\s+{_DAY},?\s+{_YEAR}(?!\d)"),
    # 3 March 2024 / 3. März 2024 / 3rd of March, 2024
    re.compile(rf"(?<![\w.]){_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}(?!\d)"),
]
# 03/04/2024 is ambiguous unless one side is over 12.
_SLASHED = re.compile(r"(?<![\d/])(?P<a>\d\d?)/(?P<b>\d\d?)/(?P<year>(?:19|20)\d\d)(?!\d)")
_ISO = re.compile(r"\s*(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)(?:$|[T\s]\d)")
_URL = re.compile(r"/(?P<year>(?:19|20)\d\d)/(?P<month>[01]\d)/(?P<day>[0-3]\d)(?:/|[-_.]|$)")


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


def find_date(text: str) -> datetime.date | None:
    """The first complete date written in ``text`` in one of the common formats."""
    best: tuple[int, datetime.date] | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            month = _month_number(match["month"])
            if month is None:
                continue
            value = make_date(int(match["year"]), month, int(match["day"]))
            if value is not None:
                if best is None or match.start() < best[0]:
                    best = (match.start(), value)
                break
    for match in _SLASHED.finditer(text):
        first, second = int(match["a"]), int(match["b"])
        if first > 12 >= second:
            value = make_date(int(match["year"]), second, first)
        elif second > 12 >= first:
            value = make_date(int(match["year"]), first, second)
        else:
            continue
        if value is not None and (best is None or match.start() < best[0]):
            best = (match.start(), value)
            break
    return best[1] if best else None


def date_from_url(url: str) -> datetime.date | None:
    """A date written in a URL path as ``/YYYY/MM/DD/``."""
    match = _URL.search(url)
    if not match:
        return None
    return make_date(int(match["year"]), int(match["month"]), int(match["day"]))
