#!/bin/bash
# tests/scripts/serve_spend.sh — the spend routes of `doge serve` on
# 127.0.0.1: 404 (saying what to run) before any spend run in the
# workspace; after `doge spend audit` and `doge spend receipts verify` on a
# synthetic award year, /api/spend/findings and /api/spend/receipts give
# the same figures and items as the commands' --json output, filter by rule,
# agency and status, page with limit and offset, refuse bad arguments with
# 400, show a new run at once (the report file is re-read when it changes),
# and need a token when read_token = required.
# Usage: serve_spend.sh DOGE_BINARY
set -u
DOGE=$1
T=$(mktemp -d "${TMPDIR:-/tmp}/doge-spend-api.XXXXXX")
. "$(dirname "$0")/lib/serve.sh"
trap serve_cleanup EXIT
d() { "$DOGE" -C "$T/w" --quiet "$@"; }
py() { python3 -c "$@"; }
get() { curl -s "$U$1"; }

"$DOGE" init "$T/w" >/dev/null || exit 1
d id new spend-api.example/log >/dev/null 2>&1
d ledger init --key spend-api.example/log >/dev/null
printf '\n[serve]\nrate = 0\n' >> "$T/w/doge.conf"
"$DOGE" --quiet synth awards --rows 4000 --kind contracts --seed 11 -o "$T/c.csv" --truth "$T/c.truth.csv" \
    --receipts "$T/r.json" --exclusions "$T/ex.csv" >/dev/null || exit 1
serve_start sp "$T/w" || exit 1
U=$sp_URL

check "findings: 404 before any audit" test "$(status "$U/api/spend/findings")" = 404
check "  saying what to run" bash -c "curl -s '$U/api/spend/findings' | grep -q 'doge spend audit'"
check "receipts: 404 before any receipts check" test "$(status "$U/api/spend/receipts")" = 404

d --json spend audit "$T/c.csv" --exclusions "$T/ex.csv" > "$T/audit.json" || exit 1
d --json spend receipts verify "$T/r.json" --awards "$T/c.csv" > "$T/receipts.json" || exit 1
get "/api/spend/findings?limit=1000" > "$T/f.json"
check "findings: the audit's totals, rules, agencies and every finding" py "
import json
a, f = json.load(open('$T/audit.json')), json.load(open('$T/f.json'))
for k in ('totals', 'rules', 'agencies', 'findings'):
    assert a[k] == f[k], k
assert f['matching'] == len(a['findings']) > 5 and f['offset'] == 0 and f['limit'] == 1000, f['matching']
assert f['generated_at'].endswith('Z')"
check "findings: 100 at most by default" py "
import json, urllib.request
j = json.load(urllib.request.urlopen('$U/api/spend/findings'))
assert j['limit'] == 100 and len(j['findings']) == min(100, j['matching'])"
RULE=$(py "import json; print(json.load(open('$T/audit.json'))['findings'][0]['rule'])")
AG=$(py "import json; print(json.load(open('$T/audit.json'))['findings'][0]['agency_code'])")
check "findings: filtered by rule" py "
import json, urllib.request
a = json.load(open('$T/audit.json'))['findings']
j = json.load(urllib.request.urlopen('$U/api/spend/findings?rule=$RULE&limit=1000'))
assert j['findings'] == [x for x in a if x['rule'] == '$RULE'] and j['rule'] == '$RULE'"
check "findings: by rule and agency" py "
import json, urllib.request
a = json.load(open('$T/audit.json'))['findings']
j = json.load(urllib.request.urlopen('$U/api/spend/findings?rule=$RULE&agency=$AG&limit=1000'))
w = [x for x in a if x['rule'] == '$RULE' and x['agency_code'] == '$AG']
assert j['findings'] == w and j['matching'] == len(w) >= 1"
check "findings: pages with limit and offset" py "
import json, urllib.request
a = json.load(open('$T/audit.json'))['findings']
j = json.load(urllib.request.urlopen('$U/api/spend/findings?limit=3&offset=2'))
assert j['findings'] == a[2:5] and j['matching'] == len(a)"
check "findings: past the end is an empty page" py "
import json, urllib.request
j = json.load(urllib.request.urlopen('$U/api/spend/findings?offset=999999'))
assert j['findings'] == [] and j['matching'] > 0"
check "findings: an unknown agency matches nothing" py "
import json, urllib.request
assert json.load(urllib.request.urlopen('$U/api/spend/findings?agency=nope'))['matching'] == 0"
get "/api/spend/receipts?limit=1000" > "$T/r-api.json"
check "receipts: the check's totals, agencies and every verification" py "
import json
a, r = json.load(open('$T/receipts.json')), json.load(open('$T/r-api.json'))
for k in ('totals', 'agencies', 'verifications'):
    assert a[k] == r[k], k
assert r['matching'] == a['totals']['claims'] == len(a['verifications'])"
check "receipts: filtered by status" py "
import json, urllib.request
a = json.load(open('$T/receipts.json'))['verifications']
j = json.load(urllib.request.urlopen('$U/api/spend/receipts?status=verified&limit=1000'))
assert j['verifications'] == [v for v in a if v['status'] == 'verified'] and j['matching'] >= 1"

for q in 'rule=waste' 'limit=0' 'limit=1001' 'limit=x' 'offset=-1' 'offset=1e3' 'limit='; do
    check "findings: 400 for $q" test "$(status "$U/api/spend/findings?$q")" = 400
done
check "receipts: 400 for an unknown status" test "$(status "$U/api/spend/receipts?status=fine")" = 400
check "findings: 405 for POST" test "$(status "$U/api/spend/findings" -d x=1)" = 405
check "errors are JSON" bash -c "curl -s '$U/api/spend/findings?rule=waste' | grep -q '\"error\":{\"status\":400'"

# A new run replaces the report; the server shows it at once.
"$DOGE" --quiet synth awards --rows 1500 --kind contracts --seed 21 -o "$T/c2.csv" --truth "$T/c2.truth.csv" \
    --exclusions "$T/ex2.csv" >/dev/null || exit 1
d --json spend audit "$T/c2.csv" --exclusions "$T/ex2.csv" > "$T/audit2.json" || exit 1
check "a new audit shows at once" py "
import json, urllib.request
a = json.load(open('$T/audit2.json'))
j = json.load(urllib.request.urlopen('$U/api/spend/findings?limit=1000'))
assert j['totals'] == a['totals'] and j['findings'] == a['findings'] and a['totals']['rows'] == 1500"
echo '{"not": ' > "$T/w/reports/spend-receipts.json"
check "a broken report file is a 500, not a crash" test "$(status "$U/api/spend/receipts")" = 500
check "  naming the file" bash -c "curl -s '$U/api/spend/receipts' | grep -q 'spend-receipts.json'"

printf 'read_token = required\n' >> "$T/w/doge.conf"
serve_start sp2 "$T/w" || exit 1
TOKEN=$(d token new --role department)
check "findings: 401 without a token when reads need one" test "$(status "$sp2_URL/api/spend/findings")" = 401
check "findings: 200 with any valid token" test "$(status "$sp2_URL/api/spend/findings" -H "Authorization: Bearer $TOKEN")" = 200
check "serve stops cleanly" serve_stop "$sp_PID"
check "the second one too" serve_stop "$sp2_PID"
serve_summary
