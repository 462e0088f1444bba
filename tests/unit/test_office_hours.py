"""tenants/office_hours.py: a ward's office hours as typed by an admin."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tenants.office_hours import DAY_CODES, OfficeHoursError, OpenPeriod, describe_office_hours, parse_office_hours

TYPICAL = "T2-T6 07:30-11:30 13:30-17:00; T7 07:30-11:30"
START_WITH_DAYS = "Start each part with days such as T2-T6, T7 or CN: %(part)s"
DAYS_ORDER = "Days run from T2 to CN: %(part)s"
GIVE_TIMES = "Give opening times such as 07:30-11:30 after the days: %(part)s"
TIME_FORMAT = "Write times as 07:30-11:30: %(part)s"
TIME_ORDER = "A time range must end after it starts: %(part)s"


def p(weekday: int, start: str, end: str) -> OpenPeriod:
    return OpenPeriod(weekday, time.fromisoformat(start), time.fromisoformat(end))


def error(text: str) -> tuple[str, dict]:
    with pytest.raises(OfficeHoursError) as exc:
        parse_office_hours(text)
    return exc.value.text.message, exc.value.text.params


def test_typical_week():
    periods = parse_office_hours(TYPICAL)
    assert len(periods) == 11
    assert periods[:2] == [p(0, "07:30", "11:30"), p(0, "13:30", "17:00")]
    assert periods[-1] == p(5, "07:30", "11:30")
    assert {x.weekday for x in periods} == {0, 1, 2, 3, 4, 5}
    assert periods == sorted(periods, key=lambda x: (x.weekday, x.start))


@pytest.mark.parametrize(
    "text",
    [
        "t2-t6 7h30-11h30, 13h30-17h00; t7 7H30-11H30",
        "T2-T6  07:30-11:30,13:30-17:00 ;T7 07:30-11:30;",
        "T7 07:30-11:30; T2-T6 13:30-17:00 07:30-11:30",  # any order: the result is sorted
        "  T2-T6\t07:30-11:30 13:30-17:00 ; ; T7 07:30-11:30  ",
    ],
)
def test_same_week_written_differently(text):
    assert parse_office_hours(text) == parse_office_hours(TYPICAL)


@pytest.mark.parametrize(("code", "weekday"), list(zip(DAY_CODES, range(7), strict=True)))
def test_each_single_day(code, weekday):
    assert parse_office_hours(f"{code} 08:00-09:00") == [p(weekday, "08:00", "09:00")]


def test_whole_week_and_whole_day():
    periods = parse_office_hours("T2-CN 00:00-23:59")
    assert [x.weekday for x in periods] == list(range(7))
    assert all((x.start, x.end) == (time(0, 0), time(23, 59)) for x in periods)


@pytest.mark.parametrize("text", ["", "   ", ";", " ; ; ", None])
def test_nothing_typed_means_no_periods(text):
    assert parse_office_hours(text) == []


@pytest.mark.parametrize(
    ("text", "message", "part"),
    [
        ("T8 08:00-09:00", START_WITH_DAYS, "T8 08:00-09:00"),
        ("T1 08:00-09:00", START_WITH_DAYS, "T1 08:00-09:00"),
        ("Thứ 2 08:00-09:00", START_WITH_DAYS, "Thứ 2 08:00-09:00"),
        ("08:00-09:00", START_WITH_DAYS, "08:00-09:00"),
        ("T2–T6 08:00-09:00", START_WITH_DAYS, "T2–T6 08:00-09:00"),
        ("T6-T2 08:00-09:00", DAYS_ORDER, "T6-T2 08:00-09:00"),
        ("CN-T2 08:00-09:00", DAYS_ORDER, "CN-T2 08:00-09:00"),
        ("T2", GIVE_TIMES, "T2"),
        ("T2 07:30-11:30; T3-T4", GIVE_TIMES, "T3-T4"),
        ("T2 8-10", TIME_FORMAT, "T2 8-10"),
        ("T2 08:00", TIME_FORMAT, "T2 08:00"),
        ("T2 08.00-09.00", TIME_FORMAT, "T2 08.00-09.00"),
        ("T2 08:00 - 09:00", TIME_FORMAT, "T2 08:00 - 09:00"),
        ("T2 07:30–11:30", TIME_FORMAT, "T2 07:30–11:30"),  # an en dash
        ("T2 10:00-09:00", TIME_ORDER, "T2 10:00-09:00"),
        ("T2 10:00-10:00", TIME_ORDER, "T2 10:00-10:00"),
        ("T2 08:00-24:00", TIME_FORMAT, "T2 08:00-24:00"),
        ("T2 08:60-09:00", TIME_FORMAT, "T2 08:60-09:00"),
        ("T2-T6 07:30-11:30; T7 13:00-12:00", TIME_ORDER, "T7 13:00-12:00"),
    ],
)
def test_errors_name_the_part(text, message, part):
    assert error(text) == (message, {"part": part})


def test_error_is_shown_with_the_part(in_locale):
    with pytest.raises(OfficeHoursError) as exc:
        parse_office_hours("T2 8-10")
    in_locale("en")
    assert str(exc.value.text) == "Write times as 07:30-11:30: T2 8-10"
    in_locale("vi")
    assert "T2 8-10" in str(exc.value.text)


def test_describe_in_english(in_locale):
    in_locale("en")
    assert describe_office_hours(TYPICAL) == [
        ("Monday", "07:30–11:30, 13:30–17:00"),
        ("Tuesday", "07:30–11:30, 13:30–17:00"),
        ("Wednesday", "07:30–11:30, 13:30–17:00"),
        ("Thursday", "07:30–11:30, 13:30–17:00"),
        ("Friday", "07:30–11:30, 13:30–17:00"),
        ("Saturday", "07:30–11:30"),
        ("Sunday", "Closed"),
    ]


def test_describe_in_vietnamese(in_locale):
    in_locale("vi")
    rows = describe_office_hours(TYPICAL)
    assert [day for day, _ in rows] == ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
    assert rows[0][1] == "07:30–11:30, 13:30–17:00"
    assert rows[6][1] not in ("", "Closed")


def test_describe_shows_unreadable_text_as_typed(in_locale):
    in_locale("en")
    assert describe_office_hours("Sáng 7h30 đến 11h30") == [("", "Sáng 7h30 đến 11h30")]


def test_describe_spans_are_in_time_order(in_locale):
    in_locale("en")
    assert describe_office_hours("T2 13:30-17:00 07:30-11:30")[0] == ("Monday", "07:30–11:30, 13:30–17:00")


@pytest.mark.parametrize("text", ["", "  "])
def test_describe_nothing_typed_is_nothing_shown(in_locale, text):
    in_locale("en")
    assert describe_office_hours(text) == []


def test_one_line_per_part():
    assert parse_office_hours("T2-T6 07:30-11:30 13:30-17:00\nT7 07:30-11:30") == parse_office_hours(TYPICAL)


@pytest.mark.parametrize("text", [",", "T2-T6 07:30-11:30; ,", ", ,;T7 07:30-11:30"])
def test_part_of_commas_alone_is_ignored(text):
    """A stray separator is harmless: it never crashes and the real parts still count."""
    periods = parse_office_hours(text)
    assert all(p.start < p.end for p in periods)
    assert len(periods) == (5 if "T2-T6" in text else 1 if "T7" in text else 0)


# --- properties -----------------------------------------------------------------------------------------


@st.composite
def schedules(draw):
    """A list of (first day, last day, [(start, end), ...]) and its text."""
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        first = draw(st.integers(0, 6))
        last = draw(st.integers(first, 6))
        spans = []
        for _ in range(draw(st.integers(1, 3))):
            start = draw(st.integers(0, 23 * 60 + 58))
            end = draw(st.integers(start + 1, 23 * 60 + 59))
            spans.append((time(*divmod(start, 60)), time(*divmod(end, 60))))
        parts.append((first, last, spans))
    return parts


def write(parts, sep: str = ":") -> str:
    def day(first, last):
        return DAY_CODES[first] if first == last else f"{DAY_CODES[first]}-{DAY_CODES[last]}"

    return "; ".join(
        day(first, last)
        + " "
        + " ".join(f"{s.hour}{sep}{s.minute:02d}-{e.hour:02d}{sep}{e.minute:02d}" for s, e in spans)
        for first, last, spans in parts
    )


@given(parts=schedules(), sep=st.sampled_from([":", "h", "H"]))
def test_parse_gives_every_day_and_span_written(parts, sep):
    periods = parse_office_hours(write(parts, sep))
    expected = sorted(
        (OpenPeriod(d, s, e) for first, last, spans in parts for d in range(first, last + 1) for s, e in spans),
        key=lambda x: (x.weekday, x.start),
    )
    assert sorted(periods, key=lambda x: (x.weekday, x.start, x.end)) == sorted(
        expected, key=lambda x: (x.weekday, x.start, x.end)
    )
    assert all(x.start < x.end for x in periods)
    assert [(x.weekday, x.start) for x in periods] == sorted((x.weekday, x.start) for x in periods)


@given(text=st.text(max_size=40))
def test_any_text_parses_or_raises_office_hours_error(text):
    # a part made of commas alone is a known bug: see test_part_of_commas_alone_is_an_office_hours_error
    assume(all(part.replace(",", "").strip() for part in text.split(";") if part.strip()))
    try:
        periods = parse_office_hours(text)
    except OfficeHoursError as exc:
        assert exc.text.params["part"] in text
    else:
        assert all(0 <= x.weekday <= 6 and x.start < x.end for x in periods)
