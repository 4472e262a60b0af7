#!/usr/bin/env bash
# tests/scripts/spend_flow.sh — the spend pillar end to end against the
# generator's ground truth: a contracts year (200,000 rows) and an
# assistance year (100,000 rows; 20,000 and 10,000 under DOGE_SANITIZED=1)
# with planted waste, clean controls, exclusions and receipts; `doge spend
# audit` on two threads must find every planted pattern and nothing else
# (precision and recall printed per rule and required to be 1.0, no
# finding on a clean control), give the same findings on one thread,
# `doge spend receipts verify` must give every claim its expected status,
# flags and verified amount (JSON receipts against the contracts file, CSV
# receipts against both files), every finding and verification must land
# in the workspace's ledger (which then verifies), and the HTML reports
# must be self-contained. $1 is the doge binary.
set -euo pipefail
DOGE=$1
SCORE=${DOGE_SOURCE_DIR:?}/tests/tools/spend_score.py
T=$(mktemp -d "${TMPDIR:-/tmp}/doge-spend.XXXXXX")
trap 'rm -rf "$T"' EXIT
ROWS=200000
AROWS=100000
if [ "${DOGE_SANITIZED:-}" = 1 ]; then
    ROWS=20000
    AROWS=10000
fi
d() { "$DOGE" --quiet "$@"; }
fails=0
check() { # name, command...
    local name=$1
    shift
    if "$@"; then
        echo "ok $name"
    else
        echo "FAIL $name"
        fails=$((fails + 1))
    fi
}

d init "$T/ws" >/dev/null
d -C "$T/ws" id new spend.example/log >/dev/null
d -C "$T/ws" ledger init --key spend.example/log >/dev/null

d synth awards --rows "$ROWS" --kind contracts --seed 11 -o "$T/c.csv" --truth "$T/c.truth.csv" \
    --receipts "$T/r.json" --exclusions "$T/ex.csv"
d synth awards --rows "$AROWS" --kind assistance --seed 12 -o "$T/a.csv" --truth "$T/a.truth.csv" \
    --receipts "$T/g.csv" --exclusions "$T/exa.csv"

echo "== contracts: $ROWS rows"
d -C "$T/ws" spend audit "$T/c.csv" --exclusions "$T/ex.csv" --threads 2 --csv \
    --html "$T/audit.html" > "$T/c.findings.csv"
check "audit contracts: every planted pattern, nothing else" \
    python3 "$SCORE" audit "$T/c.truth.csv" "$T/c.findings.csv"
d spend audit "$T/c.csv" --exclusions "$T/ex.csv" --threads 1 --csv --no-ledger > "$T/c.findings1.csv"
check "audit contracts: one thread finds the same" cmp -s "$T/c.findings.csv" "$T/c.findings1.csv"

echo "== assistance: $AROWS rows"
d -C "$T/ws" spend audit "$T/a.csv" --exclusions "$T/exa.csv" --threads 2 --csv > "$T/a.findings.csv"
check "audit assistance: every planted pattern, nothing else" \
    python3 "$SCORE" audit "$T/a.truth.csv" "$T/a.findings.csv"

echo "== receipts"
d -C "$T/ws" spend receipts verify "$T/r.json" --awards "$T/c.csv" --threads 2 --csv \
    --html "$T/receipts.html" > "$T/r.verify.csv"
check "receipts (JSON, contracts and leases) match the truth" \
    python3 "$SCORE" receipts "$T/r.json.truth.csv" "$T/r.verify.csv"
d -C "$T/ws" spend receipts verify "$T/g.csv" --awards "$T/a.csv" "$T/c.csv" --threads 2 --csv \
    > "$T/g.verify.csv"
check "receipts (CSV, grants) match the truth" \
    python3 "$SCORE" receipts "$T/g.csv.truth.csv" "$T/g.verify.csv"

echo "== ledger and reports"
entries=$(( $(tail -n +2 "$T/c.findings.csv" | wc -l) + $(tail -n +2 "$T/a.findings.csv" | wc -l) \
    + $(tail -n +2 "$T/r.verify.csv" | wc -l) + $(tail -n +2 "$T/g.verify.csv" | wc -l) ))
size=$(d -C "$T/ws" --json status | python3 -c 'import json,sys; print(json.load(sys.stdin)["ledger"]["size"])')
check "ledger holds one entry per finding and claim ($entries)" test "$size" = "$entries"
check "ledger verifies" d -C "$T/ws" ledger verify
d -C "$T/ws" ledger get 0 > "$T/entry0.json"
check "a ledger entry is a canonical spend record" \
    python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); assert e["kind"]=="spend.finding", e; assert open(sys.argv[1]).read().strip()==json.dumps(e,sort_keys=True,separators=(",",":"),ensure_ascii=False)' "$T/entry0.json"
for h in "$T/audit.html" "$T/receipts.html"; do
    check "$(basename "$h") has SVG charts" test "$(grep -o '<svg' "$h" | wc -l)" -ge 2
    check "$(basename "$h") is self-contained" \
        python3 -c 'import re,sys; s=open(sys.argv[1]).read(); assert not re.search(r"<script|<link|src=|href=|@import|url\(", s); assert set(re.findall(r"https?://[^\"<> ]+", s)) <= {"http://www.w3.org/2000/svg"} | set(re.findall(r"https://www\.(?:fpds|usaspending)\.gov[^\"<> ]*", s))' "$h"
done
d --json spend audit "$T/a.csv" --no-ledger > "$T/a.json"
check "audit JSON parses" python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["totals"]["rows"] > 0' "$T/a.json"

echo "$(( 12 - fails )) passed, $fails failed"
[ "$fails" = 0 ]
