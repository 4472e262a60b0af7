#!/usr/bin/env bash
# tests/scripts/pulse_mail.sh — pulse over real mail servers on loopback.
#
# SMTP: a private Debian postfix (`postfix -c DIR start`: its own main.cf,
# master.cf, queue and data folders in a temp folder; smtpd on
# 127.0.0.1:<free port> only; every domain is a virtual mailbox domain and
# every recipient but departed.employee@... goes into one temp Maildir, that
# one is refused at RCPT with 550 "User unknown"; nothing is relayed).
# `doge pulse send --smtp` with 2 connections and a rate limit must deliver
# N-1 requests, each once, with its employee's To and pulse+TOKEN Reply-To,
# record the refusal, deliver nothing more when run again, and lose nothing
# when it first runs while the server is not up.
#
# IMAP: a private dovecot (`dovecot -c FILE -F`: base_dir, state_dir, log,
# passwd-file and Maildir in the temp folder; imap on 127.0.0.1:<free port>,
# plain auth without TLS on loopback). The mailbox holds `doge synth
# replies --format maildir` output plus one message over doge's 32 MiB
# limit, and starts past UID 1 (an expunged message), so UIDs are not
# sequence numbers. Ingesting imap://user:pass@... must give the same
# counts and the same `pulse status --json` as ingesting the same Maildir
# directly in a copy of the workspace, store no password, skip the oversized
# message, and a second ingest (--user/--password) must change nothing.
#
# Needs root (the servers drop to their own users; delivery as nobody) and
# the Debian packages postfix, dovecot-core and dovecot-imapd, which
# scripts/deps installs (make check runs it): without them the test fails,
# it does not skip. The system's own mail configuration, port 25 and any
# running MTA are left alone. Everything started is stopped on exit, even on
# failure; a watchdog stops it after 100 s (plus at most one 25 s step). Prints
# "N passed, M failed" last; exits non-zero on any failure.
set -u

DOGE=${1:?usage: pulse_mail.sh DOGE_BINARY}
WEEK=2025-W08
EMPLOYEES=50
REFUSED=departed.employee@dhs.gov.example
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok - $*"; }
bad() { failed=$((failed + 1)); echo "FAIL - $*"; }
check() { # check DESCRIPTION EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected '$2', got '$3'"; fi
}
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" = 0 ]
    exit
}
fatal() {
    bad "$*"
    finish
}

# ---- preconditions: fail clearly, never skip --------------------------------
[ "$(id -u)" = 0 ] || fatal "needs root to run private postfix and dovecot instances (make check runs as root)"
for tool in postfix postconf dovecot doveadm doveconf sqlite3 python3 timeout; do
    command -v "$tool" >/dev/null 2>&1 ||
        fatal "'$tool' not found: install the test packages with scripts/deps (make check does)"
done
[ -x /usr/lib/postfix/sbin/virtual ] || fatal "postfix's virtual(8) is missing: run scripts/deps"
if ! id postfix >/dev/null 2>&1 || ! getent group postdrop >/dev/null 2>&1; then
    fatal "the postfix user or postdrop group is missing: reinstall postfix (scripts/deps)"
fi
[ -x "$DOGE" ] || fatal "$DOGE is not an executable"

T=$(mktemp -d /tmp/doge-pulse-mail-XXXXXX)
chmod 711 "$T" # postfix, dovecot and nobody traverse it; nothing else is readable
KEEP=0
PF_STARTED=0
DOVECOT_PID=""
WATCHDOG=""
cleanup() {
    if [ "$PF_STARTED" = 1 ]; then
        postfix -c "$T/postfix" stop >/dev/null 2>&1
        pid=$(head -n1 "$T/queue/pid/master.pid" 2>/dev/null | tr -d ' ')
        [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    fi
    if [ -n "$DOVECOT_PID" ]; then
        kill "$DOVECOT_PID" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$DOVECOT_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$DOVECOT_PID" 2>/dev/null
        wait "$DOVECOT_PID" 2>/dev/null
    fi
    [ -n "$WATCHDOG" ] && kill "$WATCHDOG" 2>/dev/null
    if [ "$KEEP" = 1 ]; then echo "pulse_mail: logs and workspaces kept in $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'bad "interrupted (watchdog or signal)"; finish' INT TERM
# The watchdog: short sleeps, so killing it leaves nothing running for long.
( for _ in $(seq 200); do sleep 0.5; done; kill -TERM $$ ) 2>/dev/null &
WATCHDOG=$!

doge() { timeout 25 "$DOGE" "$@"; }
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
json_int() { sed -n "s/^ *\"$2\": \\(-\\{0,1\\}[0-9]*\\),\\{0,1\\}\$/\\1/p" "$1" | head -n1; }
count_files() { find "$1" -maxdepth 1 -type f 2>/dev/null | wc -l | tr -d ' '; }
show_logs() {
    KEEP=1
    for f in "$T/maillog" "$T/dovecot.log"; do
        [ -f "$f" ] && { echo "--- tail of $f" >&2; tail -n 20 "$f" >&2; }
    done
}

# ---- a workspace with a roster, a ledger and an open campaign ---------------
A="$T/ws-a"
doge init "$A" >/dev/null || fatal "doge init"
doge synth workforce --employees $EMPLOYEES --departments 3 --seed 7 \
    --domain-suffix gov.example -o "$T/roster.csv" >/dev/null || fatal "synth workforce"
# The last employee (nobody's manager) gets an address the server refuses.
last=$(tail -n1 "$T/roster.csv" | cut -d, -f1)
sed -i "s/^\\($last,\\(\"[^\"]*\"\\|[^,]*\\)\\),[^,]*,/\\1,$REFUSED,/" "$T/roster.csv"
grep -q "^$last,.*,$REFUSED," "$T/roster.csv" || fatal "could not give $last the address $REFUSED"
doge -C "$A" roster import "$T/roster.csv" >/dev/null || fatal "roster import"
doge -C "$A" id new pulse-mail.example/log >/dev/null 2>&1 || fatal "id new"
doge -C "$A" ledger init --key pulse-mail.example/log >/dev/null || fatal "ledger init"
doge -C "$A" pulse open --week $WEEK --deadline 2025-02-24T23:59-05:00 >/dev/null ||
    fatal "pulse open"

# ---- postfix from a private config folder -----------------------------------
SMTP_PORT=$(free_port) || fatal "no free port"
MAILDIR="$T/mail/inbox"
mkdir -p "$T/postfix" "$T/queue" "$T/data" "$MAILDIR"/{tmp,new,cur}
chown postfix "$T/data"
chown -R 65534:65534 "$T/mail"
cat >"$T/postfix/main.cf" <<EOF
# A private test instance: nothing here reaches /etc/postfix or port 25.
compatibility_level = 3.6
queue_directory = $T/queue
data_directory = $T/data
mail_owner = postfix
setgid_group = postdrop
maillog_file_prefixes = $T
maillog_file = $T/maillog
myhostname = mx.pulse-mail.invalid
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_peername_lookup = no
biff = no
alias_maps =
alias_database =
relayhost =
default_transport = error:the doge test instance relays nothing
virtual_mailbox_domains = regexp:$T/postfix/domains
virtual_mailbox_base = $T/mail
virtual_mailbox_maps = regexp:$T/postfix/mailboxes
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
EOF
echo '/./ OK' >"$T/postfix/domains"
# Every address but the departed employee's has the mailbox inbox/ (a Maildir);
# that one is unknown, so smtpd answers its RCPT with 550.
printf '!/^%s$/ inbox/\n' "$(printf %s "$REFUSED" | sed 's/[.+]/\\&/g')" >"$T/postfix/mailboxes"
cat >"$T/postfix/master.cf" <<EOF
127.0.0.1:$SMTP_PORT inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n -  0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -  - trivial-rewrite
bounce    unix  - - n -  0 bounce
defer     unix  - - n -  0 bounce
trace     unix  - - n -  0 bounce
verify    unix  - - n -  1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -  - proxymap
showq     unix  n - n -  - showq
error     unix  - - n -  - error
retry     unix  - - n -  - error
discard   unix  - - n -  - discard
virtual   unix  - n n -  - virtual
anvil     unix  - - n -  1 anvil
scache    unix  - - n -  1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
chmod -R a+rX "$T/postfix"

# ---- 1. sending while the server is down loses nothing ----------------------
SMTP="smtp://127.0.0.1:$SMTP_PORT"
if doge -C "$A" --json pulse send --week $WEEK --smtp "$SMTP" >"$T/send0.json" 2>"$T/send0.err"; then
    bad "send with the server down exits non-zero"
else
    ok "send with the server down exits non-zero ($(tr -d '\n' <"$T/send0.err" | cut -c1-100))"
fi
check "nothing is left in doubt after a failed connection" 0 \
    "$(sqlite3 "$A/doge.db" "SELECT COUNT(*) FROM pulse_request WHERE week='$WEEK' AND state <> 'pending'")"

PF_STARTED=1
timeout 30 postfix -c "$T/postfix" start >"$T/postfix.out" 2>&1 || { show_logs; fatal "postfix -c $T/postfix start: $(cat "$T/postfix.out")"; }
for _ in $(seq 100); do listening "$SMTP_PORT" && break; sleep 0.1; done
listening "$SMTP_PORT" || { show_logs; fatal "postfix does not listen on 127.0.0.1:$SMTP_PORT"; }
ok "private postfix listening on 127.0.0.1:$SMTP_PORT"

# ---- 2. send over SMTP ---------------------------------------------------------
doge -C "$A" --json pulse send --week $WEEK --smtp "$SMTP" --connections 2 --rate 200 \
    >"$T/send1.json" 2>"$T/send1.err" || { cat "$T/send1.err"; show_logs; bad "pulse send --smtp"; }
check "send: delivered" $((EMPLOYEES - 1)) "$(json_int "$T/send1.json" delivered)"
check "send: refused" 1 "$(json_int "$T/send1.json" refused)"
check "send: in doubt" 0 "$(json_int "$T/send1.json" unknown)"
check "the refused recipient is recorded with the server's 550" "refused|smtp 550" \
    "$(sqlite3 "$A/doge.db" "SELECT state, substr(detail, 1, 8) FROM pulse_request WHERE email='$REFUSED'" | cut -c1-16)"

doge -C "$A" --json pulse status --week $WEEK --non-responders >"$T/status0.json" 2>/dev/null
check "the refused recipient counts as bounced in the compliance figures" 1 \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"]["bounced"])' "$T/status0.json")"

want=$((EMPLOYEES - 1))
for _ in $(seq 200); do [ "$(count_files "$MAILDIR/new")" -ge $want ] && break; sleep 0.1; done
check "messages in the Maildir" $want "$(count_files "$MAILDIR/new")"

# To and the pulse+TOKEN Reply-To of every delivered message, against the store.
headers_of() { # prints "to-address token" for one message (folded headers joined)
    awk '/^\r?$/ { exit }
         /^[ \t]/ { cur = cur $0; next }
         { if (cur != "") h[++n] = cur; cur = $0 }
         END {
             if (cur != "") h[++n] = cur
             for (i = 1; i <= n; i++) {
                 line = h[i]; sub(/\r$/, "", line)
                 if (tolower(substr(line, 1, 3)) == "to:" && to == "") {
                     to = line
                     if (match(to, /<[^>]*>/)) to = substr(to, RSTART + 1, RLENGTH - 2)
                     else { sub(/^[Tt][Oo]:[ \t]*/, "", to) }
                 }
                 if (tolower(substr(line, 1, 9)) == "reply-to:" && tok == "") {
                     if (match(line, /pulse\+[a-z0-9]+@/)) tok = substr(line, RSTART + 6, RLENGTH - 7)
                 }
             }
             print to, tok
         }' "$1"
}
for f in "$MAILDIR"/new/*; do [ -f "$f" ] && headers_of "$f"; done | sort >"$T/got.txt"
sqlite3 -separator ' ' "$A/doge.db" \
    "SELECT email, token FROM pulse_request WHERE week='$WEEK' AND state='sent'" | sort >"$T/want.txt"
if [ -s "$T/want.txt" ] && cmp -s "$T/got.txt" "$T/want.txt"; then
    ok "every message has its employee's To and pulse+TOKEN Reply-To, once"
else
    bad "To/Reply-To of the delivered messages differ from the store:"
    diff "$T/want.txt" "$T/got.txt" | head -n 10
fi
check "distinct Reply-To tokens" $want "$(cut -d' ' -f2 "$T/got.txt" | sort -u | grep -c .)"
check "nothing delivered to $REFUSED" 0 "$(grep -lis "^To:.*$REFUSED" "$MAILDIR"/new/* | wc -l | tr -d ' ')"

doge -C "$A" --json pulse send --week $WEEK --smtp "$SMTP" --connections 2 --rate 200 \
    >"$T/send2.json" 2>"$T/send2.err" || { cat "$T/send2.err"; bad "second pulse send --smtp"; }
check "second send: delivered" 0 "$(json_int "$T/send2.json" delivered)"
check "second send: already sent" $want "$(json_int "$T/send2.json" already_sent)"
check "second send: refused again" 0 "$(json_int "$T/send2.json" refused)"
sleep 1
check "still one copy per request in the Maildir" $want "$(count_files "$MAILDIR/new")"

# ---- 3. dovecot from a private config file -------------------------------------
IMAP_PORT=$(free_port) || fatal "no free port"
while [ "$IMAP_PORT" = "$SMTP_PORT" ]; do IMAP_PORT=$(free_port); done
IMAP_USER=pulse
IMAP_PASS="p$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
mkdir -p "$T/dovecot/home"
printf '%s:{PLAIN}%s\n' "$IMAP_USER" "$IMAP_PASS" >"$T/dovecot/passwd"
chmod 644 "$T/dovecot/passwd" # auth runs as the dovecot user
cat >"$T/dovecot/dovecot.conf" <<EOF
# A private test instance: /etc/dovecot is not read.
base_dir = $T/dovecot/run
state_dir = $T/dovecot/state
instance_name = doge-pulse-mail-$IMAP_PORT
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = $T/dovecot.log
mail_location = maildir:$T/dovecot/home/Maildir
first_valid_uid = 1
first_valid_gid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN $T/dovecot/passwd
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$T/dovecot/home
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
EOF
doveconf -c "$T/dovecot/dovecot.conf" -n >/dev/null 2>"$T/doveconf.err" ||
    fatal "doveconf rejects the test config: $(cat "$T/doveconf.err")"

# The replies, and one message over doge's 32 MiB limit (skipped both ways).
doge -C "$A" synth replies --week $WEEK --format maildir -o "$T/replies" >/dev/null ||
    fatal "synth replies"
replies=$(count_files "$T/replies/new")
{
    printf 'From: %s\r\nTo: pulse@pulse.doge.example\r\nSubject: huge\r\n' "$(sed -n 2p "$T/roster.csv" | cut -d, -f3)"
    printf 'Message-ID: <huge.%s@pulse-mail.invalid>\r\nDate: Mon, 24 Feb 2025 10:00:00 -0500\r\n\r\n' "$$"
    head -c $((33 << 20)) /dev/zero | tr '\0' 'x' | fold -w 76
} >"$T/replies/new/2000000000.huge.synth"
# B: the same workspace, to ingest the same Maildir directly.
B="$T/ws-b"
cp -a "$A" "$B"

mkdir -p "$T/dovecot/home/Maildir"/{tmp,new,cur}
chown -R 65534:65534 "$T/dovecot/home"
dovecot -c "$T/dovecot/dovecot.conf" -F >"$T/dovecot.out" 2>&1 &
DOVECOT_PID=$!
for _ in $(seq 100); do listening "$IMAP_PORT" && break; sleep 0.1; done
listening "$IMAP_PORT" || { show_logs; fatal "dovecot does not listen on 127.0.0.1:$IMAP_PORT: $(cat "$T/dovecot.out")"; }
ok "private dovecot listening on 127.0.0.1:$IMAP_PORT"

# A message that comes and goes first, so the replies' UIDs start at 2.
printf 'From: it@pulse-mail.invalid\nSubject: gone\n\ngone\n' >"$T/dovecot/home/Maildir/new/1.gone.test"
chown 65534:65534 "$T/dovecot/home/Maildir/new/1.gone.test"
timeout 20 doveadm -c "$T/dovecot/dovecot.conf" expunge -u "$IMAP_USER" mailbox INBOX all ||
    fatal "doveadm expunge"
cp "$T/replies/new/"* "$T/dovecot/home/Maildir/new/"
chown -R 65534:65534 "$T/dovecot/home"

URL="imap://$IMAP_USER:$IMAP_PASS@127.0.0.1:$IMAP_PORT/INBOX"
doge -C "$A" --json pulse ingest "$URL" >"$T/ingest-imap.json" 2>"$T/ingest-imap.err" ||
    { cat "$T/ingest-imap.err"; show_logs; bad "pulse ingest imap://"; }
doge -C "$B" --json pulse ingest "$T/replies" >"$T/ingest-dir.json" 2>"$T/ingest-dir.err" ||
    { cat "$T/ingest-dir.err"; bad "pulse ingest Maildir"; }
check "IMAP ingest read every reply" "$replies" "$(json_int "$T/ingest-imap.json" messages)"
if [ "$(json_int "$T/ingest-imap.json" replies)" -gt 0 ] 2>/dev/null &&
   cmp -s "$T/ingest-imap.json" "$T/ingest-dir.json"; then
    ok "ingest over IMAP counts the same as the Maildir read directly"
else
    bad "ingest counts differ (IMAP vs Maildir):"
    diff "$T/ingest-imap.json" "$T/ingest-dir.json"
fi
if grep -q "skipped" "$T/ingest-imap.err"; then
    ok "IMAP: the oversized message is skipped, not fatal"
else
    bad "IMAP: no 'skipped' notice for the oversized message"
fi
doge -C "$A" --json pulse status --week $WEEK >"$T/status-imap.json" || bad "status A"
doge -C "$B" --json pulse status --week $WEEK >"$T/status-dir.json" || bad "status B"
if [ -s "$T/status-imap.json" ] && cmp -s "$T/status-imap.json" "$T/status-dir.json"; then
    ok "pulse status --json identical (IMAP vs Maildir)"
else
    bad "pulse status differs (IMAP vs Maildir):"
    diff "$T/status-imap.json" "$T/status-dir.json" | head -n 20
fi
check "no password stored with the replies" 0 \
    "$(sqlite3 "$A/doge.db" "SELECT COUNT(*) FROM pulse_reply WHERE instr(source, '$IMAP_PASS') > 0")"
check "replies stored with their IMAP source" "$(json_int "$T/ingest-imap.json" messages)" \
    "$(sqlite3 "$A/doge.db" "SELECT COUNT(*) FROM pulse_reply WHERE source LIKE 'imap://127.0.0.1:$IMAP_PORT/INBOX;UID=%'")"

# Again, with --user/--password instead of the URL's: nothing changes.
doge -C "$A" --json pulse ingest "imap://127.0.0.1:$IMAP_PORT/INBOX" --user "$IMAP_USER" \
    --password "$IMAP_PASS" >"$T/ingest-again.json" 2>"$T/ingest-again.err" ||
    { cat "$T/ingest-again.err"; bad "second pulse ingest imap://"; }
check "re-ingest: all duplicates" "$replies" "$(json_int "$T/ingest-again.json" duplicates)"
check "re-ingest: no new replies" 0 "$(json_int "$T/ingest-again.json" replies)"
check "re-ingest: ledger unchanged" "$(json_int "$T/ingest-imap.json" ledger_size)" \
    "$(json_int "$T/ingest-again.json" ledger_size)"
doge -C "$A" --json pulse status --week $WEEK >"$T/status-again.json"
if cmp -s "$T/status-imap.json" "$T/status-again.json"; then
    ok "re-ingest over IMAP leaves pulse status unchanged"
else
    bad "re-ingest over IMAP changed pulse status"
fi
if doge -C "$A" --json pulse ingest "imap://$IMAP_USER:wrongpw42@127.0.0.1:$IMAP_PORT/INBOX" \
    >/dev/null 2>"$T/ingest-wrong.err"; then
    bad "a wrong IMAP password is an error"
else
    ok "a wrong IMAP password is an error"
fi
if grep -q "wrongpw42" "$T/ingest-wrong.err"; then
    bad "the error message shows the password"
else
    ok "the error message shows no password"
fi

# ---- 4. receipts over SMTP -------------------------------------------------------
# The IMAP ingest wrote a receipt per accepted reply to A's outbox/new; they go
# to the respondents through the same postfix, at most once.
receipts=$(json_int "$T/ingest-imap.json" receipts)
before=$(grep -l "^Subject: Receipt: " "$MAILDIR"/new/* 2>/dev/null | wc -l | tr -d ' ')
doge -C "$A" --json pulse send --receipts --smtp "$SMTP" --connections 2 \
    >"$T/receipts1.json" 2>"$T/receipts1.err" || { cat "$T/receipts1.err"; show_logs; bad "pulse send --receipts"; }
sent=$(json_int "$T/receipts1.json" delivered)
refused=$(json_int "$T/receipts1.json" refused)
check "receipts: each delivered or refused" "$receipts" "$((sent + refused))"
check "receipts: in doubt" 0 "$(json_int "$T/receipts1.json" unknown)"
check "receipts refused are the departed employee's (550)" "$refused" \
    "$(grep -l "^To: <$REFUSED>" "$A"/outbox/cur/receipt.*:2,F 2>/dev/null | wc -l | tr -d ' ')"
for _ in $(seq 100); do
    got=$(grep -l "^Subject: Receipt: " "$MAILDIR"/new/* 2>/dev/null | wc -l | tr -d ' ')
    [ "$((got - before))" -ge "$sent" ] && break; sleep 0.1
done
check "receipts in the respondents' mailbox" "$sent" "$((got - before))"
check "receipts left in outbox/new" 0 "$(ls "$A/outbox/new" | grep -c '^receipt\.' || true)"
doge -C "$A" --json pulse send --receipts --smtp "$SMTP" >"$T/receipts2.json" 2>"$T/receipts2.err" ||
    { cat "$T/receipts2.err"; bad "second pulse send --receipts"; }
check "second receipts send: delivered" 0 "$(json_int "$T/receipts2.json" delivered)"
check "second receipts send: already sent" "$sent" "$(json_int "$T/receipts2.json" already_sent)"
sample=$(grep -l "^Subject: Receipt: " "$MAILDIR"/new/* | head -1)
if grep -q 'filename="reply.tlog-proof"' "$sample"; then
    ok "a delivered receipt carries its tlog-proof"
else
    bad "a delivered receipt has no tlog-proof attachment"
fi

[ "$failed" = 0 ] || show_logs
finish
