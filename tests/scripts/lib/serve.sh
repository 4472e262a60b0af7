# tests/scripts/lib/serve.sh — sourced by the tests/scripts/serve_*.sh
# tests: start `doge serve` on 127.0.0.1 with an ephemeral port (the port is
# read from --port-file), stop it with SIGTERM (checking it exits 0), and a
# pass/fail counter. Expects $DOGE and $T (a temp folder) to be set.

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

SERVE_PIDS=""
# serve_start NAME WORKSPACE [ARGS...]: sets ${NAME}_URL and ${NAME}_PID.
serve_start() {
    local name=$1 ws=$2
    shift 2
    rm -f "$T/$name.port"
    "$DOGE" -C "$ws" serve --listen 127.0.0.1:0 --port-file "$T/$name.port" --threads 2 "$@" \
        > "$T/$name.out" 2> "$T/$name.err" &
    local pid=$!
    SERVE_PIDS="$SERVE_PIDS $pid"
    for _ in $(seq 1 200); do
        [ -s "$T/$name.port" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    if [ ! -s "$T/$name.port" ]; then
        echo "serve $name did not start:"
        cat "$T/$name.err"
        return 1
    fi
    printf -v "${name}_URL" 'http://127.0.0.1:%s' "$(cat "$T/$name.port")"
    printf -v "${name}_PID" '%s' "$pid"
}

# serve_stop PID: SIGTERM, then the exit status must be 0.
serve_stop() {
    kill -TERM "$1" 2>/dev/null || return 1
    wait "$1"
}

serve_cleanup() {
    for p in $SERVE_PIDS; do kill -KILL "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$T"
}

# status URL [CURL ARGS...]: prints the HTTP status code.
status() {
    local url=$1
    shift
    curl -s -o /dev/null -w '%{http_code}' --path-as-is "$@" "$url"
}

serve_summary() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
