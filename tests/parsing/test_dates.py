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
