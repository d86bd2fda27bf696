"""What the reference scripts validate with: Python's `jsonschema` (JSON Schema 2020-12), put
right where Python departs from what JSON Schema prescribes, and with the formats the ledger's
documents use checked as RFC 3339 and RFC 9562 define them.

- A `pattern` ending in `$` is matched as ECMA-262 matches it, at the very end of the string.
  Python's `$` also matches before a final newline, so the package alone accepts "W-1\\n" as an id.
- `date` is RFC 3339's full-date, years 0000 to 9999 of the proleptic Gregorian calendar. The
  package checks it with Python's `datetime`, whose years begin at 1, so it alone refuses
  0000-01-01 (as the ledger does not; it does refuse 0000-02-30).
- `date-time` is RFC 3339's date-time, checked here whether or not the package's optional
  checker for it is installed; `uuid` is RFC 9562's hyphenated form.
"""
import calendar
import re
import uuid

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError


def ecma_pattern(validator, pattern, instance, schema):
    if not validator.is_type(instance, "string"):
        return
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    if not re.search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


Validator = validators.extend(Draft202012Validator, {"pattern": ecma_pattern})

formats = FormatChecker()


def is_full_date(text):
    """RFC 3339 section 5.6: date-fullyear "-" date-month "-" date-mday, the day within its month."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)
    if not match:
        return False
    year, month, day = (int(part) for part in match.groups())
    days = [31, 29 if calendar.isleap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return 1 <= month <= 12 and 1 <= day <= days[month - 1]


@formats.checks("date")
def full_date(instance):
    return not isinstance(instance, str) or is_full_date(instance)


@formats.checks("date-time")
def date_time(instance):
    """RFC 3339 section 5.6: full-date "T" full-time, with a time zone."""
    if not isinstance(instance, str):
        return True
    match = re.fullmatch(r"(.{10})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|[+-]([0-9]{2}):([0-9]{2}))", instance)
    if not match or not is_full_date(match.group(1)):
        return False
    hour, minute, second = int(match.group(2)), int(match.group(3)), int(match.group(4))
    zone_ok = match.group(7) is None or (int(match.group(7)) <= 23 and int(match.group(8)) <= 59)
    return hour <= 23 and minute <= 59 and second <= 60 and zone_ok


@formats.checks("uuid", raises=ValueError)
def hyphenated_uuid(instance):
    if not isinstance(instance, str):
        return True
    return len(instance) == 36 and instance.count("-") == 4 and uuid.UUID(instance) is not None
