#!/usr/bin/env python3
"""Checks a server's answers against its own OpenAPI document, with libraries independent of the
server: `openapi-spec-validator` checks that the document is OpenAPI 3.1, and `jsonschema` (as
`jsonschema_reference` puts it right) that each answer's body matches the schema the document
gives for its operation, status and media type.

The document's schemas are left open to members a later version may add (SPEC section 9); here
every object schema that lists its properties is closed, so a member the server writes and the
document does not describe is a finding too.

Reads NDJSON exchanges from standard input, one a line:
  {"method": "get", "path": "/v1/timeline/{kind}/{id}", "status": 200,
   "contentType": "application/json", "body": {...}, "query": {"knownAt": "..."}}
or a body that the document names a component for, such as an event stream's message:
  {"component": "StoredEvent", "body": {...}}
and writes one JSON line for each, in order: {"ok": true} or {"ok": false, "errors": [...]}.
The query's parameters, as sent, are checked against the schemas the document gives them, both
ways: each must be documented; one the server took (a 2xx answer) must match its schema; one
that does not match must have been refused (a 4xx answer).

usage: openapicheck.py OPENAPI_JSON < exchanges.ndjson
"""
import copy
import json
import sys

from openapi_spec_validator import validate as validate_document

from jsonschema_reference import Validator, formats


def closed(schema):
    """`schema` with every object schema that lists properties closed to others."""
    if isinstance(schema, list):
        return [closed(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: closed(value) for key, value in schema.items()}
    if isinstance(schema.get("properties"), dict) and "additionalProperties" not in schema:
        result["additionalProperties"] = False
    return result


def escape(segment):
    return segment.replace("~", "~0").replace("/", "~1")


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        document = json.load(file)
    validate_document(copy.deepcopy(document))
    strict = closed({"components": document.get("components", {}), "paths": document.get("paths", {})})
    for line in sys.stdin:
        exchange = json.loads(line)
        if "component" in exchange:
            report(strict, "#/components/schemas/" + escape(exchange["component"]), exchange["body"])
            continue
        method, path, status = exchange["method"], exchange["path"], str(exchange["status"])
        media = (exchange.get("contentType") or "").split(";")[0].strip()
        responses = document["paths"].get(path, {}).get(method, {}).get("responses", {})
        if status not in responses:
            print(json.dumps({"ok": False, "errors": [f"{method.upper()} {path}: status {status} is not documented"]}))
            continue
        if media not in responses[status].get("content", {}):
            print(json.dumps({"ok": False, "errors": [f"{method.upper()} {path} {status}: {media} is not documented"]}))
            continue
        pointer = "#/paths/" + "/".join(escape(part) for part in [path, method, "responses", status, "content", media, "schema"])
        problems = parameter_problems(document, path, method, status, exchange.get("query", {}))
        report(strict, pointer, exchange["body"], problems)


def parameter_problems(document, path, method, status, query):
    """What is wrong with the query's parameters, as `main` says, for an answer of `status`."""
    operation = document["paths"][path][method]
    documented = {parameter["name"]: parameter for parameter in operation.get("parameters", []) if parameter["in"] == "query"}
    problems = []
    for name, text in query.items():
        if name not in documented:
            problems.append(f"{method.upper()} {path}: the query parameter {name} is not documented")
            continue
        schema = documented[name]["schema"]
        value = typed(text, schema)
        errors = [error.message[:200] for error in Validator(schema, format_checker=formats).iter_errors(value)]
        if errors and not status.startswith("4"):
            problems.append(f"{method.upper()} {path} {status}: {name}={text} was taken, and its schema refuses it: {errors[0]}")
    return problems


def typed(text, schema):
    """The query text as the JSON value its schema describes: a flag a boolean, a count an integer."""
    kind = schema.get("type")
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    if kind == "integer" and text.lstrip("-").isdigit():
        return int(text)
    return text


def report(strict, pointer, body, problems=()):
    """Prints whether `body` matches the schema at `pointer` of the closed document, with the
    exchange's other `problems`."""
    validator = Validator(dict(strict, **{"$ref": pointer}), format_checker=formats)
    errors = list(problems) + [f"{'/' + '/'.join(map(str, error.absolute_path))}: {error.message[:300]}" for error in validator.iter_errors(body)]
    print(json.dumps({"ok": not errors, "errors": errors}))


if __name__ == "__main__":
    main()
