#!/usr/bin/env bash
# A throwaway six-node Redis Cluster (three primaries, one replica each) on 127.0.0.1, for
# tests of the redis-cluster store. Each cluster lives in a directory of its own, so
# several can run side by side (parallel tests), and is stopped by the process ids it
# recorded, never by process name.
#
#   tests/redis-cluster.sh start DIR [BASE_PORT]
#       Starts the nodes on BASE_PORT..BASE_PORT+5 (cluster bus: +10000; a free block is
#       chosen when BASE_PORT is not given), forms the cluster and waits until it is
#       whole: every slot served, every node `cluster_state:ok`, every replica's link to
#       its primary up. Prints one line on stdout, the six nodes as seeds:
#           127.0.0.1:P1,127.0.0.1:P2,...,127.0.0.1:P6
#       and writes DIR/nodes (one 127.0.0.1:PORT a line) and DIR/pids (PORT PID a line).
#       Everything else goes to stderr. On failure it prints the tails of the node logs,
#       stops what it started and exits non-zero.
#   tests/redis-cluster.sh stop DIR
#       Stops the nodes listed in DIR/pids (and any other redis-server running in DIR's
#       node directories, as after a start that failed half-way), each by its pid:
#       SIGTERM, then SIGKILL after 10 s. Succeeds if they are already gone.
#   tests/redis-cluster.sh primaries DIR
#       Prints the primaries serving slots now, one host:port a line, as a live node sees
#       them (a primary marked failing is left out).
#
# Redis comes from Debian's redis-server package (7.x, which also provides redis-cli),
# installed with apt-get when either program is missing; that needs root (or sudo).
set -euo pipefail

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e 's/^# \{0,1\}//' -e '/^set -euo/d' >&2
    exit 2
}

log() {
    echo "redis-cluster: $*" >&2
}

die() {
    log "$@"
    exit 1
}

NODES=6
# Short, so that a test killing a primary sees its replica promoted within a few seconds.
NODE_TIMEOUT_MS=2000
# Bounds on each wait, in seconds.
READY_SECS=${REDIS_CLUSTER_READY_SECS:-30}
STOP_SECS=10
# Serialises the choice of ports and the install between concurrent starts on this host,
# so that two clusters started at the same moment cannot pick the same free block.
LOCK_FILE=${TMPDIR:-/tmp}/followscore-redis-cluster.lock

# Every redis-cli call names its port (the default, 6379, may be a server we do not own)
# and is bounded, since redis-cli has no connect timeout of its own in Redis 7.0.
rcli() {
    local port=$1
    shift
    timeout 5 redis-cli -h 127.0.0.1 -p "$port" "$@"
}

ensure_redis() {
    if command -v redis-server >/dev/null && command -v redis-cli >/dev/null; then
        return
    fi
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "redis-server is not installed and we are not root"
        sudo=(sudo -n)
    fi
    exec 8>>"$LOCK_FILE.install"
    flock -w 600 8 || die "timed out waiting for another install of redis-server"
    # Another start may have installed it while we waited.
    if ! { command -v redis-server >/dev/null && command -v redis-cli >/dev/null; }; then
        log "installing redis-server with apt-get"
        # The lock timeout lets apt-get wait for a dpkg run outside this script instead of
        # failing at once. A fresh image has no package lists: update once if install fails.
        local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300)
        if ! "${sudo[@]}" "${apt[@]}" install -y --no-install-recommends redis-server >&2; then
            "${sudo[@]}" "${apt[@]}" update >&2
            "${sudo[@]}" "${apt[@]}" install -y --no-install-recommends redis-server >&2
        fi
        # The package may have started its own service on 6379 (where a service manager
        # runs); it is left alone. Nothing here uses it: every node below has its own
        # configuration, port and directory, and every redis-cli call names its port.
    fi
    flock -u 8
    exec 8>&-
    if ! { command -v redis-server >/dev/null && command -v redis-cli >/dev/null; }; then
        die "redis-server or redis-cli still missing after the install"
    fi
}

# TCP ports with a socket of any state on this host, one a line.
used_ports() {
    if command -v ss >/dev/null; then
        ss -Hatn | awk '{ n = split($4, a, ":"); print a[n] }'
    else
        # The local address is the second field, its port in hex after the last colon.
        local _ addr
        while read -r _ addr _; do
            [[ "$addr" == *:* ]] || continue
            echo $((16#${addr##*:}))
        done < <(tail -q -n +2 /proc/net/tcp /proc/net/tcp6 2>/dev/null)
    fi
}

block_is_free() {
    local base=$1 used p
    used=$(used_ports | sort -un)
    for ((p = base; p < base + NODES; p++)); do
        if grep -qx -e "$p" -e "$((p + 10000))" <<<"$used"; then
            return 1
        fi
    done
}

pick_base() {
    # Ports and their bus ports (+10000) stay below the kernel's ephemeral range, so an
    # outgoing connection elsewhere cannot take one of them between this check and the
    # bind. With the usual range (from 32768) that leaves bases 20000-22762.
    local low high base try
    low=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    high=$((low - 10000 - NODES))
    if [ "$high" -le 20100 ]; then
        # An unusual ephemeral range: any block whose bus ports still fit under 65536.
        high=55000
    fi
    for ((try = 0; try < 200; try++)); do
        base=$((20000 + (RANDOM * 32768 + RANDOM) % (high - 20000)))
        if block_is_free "$base"; then
            echo "$base"
            return
        fi
    done
    die "no free block of $NODES ports (and bus ports) found"
}

write_config() {
    local port=$1 node_dir=$2
    cat >"$node_dir/redis.conf" <<EOF
# Node $port of a test cluster; see tests/redis-cluster.sh.
port $port
bind 127.0.0.1
protected-mode no
daemonize yes
pidfile $node_dir/redis.pid
logfile $node_dir/redis.log
dir $node_dir
cluster-enabled yes
cluster-config-file nodes.conf
cluster-node-timeout $NODE_TIMEOUT_MS
# Every write reaches the disk before it is acknowledged, as the store requires of
# production primaries; no RDB snapshots.
appendonly yes
appendfsync always
save ""
# Replicas sync at once rather than after the default 5 s wait for more replicas.
repl-diskless-sync-delay 0
EOF
}

pid_alive() {
    # A zombie (killed, not yet reaped by whoever adopted the daemon) counts as gone.
    local pid=$1 state
    [ -r "/proc/$pid/stat" ] || return 1
    state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}

# True when PID is still the redis-server that ran in NODE_DIR (not a reused pid).
is_our_node() {
    local pid=$1 node_dir=$2 cwd
    pid_alive "$pid" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q redis-server || return 1
    cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null) || return 0 # not ours to read: trust the name
    [ "$cwd" = "$node_dir" ]
}

# The pids of DIR's nodes: those in DIR/pids, and, for a start that failed before writing
# all of them, those in the nodes' pidfiles and any redis-server whose working directory is
# one of DIR's node directories. One "PORT PID" a line; each pid is checked to be our server.
node_pids() {
    local dir=$1 port pid file proc cwd
    {
        [ -f "$dir/pids" ] && cat "$dir/pids"
        for file in "$dir"/node-*/redis.pid; do
            [ -s "$file" ] || continue
            port=${file%/redis.pid}
            echo "${port##*/node-} $(cat "$file")"
        done
        for proc in /proc/[0-9]*; do
            cwd=$(readlink "$proc/cwd" 2>/dev/null) || continue
            case $cwd in
            "$dir"/node-*) echo "${cwd##*/node-} ${proc#/proc/}" ;;
            esac
        done
    } | sort -u | while read -r port pid; do
        if [ -n "${pid:-}" ] && is_our_node "$pid" "$dir/node-$port"; then
            echo "$port $pid"
        fi
    done
}

stop_cluster() {
    local dir=$1 port pid deadline left signalled=()
    while read -r port pid; do
        kill -TERM "$pid" 2>/dev/null || true
        signalled+=("$pid")
    done < <(node_pids "$dir")
    deadline=$((SECONDS + STOP_SECS))
    while :; do
        left=()
        for pid in "${signalled[@]}"; do
            if pid_alive "$pid"; then left+=("$pid"); fi
        done
        [ "${#left[@]}" -gt 0 ] || break
        if [ "$SECONDS" -ge "$deadline" ]; then
            log "SIGKILL to ${left[*]}, still running ${STOP_SECS} s after SIGTERM"
            kill -KILL "${left[@]}" 2>/dev/null || true
            # Gone within moments; the check is only so that the caller sees them gone.
            for pid in "${left[@]}"; do
                for _ in $(seq 50); do
                    pid_alive "$pid" || break
                    sleep 0.1
                done
            done
            break
        fi
        sleep 0.1
    done
}

print_logs() {
    local dir=$1 log_file
    for log_file in "$dir"/node-*/redis.log; do
        [ -f "$log_file" ] || continue
        echo "----- $log_file (last 30 lines)" >&2
        tail -n 30 "$log_file" >&2
    done
}

# True when the cluster is whole: every node sees six nodes, all slots assigned and served
# (cluster_state:ok), three primaries each with its replica connected, every replica's link
# up.
cluster_ready() {
    local port info repl masters=0 replicas=0
    for port in "$@"; do
        info=$(rcli "$port" cluster info 2>/dev/null | tr -d '\r') || return 1
        grep -qx 'cluster_state:ok' <<<"$info" || return 1
        grep -qx 'cluster_slots_assigned:16384' <<<"$info" || return 1
        grep -qx 'cluster_slots_ok:16384' <<<"$info" || return 1
        grep -qx "cluster_known_nodes:$NODES" <<<"$info" || return 1
        repl=$(rcli "$port" info replication 2>/dev/null | tr -d '\r') || return 1
        if grep -qx 'role:master' <<<"$repl"; then
            grep -qx 'connected_slaves:1' <<<"$repl" || return 1
            masters=$((masters + 1))
        else
            grep -qx 'master_link_status:up' <<<"$repl" || return 1
            replicas=$((replicas + 1))
        fi
    done
    [ "$masters" -eq $((NODES / 2)) ] && [ "$replicas" -eq $((NODES / 2)) ]
}

# Starts the six servers from BASE; on success fills PORTS. Returns 1 when a server fails
# to come up (for example, its port was taken after all).
launch_nodes() {
    local dir=$1 base=$2 port node_dir pid deadline
    PORTS=()
    : >"$dir/pids"
    for ((port = base; port < base + NODES; port++)); do
        node_dir=$dir/node-$port
        mkdir -p "$node_dir"
        write_config "$port" "$node_dir"
        if ! redis-server "$node_dir/redis.conf" >&2; then
            log "redis-server on $port did not start"
            return 1
        fi
        PORTS+=("$port")
    done
    deadline=$((SECONDS + READY_SECS))
    for port in "${PORTS[@]}"; do
        node_dir=$dir/node-$port
        until [ -s "$node_dir/redis.pid" ] &&
            [ "$(rcli "$port" ping 2>/dev/null | tr -d '\r')" = PONG ]; do
            if [ "$SECONDS" -ge "$deadline" ]; then
                log "node $port did not answer PING within ${READY_SECS} s"
                return 1
            fi
            # A server that could not bind (its port or bus port taken since the check)
            # logs it and exits; fail now rather than at the deadline.
            if grep -q 'Could not create server TCP listening socket' "$node_dir/redis.log" \
                2>/dev/null; then
                log "node $port could not listen: $(grep -m1 'listening socket' "$node_dir/redis.log")"
                return 1
            fi
            if [ -s "$node_dir/redis.pid" ] && ! pid_alive "$(cat "$node_dir/redis.pid")"; then
                log "node $port exited"
                return 1
            fi
            sleep 0.05
        done
        pid=$(cat "$node_dir/redis.pid")
        # PONG may come from a stranger that holds the port; the pid must be our server.
        if ! is_our_node "$pid" "$node_dir"; then
            log "port $port answers, but not from the server started in $node_dir"
            return 1
        fi
        echo "$port $pid" >>"$dir/pids"
    done
}

cmd_start() {
    local dir=${1:?usage: start DIR [BASE_PORT]} base=${2:-} attempts=1 attempt port pid seeds
    local started_at=$SECONDS
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if read -r port pid < <(node_pids "$dir"); then
        die "$dir already has a running node ($port, pid $pid); stop it first"
    fi
    ensure_redis

    # From here on, a failure stops what was started and shows why.
    START_DIR=$dir
    trap 'on_start_exit' EXIT
    trap 'exit 1' INT TERM HUP

    [ -n "$base" ] || attempts=3
    for ((attempt = 1; ; attempt++)); do
        # A cluster from an earlier run in DIR would refuse to join a new one.
        rm -rf "$dir"/node-[0-9]* "$dir/nodes" "$dir/pids"
        exec 9>>"$LOCK_FILE"
        flock -w 60 9 || die "timed out waiting for $LOCK_FILE"
        if [ -z "${2:-}" ]; then
            base=$(pick_base)
        elif ! [[ "$base" =~ ^[0-9]+$ ]] || [ "$base" -lt 1024 ] || [ "$base" -gt 55529 ]; then
            die "BASE_PORT must be 1024-55529 (its bus ports are +10000), not $base"
        elif ! block_is_free "$base"; then
            die "ports $base-$((base + NODES - 1)) or their bus ports are in use"
        fi
        # Holding the lock until the servers listen keeps a concurrent start off this block.
        if launch_nodes "$dir" "$base"; then
            flock -u 9
            break
        fi
        flock -u 9
        # Nodes launched after the one that failed may not have written their pidfiles yet;
        # the cleanup finds them by pidfile or working directory, so give them a moment.
        sleep 1
        [ "$attempt" -lt "$attempts" ] || exit 1
        log "retrying on another block of ports"
        print_logs "$dir"
        stop_cluster "$dir"
    done
    printf '127.0.0.1:%s\n' "${PORTS[@]}" >"$dir/nodes"

    local addrs=()
    for port in "${PORTS[@]}"; do addrs+=("127.0.0.1:$port"); done
    # Bounded by READY_SECS rather than rcli's 5 s: forming the cluster waits for the nodes
    # to agree on its configuration.
    timeout "$READY_SECS" redis-cli --cluster create "${addrs[@]}" \
        --cluster-replicas 1 --cluster-yes >&2 ||
        die "redis-cli --cluster create failed"

    local deadline=$((SECONDS + READY_SECS))
    until cluster_ready "${PORTS[@]}"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            for port in "${PORTS[@]}"; do
                log "node $port: $(rcli "$port" cluster info 2>&1 | tr -d '\r' |
                    grep -E 'cluster_state|slots_assigned|known_nodes' | tr '\n' ' ')" \
                    "$(rcli "$port" info replication 2>&1 | tr -d '\r' |
                        grep -E '^role|master_link_status|connected_slaves' | tr '\n' ' ')"
            done
            die "cluster not ready within ${READY_SECS} s"
        fi
        sleep 0.1
    done

    seeds=$(paste -sd, "$dir/nodes")
    log "cluster up in $((SECONDS - started_at)) s: $seeds (in $dir)"
    trap - EXIT INT TERM HUP
    echo "$seeds"
}

on_start_exit() {
    local status=$?
    if [ "$status" -ne 0 ] && [ -n "${START_DIR:-}" ]; then
        log "start failed; node logs follow, then the nodes are stopped"
        print_logs "$START_DIR"
        stop_cluster "$START_DIR"
    fi
    exit "$status"
}

cmd_stop() {
    local dir=${1:?usage: stop DIR}
    [ -d "$dir" ] || return 0
    dir=$(cd "$dir" && pwd)
    stop_cluster "$dir"
}

cmd_primaries() {
    local dir=${1:?usage: primaries DIR} addr port nodes
    [ -f "$dir/nodes" ] || die "no $dir/nodes: was the cluster started there?"
    while read -r addr; do
        port=${addr##*:}
        nodes=$(rcli "$port" cluster nodes 2>/dev/null | tr -d '\r') || continue
        [ -n "$nodes" ] || continue
        # CLUSTER NODES: id ip:port@bus[,hostname] flags primary-id ... link-state slots...
        # A primary serves slots (fields 9 on) and is not failing or being handshaken.
        awk '$3 ~ /master/ && $3 !~ /fail|handshake|noaddr/ && NF >= 9 {
                 split($2, a, "@"); print a[1]
             }' <<<"$nodes" | sort -t: -k2,2n
        return 0
    done <"$dir/nodes"
    die "no node of $dir answers"
}

case ${1:-} in
start)
    shift
    if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
    cmd_start "$@"
    ;;
stop)
    shift
    [ $# -eq 1 ] || usage
    cmd_stop "$@"
    ;;
primaries)
    shift
    [ $# -eq 1 ] || usage
    cmd_primaries "$@"
    ;;
*)
    usage
    ;;
esac
