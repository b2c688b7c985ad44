#!/bin/sh
# What `make test` needs from the machine, besides the virtual environment:
#   chromium      Debian's browser, driven by the browser tests (never a downloaded build);
#   libatomic1    a library the Node binary inside Playwright's Python package links against;
#   redis-server  the tests that need Redis start their own on a free port (never the machine's).
# As root we install what is missing with apt; otherwise we say exactly what to run, once.
set -eu
VENV=${VENV:-.venv}
CHROMIUM=${CADENZA_CHROMIUM:-/usr/bin/chromium}
missing=""

if [ ! -x "$CHROMIUM" ]; then
  missing="$missing chromium"
fi
driver=$(ls "$VENV"/lib/python3*/site-packages/playwright/driver/node 2>/dev/null | head -n 1 || true)
if [ -n "$driver" ] && ! "$driver" --version >/dev/null 2>&1; then
  # On a bare Debian the driver fails with "libatomic.so.1: cannot open shared object file".
  missing="$missing libatomic1"
fi
if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
  missing="$missing redis-server"
fi

if [ -z "$missing" ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing what the tests need from Debian:$missing"
  apt-get update -qq >/dev/null
  # Installing redis-server would start a system-wide Redis on port 6379; the tests start
  # their own, so on a machine without a running init system (a container, a chroot) the
  # package's service is not started (policy-rc.d answers "not now" during this install only).
  policy=""
  if [ ! -d /run/systemd/system ] && [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod +x "$policy"
  fi
  log=$(mktemp)
  # shellcheck disable=SC2086
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    rm -f "$log"
    if [ -n "$policy" ]; then rm -f "$policy"; fi
    echo "Installing$missing failed (the lines above say why)." >&2
    exit 1
  fi
  rm -f "$log"
  if [ -n "$policy" ]; then rm -f "$policy"; fi
  echo "Installed:$missing"
  exit 0
fi
echo "The tests need Debian packages that are not installed:$missing" >&2
echo "Run once:  sudo apt-get install$missing" >&2
echo "(the browser tests drive Debian's Chromium; tests that need Redis start their own redis-server)" >&2
exit 1
