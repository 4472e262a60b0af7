#!/bin/bash
# tests/scripts/pulse_flow.sh — the weekly check-in end to end on a synthetic
# workforce: roster import, campaign, delivery to the outbox (resumable),
# synthetic replies as mbox and as Maildir, ingest, and compliance that must
# equal the generator's ground truth exactly, per department and in total.
# Re-ingesting changes nothing; a receipt's tlog-proof verifies offline.
# In `make check`: 10,000 employees (3,000 under the sanitizers); the
# issue's acceptance size, 100,000, runs with `make check-scale`.
# Usage: pulse_flow.sh DOGE_BINARY [EMPLOYEES]
set -u
DOGE=$1
if [ "${DOGE_SANITIZED:-}" = 1 ]; then default_n=3000; else default_n=10000; fi
N=${2:-${DOGE_PULSE_EMPLOYEES:-$default_n}}
echo "pulse_flow: $N employees"
T=$(mktemp -d "${TMPDIR:-/tmp}/doge-pulse.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
check() { # check NAME COMMAND...
    local name=$1
    shift
    if "$@"; then
        pass=$((pass + 1))
        echo "ok   $name"
    else
        fail=$((fail + 1))
        echo "FAIL $name"
    fi
}
d() { "$DOGE" -C "$T/ws" --quiet "$@"; }

"$DOGE" init "$T/ws" >/dev/null || exit 1
"$DOGE" synth workforce --employees "$N" --departments 6 --seed 11 -o "$T/roster.csv" >/dev/null
d roster import "$T/roster.csv" >/dev/null
d id new pulse.example/log >/dev/null 2>&1
d ledger init --key pulse.example/log >/dev/null
check "open" d pulse open --week 2025-W08 --deadline 2025-02-24T23:59-05:00 --domain pulse.example
check "open twice is refused" bash -c "! '$DOGE' -C '$T/ws' pulse open --week 2025-W08 --deadline 2025-02-24T23:59-05:00 2>/dev/null"
check "send" d pulse send --week 2025-W08
check "one request per employee in outbox/new" test "$(ls "$T/ws/outbox/new" | wc -l)" -eq "$N"
# A crash after the files were written but before they were recorded:
# they are found and not written again.
sqlite3 "$T/ws/doge.db" "UPDATE pulse_request SET state = 'pending' WHERE rowid % 7 = 0"
before=$(stat -c %Y "$T/ws/outbox/new" ; ls "$T/ws/outbox/new" | md5sum)
check "resumed send recovers, sends no second copy" bash -c "
    out=\$('$DOGE' -C '$T/ws' --json pulse send --week 2025-W08) &&
    python3 -c 'import json,sys; j=json.loads(sys.argv[1]); sys.exit(0 if j[\"delivered\"] == 0 and j[\"recovered\"] > 0 else 1)' \"\$out\" &&
    test \"\$(ls '$T/ws/outbox/new' | wc -l)\" -eq $N"
check "request mail has its reply token" bash -c "grep -q '^Reply-To: <pulse+[a-z2-7]\{26\}@pulse.example>' \"\$(find '$T/ws/outbox/new' -type f | head -1)\""

cp -r "$T/ws" "$T/ws2" # the same week, to ingest from a Maildir instead
d synth replies --week 2025-W08 --seed 5 -o "$T/replies.mbox" >/dev/null
"$DOGE" -C "$T/ws2" --quiet synth replies --week 2025-W08 --seed 5 --format maildir -o "$T/replies.d" >/dev/null
cp -r "$T/ws" "$T/ws3" # the same mbox again, parsed with no worker threads
check "ingest mbox" d pulse ingest "$T/replies.mbox"
check "ingest mbox, no worker threads" "$DOGE" -C "$T/ws3" --quiet pulse ingest --no-receipts --threads 0 "$T/replies.mbox"
rows() { # the stored replies and the ledger's entries of a workspace
    sqlite3 "$1/doge.db" "SELECT id, week, employee_id, kind, matched_by, message_id, content_hash,
        source, sent_at, on_time, bullet_count, manager_cc, flags, bullets, note, superseded,
        ledger_index FROM pulse_reply ORDER BY id" &&
    sqlite3 "$1/doge.db" "SELECT * FROM pulse_request ORDER BY week, employee_id" &&
    find "$1/ledger/tile/entries" -type f | sort | sed "s|^$1||" | xargs -I{} cat "$1{}"
}
check "worker threads change nothing" bash -c "cmp -s <($(declare -f rows); rows '$T/ws') <($(declare -f rows); rows '$T/ws3')"
check "ingest Maildir" "$DOGE" -C "$T/ws2" --quiet pulse ingest --no-receipts "$T/replies.d"

compare() { # compare WORKSPACE: status --json against the truth file
    "$DOGE" -C "$1" --json pulse status --week 2025-W08 > "$T/status.json" &&
    python3 - "$T/status.json" "$T/replies.mbox.truth.csv" <<'PY'
import csv, json, sys
status = json.load(open(sys.argv[1]))
truth = {}
for row in csv.DictReader(open(sys.argv[2])):
    t = truth.setdefault(row["department"], dict(expected=0, on_time=0, late=0, auto_reply_only=0, bounced=0, not_replied=0))
    t["expected"] += 1
    t[row["outcome"]] += 1
ok = True
for d in status["departments"]:
    t = truth.get(d["department"])
    got = {k: d[k] for k in ("expected", "on_time", "late", "auto_reply_only", "bounced", "not_replied")}
    if got != t:
        print("mismatch", d["department"], "got", got, "truth", t)
        ok = False
if len(status["departments"]) != len(truth):
    print("department count differs"); ok = False
sys.exit(0 if ok else 1)
PY
}
check "status equals the ground truth (mbox)" compare "$T/ws"
check "status equals the ground truth (Maildir)" compare "$T/ws2"
size1=$(d --json ledger checkpoint | python3 -c 'import json,sys; print(json.load(sys.stdin)["size"])')
check "re-ingest changes nothing" bash -c "
    out=\$('$DOGE' -C '$T/ws' --json pulse ingest '$T/replies.mbox') &&
    python3 -c 'import json,sys; j=json.loads(sys.argv[1]); sys.exit(0 if j[\"replies\"] == 0 and j[\"duplicates\"] == j[\"messages\"] and j[\"ledger_size\"] == $size1 else 1)' \"\$out\""
# The de-duplication keys lost (or a workspace from before they were kept):
# the next ingest rebuilds them from the rows and still sees every message.
check "re-ingest after the keys are rebuilt changes nothing" bash -c "
    sqlite3 '$T/ws2/doge.db' 'DELETE FROM pulse_reply_keys' &&
    out=\$('$DOGE' -C '$T/ws2' --json pulse ingest --no-receipts '$T/replies.d') &&
    python3 -c 'import json,sys; j=json.loads(sys.argv[1]); sys.exit(0 if j[\"replies\"] == 0 and j[\"duplicates\"] == j[\"messages\"] else 1)' \"\$out\" &&
    test \"\$(sqlite3 '$T/ws2/doge.db' 'SELECT SUM(replies) = (SELECT COUNT(*) FROM pulse_reply) FROM pulse_reply_keys')\" = 1"
check "the ledger verifies" d ledger verify
# A receipt: its attachments verify offline against a policy naming the log key.
check "a receipt's tlog-proof verifies offline" python3 - "$T" "$DOGE" <<'PY'
import base64, email, glob, subprocess, sys
T, DOGE = sys.argv[1], sys.argv[2]
path = sorted(glob.glob(T + "/ws/outbox/new/receipt.*"))[0]
msg = email.message_from_binary_file(open(path, "rb"))
files = {p.get_filename(): p.get_payload(decode=True) for p in msg.walk() if p.get_filename()}
open(T + "/reply.json", "wb").write(files["reply.json"])
open(T + "/reply.tlog-proof", "wb").write(files["reply.tlog-proof"])
vkey = open(T + "/ws/keys/pulse.example_log.pub").read().strip()
open(T + "/policy", "w").write("log %s\nquorum none\n" % vkey)
r = subprocess.run([DOGE, "ledger", "verify-proof", T + "/reply.tlog-proof", T + "/reply.json", "--policy", T + "/policy"])
if r.returncode != 0:
    sys.exit(1)
bad = files["reply.json"].replace(b'"on_time":', b'"on_time": ')
open(T + "/bad.json", "wb").write(bad)
r = subprocess.run([DOGE, "ledger", "verify-proof", T + "/reply.tlog-proof", T + "/bad.json", "--policy", T + "/policy"], capture_output=True)
sys.exit(0 if r.returncode == 1 else 1)
PY
check "manager subtree status" bash -c "
    m=\$(sqlite3 '$T/ws/doge.db' \"SELECT manager_id FROM roster WHERE manager_id <> '' GROUP BY manager_id ORDER BY COUNT(*) DESC LIMIT 1\") &&
    '$DOGE' -C '$T/ws' --json pulse status --week 2025-W08 --manager \"\$m\" --non-responders > '$T/m.json' &&
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); t=j[\"total\"]; sys.exit(0 if t[\"expected\"] > 0 and len(j[\"non_responders\"]) == t[\"expected\"] - t[\"replied\"] else 1)' '$T/m.json'"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
