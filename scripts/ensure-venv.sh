#!/bin/sh
# Create .venv with a working pip on a bare Debian/Ubuntu box.
# Debian splits venv and pip out of python3 (python3-venv); PEP 668 forbids `pip install --user`.
# As root we install the missing package; otherwise we say exactly what to run.
set -eu
PY=${PY:-python3}
VENV=${VENV:-.venv}
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
  exit 0
fi
rm -rf "$VENV"
if ! "$PY" -m venv "$VENV" >/dev/null 2>&1; then
  rm -rf "$VENV"
  pkg="python3-venv"
  ver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing $pkg (python$ver-venv) so Cadenza can make its own virtual environment..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python$ver-venv" || \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg"
    "$PY" -m venv "$VENV"
  else
    echo "Cadenza needs Python's venv module. Run once:  sudo apt-get install $pkg" >&2
    exit 1
  fi
fi
"$VENV/bin/python" -m pip --version >/dev/null
