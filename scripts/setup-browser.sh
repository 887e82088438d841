#!/usr/bin/env bash
# Install the headless browser that the /ui (web dashboard) interop tests drive with Selenium:
#   Debian's `chromium` (/usr/bin/chromium) and `chromium-driver` (/usr/bin/chromedriver),
#   the same Chromium build on both sides, so the driver always matches the browser.
# Selenium itself is a PyPI package of the venv (Tests/interop/requirements.txt, installed by
# scripts/setup-test-env.sh); Tests/interop/browser_fixture.py starts the browser.
# Idempotent: if both commands are there, it installs nothing and only prints their versions.
# Needs root (or sudo) for apt-get; `apt-get update` runs only when the first install attempt fails
# (a fresh machine has no package lists yet).
#
#   scripts/setup-browser.sh
set -euo pipefail

PACKAGES=(chromium chromium-driver fonts-liberation)

have_browser() { command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; }

if ! have_browser; then
  echo ">> installing ${PACKAGES[*]} (headless Chromium + its driver for the /ui tests)"
  SUDO=$([[ $(id -u) == 0 ]] && echo "" || echo sudo)
  export DEBIAN_FRONTEND=noninteractive
  # No recommends: they add ~100 desktop packages (udev, upower, mesa, printing) that headless
  # Chromium does not need; fonts-liberation (a recommend) is kept for readable screenshots.
  APT_INSTALL=(apt-get install -y -q --no-install-recommends "${PACKAGES[@]}")
  { $SUDO "${APT_INSTALL[@]}" >/dev/null 2>&1 ||
    { $SUDO apt-get update -q >/dev/null && $SUDO "${APT_INSTALL[@]}" >/dev/null; }; } \
    || { echo "!! could not install ${PACKAGES[*]} (apt-get install ${PACKAGES[*]})" >&2; exit 1; }
  have_browser || { echo "!! chromium / chromedriver still not on PATH after the install" >&2; exit 1; }
fi

# `chromium --version` goes through Debian's wrapper script, which can print a harmless
# shell warning on stderr; only the version line matters.
echo ">> $(chromium --version 2>/dev/null)"
echo ">> $(chromedriver --version 2>/dev/null | cut -d' ' -f1-2)"
