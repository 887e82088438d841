"""The dashboard's browser login (`/ui/login`), driven in headless Chromium against a real gateway.

The contract is docs/dashboard.md ("Logging in"). One gateway with a stdio backend (`alpha`) and
two API keys: `ops` (admin) and `viewer`. The browser sends no key header: it logs in with the
form and holds the session cookie.

- A page asked for without a credential sends the browser to the login page, which comes back
  to that page after a login; a wrong key shows the form again with a generic error, 401, no
  cookie, and a warning in the log without the key.
- An admin's session shows the admin controls and the Log out button, keeps the live stream
  open, and a restart clicked in the page restarts the backend; a viewer's shows no control.
- The cookie: HttpOnly, SameSite=Strict, Path=/ui, not Secure over plain HTTP (Secure over TLS,
  checked against a TLS gateway); it authenticates nothing outside /ui (POST /mcp,
  /mcp/{backend}, /metrics answer 401 to it) and nothing when a key header is sent too.
- Logout (with the CSRF token) ends the session: /ui sends the browser to log in again and the
  old cookie is refused. `next` pointing at another site ends at /ui. A reload that changes the
  keys ends every session; the dashboard's own reload of an unchanged file does not.
- A JWT of the configured issuer logs in too (its admin group makes an admin); its session's
  Max-Age ends with the token's `exp`, and an expired token is refused.
- Without auth, /ui/login sends the browser to /ui. The login and logout POSTs pass the Origin
  check. No secret (key, cookie, token) reaches the gateway's log.
"""
from __future__ import annotations

import json
import re
import ssl
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

import harness
from browser_fixture import browser, console_errors  # noqa: F401  (browser is a fixture)
from oauth_fixture import oauth_config, running_issuer
from test_dashboard import ADMIN_CONTROLS, backend_cell, click, css, replace_file, settles, text_at, wait, wait_flash, wait_live
from test_tls import make_ca, make_leaf

pytestmark = pytest.mark.anyio

OPS = "ops-login-key-5c1e9a7d3b"
VIEWER = "viewer-login-key-8f2b6d4a0e"
WRONG = "wrong-login-key-0000000000"
COOKIE = "mcp_gateway_ui"
MCP_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


def config_dict(keys: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    keys = keys if keys is not None else [{"name": "ops", "key": OPS, "admin": True}, {"name": "viewer", "key": VIEWER}]
    return harness.make_config({"alpha": harness.stdio_backend("alpha")}, extra={"auth": {"api_keys": keys}})


@pytest.fixture(scope="module")
def gw(log_dir: Path) -> Iterator[harness.Gateway]:
    g = harness.start_gateway(harness.write_config(log_dir / "login.yaml", config_dict()), log_dir)
    yield g
    g.stop()


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def fresh(driver: WebDriver, gw: harness.Gateway) -> None:
    """A browser with no session for this gateway (cookies are per host, not per port)."""
    driver.get(f"{gw.base}/ui/login")  # a page with its own icon: no /favicon.ico to be refused
    driver.delete_all_cookies()
    console_errors(driver)


def log_in(driver: WebDriver, key: str) -> None:
    """Fills the login form the browser is on and sends it."""
    assert urlparse(driver.current_url).path == "/ui/login", driver.current_url
    field = driver.find_element(By.ID, "credential")
    assert field.get_dom_attribute("type") == "password"
    field.send_keys(key)
    driver.find_element(By.ID, "login-button").click()


def login_as(driver: WebDriver, gw: harness.Gateway, key: str, path: str = "/ui") -> None:
    fresh(driver, gw)
    driver.get(gw.base + path)
    log_in(driver, key)
    wait(driver).until(lambda d: urlparse(d.current_url).path == urlparse(path).path, f"not back at {path}")


def session_cookie(driver: WebDriver) -> dict[str, Any] | None:
    return next((c for c in driver.get_cookies() if c["name"] == COOKIE), None)


def status(gw: harness.Gateway, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, str]:
    """(status, response head) of a raw request."""
    code, head, _ = harness.raw_request(gw.port, method, path, headers, body)
    return code, head.decode(errors="replace")


def header(head: str, name: str) -> str | None:
    m = re.search(rf"^{name}: (.*)$", head, re.IGNORECASE | re.MULTILINE)
    return m.group(1).strip() if m else None


def post_login(gw: harness.Gateway, credential: str, next_path: str = "/ui", **headers: str) -> tuple[int, str]:
    body = urlencode({"credential": credential, "next": next_path}).encode()
    return status(gw, "POST", "/ui/login", {"Content-Type": "application/x-www-form-urlencoded", **headers}, body)


def cookie_from(head: str) -> str:
    set_cookie = header(head, "Set-Cookie")
    assert set_cookie and set_cookie.startswith(f"{COOKIE}="), head
    return set_cookie.split(";", 1)[0].split("=", 1)[1]


async def alpha_pid(gw: harness.Gateway) -> str:
    async with harness.keyed_client(gw, OPS) as c:
        return harness.text_of(await harness.invoke(c, "alpha", "pid"))


def assert_no_secrets_logged(gw: harness.Gateway, *secrets: str) -> None:
    log = gw.log.read_text(errors="replace")
    for secret in secrets:
        assert secret not in log, "a secret reached the gateway's log"


# --------------------------------------------------------------------------------------------
# logging in
# --------------------------------------------------------------------------------------------


def test_a_browser_is_sent_to_log_in_and_a_wrong_key_is_refused(gw: harness.Gateway, browser: WebDriver) -> None:
    fresh(browser, gw)
    browser.get(f"{gw.base}/ui/calls")
    url = urlparse(browser.current_url)
    assert url.path == "/ui/login" and parse_qs(url.query) == {"next": ["/ui/calls"]}, browser.current_url
    # The same look (the stylesheet), no navigation, no script.
    assert css(browser, 'link[rel=stylesheet][href="/ui/assets/dashboard.css"]')
    assert css(browser, "nav") == [] and css(browser, "script") == []
    assert "API key or bearer token" in text_at(browser, "#login-form")
    log_in(browser, WRONG)
    wait(browser).until(lambda d: css(d, "#login-error"))
    assert text_at(browser, "#login-error") == "That API key or token was not accepted."
    assert urlparse(browser.current_url).path == "/ui/login"
    assert session_cookie(browser) is None
    # Chromium reports the 401 of the refused login itself, and nothing else.
    assert all("401" in e["message"] for e in console_errors(browser)), "a console error on the login page"
    # The same over the wire: 401, the form again, no cookie; a warning without the key.
    code, head = post_login(gw, WRONG, "/ui/calls")
    assert code == 401 and header(head, "Set-Cookie") is None, head
    code, _ = post_login(gw, "", "/ui/calls")
    assert code == 401
    assert "dashboard login refused" in gw.log.read_text(errors="replace")
    assert_no_secrets_logged(gw, WRONG)


async def test_an_admin_logs_in_sees_the_controls_and_restarts_a_backend(gw: harness.Gateway, browser: WebDriver) -> None:
    pid_before = await alpha_pid(gw)
    fresh(browser, gw)
    browser.get(f"{gw.base}/ui/calls")
    log_in(browser, OPS)
    wait(browser).until(lambda d: urlparse(d.current_url).path == "/ui/calls", "not back at /ui/calls")
    cookie = session_cookie(browser)
    assert cookie is not None
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict" and cookie["path"] == "/ui"
    assert cookie["secure"] is False
    assert 8 * 3600 - 120 < cookie["expiry"] - time.time() <= 8 * 3600 + 5, cookie
    assert browser.execute_script("return document.cookie") == "", "a script can read the session cookie"
    wait_live(browser)  # the event stream is admitted by the cookie too

    settles(browser, f"{gw.base}/ui", lambda d: backend_cell(d, "alpha", "state") == "running", what="alpha running")
    assert css(browser, "body")[0].get_attribute("data-admin") == "true"
    assert text_at(browser, ".who").startswith("ops · admin")
    assert css(browser, "#logout-button") and css(browser, ".restart-button") and css(browser, "#reload-button")
    click(browser, 'tr[data-backend="alpha"] button.restart-button')
    wait_flash(browser, lambda f: "restarted alpha" in f, "'restarted alpha'")
    assert await alpha_pid(gw) != pid_before, "alpha still runs the same process"
    assert console_errors(browser) == []


def test_the_cookie_authenticates_nothing_outside_ui(gw: harness.Gateway, browser: WebDriver) -> None:
    login_as(browser, gw, OPS)
    cookie = session_cookie(browser)
    assert cookie is not None
    jar = {"Cookie": f"theme=dark; {COOKIE}={cookie['value']}"}
    assert status(gw, "GET", "/ui", jar)[0] == 200, "the cookie works under /ui"
    body = json.dumps(harness.initialize_body()).encode()
    assert status(gw, "POST", "/mcp", {**MCP_HEADERS, **jar}, body)[0] == 401
    call = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                       "params": {"name": "echo", "arguments": {"text": "hi"}}}).encode()
    assert status(gw, "POST", "/mcp/alpha", {**MCP_HEADERS, **jar}, call)[0] == 401
    assert status(gw, "GET", "/metrics", jar)[0] == 401
    assert status(gw, "GET", "/ui/../metrics", jar)[0] in (401, 404)
    assert status(gw, "GET", "/sse", {**jar, "Accept": "text/event-stream"})[0] == 401
    # A key header is what counts when one is sent: a wrong one is refused despite the cookie.
    assert status(gw, "GET", "/ui", {**jar, "X-API-Key": WRONG})[0] == 401
    assert status(gw, "GET", "/ui", {**jar, "Authorization": f"Bearer {WRONG}"})[0] == 401
    # The same requests with the key itself are served (the refusals above are the cookie's).
    assert status(gw, "POST", "/mcp", {**MCP_HEADERS, "X-API-Key": OPS}, body)[0] == 200
    assert status(gw, "GET", "/metrics", {"X-API-Key": OPS})[0] == 200


def test_a_viewer_logs_in_without_admin_controls(gw: harness.Gateway, browser: WebDriver) -> None:
    login_as(browser, gw, VIEWER, "/ui/config")
    browser.get(f"{gw.base}/ui")
    assert css(browser, "body")[0].get_attribute("data-admin") == "false"
    assert text_at(browser, ".who").startswith("viewer ·") and "admin" not in text_at(browser, ".who")
    for selector in ADMIN_CONTROLS:
        found = css(browser, selector)
        if selector == "input[name=csrf]":  # the logout form's only
            assert [f.find_element(By.XPATH, "./ancestor::form").get_attribute("id") for f in found] == ["logout-form"]
        else:
            assert found == [], selector
    assert css(browser, "#logout-button")
    # An admin action with the viewer's session and token: 403.
    cookie = session_cookie(browser)
    assert cookie is not None
    token = browser.find_element(By.CSS_SELECTOR, "#logout-form input[name=csrf]").get_dom_attribute("value")
    code, _ = status(gw, "POST", "/ui/actions/restart", {"Content-Type": "application/x-www-form-urlencoded",
                                                          "Cookie": f"{COOKIE}={cookie['value']}"},
                     f"backend=alpha&csrf={token}".encode())
    assert code == 403


def test_logout_ends_the_session(gw: harness.Gateway, browser: WebDriver) -> None:
    login_as(browser, gw, OPS)
    old = session_cookie(browser)
    assert old is not None
    jar = {"Cookie": f"{COOKIE}={old['value']}"}
    # Without the CSRF token the logout is refused and the session lives on.
    assert status(gw, "POST", "/ui/logout", {**jar, "Content-Type": "application/x-www-form-urlencoded"}, b"")[0] == 403
    assert status(gw, "GET", "/ui", jar)[0] == 200
    click(browser, "#logout-button")
    wait(browser).until(lambda d: urlparse(d.current_url).path == "/ui/login", "not at the login page after logout")
    assert session_cookie(browser) is None
    browser.get(f"{gw.base}/ui")
    assert urlparse(browser.current_url).path == "/ui/login"
    assert status(gw, "GET", "/ui", jar)[0] == 401
    code, head = status(gw, "GET", "/ui/calls", {**jar, "Accept": "text/html"})
    assert code == 303 and header(head, "Location") == "/ui/login?next=/ui/calls"


def test_next_pointing_elsewhere_ends_at_the_overview(gw: harness.Gateway, browser: WebDriver) -> None:
    fresh(browser, gw)
    browser.get(f"{gw.base}/ui/login?next=https://evil.example/")
    log_in(browser, OPS)
    wait(browser).until(lambda d: urlparse(d.current_url).path == "/ui", "not at /ui")
    assert browser.current_url == f"{gw.base}/ui"
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "/ui/../mcp", "/metrics"):
        code, head = post_login(gw, VIEWER, target)
        assert code == 303 and header(head, "Location") == "/ui", (target, head)
    code, head = post_login(gw, VIEWER, "/ui/search?q=echo")
    assert code == 303 and header(head, "Location") == "/ui/search?q=echo"


def test_login_and_logout_pass_the_origin_check(gw: harness.Gateway) -> None:
    assert post_login(gw, OPS, "/ui", Origin="https://evil.example")[0] == 403
    assert post_login(gw, OPS, "/ui", Origin=gw.base)[0] == 303
    code, head = post_login(gw, OPS)
    cookie = cookie_from(head)
    code, _ = status(gw, "POST", "/ui/logout", {"Cookie": f"{COOKIE}={cookie}", "Origin": "https://evil.example",
                                                "Content-Type": "application/x-www-form-urlencoded"}, b"csrf=x")
    assert code == 403
    assert status(gw, "GET", "/ui/login", {"Host": "evil.example"})[0] == 403


def test_a_reload_that_changes_the_keys_ends_every_session(gw: harness.Gateway, browser: WebDriver) -> None:
    login_as(browser, gw, OPS, "/ui/config")
    cookie = session_cookie(browser)
    assert cookie is not None
    jar = {"Cookie": f"{COOKIE}={cookie['value']}"}
    # The dashboard's own reload of an unchanged file keeps the admin logged in.
    click(browser, "#reload-button")
    wait_flash(browser, lambda f: "config reloaded" in f, "'config reloaded'")
    assert status(gw, "GET", "/ui", jar)[0] == 200
    good = harness.to_yaml(config_dict())
    try:
        # The viewer's key rotated: whatever the keys granted is granted again, by a login.
        replace_file(gw.config, harness.to_yaml(config_dict([{"name": "ops", "key": OPS, "admin": True},
                                                              {"name": "viewer", "key": VIEWER + "-2"}])))
        deadline = time.monotonic() + 15
        while status(gw, "GET", "/ui", jar)[0] != 401:
            assert time.monotonic() < deadline, "the session outlived a reload that changed the keys"
            time.sleep(0.2)
        browser.get(f"{gw.base}/ui")
        assert urlparse(browser.current_url).path == "/ui/login"
        log_in(browser, OPS)
        wait(browser).until(lambda d: urlparse(d.current_url).path == "/ui", "not at /ui after logging in again")
    finally:
        replace_file(gw.config, good)
        deadline = time.monotonic() + 15
        while status(gw, "GET", "/ui", {"X-API-Key": VIEWER})[0] != 200:  # the restored keys are in force
            assert time.monotonic() < deadline, "the restored config was not reloaded"
            time.sleep(0.2)


def test_no_secret_reaches_the_log(gw: harness.Gateway, browser: WebDriver) -> None:
    login_as(browser, gw, VIEWER)
    cookie = session_cookie(browser)
    assert cookie is not None
    assert "principal=viewer" in gw.log.read_text(errors="replace")
    assert_no_secrets_logged(gw, OPS, VIEWER, WRONG, cookie["value"])
    assert cookie["value"] not in httpx.get(f"{gw.base}/health", headers={"X-API-Key": OPS}, timeout=10).text


# --------------------------------------------------------------------------------------------
# a JWT, without auth, over TLS
# --------------------------------------------------------------------------------------------


def test_a_jwt_session_ends_with_the_token(tmp_path: Path) -> None:
    port = harness.free_port()
    with running_issuer(f"http://127.0.0.1:{port}/mcp", tmp_path) as issuer:
        cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")}, port=port, extra={"auth": {
            "oauth": oauth_config(issuer, admin_groups=["ops"])}})
        with harness.running_gateway(harness.write_config(tmp_path / "jwt.yaml", cfg), tmp_path, port=port) as g:
            token = issuer.mint({"exp": int(time.time()) + 120, "groups": ["ops"]})
            code, head = post_login(g, token)
            assert code == 303, head
            max_age = int(re.search(r"Max-Age=(\d+)", header(head, "Set-Cookie") or "").group(1))  # type: ignore[union-attr]
            assert 100 <= max_age <= 120, head
            page = httpx.get(f"{g.base}/ui", headers={"Cookie": f"{COOKIE}={cookie_from(head)}"}, timeout=10)
            assert page.status_code == 200 and 'data-admin="true"' in page.text
            assert post_login(g, issuer.mint(bad="expired"))[0] == 401
            assert "eyJ" not in g.log.read_text(errors="replace"), "a token reached the gateway's log"


def test_without_auth_the_login_page_sends_to_the_overview(tmp_path: Path, browser: WebDriver) -> None:
    cfg = harness.make_config({"alpha": harness.stdio_backend("alpha")})
    with harness.running_gateway(harness.write_config(tmp_path / "open.yaml", cfg), tmp_path) as g:
        code, head = status(g, "GET", "/ui/login", {})
        assert code == 303 and header(head, "Location") == "/ui"
        code, head = status(g, "POST", "/ui/login", {"Content-Type": "application/x-www-form-urlencoded"},
                            f"credential={OPS}".encode())
        assert code == 303 and header(head, "Set-Cookie") is None
        fresh(browser, g)
        browser.get(f"{g.base}/ui/login")
        assert browser.current_url == f"{g.base}/ui"
        assert css(browser, "body")[0].get_attribute("data-admin") == "true" and css(browser, "#logout-button") == []


def test_the_cookie_is_secure_over_tls(tmp_path: Path) -> None:
    make_ca(tmp_path, "ca")
    make_leaf(tmp_path, "server", "ca", "/CN=gateway", "subjectAltName=IP:127.0.0.1", "extendedKeyUsage=serverAuth")
    cfg = config_dict()
    cfg["mtls"] = {"server_cert": str(tmp_path / "server.pem"), "server_key": str(tmp_path / "server.key")}
    ctx = ssl.create_default_context(cafile=str(tmp_path / "ca.pem"))
    with harness.running_gateway(harness.write_config(tmp_path / "tls.yaml", cfg), tmp_path, tls=ctx) as g:
        r = httpx.post(f"{g.base}/ui/login", data={"credential": OPS, "next": "/ui"}, verify=ctx, timeout=10)
        assert r.status_code == 303
        assert r.headers["set-cookie"].endswith("; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=28800; Secure")
