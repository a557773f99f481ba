"""Dates: machine-readable values, URLs and common written formats; never a guess."""

from __future__ import annotations

import datetime

import pytest

from wagtail_tagfeed.parsing import dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 3, 2024", datetime.date(2024, 3, 3)),
        ("Posted on Mar 3, 2024 by Ann", datetime.date(2024, 3, 3)),
        ("Mar. 3 2024", datetime.date(2024, 3, 3)),
        ("March 3rd, 2024", datetime.date(2024, 3, 3)),
        ("3 March 2024", datetime.date(2024, 3, 3)),
        ("Sun 03 March 2024", datetime.date(2024, 3, 3)),
        ("2024-03-03", datetime.date(2024, 3, 3)),
        ("2024/03/03", datetime.date(2024, 3, 3)),
        ("03.04.2024", datetime.date(2024, 4, 3)),
        ("3. März 2024", datetime.date(2024, 3, 3)),
        ("12 décembre 2023", datetime.date(2023, 12, 12)),
        ("25/12/2023", datetime.date(2023, 12, 25)),
        ("12/25/2023", datetime.date(2023, 12, 25)),
        ("29 septiembre, 2012", datetime.date(2012, 9, 29)),
        ("3 de marzo de 2024", datetime.date(2024, 3, 3)),
        ("3 marzo 2024", datetime.date(2024, 3, 3)),
        ("17 февраля 2016 г.", datetime.date(2016, 2, 17)),
        ("1 березня 2021", datetime.date(2021, 3, 1)),
        ("12 października 2020", datetime.date(2020, 10, 12)),
        ("5 Ekim 2023 Perşembe", datetime.date(2023, 10, 5)),
        ("2012年9月29日", datetime.date(2012, 9, 29)),
        ("2024년 3월 3일", datetime.date(2024, 3, 3)),
        ("2024.03.03", datetime.date(2024, 3, 3)),
        ("16.02.2016 15:06", datetime.date(2016, 2, 16)),
    ],
)
def test_find_date_reads_common_formats(text, expected):
    assert dates.find_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "03/04/2024",  # day-first or month-first: ambiguous
        "last Tuesday",
        "March 2024",
        "2024",
        "February 30, 2024",
        "1 Smarch 2024",
        "12 views",
    ],
)
def test_find_date_never_guesses(text):
    assert dates.find_date(text) is None


def test_dates_in_the_future_or_before_1990_are_rejected():
    future = datetime.date.today() + datetime.timedelta(days=3)
    assert dates.find_date(future.isoformat()) is None
    assert dates.parse_machine(future.isoformat()) is None
    assert dates.find_date("July 4, 1989") is None
    assert dates.parse_machine("1985-01-01") is None


def test_tomorrow_is_allowed_for_time_zones():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    assert dates.parse_machine(tomorrow.isoformat() + "T23:00:00+14:00") == tomorrow


def test_parse_machine_reads_iso_values_only():
    assert dates.parse_machine("2024-03-03T10:00:00+03:00") == datetime.date(2024, 3, 3)
    assert dates.parse_machine("2024-05-20 00:00:00+00:00") == datetime.date(2024, 5, 20)
    assert dates.parse_machine("2024-03-03") == datetime.date(2024, 3, 3)
    assert dates.parse_machine("March 3, 2024") is None
    assert dates.parse_machine("2024-13-03") is None


def test_date_from_url():
    assert dates.date_from_url("https://b.example/2023/05/12/slug/") == datetime.date(2023, 5, 12)
    assert dates.date_from_url("/2023/05/12-slug") == datetime.date(2023, 5, 12)
    assert dates.date_from_url("https://b.example/2023/05/slug/") is None
    assert dates.date_from_url("https://b.example/posts/20230512/") is None


def test_earliest_of_several_positions_wins():
    assert dates.find_date("Updated 2024-05-01, first published March 3, 2024") == (
        datetime.date(2024, 5, 1)
    )


def test_dates_in_web_addresses_are_not_read():
    assert dates.find_date("via https://news.example/2019/05/03/story-12") is None
    assert dates.find_date("www.example.org/2019-05-03-title") is None


def test_the_order_of_numeric_dates_comes_from_the_caller():
    assert dates.find_date("03/04/2024") is None
    assert dates.find_date("03/04/2024", day_first=True) == datetime.date(2024, 4, 3)
    assert dates.find_date("03/04/2024", day_first=False) == datetime.date(2024, 3, 4)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("tr", True), ("en-GB", True), ("de-DE", True), ("en-US", False), ("en", False), ("", None)],
)
def test_day_first_from_the_page_language(language, expected):
    assert dates.day_first(language) is expected
