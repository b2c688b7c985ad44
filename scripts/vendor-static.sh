#!/bin/sh
# Refresh the vendored front-end files from the npm registry, at the pinned versions below.
# The product never loads a script from another host: htmx is served by Cadenza itself, from
# the site's static files. axe-core is not used by any page and is not shipped: it lives with
# the browser tests (tests/browser/vendor/), which load it into pages to check accessibility
# (tests/browser/axe.py).
set -eu
HTMX_VERSION=2.0.4
AXE_VERSION=4.14.1
DEST=src/cadenza/web/static/web/vendor
AXE_DEST=tests/browser/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "htmx.org@$HTMX_VERSION" >/dev/null && tar xzf "htmx.org-$HTMX_VERSION.tgz")
rm -f "$DEST"/htmx-*.min.js
cp "$work/package/dist/htmx.min.js" "$DEST/htmx-$HTMX_VERSION.min.js"
echo "htmx $HTMX_VERSION -> $DEST/htmx-$HTMX_VERSION.min.js"
rm -rf "$work/package"
(cd "$work" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null && tar xzf "axe-core-$AXE_VERSION.tgz")
mkdir -p "$AXE_DEST"
rm -f "$AXE_DEST"/axe-core-*.min.js
cp "$work/package/axe.min.js" "$AXE_DEST/axe-core-$AXE_VERSION.min.js"
echo "axe-core $AXE_VERSION -> $AXE_DEST/axe-core-$AXE_VERSION.min.js"
echo "If a version changed, update the <script> tag in src/cadenza/web/templates/web/base.html"
echo "(htmx) or AXE_VERSION in tests/browser/axe.py (axe-core)."
