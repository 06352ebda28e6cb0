"""Every HTML report of the sample run, opened in a real browser (headless Chromium).

The report folder is the session's single ``forecasting report`` run (``report_dir`` in
tests/conftest.py); this module adds only the browser's time. Per page: it renders (a body with
text, a title that is the page's first heading and, for a report, the text index.html links it
by), every ``<img>`` loads (``naturalWidth > 0``) and is laid out, the console shows no error and
no script throws, nothing is requested beyond the page's own file and ``data:`` images (host names
do not resolve, so a network fetch fails loudly), every link resolves (in-page anchors to an
element, files to an existing file; index.html links only files of the report folder), and a
full-page screenshot is kept in ``tests/artifacts/screenshots/<report>.png`` (git-ignored).

Chromium is Debian's ``chromium`` (``make test`` installs it when missing; ``CHROMIUM=/path``
overrides), driven over the DevTools protocol with ``websocket-client``: a few dozen lines of
protocol here instead of Playwright, whose pip package brings its own Node.js driver and wants
to download its own browsers. Every wait is bounded and the browser is killed in a ``finally``.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname
from xml.sax.saxutils import escape

import pytest
import websocket

from forecasting.charts.style import cjk_font_path
from forecasting.paths import NOTEBOOKS_DIR

#: one page per notebook plus the index, known before the report runs (parametrize needs names)
PAGES = ["index"] + sorted(p.stem for p in NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
VIEWPORT = (1280, 900)  #: CSS pixels; the screenshot keeps the width and takes the page's height
START_SECONDS = 30.0  #: Chromium up and listening
COMMAND_SECONDS = 60.0  #: one DevTools command answered (a tall screenshot takes a few seconds)
LOAD_SECONDS = 60.0  #: a report (up to a few MB of inline PNG) loaded
SETTLE_SECONDS = 0.25  #: after the load event: late console messages and failed loads arrive

#: facts read from the rendered page (run in the page; returns JSON-able values only)
PAGE_FACTS_JS = """(() => {
  const text = (e) => (e ? e.textContent.replace(/\\u00b6/g, "").trim() : null);
  const imgs = Array.from(document.images).map((img) => {
    const box = img.getBoundingClientRect();
    return {src: img.src.slice(0, 80), complete: img.complete, naturalWidth: img.naturalWidth,
            naturalHeight: img.naturalHeight, width: box.width, height: box.height};
  });
  const links = Array.from(document.querySelectorAll("a[href]")).map((a) => {
    const href = a.getAttribute("href");
    const id = href.slice(1);  // a fragment names an id as written, or percent-decoded
    const decoded = (() => { try { return decodeURIComponent(id); } catch (e) { return id; } })();
    const anchor = href.startsWith("#")
      ? document.getElementById(id) !== null || document.getElementById(decoded) !== null
      : null;
    return {href: href, url: a.href, text: text(a), anchorFound: anchor};
  });
  return {title: document.title, h1: text(document.querySelector("h1")),
          bodyText: document.body ? document.body.innerText.trim().length : 0,
          images: imgs, links: links};
})()"""


# --- a small DevTools-protocol client -------------------------------------------------------
class BrowserError(RuntimeError):
    """Chromium did not start, died, or did not answer in time."""


def chromium_executable() -> str | None:
    """Path of the Chromium to drive: ``$CHROMIUM`` or Debian's ``chromium`` on PATH (or None).

    Raises
    ------
    BrowserError
        ``$CHROMIUM`` is set but names no executable.
    """
    chosen = os.environ.get("CHROMIUM")
    if chosen and shutil.which(chosen) is None:
        raise BrowserError(f"CHROMIUM={chosen}: no such executable")
    return shutil.which(chosen or "chromium")


@dataclass
class PageVisit:
    """What one page showed in the browser.

    Attributes
    ----------
    url : str
        The ``file://`` URL opened.
    facts : dict
        :data:`PAGE_FACTS_JS`'s result: title, first ``<h1>``, body text length (characters),
        images (natural and laid-out size, px) and links.
    console : list of str
        Console errors, uncaught exceptions and browser log errors, one line each.
    requests : list of str
        URL of every request the page made (data: URLs shortened).
    failed : list of str
        Requests that failed, with the browser's reason.
    size : tuple of int
        Page content width and height (CSS px).
    screenshot : bytes
        Full-page PNG.
    """

    url: str
    facts: dict[str, Any]
    console: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    size: tuple[int, int] = (0, 0)
    screenshot: bytes = b""


class Chromium:
    """Headless Chromium driven over one DevTools websocket (sessions flattened onto it).

    Use as a context manager; leaving it closes the socket and kills the browser's process group.
    """

    def __init__(self, executable: str, profile: Path) -> None:
        self.executable, self.profile = executable, profile
        self.proc: subprocess.Popen[bytes] | None = None
        self.ws: Any = None
        self._ids = itertools.count(1)
        self._events: list[dict[str, Any]] = []
        self._log = profile / "chromium.log"

    # lifecycle
    def __enter__(self) -> Chromium:
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        args = [
            self.executable,
            "--headless",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--mute-audio",
            "--hide-scrollbars",
            "--force-color-profile=srgb",
            "--host-resolver-rules=MAP * ~NOTFOUND",  # nothing leaves the machine
            f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}",
            f"--user-data-dir={self.profile}",
            "--remote-debugging-port=0",
            "about:blank",
        ]
        if os.geteuid() == 0:  # Chromium refuses to run as root inside its sandbox
            args.insert(1, "--no-sandbox")
        env = {**os.environ, "FONTCONFIG_FILE": str(self._fontconfig())}
        with open(self._log, "wb") as log:
            self.proc = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env=env,
                start_new_session=True,
            )
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + START_SECONDS
        while not (port_file.exists() and len(port_file.read_text().split()) >= 2):
            if self.proc.poll() is not None:
                raise BrowserError(f"chromium exited {self.proc.returncode}: {self._log_tail()}")
            if time.monotonic() > deadline:
                raise BrowserError(f"chromium not listening after {START_SECONDS:.0f} s")
            time.sleep(0.05)
        port, path = port_file.read_text().split()[:2]
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}{path}", timeout=COMMAND_SECONDS, suppress_origin=True
        )

    def _fontconfig(self) -> Path:
        """The system's fontconfig plus the CJK font the charts use (installed from PyPI), so
        the Chinese headings of the screenshots are legible on a machine without CJK fonts."""
        conf = self.profile / "fonts.conf"
        conf.write_text(
            '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
            '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
            f"  <dir>{escape(str(cjk_font_path().parent))}</dir>\n"
            f"  <cachedir>{escape(str(self.profile / 'fontconfig'))}</cachedir>\n"
            "</fontconfig>\n",
            encoding="utf-8",
        )
        return conf

    def close(self) -> None:
        """Close the socket and end the browser (its process group), waiting at most 10 s."""
        if self.ws is not None:
            try:
                self.ws.close()
            finally:
                self.ws = None
        if self.proc is not None and self.proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
                try:
                    os.killpg(self.proc.pid, sig)  # the group this Popen created, nothing else
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue

    def _log_tail(self) -> str:
        return self._log.read_text(errors="replace")[-2000:] if self._log.exists() else ""

    # protocol
    def _receive(self, deadline: float) -> dict[str, Any]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise BrowserError("timed out waiting for chromium")
        self.ws.settimeout(remaining)
        try:
            return json.loads(self.ws.recv())
        except websocket.WebSocketTimeoutException:
            raise BrowserError("timed out waiting for chromium") from None
        except (websocket.WebSocketException, OSError) as exc:
            raise BrowserError(f"lost chromium ({exc}): {self._log_tail()}") from None

    def send(
        self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None
    ) -> dict[str, Any]:
        """Send one command and return its result; events that arrive meanwhile are kept."""
        msg: dict[str, Any] = {"id": next(self._ids), "method": method, "params": params or {}}
        if session is not None:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        deadline = time.monotonic() + COMMAND_SECONDS
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == msg["id"]:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self._events.append(reply)

    def wait_for(self, method: str, session: str, seconds: float) -> dict[str, Any]:
        """The first event ``method`` of ``session`` (kept or arriving within ``seconds``)."""
        deadline = time.monotonic() + seconds
        while True:
            for event in self._events:
                if event["method"] == method and event.get("sessionId") == session:
                    return event
            self._events.append(self._receive(deadline))

    def drain(self, seconds: float) -> None:
        """Keep every event that arrives within ``seconds``."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                self._events.append(self._receive(deadline))
        except BrowserError as exc:
            if "timed out" not in str(exc):
                raise

    def events(self, session: str) -> list[dict[str, Any]]:
        """Events of ``session`` received so far."""
        return [e for e in self._events if e.get("sessionId") == session]

    # one page
    def visit(self, path: Path) -> PageVisit:
        """Open ``path`` in a fresh tab, wait for its load event, read it and screenshot it."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        try:
            session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
                "sessionId"
            ]
            for domain in ("Page", "Runtime", "Log", "Network"):
                self.send(f"{domain}.enable", session=session)
            width, height = VIEWPORT
            self.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                session=session,
            )
            url = path.resolve().as_uri()
            nav = self.send("Page.navigate", {"url": url}, session=session)
            if nav.get("errorText"):
                raise BrowserError(f"{path.name}: navigation failed: {nav['errorText']}")
            self.wait_for("Page.loadEventFired", session, LOAD_SECONDS)
            self.drain(SETTLE_SECONDS)
            facts = self.send(
                "Runtime.evaluate",
                {"expression": PAGE_FACTS_JS, "returnByValue": True},
                session=session,
            )["result"]["value"]
            content = self.send("Page.getLayoutMetrics", session=session)["cssContentSize"]
            size = (int(content["width"]), int(content["height"]))
            shot = self.send(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1},
                },
                session=session,
            )
            visit = PageVisit(url, facts, size=size, screenshot=base64.b64decode(shot["data"]))
            _read_events(self.events(session), visit)
            return visit
        finally:
            with contextlib.suppress(BrowserError):  # keep the error that got us here
                self.send("Target.closeTarget", {"targetId": target})
            self._events.clear()  # one page at a time: nothing kept belongs to the next one


def _read_events(events: list[dict[str, Any]], visit: PageVisit) -> None:
    """Fill the visit's console errors, requests and failed requests from its DevTools events."""
    urls: dict[str, str] = {}
    for e in events:
        method, p = e["method"], e.get("params", {})
        if method == "Runtime.consoleAPICalled" and p.get("type") in {"error", "assert"}:
            args = " ".join(
                str(a.get("value", a.get("description", ""))) for a in p.get("args", [])
            )
            visit.console.append(f"console.{p['type']}: {args}")
        elif method == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            visit.console.append(
                f"uncaught: {d.get('exception', {}).get('description') or d.get('text')}"
            )
        elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            entry = p["entry"]
            visit.console.append(
                f"log ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}"
            )
        elif method == "Network.requestWillBeSent":
            url = p["request"]["url"]
            urls[p["requestId"]] = url
            visit.requests.append(url[:80] if url.startswith("data:") else url)
        elif method == "Network.loadingFailed":
            visit.failed.append(f"{urls.get(p['requestId'], '?')[:120]}: {p.get('errorText')}")


# --- what a page must satisfy --------------------------------------------------------------
def png_size(data: bytes) -> tuple[int, int]:
    """Width and height (px) of a PNG; ValueError when ``data`` is not one."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def page_problems(visit: PageVisit, folder: Path, *, local_links_only: bool) -> list[str]:
    """Everything wrong with a visited page, one line each ([] = renders as it should).

    ``folder`` is the report folder; ``local_links_only`` (index.html) demands that every link be
    a file in it (a report may also link out to the web, but never loads from it).
    """
    f = visit.facts
    problems = [*visit.console, *(f"failed request: {r}" for r in visit.failed)]
    problems += [
        f"request beyond the page's own file: {url}"
        for url in visit.requests
        if not url.startswith("data:") and url != visit.url
    ]
    if f["bodyText"] == 0:
        problems.append("the page shows no text")
    if not f["title"]:
        problems.append("no <title>")
    elif f["h1"] != f["title"]:
        problems.append(f"first <h1> {f['h1']!r} is not the title {f['title']!r}")
    for img in f["images"]:
        if not (img["complete"] and img["naturalWidth"] > 0 and img["naturalHeight"] > 0):
            problems.append(f"image did not load: {img['src']}")
        elif img["width"] <= 0 or img["height"] <= 0:
            problems.append(f"image not laid out (0 px): {img['src']}")
    for link in f["links"]:
        problems += _link_problems(link, folder, local_links_only=local_links_only)
    try:
        shot = png_size(visit.screenshot)
    except ValueError:
        problems.append("the screenshot is not a PNG")
    else:
        if shot != visit.size or min(shot) <= 0:
            problems.append(f"screenshot {shot} px is not the whole page {visit.size}")
    return problems


def _link_problems(link: dict[str, Any], folder: Path, *, local_links_only: bool) -> list[str]:
    href = link["href"]
    if href.startswith("#"):
        return [] if link["anchorFound"] else [f"in-page link to nothing: {href}"]
    url = urlparse(link["url"])
    if url.scheme != "file":
        return [f"link leaves the report folder: {href}"] if local_links_only else []
    target = Path(url2pathname(unquote(url.path)))
    if not target.is_file():
        return [f"link to a missing file: {href}"]
    if local_links_only and target.resolve().parent != folder.resolve():
        return [f"link leaves the report folder: {href}"]
    return []


# --- fixtures ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    """One headless Chromium for this module (per xdist worker), killed at the end."""
    executable = chromium_executable()
    if executable is None:
        pytest.skip(
            "chromium not found: `make test` installs Debian's chromium when apt-get runs as "
            "root (or set CHROMIUM=/path/to/chromium)"
        )
    with (
        tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile,
        Chromium(executable, Path(profile)) as chromium,
    ):
        yield chromium


@pytest.fixture(scope="module")
def index_visit(browser: Chromium, report_dir: Path) -> PageVisit:
    """index.html of the sample report, as the browser showed it."""
    return browser.visit(report_dir / "index.html")


def _keep_screenshot(name: str, png: bytes) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tmp = path.with_suffix(".png.tmp")
    tmp.write_bytes(png)
    tmp.replace(path)
    return path


# --- the sample report ---------------------------------------------------------------------
def test_every_html_page_of_the_report_is_opened(report_dir: Path) -> None:
    assert sorted(p.stem for p in report_dir.glob("*.html")) == sorted(PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_report_renders_in_chromium(
    browser: Chromium, report_dir: Path, index_visit: PageVisit, name: str
) -> None:
    visit = index_visit if name == "index" else browser.visit(report_dir / f"{name}.html")
    _keep_screenshot(name, visit.screenshot)
    problems = page_problems(visit, report_dir, local_links_only=name == "index")
    assert not problems, f"{name}.html in Chromium:\n" + "\n".join(problems[:30])
    if name == "index":
        linked = {link["href"] for link in visit.facts["links"]}
        assert {f"{page}.html" for page in PAGES if page != "index"} <= linked
    else:  # the index names the report by the report's own title, and the report has charts
        by_href = {link["href"]: link["text"] for link in index_visit.facts["links"]}
        assert by_href.get(f"{name}.html") == visit.facts["title"]
        assert visit.facts["images"], f"{name}.html shows no chart"


# --- the checks themselves can fail ----------------------------------------------------------
BROKEN_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Broken</title></head>
<body><h1>Another heading</h1><p>text</p>
<img src="missing.png"><img src="data:image/png;base64,AAAA">
<img src="http://example.invalid/chart.png">
<a href="nowhere.csv">gone</a> <a href="#no-such-id">jump</a> <a href="ok.csv">ok</a>
<a href="https://example.invalid/">web</a>
<script>console.error("boom"); null.x;</script>
</body></html>"""


def test_a_broken_page_is_caught(browser: Chromium, tmp_path: Path) -> None:
    (tmp_path / "ok.csv").write_text("a\n1\n")
    page = tmp_path / "broken.html"
    page.write_text(BROKEN_PAGE, encoding="utf-8")
    visit = browser.visit(page)
    text = "\n".join(page_problems(visit, tmp_path, local_links_only=True))
    for expected in [
        "console.error: boom",
        "uncaught: TypeError",
        "failed request: file://",  # missing.png
        "request beyond the page's own file: http://example.invalid/chart.png",
        "first <h1> 'Another heading' is not the title 'Broken'",
        "image did not load: file://",
        "image did not load: data:image/png;base64,AAAA",
        "link to a missing file: nowhere.csv",
        "in-page link to nothing: #no-such-id",
        "link leaves the report folder: https://example.invalid/",
    ]:
        assert expected in text, f"not caught: {expected}\n--- caught:\n{text}"
    assert "ok.csv" not in text
    # a report (not the index) may link to the web; everything else is still caught
    as_report = page_problems(visit, tmp_path, local_links_only=False)
    assert not any("https://example.invalid/" in p for p in as_report)
    assert any("nowhere.csv" in p for p in as_report)
