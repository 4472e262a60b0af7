#!/bin/bash
# bench/pulse.sh — the weekly check-in at scale, end to end: a synthetic
# workforce of N employees (default 100,000; the issue's figure is
# `bench/pulse.sh 2300000`), its week's replies as one mbox, then
# `doge pulse ingest` (parse, match, extract, store, ledger; receipts off) —
# replies per second and peak memory — beside two baselines on the same
# data: GMime's bare parse of the same mbox (bench_mbox_gmime), and
# `notmuch new` (Debian notmuch) on a sample of up to 100,000 of the replies
# as a Maildir. Usage: bench/pulse.sh [N] [BUILD]
set -eu
N=${1:-100000}
B=${2:-build}
DOGE=$(cd "$B" && pwd)/doge
GM=$(cd "$B" && pwd)/bench_mbox_gmime
[ -x "$GM" ] || { echo "bench/pulse.sh: build the benches first (make bench)" >&2; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/doge-bench-pulse.XXXXXX")
trap 'rm -rf "$T"' EXIT
d() { "$DOGE" -C "$T/ws" --quiet "$@"; }
secs() { python3 -c "import time; print(time.time())"; }

echo "bench/pulse: $N employees (work in $T)"
"$DOGE" init "$T/ws" >/dev/null
"$DOGE" synth workforce --employees "$N" --departments 25 --seed 1 --domain-suffix gov.example -o "$T/roster.csv" >/dev/null
d roster import "$T/roster.csv" >/dev/null
d id new bench.example/log >/dev/null 2>&1
d ledger init --key bench.example/log >/dev/null
d pulse open --week 2025-W08 --deadline 2025-02-24T23:59-05:00 --domain pulse.example >/dev/null
d synth replies --week 2025-W08 --seed 3 -o "$T/replies.mbox" >/dev/null
msgs=$(grep -c '^From ' "$T/replies.mbox")
size=$(du -m "$T/replies.mbox" | cut -f1)
echo "replies: $msgs messages, $size MB"

t0=$(secs)
/usr/bin/time -v -o "$T/time.txt" "$DOGE" -C "$T/ws" --quiet --json pulse ingest --no-receipts "$T/replies.mbox" > "$T/ingest.json"
t1=$(secs)
rss=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$T/time.txt")
doge_rate=$(python3 -c "print(round($msgs / ($t1 - $t0)))")
echo "doge pulse ingest: $msgs messages in $(python3 -c "print(round($t1 - $t0, 1))") s: $doge_rate messages/s, peak RSS $((rss / 1024)) MB"
cat "$T/ingest.json" | tr -d '\n ' ; echo

out=$("$GM" "$T/replies.mbox")
echo "$out"
gm_rate=$(echo "$out" | awk '/gmime bare parse/ { print $(NF-1) }')
echo "ratio doge end-to-end / GMime bare parse: $(python3 -c "print(round($doge_rate / $gm_rate, 3))") (target >= 0.5)"
echo "whole week estimate at 2,300,000 employees: $(python3 -c "print(round(2300000 * $msgs / $N / $doge_rate))") s (target <= 60 s)"

if ! command -v notmuch >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq notmuch >/dev/null 2>&1 || true
    fi
fi
if command -v notmuch >/dev/null 2>&1; then
    python3 - "$T/replies.mbox" "$T/nm" <<'PY'
import mailbox, os, sys
src, dst = sys.argv[1], sys.argv[2]
md = mailbox.Maildir(dst, create=True)
for i, m in enumerate(mailbox.mbox(src)):
    if i >= 100000:
        break
    md.add(m)
PY
    sample=$(ls "$T/nm/new" "$T/nm/cur" 2>/dev/null | grep -vc ':$' || true)
    printf '[database]\npath=%s\n[new]\ntags=\n[maildir]\nsynchronize_flags=false\n' "$T/nm" > "$T/notmuch.cfg"
    t0=$(secs)
    NOTMUCH_CONFIG="$T/notmuch.cfg" notmuch new --quiet >/dev/null 2>&1
    t1=$(secs)
    nm_rate=$(python3 -c "print(round($sample / ($t1 - $t0)))")
    echo "notmuch new: $sample messages in $(python3 -c "print(round($t1 - $t0, 1))") s: $nm_rate messages/s"
    echo "ratio doge end-to-end / notmuch new: $(python3 -c "print(round($doge_rate / $nm_rate, 3))")"
else
    echo "notmuch: not installed (apt-get install notmuch), baseline skipped"
fi
