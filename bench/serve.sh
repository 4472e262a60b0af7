#!/bin/bash
# bench/serve.sh — `doge serve` against nginx serving the same ledger folder,
# in one run, with wrk on loopback: requests per second and p99 latency for
# GET /ledger/checkpoint and for a full tile, and doge's ratio to nginx
# (target: at least 0.8x). Both servers get the same number of worker
# threads/processes (BENCH_SERVE_THREADS, default 2); wrk uses one thread and
# BENCH_SERVE_CONNECTIONS connections (default 32) for BENCH_SERVE_SECONDS
# (default 5) per run, alternating doge and nginx BENCH_SERVE_ROUNDS times
# (default 3) and reporting the median run of each, since other load on the
# machine moves single runs. wrk and nginx (Debian packages) are installed with
# apt-get when missing. Usage: bench/serve.sh [IGNORED] [BUILD]
set -u
BUILD=${2:-build}
DOGE=$BUILD/doge
THREADS=${BENCH_SERVE_THREADS:-2}
CONNS=${BENCH_SERVE_CONNECTIONS:-32}
SECS=${BENCH_SERVE_SECONDS:-5}
ROUNDS=${BENCH_SERVE_ROUNDS:-3}
NGINX=/usr/sbin/nginx

if ! command -v wrk >/dev/null || [ ! -x "$NGINX" ]; then
    echo "bench/serve: installing wrk and nginx (Debian packages)"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    # Debian starts nginx on port 80 after installing it unless told not to.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
        $SUDO chmod 755 /usr/sbin/policy-rc.d
        REMOVE_POLICY=1
    fi
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk nginx >/dev/null ||
        { echo "bench/serve: could not install wrk and nginx" >&2; exit 1; }
    [ "${REMOVE_POLICY:-0}" = 1 ] && $SUDO rm -f /usr/sbin/policy-rc.d
fi
[ -x "$DOGE" ] || { echo "bench/serve: no $DOGE (build first)" >&2; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/doge-bench-serve.XXXXXX")
DOGE_PID=""
cleanup() {
    [ -n "$DOGE_PID" ] && kill "$DOGE_PID" 2>/dev/null
    [ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
chmod 755 "$T"

# A ledger of 70,000 entries (273 full level-0 tiles).
"$DOGE" init "$T/w" >/dev/null
"$DOGE" -C "$T/w" --quiet id new bench.example/log >/dev/null 2>&1
"$DOGE" -C "$T/w" --quiet ledger init --key bench.example/log >/dev/null
seq 1 70000 | sed 's/^/{"bench":/; s/$/}/' | "$DOGE" -C "$T/w" --quiet ledger append --lines - >/dev/null
printf '\n[serve]\nrate = 0\nconnections = 4096\nconnections_per_ip = 4096\n' >> "$T/w/doge.conf"
chmod -R a+rX "$T/w/ledger"
TILE=/ledger/tile/0/100
[ -f "$T/w$TILE" ] || { echo "bench/serve: no full tile $TILE" >&2; exit 1; }

"$DOGE" -C "$T/w" --quiet serve --listen 127.0.0.1:0 --threads "$THREADS" --port-file "$T/doge.port" > /dev/null &
DOGE_PID=$!
NPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
USER_LINE=""
[ "$(id -u)" -eq 0 ] && USER_LINE="user root;"
cat > "$T/nginx.conf" <<CONF
$USER_LINE
worker_processes $THREADS;
daemon on;
pid $T/nginx.pid;
error_log $T/nginx.err;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path $T/nginx-body;
    proxy_temp_path $T/nginx-proxy;
    fastcgi_temp_path $T/nginx-fastcgi;
    uwsgi_temp_path $T/nginx-uwsgi;
    scgi_temp_path $T/nginx-scgi;
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$NPORT;
        location ~ /\. { deny all; }
        location = /ledger/checkpoint {
            alias $T/w/ledger/checkpoint;
            default_type "text/plain; charset=utf-8";
            add_header Cache-Control no-cache;
        }
        location /ledger/tile/ {
            alias $T/w/ledger/tile/;
            add_header Cache-Control "public, max-age=31536000, immutable";
        }
    }
}
CONF
"$NGINX" -c "$T/nginx.conf" -p "$T" 2>"$T/nginx.start" || { cat "$T/nginx.start"; exit 1; }
for _ in $(seq 1 100); do [ -s "$T/doge.port" ] && break; sleep 0.05; done
DURL=http://127.0.0.1:$(cat "$T/doge.port")
NURL=http://127.0.0.1:$NPORT
for u in "$DURL" "$NURL"; do
    cmp -s <(curl -s "$u/ledger/checkpoint") "$T/w/ledger/checkpoint" &&
        cmp -s <(curl -s "$u$TILE") "$T/w$TILE" ||
        { echo "bench/serve: $u does not serve the ledger byte for byte" >&2; exit 1; }
done

# CPU time (clock ticks, user + system) of a server's processes: doge's one
# process, nginx's master and workers. Divided by the requests served it is
# a cost per request that other load on the machine moves much less than
# requests per second.
cpu_ticks() { # cpu_ticks PID...
    local total=0 p
    for p in "$@"; do
        [ -r "/proc/$p/stat" ] || continue
        set -- $(sed 's/^.*) //' "/proc/$p/stat")
        total=$((total + ${12} + ${13}))
    done
    echo "$total"
}
server_pids() { # server_pids URL: the processes serving it
    if [ "$1" = "$DURL" ]; then echo "$DOGE_PID"; else
        m=$(cat "$T/nginx.pid"); echo "$m $(pgrep -P "$m" | tr '\n' ' ')"; fi
}

# run BASE PATH: "requests/s p99_ms cpu_us_per_request" from wrk --latency.
run() {
    local pids c0 c1
    pids=$(server_pids "$1")
    c0=$(cpu_ticks $pids)
    wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "$1$2" > "$T/wrk.out" 2>&1
    c1=$(cpu_ticks $pids)
    python3 - "$T/wrk.out" "$((c1 - c0))" "$(getconf CLK_TCK)" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
ticks, hz = int(sys.argv[2]), int(sys.argv[3])
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", t, re.M)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
errs = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
if errs: print("bench/serve: non-2xx responses:", errs.group(1), file=sys.stderr); sys.exit(1)
total = int(re.search(r"(\d+) requests in", t).group(1))
print(f"{rps:.0f} {p99:.3f} {ticks / hz * 1e6 / max(total, 1):.2f}")
PY
}
echo "bench/serve: $THREADS worker threads each, wrk 1 thread x $CONNS connections, ${SECS} s per run, median of $ROUNDS alternating runs"
printf '%-22s %-7s %12s %10s %14s\n' "target" "server" "requests/s" "p99 ms" "CPU us/request"
for what in checkpoint tile; do
    path=/ledger/checkpoint
    [ "$what" = tile ] && path=$TILE
    run "$DURL" "$path" > /dev/null # warm-up
    : > "$T/doge.runs"
    : > "$T/nginx.runs"
    for _ in $(seq 1 "$ROUNDS"); do
        run "$DURL" "$path" >> "$T/doge.runs" || exit 1
        run "$NURL" "$path" >> "$T/nginx.runs" || exit 1
    done
    python3 - "$path" "$T/doge.runs" "$T/nginx.runs" <<'PY'
import sys
path = sys.argv[1]
def median(f):
    runs = sorted((tuple(map(float, l.split())) for l in open(f) if l.strip()), key=lambda r: r[0])
    return runs[len(runs) // 2]
d, n = median(sys.argv[2]), median(sys.argv[3])
print(f"{path:22s} {'doge':7s} {d[0]:12.0f} {d[1]:10.2f} {d[2]:14.1f}")
print(f"{path:22s} {'nginx':7s} {n[0]:12.0f} {n[1]:10.2f} {n[2]:14.1f}")
r = d[0] / n[0]
c = n[2] / d[2] if d[2] else float("nan")
print(f"{'':22s} ratio doge/nginx: {r:.2f}x requests/s (target >= 0.8x: {'met' if r >= 0.8 else 'NOT met'}), "
      f"{c:.2f}x by CPU per request; p99 {d[1]:.2f} vs {n[1]:.2f} ms")
PY
done
