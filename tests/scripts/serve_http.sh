#!/bin/bash
# tests/scripts/serve_http.sh — `doge serve` on 127.0.0.1 (ephemeral port)
# against its routes, errors and limits: the ledger's checkpoint, tiles and
# entry bundles byte for byte with their cache headers; every malformed or
# escaping tile path (.., %2e, dot-files, symlinks, non-canonical numbers)
# is 404; wrong methods 405 with Allow; errors are uniform JSON; an
# oversized body is 413 (with and without Content-Length), oversized headers
# 4xx, a bad query 400, a slow client is cut off after the idle timeout,
# a client over its request rate gets 429 with Retry-After, garbage on the
# socket gets a 4xx and the server lives on; SIGTERM lets a request in
# flight finish and the server exits 0.
# Usage: serve_http.sh DOGE_BINARY
set -u
DOGE=$1
T=$(mktemp -d "${TMPDIR:-/tmp}/doge-http.XXXXXX")
. "$(dirname "$0")/lib/serve.sh"
trap serve_cleanup EXIT
d() { "$DOGE" -C "$T/$1" --quiet "${@:2}"; }
fails() { ! "$@" 2>/dev/null; }

"$DOGE" init "$T/w" >/dev/null || exit 1
d w id new http.example/log >/dev/null 2>&1
d w ledger init --key http.example/log >/dev/null
seq 1 600 | sed 's/^/entry /' | d w ledger append --lines - >/dev/null
cat >> "$T/w/doge.conf" <<'CONF'

[serve]
body_max = 4096
header_max = 8192
timeout = 2
rate = 0
CONF
ln -s /etc/hostname "$T/w/ledger/tile/0/005"
serve_start main "$T/w" || exit 1
U=$main_URL
L=$T/w/ledger

same() { # same PATH FILE: GET PATH is byte for byte FILE
    curl -s --path-as-is "$U$1" -o "$T/got" && cmp -s "$T/got" "$2"
}
header() { # header PATH NAME VALUE-REGEX
    curl -s --path-as-is -D - -o /dev/null "$U$1" | tr -d '\r' | grep -qi "^$2: $3\$"
}
check "checkpoint is the file" same /ledger/checkpoint "$L/checkpoint"
check "checkpoint is not cached" header /ledger/checkpoint Cache-Control no-cache
check "checkpoint is text" header /ledger/checkpoint Content-Type 'text/plain; charset=utf-8'
check "full tile 0/000 is the file" same /ledger/tile/0/000 "$L/tile/0/000"
check "full tile 0/001 is the file" same /ledger/tile/0/001 "$L/tile/0/001"
check "full tiles are immutable" header /ledger/tile/0/000 Cache-Control 'public, max-age=31536000, immutable'
check "partial tile 0/002.p/88 is the file" same /ledger/tile/0/002.p/88 "$L/tile/0/002.p/88"
check "partial tiles are cached briefly" header /ledger/tile/0/002.p/88 Cache-Control 'public, max-age=60'
check "partial level-1 tile is the file" same /ledger/tile/1/000.p/2 "$L/tile/1/000.p/2"
check "entry bundle 000 is the file" same /ledger/tile/entries/000 "$L/tile/entries/000"
check "partial entry bundle is the file" same /ledger/tile/entries/002.p/88 "$L/tile/entries/002.p/88"
check "tiles are octet streams" header /ledger/tile/0/000 Content-Type application/octet-stream
check "HEAD gives the length and no body" bash -c "
    out=\$(curl -s -I '$U/ledger/tile/0/000' | tr -d '\r') &&
    echo \"\$out\" | grep -q '^Content-Length: 8192' &&
    test \"\$(curl -s -X HEAD -m 2 '$U/ledger/tile/0/000' 2>/dev/null | wc -c)\" -eq 0"

for p in /ledger/tile/0/00 /ledger/tile/0/0000 /ledger/tile/0/x000/000 /ledger/tile/64/000 \
         /ledger/tile/0/000.p/0 /ledger/tile/0/000.p/256 /ledger/tile/0/002.p/088 \
         /ledger/tile/0/003 /ledger/tile/0/002.p/87 /ledger/tile/00/000 /ledger/tile/-1/000 \
         /ledger/tile/0/../../doge.conf /ledger/tile/../checkpoint /ledger/tile/%2e%2e/checkpoint \
         /ledger/tile/0/%30%30%30 /ledger/tile/0/000%00 /ledger/tile/0/000/ /ledger/tile/0/000.p/ \
         /ledger/.doge/hashes /ledger/tile/.doge/hashes /ledger/tile/entries/../../doge.db \
         /ledger/..%2fdoge.db /ledger//checkpoint /ledger/checkpoint/ /ledger/checkpoint%00 \
         /ledger/ /ledger /../doge.conf /doge.conf /keys/http.example_log.key \
         /ledger/tile/entries/000.p/256 /ledger/tile/0/005 '/ledger/tile/0/000;x' \
         /assets/../doge.conf /assets/%2e%2e%2fdoge.conf /assets/ /assets/.htaccess; do
    check "404 for $p" test "$(status "$U$p")" = 404
done
check "a symlink in the ledger is not followed" test "$(status "$U/ledger/tile/0/005")" = 404
check "errors are JSON with status and message" python3 -c "
import json, urllib.request, urllib.error
try:
    urllib.request.urlopen('$U/ledger/tile/0/0000')
except urllib.error.HTTPError as e:
    assert e.headers['Content-Type'] == 'application/json'
    j = json.load(e)
    assert j['error']['status'] == 404 and j['error']['message'], j
else:
    raise SystemExit(1)"

check "405 for POST on the checkpoint" test "$(status "$U/ledger/checkpoint" -X POST -d x)" = 405
check "405 carries Allow: GET, HEAD" bash -c "curl -s -D - -o /dev/null -X DELETE '$U/ledger/tile/0/000' | tr -d '\r' | grep -q '^Allow: GET, HEAD\$'"
check "405 for PUT on the witness endpoint" test "$(status "$U/witness/add-checkpoint" -X PUT -d x)" = 405
check "405 for an unknown method" test "$(status "$U/ledger/checkpoint" -X FROB)" = 405
check "404 for an unknown path" test "$(status "$U/nope")" = 404
check "400 for a malformed query" test "$(status "$U/ledger/checkpoint?x=%zz")" = 400
check "400 for %00 in a query" test "$(status "$U/ledger/checkpoint?x=%00")" = 400

head -c 5000 /dev/zero | tr '\0' a > "$T/big"
check "413 for a body over body_max (Content-Length)" test "$(status "$U/witness/add-checkpoint" --data-binary @"$T/big")" = 413
check "413 for a chunked body over body_max" test "$(status "$U/witness/add-checkpoint" -H 'Transfer-Encoding: chunked' --data-binary @"$T/big")" = 413
check "4xx for headers over header_max" bash -c "
    c=\$(curl -s -o /dev/null -w '%{http_code}' -H \"X-Big: \$(head -c 9000 /dev/zero | tr '\0' b)\" '$U/ledger/checkpoint');
    test \"\$c\" -ge 400 -a \"\$c\" -lt 500"

# Raw sockets: garbage, a slow client, a request in flight at SIGTERM.
PORT=$(cat "$T/main.port")
# A request line that is not HTTP at all is dropped (libmicrohttpd closes
# the connection without an answer); a broken HTTP request gets a 4xx.
check "garbage on the socket: a 4xx or a closed connection, never a 5xx" python3 - "$PORT" <<'PY'
import socket, sys
for junk, must_answer in ((b"GARBAGE\r\n\r\n", 0), (b"GET\r\n\r\n", 0), (b"\x00\x01\x02\x03\r\n\r\n", 0),
             (b"GET /ledger/checkpoint HTTP/1.1\r\nNo colon here\r\n\r\n", 1),
             (b"GET /ledger/checkpoint HTTP/1.1\r\nContent-Length: -5\r\nHost: x\r\n\r\n", 1),
             (b"GET /ledger/checkpoint HTTP/1.1\r\n\r\n", 1),
             (b"GET /ledger/checkpoint HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 1)):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
    s.sendall(junk)
    data = b""
    try:
        while True:
            b = s.recv(4096)
            if not b: break
            data += b
    except socket.timeout:
        pass
    s.close()
    code = int(data.split(b" ")[1]) if data.startswith(b"HTTP/1.") else 0
    if not (400 <= code < 500 or (data == b"" and not must_answer)):
        print("junk", junk, "got", data[:80]); sys.exit(1)
PY
check "the server still answers after the garbage" same /ledger/checkpoint "$L/checkpoint"
check "a slow client is cut off after the idle timeout" python3 - "$PORT" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(b"GET /ledger/checkpoint HTTP/1.1\r\nHost: x\r\n")  # and then nothing
t0 = time.time()
data = s.recv(4096)  # b"" once the server closes
dt = time.time() - t0
sys.exit(0 if data == b"" and 1.5 <= dt <= 6 else 1)
PY
check "keep-alive: two requests on one connection" python3 - "$PORT" <<'PY'
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=5)
for _ in range(2):
    c.request("GET", "/ledger/tile/0/000"); r = c.getresponse(); body = r.read()
    assert r.status == 200 and len(body) == 8192
PY

# Rate limit: a workspace allowing 1 request/s with a burst of 5.
"$DOGE" init "$T/slow" >/dev/null
printf '\n[serve]\nrate = 1\nburst = 5\n' >> "$T/slow/doge.conf"
serve_start slow "$T/slow" || exit 1
for i in $(seq 1 12); do status "$slow_URL/nope" -D "$T/rl.$i" >> "$T/rl.codes"; echo >> "$T/rl.codes"; done
check "429 once the burst is spent" grep -q 429 "$T/rl.codes"
check "the first requests pass" test "$(head -1 "$T/rl.codes")" = 404
check "429 carries Retry-After" bash -c "grep -l '^HTTP/1.1 429' '$T'/rl.* | head -1 | xargs tr -d '\r' < /dev/null; for f in '$T'/rl.[0-9]*; do tr -d '\r' < \$f | grep -q '^HTTP/1.1 429' && { tr -d '\r' < \$f | grep -q '^Retry-After: [0-9]'; exit \$?; }; done; exit 1"
sleep 1.2
check "the bucket refills" test "$(status "$slow_URL/nope")" = 404

check "SIGTERM lets a request in flight finish" python3 - "$PORT" "$main_PID" <<'PY'
import os, signal, socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
body = b"old 0\n\nnot a checkpoint\n"
s.sendall(b"POST /witness/add-checkpoint HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body) + body[:5])
time.sleep(0.3)
os.kill(int(sys.argv[2]), signal.SIGTERM)
time.sleep(0.3)
s.sendall(body[5:])
data = b""
while True:
    b = s.recv(4096)
    if not b: break
    data += b
sys.exit(0 if data.startswith(b"HTTP/1.1 ") and b" 40" in data[:12] else 1)
PY
check "and then exits 0" wait "$main_PID"
check "no new connections after SIGTERM" fails curl -s -m 2 "$U/ledger/checkpoint"
check "the slow server stops cleanly" serve_stop "$slow_PID"
serve_summary
