"""Half-specified value (rule kind + slots) + anchor date -> TIMEX3 value and calendar interval. Pure."""
from __future__ import annotations

import calendar as calendar_module
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Callable

from dateutil.easter import easter
from dateutil.relativedelta import MO, TU, WE, TH, FR, SA, SU, relativedelta

from timeline.errors import RuleError
from timeline.types import Anchor, Direction, Granularity, Interval, Offset, Prefer, TimexType

# News reports what has happened: with no tense or cue word, "Monday" is the last Monday, not the next.
PREFER = Prefer.PAST
# "a few", "several", "recent weeks": how many units an unnumbered span covers when an interval is needed.
FEW = 3

WEEKDAYS = (MO, TU, WE, TH, FR, SA, SU)
SEASON_START_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
SEASON_EDTF = {"SP": 21, "SU": 22, "FA": 23, "WI": 24}
UNIT_GRANULARITY = {
    "S": Granularity.TIME, "MIN": Granularity.TIME, "H": Granularity.TIME, "D": Granularity.DAY,
    "W": Granularity.WEEK, "FN": Granularity.WEEK, "WE": Granularity.DAY, "M": Granularity.MONTH,
    "Q": Granularity.QUARTER, "Y": Granularity.YEAR, "DE": Granularity.DECADE, "CE": Granularity.CENTURY,
}
PERIODS = (Granularity.QUARTER, Granularity.HALF, Granularity.MONTH)
UNIT_DAYS = {"S": 0, "MIN": 0, "H": 1 / 24, "D": 1, "W": 7, "FN": 14, "M": 30.4, "Q": 91.3, "Y": 365.25,
             "DE": 3652.5, "CE": 36525}


class NotADate(ValueError):
    """The matched text names no real date ("February 30"): the tagger drops it."""


@dataclass(frozen=True)
class Reference:
    """The date the narrative last named, for "two days later" and "the next day"."""

    value: str
    granularity: Granularity
    interval: Interval
    # The last quarter (or half, or month) named, which "a year earlier" and "the quarter" refer back to
    # even after a day has been named since.
    period: Reference | None = None


@dataclass(frozen=True)
class Resolution:
    value: str
    granularity: Granularity
    interval: Interval | None
    anchor: Anchor = Anchor.ABSOLUTE
    anchor_date: date | None = None
    mod: str = ""
    type: TimexType | None = None
    offset: Offset | None = None


@dataclass(frozen=True)
class Context:
    slots: dict[str, Any]
    anchor: date | None
    direction: Direction = Direction.NONE
    reference: Reference | None = None
    prefer: Prefer = PREFER
    tables: dict[str, dict[int, date]] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.slots.get(key, default)

    def text(self, key: str) -> str:
        """The matched text of group `key` (of the whole match when `key` is empty), lower-cased."""
        return str(self.slots.get(key + "_text", "")).lower()

    @property
    def past(self) -> bool:
        """Whether an undirected expression should look back from the anchor."""
        if self.direction is Direction.NONE:
            return self.prefer is Prefer.PAST
        return self.direction is Direction.PAST


# Values ------------------------------------------------------------------------------------------

def value_at(day: date, granularity: Granularity) -> str:
    """The TIMEX3 value of the period of `granularity` that holds `day`."""
    if granularity <= Granularity.DAY:
        return day.isoformat()
    if granularity is Granularity.WEEK:
        iso = day.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    if granularity is Granularity.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    if granularity is Granularity.SEASON:
        code, year = season_of(day)
        return f"{year:04d}-{code}"
    if granularity is Granularity.QUARTER:
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if granularity is Granularity.HALF:
        return f"{day.year:04d}-H{(day.month - 1) // 6 + 1}"
    if granularity is Granularity.YEAR:
        return f"{day.year:04d}"
    if granularity is Granularity.DECADE:
        return f"{day.year // 10:03d}"
    return f"{day.year // 100:02d}"


def season_of(day: date) -> tuple[str, int]:
    """The meteorological season holding `day`; winter belongs to the year its December is in."""
    if day.month == 12:
        return "WI", day.year
    if day.month <= 2:
        return "WI", day.year - 1
    return ("SP", "SU", "FA")[(day.month - 3) // 3], day.year


def season_interval(code: str, year: int) -> Interval:
    first = date(year, SEASON_START_MONTH[code], 1)
    return Interval(first, first + relativedelta(months=3) - timedelta(days=1))


def month_interval(year: int, month: int, months: int = 1) -> Interval:
    first = date(year, month, 1)
    return Interval(first, first + relativedelta(months=months) - timedelta(days=1))


def week_interval(year: int, week: int) -> Interval:
    monday = date.fromisocalendar(year, week, 1)
    return Interval(monday, monday + timedelta(days=6))


VALUE_FORMS: tuple[tuple[re.Pattern, Granularity, Callable[..., Interval]], ...] = (
    (re.compile(r"(\d{4})-(\d\d)-(\d\d)T.*"), Granularity.TIME,
     lambda y, m, d: Interval(date(y, m, d), date(y, m, d))),
    (re.compile(r"(\d{4})-(\d\d)-(\d\d)"), Granularity.DAY,
     lambda y, m, d: Interval(date(y, m, d), date(y, m, d))),
    (re.compile(r"(\d{4})-W(\d\d)-WE"), Granularity.DAY,
     lambda y, w: Interval(date.fromisocalendar(y, w, 6), date.fromisocalendar(y, w, 7))),
    (re.compile(r"(\d{4})-W(\d\d)"), Granularity.WEEK, week_interval),
    (re.compile(r"(\d{4})-(\d\d)"), Granularity.MONTH, month_interval),
    (re.compile(r"(\d{4})-Q([1-4])"), Granularity.QUARTER, lambda y, q: month_interval(y, 3 * q - 2, 3)),
    (re.compile(r"(\d{4})-H([12])"), Granularity.HALF, lambda y, h: month_interval(y, 6 * h - 5, 6)),
    (re.compile(r"(\d{4})-(SP|SU|FA|WI)"), Granularity.SEASON, lambda y, s: season_interval(s, y)),
    (re.compile(r"(\d{4})"), Granularity.YEAR, lambda y: Interval(date(y, 1, 1), date(y, 12, 31))),
    (re.compile(r"(\d{3})"), Granularity.DECADE, lambda d: Interval(date(10 * d, 1, 1), date(10 * d + 9, 12, 31))),
    (re.compile(r"(\d{2})"), Granularity.CENTURY,
     lambda c: Interval(date(max(1, 100 * c), 1, 1), date(100 * c + 99, 12, 31))),
)


@lru_cache(maxsize=4096)
def parse_value(value: str) -> tuple[Granularity, Interval] | None:
    """Granularity and interval of a calendar TIMEX3 value; None for durations, sets and fuzzy values."""
    for pattern, granularity, to_interval in VALUE_FORMS:
        match = pattern.fullmatch(value)
        if match:
            args = [a if a in SEASON_START_MONTH else int(a) for a in match.groups()]
            try:
                return granularity, to_interval(*args)
            except ValueError:
                return None
    return None


def interval_of_value(value: str) -> Interval | None:
    parsed = parse_value(value)
    return parsed[1] if parsed else None


def edtf_of(value: str, interval: Interval | None) -> str:
    """The Library of Congress Extended Date/Time Format form of a value (an interval when EDTF has no name)."""
    parsed = parse_value(value.split("T")[0] if "T" in value else value)
    if parsed:
        granularity = parsed[0]
        if granularity in (Granularity.DAY, Granularity.MONTH, Granularity.YEAR):
            return value.split("T")[0] if "-WE" not in value else f"{parsed[1].first}/{parsed[1].last}"
        if granularity is Granularity.SEASON:
            return f"{value[:4]}-{SEASON_EDTF[value[5:]]}"
        if granularity is Granularity.QUARTER:
            return f"{value[:4]}-{32 + int(value[6])}"
        if granularity is Granularity.HALF:
            return f"{value[:4]}-{39 + int(value[6])}"
        if granularity is Granularity.DECADE:
            return f"{value}X"
        if granularity is Granularity.CENTURY:
            return f"{value}XX"
    return f"{interval.first}/{interval.last}" if interval else ""


def narrow(interval: Interval, mod: str, anchor: date | None) -> Interval:
    """The part of `interval` that "early", "mid", "late", "earlier this" or "later this" point at."""
    if mod in ("BEFORE_ANCHOR", "AFTER_ANCHOR") and anchor and interval.first <= anchor <= interval.last:
        return Interval(interval.first, anchor) if mod == "BEFORE_ANCHOR" else Interval(anchor, interval.last)
    third = interval.days // 3
    if third < 1 or mod not in ("START", "MID", "END"):
        return interval
    if mod == "START":
        return Interval(interval.first, interval.first + timedelta(days=third - 1))
    if mod == "END":
        return Interval(interval.last - timedelta(days=third - 1), interval.last)
    return Interval(interval.first + timedelta(days=third), interval.last - timedelta(days=third))


def calendar(value: str, anchor: Anchor = Anchor.ABSOLUTE, anchor_date: date | None = None, mod: str = "",
             type: TimexType | None = None) -> Resolution:
    """A Resolution for a calendar value, its interval narrowed by `mod`."""
    parsed = parse_value(value)
    if parsed is None:
        raise NotADate(value)
    granularity, interval = parsed
    if mod:
        interval = narrow(interval, mod, anchor_date)
    public_mod = "" if mod in ("BEFORE_ANCHOR", "AFTER_ANCHOR") else mod
    return Resolution(value, granularity, interval, anchor, anchor_date, public_mod, type)


def unresolved(value: str, granularity: Granularity = Granularity.FUZZY) -> Resolution:
    return Resolution(value, granularity, None, Anchor.UNRESOLVED)


def pick(candidates: list[date], anchor: date, ctx: Context, *, strict: bool = False) -> date:
    """Of dates around the anchor, the one the tense points at (the closest when nothing points)."""
    if ctx.direction is Direction.NONE and not strict:
        return pick_nearest(candidates, anchor)
    # A February 29 may have no candidate on the tense's side: then the closest stands.
    if ctx.past:
        return max((d for d in candidates if d <= anchor), default=None) or pick_nearest(candidates, anchor)
    return min((d for d in candidates if d >= anchor), default=None) or pick_nearest(candidates, anchor)


def pick_nearest(candidates: list[date], anchor: date) -> date:
    return min(candidates, key=lambda d: (abs((d - anchor).days), d > anchor))


def to_number(raw: Any) -> float | str:
    """A count from a vocabulary value or digits; "X" when the text gives none ("several")."""
    if isinstance(raw, (int, float)):
        return raw
    text = str(raw).replace(",", "")
    if text in ("X", "", "None"):
        return "X"
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return "X"


# Beyond this many days from publication, a month and day without a year follows the tense, not proximity.
SEASON_DAYS = 90
# A month alone this many months from publication's (or nearer) is the near one whatever the tense.
NEAR_MONTHS = 1

# How far one calendar unit moves a date, as a relativedelta field and a multiple of it.
CALENDAR_STEPS = {"D": ("days", 1), "W": ("weeks", 1), "WE": ("weeks", 1), "FN": ("weeks", 2), "M": ("months", 1),
                  "Q": ("months", 3), "Y": ("years", 1), "DE": ("years", 10), "CE": ("years", 100)}


def shift_date(day: date, unit: str, count: float) -> date:
    """`day` moved by `count` units (negative: back); fractional counts move by days."""
    if float(count).is_integer() and unit in CALENDAR_STEPS:
        field, multiple = CALENDAR_STEPS[unit]
        return day + relativedelta(**{field: int(count) * multiple})
    return day + timedelta(days=round(count * UNIT_DAYS.get(unit, 1)))


# Resolvers, one per rule kind --------------------------------------------------------------------

def resolve_calendar(ctx: Context) -> Resolution:
    year = ctx.get("year") or ctx.get("year2")
    month = ctx.get("month") or ctx.get("month_name") or ctx.get("month_num")
    day = ctx.get("day")
    mod = ctx.get("position", "") or ""
    if year and not month:
        return calendar(f"{int(year):04d}", mod=mod, anchor_date=ctx.anchor)
    month = int(month)
    if year:
        year = int(year)
        if day:
            try:
                return calendar(date(year, month, int(day)).isoformat(), mod=mod)
            except ValueError:
                raise NotADate(f"{year}-{month}-{day}") from None
        return calendar(f"{year:04d}-{month:02d}", mod=mod)
    if ctx.anchor is None:
        return unresolved(f"XXXX-{month:02d}-{int(day):02d}" if day else f"XXXX-{month:02d}")
    anchor = ctx.anchor
    if day:
        candidates = []
        for y in (anchor.year - 1, anchor.year, anchor.year + 1):
            try:
                candidates.append(date(y, month, int(day)))
            except ValueError:
                pass
        if not candidates:
            raise NotADate(f"{month}-{day}")
        # A month and day without a year is the nearest such date when it lies within a season: tense
        # misleads there ("payable Dec. 15", "extended to Nov. 20"). Farther away, the tense decides
        # ("the year ended March 31" read in November is the March before).
        nearest = min(candidates, key=lambda d: abs((d - anchor).days))
        if abs((nearest - anchor).days) > SEASON_DAYS and ctx.direction is not Direction.NONE:
            nearest = pick(candidates, anchor, ctx)
        return calendar(nearest.isoformat(), Anchor.PUBLISHED, anchor, mod)
    firsts = [date(y, month, 1) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    this_month = date(anchor.year, anchor.month, 1)
    shift = ctx.get("shift")
    if shift == -1:
        first = max(d for d in firsts if d < this_month)
    elif shift == 1:
        first = min(d for d in firsts if d > this_month)
    elif shift == 0:
        first = date(anchor.year, month, 1)
    elif ctx.get("year_shift") is not None:  # "June last year", "in March this year"
        first = date(anchor.year + int(ctx.get("year_shift")), month, 1)
    else:
        # A month next to publication's is that near month whatever the verb ("said it would pay in November",
        # "October sales will be released", read in October or November): a month eleven away would say
        # "next"/"last". Farther off, the tense decides, as it does for a month and day beyond a season.
        near = [d for d in firsts if abs((d.year - this_month.year) * 12 + d.month - this_month.month) <= NEAR_MONTHS]
        first = near[0] if near else pick(firsts, this_month, ctx)
    return calendar(f"{first.year:04d}-{first.month:02d}", Anchor.PUBLISHED, anchor, mod)


def resolve_week_of(ctx: Context) -> Resolution:
    """ "The week of March 6", "Easter week": the ISO week holding the day named, that day found as a bare date
    (or holiday) would be, except that a holiday's week holding the publication day is the week under way."""
    holiday = ctx.get("holiday") or ctx.get("holiday2")
    if holiday is not None:
        ctx = replace(ctx, slots={**ctx.slots, "holiday": holiday})
        current = None if ctx.anchor is None or ctx.get("year") else current_holiday_week(str(holiday), ctx)
        if current is not None:
            return current
    day = resolve_holiday(ctx) if holiday is not None else resolve_calendar(ctx)
    if day.interval is None:
        return unresolved("XXXX-WXX", Granularity.WEEK)
    return calendar(value_at(day.interval.first, Granularity.WEEK), day.anchor, day.anchor_date)


def current_holiday_week(rule: str, ctx: Context) -> Resolution | None:
    """The week holding both the publication day and the holiday, if there is one."""
    for year in (ctx.anchor.year - 1, ctx.anchor.year, ctx.anchor.year + 1):
        try:
            day = holiday_date(rule, year, ctx.tables)
        except NotADate:
            continue
        if day.isocalendar()[:2] == ctx.anchor.isocalendar()[:2]:
            return calendar(value_at(day, Granularity.WEEK), Anchor.PUBLISHED, ctx.anchor)
    return None


def resolve_day_of_month(ctx: Context) -> Resolution:
    day = int(ctx.get("day"))
    ref = ctx.reference
    if ref is not None and ref.granularity in (Granularity.TIME, Granularity.DAY, Granularity.MONTH):
        try:
            return calendar(ref.interval.first.replace(day=day).isoformat(), Anchor.REFERENCE, ref.interval.first)
        except ValueError:
            raise NotADate(f"day {day} of {ref.value}") from None
    if ctx.anchor is None:
        return unresolved(f"XXXX-XX-{day:02d}", Granularity.DAY)
    candidates = []
    for months in (-1, 0, 1):
        first = date(ctx.anchor.year, ctx.anchor.month, 1) + relativedelta(months=months)
        if day <= calendar_module.monthrange(first.year, first.month)[1]:
            candidates.append(first.replace(day=day))
    return calendar(pick(candidates, ctx.anchor, ctx).isoformat(), Anchor.PUBLISHED, ctx.anchor)


@lru_cache(maxsize=2048)
def parse_numeric_date(text: str) -> date | None:
    # dateparser reads the isolated numeric forms well (two-digit years, US month-first order).
    import dateparser

    parsed = dateparser.parse(text, settings={"DATE_ORDER": "MDY", "STRICT_PARSING": True})
    return parsed.date() if parsed else None


def resolve_numeric(ctx: Context) -> Resolution:
    day = parse_numeric_date(str(ctx.get("numeric")))
    if day is None:
        raise NotADate(str(ctx.get("numeric")))
    return calendar(day.isoformat())


def resolve_range_year(ctx: Context) -> Resolution:
    """The last year of a range ("2008-2009", "1994-98"); two digits take the century of the first, or the next
    one where they wrap ("1999-00"). A "range" that goes back ("2009-2008") names no year.
    """
    first = 100 * int(ctx.get("century")) + int(ctx.get("first_year"))
    raw = str(ctx.get("year"))
    last = int(raw) if len(raw) == 4 else first - first % 100 + int(raw)
    if len(raw) == 2 and last <= first:
        last += 100
    if not first < last <= first + 99:
        raise NotADate(f"{first}-{raw} is no range of years")
    return calendar(f"{last:04d}")


def resolve_decade(ctx: Context) -> Resolution:
    raw = str(ctx.get("decade")).lstrip("'")
    if len(raw) == 2:
        if ctx.anchor is None:
            return unresolved(f"XX{raw[0]}", Granularity.DECADE)
        century = ctx.anchor.year // 100
        year = 100 * century + int(raw)
        if year > ctx.anchor.year:
            year -= 100
        return calendar(f"{year // 10:03d}", Anchor.PUBLISHED, ctx.anchor, ctx.get("position", "") or "")
    return calendar(f"{int(raw) // 10:03d}", mod=ctx.get("position", "") or "")


def resolve_spoken_year(ctx: Context) -> Resolution:
    """ "nineteen ninety-six": the first number counts hundreds, the others add up."""
    year = 100 * int(ctx.get("number")) + sum(int(ctx.get(f"number{i}") or 0) for i in range(2, 6))
    if ctx.get("month_name"):  # "January nineteen ninety-seven"
        return calendar(f"{year:04d}-{int(ctx.get('month_name')):02d}")
    if ctx.get("season"):  # "the winter of nineteen ninety-four"
        return calendar(f"{year:04d}-{ctx.get('season')}")
    return calendar(f"{year:04d}", mod=ctx.get("position", "") or "", anchor_date=ctx.anchor)


def resolve_weekend(ctx: Context) -> Resolution:
    """ "the weekend": the last one (today's, on a Saturday or Sunday) unless the tense looks ahead."""
    if ctx.anchor is None:
        return unresolved("XXXX-WXX-WE", Granularity.WEEK)
    weekday = ctx.anchor.isoweekday()
    if ctx.past:
        saturday = ctx.anchor - timedelta(days=(weekday - 6) % 7)
    else:
        saturday = ctx.anchor + timedelta(days=(6 - weekday) % 7)
    iso = saturday.isocalendar()
    return calendar(f"{iso.year:04d}-W{iso.week:02d}-WE", Anchor.PUBLISHED, ctx.anchor)


def resolve_century(ctx: Context) -> Resolution:
    return calendar(f"{int(ctx.get('century')) - 1:02d}")


def with_part_of_day(day: date, ctx: Context, anchor: Anchor, anchor_date: date | None) -> Resolution:
    part = ctx.get("part_of_day") or ctx.get("part_of_day2")
    if part:
        return Resolution(f"{day.isoformat()}T{part}", Granularity.TIME, Interval(day, day), anchor, anchor_date,
                          type=TimexType.TIME)
    # "late Monday": the day, with the part the modifier names (a day's interval cannot narrow further)
    return calendar(day.isoformat(), anchor, anchor_date, ctx.get("position", "") or "", type=TimexType.DATE)


def resolve_relative_day(ctx: Context) -> Resolution:
    if ctx.anchor is None:
        return unresolved("XXXX-XX-XX", Granularity.DAY)
    relday = ctx.get("relday")
    day = ctx.anchor + timedelta(days=int(ctx.get("relday2") if relday is None else relday))
    return with_part_of_day(day, ctx, Anchor.PUBLISHED, ctx.anchor)


def resolve_weekday(ctx: Context) -> Resolution:
    weekday = int(ctx.get("weekday") or ctx.get("weekday2") or ctx.get("weekday3"))
    if ctx.anchor is None:
        return unresolved(f"XXXX-WXX-{weekday}", Granularity.DAY)
    anchor, target = ctx.anchor, WEEKDAYS[weekday - 1]
    if ctx.get("hour") or ctx.get("hour2") or ctx.get("clockword") or ctx.get("clockword2"):
        return with_clock(weekday_date(ctx, anchor, weekday), ctx)
    return with_part_of_day(weekday_date(ctx, anchor, weekday), ctx, Anchor.PUBLISHED, anchor)


def weekday_date(ctx: Context, anchor: date, weekday: int) -> date:
    target = WEEKDAYS[weekday - 1]
    shift = ctx.get("shift")
    if shift is None and anchor.isoweekday() == weekday:
        # A news report naming its own weekday ("talks resume on Wednesday", published on a Wednesday) means
        # that day whatever the tense; a week off, it says "next" or "last".
        return anchor
    if shift == -1:
        day = anchor + relativedelta(days=-1, weekday=target(-1))
    elif shift == 1:
        day = anchor + relativedelta(days=+1, weekday=target(+1))
    elif shift == 0:
        day = anchor + relativedelta(weekday=MO(-1)) + timedelta(days=weekday - 1)
    elif ctx.past:
        day = anchor + relativedelta(weekday=target(-1))
    else:
        day = anchor + relativedelta(days=+1, weekday=target(+1))
    return day


CLOCK_WORDS = {word: hour for hour, word in enumerate(
    "one two three four five six seven eight nine ten eleven twelve".split(), start=1)}


def clock_of(ctx: Context) -> tuple[int, int]:
    word = ctx.text("clockword") or ctx.text("clockword2")
    if word == "midnight":
        # "Midnight Friday" ends Friday (ISO 8601's 24:00); a midnight with no day named is the one that began it.
        return (24, 0) if ctx.get("weekday") or ctx.get("weekday2") or ctx.get("weekday3") else (0, 0)
    if word:
        return (12, 0)
    hour = CLOCK_WORDS.get(ctx.text("hour")) or int(ctx.get("hour") or ctx.get("hour2"))
    minute = int(ctx.get("minute") or ctx.get("minute2") or 0)
    meridiem = (ctx.text("meridiem") or ctx.text("meridiem2")).replace(".", "")
    if ctx.text("daypart"):  # "4 in the morning", "3 in the afternoon"
        meridiem = "am" if ctx.text("daypart") == "morning" else "pm"
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    return hour, minute


def with_clock(day: date, ctx: Context, how: Anchor = Anchor.PUBLISHED) -> Resolution:
    hour, minute = clock_of(ctx)
    return Resolution(f"{day.isoformat()}T{hour:02d}:{minute:02d}", Granularity.TIME, Interval(day, day), how,
                      ctx.anchor, type=TimexType.TIME)


def resolve_relative_unit(ctx: Context) -> Resolution:
    unit, shift = ctx.get("calendar_unit"), int(ctx.get("shift") or 0)
    if ctx.anchor is None:
        return unresolved("XXXX", UNIT_GRANULARITY.get(unit, Granularity.FUZZY))
    if unit == "WE" and shift == 0 and ctx.direction is Direction.PAST:
        return resolve_weekend(ctx)  # "marched this weekend" in Monday's paper: the weekend just gone
    day = shift_date(ctx.anchor, unit, shift)
    mod = ctx.get("position", "") or ""
    if unit == "WE":
        iso = day.isocalendar()
        return calendar(f"{iso.year:04d}-W{iso.week:02d}-WE", Anchor.PUBLISHED, ctx.anchor)
    return calendar(value_at(day, UNIT_GRANULARITY[unit]), Anchor.PUBLISHED, ctx.anchor, mod)


def resolve_quarter(ctx: Context) -> Resolution:
    year = ctx.get("year") or ctx.get("year2")
    if str(ctx.get("ordinal_text", "")).lower() == "last" and not year and ctx.anchor is not None:
        # "the last quarter" of no year is the one before the publication's, as "last quarter" is.
        return calendar(value_at(shift_date(ctx.anchor, "Q", -1), Granularity.QUARTER), Anchor.PUBLISHED,
                        ctx.anchor)
    number = int(ctx.get("ordinal") or str(ctx.get("qcode", "Q0"))[1])
    if year:
        return calendar(f"{int(year):04d}-Q{number}")
    if ctx.anchor is None:
        return unresolved(f"XXXX-Q{number}", Granularity.QUARTER)
    if ctx.get("shift") is not None:
        return calendar(f"{ctx.anchor.year + int(ctx.get('shift')):04d}-Q{number}", Anchor.PUBLISHED, ctx.anchor)
    starts = [date(y, 3 * number - 2, 1) for y in (ctx.anchor.year - 1, ctx.anchor.year, ctx.anchor.year + 1)]
    if ctx.get("fiscal") or ctx.get("fiscal2"):
        # A fiscal quarter is named when its results are out, so it has begun; its number is the company's,
        # the year is the latest with a quarter of that number begun by publication.
        first = max(d for d in starts if d <= ctx.anchor)
    else:
        # The quarter whose middle is nearest: reports look back at the quarter just ended and forward to the
        # one under way, whatever the verb's tense.
        first = min(starts, key=lambda d: abs((d + timedelta(days=45) - ctx.anchor).days))
    return calendar(f"{first.year:04d}-Q{number}", Anchor.PUBLISHED, ctx.anchor)


def resolve_half(ctx: Context) -> Resolution:
    number = int(ctx.get("half_ordinal"))
    if ctx.get("year"):
        return calendar(f"{int(ctx.get('year')):04d}-H{number}")
    if ctx.anchor is None:
        return unresolved(f"XXXX-H{number}", Granularity.HALF)
    year = ctx.anchor.year
    if ctx.get("year_shift") is not None:  # "the first half of next year"
        return calendar(f"{year + int(ctx.get('year_shift')):04d}-H{number}", Anchor.PUBLISHED, ctx.anchor)
    if ctx.past and date(year, 6 * number - 5, 1) > ctx.anchor:
        year -= 1
    return calendar(f"{year:04d}-H{number}", Anchor.PUBLISHED, ctx.anchor)


def resolve_season(ctx: Context) -> Resolution:
    code, mod = ctx.get("season"), ctx.get("position", "") or ""
    if ctx.get("year"):
        return calendar(f"{int(ctx.get('year')):04d}-{code}", mod=mod)
    if ctx.anchor is None:
        return unresolved(f"XXXX-{code}", Granularity.SEASON)
    current_code, current_year = season_of(ctx.anchor)
    current = date(current_year, SEASON_START_MONTH[current_code], 1)
    starts = [date(y, SEASON_START_MONTH[code], 1) for y in range(current_year - 2, current_year + 3)]
    shift = ctx.get("shift")
    if shift == 0 or (shift is None and code == current_code):
        first = current if code == current_code else date(ctx.anchor.year, SEASON_START_MONTH[code], 1)
    elif shift == -1 or (shift is None and ctx.past):
        first = max(d for d in starts if d < current)
    else:
        first = min(d for d in starts if d > current)
    return calendar(f"{first.year:04d}-{code}", Anchor.PUBLISHED, ctx.anchor, mod)


def holiday_date(rule: str, year: int, tables: dict[str, dict[int, date]]) -> date:
    """The date of a holiday in `year` from its rule ("fixed 12-25", "easter -2", "weekday 11 4 4")."""
    kind, *args = rule.split()
    if kind == "fixed":
        month, day = (int(p) for p in args[0].split("-"))
        return date(year, month, day)
    if kind == "easter":
        return easter(year) + timedelta(days=int(args[0]))
    if kind == "weekday":
        month, weekday, nth = (int(a) for a in args)
        if nth > 0:
            return date(year, month, 1) + relativedelta(weekday=WEEKDAYS[weekday - 1](nth))
        return date(year, month, 1) + relativedelta(day=31, weekday=WEEKDAYS[weekday - 1](nth))
    if kind == "election":  # the Tuesday after the first Monday of November
        return date(year, 11, 2) + relativedelta(weekday=TU(1))
    if kind == "table":
        try:
            return tables[args[0]][year]
        except KeyError:
            raise NotADate(f"{args[0]} has no entry for {year}") from None
    raise RuleError(f"unknown holiday rule {rule!r}")


def resolve_holiday(ctx: Context) -> Resolution:
    rule = str(ctx.get("holiday"))
    if ctx.get("year"):
        return calendar(holiday_date(rule, int(ctx.get("year")), ctx.tables).isoformat())
    if ctx.anchor is None:
        return unresolved("XXXX-XX-XX", Granularity.DAY)
    candidates = []
    for year in (ctx.anchor.year - 1, ctx.anchor.year, ctx.anchor.year + 1):
        try:
            candidates.append(holiday_date(rule, year, ctx.tables))
        except NotADate:
            pass
    if not candidates:
        raise NotADate(rule)
    return calendar(pick(candidates, ctx.anchor, ctx).isoformat(), Anchor.PUBLISHED, ctx.anchor)


def reference_base(ctx: Context) -> tuple[Interval, Granularity, Anchor, date] | None:
    """The date the narrative is on, else the publication date, as the base of "the next day"."""
    if ctx.reference is not None:
        ref = ctx.reference
        return ref.interval, ref.granularity, Anchor.REFERENCE, ref.interval.first
    if ctx.anchor is None:
        return None
    return Interval(ctx.anchor, ctx.anchor), Granularity.DAY, Anchor.PUBLISHED, ctx.anchor


def shifted(base: Interval, unit: str, count: float, granularity: Granularity, how: Anchor, anchor_day: date):
    first = shift_date(base.first, unit, count)
    value = value_at(first, granularity)
    if granularity <= Granularity.DAY and base.first != base.last:
        # The base is coarser than a day ("March 2020 ... two days later"): keep its extent.
        interval = Interval(first, shift_date(base.last, unit, count))
        return Resolution(value_at(first, Granularity.MONTH), Granularity.MONTH, interval, how, anchor_day)
    return calendar(value, how, anchor_day)


# Approximations that put a time "ago" nearer than the length said: between it and now.
WITHIN_MODS = ("LESS_THAN", "EQUAL_OR_LESS")


def resolve_shift(ctx: Context) -> Resolution:
    """ "Two days ago", "five years hence": a date counted from publication."""
    unit, count = ctx.get("unit"), to_number(ctx.get("number"))
    sign = int(ctx.get("relation"))
    if ctx.anchor is None:
        return unresolved("XXXX-XX-XX")
    if count == "X":  # "a few days ago": some time back, not a date
        return Resolution("PAST_REF" if sign < 0 else "FUTURE_REF", Granularity.FUZZY, None, Anchor.PUBLISHED,
                          ctx.anchor)
    # "A decade ago" is about ten years back, the year (2014 in 2024), not the decade the year falls in (the 2010s)
    granularity = Granularity.YEAR if unit == "DE" else max(UNIT_GRANULARITY[unit], Granularity.DAY)
    day = shifted(Interval(ctx.anchor, ctx.anchor), unit, sign * count, granularity, Anchor.PUBLISHED, ctx.anchor)
    if sign < 0 and ctx.get("approx") in WITHIN_MODS and day.interval is not None:
        # "less than two weeks ago", "nearly a year ago": some time between then and now. The value names the
        # far end (TimeML); the interval reaches publication.
        return replace(day, interval=Interval(shift_date(ctx.anchor, unit, -count), ctx.anchor))
    return day


def offset_of(ctx: Context, length: str) -> Offset:
    relation = re.sub(r"\s+", " ", ctx.text("relation") or ctx.text("relation2"))
    sign = int(ctx.get("relation") or ctx.get("relation2") or 0)
    return Offset(relation, Direction.FUTURE if sign > 0 else Direction.PAST, length)


def resolve_offset(ctx: Context) -> Resolution:
    """ "Two years after the reform", "three days later", "five years from now": a DURATION, the length between
    an event and the time meant (TimeML), with an Offset saying which way. Its interval counts from now for
    "from now", else from the date the narrative is on; with neither, the date waits for the event's."""
    unit, count = str(ctx.get("unit")), to_number(ctx.get("number"))
    length = duration_value(count, unit)
    offset = offset_of(ctx, length)
    mod = str(ctx.get("approx") or "")
    sign = 1 if offset.direction is Direction.FUTURE else -1
    if offset.signal == "from now":
        base = None if ctx.anchor is None else (Interval(ctx.anchor, ctx.anchor), Granularity.DAY,
                                                Anchor.PUBLISHED, ctx.anchor)
    else:
        base = None if ctx.reference is None else reference_base(ctx)
    if base is None or count == "X":
        return Resolution(length, Granularity.FUZZY, None, Anchor.UNRESOLVED, None, mod, TimexType.DURATION, offset)
    interval, base_granularity, how, anchor_day = base
    granularity = max(UNIT_GRANULARITY[unit], Granularity.DAY)
    day = shifted(interval, unit, sign * count, max(granularity, min(base_granularity, granularity)), how,
                  anchor_day)
    return Resolution(length, day.granularity, day.interval, how, anchor_day, mod, TimexType.DURATION, offset)


def resolve_event_day(ctx: Context) -> Resolution:
    """ "The day before the storm hit": the day (week, ...) next to an event; the narrative's date stands in for
    the event's when there is one, else the value stays underspecified (never counted from publication)."""
    unit_word = str(ctx.get("calendar_unit"))
    unit = {"day": "D"}.get(unit_word, unit_word)
    offset = offset_of(ctx, duration_value(1, unit))
    if ctx.reference is None:
        value = {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "M": "XXXX-XX", "Y": "XXXX"}[unit]
        return Resolution(value, UNIT_GRANULARITY[unit], None, Anchor.UNRESOLVED, offset=offset)
    interval, _, how, anchor_day = reference_base(ctx)
    sign = 1 if offset.direction is Direction.FUTURE else -1
    day = shifted(interval, unit, sign, UNIT_GRANULARITY[unit], how, anchor_day)
    return replace(day, offset=offset)


def day_within(period: Interval, granularity: Granularity, how: Anchor, anchor_day: date) -> Resolution:
    """ "That same day" after "last October": one day of the period named, which the text does not give. TIMEX3
    leaves the day unknown ("1998-10-XX"; "1998-XX-XX" for a coarser period) rather than guessing its first day;
    the interval stays the whole period."""
    first = period.first
    value = f"{first.year:04d}-{first.month:02d}-XX" if granularity is Granularity.MONTH else f"{first.year:04d}-XX-XX"
    return Resolution(value, granularity, period, how, anchor_day)


def resolve_reference_shift(ctx: Context) -> Resolution:
    unit_word = str(ctx.get("calendar_unit") or ctx.get("calendar_unit2"))
    unit = {"day": "D"}.get(unit_word, unit_word)
    sign = ctx.get("shift")
    if sign is None:
        sign = ctx.get("relation", ctx.get("relation2", 0))
    base = reference_base(ctx)
    if base is None:
        return unresolved("XXXX-XX-XX")
    interval, _, how, anchor_day = base
    if ctx.get("part_of_day"):  # "the next morning", "that night": a part of the day the narrative is on
        return with_part_of_day(shift_date(interval.first, "D", int(sign)), ctx, how, anchor_day)
    if unit == "D" and interval.first != interval.last and int(sign) == 0:
        return day_within(interval, base[1], how, anchor_day)
    return shifted(interval, unit, int(sign), max(UNIT_GRANULARITY[unit], Granularity.DAY), how, anchor_day)


def resolve_narrative_season(ctx: Context) -> Resolution:
    """ "That summer", "the following spring": the season of (after, before) the period the narrative is on."""
    base = reference_base(ctx)
    code = str(ctx.get("season"))
    if base is None:
        return unresolved(f"XXXX-{code}", Granularity.SEASON)
    period, granularity, how, anchor_day = base
    shift = ctx.text("shift")

    def season(year: int) -> Interval:
        return interval_of_value(f"{year:04d}-{code}")

    year = period.first.year
    if shift in ("following", "next"):
        year -= 1
        while season(year).first <= period.last:
            year += 1
    elif shift in ("previous", "preceding"):
        year += 1
        while season(year).last >= period.first:
            year -= 1
    elif granularity <= Granularity.MONTH and season(year - 1).contains(Interval(period.first, period.first)):
        year -= 1  # "that winter" after a January: the winter that began the December before
    return calendar(f"{year:04d}-{code}", how, anchor_day)


def resolve_anaphoric(ctx: Context) -> Resolution:
    """"The quarter", "the latest period": the period the text last named, else the last one before the anchor."""
    ref = ctx.reference.period if ctx.reference else None
    wanted = (Granularity.QUARTER,) if ctx.get("calendar_unit") == "Q" else PERIODS
    if ref is not None and ctx.get("latest") and ctx.anchor is not None and ref.interval.last >= ctx.anchor:
        ref = None  # "the latest quarter" has ended: not the one under way that the text just looked ahead to
    if ref is not None and ref.granularity in wanted:
        return calendar(ref.value, Anchor.REFERENCE, ref.interval.first)
    if ctx.anchor is None:
        return unresolved("XXXX-QX", Granularity.QUARTER)
    last_quarter = ctx.anchor - relativedelta(months=3)
    return calendar(value_at(last_quarter, Granularity.QUARTER), Anchor.PUBLISHED, ctx.anchor)


def resolve_year_earlier(ctx: Context) -> Resolution:
    if ctx.get("ordinal"):  # "the year-earlier third quarter": that quarter, a year before the one meant now
        this_year = resolve_quarter(ctx)
        if this_year.interval is None:
            return this_year
        return calendar(value_at(this_year.interval.first - relativedelta(years=1), Granularity.QUARTER),
                        this_year.anchor, this_year.anchor_date)
    period = ctx.reference.period if ctx.reference else None
    if period is not None and period.granularity in (Granularity.QUARTER, Granularity.HALF):
        # Financial news: "a year earlier" after "the third quarter" is the same quarter last year.
        return calendar(value_at(period.interval.first - relativedelta(years=1), period.granularity),
                        Anchor.REFERENCE, period.interval.first)
    if period is not None and period.granularity is Granularity.YEAR:  # after "for the nine months"
        return calendar(f"{period.interval.first.year - 1:04d}", Anchor.REFERENCE, period.interval.first)
    ref = ctx.reference
    if ref is not None and ref.granularity is Granularity.YEAR and "ago" not in ctx.text(""):
        return calendar(f"{ref.interval.first.year - 1:04d}", Anchor.REFERENCE, ref.interval.first)
    if ctx.anchor is None:
        return unresolved("XXXX", Granularity.YEAR)
    return calendar(f"{ctx.anchor.year - 1:04d}", Anchor.PUBLISHED, ctx.anchor)


def resolve_clock(ctx: Context) -> Resolution:
    day = ctx.anchor
    if ctx.reference is not None and ctx.reference.granularity <= Granularity.DAY:
        day = ctx.reference.interval.first
    if day is None:
        hour, minute = clock_of(ctx)
        return Resolution(f"XXXX-XX-XXT{hour:02d}:{minute:02d}", Granularity.TIME, None, Anchor.UNRESOLVED)
    return with_clock(day, ctx, Anchor.PUBLISHED if day == ctx.anchor else Anchor.REFERENCE)


def resolve_calendar_clock(ctx: Context) -> Resolution:
    day = resolve_calendar(ctx)
    if day.interval is None:  # no publication date: the month and day stay unresolved
        hour, minute = clock_of(ctx)
        return Resolution(f"{day.value}T{hour:02d}:{minute:02d}", Granularity.TIME, None, Anchor.UNRESOLVED)
    return with_clock(day.interval.first, ctx, day.anchor)


def fuzzy_interval(value: str, anchor: date, reach: str, count: float = 1) -> Interval | None:
    match = re.fullmatch(r"P(\d+)([DWMY])", reach or "")
    if not match:
        return None
    span = shift_date(anchor, match.group(2), int(match.group(1)) * count)
    if value == "PAST_REF":
        return Interval(shift_date(anchor, match.group(2), -int(match.group(1)) * count), anchor)
    if value == "FUTURE_REF":
        return Interval(anchor, span)
    return Interval(anchor, anchor)


def resolve_fuzzy(ctx: Context) -> Resolution:
    value, _, reach = str(ctx.get("fuzzy")).partition(" ")
    if ctx.anchor is None:
        return unresolved(value)
    return Resolution(value, Granularity.FUZZY, fuzzy_interval(value, ctx.anchor, reach), Anchor.PUBLISHED,
                      ctx.anchor)


def resolve_soon(ctx: Context) -> Resolution:
    """ "Soon" next to a past verb ("was soon released") counts from that event, not from publication.

    Raises:
        NotADate: the verb next to it is past, so the text gives no date for it.
    """
    if ctx.direction is Direction.PAST:
        raise NotADate(f"{ctx.text('')!r} counts from a past event")
    return resolve_fuzzy(ctx)


def resolve_fuzzy_span(ctx: Context) -> Resolution:
    """ "In recent weeks", "in the coming months", "the years ahead": some units up to or from publication. TimeML
    gives the length (a DURATION, PXW); the interval ends (or starts) at publication."""
    direction = str(ctx.get("fuzzy_span") or ctx.get("fuzzy_span2"))
    unit = str(ctx.get("unit") or ctx.get("unit2"))
    value = duration_value("X", unit)
    if ctx.anchor is None:
        return Resolution(value, Granularity.FUZZY, None, Anchor.UNRESOLVED, type=TimexType.DURATION)
    interval = fuzzy_interval(direction, ctx.anchor, f"P{FEW}{unit}")
    return Resolution(value, Granularity.FUZZY, interval, Anchor.PUBLISHED, ctx.anchor, type=TimexType.DURATION)


# A fraction of a unit is written in the next smaller one, as TIMEX3 values are: 2.5 years is P2Y6M.
SMALLER_UNIT = {"Y": ("M", 12), "M": ("D", 30), "D": ("H", 24), "H": ("MIN", 60), "MIN": ("S", 60)}
TIME_UNITS = ("H", "MIN", "S")


def duration_value(count: float | str, unit: str) -> str:
    if count == "X":  # "several fortnights": some weeks; decades and centuries keep their TIMEX3 units
        return f"PTX{'M' if unit == 'MIN' else unit}" if unit in TIME_UNITS else f"PX{'W' if unit == 'FN' else unit}"
    if unit in ("DE", "CE", "FN"):
        count, unit = count * {"DE": 10, "CE": 100, "FN": 2}[unit], {"DE": "Y", "CE": "Y", "FN": "W"}[unit]
    whole, fraction = int(count), count - int(count)
    parts = [(whole, unit)] if whole else []
    if fraction:
        smaller, factor = SMALLER_UNIT.get(unit, (unit, 1))
        if not float(fraction * factor).is_integer() or smaller == unit:
            parts = [(f"{count:g}", unit)]
        else:
            parts.append((int(fraction * factor), smaller))
    parts = parts or [(0, unit)]  # "0 days"
    day_part = "".join(f"{n}{u}" for n, u in parts if u not in TIME_UNITS)
    time_part = "".join(f"{n}{'M' if u == 'MIN' else u}" for n, u in parts if u in TIME_UNITS)
    return f"P{day_part}" + (f"T{time_part}" if time_part else "")


def resolve_compound_duration(ctx: Context) -> Resolution:
    """ "Four years and eight months": one length in two units. The rule's pattern only matches a unit followed by
    the next smaller one, each with a number, so the two values join."""
    first, second = (duration_value(to_number(ctx.get(number)), str(ctx.get(unit)))
                     for number, unit in (("number", "unit"), ("number2", "unit2")))
    if "T" in first:
        value = first + second[2:]  # PT1H + PT20M
    else:
        value = first + second[1:]  # P4Y + P8M, P2D + PT6H
    return Resolution(value, Granularity.FUZZY, None, Anchor.ABSOLUTE, None, str(ctx.get("approx") or ""),
                      TimexType.DURATION)


def resolve_duration(ctx: Context) -> Resolution:
    unit = str(ctx.get("unit") or ctx.get("unit2"))
    number = "X" if ctx.get("unit2") else ctx.get("number")  # unit2: a plural with no count ("decades-long")
    count = 1 if number is None else to_number(number)
    if count != "X" and ("a half" in ctx.text("") or "1/2" in ctx.text("") or "½" in ctx.text("")):
        count += 0.5
    value = duration_value(count, unit)
    mod = str(ctx.get("approx") or "")
    span = ctx.text("span")
    if span == "following":  # "over the following decade": from the date the narrative is on, if any
        if ctx.reference is None or count == "X":
            return Resolution(value, Granularity.FUZZY, None, Anchor.UNRESOLVED, None, mod, TimexType.DURATION)
        start = ctx.reference.interval.last
        return Resolution(value, Granularity.FUZZY, Interval(start, shift_date(start, unit, count)), Anchor.REFERENCE,
                          ctx.reference.interval.first, mod, TimexType.DURATION)
    if span in ("past", "last", "previous", "next", "coming") and ctx.anchor is not None:
        sign = -1 if span in ("past", "last", "previous") else 1
        reach = shift_date(ctx.anchor, unit, sign * (FEW if count == "X" else count))
        interval = Interval(min(reach, ctx.anchor), max(reach, ctx.anchor))
        return Resolution(value, Granularity.FUZZY, interval, Anchor.PUBLISHED, ctx.anchor, mod, TimexType.DURATION)
    how = Anchor.UNRESOLVED if span in ("past", "last", "next", "coming") else Anchor.ABSOLUTE
    return Resolution(value, Granularity.FUZZY, None, how, None, mod, TimexType.DURATION)


def resolve_race_time(ctx: Context) -> Resolution:
    """ "2:21:05": hours, minutes and seconds of a length (a race time), zero parts left out."""
    parts = [(int(ctx.get(name)), unit) for name, unit in (("hour", "H"), ("minute", "M"), ("second", "S"))]
    value = "PT" + ("".join(f"{n}{u}" for n, u in parts if n) or "0S")
    return Resolution(value, Granularity.FUZZY, None, type=TimexType.DURATION)


def resolve_set_weekday(ctx: Context) -> Resolution:
    """ "Every Monday" (XXXX-WXX-1), "Tuesday nights" (XXXX-WXX-2TNI): each such weekday, or a part of each."""
    weekday = int(ctx.get("weekday") or ctx.get("weekday2") or ctx.get("weekday3"))
    part = ctx.get("part_of_day") or ctx.get("part_of_day2") or ctx.get("part_of_day3")
    return Resolution(f"XXXX-WXX-{weekday}" + (f"T{part}" if part else ""), Granularity.FUZZY, None,
                      type=TimexType.SET)


def resolve_set_unit(ctx: Context) -> Resolution:
    if ctx.get("part_of_day"):  # "every afternoon"
        value = f"XXXX-XX-XXT{ctx.get('part_of_day')}"
    elif ctx.get("season"):  # "each spring"
        value = f"XXXX-{ctx.get('season')}"
    else:
        value = ctx.get("frequency") or duration_value(1, str(ctx.get("unit")))
    return Resolution(str(value), Granularity.FUZZY, None, type=TimexType.SET)


RESOLVERS: dict[str, Callable[[Context], Resolution]] = {
    "calendar": resolve_calendar,
    "day_of_month": resolve_day_of_month,
    "week_of": resolve_week_of,
    "spoken_year": resolve_spoken_year,
    "weekend": resolve_weekend,
    "numeric": resolve_numeric,
    "range_year": resolve_range_year,
    "decade": resolve_decade,
    "century": resolve_century,
    "relative_day": resolve_relative_day,
    "weekday": resolve_weekday,
    "relative_unit": resolve_relative_unit,
    "quarter": resolve_quarter,
    "half": resolve_half,
    "season": resolve_season,
    "holiday": resolve_holiday,
    "shift": resolve_shift,
    "reference_shift": resolve_reference_shift,
    "narrative_season": resolve_narrative_season,
    "offset": resolve_offset,
    "event_day": resolve_event_day,
    "year_earlier": resolve_year_earlier,
    "anaphoric": resolve_anaphoric,
    "clock": resolve_clock,
    "calendar_clock": resolve_calendar_clock,
    "fuzzy": resolve_fuzzy,
    "soon": resolve_soon,
    "fuzzy_span": resolve_fuzzy_span,
    "duration": resolve_duration,
    "compound_duration": resolve_compound_duration,
    "race_time": resolve_race_time,
    "set_weekday": resolve_set_weekday,
    "set_unit": resolve_set_unit,
}


def resolve_timex(kind: str, slots: dict[str, Any], anchor: date | None, *, direction: Direction = Direction.NONE,
                  reference: Reference | None = None, prefer: Prefer = PREFER,
                  tables: dict[str, dict[int, date]] | None = None) -> Resolution:
    """Fill a half-specified value from its anchor.

    Raises:
        NotADate: the slots name no real date (February 30), or one outside years 1-9999 ("sixty centuries ago").
        RuleError: `kind` names no resolver.
    """
    resolver = RESOLVERS.get(kind)
    if resolver is None:
        raise RuleError(f"rule kind {kind!r} has no resolver")
    try:
        return resolver(Context(slots, anchor, direction, reference, prefer, tables or {}))
    except OverflowError:
        raise NotADate(f"{kind} {slots.get('_text')!r} leaves the calendar") from None
    except ValueError as error:
        # Only calendar overflow is a non-date; any other ValueError is a resolver's bug and must show.
        if isinstance(error, NotADate) or "out of range" not in str(error):
            raise
        raise NotADate(f"{kind} {slots.get('_text')!r} leaves the calendar") from None
