#!/usr/bin/env python3
"""An auditor's own check of a CareLedger log, with nothing of CareLedger's but its output: reads
the stored events as NDJSON (`careledger read --stored`, or `GET /v1/events?stored=true` with
`Accept: application/x-ndjson`), recomputes every hash of SPEC section 2 and checks that the seqs
run 1, 2, 3, ... without a gap.

  hash = SHA-256(previous hash as 32 bytes ‖ JCS(the stored event minus "hash"))

JCS is RFC 8785, written out here from the RFC rather than taken from CareLedger: members sorted
by their names' UTF-16 code units, strings with the fewest escapes, numbers as ECMAScript prints
them (es6number.py). Personal data must be in its stored form ({"ciphertext": ...}), which is what
the chain covers: a plain `careledger read` shows "[redacted]" instead, and its hashes cannot match.

Exit 0 when the whole input verifies (and the digest, if given, is in it); 1 naming the first bad
seq; 2 for input that is not a log's NDJSON.

usage: verifychain.py [--after SEQ:HASH] [--digest SEQ:HASH] < events.ndjson
  --after SEQ:HASH    the input begins after this event, whose hash chains into the first it
                      holds: a page of the log, or an audit pack's chain.ndjson (its manifest's
                      chain.from - 1 and chain.previousHash)
  --digest SEQ:HASH   a head published earlier: also check that the event at SEQ has HASH, so the
                      log read extends what was published
"""
import hashlib
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from es6number import es6  # noqa: E402

SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def jcs(value):
    """RFC 8785's serialisation of a value parsed from JSON."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("a number that is not finite")
        return es6(repr(float(value))) if isinstance(value, float) or abs(value) >= 2 ** 53 else str(value)
    if isinstance(value, str):
        return '"' + "".join(SHORT_ESCAPES.get(c) or (f"\\u{ord(c):04x}" if ord(c) < 0x20 else c) for c in value) + '"'
    if isinstance(value, list):
        return "[" + ",".join(jcs(item) for item in value) + "]"
    if isinstance(value, dict):
        names = sorted(value, key=lambda name: name.encode("utf-16-be"))
        return "{" + ",".join(jcs(name) + ":" + jcs(value[name]) for name in names) + "}"
    raise ValueError(f"not a JSON value: {value!r}")


def fail(message, status=1):
    print(message, file=sys.stderr)
    sys.exit(status)


def reading(text, option):
    """SEQ:HASH as `careledger digest` prints it."""
    seq, _, hash_ = text.partition(":")
    if not seq.isdigit() or len(hash_) != 64:
        fail(f"{option} takes SEQ:HASH, as `careledger digest` prints it, not {text!r}", 2)
    return int(seq), hash_.lower()


def main():
    arguments = sys.argv[1:]
    options = {}
    while arguments[:1] in (["--after"], ["--digest"]) and len(arguments) >= 2:
        options[arguments[0]] = reading(arguments[1], arguments[0])
        arguments = arguments[2:]
    if arguments:
        fail("usage: verifychain.py [--after SEQ:HASH] [--digest SEQ:HASH] < events.ndjson", 2)
    digest = options.get("--digest")
    after_seq, after_hash = options.get("--after", (0, "0" * 64))

    previous, expected_seq = bytes.fromhex(after_hash), after_seq + 1
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            event = json.loads(line, parse_constant=lambda name: fail(f"line {number}: {name} is not JSON", 2))
            stored_hash = event.pop("hash")
            seq = event["seq"]
        except (ValueError, KeyError, AttributeError, TypeError) as error:
            fail(f"line {number}: not a stored event with seq and hash ({error})", 2)
        if seq != expected_seq:
            fail(f"seq {seq}: expected seq {expected_seq} here: events are missing or out of order")
        data = event.get("data") if isinstance(event.get("data"), dict) else {}
        if "[redacted]" in (data.get("pii"), data.get("notes")):
            fail(f"seq {seq}: its personal data reads \"[redacted]\": verify the stored form (careledger read --stored)", 2)
        digest_now = hashlib.sha256(previous + jcs(event).encode("utf-8")).hexdigest()
        if digest_now != stored_hash:
            fail(f"seq {seq}: its hash does not match its content and the chain before it (recomputed {digest_now}, stored {stored_hash})")
        if digest and seq == digest[0] and stored_hash != digest[1]:
            fail(f"seq {seq}: the published digest names hash {digest[1]}, and the log holds {stored_hash}: the log does not extend it")
        previous, expected_seq = bytes.fromhex(stored_hash), seq + 1
    head = expected_seq - 1
    if digest and not after_seq < digest[0] <= head:
        fail(f"the published digest names seq {digest[0]}, and the input holds seqs {after_seq + 1} to {head}")
    print(f"Verified {head - after_seq} events (seq {after_seq + 1} to {head}); head {head}:{previous.hex()}")


if __name__ == "__main__":
    main()
