#!/usr/bin/env bash
# tests/scripts/ledger_crash.sh — crash test of the ledger's durable commit:
# runs tests/ledger_crash_driver (which appends random batches of "entry <i>"
# and prints "ack <size>" after each commit) on one folder, kills it with
# SIGKILL after a random 0-300 ms, then runs the driver's "verify" mode and
# requires that the log opens read-only and writable, passes
# doge_ledger_verify, reads back every entry as "entry <i>", holds at least
# every acknowledged entry and at most one unacknowledged batch (2000) more
# than the run's last ack (or the size it started from), and that the next
# run opens it at exactly the verified size. The log accumulates across
# trials, each reopening the folder the last one was killed in; once it
# holds DOGE_CRASH_MAX_ENTRIES (default 80000, 70000 when DOGE_SANITIZED=1;
# both past the first full level-1 tile at 65536) a fresh folder starts,
# which keeps the per-trial verification (linear in the log's size) within
# the time budget.
# Trials: DOGE_CRASH_TRIALS (default 50). Prints "N passed, M failed"; exits
# non-zero on any failure. $1 is the doge binary (unused); the driver is
# $DOGE_BINARY_DIR/tests/ledger_crash_driver.
set -u

BIN_DIR=${DOGE_BINARY_DIR:?DOGE_BINARY_DIR must name the build folder}
DRIVER="$BIN_DIR/tests/ledger_crash_driver"
TRIALS=${DOGE_CRASH_TRIALS:-50}
MAX_ENTRIES=${DOGE_CRASH_MAX_ENTRIES:-80000}
[ "${DOGE_SANITIZED:-0}" = 1 ] && MAX_ENTRIES=${DOGE_CRASH_MAX_ENTRIES:-70000}
BATCH_MAX=2000 # the driver's largest batch

if [ ! -x "$DRIVER" ]; then
    echo "ledger_crash: $DRIVER not found or not executable (build the tests first)" >&2
    exit 1
fi

SEED=${DOGE_TEST_SEED:-$(( $(date +%s) % 32768 ))}
RANDOM=$SEED
WORK=$(mktemp -d /tmp/doge-ledger-crash-XXXXXX)
KEEP=0
pid=""
cleanup() {
    # A driver left running (the script itself was stopped) goes too.
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
    if [ "$KEEP" = 0 ]; then rm -rf "$WORK"; else echo "ledger_crash: failed logs kept in $WORK" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
echo "ledger_crash: $TRIALS trials, sleep seed $SEED (DOGE_TEST_SEED), driver $DRIVER, in $WORK"

epoch=0
LOG="$WORK/log.$epoch"
acked=0     # the largest size any run acknowledged on this folder
verified=0  # the size the last verify found
passed=0
failed=0
total_killed_mid_run=0
start=$(date +%s)

new_folder() {
    epoch=$((epoch + 1))
    LOG="$WORK/log.$epoch"
    acked=0
    verified=0
}

for trial in $(seq 1 "$TRIALS"); do
    if [ "$verified" -ge "$MAX_ENTRIES" ]; then
        rm -rf "$LOG"
        new_folder
    fi
    out="$WORK/run.out"
    err="$WORK/run.err"
    "$DRIVER" run "$LOG" >"$out" 2>"$err" &
    pid=$!
    ms=$((RANDOM % 301))
    sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    if kill -9 "$pid" 2>/dev/null; then
        total_killed_mid_run=$((total_killed_mid_run + 1))
    fi
    wait "$pid" 2>/dev/null
    status=$?
    pid=""
    problem=""
    # 137 = killed by SIGKILL; anything else means the driver itself failed.
    if [ "$status" -ne 137 ]; then
        problem="driver exited with status $status: $(head -c 2000 "$err")"
    fi
    last_ack=$(awk '$1 == "ack" { a = $2 } END { print a + 0 }' "$out")
    opened=$(awk '$1 == "open" { print $2; exit }' "$out")
    [ "$last_ack" -gt "$acked" ] && acked=$last_ack
    if [ -z "$problem" ] && [ -n "$opened" ] && [ "$opened" -ne "$verified" ]; then
        problem="the driver opened the log at size $opened, the last verify found $verified"
    fi

    vout=$("$DRIVER" verify "$LOG" 2>"$WORK/verify.err")
    vstatus=$?
    size=$(printf '%s\n' "$vout" | awk '$1 == "size" { print $2 }')
    if [ -z "$problem" ]; then
        if [ "$vstatus" -ne 0 ] || [ -z "$size" ]; then
            problem="verify failed (status $vstatus): $(head -c 2000 "$WORK/verify.err")"
        elif [ "$size" -lt "$acked" ]; then
            problem="the log holds $size entries but $acked were acknowledged"
        else
            # At most the one batch in flight when the kill came, on top of
            # the last ack of this run or, without one, of what the run opened.
            base=$verified
            [ "$last_ack" -gt "$base" ] && base=$last_ack
            if [ "$size" -gt $((base + BATCH_MAX)) ]; then
                problem="the log holds $size entries, more than one batch beyond $base (the last ack, or the size the run started from)"
            fi
        fi
    fi
    if [ -z "$problem" ]; then
        passed=$((passed + 1))
        verified=$size
        printf 'trial %d: killed after %d ms, acknowledged %d, log holds %d: ok\n' \
            "$trial" "$ms" "$acked" "$size"
    else
        failed=$((failed + 1))
        KEEP=1
        printf 'trial %d: killed after %d ms, acknowledged %d: FAILED: %s\n' \
            "$trial" "$ms" "$acked" "$problem"
        kept="$LOG.failed-trial-$trial"
        mv "$LOG" "$kept" 2>/dev/null
        cp "$out" "$kept.run.out"; cp "$err" "$kept.run.err"; cp "$WORK/verify.err" "$kept.verify.err"
        printf '%s\n' "$problem" >"$kept.problem"
        new_folder
    fi
done

elapsed=$(( $(date +%s) - start ))
echo "ledger_crash: $total_killed_mid_run of $TRIALS runs killed while running, $epoch fresh folder(s) after the first, ${elapsed} s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -eq "$TRIALS" ]
