#!/usr/bin/env bash
# Make sure Debian's chromium is installed for the browser tests (tests/browser), which launch /usr/bin/chromium
# through Playwright. Playwright's own browser download is not used: Debian's package is what we test against.
# Installs it with apt-get when missing (needs root, or sudo without a password); exits non-zero with the reason
# and the command to run by hand when it cannot.
set -euo pipefail

CHROMIUM="${SKILLBITE_CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
    echo "ensure-chromium: found $CHROMIUM ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    AS_ROOT=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    AS_ROOT=(sudo -n)
else
    echo "ensure-chromium: $CHROMIUM is missing and this user cannot install packages." >&2
    echo "ensure-chromium: run as root: apt-get update && apt-get install -y chromium" >&2
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: $CHROMIUM is missing and apt-get is not available (not a Debian-like system)." >&2
    echo "ensure-chromium: install Chromium by hand and set SKILLBITE_CHROMIUM to its path." >&2
    exit 1
fi

echo "ensure-chromium: $CHROMIUM is missing; installing Debian's chromium with apt-get"
export DEBIAN_FRONTEND=noninteractive
if ! "${AS_ROOT[@]}" apt-get update -q; then
    echo "ensure-chromium: apt-get update failed (no network or no package mirror?)." >&2
    exit 1
fi
if ! "${AS_ROOT[@]}" apt-get install -y -q --no-install-recommends chromium; then
    echo "ensure-chromium: apt-get install chromium failed; see the apt output above." >&2
    exit 1
fi
if [ ! -x "$CHROMIUM" ]; then
    echo "ensure-chromium: chromium was installed but $CHROMIUM does not exist; set SKILLBITE_CHROMIUM." >&2
    exit 1
fi
echo "ensure-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
