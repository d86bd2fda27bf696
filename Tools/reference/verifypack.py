#!/usr/bin/env python3
"""An auditor's own check of a CareLedger audit pack, with nothing of CareLedger's: what
`careledger audit-pack verify` checks, written again from the pack's description (README,
"Audit packs") and SPEC section 2, so that an auditor need not trust the binary that wrote the
pack to check it.

  - manifest.json is canonical JSON (RFC 8785, as verifychain.py writes it) and its
    manifestHash is the SHA-256 of the rest of it;
  - events.ndjson, chain.ndjson and figures.json have the SHA-256 the manifest gives, and the
    folder holds no other file (a desktop's .DS_Store, ._ files, Thumbs.db and desktop.ini are
    left aside);
  - the chain recomputes from chain.previousHash, seq by seq from chain.from, to the head;
  - events.ndjson is exactly the chain's events that belong to the selection: for a period,
    those whose occurredOn lies in it; for a worker, those of its stream, of the streams of the
    cases opened for it and of the safeguarding concerns raised about it or its cases;
  - the manifest's count of events and figures.json's seqRange agree.

Exit 0 when the pack verifies (and holds the digest, if given); 1 naming what fails; 2 for usage.

usage: verifypack.py PACK_FOLDER [--digest SEQ:HASH]
"""
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from verifychain import fail, jcs, reading  # noqa: E402

FILES = ["events.ndjson", "chain.ndjson", "figures.json"]
DESKTOP_FILES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def opened(folder, name):
    """The pack's file `name`, open for reading, or a failure naming what is wrong with it."""
    try:
        return open(os.path.join(folder, name), "rb")
    except FileNotFoundError:
        fail(f"{name} is missing from {folder}")
    except OSError as error:
        fail(f"{name} in {folder} cannot be read: {error.strerror}")


def sha256_of(folder, name):
    digest = hashlib.sha256()
    with opened(folder, name) as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Selection:
    """Decides, event by event in seq order, whether each belongs to the pack's selection."""

    def __init__(self, manifest_selection):
        self.worker = manifest_selection.get("worker")
        self.period = (manifest_selection.get("from"), manifest_selection.get("to"))
        if self.worker is None and None in self.period:
            fail("manifest.json: its selection names neither a worker nor a period's from and to")
        self.streams = {f"worker-{self.worker}"} if self.worker is not None else set()
        self.cases = set()

    def includes(self, event):
        if self.worker is None:
            return self.period[0] <= event.get("occurredOn", "") <= self.period[1]
        data = event.get("data") if isinstance(event.get("data"), dict) else {}
        if event.get("type") == "CaseOpened" and data.get("workerRef") == self.worker and isinstance(data.get("caseId"), str):
            self.cases.add(data["caseId"])
            self.streams.add(f"case-{data['caseId']}")
        if event.get("type") == "SafeguardingConcernRaised" and isinstance(data.get("concernId"), str) and (
                data.get("workerRef") == self.worker or data.get("caseId") in self.cases):
            self.streams.add(f"concern-{data['concernId']}")
        return event.get("stream") in self.streams


def main():
    arguments = sys.argv[1:]
    digest = None
    if len(arguments) == 3 and arguments[1] == "--digest":
        digest = reading(arguments[2], "--digest")
        arguments = arguments[:1]
    if len(arguments) != 1:
        fail("usage: verifypack.py PACK_FOLDER [--digest SEQ:HASH]", 2)
    folder = arguments[0]
    if not os.path.isdir(folder):
        fail(f"there is no audit pack at {folder}: no such folder", 2)

    # The manifest: canonical, its own hash right.
    with opened(folder, "manifest.json") as file:
        manifest_bytes = file.read()
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError:
        fail("manifest.json is not JSON")
    if not isinstance(manifest, dict) or (jcs(manifest) + "\n").encode("utf-8") != manifest_bytes:
        fail("manifest.json is not canonical JSON (RFC 8785) ending in one line feed: it was altered")
    stated = manifest.pop("manifestHash", None)
    if stated != hashlib.sha256(jcs(manifest).encode("utf-8")).hexdigest():
        fail("manifest.json does not match its manifestHash: it was altered")
    try:
        head_seq, head_hash = manifest["head"]["seq"], manifest["head"]["hash"]
        chain_from, previous_hash = manifest["chain"]["from"], manifest["chain"]["previousHash"]
        files, count_stated, selection = manifest["files"], manifest["events"], Selection(manifest["selection"])
        bytes.fromhex(previous_hash)
    except (KeyError, TypeError, AttributeError, ValueError):
        fail("manifest.json lacks a field a pack's manifest holds")
    if not (isinstance(files, dict) and all(isinstance(files.get(name), str) for name in FILES)
            and all(isinstance(n, int) and not isinstance(n, bool) for n in (head_seq, chain_from, count_stated))):
        fail("manifest.json lacks a field a pack's manifest holds")
    if manifest.get("format") != "careledger-audit-pack/1":
        fail(f"manifest.json names format {manifest.get('format')!r}; this script reads careledger-audit-pack/1")
    if sorted(files) != sorted(FILES) or manifest["chain"].get("to") != head_seq:
        fail("manifest.json does not name the pack's three files, or its chain does not end at its head")

    # The files: each the hash the manifest gives, and no other beside them.
    extra = sorted(name for name in os.listdir(folder)
                   if name not in FILES + ["manifest.json"] and name not in DESKTOP_FILES and not name.startswith("._"))
    if extra:
        fail(f"{folder} holds files the pack did not: {', '.join(extra)}")
    for name in FILES:
        if sha256_of(folder, name) != files[name]:
            fail(f"{name} does not have the SHA-256 the manifest gives: it was altered")

    # The chain, from the hash before it to the head; the selection's events, in order.
    previous, expected = bytes.fromhex(previous_hash), chain_from
    selected = hashlib.sha256()
    count = 0
    digest_seen = digest is None or (digest[0] == chain_from - 1 and digest[1] == previous_hash)
    with opened(folder, "chain.ndjson") as chain:
        for number, line in enumerate(chain, start=1):
            try:
                event = json.loads(line)
                stored_hash = event.pop("hash")
            except (ValueError, KeyError, AttributeError, TypeError):
                fail(f"chain.ndjson line {number} is not a stored event with its hash")
            if event.get("seq") != expected:
                fail(f"chain.ndjson line {number} is not the event at seq {expected}")
            recomputed = hashlib.sha256(previous + jcs(event).encode("utf-8")).hexdigest()
            if recomputed != stored_hash:
                fail(f"chain.ndjson line {number}: the event at seq {expected} does not hash to its hash: the chain breaks there")
            if digest and digest[0] == expected:
                digest_seen = digest[1] == stored_hash
            if selection.includes(event):
                selected.update(line if line.endswith(b"\n") else line + b"\n")
                count += 1
            previous, expected = bytes.fromhex(stored_hash), expected + 1
    if expected - 1 != head_seq or previous.hex() != head_hash:
        fail(f"chain.ndjson ends at seq {expected - 1} with hash {previous.hex()}, not at the manifest's head {head_seq}:{head_hash}")
    if selected.hexdigest() != files["events.ndjson"]:
        fail("events.ndjson is not exactly the chain's events of the selection: an event was added, dropped or changed")
    if count != count_stated:
        fail(f"the manifest counts {count_stated} events; the selection holds {count}")
    with opened(folder, "figures.json") as file:
        try:
            figures = json.loads(file.read())
        except ValueError:
            fail("figures.json is not JSON")
    if not isinstance(figures, dict) or (figures.get("seqRange") or {}).get("to") != head_seq:
        fail(f"figures.json does not state the seq range up to the pack's head {head_seq}")
    if not digest_seen:
        fail(f"the pack's chain (seq {chain_from} to {head_seq}, on the hash of seq {chain_from - 1}) does not hold {digest[0]}:{digest[1]}")
    print(f"Verified {folder}: {count} event{'' if count == 1 else 's'} of the selection; the chain from seq {chain_from} to the head {head_seq}:{head_hash} is intact"
          + (f" and holds {digest[0]}:{digest[1]}" if digest else ""))


if __name__ == "__main__":
    main()
