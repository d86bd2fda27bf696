#!/usr/bin/env python3
"""Rectifies a worker's family name through /correct in a real browser (Debian's chromium, driven
over its DevTools protocol), as a member of staff would on a server holding the master key:
opens the worker's timeline, follows the seq of its registration, checks that the page shows no
personal data until asked, follows the link that shows it (a reveal, recorded in the access
log), changes the family name, presses Retract and record the right fact, and prints what the
page says each time.

    python3 Tools/browser/rectify-name.py URL WORKER [TOKEN]   # TOKEN (staff, writer): sign in first

Exits 1 unless the name was hidden, then shown on asking, and the right fact landed."""
import sys
from devtools import Browser
addr, worker = sys.argv[1], sys.argv[2]
browser = Browser()
try:
    if len(sys.argv) > 3: browser.sign_in(addr, sys.argv[3])
    link = browser.correction_link(addr, worker, "WorkerRegistered")
    if not link: sys.exit(1)
    browser.go(link)
    hidden = browser.js("!document.querySelector('input[name=\"field.pii.familyName\"]')")
    print("HIDDEN UNTIL ASKED:", hidden)
    browser.click("#reveal")
    name = browser.js("document.querySelector('input[name=\"field.pii.familyName\"]') && document.querySelector('input[name=\"field.pii.familyName\"]').value")
    print("SHOWN ON ASKING:", bool(name))
    if not (hidden and name): sys.exit(1)
    browser.fill("reason", "Family name misspelt")
    browser.fill("field.pii.familyName", name + "-Corrected")
    landed = browser.press("correct", "LANDED")
    sys.exit(0 if landed.startswith("Retracted seq") and "the right fact recorded" in landed else 1)
finally:
    browser.close()
