#!/usr/bin/env bash
# Start, stop or inspect the PC/SC daemon with vsmartcard's two virtual readers, for the
# end-to-end tests and training (no systemd needed).
#
#   scripts/pcscd.sh start    start pcscd unless one runs; wait for both virtual readers
#   scripts/pcscd.sh stop     stop the pcscd that `start` started (never another one)
#   scripts/pcscd.sh status   say what runs
#   scripts/pcscd.sh conf     write the loopback-only vpcd reader.conf entry (root), nothing else
#
# Installs nothing: the Debian packages pcscd, vsmartcard-vpcd and libpcsclite-dev come from
# the Makefile (vsmartcard-vpcd only for the tests). The virtual readers are
# 'Virtual PCD 00 00' (card served on 127.0.0.1 port 35963) and 'Virtual PCD 00 01' (35964).
#
# Nothing listens on the network: vpcd (in pcscd) listens on every interface, and vsmartcard
# 0.8's "reversed mode" (DEVICENAME 127.0.0.1:port, the driver connecting out) aborts pcscd
# when the card is not there (FD_SET on an invalid socket). So the test pcscd runs in its own
# network namespace, $NETNS, which has only the loopback interface, and reads its vpcd entry
# from a directory of its own ($OUR_CONF_DIR, pcscd -c). The Debian package's entry in
# $CONF_DIR, which would make the system's pcscd listen on 0.0.0.0:35963/35964, is replaced by
# a comment. Clients reach pcscd through its Unix socket as usual; the bridge
# (testcards/vpcd.py) makes its TCP socket inside the namespace. Needs root and iproute2.
set -euo pipefail

STATE_DIR="${MYNACHECK_PCSCD_DIR:-/tmp}"
PIDFILE="$STATE_DIR/mynacheck-pcscd.pid"
LOGFILE="$STATE_DIR/mynacheck-pcscd.log"
CONF_DIR="/etc/reader.conf.d"
# The package's own file, emptied in place (apt keeps a changed conffile on upgrades).
DEBIAN_CONF="$CONF_DIR/vpcd"
OLD_CONF="$CONF_DIR/mynacheck-vpcd"   # written by earlier versions of this script
OUR_CONF_DIR="/etc/mynacheck/reader.conf.d"
OUR_CONF="$OUR_CONF_DIR/vpcd"
NETNS="mynacheck-vpcd"
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

# The inode of our network namespace, or nothing when it does not exist.
netns_inode() {
    stat -L -c %i "/run/netns/$NETNS" 2>/dev/null || true
}

# pcscd $1 runs in our namespace and its vpcd listens on both ports there.
ours_with_readers() {
    local pid="$1" inode port
    inode="$(netns_inode)"
    [[ -n "$inode" && "$(readlink "/proc/$pid/ns/net" 2>/dev/null)" == "net:[$inode]" ]] \
        || return 1
    for port in "${PORTS_HEX[@]}"; do
        awk -v p=":$port" 'NR > 1 && $4 == "0A" && substr($2, length($2) - 4) == p { f = 1 }
                           END { exit !f }' "/proc/$pid/net/tcp" 2>/dev/null || return 1
    done
}

readers_up() {
    local pid
    [[ -S /run/pcscd/pcscd.comm ]] || return 1
    for pid in $(running_pids); do
        ours_with_readers "$pid" && return 0
    done
    return 1
}

ensure_netns() {
    if [[ -z "$(netns_inode)" ]]; then
        command -v ip >/dev/null || die "ip missing: apt-get install iproute2"
        ip netns add "$NETNS"
        say "made network namespace $NETNS (loopback only)"
    fi
    ip -n "$NETNS" link set lo up
    if ip -n "$NETNS" -o link show | grep -qv ': lo:'; then
        die "network namespace $NETNS has interfaces other than lo"
    fi
}

conf_text() {
    cat <<CONF
# Written by mynacheck scripts/pcscd.sh: the test pcscd's virtual readers for simulated cards
# ('Virtual PCD 00 00' on port 35963, 'Virtual PCD 00 01' on 35964). vpcd listens on every
# interface of the network namespace pcscd runs in, so only a pcscd started by
# scripts/pcscd.sh (namespace $NETNS, loopback only) may read this directory.
FRIENDLYNAME "Virtual PCD"
DEVICENAME   /dev/null:0x8C7B
LIBPATH      $VPCD_DRIVER
CHANNELID    0x8C7B
CONF
}

DISABLED_TEXT="# The vsmartcard-vpcd entry made pcscd listen on 0.0.0.0:35963/35964; mynacheck's
# scripts/pcscd.sh removed it. Its test pcscd reads $OUR_CONF instead."

# vpcd entries the system's pcscd would read.
system_entries() {
    grep -ls '^[^#]*libifdvpcd' "$CONF_DIR"/* 2>/dev/null || true
}

# Writes our entry and disables the package's (idempotent). Sets CONF_CHANGED when it wrote.
CONF_CHANGED=""
ensure_conf() {
    local others
    if [[ "$(conf_text)" == "$(cat "$OUR_CONF" 2>/dev/null)" && -e "$DEBIAN_CONF"
          && -z "$(system_entries)" ]]; then
        return 0
    fi
    if [[ "$(id -u)" != 0 ]]; then
        die "vpcd entries not set up for the tests; as root run: $0 conf"
    fi
    mkdir -p "$OUR_CONF_DIR"
    conf_text > "$OUR_CONF.tmp"
    mv "$OUR_CONF.tmp" "$OUR_CONF"
    # Also before the package is installed: apt then keeps this file (--force-confold, see
    # scripts/install-debs.sh) and the system's pcscd never reads the all-interfaces entry.
    if [[ ! -e "$DEBIAN_CONF" ]] || grep -qs '^[^#]*libifdvpcd' "$DEBIAN_CONF"; then
        mkdir -p "$CONF_DIR"
        echo "$DISABLED_TEXT" > "$DEBIAN_CONF"
        say "disabled the vsmartcard-vpcd all-interfaces entry ($DEBIAN_CONF)"
    fi
    rm -f "$OLD_CONF"
    # With our version of the conffile kept (--force-confold), dpkg leaves the package's own
    # beside it as vpcd.dpkg-dist: the same all-interfaces entry, gone with it.
    rm -f "$DEBIAN_CONF".dpkg-dist "$DEBIAN_CONF".dpkg-new
    CONF_CHANGED=1
    say "wrote $OUR_CONF"
    others="$(system_entries)"
    [[ -z "$others" ]] || die "vpcd entries for the system's pcscd remain:" $others \
                              "- they listen on every interface; remove them"
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
        die "pcscd did not offer the two virtual readers in namespace $NETNS within ${WAIT_S}s"
    fi
}

# A pcscd started before vsmartcard-vpcd was installed (by the package's own postinst, say)
# has no virtual readers; one started before the loopback-only entry was written listens on
# every interface. In CI, or when asked, replace it; otherwise say what to do.
replace_foreign() {
    local pids="$1" pid
    if [[ "${CI:-}" != true && "${MYNACHECK_PCSCD_RESTART:-}" != 1 ]]; then
        die "pcscd (pid $(echo $pids)) runs without the loopback-only vpcd readers; restart" \
            "it (e.g. /etc/init.d/pcscd restart) or set MYNACHECK_PCSCD_RESTART=1"
    fi
    say "pcscd (pid $(echo $pids)) runs without the loopback-only vpcd readers; replacing it"
    for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 50); do
        [[ -z "$(running_pids)" ]] && return 0
        sleep 0.1
    done
    die "pcscd (pid $(running_pids)) did not stop"
}

start() {
    command -v pcscd >/dev/null || die "pcscd missing: apt-get install pcscd"
    [[ -e "$VPCD_DRIVER" ]] || die "vpcd driver missing ($VPCD_DRIVER): install vsmartcard-vpcd" \
        "with scripts/install-debs.sh --test (a bare apt-get enables its all-interfaces entry)"
    ensure_conf
    local pids
    pids="$(running_pids)"
    if [[ -n "$pids" ]]; then
        if [[ -z "$CONF_CHANGED" ]] && readers_within 3; then
            say "already running (pid $(echo $pids))"
            return 0
        fi
        replace_foreign "$pids"
    fi
    ensure_netns
    mkdir -p "$STATE_DIR"
    # ip netns exec execs pcscd: $! is pcscd's own pid.
    ip netns exec "$NETNS" pcscd --foreground --config "$OUR_CONF_DIR" > "$LOGFILE" 2>&1 &
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
        say "virtual readers up (ports 35963/35964 in network namespace $NETNS only)"
    else
        say "virtual readers NOT up in network namespace $NETNS"
        return 1
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    conf) ensure_conf ;;
    *) echo "usage: $0 start|stop|status|conf" >&2; exit 2 ;;
esac
