#!/usr/bin/env python3
"""Corrects an event through the dashboard in a real browser (Debian's chromium, driven over its
DevTools protocol), as a programme officer would: opens a worker's timeline, follows the seq of
its last training to /correct, types a reason and the right date, presses Check, then Retract
and record the right fact, and prints what the page says each time; then ticks two more of its
trainings on the timeline and corrects both at once. The browser's own form posts (their
encoding and Origin, and the ticked boxes each sent as a seq) are the thing checked.

    python3 Tools/browser/correct-event.py URL WORKER [TOKEN]   # TOKEN: sign in first

Exits 1 unless the checks would land and the corrections then landed."""
import sys
from devtools import Browser
addr, worker = sys.argv[1], sys.argv[2]
browser = Browser()
try:
    if len(sys.argv) > 3: browser.sign_in(addr, sys.argv[3])
    link = browser.correction_link(addr, worker, "TrainingCompleted")
    if not link: sys.exit(1)
    browser.go(link)
    print("EVENT:", browser.text("event"))
    browser.fill("reason", "Recorded a day early")
    browser.fill("field.occurredOn", "2025-01-02")
    checked = browser.press("check", "CHECKED")
    landed = browser.press("correct", "LANDED")
    if not (checked.startswith("Checked:") and landed.startswith("Retracted seq")): sys.exit(1)

    # Two more trainings ticked on the timeline, corrected at once.
    browser.go(addr + "/?timeline=worker:" + worker)
    ticked = browser.js("""[...document.querySelectorAll('#timeline tr')].filter(r => r.innerText.includes('TrainingCompleted'))
                           .map(r => r.querySelector('input[type=checkbox]')).filter(b => b).slice(0, 2)
                           .map(b => { b.checked = true; return b.value })""")
    print("TICKED:", ticked)
    if not ticked or len(ticked) < 2: sys.exit(1)
    browser.click("#correct-selected button")
    print("HEADING:", browser.js("document.querySelector('h1').innerText"))
    browser.fill("reason", "Recorded under the wrong dates")
    browser.fill("field.occurredOn", "2025-01-03")
    checked = browser.press("check", "CHECKED")
    landed = browser.press("correct", "LANDED")
    sys.exit(0 if checked.startswith("Checked:") and landed.startswith("Retracted seqs") else 1)
finally:
    browser.close()
