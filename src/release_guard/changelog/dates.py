"""Release dates as changelogs write them: ISO, slashes, and the common prose forms.

`find_date` scans a short text once, word by word (no backtracking regex), so a heading of any
length costs time in proportion to its length.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}
_ORDINALS = ("st", "nd", "rd", "th")
# Patterns compiled on first use (re caches them), not at import: the commit path reads most
# dates through titles._COMMON and never needs these.
# the common case, found by one regex scan (fixed-width groups: no backtracking)
_ISO = r"(?<![0-9A-Za-z./-])([0-9]{4})([-/])([0-9]{1,2})\2([0-9]{1,2})(?![0-9A-Za-z/-])"
_WORD = r"[0-9A-Za-z]+(?:[-/.][0-9A-Za-z]+)*"  # separators outside the class
# `6th December, 2024` or `Dec 6, 2024`: each branch starts differently, each part is bounded
_PROSE = (
    r"(?<![0-9A-Za-z])(?:([0-9]{1,2})(?:st|nd|rd|th)?[ \t]+([A-Za-z]{3,9})\.?,?"
    r"|([A-Za-z]{3,9})\.?[ \t]+([0-9]{1,2})(?:st|nd|rd|th)?,?)[ \t]+([0-9]{4})(?![0-9])"
)


class Day(tuple[int, int, int]):
    """A real calendar day, for the commit path: importing `datetime` costs about 1 ms on
    Python 3.11 (docs/design.md, "Start-up"). A (year, month, day) tuple: days compare in
    calendar order, and print as ISO dates, as `datetime.date` does."""

    __slots__ = ()

    def __new__(cls, year: int, month: int, number: int) -> Day:  # number: the day of the month
        return tuple.__new__(cls, (year, month, number))

    @property
    def year(self) -> int:
        return self[0]

    @property
    def month(self) -> int:
        return self[1]

    @property
    def number(self) -> int:
        return self[2]

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.number:02d}"

    def isoformat(self) -> str:
        return str(self)

    def next(self) -> Day:
        if self.number < _days_in_month(self.year, self.month):
            return Day(self.year, self.month, self.number + 1)
        if self.month < 12:
            return Day(self.year, self.month + 1, 1)
        return Day(self.year + 1, 1, 1)

    def date(self) -> datetime.date:
        import datetime

        return datetime.date(*self)

    @classmethod
    def of(cls, date: datetime.date) -> Day:
        return cls(date.year, date.month, date.day)

    @classmethod
    def today_utc(cls) -> Day:
        import time

        now = time.gmtime()
        return cls(now.tm_year, now.tm_mon, now.tm_mday)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


class Date:
    """A date as written; `day` is None when it names no real calendar day (2026-02-30)."""

    # a plain class: a NamedTuple costs ~0.1 ms to create, on the commit path
    __slots__ = ("day", "start", "style", "written")

    def __init__(self, written: str, day: Day | None, style: str, start: int) -> None:
        self.written = written
        self.day = day
        self.style = style  # "iso", "slash", "day-month", "month-day": how prepare writes a new one
        self.start = start  # offset of the date in the text searched


def real_day(year: int, month: int, day: int) -> Day | None:
    """The day, when it is on the calendar (years 1 to 9999, as `datetime.date` takes)."""
    if 1 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= _days_in_month(year, month):
        return Day(year, month, day)
    return None


def _numeric(token: str) -> tuple[int, int, int, str] | None:
    """YYYY-MM-DD or YYYY/MM/DD (one or two digit month and day)."""
    for separator, style in (("-", "iso"), ("/", "slash")):
        parts = token.split(separator)
        if (
            len(parts) == 3
            and len(parts[0]) == 4
            and all(part.isascii() and part.isdigit() and len(part) <= 4 for part in parts)
            and 1 <= len(parts[1]) <= 2
            and 1 <= len(parts[2]) <= 2
        ):
            return int(parts[0]), int(parts[1]), int(parts[2]), style
    return None


def _day_number(token: str) -> int | None:
    """6, 06 or 6th."""
    lowered = token.lower()
    if lowered.endswith(_ORDINALS) and len(lowered) > 2:
        lowered = lowered[:-2]
    if lowered.isascii() and lowered.isdigit() and len(lowered) <= 2:
        return int(lowered)
    return None


def _year(token: str) -> int | None:
    return int(token) if token.isascii() and token.isdigit() and len(token) == 4 else None


def _month(token: str) -> int | None:
    return MONTHS.get(token.lower().rstrip("."))


def find_date(text: str) -> Date | None:
    """The first date in `text`, in any of the forms changelogs use."""
    iso = re.search(_ISO, text)
    if iso is not None and not any(char.isdigit() for char in text[: iso.start()]):
        day = real_day(int(iso.group(1)), int(iso.group(3)), int(iso.group(4)))
        style = "iso" if iso.group(2) == "-" else "slash"
        return Date(iso.group(), day, style, iso.start())
    prose = re.search(_PROSE, text)
    if prose is not None and not any(char.isdigit() for char in text[: prose.start()]):
        leading_day = prose.group(1) is not None
        month = MONTHS.get((prose.group(2) if leading_day else prose.group(3)).lower())
        if month is not None:
            number = int(prose.group(1) if leading_day else prose.group(4))
            day = real_day(int(prose.group(5)), month, number)
            style = "day-month" if leading_day else "month-day"
            return Date(prose.group(), day, style, prose.start())
    words = [(match.group(), match.start()) for match in re.finditer(_WORD, text)]
    for position, (word, offset) in enumerate(words):
        numeric = _numeric(word)
        if numeric is not None:
            return Date(word, real_day(*numeric[:3]), numeric[3], offset)
        following = [w for w, _ in words[position + 1 : position + 3]]
        if len(following) < 2:
            continue
        end = words[position + 2][1] + len(words[position + 2][0])
        # 6th December, 2024 / 6 Dec 2024
        year = _year(following[1])
        if year is None:
            continue
        day_first, month_second = _day_number(word), _month(following[0])
        if day_first is not None and month_second is not None:
            return Date(
                text[offset:end], real_day(year, month_second, day_first), "day-month", offset
            )
        # December 6, 2024 / Dec. 6th 2024
        month_first, day_second = _month(word), _day_number(following[0])
        if month_first is not None and day_second is not None:
            return Date(
                text[offset:end], real_day(year, month_first, day_second), "month-day", offset
            )
    return None


def write_date(day: datetime.date, like: Date | None) -> str:
    """`day` in the style of an existing date (ISO when there is none)."""
    style = like.style if like is not None else "iso"
    month_name = day.strftime("%B")
    if style == "slash":
        return day.strftime("%Y/%m/%d")
    if style == "month-day":
        short = like is not None and len(like.written.split()[0].rstrip(".")) <= 4
        name = day.strftime("%b") if short and month_name != "May" else month_name
        return f"{name} {day.day}, {day.year}"
    if style == "day-month":
        assert like is not None
        ordinal = not like.written.split()[0].isdigit()
        return f"{day.day}{_suffix(day.day) if ordinal else ''} {month_name}, {day.year}"
    return day.isoformat()


def _suffix(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
