#!/bin/bash
# tests/scripts/serve_review.sh — the review routes of `doge serve` on
# 127.0.0.1: /api/review/queue is `doge --json review queue` (whole week, a
# department, a limit), /api/review/reply/<id> is `doge --json review show`,
# /api/pulse/report is `doge --json pulse report` and /pulse/report its HTML
# with a policy of its own; POST /api/review/decide needs a reviewer or admin
# token, names the token's holder as "by", goes into the ledger and takes
# the reply off the queue; the reply form reviews the new reply at once
# (the note says the copy-paste check waits for the week's run) and a vague
# one enters the queue; the respondent's appeal from the receipt page
# (CSRF-checked like the form) goes into the ledger and puts the reply back
# on the queue as "appealed". Every error: 400, 401, 403, 404, 405, 413,
# 415, and reads with read_token = required.
# Usage: serve_review.sh DOGE_BINARY
set -u
DOGE=$1
T=$(mktemp -d "${TMPDIR:-/tmp}/doge-review-api.XXXXXX")
. "$(dirname "$0")/lib/serve.sh"
trap serve_cleanup EXIT
d() { "$DOGE" -C "$T/w" --quiet "$@"; }
json_eq() { # json_eq FILE1 FILE2 [KEY TO DROP]: the same JSON value
    python3 -c "
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for k in sys.argv[3:]:
    a.pop(k, None); b.pop(k, None)
sys.exit(0 if a == b else 1)" "$@"
}
py() { python3 -c "$@"; }

"$DOGE" init "$T/w" >/dev/null || exit 1
d id new review.example/log >/dev/null 2>&1
d ledger init --key review.example/log >/dev/null
"$DOGE" synth workforce --employees 300 --departments 3 --seed 4 -o "$T/roster.csv" >/dev/null
d roster import "$T/roster.csv" >/dev/null
printf '\n[serve]\nrate = 0\nbody_max = 8192\n' >> "$T/w/doge.conf"
d pulse open --week 2025-W08 --deadline 2030-02-24T23:59-05:00 --domain review.example
d pulse send --week 2025-W08
d synth replies --week 2025-W08 --seed 3 -o "$T/replies.mbox" >/dev/null
d pulse ingest --no-receipts "$T/replies.mbox" >/dev/null   # reviews the week at the end
REVIEWER=$(d token new --role reviewer --name alice)
ADMIN=$(d token new --role admin)
DEPTTOK=$(d token new --role department)
serve_start rv "$T/w" || exit 1
U=$rv_URL
W=2025-W08

# ---- the queue, a reply's evidence, the report: as the CLI ----
d --json review queue --week $W > "$T/q-cli.json"
curl -s "$U/api/review/queue?week=$W" > "$T/q-api.json"
check "/api/review/queue is doge --json review queue" json_eq "$T/q-cli.json" "$T/q-api.json"
check "the queue is not empty" py "import json; assert len(json.load(open('$T/q-api.json'))['queue']) > 5"
DEPT=$(py "import json; print(json.load(open('$T/q-cli.json'))['queue'][0]['department'])")
d --json review queue --week $W --department "$DEPT" --limit 3 > "$T/qd-cli.json"
curl -s -G "$U/api/review/queue" --data-urlencode week=$W --data-urlencode "department=$DEPT" -d limit=3 > "$T/qd-api.json"
check "the same for one department and limit=3" json_eq "$T/qd-cli.json" "$T/qd-api.json"
check "limit=3 gives three" py "import json; assert len(json.load(open('$T/qd-api.json'))['queue']) == 3"
R1=$(py "import json; print(json.load(open('$T/q-cli.json'))['queue'][0]['reply'])")
d --json review show "$R1" > "$T/show-cli.json"
curl -s "$U/api/review/reply/$R1" > "$T/show-api.json"
check "/api/review/reply/<id> is doge --json review show" json_eq "$T/show-cli.json" "$T/show-api.json"
check "it holds each bullet's evidence" py "
import json; j = json.load(open('$T/show-api.json'))
b = j['bullets'][0]; assert b['category'] and 'features' in b and 'specificity_evidence' in b, b"
d --json pulse report --week $W > "$T/rep-cli.json"
curl -s "$U/api/pulse/report?week=$W" > "$T/rep-api.json"
check "/api/pulse/report is doge --json pulse report (but generated_at)" json_eq "$T/rep-cli.json" "$T/rep-api.json" generated_at
curl -s -D "$T/rep.h" "$U/pulse/report?week=$W" > "$T/rep.html"
check "/pulse/report is the HTML report" bash -c "grep -q '<svg' '$T/rep.html' && tr -d '\r' < '$T/rep.h' | grep -qi '^Content-Type: text/html'"
check "with one policy of its own: inline style, no script" bash -c "test \$(tr -d '\r' < '$T/rep.h' | grep -ci '^Content-Security-Policy:') = 1 && grep -qi \"^Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\" '$T/rep.h' && ! grep -q '<script' '$T/rep.html'"

# ---- read errors ----
check "queue: 400 without a week" test "$(status "$U/api/review/queue")" = 400
check "queue: 404 for a week without a campaign" test "$(status "$U/api/review/queue?week=2024-W01")" = 404
for l in 0 1001 abc -1 2x; do
    check "queue: 400 for limit=$l" test "$(status "$U/api/review/queue?week=$W&limit=$l")" = 400
done
check "queue: an unknown department is an empty queue" py "
import json, urllib.request
j = json.load(urllib.request.urlopen('$U/api/review/queue?week=$W&department=Nowhere'))
assert j['queue'] == [] and j['department'] == 'Nowhere', j"
check "queue: 405 for POST" test "$(status "$U/api/review/queue?week=$W" -d x=1)" = 405
check "queue: errors are JSON" bash -c "curl -s '$U/api/review/queue' | grep -q '\"error\":{\"status\":400'"
for p in 999999 0 abc -1 1/2 '1%2F2' ''; do
    check "reply: 404 for /api/review/reply/$p" test "$(status "$U/api/review/reply/$p")" = 404
done
check "report: 400 without a week" test "$(status "$U/api/pulse/report")" = 400
check "report: 404 for a week without a campaign" test "$(status "$U/api/pulse/report?week=2024-W01")" = 404
check "HTML report: 404 for a week without a campaign" test "$(status "$U/pulse/report?week=2024-W01")" = 404

# ---- decisions ----
dec() { # dec BODY [CURL ARGS...]: the status of POST /api/review/decide
    local body=$1
    shift
    curl -s -o "$T/dec.json" -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "$body" "$@" "$U/api/review/decide"
}
OKB="{\"reply\": $R1, \"outcome\": \"follow-up\", \"reason\": \"ask which files were audited\"}"
check "decide: 401 without a token" test "$(dec "$OKB")" = 401
check "decide: 401 with an unknown token" test "$(dec "$OKB" -H "Authorization: Bearer doge_$(printf '%064d' 0)")" = 401
check "decide: 403 with a department token" test "$(dec "$OKB" -H "Authorization: Bearer $DEPTTOK")" = 403
check "decide: 405 for GET" test "$(status "$U/api/review/decide")" = 405
AUTH=(-H "Authorization: Bearer $REVIEWER")
check "decide: 415 for a form body" test "$(curl -s -o /dev/null -w '%{http_code}' "${AUTH[@]}" -d "reply=$R1" "$U/api/review/decide")" = 415
check "decide: 400 for malformed JSON" test "$(dec '{"reply": ' "${AUTH[@]}")" = 400
check "decide: 400 for a JSON array" test "$(dec '[1,2]' "${AUTH[@]}")" = 400
check "decide: 400 without a reply" test "$(dec '{"outcome": "ok", "reason": "fine"}' "${AUTH[@]}")" = 400
check "decide: 400 for a negative reply" test "$(dec '{"reply": -4, "outcome": "ok", "reason": "fine"}' "${AUTH[@]}")" = 400
check "decide: 400 for an unknown outcome" test "$(dec "{\"reply\": $R1, \"outcome\": \"fire\", \"reason\": \"x\"}" "${AUTH[@]}")" = 400
check "  naming the outcomes" grep -q 'use ok, follow-up or escalate' "$T/dec.json"
check "decide: 400 for a blank reason" test "$(dec "{\"reply\": $R1, \"outcome\": \"ok\", \"reason\": \"  \"}" "${AUTH[@]}")" = 400
check "decide: 400 for a reason that is not a string" test "$(dec "{\"reply\": $R1, \"outcome\": \"ok\", \"reason\": 5}" "${AUTH[@]}")" = 400
check "decide: 404 for an unknown reply" test "$(dec '{"reply": 999999, "outcome": "ok", "reason": "fine"}' "${AUTH[@]}")" = 404
check "decide: 413 for a body over body_max" test "$(dec "{\"reply\": $R1, \"outcome\": \"ok\", \"reason\": \"$(head -c 9000 /dev/zero | tr '\0' a)\"}" "${AUTH[@]}")" = 413
check "nothing was decided by the refused posts" test "$(sqlite3 "$T/w/doge.db" "SELECT COUNT(*) FROM review_decision")" = 0
SIZE0=$(d --json ledger checkpoint | py "import json,sys; print(json.load(sys.stdin)['size'])")
check "decide: 200 for the reviewer" test "$(dec "$OKB" "${AUTH[@]}")" = 200
check "  by the token's holder, into the next ledger entry" py "
import json; j = json.load(open('$T/dec.json'))
assert j['by'].startswith('alice#') and j['ledger_index'] == $SIZE0 and j['outcome'] == 'follow-up', j"
check "the ledger entry is the decision" bash -c "d() { '$DOGE' -C '$T/w' --quiet \"\$@\"; }; d ledger get $SIZE0 | python3 -c 'import json,sys; j = json.load(sys.stdin); assert j[\"kind\"] == \"review.decision\" and j[\"reply\"] == $R1 and j[\"by\"].startswith(\"alice#\"), j'"
check "the reply left the queue" py "
import json, urllib.request
q = json.load(urllib.request.urlopen('$U/api/review/queue?week=$W&limit=1000'))['queue']
assert all(i['reply'] != $R1 for i in q)"
check "its evidence lists the decision" bash -c "curl -s '$U/api/review/reply/$R1' | grep -q '\"outcome\":\"follow-up\"'"
R2=$(py "import json; print(json.load(open('$T/q-cli.json'))['queue'][1]['reply'])")
check "decide: 200 for an admin token, with the reply as \"#id\"" test "$(dec "{\"reply\": \"#$R2\", \"outcome\": \"ok\", \"reason\": \"fine\"}" -H "Authorization: Bearer $ADMIN")" = 200
check "  an unnamed token is token#ID" py "import json; assert json.load(open('$T/dec.json'))['by'].startswith('token#')"

# ---- the form reviews a new reply; the appeal ----
fresh() { sqlite3 "$T/w/doge.db" "SELECT r.token FROM pulse_request r WHERE NOT EXISTS (SELECT 1 FROM pulse_reply p WHERE p.week = r.week AND p.employee_id = r.employee_id) ORDER BY r.token LIMIT 1 OFFSET $1"; }
TOK=$(fresh 0)
EMP=$(sqlite3 "$T/w/doge.db" "SELECT employee_id FROM pulse_request WHERE token = '$TOK'")
csrf_of() { grep -o 'name="csrf" value="[0-9a-f]*"' "$1" | head -1 | sed 's/.*value="//; s/"$//'; }
curl -s -c "$T/jar" "$U/pulse/reply?t=$TOK" > "$T/form.html"
check "no appeal form before a reply" bash -c "! grep -q 'id=\"appeal-form\"' '$T/form.html'"
CSRF=$(csrf_of "$T/form.html")
curl -s -b "$T/jar" -c "$T/jar" --data-urlencode "t=$TOK" --data-urlencode "csrf=$CSRF" \
    --data-urlencode $'bullets=- Stuff\n- Various things' "$U/pulse/reply" > "$T/receipt.html"
RID=$(sqlite3 "$T/w/doge.db" "SELECT id FROM pulse_reply WHERE employee_id = '$EMP' AND superseded = 0")
check "the form's reply is reviewed at once" test "$(sqlite3 "$T/w/doge.db" "SELECT COUNT(*) FROM review_reply WHERE reply_id = $RID")" = 1
check "the receipt shows the review's note, saying the copy-paste check is pending" bash -c "grep -q 'id=\"review-note\">2 bullets: .*; vague; copy-paste check at the week&#39;s next review<' '$T/receipt.html' || grep -q \"id=\\\"review-note\\\">2 bullets: .*; vague; copy-paste check at the week's next review<\" '$T/receipt.html'"
check "a vague reply enters the queue" py "
import json, urllib.request
q = json.load(urllib.request.urlopen('$U/api/review/queue?week=$W&limit=1000'))['queue']
assert any(i['reply'] == $RID and i['state'] == 'open' and i['vague'] for i in q)"
check "the receipt carries the appeal form" grep -q 'id="appeal-form" action="/pulse/appeal?t='"$TOK"'"' "$T/receipt.html"
ACSRF=$(grep -o 'id="appeal-form".*' "$T/receipt.html" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"$//')
appeal() { # appeal TOKEN [CURL ARGS...]: the status of an appeal
    local t=$1
    shift
    curl -s -o "$T/appeal.html" -w '%{http_code}' "$@" "$U/pulse/appeal?t=$t"
}
check "appeal: 403 without the cookie" test "$(appeal "$TOK" --data-urlencode "csrf=$ACSRF" --data-urlencode 'reason=I listed real work')" = 403
check "appeal: 403 with a forged field" test "$(appeal "$TOK" -b "$T/jar" --data-urlencode "csrf=$(printf '%064d' 1)" --data-urlencode 'reason=x')" = 403
check "appeal: 403 from another origin" test "$(appeal "$TOK" -b "$T/jar" -H 'Origin: http://evil.example' --data-urlencode "csrf=$ACSRF" --data-urlencode 'reason=x')" = 403
OTHER=$(fresh 1)
check "appeal: 403 with this field for another employee's token" test "$(appeal "$OTHER" -b "$T/jar" --data-urlencode "csrf=$ACSRF" --data-urlencode 'reason=x')" = 403
check "appeal: 404 for an unknown token" test "$(appeal aaaaaaaaaaaaaaaaaaaaaaaaaa -b "$T/jar" --data-urlencode "csrf=$ACSRF" --data-urlencode 'reason=x')" = 404
check "appeal: 400 without a token" test "$(curl -s -o /dev/null -w '%{http_code}' -b "$T/jar" --data-urlencode "csrf=$ACSRF" --data-urlencode 'reason=x' "$U/pulse/appeal")" = 400
check "appeal: 415 for a JSON body" test "$(appeal "$TOK" -b "$T/jar" -H 'Content-Type: application/json' --data '{}')" = 415
check "appeal: 400 for a malformed body" test "$(appeal "$TOK" -b "$T/jar" --data "csrf=$ACSRF&reason=%zz")" = 400
check "appeal: 400 for a blank reason" test "$(appeal "$TOK" -b "$T/jar" --data-urlencode "csrf=$ACSRF" --data-urlencode 'reason=   ')" = 400
check "appeal: 413 for a reason over 2000 bytes" test "$(appeal "$TOK" -b "$T/jar" --data-urlencode "csrf=$ACSRF" --data-urlencode "reason=$(head -c 2100 /dev/zero | tr '\0' a)")" = 413
check "appeal: 405 for GET" test "$(status "$U/pulse/appeal?t=$TOK")" = 405
curl -s -c "$T/jar2" "$U/pulse/reply?t=$OTHER" > "$T/form2.html"
check "appeal: 404 for an employee without a reply" test "$(appeal "$OTHER" -b "$T/jar2" --data-urlencode "csrf=$(csrf_of "$T/form2.html")" --data-urlencode 'reason=x')" = 404
check "nothing was appealed by the refused posts" test "$(sqlite3 "$T/w/doge.db" "SELECT COUNT(*) FROM review_decision WHERE kind = 'appeal'")" = 0
SIZE1=$(d --json ledger checkpoint | py "import json,sys; print(json.load(sys.stdin)['size'])")
check "appeal: 200 from the receipt page" test "$(appeal "$TOK" -b "$T/jar" -H "Origin: $U" --data-urlencode "csrf=$ACSRF" --data-urlencode 'reason=I listed the work I did; it is specific')" = 200
check "  the page names the reply and the ledger entry" bash -c "grep -q 'id=\"appeal-reply\">$RID<' '$T/appeal.html' && grep -q 'id=\"appeal-index\">$SIZE1<' '$T/appeal.html'"
check "the ledger entry is the employee's appeal" bash -c "'$DOGE' -C '$T/w' ledger get $SIZE1 | python3 -c 'import json,sys; j = json.load(sys.stdin); assert j[\"kind\"] == \"review.appeal\" and j[\"reply\"] == $RID and j[\"by\"] == \"$EMP\", j'"
check "the appealed reply is first in the queue" py "
import json, urllib.request
q = json.load(urllib.request.urlopen('$U/api/review/queue?week=$W'))['queue']
assert q[0]['reply'] == $RID and q[0]['state'] == 'appealed', q[0]"
curl -s -b "$T/jar" "$U/pulse/reply?t=$TOK" > "$T/form3.html"
check "the form offers the appeal once a reply is recorded" grep -q 'id="appeal-form"' "$T/form3.html"
check "the week's next run drops the pending note" bash -c "
    '$DOGE' -C '$T/w' --quiet review run --week $W &&
    test \"\$(sqlite3 '$T/w/doge.db' \"SELECT note LIKE '%copy-paste check%' FROM review_reply WHERE reply_id = $RID\")\" = 0"

# ---- read_token = required ----
printf 'read_token = required\n' >> "$T/w/doge.conf"
serve_start rv2 "$T/w" || exit 1
check "queue: 401 without a token when reads need one" test "$(status "$rv2_URL/api/review/queue?week=$W")" = 401
check "reply: 401 without a token" test "$(status "$rv2_URL/api/review/reply/$R1")" = 401
check "report: 401 without a token" test "$(status "$rv2_URL/api/pulse/report?week=$W")" = 401
check "HTML report: 401 without a token" test "$(status "$rv2_URL/pulse/report?week=$W")" = 401
check "queue: 200 with a department token (any valid token reads)" test "$(status "$rv2_URL/api/review/queue?week=$W" -H "Authorization: Bearer $DEPTTOK")" = 200
check "serve stops cleanly" serve_stop "$rv_PID"
check "the second one too" serve_stop "$rv2_PID"
serve_summary
