#!/bin/bash
# bench/pulse.sh — the weekly check-in at scale, end to end: a synthetic
# workforce of N employees (default 100,000; the issue's figure is
# `bench/pulse.sh 2300000`), its week's replies as one mbox, then
# `doge pulse ingest` (parse, match, extract, store, ledger; receipts and
# the review that follows an ingest off):
# messages per second end to end, the whole week's time (measured at
# 2,300,000, else estimated from the rate) and peak memory — beside the
# baselines on the same data: GMime's bare parse of the same mbox on one
# core (bench_mbox_gmime, which also times doge_mail_parse() alone), and
# `notmuch new` (Debian notmuch) on a sample of 100,000 of the replies as a
# Maildir. The machine's load is printed before and after: the bench machine
# is shared, and its figures move with the load. Needs about 12 GB of free
# space in TMPDIR at 2.3M. Usage: bench/pulse.sh [N] [BUILD]
set -eu
N=${1:-100000}
B=${2:-build}
DOGE=$(cd "$B" && pwd)/doge
GM=$(cd "$B" && pwd)/bench_mbox_gmime
[ -x "$GM" ] || { echo "bench/pulse.sh: build the benches first (make bench)" >&2; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/doge-bench-pulse.XXXXXX")
trap 'rm -rf "$T"' EXIT
d() { "$DOGE" -C "$T/ws" --quiet "$@"; }
secs() { date +%s.%N; }
calc() { python3 -c "print($1)"; }

echo "bench/pulse: $N employees (work in $T); $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
g0=$(secs)
"$DOGE" init "$T/ws" >/dev/null
"$DOGE" synth workforce --employees "$N" --departments 25 --seed 1 --domain-suffix gov.example -o "$T/roster.csv" >/dev/null
d roster import "$T/roster.csv" >/dev/null
d id new bench.example/log >/dev/null 2>&1
d ledger init --key bench.example/log >/dev/null
d pulse open --week 2025-W08 --deadline 2025-02-24T23:59-05:00 --domain pulse.example >/dev/null
d synth replies --week 2025-W08 --seed 3 -o "$T/replies.mbox" >/dev/null
g1=$(secs)
msgs=$(grep -c '^From ' "$T/replies.mbox")
size=$(du -m "$T/replies.mbox" | cut -f1)
echo "replies: $msgs messages, $size MB (workforce, roster, campaign and replies made in $(calc "round($g1 - $g0)") s)"
sync # the generator's writes are not the ingest's to flush

t0=$(secs)
/usr/bin/time -v -o "$T/time.txt" "$DOGE" -C "$T/ws" --quiet --json pulse ingest --no-receipts --no-review "$T/replies.mbox" > "$T/ingest.json"
t1=$(secs)
rss=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$T/time.txt")
cpu=$(awk -F: '/User time|System time/ { s += $2 } END { print s }' "$T/time.txt")
elapsed=$(calc "$t1 - $t0")
doge_rate=$(calc "round($msgs / $elapsed)")
echo "doge pulse ingest: $msgs messages in $(calc "round($elapsed, 1)") s: $doge_rate messages/s end to end (parse, match, extract, store, ledger), $(calc "round($cpu, 1)") s of CPU, peak RSS $((rss / 1024)) MB"
tr -d '\n ' < "$T/ingest.json"; echo
if [ "$N" -eq 2300000 ]; then
    echo "the whole week at 2,300,000 employees: $(calc "round($elapsed, 1)") s (target <= 60 s)"
else
    echo "whole week estimate at 2,300,000 employees: $(calc "round(2300000 * $msgs / $N / $doge_rate)") s (target <= 60 s)"
fi
echo "load average after the ingest: $(cut -d' ' -f1-3 /proc/loadavg)"

out=$("$GM" "$T/replies.mbox")
echo "$out"
gm_rate=$(echo "$out" | awk '/gmime bare parse/ { print $(NF-1) }')
echo "ratio doge end-to-end / GMime bare parse: $(calc "round($doge_rate / $gm_rate, 3)") (target >= 0.5)"

if ! command -v notmuch >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq notmuch >/dev/null 2>&1 || true
    fi
fi
if command -v notmuch >/dev/null 2>&1; then
    # the first 100,000 messages, cut out before Python reads them as mbox
    awk '/^From / { if (++n > 100000) exit } { print }' "$T/replies.mbox" > "$T/sample.mbox"
    python3 - "$T/sample.mbox" "$T/nm" <<'PY'
import mailbox, sys
src, dst = sys.argv[1], sys.argv[2]
md = mailbox.Maildir(dst, create=True)
for m in mailbox.mbox(src):
    md.add(m)
PY
    rm -f "$T/sample.mbox"
    sample=$(find "$T/nm/new" "$T/nm/cur" -type f | wc -l)
    printf '[database]\npath=%s\n[new]\ntags=\n[maildir]\nsynchronize_flags=false\n' "$T/nm" > "$T/notmuch.cfg"
    t0=$(secs)
    NOTMUCH_CONFIG="$T/notmuch.cfg" notmuch new --quiet >/dev/null 2>&1
    t1=$(secs)
    nm_rate=$(calc "round($sample / ($t1 - $t0))")
    echo "notmuch new: $sample messages in $(calc "round($t1 - $t0, 1)") s: $nm_rate messages/s"
    echo "ratio doge end-to-end / notmuch new: $(calc "round($doge_rate / $nm_rate, 3)")"
else
    echo "notmuch: not installed (apt-get install notmuch), baseline skipped"
fi
