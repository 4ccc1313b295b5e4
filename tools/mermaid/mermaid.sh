#!/bin/sh
# Mermaid's parser for the diagram tests: installs the pinned npm packages (package-lock.json) on first use,
# then parses every mermaid block of the markdown files (or .mmd files) given. Needs node and npm.
set -eu
here=$(dirname "$0")
if [ ! -f "$here/node_modules/mermaid/package.json" ] || [ ! -f "$here/node_modules/jsdom/package.json" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --silent)
fi
exec node "$here/parse.mjs" "$@"
