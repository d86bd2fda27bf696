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

It validates as `jsonschema_reference` does: the package, put right in two places where Python
departs from what JSON Schema prescribes (a pattern's final `$`, and the year 0000).

usage: schemacheck.py SCHEMA_FOLDER < events.ndjson
"""
import json
import os
import sys

from jsonschema_reference import Validator, formats


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
