"""Opening periods as people type them, and back."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from balie.tenancy.opening_periods import PeriodsInvalid, format_periods, parse_periods

T = dt.time


@pytest.mark.parametrize(
    ("text", "periods"),
    [
        ("9:00–17:00", [(T(9), T(17))]),
        ("9-17", [(T(9), T(17))]),
        ("09.00 - 12.30, 13:00-17:30", [(T(9), T(12, 30)), (T(13), T(17, 30))]),
        ("13 tot 17 en 8.30 tot 12", [(T(8, 30), T(12)), (T(13), T(17))]),
        ("9h00—17h00", [(T(9), T(17))]),
        ("0:00-23:59", [(T(0), T(23, 59))]),
        ("", []),
        ("  gesloten ", []),
        ("Dicht", []),
    ],
)
def test_it_reads_what_people_type(text: str, periods: list[tuple[dt.time, dt.time]]) -> None:
    assert parse_periods(text) == periods


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("9 uur", "“9 uur” is geen tijdvak. Schrijf het als 9:00–17:00."),
        ("17:00-9:00", "17:00-9:00: het begin ligt niet voor het eind."),
        ("9:00-24:00", "“24:00” is geen tijd van de dag. Tot middernacht? Vul 23:59 in."),
        ("9:75-10:00", "“9:75” is geen tijd van de dag."),
        ("1-2, 3-4, 5-6, 7-8, 9-10, 11-12, 13-14", "Hoogstens 6 tijdvakken per dag."),
    ],
)
def test_it_says_what_it_does_not_understand(text: str, says: str) -> None:
    with pytest.raises(PeriodsInvalid) as raised:
        parse_periods(text)
    assert says in raised.value.message


def test_it_writes_periods_as_the_page_shows_them() -> None:
    assert format_periods([(T(13), T(17)), (T(9), T(12, 30))]) == "9:00–12:30, 13:00–17:00"
    assert format_periods([]) == ""


times = st.times().map(lambda moment: moment.replace(second=0, microsecond=0, tzinfo=None))
periods = st.lists(st.tuples(times, times).filter(lambda period: period[0] < period[1]), max_size=6)


@given(periods)
def test_what_it_writes_it_reads_back(written: list[tuple[dt.time, dt.time]]) -> None:
    assert parse_periods(format_periods(written)) == sorted(written)


@given(st.text(max_size=200))
def test_any_text_is_read_or_refused_in_words(text: str) -> None:
    refusal = None
    try:
        result = parse_periods(text)
    except PeriodsInvalid as error:
        result, refusal = [], error.message
    assert refusal != ""  # a refusal always says why
    assert all(start < end for start, end in result)
