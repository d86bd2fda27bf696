#!/usr/bin/env python3
"""Posts a file through the /record page's form in a real browser (Debian's chromium, driven
over its DevTools protocol), as a programme officer would: chooses the file, leaves the type to
the rows' type column, presses Check, and prints what the page then says. A browser's own form
post is the thing checked: its multipart encoding and the Origin header it sends, which
handcrafted requests in the tests cannot vouch for.

    python3 Tools/browser/record-upload.py URL FILE [TOKEN]   # TOKEN: sign in first

Needs chromium and the websocket-client package (pip install websocket-client). Exits 1 unless
the page answered with its outcome and the file's rows in its box."""
import json, sys, time, urllib.request, subprocess, websocket
addr, path = sys.argv[1], sys.argv[2]
chrome = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=9333", "about:blank"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(50):
        try:
            tabs = json.load(urllib.request.urlopen("http://127.0.0.1:9333/json")); break
        except Exception: time.sleep(0.2)
    ws = websocket.create_connection([t for t in tabs if t["type"] == "page"][0]["webSocketDebuggerUrl"], suppress_origin=True)
    n = [0]
    def call(method, **params):
        n[0] += 1; ws.send(json.dumps({"id": n[0], "method": method, "params": params}))
        while True:
            m = json.loads(ws.recv())
            if m.get("id") == n[0]: return m.get("result", m)
    def js(expr): return call("Runtime.evaluate", expression=expr, returnByValue=True)["result"].get("value")
    call("Page.enable")
    if len(sys.argv) > 3:
        call("Page.navigate", url=addr + "/"); time.sleep(2)
        js("document.querySelector('input[name=token]').value = '%s'" % sys.argv[3])
        js("document.querySelector('form[action=\\'/signin\\'] button').click()"); time.sleep(2)
        print("AFTER SIGN-IN:", js("location.href"), (js("document.body.innerText") or "")[:120].replace("\n", " "))
    call("Page.navigate", url=addr + "/record"); time.sleep(2)
    doc = call("DOM.getDocument")["root"]["nodeId"]
    node = call("DOM.querySelector", nodeId=doc, selector="input[type=file]")["nodeId"]
    call("DOM.setFileInputFiles", nodeId=node, files=[path])
    js("document.querySelector('select[name=type]').value = ''")
    js("document.querySelector('button[value=check]').click()"); time.sleep(3)
    print("URL:", js("location.href"), "TITLE:", js("document.title"))
    print("OUTCOME:", js("document.getElementById('outcome') && document.getElementById('outcome').innerText"))
    print("FILE:", js("document.getElementById('file') && document.getElementById('file').innerText"))
    box = js("document.querySelector('textarea') && document.querySelector('textarea').value") or ""
    print("BOX:", repr(box[:200]))
    sys.exit(0 if js("!!document.getElementById('outcome')") and box.strip() else 1)
finally:
    chrome.terminate()
