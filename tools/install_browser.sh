#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/test_web_browser.py); a no-op when it is there.
# Playwright's own browser download needs hosts this machine cannot reach, so the tests drive
# /usr/bin/chromium instead. Needs root (or sudo) the first time.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    echo "install_browser: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) already installed"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install_browser: need root or sudo to install chromium" >&2; exit 1; }
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium
echo "install_browser: $(/usr/bin/chromium --version 2>/dev/null) installed"
