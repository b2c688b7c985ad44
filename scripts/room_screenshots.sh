#!/bin/sh
# Screenshots of the live room in each state (lobby, waiting, live with the People and Host
# tabs, a shared screen, the speaker view, left, ended; host and learner) at 1,366 × 900 and
# 390 × 844, for review by eye. They are taken by the room's layout tests in Debian's
# Chromium (tests/browser/test_live_room_layout.py), which also check the layout by element
# positions; the PNGs go to $SCREENSHOTS (default: screenshots/, git-ignored).
set -eu
VENV=${VENV:-.venv}
SCREENSHOTS=${SCREENSHOTS:-screenshots}
mkdir -p "$SCREENSHOTS"
CADENZA_SCREENSHOTS=$(cd "$SCREENSHOTS" && pwd) \
CADENZA_TESTING=1 CADENZA_DATA_DIR="${CADENZA_DATA_DIR:-$(pwd)/.test-data}" HUEY_IMMEDIATE=1 DEBUG=0 CADENZA_HTTPS=0 \
	"$VENV/bin/pytest" -q tests/browser/test_live_room_layout.py
echo "screenshots in $SCREENSHOTS/:"
ls "$SCREENSHOTS"
