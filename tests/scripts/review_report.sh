#!/bin/bash
# review_report.sh — the review end to end and its report in a real browser:
# two weeks of a synthetic workforce's replies are ingested (the review runs
# at the end of each ingest), then `doge pulse report` writes the HTML
# report; headless Chromium (Debian's) loads it through
# tests/resources/web/report_probe.html, which counts the SVG marks that
# actually rendered (non-zero boxes) per chart, and the counts must match
# the report's own data: one bar per department, per category, per
# specificity bin and per listed cluster, one point per week. A PNG
# screenshot is written to $DOGE_BINARY_DIR/review-report.png.
set -eu
DOGE=$1
B=${DOGE_BINARY_DIR:-$(dirname "$DOGE")}
CHROMIUM=$(command -v chromium || true)
if [ -z "$CHROMIUM" ]; then
    echo "SKIP: no chromium (scripts/deps installs Debian's chromium)"; exit 77
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/doge-review-report.XXXXXX")
trap 'rm -rf "$W"' EXIT
d() { "$DOGE" -C "$W/ws" --quiet "$@"; }
N=3000
[ -n "${DOGE_SANITIZED:-}" ] && N=800

"$DOGE" init "$W/ws" >/dev/null
"$DOGE" synth workforce --employees $N --departments 8 --seed 5 -o "$W/roster.csv" >/dev/null
d roster import "$W/roster.csv"
d id new test.example/log >/dev/null 2>&1
d ledger init --key test.example/log
for wk in 2025-W07:2025-02-17 2025-W08:2025-02-24; do
    week=${wk%%:*}
    d pulse open --week "$week" --deadline "${wk#*:}T23:59-05:00"
    d synth replies --week "$week" --seed "${week: -1}" -o "$W/$week.mbox"
    d pulse ingest --no-receipts "$W/$week.mbox"
done

"$DOGE" -C "$W/ws" --json pulse report --week 2025-W08 -o "$W/report.html" > "$W/report.json"
cp "$W/report.html" "$B/review-report.html"
want() { python3 -c "import json,sys; r=json.load(open('$W/report.json')); print($1)"; }
deps=$(want "len(r['response']['departments'])")
cats=$(want "len(r['categories'])")
bins=$(want "len(r['specificity']['histogram'])")
# A bar for a zero count has no box: count the non-zero ones for the browser.
cats_drawn=$(want "sum(1 for c in r['categories'] if c['bullets'] > 0)")
bins_drawn=$(want "sum(1 for b in r['specificity']['histogram'] if b['bullets'] > 0)")
clus=$(want "len(r['clusters'])")
weeks=$(want "len(r['trend'])")
echo "report data: $deps departments, $cats categories, $bins bins, $clus clusters, $weeks weeks"
[ "$deps" = 8 ] && [ "$cats" = 9 ] && [ "$bins" = 10 ] && [ "$weeks" = 2 ] || {
    echo "FAIL: unexpected report shape"; exit 1; }
[ "$clus" -ge 1 ] || { echo "FAIL: no copy-paste cluster in a synthetic week"; exit 1; }

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$W/chrome")
timeout 120 "$CHROMIUM" "${flags[@]}" --allow-file-access-from-files --virtual-time-budget=5000 \
    --dump-dom "file://$DOGE_SOURCE_DIR/tests/resources/web/report_probe.html?r=file://$W/report.html" \
    > "$W/dom.html" 2> "$W/chrome.log" || { tail -20 "$W/chrome.log"; echo "FAIL: chromium"; exit 1; }
sed -n '/<pre id="result">/,/<\/pre>/p' "$W/dom.html" | sed 's/<[^>]*>//g' > "$W/result.txt"
cat "$W/result.txt"
marks() { awk -v id="$1" '$1 == "chart" && $2 == id { print $4 }' "$W/result.txt"; }
size() { awk -v id="$1" '$1 == "chart" && $2 == id { print $3 }' "$W/result.txt"; }
fail=0
check() {
    got=$(marks "$1")
    if [ "$got" != "$2" ]; then echo "FAIL: chart $1 rendered ${got:-no} marks, want $2"; fail=1; fi
    case "$(size "$1")" in ""|0x*|*x0) echo "FAIL: chart $1 has no size"; fail=1 ;; esac
}
check response "$deps"
check categories "$cats_drawn"
check specificity "$bins_drawn"
check clusters "$clus"
check trend "$weeks"
[ "$(grep -c '^chart ' "$W/result.txt")" = 5 ] || { echo "FAIL: want 5 charts"; fail=1; }
grep -q "^title doge pulse report 2025-W08" "$W/result.txt" || { echo "FAIL: title"; fail=1; }

timeout 120 "$CHROMIUM" "${flags[@]}" --window-size=1280,2600 --hide-scrollbars \
    --screenshot="$B/review-report.png" "file://$W/report.html" > /dev/null 2>> "$W/chrome.log" || {
    tail -20 "$W/chrome.log"; echo "FAIL: screenshot"; exit 1; }
head -c 8 "$B/review-report.png" | od -An -tx1 | grep -q "89 50 4e 47 0d 0a 1a 0a" || {
    echo "FAIL: $B/review-report.png is not a PNG"; fail=1; }
echo "screenshot: $B/review-report.png ($(stat -c %s "$B/review-report.png") bytes)"
exit $fail
