"""How long something has been going on, normalised so that equal durations compare equal.

Normal forms (what `duration` holds):
  "3 days", "1 week", "2-3 weeks", "few days", "several months"  for 3 days, a week, the past week...
  "1 hour ago", "30 minutes ago", "few minutes ago"                 for an hour ago, half an hour ago...
  "since tuesday", "since yesterday", "since last night", "since the accident", "since childhood"
  "years", "months", "a while", "a long time"                      for "for years", "for ages"...
  "in 2015", "in march"                                             for "in 2015", "back in March"
  "on sunday"                                                       for "on Sunday", "last Sunday"
  "in spring"                                                       for "in the spring", "last summer"
Numbers in words become digits, "a"/"an" is 1, "a couple" is 2; units are singular after 1.
`hours_since` turns a normal form into about how many hours ago the thing began or happened.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import List, Optional, Tuple

from bot.nlu.numbers import NUMBER, format_number, to_number

_UNIT = {
    "second": "second", "sec": "second", "minute": "minute", "min": "minute", "hour": "hour", "hr": "hour",
    "h": "hour", "day": "day", "week": "week", "wk": "week", "month": "month", "mo": "month", "mth": "month",
    "year": "year", "yr": "year", "decade": "decade", "night": "night",
}
_UNIT_RE = (r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|weeks?|wks?|months?|mos|mo|mths?|years?|yrs?"
            r"|decades?|nights?)")
_VAGUE = r"(?:a\s+couple(?:\s+of)?|couple(?:\s+of)?|a\s+few|few|several|many|a\s+number\s+of)"
_QUANTITY = rf"(?:(?P<low>{NUMBER})\s*(?:-|–|to|or)\s*(?P<high>{NUMBER})|(?P<vague>{_VAGUE})|(?P<num>{NUMBER}|an?))"
_COUNTED = re.compile(
    rf"\b(?:(?P<half>half\s+an?\s+hour)|{_QUANTITY}\s*(?P<unit>{_UNIT_RE})\b(?P<andhalf>\s+and\s+a\s+half)?)"
    rf"(?!\s*(?:-\s*)?old\b)(?P<ago>\s+ago)?",
    re.IGNORECASE,
)
_WEEKDAY = r"(?:mon|tues|tue|wednes|wed|thurs|thu|fri|satur|sat|sun)(?:day)?"
_MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
          r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)")
_WHEN = (rf"(?:(?:last|this|early|late)\s+"
         rf"(?:night|week|month|year|weekend|morning|evening|afternoon|{_WEEKDAY}|{_MONTH})"
         rf"|yesterday(?:\s+(?:morning|afternoon|evening))?|today|this\s+morning|this\s+afternoon|this\s+evening|tonight"
         rf"|{_WEEKDAY}(?:\s+(?:morning|afternoon|evening|night))?|{_MONTH}|the\s+weekend|the\s+other\s+day"
         rf"|christmas|easter|new\s+year|\d{{4}}|\d{{1,2}}\s*(?:am|pm)|lunch(?:time)?|breakfast|dinner|bedtime)")
_SINCE = re.compile(
    rf"\bsince\s+(?P<when>{_WHEN}|(?:the|my|his|her)\s+(?:accident|fall|surgery|operation|injury|crash|stroke|"
    rf"baby|pregnancy|birth|chemo|chemotherapy|flu|infection|vaccine|vaccination|workout|run|game|race|walk|hike|"
    rf"move|holiday|vacation|trip|flight|procedure|epidural|delivery|op)"
    rf"|(?:i\s+was\s+)?(?:an?\s+)?(?:kid|child|teenager|teen|baby|young|little|childhood|birth))\b",
    re.IGNORECASE,
)
_BARE_WHEN = re.compile(
    rf"\b(?P<when>(?:last|this)\s+(?:night|week|month|year|weekend|morning|evening|afternoon|{_WEEKDAY})"
    rf"|yesterday(?:\s+(?:morning|afternoon|evening))?|this\s+morning|this\s+afternoon|this\s+evening"
    rf"|earlier\s+today|the\s+other\s+day|overnight)\b",
    re.IGNORECASE,
)
_PAST_UNIT = re.compile(
    r"\b(?:the|this)\s+(?:past|last)\s+(?P<unit>day|week|month|year|fortnight|hour|night)\b", re.IGNORECASE)
_UNCOUNTED = re.compile(
    r"\bfor\s+(?P<what>(?:many\s+|several\s+|some\s+)?(?:years|months|weeks|days|hours|decades|ages)"
    r"|a\s+(?:long\s+)?while|a\s+long\s+time|some\s+time|a\s+bit|long)\b"
    r"|\b(?P<agoes>(?:years|months|weeks|days|hours|minutes))\s+ago\b",
    re.IGNORECASE,
)
_IN_YEAR = re.compile(rf"\b(?:back\s+)?in\s+(?P<year>(?:19|20)\d\d|{_MONTH})\b", re.IGNORECASE)
_ON_DAY = re.compile(rf"\b(?:on|last)\s+(?P<day>{_WEEKDAY})\b", re.IGNORECASE)
_SEASON = re.compile(r"\b(?:(?:back\s+)?in\s+the\s+|(?:last|this|over\s+the|during\s+the)\s+)"
                     r"(?P<season>spring|summer|autumn|winter)\b", re.IGNORECASE)
_CHILDHOOD = re.compile(r"^(?:i\s+was\s+)?(?:an?\s+)?(?:kid|child|teenager|teen|baby|young|little|childhood|birth)$")


def find_durations(text: str) -> List[Tuple[int, int, str]]:
    """(start, end, normal form) of each duration, left to right, not overlapping."""
    found: List[Tuple[int, int, str]] = []
    for pattern, normalise in ((_COUNTED, _counted), (_SINCE, _since), (_UNCOUNTED, _uncounted),
                               (_PAST_UNIT, _past_unit), (_BARE_WHEN, _since), (_IN_YEAR, _in_year),
                               (_ON_DAY, _on_day), (_SEASON, _season)):
        for match in pattern.finditer(text):
            value = normalise(match)
            if value and not any(s < match.end() and match.start() < e for s, e, _ in found):
                found.append((match.start(), match.end(), value))
    return sorted(found)


def _counted(match: re.Match) -> str:
    ago = " ago" if match.group("ago") else ""
    if match.group("half"):
        return "30 minutes" + ago
    unit = _UNIT[re.sub(r"s$", "", match.group("unit").lower())]
    if match.group("low"):
        low, high = to_number(match.group("low")), to_number(match.group("high"))
        if low is None or high is None:
            return ""
        return f"{format_number(low)}-{format_number(high)} {unit}s{ago}"
    if match.group("vague"):
        vague = match.group("vague").lower().split()
        word = "2" if "couple" in vague else ("few" if "few" in vague else vague[-1] if vague[-1] != "of" else "many")
        return f"{word} {unit}s{ago}"
    number = match.group("num").lower()
    value = 1.0 if number in ("a", "an") else to_number(number)
    if value is None or (value == 0 and not ago):
        return ""
    if match.group("andhalf"):
        value += 0.5
    plural = "" if value == 1 else "s"
    return f"{format_number(value)} {unit}{plural}{ago}"


def _since(match: re.Match) -> str:
    when = " ".join(match.group("when").lower().split())
    if when == "overnight":
        return "since last night"
    if when.startswith("yesterday"):
        return "since yesterday"
    if when == "earlier today":
        return "since today"
    if _CHILDHOOD.match(when):
        return "since childhood"
    return f"since {when}"


def _past_unit(match: re.Match) -> str:
    unit = match.group("unit").lower()
    return "2 weeks" if unit == "fortnight" else f"1 {unit}"


def _uncounted(match: re.Match) -> str:
    if match.group("agoes"):
        return f"{match.group('agoes').lower()} ago"
    what = " ".join(match.group("what").lower().split())
    return {"ages": "years", "long": "a long time", "some time": "a while", "a bit": "a while",
            "a long while": "a long time"}.get(what, what)


def _on_day(match: re.Match) -> str:
    return f"on {match.group('day').lower()}"


def _season(match: re.Match) -> str:
    return f"in {match.group('season').lower()}"


def _in_year(match: re.Match) -> str:
    return f"in {match.group('year').lower()}"


# ---------------------------------------------------------------------- how long ago
HOUR, DAY, WEEK, MONTH, YEAR = 1.0, 24.0, 168.0, 730.0, 8766.0
_UNIT_HOURS = {"second": 1 / 3600, "minute": 1 / 60, "hour": HOUR, "night": DAY, "day": DAY, "week": WEEK,
               "month": MONTH, "year": YEAR, "decade": 10 * YEAR}
_VAGUE_COUNT = {"few": 3, "several": 4, "many": 6}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_SEASON_MONTHS = {"spring": (3, 4, 5), "summer": (6, 7, 8), "autumn": (9, 10, 11), "winter": (12, 1, 2)}  # north
_SINCE_HOURS = {
    "today": 3, "this morning": 6, "this afternoon": 3, "this evening": 2, "tonight": 1, "last night": 12,
    "yesterday": DAY, "the other day": 3 * DAY, "the weekend": 4 * DAY, "last weekend": 5 * DAY, "this week": 3 * DAY,
    "last week": WEEK, "this month": 2 * WEEK, "last month": MONTH, "this year": 6 * MONTH, "last year": YEAR,
    "childhood": 20 * YEAR, "lunch": 3, "lunchtime": 3, "breakfast": 6, "dinner": 3, "bedtime": 10,
}
_COUNTED_FORM = re.compile(r"^(?P<num>[\d.]+|few|several|many)(?:-[\d.]+)? (?P<unit>[a-z]+?)s?(?: ago)?$")
TODAY = 12.0
_UNCOUNTED_HOURS = {"hours": 3 * HOUR, "days": 3 * DAY, "weeks": 2 * WEEK, "months": 3 * MONTH, "years": 2 * YEAR,
                    "decades": 20 * YEAR, "a while": 2 * WEEK, "a long time": YEAR}


def hours_since(normal: str, now: Optional[datetime] = None) -> Optional[float]:
    """About how many hours ago something said with this normal form began or happened; None when the
    words do not say ("since the accident"). A range counts from its recent end ("2-3 weeks": 2 weeks), so a
    red flag is never taken for an old one. A weekday or a month is the last such one before `now`."""
    now = now or datetime.now()
    text = normal.removesuffix(" ago")
    counted = _COUNTED_FORM.match(text)
    if counted and counted.group("unit") in _UNIT_HOURS:
        number = counted.group("num")
        count = _VAGUE_COUNT.get(number) or float(number)
        return count * _UNIT_HOURS[counted.group("unit")]
    if text in _UNCOUNTED_HOURS:
        return _UNCOUNTED_HOURS[text]
    if re.fullmatch(r"in (?:19|20)\d\d", text):
        return _years_ago(int(text[3:]), now)
    if not text.startswith(("since ", "on ", "in ")):
        return None
    when = text.split(" ", 1)[1]
    if when in _SINCE_HOURS:
        return float(_SINCE_HOURS[when])
    if re.fullmatch(r"(?:19|20)\d\d", when):
        return _years_ago(int(when), now)
    if re.fullmatch(r"\d{1,2}\s*(?:am|pm)", when):
        return 3.0
    if when[:3] in _WEEKDAYS:  # the last such day; today's name means today
        days = (now.weekday() - _WEEKDAYS.index(when[:3])) % 7
        return days * DAY if days else TODAY
    if when in _SEASON_MONTHS:  # the last such season, from its recent end; this season's name means this season
        months = _SEASON_MONTHS[when]
        return 2 * WEEK if now.month in months else ((now.month - months[-1]) % 12) * MONTH
    if when[:3] in _MONTHS:  # the last such month; this month's name means earlier this month
        months = (now.month - 1 - _MONTHS.index(when[:3])) % 12
        return months * MONTH if months else 2 * WEEK
    return None


def is_estimate(normal: str) -> bool:
    """A weekday or a month ("since Sunday", "back in March"): hours_since only guesses how long ago."""
    parts = normal.split(" ", 1)
    return len(parts) == 2 and parts[0] in ("since", "on", "in") and \
        (parts[1][:3] in _WEEKDAYS + _MONTHS or parts[1] in _SEASON_MONTHS)


def _years_ago(year: int, now: datetime) -> float:
    return max(now.year - year, 0.5) * YEAR
