"""Headless Chromium driven by Selenium, for the tests of the gateway's web dashboard (/ui).

    from browser_fixture import browser, screenshot  # noqa: F401

    def test_dashboard(browser, log_dir):
        browser.get(gateway_url + "/ui")
        WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.ID, "status"), "up"))
        screenshot(browser, log_dir / "ui.png")
        assert console_errors(browser) == []

The browser is Debian's `chromium` with its `chromium-driver` (scripts/setup-browser.sh installs
both); Selenium comes from the venv. `make_driver()` starts one outside pytest (the caller quits
it); the module-scoped `browser` fixture starts one per test module and quits it at the end.
Missing Chromium, chromedriver or Selenium: a clear skip by default, a failure when
MCP_INTEROP_REQUIRE_GATEWAY=1 (as for the gateway binary in harness.py). CHROMIUM_BIN and
CHROMEDRIVER_BIN override where the binaries are looked for.

The browser reaches 127.0.0.1 and localhost only: every other host name fails to resolve inside
Chromium (no DNS query leaves the machine), so its background calls to Google services (account
list, component updates, network time, which no flag fully turns off) fail at once instead of
waiting on the network.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver

#: Debian's launcher /usr/bin/chromium is a shell script that sources /etc/chromium.d (Google API
#: keys, --enable-remote-extensions, a /dev/shm probe that can print a shell warning); the binary
#: it runs is this one, which the fixture starts directly when it is there.
DEBIAN_CHROMIUM_REAL = Path("/usr/lib/chromium/chromium")
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
DEBIAN_CHROMEDRIVER = Path("/usr/bin/chromedriver")

#: Viewport of the page (CSS pixels). With --headless=new, --window-size sets the outer window and
#: the page gets ~140 px less height, so the viewport is also fixed through the DevTools protocol.
VIEWPORT = (1280, 800)

CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless=new",              # the real browser, without a display
    "--no-sandbox",                # CI runs as root, where Chromium refuses to start sandboxed
    "--disable-dev-shm-usage",     # shared memory in /tmp: a small /dev/shm (containers) crashes tabs
    f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}",
    "--disable-gpu",               # no GPU here; software rendering, no GPU-process probing
    "--mute-audio",
    # Nothing beyond 127.0.0.1: Chromium's background fetches (accounts.google.com/ListAccounts,
    # update.googleapis.com, clients2.google.com/time) happen even with the flags below, so every
    # other host resolves to "not found" inside the browser, without a DNS query.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    # Fewer of those background services in the first place (and less CPU at start-up).
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-client-side-phishing-detection",
    "--disable-domain-reliability",
    "--disable-breakpad",
    "--no-pings",
    "--metrics-recording-only",
    "--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,"
    "CertificateTransparencyComponentUpdater",
    # No first-run, default-browser or keyring prompts with the throwaway profile chromedriver makes.
    "--no-first-run",
    "--no-default-browser-check",
    "--password-store=basic",
    "--use-mock-keychain",
)


class BrowserUnavailable(RuntimeError):
    """Chromium, chromedriver or Selenium is not installed."""


def _first_executable(env_var: str, names: Sequence[str], fallback: Path) -> Path | None:
    override = os.environ.get(env_var)
    if override:
        p = Path(override)
        return p if p.is_file() and os.access(p, os.X_OK) else None
    for name in names:
        found = shutil.which(name)
        if found:
            return Path(found)
    return fallback if fallback.is_file() and os.access(fallback, os.X_OK) else None


def find_chromium() -> Path | None:
    """The Chromium binary: $CHROMIUM_BIN, else chromium on PATH, else /usr/bin/chromium.

    Debian's launcher script is replaced by the binary it runs (DEBIAN_CHROMIUM_REAL).
    """
    p = _first_executable("CHROMIUM_BIN", ("chromium", "chromium-browser"), DEBIAN_CHROMIUM)
    if (p is not None and "CHROMIUM_BIN" not in os.environ and p.resolve() == DEBIAN_CHROMIUM
            and os.access(DEBIAN_CHROMIUM_REAL, os.X_OK)):
        return DEBIAN_CHROMIUM_REAL
    return p


def find_chromedriver() -> Path | None:
    """The chromedriver binary: $CHROMEDRIVER_BIN, else chromedriver on PATH, else /usr/bin/chromedriver."""
    return _first_executable("CHROMEDRIVER_BIN", ("chromedriver",), DEBIAN_CHROMEDRIVER)


def make_driver(*, viewport: tuple[int, int] = VIEWPORT, extra_args: Sequence[str] = (),
                log_path: Path | None = None, page_load_timeout: float = 30) -> WebDriver:
    """A started headless Chromium WebDriver; the caller must quit() it.

    Raises BrowserUnavailable when Selenium, Chromium or chromedriver is missing; any other
    start-up failure (driver/browser mismatch, crash) propagates as Selenium's exception.
    `log_path` receives chromedriver's log (with Chromium's stderr), for debugging.
    """
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as e:
        raise BrowserUnavailable(
            f"Selenium is not installed ({e}); run scripts/setup-test-env.sh "
            "(Tests/interop/requirements.txt pins it)") from e
    chromium, chromedriver = find_chromium(), find_chromedriver()
    if chromium is None or chromedriver is None:
        missing = " and ".join(n for n, p in (("chromium", chromium), ("chromedriver", chromedriver)) if p is None)
        raise BrowserUnavailable(
            f"{missing} not found (on PATH, at {DEBIAN_CHROMIUM} / {DEBIAN_CHROMEDRIVER}, or via "
            "CHROMIUM_BIN / CHROMEDRIVER_BIN); run scripts/setup-browser.sh")

    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for flag in (*CHROMIUM_FLAGS, *extra_args):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # for console_errors()
    # An explicit driver path: Selenium Manager (which would try to download a driver) never runs.
    service = Service(executable_path=str(chromedriver),
                      log_output=str(log_path) if log_path is not None else None)
    driver = webdriver.Chrome(service=service, options=options)
    try:
        driver.set_page_load_timeout(page_load_timeout)
        driver.set_script_timeout(page_load_timeout)
        # Exact viewport (kept across navigations), whatever the window decorations take.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": viewport[0], "height": viewport[1], "deviceScaleFactor": 1, "mobile": False})
    except BaseException:
        driver.quit()
        raise
    return driver


def screenshot(driver: WebDriver, path: str | os.PathLike[str]) -> Path:
    """Saves a PNG of the current viewport at `path` (parent folders made); returns the path."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    if not driver.save_screenshot(str(p)):
        raise RuntimeError(f"the browser could not write a screenshot to {p}")
    return p


def console_errors(driver: WebDriver) -> list[dict[str, Any]]:
    """The page's console entries at level SEVERE since the last call (uncaught errors, failed loads)."""
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    """A headless Chromium WebDriver shared by the test module; quit at the end of the module."""
    try:
        driver = make_driver()
    except BrowserUnavailable as e:
        msg = f"headless browser unavailable: {e}"
        if os.environ.get("MCP_INTEROP_REQUIRE_GATEWAY") == "1":
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    try:
        yield driver
    finally:
        driver.quit()
