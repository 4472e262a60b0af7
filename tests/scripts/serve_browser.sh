#!/bin/bash
# tests/scripts/serve_browser.sh — the reply form and the dashboard in a
# real browser: Debian's chromium, headless, driven by playwright-core from
# npm (installed on first use into $DOGE_BINARY_DIR/node; the browser itself
# is never downloaded). An employee submits the form and sees the receipt;
# the dashboard's figures must equal `doge pulse status --json`; see
# lib/serve_browser.js. Screenshots: $DOGE_BINARY_DIR/screenshots/.
# Skips (exit 77) when chromium is not installed or npm cannot install
# playwright-core (no registry), saying so.
# Usage: serve_browser.sh DOGE_BINARY
set -u
DOGE=$1
BIN=${DOGE_BINARY_DIR:-$(dirname "$DOGE")}
HERE=$(cd "$(dirname "$0")" && pwd)
if [ ! -x /usr/bin/chromium ]; then
    echo "SKIP: /usr/bin/chromium is not installed (scripts/deps installs it)"
    exit 77
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "SKIP: node and npm are needed to install playwright-core"
    exit 77
fi
PW=$BIN/node/node_modules/playwright-core
if [ ! -f "$PW/package.json" ]; then
    mkdir -p "$BIN/node"
    if ! (cd "$BIN/node" && timeout 300 npm install --no-audit --no-fund --silent playwright-core@1 >/dev/null 2>&1); then
        echo "SKIP: npm could not install playwright-core (is the npm registry reachable?)"
        exit 77
    fi
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/doge-browser.XXXXXX")
. "$HERE/lib/serve.sh"
trap serve_cleanup EXIT
d() { "$DOGE" -C "$T/w" --quiet "$@"; }

"$DOGE" init "$T/w" >/dev/null || exit 1
d id new browser.example/log >/dev/null 2>&1
d ledger init --key browser.example/log >/dev/null
"$DOGE" synth workforce --employees 400 --departments 4 --seed 8 -o "$T/roster.csv" >/dev/null
d roster import "$T/roster.csv" >/dev/null
printf '\n[serve]\nrate = 0\n' >> "$T/w/doge.conf"
d pulse open --week 2025-W08 --deadline 2030-02-24T23:59-05:00 --domain browser.example
d pulse send --week 2025-W08
d synth replies --week 2025-W08 --seed 9 -o "$T/replies.mbox" >/dev/null
d pulse ingest --no-receipts "$T/replies.mbox" >/dev/null
TOK=$(sqlite3 "$T/w/doge.db" "SELECT r.token FROM pulse_request r WHERE NOT EXISTS (SELECT 1 FROM pulse_reply p WHERE p.week = r.week AND p.employee_id = r.employee_id) LIMIT 1")
serve_start web "$T/w" || exit 1
mkdir -p "$BIN/screenshots"
PLAYWRIGHT_CORE=$PW SHOTS=$BIN/screenshots node "$HERE/lib/serve_browser.js" "$web_URL" "$TOK" \
    "$DOGE" -C "$T/w" --json pulse status --week 2025-W08
rc=$?
check "the browser checks passed" test "$rc" -eq 0
check "screenshots were written" test -s "$BIN/screenshots/serve_dashboard.png" -a -s "$BIN/screenshots/serve_receipt.png"
check "serve stops cleanly" serve_stop "$web_PID"
serve_summary
