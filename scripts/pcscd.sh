#!/usr/bin/env bash
# Start, stop or inspect the PC/SC daemon with vsmartcard's two virtual readers, for the
# end-to-end tests and demos (no systemd needed).
#
#   scripts/pcscd.sh start    start pcscd unless one runs; wait for both virtual readers
#   scripts/pcscd.sh stop     stop the pcscd that `start` started (never another one)
#   scripts/pcscd.sh status   say what runs
#
# Installs nothing: the Debian packages pcscd, vsmartcard-vpcd and libpcsclite-dev come
# from the Makefile's deps step. The virtual readers are 'Virtual PCD 00 00' (vpcd TCP port
# 35963) and 'Virtual PCD 00 01' (port 35964).
set -euo pipefail

STATE_DIR="${MYNACHECK_PCSCD_DIR:-/tmp}"
PIDFILE="$STATE_DIR/mynacheck-pcscd.pid"
LOGFILE="$STATE_DIR/mynacheck-pcscd.log"
CONF_DIR="/etc/reader.conf.d"
OUR_CONF="$CONF_DIR/mynacheck-vpcd"
VPCD_DRIVER="/usr/lib/pcsc/drivers/serial/libifdvpcd.so"
PORTS_HEX=(8C7B 8C7C)   # 35963 and 35964: one per virtual reader
WAIT_S="${MYNACHECK_PCSCD_WAIT_S:-15}"

say() { echo "pcscd.sh: $*"; }
die() { echo "pcscd.sh: error: $*" >&2; exit 1; }

# A process that exists and is not a zombie (where nothing reaps orphans, an ended pcscd
# lingers as one).
alive() {
    local state
    state="$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null)" || return 1
    [[ -n "$state" && "$state" != Z ]]
}

running_pids() {
    local pid
    for pid in $(pgrep -x pcscd || true); do
        if alive "$pid"; then echo "$pid"; fi
    done
}

our_pid() {
    [[ -f "$PIDFILE" ]] || return 1
    local pid
    pid="$(cat "$PIDFILE")"
    [[ -n "$pid" ]] && alive "$pid" && [[ "$(cat "/proc/$pid/comm")" == "pcscd" ]] || return 1
    echo "$pid"
}

# A TCP port (4 hex digits) in LISTEN state, read from /proc so no tool is needed.
listening() {
    local port="$1"
    awk -v p=":$port" 'NR > 1 && $4 == "0A" && substr($2, length($2) - 4) == p { f = 1 }
                       END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

readers_up() {
    local port
    [[ -S /run/pcscd/pcscd.comm ]] || return 1
    for port in "${PORTS_HEX[@]}"; do
        listening "$port" || return 1
    done
}

# The vpcd driver exposes two slots per reader.conf entry in vsmartcard 0.8 (Debian 3.3):
# ports 35963 and 35964. Only when no entry exists at all is one written here.
ensure_conf() {
    [[ -e "$VPCD_DRIVER" ]] || die "vpcd driver missing ($VPCD_DRIVER): apt-get install vsmartcard-vpcd"
    if grep -qs "libifdvpcd" "$CONF_DIR"/* 2>/dev/null; then
        return 0
    fi
    if [[ "$(id -u)" != 0 ]]; then
        die "no vpcd reader in $CONF_DIR; as root run: $0 start (or reinstall vsmartcard-vpcd)"
    fi
    mkdir -p "$CONF_DIR"
    cat > "$OUR_CONF" <<EOF
# written by mynacheck scripts/pcscd.sh: the virtual readers for simulated cards
FRIENDLYNAME "Virtual PCD"
DEVICENAME   /dev/null:0x8C7B
LIBPATH      $VPCD_DRIVER
CHANNELID    0x8C7B
EOF
    say "wrote $OUR_CONF"
}

# Wait up to $1 seconds for the readers; false if they did not come.
readers_within() {
    local deadline=$((SECONDS + $1))
    until readers_up; do
        ((SECONDS < deadline)) || return 1
        sleep 0.1
    done
}

wait_ready() {
    if ! readers_within "$WAIT_S"; then
        [[ -f "$LOGFILE" ]] && tail -n 20 "$LOGFILE" >&2
        die "pcscd did not offer the two virtual readers within ${WAIT_S}s (ports 35963/35964)"
    fi
}

# A pcscd started before vsmartcard-vpcd was installed (by the package's own postinst, say)
# has no virtual readers. In CI, or when asked, replace it; otherwise say what to do.
replace_foreign() {
    local pids="$1" pid
    if [[ "${CI:-}" != true && "${MYNACHECK_PCSCD_RESTART:-}" != 1 ]]; then
        die "pcscd (pid $(echo $pids)) runs without the vpcd readers; restart it" \
            "(e.g. /etc/init.d/pcscd restart) or set MYNACHECK_PCSCD_RESTART=1"
    fi
    say "pcscd (pid $(echo $pids)) has no vpcd readers; replacing it"
    for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 50); do
        [[ -z "$(running_pids)" ]] && return 0
        sleep 0.1
    done
    die "pcscd (pid $(running_pids)) did not stop"
}

start() {
    command -v pcscd >/dev/null || die "pcscd missing: apt-get install pcscd"
    ensure_conf
    local pids
    pids="$(running_pids)"
    if [[ -n "$pids" ]]; then
        if readers_within 3; then
            say "already running (pid $(echo $pids))"
            return 0
        fi
        replace_foreign "$pids"
    fi
    mkdir -p "$STATE_DIR"
    pcscd --foreground > "$LOGFILE" 2>&1 &
    echo $! > "$PIDFILE"
    wait_ready
    say "started (pid $(cat "$PIDFILE"), log $LOGFILE)"
}

stop() {
    local pid
    if ! pid="$(our_pid)"; then
        rm -f "$PIDFILE"
        say "nothing to stop (no pcscd started by this script)"
        return 0
    fi
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
        alive "$pid" || break
        sleep 0.1
    done
    if alive "$pid"; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDFILE"
    say "stopped (pid $pid)"
}

status() {
    local pids pid
    pids="$(running_pids)"
    if [[ -z "$pids" ]]; then
        say "not running"
        return 3
    fi
    if pid="$(our_pid)"; then
        say "running (pid $pid, started by this script)"
    else
        say "running (pid $(echo $pids), not started by this script)"
    fi
    if readers_up; then
        say "virtual readers listening on 35963 and 35964"
    else
        say "virtual readers NOT listening on 35963 and 35964"
        return 1
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
