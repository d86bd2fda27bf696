#!/usr/bin/env python3
"""Posts a file through the /record page's form in a real browser (Debian's chromium, driven
over its DevTools protocol), as a programme officer would: chooses the file, leaves the type to
the rows' type column, presses Check, and prints what the page then says. A browser's own form
post is the thing checked: its multipart encoding and the Origin header it sends, which
handcrafted requests in the tests cannot vouch for.

    python3 Tools/browser/record-upload.py URL FILE [TOKEN]   # TOKEN: sign in first

Exits 1 unless the page answered with its outcome and the file's rows in its box."""
import sys
from devtools import Browser
addr, path = sys.argv[1], sys.argv[2]
browser = Browser()
try:
    if len(sys.argv) > 3: browser.sign_in(addr, sys.argv[3])
    browser.go(addr + "/record")
    doc = browser.call("DOM.getDocument")["root"]["nodeId"]
    node = browser.call("DOM.querySelector", nodeId=doc, selector="input[type=file]")["nodeId"]
    browser.call("DOM.setFileInputFiles", nodeId=node, files=[path])
    browser.js("document.querySelector('select[name=type]').value = ''")
    browser.click("button[value=check]")
    print("URL:", browser.js("location.href"), "TITLE:", browser.js("document.title"))
    print("OUTCOME:", browser.text("outcome"))
    print("FILE:", browser.text("file"))
    box = browser.js("document.querySelector('textarea') && document.querySelector('textarea').value") or ""
    print("BOX:", repr(box[:200]))
    sys.exit(0 if browser.js("!!document.getElementById('outcome')") and box.strip() else 1)
finally:
    browser.close()
