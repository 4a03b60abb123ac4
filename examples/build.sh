#!/usr/bin/env bash
# Builds the examples the way a user's app gets tokenkeeper: from the packed package.
#   1. `npm pack` of the repository into examples/.pack/tokenkeeper.tgz (never committed);
#      its prepack script builds dist/ first, unless SKIP_SDK_BUILD=1 (dist/ was just built);
#   2. in each example: `npm install` (which installs that tarball), type-check, `vite build`.
# test/e2e/examples.test.ts then serves examples/*/dist with the reference server.
# Usage: bash examples/build.sh [react|vue ...]   (default: both)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
# The repository's pinned Node 24 for every step (the examples' tools run under it too).
export PATH="$root/node_modules/node/bin:$PATH"

examples=("$@")
[ ${#examples[@]} -gt 0 ] || examples=(react vue)

cd "$root"
pack_flags=(--silent --pack-destination "$here/.pack")
[ "${SKIP_SDK_BUILD:-}" != 1 ] || pack_flags+=(--ignore-scripts)
rm -rf "$here/.pack" && mkdir -p "$here/.pack"
tarball=$(npm pack "${pack_flags[@]}" | tail -n 1)
mv "$here/.pack/$tarball" "$here/.pack/tokenkeeper.tgz"
echo "examples: packed $tarball"

for name in "${examples[@]}"; do
  echo "::: examples/$name"
  cd "$here/$name"
  # The tarball's name does not change between builds: drop the installed copy so npm takes the new one.
  rm -rf node_modules/tokenkeeper node_modules/.package-lock.json dist # no stale app for the e2e
  npm install --no-audit --no-fund --prefer-offline --loglevel=error
  npm run typecheck
  npm run build -- --logLevel warn
done
