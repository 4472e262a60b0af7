#!/bin/bash
# bench/spend.sh — `doge spend audit` end to end on a >= 5 GB contracts
# transaction file (the download's 297 columns, about 2.4 KB a row), against
# DuckDB running the same seven rules as SQL (bench/spend_duckdb.js) over the
# same CSV and exclusions extract with the same thread count. The file is
# generated once (not timed) into BUILD/bench-cache/ and reused; DuckDB comes
# from the npm package @duckdb/node-api, installed into BUILD/bench-node/
# (ignored by git). Both runs start from a warm page cache. Prints each
# tool's wall time, GB/s and peak RSS (/usr/bin/time -v; doge maps the file,
# so its RSS counts the mapped pages it touched), the findings per rule of
# both (they must agree), and the ratio. Targets: >= 1 GB/s on 2 threads and
# >= 1.5x DuckDB.
# Usage: bench/spend.sh [IGNORED] [BUILD]   (scripts/bench passes a count
# first); env BENCH_SPEND_GB (default 5), BENCH_SPEND_THREADS (default 2).
set -euo pipefail
B=${2:-build}
B=$(cd "$B" && pwd)
DOGE=$B/doge
HERE=$(cd "$(dirname "$0")" && pwd)
GB=${BENCH_SPEND_GB:-5}
THREADS=${BENCH_SPEND_THREADS:-2}
CACHE=$B/bench-cache
NODE_DIR=$B/bench-node
mkdir -p "$CACHE" "$NODE_DIR"
CSV=$CACHE/contracts-${GB}gb.csv
EXCL=$CACHE/contracts-${GB}gb.exclusions.csv
want=$(python3 -c "print(int($GB * 1e9))")
rows=$(python3 -c "print(int($GB * 1e9 / 2380) + 1000)")

size() { stat -c %s "$1" 2>/dev/null || echo 0; }
if [ "$(size "$CSV")" -lt "$want" ] || [ ! -f "$EXCL" ]; then
    echo "bench/spend: generating $rows rows into $CSV (not timed)"
    "$DOGE" --quiet synth awards --rows "$rows" --kind contracts --seed 2025 -o "$CSV" \
        --exclusions "$EXCL" >/dev/null
fi
bytes=$(size "$CSV")
if [ "$bytes" -lt "$want" ]; then
    echo "bench/spend: $CSV has $bytes bytes, fewer than $want" >&2
    exit 1
fi

if [ ! -d "$NODE_DIR/node_modules/@duckdb/node-api" ]; then
    echo "bench/spend: installing @duckdb/node-api into $NODE_DIR"
    (cd "$NODE_DIR" && npm install --no-audit --no-fund --silent @duckdb/node-api >/dev/null)
fi
duckver=$(python3 -c "import json; print(json.load(open('$NODE_DIR/node_modules/@duckdb/node-api/package.json'))['version'])")

T=$(mktemp -d "${TMPDIR:-/tmp}/doge-bench-spend.XXXXXX")
trap 'rm -rf "$T"' EXIT
secs() { python3 -c "import time; print(time.time())"; }
rss_mb() { awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); printf "%.0f", $2 / 1024 }' "$1"; }
cpu_s() { awk -F: '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$1"; }
warm() { cat "$CSV" "$EXCL" > /dev/null; }

echo "bench/spend: $CSV: $(python3 -c "print(round($bytes / 1e9, 2))") GB, $THREADS threads, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

warm
t0=$(secs)
/usr/bin/time -v -o "$T/doge.time" "$DOGE" --quiet --json spend audit "$CSV" --exclusions "$EXCL" \
    --threads "$THREADS" --no-ledger > "$T/doge.json"
t1=$(secs)
doge_s=$(python3 -c "print($t1 - $t0)")
doge_gbs=$(python3 -c "print(round($bytes / 1e9 / $doge_s, 3))")
phases=$(python3 -c "import json; t=json.load(open('$T/doge.json'))['totals']; print('scan', round(t['seconds'], 2), 's, merge and rules', round(t['finish_seconds'], 2), 's')")
echo "doge spend audit:  $(python3 -c "print(round($doge_s, 2))") s ($phases)  $doge_gbs GB/s  CPU $(cpu_s "$T/doge.time") s  peak RSS $(rss_mb "$T/doge.time") MB (mapped file pages included)"

warm
t0=$(secs)
/usr/bin/time -v -o "$T/duck.time" node "$HERE/spend_duckdb.js" "$NODE_DIR" "$CSV" "$EXCL" "$THREADS" > "$T/duck.json"
t1=$(secs)
duck_s=$(python3 -c "print($t1 - $t0)")
duck_gbs=$(python3 -c "print(round($bytes / 1e9 / $duck_s, 3))")
echo "duckdb $duckver:  $(python3 -c "print(round($duck_s, 2))") s  $duck_gbs GB/s  CPU $(cpu_s "$T/duck.time") s  peak RSS $(rss_mb "$T/duck.time") MB  (in-process $(python3 -c "import json; j=json.load(open('$T/duck.json')); print(round(j['seconds'], 2), 's, CSV load', round(j['load_seconds'], 2))") s)"

python3 - "$T/doge.json" "$T/duck.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
k = json.load(open(sys.argv[2]))["counts"]
ours = {r["rule"]: r["findings"] for r in d["rules"]}
same = all(ours[r] == k[r] for r in ours)
print("findings per rule, doge / duckdb:", ", ".join(f"{r} {ours[r]}/{k[r]}" for r in ours),
      "(same)" if same else "(DIFFERENT)")
PY
echo "ratio duckdb time / doge time: $(python3 -c "print(round($duck_s / $doge_s, 2))")x (target >= 1.5x); doge $doge_gbs GB/s (target >= 1.0 GB/s on 2 threads)"
echo "CPU ratio duckdb / doge: $(python3 -c "print(round($(cpu_s "$T/duck.time") / $(cpu_s "$T/doge.time"), 2))")x; doge $(python3 -c "print(round($bytes / 1e9 / $(cpu_s "$T/doge.time"), 3))") GB per CPU-second (a busy machine stretches wall times; CPU seconds much less)"
