#!/usr/bin/env python3
"""Replaces a return through the /record page in a real browser (Debian's chromium, driven over
its DevTools protocol), as a programme officer would: records three trainings of WORKER pasted
into the rows' box, then pastes the corrected return (one date changed, one row dropped, one
added), chooses the first return's file under "A corrected return: the one it replaces", presses
Check and then Record, and prints what the page says each time. The browser's own multipart post
of two file inputs and a <details> section is the thing checked.

    python3 Tools/browser/replace-return.py URL WORKER [TOKEN]   # TOKEN: sign in first

Exits 1 unless the first return was recorded, the check would land and the replacement landed."""
import os, sys, tempfile
from devtools import Browser
addr, worker = sys.argv[1], sys.argv[2]
header = "occurredOn,workerRef,kind,title\n"
first = header + "".join("%s,%s,mandatory,Browser check: %s\n" % (day, worker, title)
                         for day, title in [("2024-03-01", "Fire safety"), ("2024-03-02", "Moving and handling"), ("2024-03-03", "First aid")])
corrected = header + "".join("%s,%s,mandatory,Browser check: %s\n" % (day, worker, title)
                             for day, title in [("2024-03-01", "Fire safety"), ("2024-03-04", "Moving and handling"), ("2024-03-05", "Infection control")])
earlier = os.path.join(tempfile.mkdtemp(), "training-return.csv")
open(earlier, "w").write(first)
browser = Browser()
try:
    if len(sys.argv) > 3: browser.sign_in(addr, sys.argv[3])
    def rows(text):
        browser.fill("type", "TrainingCompleted")
        browser.fill("rows", text)
    browser.go(addr + "/record")
    rows(first)
    recorded = browser.press("record", "RECORDED")
    browser.go(addr + "/record")
    rows(corrected)
    doc = browser.call("DOM.getDocument")["root"]["nodeId"]
    node = browser.call("DOM.querySelector", nodeId=doc, selector="input[name=earlierFile]")["nodeId"]
    browser.call("DOM.setFileInputFiles", nodeId=node, files=[earlier])
    browser.fill("reason", "Dates corrected by the provider")
    checked = browser.press("check", "CHECKED")
    print("EARLIER BOX:", repr((browser.js("document.querySelector('textarea[name=earlierRows]').value") or "")[:80]))
    replaced = browser.press("record", "REPLACED")
    sys.exit(0 if recorded.startswith("Recorded 3") and checked.startswith("Checked: 2 events of training-return.csv to retract")
             and replaced.startswith("Replaced") else 1)
finally:
    browser.close()
