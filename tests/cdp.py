"""A small Chrome DevTools Protocol client for the browser tests: headless Chromium, a page, measurements.

Starts Debian's Chromium with ``--remote-debugging-port=0`` (it writes the port it chose into
``DevToolsActivePort`` in its profile folder), attaches to its page over a websocket
(websocket-client) and sends protocol commands: set the viewport, load a URL, run a script.
"""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import websocket

__all__ = ["Browser", "LAYOUT_PROBLEMS"]

# Text boxes that overlap one another, and anything wider than the viewport. Every text node's
# line boxes (Range.getClientRects) are compared with those of every other text node; boxes of
# one node never count (a line's own fragments touch). Text inside a scrolling box (a wide table
# on a phone) may run past the viewport: it scrolls, the page does not.
LAYOUT_PROBLEMS = r"""
(() => {
  const width = document.documentElement.clientWidth;
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const scrolls = (el) => { for (; el && el !== document.body; el = el.parentElement) {
      const o = getComputedStyle(el).overflowX; if (o === "auto" || o === "scroll" || o === "hidden") return true; }
    return false; };
  const shown = (el) => { for (; el; el = el.parentElement) { if (el.tagName === "DETAILS" && !el.open) return false;
      const s = getComputedStyle(el); if (s.display === "none" || s.visibility === "hidden") return false; } return true; };
  let node, n = 0;
  while ((node = walker.nextNode())) {
    if (!node.textContent.trim() || !shown(node.parentElement)) continue;
    const range = document.createRange(); range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width < 1 || r.height < 1) continue;
      boxes.push({n, x0: r.left, x1: r.right, y0: r.top + window.scrollY, y1: r.bottom + window.scrollY,
                  text: node.textContent.trim().slice(0, 60), scrolls: scrolls(node.parentElement)});
    }
    n++;
  }
  boxes.sort((a, b) => a.y0 - b.y0);
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].y0 < a.y1; j++) {
      const b = boxes[j];
      if (a.n === b.n) continue;
      const dx = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0), dy = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
      if (dx > 2 && dy > 4) overlaps.push([a.text, b.text, Math.round(dx), Math.round(dy)]);
    }
  }
  const outside = boxes.filter(b => !b.scrolls && (b.x1 > width + 1 || b.x0 < -1)).map(b => [b.text, Math.round(b.x0), Math.round(b.x1)]);
  return {width, scrollWidth: document.documentElement.scrollWidth, boxes: boxes.length,
          overlaps: overlaps.slice(0, 20), outside: outside.slice(0, 20)};
})()
"""


class Browser:
    """One headless Chromium with one page, driven over the DevTools protocol."""

    def __init__(self, chromium: str, flags: list[str], profile: Path, timeout: float = 30.0) -> None:
        profile.mkdir(parents=True, exist_ok=True)
        self.timeout = timeout
        self.process = subprocess.Popen([chromium, *flags, f"--user-data-dir={profile}", "--remote-debugging-port=0",
                                         "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while not (port_file.is_file() and port_file.read_text().strip()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=timeout) as resp:  # noqa: S310
            pages = [t for t in json.load(resp) if t.get("type") == "page"]
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=timeout,
                                              suppress_origin=True)
        self.next_id = 0

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, script: str) -> Any:
        result = self.call("Runtime.evaluate", expression=script, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str, width: int, height: int = 900) -> None:
        """Load ``url`` in a viewport ``width`` CSS pixels wide (a phone below 600) and wait for it."""
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                  mobile=width < 600)
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + self.timeout
        time.sleep(0.05)
        while self.evaluate("document.readyState") != "complete" or self.evaluate("location.href") == "about:blank":
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not load")
            time.sleep(0.05)
        self.evaluate("document.fonts.ready.then(() => true)")

    def close(self) -> None:
        try:
            if getattr(self, "ws", None) is not None:
                self.ws.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
