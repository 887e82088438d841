"""The web dashboard at `/ui`, driven in headless Chromium (Selenium) against a real gateway.

The contract is docs/dashboard.md (element ids and classes the pages carry). One gateway with two
SDK backends started at boot (`meta_mcp.warm_start: ["*"]`): `alpha` over stdio and `beta` over
Streamable HTTP, an audit trail, and three API keys: `ops` (admin), `viewer` (no admin) and
`narrow` (no admin, sees only `alpha`). The browser sends a key on every request, EventSource
included, through the DevTools protocol (`as_principal`); the login page and its session
cookie are tested in test_dashboard_login.py.

- Known traffic from the official SDK client (echo three times and a tool error on alpha as ops,
  one echo on beta as viewer) shows on every page: the overview's backends (state, transport,
  tool count, restarts) and summary, the recent calls, the per-tool profile counts of a backend
  page, the audit trail with its exact filters, the search page ranked like
  `gateway_search_tools` for the same principal, the config page before any reload.
- Calls made while the overview is open arrive over SSE without a reload (newest first, at most
  20 rows there, up to 100 on /ui/calls) and the summary follows; `/ui/events` itself streams
  `summary` and `call` events with the documented members.
- Admin actions from the page: restart a backend (a new process, `td.restarts` 1), reload the
  config file (refused with its errors listed, then applied with a new backend listed), approve a
  pending pin change (a tool a backend added at run time, `security.pinning: warn`).
- Non-admins see every page but no admin control and no CSRF token; admin POSTs need an admin and
  that principal's CSRF token (403 otherwise), and every route but the static assets and the
  login page needs a key (401).
- No page logs a console error; one screenshot per page goes to docs/dashboard/ when
  DASHBOARD_SCREENSHOTS=1 (otherwise to the test's log directory).
- Without auth the local caller is an admin; profiles off and no audit trail say so on their
  pages; `telemetry.dashboard: false` removes /ui (404).
"""
from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import anyio
import httpx
import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

import harness
from browser_fixture import browser, console_errors, screenshot  # noqa: F401  (browser is a fixture)

pytestmark = pytest.mark.anyio

OPS = "ops-key-9e4a1c7b3d5f"
VIEWER = "viewer-key-2d8f6b1a4c9e"
NARROW = "narrow-key-7b3e5a9c1f2d"
DASH = "\u2013"  # "–": a value there is none of (p95 without calls, a backend without a breaker)
N_TOOLS = len(harness.BACKEND_TOOLS)
PAGES = {  # screenshot name → path
    "overview": "/ui",
    "backend": "/ui/backends/alpha",
    "calls": "/ui/calls",
    "audit": "/ui/audit",
    "config": "/ui/config",
    "search": "/ui/search?q=echo",
}
ADMIN_CONTROLS = ("form.restart", ".restart-button", "#reload-form", "#reload-button", "form.approve",
                  ".approve-button", "input[name=csrf]")
LIVE_CALLS = 22  # more than the overview's 20 rows


# --------------------------------------------------------------------------------------------
# gateways
# --------------------------------------------------------------------------------------------


def config_dict(log_dir: Path, beta: harness.HttpBackend, **more_backends: dict[str, Any]) -> dict[str, Any]:
    backends = {"alpha": harness.stdio_backend("alpha"), "beta": harness.http_backend(beta, "streamable_http"),
                **more_backends}
    cfg = harness.make_config(backends, extra={
        "auth": {"api_keys": [
            {"name": "ops", "key": OPS, "admin": True},
            {"name": "viewer", "key": VIEWER},
            {"name": "narrow", "key": NARROW, "backends": ["alpha"]},
        ]},
        "audit": {"path": str(log_dir / "audit.jsonl")},
    })
    cfg["meta_mcp"]["warm_start"] = ["*"]  # make_config writes meta_mcp itself: add to it
    return cfg


def replace_file(path: Path, text: str) -> None:
    """Writes `path` in one step, so the gateway's once-a-second poll never reads half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


@pytest.fixture(scope="module")
def beta(log_dir: Path) -> Iterator[harness.HttpBackend]:
    b = harness.start_http_backend("beta", "streamable-http", log_dir)
    yield b
    b.stop()


@pytest.fixture(scope="module")
def gw(log_dir: Path, beta: harness.HttpBackend) -> Iterator[harness.Gateway]:
    path = harness.write_config(log_dir / "dashboard.yaml", config_dict(log_dir, beta))
    g = harness.start_gateway(path, log_dir)
    yield g
    g.stop()


@pytest.fixture(scope="module")
def local_gw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.Gateway]:
    """No auth (the local caller is an admin), no audit trail, profiles off, pinning in warn mode."""
    tmp = tmp_path_factory.mktemp("dashboard-local")
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")},
                              extra={"telemetry": {"profiles": False}, "security": {"pinning": "warn"}})
    g = harness.start_gateway(harness.write_config(tmp / "local.yaml", cfg), tmp)
    yield g
    g.stop()


_TRAFFIC_DONE: set[int] = set()


async def known_traffic(gw: harness.Gateway) -> None:
    """Once per gateway: echo ×3 and fail ×1 on alpha as ops, then echo ×1 on beta as viewer (last)."""
    if gw.port in _TRAFFIC_DONE:
        return
    async with harness.keyed_client(gw, OPS) as c:
        for i in range(3):
            assert harness.text_of(await harness.invoke(c, "alpha", "echo", {"text": f"k{i}"})) == f"k{i}"
        assert (await harness.invoke(c, "alpha", "fail", {"message": "no"})).is_error
    async with harness.keyed_client(gw, VIEWER) as c:
        assert harness.text_of(await harness.invoke(c, "beta", "echo", {"text": "seen"})) == "seen"
    _TRAFFIC_DONE.add(gw.port)


# --------------------------------------------------------------------------------------------
# browser helpers
# --------------------------------------------------------------------------------------------


def as_principal(driver: WebDriver, key: str | None) -> None:
    """Every later request of the browser (pages, assets, EventSource, form POSTs) carries
    `X-API-Key: key`; None sends none. Takes effect from the next navigation."""
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {"X-API-Key": key} if key else {}})


def wait(driver: WebDriver, timeout: float = 10.0) -> WebDriverWait:
    return WebDriverWait(driver, timeout, poll_frequency=0.1,
                         ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))


def text(el: Any) -> str:
    """An element's text, whitespace collapsed (textContent: also for cells scrolled out of view)."""
    return " ".join((el.get_attribute("textContent") or "").split())


def own_text(driver: WebDriver, el: Any) -> str:
    """An element's text without the <details> inside it (a backend's stderr tail)."""
    raw = driver.execute_script(
        "const c = arguments[0].cloneNode(true); c.querySelectorAll('details').forEach(d => d.remove());"
        "return c.textContent;", el)
    return " ".join((raw or "").split())


def css(driver: WebDriver, selector: str) -> list[Any]:
    return driver.find_elements(By.CSS_SELECTOR, selector)


def text_at(driver: WebDriver, selector: str) -> str:
    return text(driver.find_element(By.CSS_SELECTOR, selector))


def backend_cell(driver: WebDriver, name: str, cell: str) -> str:
    return text_at(driver, f'table#backends tr[data-backend="{name}"] td.{cell}')


def tool_cell(driver: WebDriver, tool: str, cell: str) -> str:
    return text_at(driver, f'table#tools tr[data-tool="{tool}"] td.{cell}')


def call_rows(driver: WebDriver) -> list[tuple[str, str, str, str]]:
    """(principal, server, tool, outcome) of `table#live-calls tr.call`, top to bottom."""
    return [tuple(text(row.find_element(By.CSS_SELECTOR, f"td.{c}")) for c in ("principal", "server", "tool", "outcome"))
            for row in css(driver, "table#live-calls tr.call")]  # type: ignore[misc]


def audit_rows(driver: WebDriver) -> list[tuple[str, str, str, str]]:
    return [tuple(text(row.find_element(By.CSS_SELECTOR, f"td.{c}")) for c in ("principal", "server", "tool", "outcome"))
            for row in css(driver, "table#audit tr.audit-line")]  # type: ignore[misc]


def hits(driver: WebDriver) -> list[tuple[str, str, str]]:
    return [(text(h.find_element(By.CSS_SELECTOR, ".hit-server")), text(h.find_element(By.CSS_SELECTOR, ".hit-tool")),
             text(h.find_element(By.CSS_SELECTOR, ".hit-score"))) for h in css(driver, "ol#search-hits li.hit")]


def flash(driver: WebDriver) -> str:
    found = css(driver, "#flash")
    return text(found[0]) if found else ""


def number(s: str) -> float:
    m = re.search(r"-?\d+(?:\.\d+)?", s)
    assert m, f"no number in {s!r}"
    return float(m.group())


def nothing(s: str) -> bool:
    """A cell that says zero: "0", "0%", "0.0 %", or "–"."""
    return s == DASH or bool(re.fullmatch(r"0(\.0+)?\s*%?", s))


def click(driver: WebDriver, selector: str) -> None:
    """Click, retrying while live updates replace the element."""
    for _ in range(20):
        try:
            driver.find_element(By.CSS_SELECTOR, selector).click()
            return
        except StaleElementReferenceException:
            time.sleep(0.1)
    raise AssertionError(f"{selector} kept going stale")


def settles(driver: WebDriver, url: str, check: Callable[[WebDriver], Any], *, timeout: float = 15.0,
            what: str = "") -> Any:
    """Loads `url` until check(driver) is truthy (state such as a backend's start or the profiles'
    2-second flush lags behind the calls); returns its value."""
    deadline = time.monotonic() + timeout
    while True:
        driver.get(url)
        try:
            result = check(driver)
        except (NoSuchElementException, StaleElementReferenceException):
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            body = text_at(driver, "body")[:1500] if css(driver, "body") else driver.page_source[:1500]
            raise AssertionError(f"{what or url}: not so after {timeout}s; the page says: {body}")
        time.sleep(0.3)


def wait_flash(driver: WebDriver, check: Callable[[str], bool], what: str, timeout: float = 20.0) -> str:
    """The #flash text once check(text) holds; otherwise fails with the page the browser is on
    (a refused POST shows its reason there)."""
    try:
        wait(driver, timeout).until(lambda d: check(flash(d)))
    except TimeoutException:
        body = text_at(driver, "body")[:800] if css(driver, "body") else driver.page_source[:800]
        raise AssertionError(f"no {what} flash; the browser is at {driver.current_url}: {body}") from None
    return flash(driver)


def wait_live(driver: WebDriver) -> None:
    wait(driver, 10).until(lambda d: text_at(d, "#live-status") == "live", "#live-status never said 'live'")


def raw_href(el: Any) -> str:
    return el.get_dom_attribute("href") or ""


# --------------------------------------------------------------------------------------------
# plain HTTP helpers
# --------------------------------------------------------------------------------------------


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "input":
            self.inputs.append(dict(attrs))


def csrf_tokens(html: str) -> set[str]:
    p = _Inputs()
    p.feed(html)
    return {i["value"] or "" for i in p.inputs if i.get("name") == "csrf"}


def get(gw: harness.Gateway, path: str, key: str | None, **headers: str) -> httpx.Response:
    h = {"X-API-Key": key} if key else {}
    return httpx.get(f"{gw.base}{path}", headers={**h, **headers}, timeout=20)


def post(gw: harness.Gateway, path: str, key: str | None, form: dict[str, str]) -> httpx.Response:
    return httpx.post(f"{gw.base}{path}", data=form, headers={"X-API-Key": key} if key else {}, timeout=20,
                      follow_redirects=False)


async def next_event(lines: Any, name: str, match: Callable[[dict[str, Any]], bool] = lambda _: True) -> dict[str, Any]:
    """The data (JSON) of the next SSE event called `name` that `match`es, read from `lines`."""
    event, data = "message", []
    async for line in lines:
        if line == "":
            if event == name and data:
                payload = json.loads("\n".join(data))
                if match(payload):
                    return payload
            event, data = "message", []
        elif line.startswith(":"):
            continue
        else:
            k, _, v = line.partition(":")
            v = v[1:] if v.startswith(" ") else v
            if k == "event":
                event = v
            elif k == "data":
                data.append(v)
    raise AssertionError(f"the event stream ended before a {name!r} event")


# --------------------------------------------------------------------------------------------
# the pages, with known state
# --------------------------------------------------------------------------------------------


async def test_overview_shows_the_backends_summary_and_recent_calls(gw: harness.Gateway, browser: WebDriver) -> None:
    await known_traffic(gw)
    as_principal(browser, OPS)
    settles(browser, f"{gw.base}/ui",
            lambda d: all(backend_cell(d, n, "state") == "running" for n in ("alpha", "beta")),
            what="both backends running")
    assert css(browser, "body")[0].get_attribute("data-admin") == "true"
    rows = {r.get_attribute("data-backend") for r in css(browser, "table#backends tr[data-backend]")}
    assert rows == {"alpha", "beta"}
    for name, transport in (("alpha", "stdio"), ("beta", "streamable_http")):
        assert backend_cell(browser, name, "transport") == transport
        assert int(backend_cell(browser, name, "tools")) == N_TOOLS
        assert backend_cell(browser, name, "restarts") == "0"
        assert backend_cell(browser, name, "breaker") in ("closed", DASH)
        last_error = browser.find_element(By.CSS_SELECTOR, f'tr[data-backend="{name}"] td.last-error')
        assert own_text(browser, last_error) == "", own_text(browser, last_error)  # a stderr tail may follow
        link = browser.find_element(By.CSS_SELECTOR, f'tr[data-backend="{name}"] td.name a.backend-link')
        assert urlparse(raw_href(link)).path == f"/ui/backends/{name}"
        # Admin controls: a restart form per row, with the backend and a CSRF token.
        form = browser.find_element(By.CSS_SELECTOR, f'tr[data-backend="{name}"] form.restart')
        assert urlparse(form.get_dom_attribute("action") or "").path == "/ui/actions/restart"
        assert (form.get_dom_attribute("method") or "").lower() == "post"
        assert form.find_element(By.CSS_SELECTOR, "input[name=backend]").get_dom_attribute("value") == name
        assert form.find_element(By.CSS_SELECTOR, "input[name=csrf]").get_dom_attribute("value")
        assert form.find_elements(By.CSS_SELECTOR, "button.restart-button")
    reload_form = browser.find_element(By.CSS_SELECTOR, "form#reload-form")
    assert urlparse(reload_form.get_dom_attribute("action") or "").path == "/ui/actions/reload"
    assert reload_form.find_element(By.CSS_SELECTOR, "input[name=csrf]").get_dom_attribute("value")
    assert css(browser, "button#reload-button")
    assert css(browser, "#flash") == [], "#flash without an action"

    assert text_at(browser, "#summary-backends") == "2/2"
    assert int(number(text_at(browser, "#summary-tools"))) == 2 * N_TOOLS
    assert number(text_at(browser, "#summary-rate")) >= 5
    errors = text_at(browser, "#summary-errors")
    assert re.fullmatch(r"\d+(\.\d+)?%", errors) and number(errors) > 0, errors  # the fail call
    assert re.fullmatch(r"\d+(\.\d+)? ms", text_at(browser, "#summary-p95")), text_at(browser, "#summary-p95")

    calls = call_rows(browser)
    assert calls[0] == ("viewer", "beta", "echo", "ok"), calls[:5]  # newest first
    assert calls.count(("ops", "alpha", "echo", "ok")) == 3, calls
    assert ("ops", "alpha", "fail", "tool_error") in calls
    first = css(browser, "table#live-calls tr.call")[0]
    assert re.fullmatch(r"\d+(\.\d+)? ms", text(first.find_element(By.CSS_SELECTOR, "td.duration"))), text(first)
    assert text(first.find_element(By.CSS_SELECTOR, "td.time"))


def test_going_from_page_to_page_never_stalls(gw: harness.Gateway, browser: WebDriver) -> None:
    """Every page holds an EventSource open; a page the browser keeps in its back/forward cache
    must not keep that connection, or six of them take all of Chromium's connections to the
    gateway (six per host) and the next page waits."""
    as_principal(browser, OPS)
    browser.set_page_load_timeout(8)
    try:
        for n in range(3 * len(PAGES)):
            path = list(PAGES.values())[n % len(PAGES)]
            t0 = time.monotonic()
            try:
                browser.get(gw.base + path)
            except TimeoutException:
                raise AssertionError(
                    f"page {n + 1} ({path}) did not load in 8 s: the /ui/events connections of the pages left "
                    "before are still open (kept by the back/forward cache?)") from None
            assert time.monotonic() - t0 < 8, path
    finally:
        browser.set_page_load_timeout(30)


async def test_every_page_has_the_nav_and_only_its_own_assets(gw: harness.Gateway, browser: WebDriver) -> None:
    await known_traffic(gw)
    as_principal(browser, OPS)
    nav = {"nav-overview": "/ui", "nav-calls": "/ui/calls", "nav-audit": "/ui/audit", "nav-config": "/ui/config",
           "nav-search": "/ui/search"}
    for path in PAGES.values():
        browser.get(gw.base + path)
        assert css(browser, "body")[0].get_attribute("data-admin") == "true", path
        for ident, href in nav.items():
            assert urlparse(raw_href(browser.find_element(By.CSS_SELECTOR, f"nav a#{ident}"))).path == href, (path, ident)
        icons = [raw_href(e) for e in css(browser, "link[rel=icon]")]
        assert icons == ["data:,"], (path, icons)
        refs = [raw_href(e) for e in css(browser, "link[href]")] + \
               [e.get_dom_attribute("src") for e in css(browser, "script[src], img[src], iframe[src]")]
        outside = [r for r in refs if not (r.startswith("data:") or (r.startswith("/") and not r.startswith("//")))]
        assert outside == [], (path, outside)
        assert "/ui/assets/dashboard.css" in refs and "/ui/assets/dashboard.js" in refs, (path, refs)
    css_asset = get(gw, "/ui/assets/dashboard.css", OPS)
    assert css_asset.status_code == 200 and css_asset.headers["content-type"].startswith("text/css")
    js_asset = get(gw, "/ui/assets/dashboard.js", OPS)
    assert js_asset.status_code == 200 and "javascript" in js_asset.headers["content-type"]
    # Either header the gate knows.
    assert get(gw, "/ui", None, Authorization=f"Bearer {OPS}").status_code == 200


async def test_backend_page_lists_every_tool_with_its_profile(gw: harness.Gateway, browser: WebDriver) -> None:
    await known_traffic(gw)
    as_principal(browser, OPS)
    # The profiles reach their store every 2 s.
    settles(browser, f"{gw.base}/ui/backends/alpha",
            lambda d: tool_cell(d, "echo", "calls") == "3" and tool_cell(d, "fail", "calls") == "1",
            what="alpha's echo and fail calls in the profiles")
    assert "alpha" in text_at(browser, "h1")
    assert {r.get_attribute("data-tool") for r in css(browser, "table#tools tr[data-tool]")} == harness.BACKEND_TOOLS
    assert tool_cell(browser, "echo", "tool") == "echo"
    # The description, or its first sentence (as the search index summarizes it).
    assert tool_cell(browser, "echo", "description").startswith("Echo the given text back unchanged")
    assert nothing(tool_cell(browser, "echo", "errors")), tool_cell(browser, "echo", "errors")
    assert number(tool_cell(browser, "fail", "errors")) > 0
    for cell in ("p50", "p95"):
        assert re.search(r"\d", tool_cell(browser, "echo", cell)), tool_cell(browser, "echo", cell)
    assert tool_cell(browser, "echo", "last-used") not in ("", "never")
    # A tool nobody called.
    assert tool_cell(browser, "hang", "calls") == "0"
    assert tool_cell(browser, "hang", "p50") == DASH and tool_cell(browser, "hang", "p95") == DASH
    assert tool_cell(browser, "hang", "last-used") == "never"
    # Nothing pending, profiles on.
    assert all(text(c) == "" for c in css(browser, "table#tools td.pin"))
    assert css(browser, "form.approve") == [] and css(browser, "#profiles-off") == []

    settles(browser, f"{gw.base}/ui/backends/beta", lambda d: tool_cell(d, "echo", "calls") == "1",
            what="beta's echo call in the profiles")
    assert tool_cell(browser, "echo", "calls") == "1" and tool_cell(browser, "add", "calls") == "0"
    # Unknown, or hidden from the principal: 404.
    assert get(gw, "/ui/backends/nosuch", OPS).status_code == 404
    assert get(gw, "/ui/backends/beta", NARROW).status_code == 404
    assert get(gw, "/ui/backends/alpha", NARROW).status_code == 200


async def test_search_page_ranks_like_the_meta_tool(gw: harness.Gateway, browser: WebDriver) -> None:
    await known_traffic(gw)
    as_principal(browser, OPS)
    browser.get(f"{gw.base}/ui/search")
    box = browser.find_element(By.CSS_SELECTOR, "form#search-form input[name=q]")
    box.send_keys("echo")
    box.submit()
    wait(browser).until(lambda d: parse_qs(urlparse(d.current_url).query).get("q") == ["echo"] and hits(d))
    shown = hits(browser)
    assert {shown[0][:2], shown[1][:2]} == {("alpha", "echo"), ("beta", "echo")}, shown[:4]
    assert all(re.fullmatch(r"\d+\.\d{3}", s) for _, _, s in shown), shown
    assert [float(s) for _, _, s in shown] == sorted((float(s) for _, _, s in shown), reverse=True)
    first = css(browser, "ol#search-hits li.hit")[0]
    assert text(first.find_element(By.CSS_SELECTOR, ".hit-description")).startswith("Echo the given text back unchanged")
    async with harness.keyed_client(gw, OPS) as c:
        found = harness.structured(await c.call_tool("gateway_search_tools", {"query": "echo"}))
    expected = [(m["server"], m["tool"], f"{m['score']:.3f}") for m in found["matches"]]
    n = min(len(expected), len(shown))
    assert n >= 2 and shown[:n] == expected[:n], (shown[:n], expected[:n])

    browser.get(f"{gw.base}/ui/search?q=qqzzxxvvkk")
    assert css(browser, "#no-hits") and hits(browser) == []

    # A query naming several needs: each hit says which part of it it answers, as the meta-tool does.
    # Typed into the form, as a person does: the browser sends the spaces as '+'.
    box = browser.find_element(By.CSS_SELECTOR, "form#search-form input[name=q]")
    box.clear()
    box.send_keys("echo some text back, then add two integers")
    box.submit()
    wait(browser).until(lambda d: "then" in (parse_qs(urlparse(d.current_url).query).get("q") or [""])[0] and hits(d))
    assert browser.find_element(By.CSS_SELECTOR, "form#search-form input[name=q]").get_attribute("value") == \
        "echo some text back, then add two integers"
    needs = {text(li.find_element(By.CSS_SELECTOR, ".hit-tool")): [text(n) for n in li.find_elements(By.CSS_SELECTOR, ".hit-need")]
             for li in css(browser, "ol#search-hits li.hit")}
    assert needs.get("echo") == ["for: echo some text back"], needs
    assert needs.get("add") == ["for: add two integers"], needs

    # The same visibility as the meta-tool: `narrow` sees alpha only.
    as_principal(browser, NARROW)
    browser.get(f"{gw.base}/ui/search?q=echo")
    narrow = hits(browser)
    assert narrow and {s for s, _, _ in narrow} == {"alpha"}, narrow
    async with harness.keyed_client(gw, NARROW) as c:
        found = harness.structured(await c.call_tool("gateway_search_tools", {"query": "echo"}))
    expected = [(m["server"], m["tool"], f"{m['score']:.3f}") for m in found["matches"]]
    n = min(len(expected), len(narrow))
    assert narrow[:n] == expected[:n], (narrow[:n], expected[:n])
    browser.get(f"{gw.base}/ui")
    assert int(number(text_at(browser, "#summary-tools"))) == N_TOOLS


async def test_config_page_before_any_reload(gw: harness.Gateway, browser: WebDriver) -> None:
    as_principal(browser, OPS)
    browser.get(f"{gw.base}/ui/config")
    shown = text_at(browser, "#config-path")
    assert shown == str(gw.config) or Path(shown).resolve() == gw.config.resolve(), shown
    assert text_at(browser, "#reload-status") == "none yet"
    assert css(browser, "ul#config-errors li") == [] and css(browser, "ul#pending-restart li") == []
    form = browser.find_element(By.CSS_SELECTOR, "form#reload-form")
    assert form.find_element(By.CSS_SELECTOR, "input[name=csrf]").get_dom_attribute("value")
    assert css(browser, "button#reload-button")


async def test_audit_page_lists_the_calls_and_filters_them_exactly(gw: harness.Gateway, browser: WebDriver) -> None:
    await known_traffic(gw)
    as_principal(browser, OPS)
    # The trail is written by a thread of its own, shortly after the calls.
    settles(browser, f"{gw.base}/ui/audit", lambda d: ("viewer", "beta", "echo", "ok") in audit_rows(d),
            what="the viewer's call in the audit page")
    assert css(browser, "#audit-off") == []
    rows = audit_rows(browser)
    assert rows.count(("ops", "alpha", "echo", "ok")) == 3, rows
    assert rows.count(("ops", "alpha", "fail", "tool_error")) == 1, rows
    newest = rows.index(("viewer", "beta", "echo", "ok"))
    assert all(newest < i for i, r in enumerate(rows) if r[0] == "ops"), rows  # newest first
    assert len(rows) <= 200

    # The filter form (GET).
    box = browser.find_element(By.CSS_SELECTOR, "form#audit-filter input[name=principal]")
    box.clear()
    box.send_keys("viewer")
    box.submit()
    wait(browser).until(lambda d: parse_qs(urlparse(d.current_url).query).get("principal") == ["viewer"])
    rows = audit_rows(browser)
    assert ("viewer", "beta", "echo", "ok") in rows and all(r[0] == "viewer" for r in rows), rows

    def filtered(query: str) -> list[tuple[str, str, str, str]]:
        browser.get(f"{gw.base}/ui/audit?{query}")
        return audit_rows(browser)

    rows = filtered("server=alpha")
    assert rows.count(("ops", "alpha", "echo", "ok")) == 3 and all(r[1] == "alpha" for r in rows), rows
    rows = filtered("outcome=tool_error")
    assert ("ops", "alpha", "fail", "tool_error") in rows and all(r[3] == "tool_error" for r in rows), rows
    rows = filtered("principal=ops&server=alpha&outcome=ok")
    assert rows == [("ops", "alpha", "echo", "ok")] * 3, rows
    assert filtered("principal=view") == []  # equality, not a prefix
    assert filtered("principal=ops&server=beta") == []
    for name in ("principal", "server", "outcome"):
        assert css(browser, f"form#audit-filter input[name={name}]"), name


# --------------------------------------------------------------------------------------------
# live updates
# --------------------------------------------------------------------------------------------


async def test_calls_arrive_live_without_a_reload(gw: harness.Gateway, browser: WebDriver) -> None:
    await known_traffic(gw)
    as_principal(browser, OPS)
    browser.get(f"{gw.base}/ui")
    wait_live(browser)
    browser.execute_script("window.__sameDocument = 'yes';")
    rate_before = number(text_at(browser, "#summary-rate"))

    async with harness.keyed_client(gw, VIEWER) as c:
        for i in range(LIVE_CALLS):
            await harness.invoke(c, "alpha", "add", {"a": i, "b": 1})
        assert harness.text_of(await harness.invoke(c, "beta", "pid")).strip().isdigit()

    wait(browser, 15).until(lambda d: call_rows(d)[:1] == [("viewer", "beta", "pid", "ok")],
                            "the last call never arrived at the top of the overview")
    assert browser.execute_script("return window.__sameDocument") == "yes", "the page was reloaded"
    rows = call_rows(browser)
    assert len(rows) == 20, f"the overview keeps at most 20 rows, it has {len(rows)}"
    assert rows[1:] == [("viewer", "alpha", "add", "ok")] * 19, rows
    assert text_at(browser, "#live-status") == "live"
    # The summary follows (a summary event every 2 s): every one of those calls is in the last minute.
    wait(browser, 10).until(lambda d: number(text_at(d, "#summary-rate")) >= LIVE_CALLS + 1,
                            "#summary-rate did not count the new calls")
    assert number(text_at(browser, "#summary-rate")) > rate_before
    assert browser.execute_script("return window.__sameDocument") == "yes"

    browser.get(f"{gw.base}/ui/calls")
    wait_live(browser)
    rows = call_rows(browser)
    assert LIVE_CALLS + 1 < len(rows) <= 100, len(rows)
    assert rows[0] == ("viewer", "beta", "pid", "ok")


async def test_events_stream_summaries_and_calls(gw: harness.Gateway) -> None:
    async with httpx.AsyncClient(headers={"X-API-Key": OPS}, timeout=httpx.Timeout(20)) as http:
        async with http.stream("GET", f"{gw.base}/ui/events") as r:
            assert r.status_code == 200
            assert r.headers["content-type"].startswith("text/event-stream")
            lines = r.aiter_lines()
            with anyio.fail_after(8):
                summary = await next_event(lines, "summary")
            assert set(summary) >= {"backends_up", "backends", "tools", "calls_last_minute", "error_percent",
                                    "p95_ms", "states"}, summary
            assert summary["backends"] == 2 and summary["tools"] == 2 * N_TOOLS, summary
            assert summary["states"] == {"alpha": "running", "beta": "running"}, summary
            async with harness.keyed_client(gw, VIEWER) as c:
                assert not (await harness.invoke(c, "beta", "add", {"a": 2, "b": 3})).is_error
            with anyio.fail_after(8):
                call = await next_event(lines, "call", lambda d: d.get("server") == "beta" and d.get("tool") == "add")
    assert set(call) == {"at", "principal", "server", "tool", "duration_ms", "outcome"}, call
    assert call["principal"] == "viewer" and call["outcome"] == "ok", call
    assert isinstance(call["duration_ms"], (int, float)) and call["duration_ms"] >= 0, call
    assert datetime.fromisoformat(call["at"]).tzinfo is not None, call


# --------------------------------------------------------------------------------------------
# who may do what
# --------------------------------------------------------------------------------------------


async def test_a_viewer_sees_every_page_without_admin_controls(gw: harness.Gateway, browser: WebDriver) -> None:
    await known_traffic(gw)
    for key in (VIEWER, NARROW):
        as_principal(browser, key)
        for path in PAGES.values():
            browser.get(gw.base + path)
            assert css(browser, "body")[0].get_attribute("data-admin") == "false", (key, path)
            shown = [c for c in ADMIN_CONTROLS if css(browser, c)]
            assert shown == [], f"{path} shows {shown} to a non-admin"
        browser.get(f"{gw.base}/ui")
        assert css(browser, "table#backends tr[data-backend]"), "a viewer sees the backends"
    for path in PAGES.values():
        r = get(gw, path, VIEWER)
        assert r.status_code == 200 and csrf_tokens(r.text) == set(), path
    # Other principals' calls and audit lines are for admins.
    as_principal(browser, VIEWER)
    browser.get(f"{gw.base}/ui/calls")
    rows = call_rows(browser)
    assert ("viewer", "beta", "echo", "ok") in rows and {r[0] for r in rows} == {"viewer"}, rows
    for query in ("", "?principal=ops"):
        browser.get(f"{gw.base}/ui/audit{query}")
        rows = audit_rows(browser)
        assert {r[0] for r in rows} <= {"viewer"}, (query, rows)


async def test_admin_posts_need_an_admin_and_its_csrf_token(gw: harness.Gateway) -> None:
    page = get(gw, "/ui", OPS)
    assert page.status_code == 200
    tokens = csrf_tokens(page.text)
    assert len(tokens) == 1 and "" not in tokens, f"one CSRF token for the principal's forms: {tokens}"
    token = tokens.pop()
    wrong = ("A" if token[:1] != "A" else "B") * len(token)
    actions = {"/ui/actions/restart": {"backend": "alpha"}, "/ui/actions/reload": {},
               "/ui/actions/approve": {"server": "alpha"}}
    pid_before = harness.text_of(await _alpha_pid(gw))
    for path, form in actions.items():
        for who, key, fields in (("viewer without a token", VIEWER, form),
                                 ("viewer with the admin's token", VIEWER, {**form, "csrf": token}),
                                 ("admin without a token", OPS, form),
                                 ("admin with a wrong token", OPS, {**form, "csrf": wrong}),
                                 ("admin with an empty token", OPS, {**form, "csrf": ""})):
            r = post(gw, path, key, fields)
            assert r.status_code == 403, f"{who}: POST {path} → {r.status_code} {r.text[:200]}"
        assert post(gw, path, None, {**form, "csrf": token}).status_code == 401, path
    # The admin and the token, from a page of another origin (as every route).
    foreign = httpx.post(f"{gw.base}/ui/actions/restart", data={"backend": "alpha", "csrf": token}, timeout=20,
                         headers={"X-API-Key": OPS, "Origin": "http://localhost:3000"}, follow_redirects=False)
    assert foreign.status_code == 403, foreign.text[:200]
    assert harness.text_of(await _alpha_pid(gw)) == pid_before, "a refused restart restarted alpha"
    # The token works (a reload of the unchanged file).
    ok = post(gw, "/ui/actions/reload", OPS, {"csrf": token})
    assert ok.status_code == 303, ok.text[:300]
    assert urlparse(ok.headers["location"]).path == "/ui/config"
    assert "done" in parse_qs(urlparse(ok.headers["location"]).query)


async def _alpha_pid(gw: harness.Gateway) -> Any:
    async with harness.keyed_client(gw, OPS) as c:
        return await harness.invoke(c, "alpha", "pid")


def test_every_route_needs_a_key(gw: harness.Gateway) -> None:
    for path in ("/ui", "/ui/calls", "/ui/audit", "/ui/config", "/ui/search?q=echo", "/ui/backends/alpha",
                 "/ui/events"):
        assert get(gw, path, None).status_code == 401, path
        assert get(gw, path, "wrong-key-0000000000").status_code == 401, path
    # What a browser needs before it has logged in holds no data: the stylesheet, the script, the login form.
    for path in ("/ui/assets/dashboard.js", "/ui/assets/dashboard.css", "/ui/login"):
        assert get(gw, path, None).status_code == 200, path


# --------------------------------------------------------------------------------------------
# console, screenshots
# --------------------------------------------------------------------------------------------


async def test_no_page_logs_a_console_error(gw: harness.Gateway, browser: WebDriver) -> None:
    await known_traffic(gw)
    console_errors(browser)  # drop what earlier tests left
    for key in (OPS, VIEWER):
        as_principal(browser, key)
        for name, path in PAGES.items():
            browser.get(gw.base + path)
            if name in ("overview", "calls"):
                wait_live(browser)
                # Let the page handle a call event and a summary event.
                async with harness.keyed_client(gw, key) as c:
                    await harness.invoke(c, "alpha", "add", {"a": 1, "b": 1})
                wait(browser).until(lambda d: call_rows(d)[:1] == [("ops" if key == OPS else "viewer", "alpha", "add", "ok")])
                time.sleep(2.5)
            assert console_errors(browser) == [], f"{name} ({'admin' if key == OPS else 'viewer'})"


async def test_screenshots_of_every_page(gw: harness.Gateway, browser: WebDriver, log_dir: Path) -> None:
    await known_traffic(gw)
    async with harness.keyed_client(gw, OPS) as c:  # calls in the last minute, for the summary
        for i in range(2):
            await harness.invoke(c, "alpha", "add", {"a": i, "b": 2})
    out = harness.REPO_ROOT / "docs" / "dashboard" if os.environ.get("DASHBOARD_SCREENSHOTS") == "1" \
        else log_dir / "screenshots"
    as_principal(browser, OPS)
    ready: dict[str, Callable[[WebDriver], Any]] = {
        "overview": lambda d: text_at(d, "#live-status") == "live" and number(text_at(d, "#summary-rate")) > 0,
        "backend": lambda d: tool_cell(d, "echo", "calls") != "0",
        "calls": lambda d: text_at(d, "#live-status") == "live" and call_rows(d),
        "audit": lambda d: audit_rows(d),
        "config": lambda d: text_at(d, "#reload-status"),
        "search": lambda d: hits(d),
    }
    for name, path in PAGES.items():
        browser.get(gw.base + path)
        wait(browser, 15).until(ready[name], f"{name} page not ready for its screenshot")
        shot = screenshot(browser, out / f"{name}.png")
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5000, shot


# --------------------------------------------------------------------------------------------
# admin actions
# --------------------------------------------------------------------------------------------


async def test_admin_restarts_a_backend_from_the_overview(gw: harness.Gateway, browser: WebDriver) -> None:
    pid_before = harness.text_of(await _alpha_pid(gw))
    as_principal(browser, OPS)
    settles(browser, f"{gw.base}/ui", lambda d: backend_cell(d, "alpha", "state") == "running",
            what="alpha running")
    assert backend_cell(browser, "alpha", "restarts") == "0"
    click(browser, 'tr[data-backend="alpha"] button.restart-button')
    wait_flash(browser, lambda f: "restarted alpha" in f, "'restarted alpha'")
    assert urlparse(browser.current_url).path == "/ui"
    settles(browser, f"{gw.base}/ui",
            lambda d: backend_cell(d, "alpha", "restarts") == "1" and backend_cell(d, "alpha", "state") == "running",
            timeout=20, what="alpha restarted once and running")
    assert backend_cell(browser, "beta", "restarts") == "0"
    assert css(browser, "#flash") == []
    pid_after = harness.text_of(await _alpha_pid(gw))
    assert pid_after != pid_before, "alpha still runs the same process"


def test_admin_reloads_the_config_from_the_page(gw: harness.Gateway, browser: WebDriver, log_dir: Path,
                                                beta: harness.HttpBackend) -> None:
    as_principal(browser, OPS)
    good = harness.to_yaml(config_dict(log_dir, beta))
    try:
        # A broken file: refused, its errors listed, the running config kept.
        replace_file(gw.config, good + "bogus_section: 1\n")
        browser.get(f"{gw.base}/ui/config")
        click(browser, "#reload-button")
        wait_flash(browser, lambda f: f.startswith("config refused:"), "'config refused: N errors'")
        assert urlparse(browser.current_url).path == "/ui/config"
        m = re.match(r"config refused: (\d+) errors?", flash(browser))
        assert m, flash(browser)
        errors = [text(li) for li in css(browser, "ul#config-errors li")]
        assert len(errors) == int(m.group(1)) >= 1 and "bogus_section" in " ".join(errors), errors
        assert text_at(browser, "#reload-status") == "refused"

        # A new backend: applied, and listed on the overview.
        gamma = harness.to_yaml(config_dict(log_dir, beta, gamma=harness.stdio_backend("gamma")))
        replace_file(gw.config, gamma)
        browser.get(f"{gw.base}/ui/config")
        click(browser, "#reload-button")
        wait_flash(browser, lambda f: "config reloaded" in f, "'config reloaded'")
        assert urlparse(browser.current_url).path == "/ui/config"
        assert text_at(browser, "#reload-status") == "applied"
        assert css(browser, "ul#config-errors li") == []
        settles(browser, f"{gw.base}/ui", lambda d: css(d, 'table#backends tr[data-backend="gamma"]'),
                what="gamma on the overview")
        assert text_at(browser, "#summary-backends").endswith("/3")
        link = browser.find_element(By.CSS_SELECTOR, 'tr[data-backend="gamma"] td.name a.backend-link')
        assert urlparse(raw_href(link)).path == "/ui/backends/gamma"
    finally:
        replace_file(gw.config, good)


async def test_admin_approves_a_pinned_change_without_auth(local_gw: harness.Gateway, browser: WebDriver) -> None:
    """No auth: the local caller is an admin. A tool alpha adds at run time is a pending pin change
    (warn mode: listed and flagged); the backend page offers its approval."""
    async with harness.gw_client(local_gw) as c:
        assert "echo" in {t["name"] for t in harness.structured(
            await c.call_tool("gateway_list_tools", {"server": "alpha"}))["tools"]}
        assert local_gw.health()["pinning"]["pending_total"] == 0
        assert harness.text_of(await harness.invoke(c, "alpha", "grow", {"name": "sprout"})) == "added sprout"
        with anyio.fail_after(10):
            while local_gw.health()["pinning"]["pending_total"] == 0:
                await anyio.sleep(0.05)
    as_principal(browser, None)
    url = f"{local_gw.base}/ui/backends/alpha"
    settles(browser, url, lambda d: tool_cell(d, "sprout", "pin") == "changed", what="sprout flagged")
    assert css(browser, "body")[0].get_attribute("data-admin") == "true"
    assert tool_cell(browser, "echo", "pin") == ""
    form = browser.find_element(By.CSS_SELECTOR, "form.approve")
    assert urlparse(form.get_dom_attribute("action") or "").path == "/ui/actions/approve"
    assert form.find_element(By.CSS_SELECTOR, "input[name=server]").get_dom_attribute("value") == "alpha"
    assert form.find_element(By.CSS_SELECTOR, "input[name=csrf]").get_dom_attribute("value")
    sprout_form = [f for f in css(browser, "form.approve")
                   if any(i.get_dom_attribute("value") == "sprout" for i in f.find_elements(By.CSS_SELECTOR, "input[name=tool]"))]
    (sprout_form or [form])[0].find_element(By.CSS_SELECTOR, "button.approve-button").click()
    wait_flash(browser, lambda f: f.startswith("approved"), "'approved ...'")
    assert urlparse(browser.current_url).path == "/ui/backends/alpha"
    settles(browser, url, lambda d: tool_cell(d, "sprout", "pin") == "" and not css(d, ".approve-button"),
            what="sprout approved")
    assert local_gw.health()["pinning"]["pending_total"] == 0
    # Profiles off, no audit trail: the pages say so.
    assert css(browser, "#profiles-off")
    browser.get(f"{local_gw.base}/ui/audit")
    assert css(browser, "#audit-off")


def test_dashboard_false_removes_the_routes(tmp_path: Path) -> None:
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")}, extra={"telemetry": {"dashboard": False}})
    with harness.running_gateway(harness.write_config(tmp_path / "off.yaml", cfg), tmp_path) as g:
        for path in ("/ui", "/ui/calls", "/ui/events", "/ui/assets/dashboard.js"):
            assert get(g, path, None).status_code == 404, path
        # The gateway itself serves on.
        assert httpx.get(f"{g.base}/ready", timeout=10).status_code == 200
        g.health()
