"""A headless chromium driven over its DevTools protocol, for the scripts that post the
dashboard's forms as a browser does (Tools/browser/pages.sh). Needs Debian's chromium and the
websocket-client package (pip install websocket-client)."""
import json, subprocess, time, urllib.request, websocket


class Browser:
    def __init__(self, port=9333):
        self.chrome = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=%d" % port, "about:blank"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        tabs = []
        for _ in range(50):
            try:
                tabs = json.load(urllib.request.urlopen("http://127.0.0.1:%d/json" % port)); break
            except Exception: time.sleep(0.2)
        self.ws = websocket.create_connection([t for t in tabs if t["type"] == "page"][0]["webSocketDebuggerUrl"], suppress_origin=True)
        self.n = 0
        self.call("Page.enable")

    def call(self, method, **params):
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            m = json.loads(self.ws.recv())
            if m.get("id") == self.n: return m.get("result", m)

    def js(self, expr):
        return self.call("Runtime.evaluate", expression=expr, returnByValue=True)["result"].get("value")

    def go(self, url, wait=2):
        self.call("Page.navigate", url=url); time.sleep(wait)

    def click(self, selector, wait=3):
        self.js("document.querySelector(%s).click()" % json.dumps(selector)); time.sleep(wait)

    def text(self, element_id):
        return self.js("document.getElementById('%s') && document.getElementById('%s').innerText" % (element_id, element_id))

    def fill(self, name, value):
        """Types `value` into the form field named `name`."""
        self.js("document.querySelector(%s).value = %s" % (json.dumps("[name=%s]" % json.dumps(name)), json.dumps(value)))

    def press(self, action, label):
        """Presses the form's button of that `action` (check, correct, record), prints the page's
        outcome after `label`, and returns it."""
        self.click("button[value=%s]" % action)
        outcome = self.text("outcome") or ""
        print(label + ":", outcome)
        return outcome

    def correction_link(self, addr, worker, event_type):
        """The /correct link of the last event of `event_type` on `worker`'s timeline, or None."""
        self.go(addr + "/?timeline=worker:" + worker)
        link = self.js("""[...document.querySelectorAll('#timeline tr')].filter(r => r.innerText.includes(%s))
                          .map(r => r.querySelector('a[href^="/correct"]')).filter(a => a).map(a => a.href).pop()""" % json.dumps(event_type))
        print("LINK:", link)
        return link

    def sign_in(self, addr, token):
        """Signs in through the dashboard's form, as a person does, leaving the token's cookie."""
        self.go(addr + "/")
        self.js("document.querySelector('input[name=token]').value = %s" % json.dumps(token))
        self.click("form[action='/signin'] button", wait=2)
        print("AFTER SIGN-IN:", self.js("location.href"), (self.js("document.body.innerText") or "")[:120].replace("\n", " "))

    def close(self):
        self.chrome.terminate()
