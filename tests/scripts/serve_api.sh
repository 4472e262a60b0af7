#!/bin/bash
# tests/scripts/serve_api.sh — the JSON API, bearer tokens and the reply
# form of `doge serve` on 127.0.0.1: /api/pulse/status gives exactly `doge
# pulse status --json` (whole week, a department, a manager), the managers
# drill-down adds up, /api/ledger/status shows the checkpoint; tokens are
# shown once and stored hashed, writes need one with an allowed role (401
# without, 403 with the wrong role, 401 once revoked) and reads too with
# read_token = required; the form (GET /pulse/reply?t=) records a reply
# through the mail pipeline (ledger entry, receipt, tlog-proof that
# verifies), refuses unknown tokens, missing or forged CSRF fields and other
# origins, and the request mail carries the form's link.
# Usage: serve_api.sh DOGE_BINARY
set -u
DOGE=$1
T=$(mktemp -d "${TMPDIR:-/tmp}/doge-api.XXXXXX")
. "$(dirname "$0")/lib/serve.sh"
trap serve_cleanup EXIT
d() { "$DOGE" -C "$T/w" --quiet "$@"; }
fails() { ! "$@" 2>/dev/null; }
json_eq() { # json_eq FILE1 FILE2: same JSON value
    python3 -c "import json,sys; sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)" "$1" "$2"
}

"$DOGE" init "$T/w" >/dev/null || exit 1
d id new api.example/log >/dev/null 2>&1
d ledger init --key api.example/log >/dev/null
"$DOGE" synth workforce --employees 300 --departments 3 --seed 4 -o "$T/roster.csv" >/dev/null
d roster import "$T/roster.csv" >/dev/null
printf '\n[serve]\npublic_url = http://doge.example/\nrate = 0\n' >> "$T/w/doge.conf"
d pulse open --week 2025-W08 --deadline 2030-02-24T23:59-05:00 --domain api.example
d pulse send --week 2025-W08
d synth replies --week 2025-W08 --seed 3 -o "$T/replies.mbox" >/dev/null
d pulse ingest --no-receipts "$T/replies.mbox" >/dev/null
serve_start api "$T/w" || exit 1
U=$api_URL

check "the request mail links to the form" bash -c "grep -q '^You can also reply on the web: http://doge.example/pulse/reply?t=[a-z2-7]\{26\}' \"\$(find '$T/w/outbox/new' -type f | head -1)\""

# ---- the API against the CLI ----
d --json pulse status --week 2025-W08 > "$T/cli.json"
curl -s "$U/api/pulse/status?week=2025-W08" > "$T/api.json"
check "/api/pulse/status is doge pulse status --json" json_eq "$T/cli.json" "$T/api.json"
DEPT=$(python3 -c "import json; print(json.load(open('$T/cli.json'))['departments'][0]['department'])")
d --json pulse status --week 2025-W08 --department "$DEPT" > "$T/cli-d.json"
curl -s -G "$U/api/pulse/status" --data-urlencode week=2025-W08 --data-urlencode "department=$DEPT" > "$T/api-d.json"
check "the same for one department" json_eq "$T/cli-d.json" "$T/api-d.json"
curl -s -G "$U/api/pulse/managers" --data-urlencode week=2025-W08 --data-urlencode "department=$DEPT" > "$T/mgr.json"
MGR=$(python3 -c "import json; print(json.load(open('$T/mgr.json'))['managers'][0]['manager'])")
d --json pulse status --week 2025-W08 --manager "$MGR" > "$T/cli-m.json"
curl -s "$U/api/pulse/status?week=2025-W08&manager=$MGR" > "$T/api-m.json"
check "the same for one manager's subtree" json_eq "$T/cli-m.json" "$T/api-m.json"
check "the drill-down's figures are the manager's subtree" python3 -c "
import json
m = json.load(open('$T/mgr.json'))['managers'][0]; c = json.load(open('$T/cli-m.json'))['total']
assert all(m[k] == c[k] for k in ('expected', 'replied', 'on_time', 'late', 'not_replied')), (m, c)"
curl -s "$U/api/pulse/managers?week=2025-W08&manager=$MGR" > "$T/mgr2.json"
check "drilling down again lists the managers below" python3 -c "
import json; j = json.load(open('$T/mgr2.json')); assert 'managers' in j and j['manager'] == '$MGR'"
check "/api/pulse/weeks lists the campaign" bash -c "curl -s '$U/api/pulse/weeks' | grep -q '\"week\":\"2025-W08\"'"
check "400 without a week" test "$(status "$U/api/pulse/status")" = 400
check "404 for a week without a campaign" test "$(status "$U/api/pulse/status?week=2024-W01")" = 404
check "400 for a bad week" test "$(status "$U/api/pulse/status?week=banana")" -ge 400
check "404 for an unknown manager" test "$(status "$U/api/pulse/status?week=2025-W08&manager=nobody")" = 404
curl -s "$U/api/ledger/status" > "$T/ls.json"
check "/api/ledger/status: size and root as doge ledger checkpoint --json" python3 -c "
import json, subprocess
a = json.load(open('$T/ls.json'))
c = json.loads(subprocess.check_output(['$DOGE', '-C', '$T/w', '--json', 'ledger', 'checkpoint']))
assert a['size'] == c['size'] and a['root_hex'] == c['root_hex'] and a['checkpoint'] == c['checkpoint'], a
assert a['signatures'][0]['kind'] == 'log' and a['signatures'][0]['verified'], a"
check "404 for /api/review/queue (not built here)" test "$(status "$U/api/review/queue")" = 404

# ---- tokens ----
ADMIN=$(d token new --role admin --name ops)
DEPTTOK=$(d token new --role department --name treasury)
REVIEWER=$(d token new --role reviewer)
check "a token is doge_ and 64 hex digits" bash -c "[[ '$ADMIN' =~ ^doge_[0-9a-f]{64}\$ ]]"
check "only its SHA-256 is stored" bash -c "! grep -q '${ADMIN#doge_}' '$T/w/doge.db' && sqlite3 '$T/w/doge.db' \"SELECT token_sha256 FROM api_token\" | grep -q \"\$(printf %s '$ADMIN' | sha256sum | cut -c1-64)\""
check "token list shows three, without secrets" bash -c "out=\$('$DOGE' -C '$T/w' token list); test \$(echo \"\$out\" | wc -l) -eq 3 && ! echo \"\$out\" | grep -q doge_"
check "token new needs a valid role" bash -c "'$DOGE' -C '$T/w' token new --role king 2>/dev/null; test \$? -eq 2"
# A department witness's cosignature, posted to the API.
"$DOGE" init "$T/dept" >/dev/null
"$DOGE" -C "$T/dept" --quiet id new dept.example/witness --witness >/dev/null 2>&1
"$DOGE" -C "$T/dept" --quiet witness add-log "$T/w/keys/api.example_log.pub" >/dev/null
cp "$T/dept/keys/dept.example_witness.pub" "$T/w/keys/"
d ledger prove --from 0 > "$T/req"
"$DOGE" -C "$T/dept" --quiet witness cosign "$T/req" > "$T/cosig"
check "401 for a write without a token" test "$(status "$U/api/ledger/cosign" --data-binary @"$T/cosig")" = 401
check "401 for a write with an unknown token" test "$(status "$U/api/ledger/cosign" --data-binary @"$T/cosig" -H "Authorization: Bearer doge_$(printf '%064d' 0)")" = 401
check "401 for a malformed Authorization" test "$(status "$U/api/ledger/cosign" --data-binary @"$T/cosig" -H "Authorization: Basic Zm9vOmJhcg==")" = 401
check "403 for a reviewer token" test "$(status "$U/api/ledger/cosign" --data-binary @"$T/cosig" -H "Authorization: Bearer $REVIEWER")" = 403
check "422 for lines that are not cosignatures" test "$(status "$U/api/ledger/cosign" --data-binary $'\xe2\x80\x94 x AAAA\n' -H "Authorization: Bearer $DEPTTOK")" -ge 400
check "200 for the department token" test "$(status "$U/api/ledger/cosign" --data-binary @"$T/cosig" -H "Authorization: Bearer $DEPTTOK")" = 200
check "the cosignature is in the served checkpoint" bash -c "curl -s '$U/ledger/checkpoint' | grep -q '^— dept.example/witness '"
check "/api/ledger/status counts the verified cosignature" bash -c "curl -s '$U/api/ledger/status' | grep -q '\"witness_cosignatures\":1'"
ID=$("$DOGE" -C "$T/w" --json token list | python3 -c "import json,sys; print([t['id'] for t in json.load(sys.stdin) if t['name'] == 'treasury'][0])")
check "token revoke" d token revoke "$ID"
check "401 once revoked" test "$(status "$U/api/ledger/cosign" --data-binary @"$T/cosig" -H "Authorization: Bearer $DEPTTOK")" = 401
check "revoking twice fails" fails d token revoke "$ID"

# ---- the reply form ----
TOK=$(sqlite3 "$T/w/doge.db" "SELECT r.token FROM pulse_request r WHERE NOT EXISTS (SELECT 1 FROM pulse_reply p WHERE p.week = r.week AND p.employee_id = r.employee_id) LIMIT 1")
EMP=$(sqlite3 "$T/w/doge.db" "SELECT employee_id FROM pulse_request WHERE token = '$TOK'")
curl -s -c "$T/jar" -D "$T/fh" "$U/pulse/reply?t=$TOK" > "$T/form.html"
CSRF=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/form.html" | sed 's/.*value="//; s/"$//')
check "the form page is HTML for the employee's week" bash -c "grep -q 'id=\"reply-form\"' '$T/form.html' && grep -q '2025-W08' '$T/form.html'"
check "it sets a SameSite=Strict HttpOnly cookie" bash -c "tr -d '\r' < '$T/fh' | grep -qi '^Set-Cookie: doge_csrf=[0-9a-f]*; Path=/pulse; HttpOnly; SameSite=Strict'"
check "it is not cached" bash -c "tr -d '\r' < '$T/fh' | grep -qi '^Cache-Control: no-store'"
check "404 for an unknown token" test "$(status "$U/pulse/reply?t=aaaaaaaaaaaaaaaaaaaaaaaaaa")" = 404
check "404 for a malformed token" test "$(status "$U/pulse/reply?t=../../etc")" = 404
check "400 without a token" test "$(status "$U/pulse/reply")" = 400
post() { # post [CURL ARGS...]: the status of a form POST for $TOK
    curl -s -o "$T/post.html" -w '%{http_code}' "$@" "$U/pulse/reply"
}
BUL=$'- Closed the audit of 14 grant files\n- Drafted the travel policy update\n- Trained two new analysts\n- Reconciled the March obligations\n- Answered 31 public inquiries'
check "403 without the CSRF cookie" test "$(post --data-urlencode "t=$TOK" --data-urlencode "csrf=$CSRF" --data-urlencode "bullets=$BUL")" = 403
check "403 with a forged CSRF field" test "$(post -b "$T/jar" --data-urlencode "t=$TOK" --data-urlencode "csrf=$(printf '%064d' 1)" --data-urlencode "bullets=$BUL")" = 403
OTHER=$(sqlite3 "$T/w/doge.db" "SELECT token FROM pulse_request WHERE token != '$TOK' LIMIT 1")
check "403 with the field of another employee's token" test "$(post -b "$T/jar" --data-urlencode "t=$OTHER" --data-urlencode "csrf=$CSRF" --data-urlencode "bullets=$BUL")" = 403
check "403 from another origin" test "$(post -b "$T/jar" -H 'Origin: http://evil.example' --data-urlencode "t=$TOK" --data-urlencode "csrf=$CSRF" --data-urlencode "bullets=$BUL")" = 403
check "403 for a cross-site fetch" test "$(post -b "$T/jar" -H 'Sec-Fetch-Site: cross-site' --data-urlencode "t=$TOK" --data-urlencode "csrf=$CSRF" --data-urlencode "bullets=$BUL")" = 403
check "415 for a JSON body" test "$(post -b "$T/jar" -H 'Content-Type: application/json' --data '{}')" = 415
check "400 for a malformed form body" test "$(post -b "$T/jar" --data "t=$TOK&csrf=$CSRF&bullets=%zz")" = 400
check "400 for empty bullets" test "$(post -b "$T/jar" --data-urlencode "t=$TOK" --data-urlencode "csrf=$CSRF" --data-urlencode "bullets=   ")" = 400
check "nothing was recorded by the refused posts" test "$(sqlite3 "$T/w/doge.db" "SELECT COUNT(*) FROM pulse_reply WHERE employee_id = '$EMP'")" = 0
SIZE0=$(d --json ledger checkpoint | python3 -c "import json,sys; print(json.load(sys.stdin)['size'])")
check "200 and a receipt for a good post" test "$(post -b "$T/jar" -H "Origin: $U" --data-urlencode "t=$TOK" --data-urlencode "csrf=$CSRF" --data-urlencode "bullets=$BUL" -d cc=1)" = 200
check "the receipt names the ledger entry" grep -q "id=\"ledger-index\">$SIZE0<" "$T/post.html"
check "five bullets, on time" bash -c "grep -q 'id=\"bullet-count\">5<' '$T/post.html' && grep -q 'id=\"on-time\">on time<' '$T/post.html'"
check "stored as a reply from the web form, manager copied" test "$(sqlite3 "$T/w/doge.db" "SELECT kind, source, manager_cc, ledger_index FROM pulse_reply WHERE employee_id = '$EMP'")" = "reply|web form|1|$SIZE0"
check "a mail receipt went to the outbox too" bash -c "ls '$T/w/outbox/new' | grep -q '^receipt.2025-W08.$SIZE0.doge\$'"
curl -s "$U/pulse/proof?t=$TOK" > "$T/reply.tlog-proof"
curl -s "$U/pulse/entry?t=$TOK" > "$T/reply.json"
{ echo "log $(cat "$T/w/keys/api.example_log.pub")"; echo "quorum none"; } > "$T/policy.txt"
check "the downloaded proof verifies the downloaded entry" "$DOGE" --quiet ledger verify-proof "$T/reply.tlog-proof" "$T/reply.json" --policy "$T/policy.txt"
check "the entry is the ledger's" cmp -s "$T/reply.json" <(d ledger get "$SIZE0")
check "the status API counts the new reply" bash -c "
    a=\$(curl -s '$U/api/pulse/status?week=2025-W08' | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"total\"][\"replied\"])');
    b=\$(python3 -c 'import json; print(json.load(open(\"$T/cli.json\"))[\"total\"][\"replied\"])');
    test \$a -eq \$((b + 1))"
check "the form now says a reply is recorded" bash -c "curl -s '$U/pulse/reply?t=$TOK' | grep -q 'id=\"already\"'"
check "a link in a bullet is flagged and redacted" bash -c "
    curl -s -c '$T/jar2' '$U/pulse/reply?t=$TOK' > '$T/form2.html'
    c=\$(grep -o 'name=\"csrf\" value=\"[0-9a-f]*\"' '$T/form2.html' | sed 's/.*value=\"//; s/\"\$//')
    curl -s -b '$T/jar2' --data-urlencode 't=$TOK' --data-urlencode \"csrf=\$c\" --data-urlencode 'bullets=- Posted the notice at https://example.org/notice
- Filed the report' '$U/pulse/reply' > '$T/post2.html'
    grep -q 'id=\"flags\">link<' '$T/post2.html' && ! grep -q 'https://example.org' '$T/post2.html'"
check "the second reply supersedes the first" test "$(sqlite3 "$T/w/doge.db" "SELECT superseded FROM pulse_reply WHERE employee_id = '$EMP' ORDER BY id")" = $'1\n0'
NOREPLY=$(sqlite3 "$T/w/doge.db" "SELECT r.token FROM pulse_request r WHERE NOT EXISTS (SELECT 1 FROM pulse_reply p WHERE p.week = r.week AND p.employee_id = r.employee_id) LIMIT 1")
check "404 proof for an employee without a reply" test "$(status "$U/pulse/proof?t=$NOREPLY")" = 404

# ---- read_token = required ----
serve_stop "$api_PID"
printf 'read_token = required\n' >> "$T/w/doge.conf"
serve_start api2 "$T/w" || exit 1
check "reads need a token when read_token = required" test "$(status "$api2_URL/api/pulse/status?week=2025-W08")" = 401
check "any valid token may read" test "$(status "$api2_URL/api/pulse/status?week=2025-W08" -H "Authorization: Bearer $REVIEWER")" = 200
check "the ledger stays public" test "$(status "$api2_URL/ledger/checkpoint")" = 200
check "the form stays public" test "$(status "$api2_URL/pulse/reply?t=$TOK")" = 200
check "a bad read_token value stops serve" bash -c "sed -i 's/read_token = required/read_token = maybe/' '$T/w/doge.conf'; ! '$DOGE' -C '$T/w' serve --listen 127.0.0.1:0 >/dev/null 2>&1"
check "serve stops cleanly" serve_stop "$api2_PID"
serve_summary
