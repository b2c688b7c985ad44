#!/bin/sh
# Browser tests drive Debian's Chromium (never a downloaded browser build).
set -eu
CHROMIUM=${CADENZA_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's Chromium for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
else
  echo "The browser tests need Chromium at $CHROMIUM. Run once:  sudo apt-get install chromium" >&2
  echo "(or point CADENZA_CHROMIUM at an installed Chromium)." >&2
  exit 1
fi
