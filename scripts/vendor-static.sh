#!/bin/sh
# Refresh the vendored front-end files from the npm registry, at the pinned versions below.
# The product never loads a script from another host: these copies are served by Cadenza itself.
set -eu
HTMX_VERSION=2.0.4
DEST=src/cadenza/web/static/web/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "htmx.org@$HTMX_VERSION" >/dev/null && tar xzf "htmx.org-$HTMX_VERSION.tgz")
rm -f "$DEST"/htmx-*.min.js
cp "$work/package/dist/htmx.min.js" "$DEST/htmx-$HTMX_VERSION.min.js"
echo "htmx $HTMX_VERSION -> $DEST/htmx-$HTMX_VERSION.min.js"
echo "If the version changed, update the <script> tag in src/cadenza/web/templates/web/base.html."
