#!/bin/bash
# tests/scripts/serve_witness.sh — three `doge serve` nodes on loopback: a
# log and two department witnesses, each in its own workspace. `doge
# witness push` sends the log's checkpoint to both over HTTP
# (c2sp.org/tlog-witness), collects both cosignatures, and an entry's
# tlog-proof verifies under a 2-of-2 tlog-policy; the log grows and is
# pushed again (a consistency proof); a log that forgot what a witness
# cosigned recovers through the 409 and its text/x.tlog.size answer; a
# forked log with the same key is refused (409 at the same size, 422 with a
# proof that does not verify); malformed, unsigned and unknown-origin
# requests get 400, 403 and 404.
# Usage: serve_witness.sh DOGE_BINARY
set -u
DOGE=$1
T=$(mktemp -d "${TMPDIR:-/tmp}/doge-witness.XXXXXX")
. "$(dirname "$0")/lib/serve.sh"
trap serve_cleanup EXIT
d() { "$DOGE" -C "$T/$1" --quiet "${@:2}"; }

"$DOGE" init "$T/log" >/dev/null || exit 1
d log id new log.example/ledger >/dev/null 2>&1
d log ledger init --key log.example/ledger >/dev/null
seq 1 300 | sed 's/^/record /' | d log ledger append --lines - >/dev/null
for w in treasury interior; do
    "$DOGE" init "$T/$w" >/dev/null
    d "$w" id new "$w.example/witness" --witness >/dev/null 2>&1
    d "$w" witness add-log "$T/log/keys/log.example_ledger.pub" >/dev/null
    cp "$T/$w/keys/$w.example_witness.pub" "$T/log/keys/"
done
serve_start log "$T/log" || exit 1
serve_start treasury "$T/treasury" || exit 1
serve_start interior "$T/interior" || exit 1
{
    echo "log $(cat "$T/log/keys/log.example_ledger.pub")"
    echo "witness treasury $(cat "$T/treasury/keys/treasury.example_witness.pub")"
    echo "witness interior $(cat "$T/interior/keys/interior.example_witness.pub")"
    echo "group departments all treasury interior"
    echo "quorum departments"
} > "$T/policy.txt"

verify_entry() { # verify_entry N: the entry's proof from the log node meets the 2-of-2 policy
    d log ledger prove "$1" > "$T/p.tlog-proof" && d log ledger get "$1" > "$T/e" &&
        "$DOGE" ledger verify-proof "$T/p.tlog-proof" "$T/e" --policy "$T/policy.txt" >/dev/null
}

fails() { ! "$@" 2>/dev/null; }
check "an entry's proof fails the 2-of-2 policy before any push" fails verify_entry 7
check "witness push to both witnesses over HTTP" d log witness push "$treasury_URL/witness" "$interior_URL/witness"
check "both cosignatures in the checkpoint served over HTTP" \
    test "$(curl -s "$log_URL/ledger/checkpoint" | grep -c '^— \(treasury\|interior\).example/witness ')" -eq 2
check "the served checkpoint is the file" cmp -s <(curl -s "$log_URL/ledger/checkpoint") "$T/log/ledger/checkpoint"
check "entry 7 verifies under the 2-of-2 policy" verify_entry 7
check "the witnesses recorded size 300" bash -c "d() { '$DOGE' -C \"\$@\"; }; d '$T/treasury' --json witness status | grep -q '\"cosigned_size\": 300'"

seq 1 500 | sed 's/^/more /' | d log ledger append --lines - >/dev/null
check "push again after the log grew (consistency proof from 300)" \
    bash -c "'$DOGE' -C '$T/log' --json witness push '$treasury_URL/witness' '$interior_URL/witness' > '$T/push2.json'"
check "the second push went from 300 to 800" python3 -c "
import json; r = json.load(open('$T/push2.json'))
assert all(x['ok'] and x['old_size'] == 300 and x['size'] == 800 and x['added'] == 1 for x in r), r"
check "entry 700 verifies under the 2-of-2 policy" verify_entry 700
check "pushing again without growth is a no-op" d log witness push "$treasury_URL/witness"
check "the checkpoint still has one cosignature per witness" \
    test "$(grep -c '^— treasury.example/witness ' "$T/log/ledger/checkpoint")" -eq 1

# The log forgets what treasury cosigned: it starts from 0, gets 409 with
# treasury's size and retries from there.
sqlite3 "$T/log/doge.db" "DELETE FROM witness_peer"
seq 1 5 | d log ledger append --lines - >/dev/null
check "push recovers through 409 (text/x.tlog.size)" \
    bash -c "'$DOGE' -C '$T/log' --json witness push '$treasury_URL/witness' > '$T/push3.json'"
check "one retry, from 800" python3 -c "
import json; r = json.load(open('$T/push3.json'))[0]
assert r['ok'] and r['retries'] == 1 and r['old_size'] == 800 and r['size'] == 805, r"

# Raw requests to the endpoint.
d log ledger prove --from 0 > "$T/req0"
check "409 from a stale old size, with text/x.tlog.size" bash -c "
    curl -s -D '$T/h' -o '$T/b' --data-binary @'$T/req0' '$treasury_URL/witness/add-checkpoint' &&
    grep -q '^HTTP/1.1 409' '$T/h' && grep -qi '^Content-Type: text/x.tlog.size' '$T/h' &&
    test \"\$(cat '$T/b')\" = 805"
check "400 for a malformed body" test "$(status "$treasury_URL/witness/add-checkpoint" --data-binary 'hello')" = 400
check "400 for an empty body" test "$(status "$treasury_URL/witness/add-checkpoint" -X POST)" = 400
check "400 for a bad proof line" test "$(status "$treasury_URL/witness/add-checkpoint" --data-binary $'old 1\nnot-base64\n\nx\n')" = 400
check "400 for an old size above the checkpoint's" bash -c "
    { echo 'old 900'; echo; d() { '$DOGE' -C \"\$@\"; }; d '$T/log' ledger checkpoint; } > '$T/req-high' &&
    test \"\$(curl -s -o /dev/null -w '%{http_code}' --data-binary @'$T/req-high' '$treasury_URL/witness/add-checkpoint')\" = 400"
"$DOGE" init "$T/other" >/dev/null
d other id new other.example/log >/dev/null 2>&1
d other ledger init --key other.example/log >/dev/null
d other ledger prove --from 0 > "$T/req-other"
check "404 for a log the witness does not follow" test "$(status "$treasury_URL/witness/add-checkpoint" --data-binary @"$T/req-other")" = 404
# The same origin, signed by another key: no valid signature.
"$DOGE" init "$T/impostor" >/dev/null
d impostor id new log.example/ledger >/dev/null 2>&1
d impostor ledger init --key log.example/ledger >/dev/null
d impostor ledger prove --from 0 > "$T/req-impostor"
check "403 for a checkpoint without the log's signature" test "$(status "$treasury_URL/witness/add-checkpoint" --data-binary @"$T/req-impostor")" = 403
check "405 for GET on the endpoint" test "$(status "$treasury_URL/witness/add-checkpoint")" = 405

# A fork: the log's key signs another history of the same origin.
"$DOGE" init "$T/fork" >/dev/null
cp "$T/log/keys/log.example_ledger."* "$T/fork/keys/"
d fork ledger init --key log.example/ledger >/dev/null
seq 1 800 | sed 's/^/forged /' | d fork ledger append --lines - >/dev/null
d fork ledger prove --from 800 > "$T/req-fork-same"
check "409 for a forked checkpoint of the same size" test "$(status "$interior_URL/witness/add-checkpoint" --data-binary @"$T/req-fork-same")" = 409
seq 1 20 | d fork ledger append --lines - >/dev/null
d fork ledger prove --from 800 > "$T/req-fork-more"
check "422 for a forked checkpoint whose proof does not verify" test "$(status "$interior_URL/witness/add-checkpoint" --data-binary @"$T/req-fork-more")" = 422
check "witness push of the fork fails" bash -c "! '$DOGE' -C '$T/fork' --quiet witness push '$interior_URL/witness' 2>/dev/null"
check "the witness still holds the real log's size" bash -c "'$DOGE' -C '$T/interior' --json witness status | grep -q '\"cosigned_size\": 800'"

check "SIGTERM stops the log node cleanly" serve_stop "$log_PID"
check "SIGTERM stops the first witness cleanly" serve_stop "$treasury_PID"
check "SIGTERM stops the second witness cleanly" serve_stop "$interior_PID"
serve_summary
