#!/usr/bin/env python3
"""Validates events against the files of Schemas/ with an independent JSON Schema 2020-12
implementation (the `jsonschema` package, dates checked as the `date` format), so that what the
ledger's own validator decides can be compared with what an integrator's library decides.

Reads NDJSON events from standard input and writes one JSON line for each, in order:
  {"valid": true}
  {"valid": false, "pointers": ["/data/contractType", ...]}   every violation, as JSON pointers
  {"skipped": "..."}                                          not JSON, or no schema for its type

A pointer names the member at fault: a missing required member and an unknown member are named
by their own pointer (`/data/spellId`), as the ledger names them, rather than by their object's.

Two deliberate departures from the `jsonschema` package, each where Python differs from what
JSON Schema prescribes (integrators' libraries in Python differ from the ledger here too):
- a `pattern` ending in `$` is matched as ECMA-262 matches it, at the very end of the string.
  Python's `$` also matches before a final newline, so the package alone accepts "W-1\\n" as an id;
- the `date` format is RFC 3339's full-date, years 0000 to 9999 of the proleptic Gregorian
  calendar. The package checks it with Python's `datetime`, whose years begin at 1, so it alone
  refuses 0000-01-01 (as the ledger does not; it does refuse 0000-02-30).

usage: schemacheck.py SCHEMA_FOLDER < events.ndjson
"""
import json
import os
import re
import sys

import calendar

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


@formats.checks("date")
def full_date(instance):
    """RFC 3339 section 5.6: date-fullyear "-" date-month "-" date-mday, the day within its month."""
    if not isinstance(instance, str):
        return True
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", instance)
    if not match:
        return False
    year, month, day = (int(part) for part in match.groups())
    days = [31, 29 if calendar.isleap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return 1 <= month <= 12 and 1 <= day <= days[month - 1]


def pointer(path):
    return "".join("/" + str(step).replace("~", "~0").replace("/", "~1") for step in path)


def pointers(error):
    """The pointers of one violation: the members it names, where it names them."""
    at = list(error.absolute_path)
    if error.validator == "required":
        return [pointer(at + [name]) for name in error.validator_value if name not in error.instance]
    if error.validator == "additionalProperties" and error.validator_value is False:
        known = error.schema.get("properties", {})
        return [pointer(at + [name]) for name in error.instance if name not in known]
    return [pointer(at)]


def strict_constant(name):
    raise ValueError(f"{name} is not JSON")


def main():
    folder = sys.argv[1]
    checkers = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".json"):
            with open(os.path.join(folder, name), encoding="utf-8") as file:
                schema = json.load(file)
            key = (schema["properties"]["type"]["const"], schema["properties"]["schemaVersion"]["const"])
            checkers[key] = Validator(schema, format_checker=formats)
    for line in sys.stdin:
        try:
            event = json.loads(line, parse_constant=strict_constant)
        except ValueError as error:
            print(json.dumps({"skipped": f"not JSON: {error}"}))
            continue
        checker = checkers.get((event.get("type"), event.get("schemaVersion"))) if isinstance(event, dict) else None
        if checker is None:
            print(json.dumps({"skipped": "no schema for its type and version"}))
            continue
        found = sorted({p for error in checker.iter_errors(event) for p in pointers(error)})
        print(json.dumps({"valid": True} if not found else {"valid": False, "pointers": found}))


if __name__ == "__main__":
    main()
