#!/usr/bin/env bash
# The two storage backends side by side: sled (embedded) and a Redis Cluster, on this
# machine, at the same N, in one run; the section between this script's markers in
# BENCHMARKS.md.
#
#   bench/redis.sh                  N = 100,000 stored followers; writes BENCHMARKS.md
#   bench/redis.sh --followers N    another N
#   bench/redis.sh --smoke          N = 2,000, short windows: correctness only
#   Options: --no-write (print the section only), --duration S (h2load window, default 10),
#            --pairs P (A/B pairs per ratio, default 3), --min-replicas R (the replicas'
#            --redis-min-replicas, default 1), --sled-from FILE (the sled column from the
#            saved output of a `bench/run.sh --followers N --no-write` run, instead of
#            running it here).
#   Environment: H2LOAD, the h2load to run (default: h2load on the PATH).
#
# Method: bench/run.sh's (the project's benchmarking guide), whose functions it shares
# (bench/common.sh). The sled column is bench/run.sh itself, run first with the same N,
# window and pairs (--no-write), so that both columns come from this machine in one sitting.
# Then, for Redis: a cluster of three primaries and three replicas on loopback
# (tests/redis-cluster.sh, AOF with appendfsync always), started in a temporary folder,
# stopped by that script however this one exits, every redis-server process pinned to core
# 1; followscore release servers on `--store redis-cluster` with one tokio worker, stopped
# by their PIDs; the load generators (the project's client followscore-bench, h2load) on
# core 1. On two cores Redis therefore shares core 1 with the load generators, and in the
# two-replica run with the second replica too: the section says so, with each process's
# CPU time. Each part starts on a cluster of its own, empty, as bench/run.sh starts on a
# fresh data directory. Every answer is checked (the client's checks, h2load replies
# counted by their bytes, no warning or error in a server's log); anything wrong ends the
# run with a non-zero status.
#
# Figures, Redis beside sled:
# - streaming with one replica: followers/s through ClassifyFollowers, 1,000 per stream,
#   unique ids, into an empty account until it holds N, then read back;
# - streaming with two replicas on one namespace and one account: half of the N through
#   each replica at once (two clients, id tags x and y), combined followers/s; then every
#   follower read back through each replica (a CSV export lists them all), and the write
#   conflicts retried (the replicas' `a write lost a race` debug lines);
# - report cost: GetNetworkQuality calls/s on the account holding N ÷ health Check calls/s
#   (h2load, A B A B A B);
# - rescoring: seconds until no result is stale after an ICP change, one replica;
# - memory and disk: followscore's peak RSS (VmHWM); Redis's used_memory summed over the
#   primaries, less the empty cluster's, per stored follower; AOF bytes per stored follower
#   (aof_current_size over the primaries, and du of all six node directories).
set -euo pipefail
cd "$(dirname "$0")/.."

command_line="bench/redis.sh${*:+ $*}"
followers=100000
smoke=0
write=1
duration=10
warmup=2
pairs=3
min_replicas=1
sled_from=""
while [[ $# -gt 0 ]]; do
    case "$1" in
    --smoke) smoke=1 ;;
    --followers) followers="$2"; shift ;;
    --no-write) write=0 ;;
    --duration) duration="$2"; shift ;;
    --pairs) pairs="$2"; shift ;;
    --min-replicas) min_replicas="$2"; shift ;;
    --sled-from) sled_from="$2"; shift ;;
    -h | --help) sed -n '2,14p' "$0" | cut -c3-; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
# The section names the saved file by its name only: no path of this machine in it.
[[ -z $sled_from ]] || command_line=${command_line//"$sled_from"/$(basename "$sled_from")}
if [[ $smoke == 1 ]]; then
    followers=2000 duration=1 warmup=1 write=0
fi
[[ $followers =~ ^[0-9]+$ && $followers -ge 2 ]] || { echo "--followers must be a number ≥ 2" >&2; exit 2; }

# say, fail, the machine, the build, h2load, servers, CPU time, h2load runs, A/B ratios,
# formatting: the same code as bench/run.sh.
source bench/common.sh

# --- the machine, the build, h2load ----------------------------------------------------------
run_started=$(date +%s)
read_machine
build_release
# The commit names the build only if nothing it is built from was changed but not committed.
build_commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain -- src Cargo.toml Cargo.lock build.rs proto 2>/dev/null | awk '{ print $2 }' | paste -sd' ' | sed 's/ /, /g')
find_h2load
if [[ $have_h2load == 0 ]]; then
    say "h2load could not be installed: SKIPPING the report cost (GetNetworkQuality ÷ health Check) on Redis; the project's client checks the rest (bench/run.sh, for the sled column, needs h2load outside --smoke)"
fi
redis_core=$load_core
# CPU time of the whole machine (user, nice, system, irq, softirq, steal; clock ticks): what
# other processes used during a window is this less what ours used.
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
# idle_share: the share of the machine's cores busy over 3 s while this run is idle, that is
# another process's work; printed as a percentage of one core.
idle_share() {
    local m0 n0
    m0=$(machine_ticks) n0=$(now_ns)
    sleep 3
    awk -v m0="$m0" -v m1="$(machine_ticks)" -v n0="$n0" -v n1="$(now_ns)" -v hz="$clk_tck" \
        'BEGIN { printf "%d", 100 * (m1 - m0) / hz / ((n1 - n0) / 1e9) }'
}

tmp=$(mktemp -d -t followscore-redis-bench.XXXXXX)
cluster_dir=""
client_pids=()
cleanup() {
    local pid
    for pid in "${client_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    stop_servers
    if [[ -n $cluster_dir ]]; then
        tests/redis-cluster.sh stop "$cluster_dir" >&2 || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Every client run is bounded in time (bench, in common.sh); so is every redis-cli call.
long=$((600 + followers / 500))

# --- the sled column: bench/run.sh at the same N -------------------------------------------
sled_out="$tmp/sled.md"
sled_started=$(date +%s)
# bench/run.sh builds again: the two columns are of the same build only if that build
# changed nothing (no one edited the sources meanwhile). The binaries are then copied aside,
# so that the Redis part runs exactly what the sled part ran, whatever is built meanwhile.
binaries_sum() { cat "$bin/followscore" "$bin/followscore-bench" | sha256sum | cut -c1-16; }
built_sum=$(binaries_sum)
sled_idle=$(idle_share)
if [[ -n $sled_from ]]; then
    [[ -r $sled_from ]] || fail "--sled-from $sled_from: no such file"
    cp "$sled_from" "$sled_out"
    sled_how="read from the output of an earlier \`bench/run.sh\` run (--sled-from)"
else
    sled_cmd=(bench/run.sh --followers "$followers" --no-write --duration "$duration" --pairs "$pairs" --rescore-passes 1)
    say "the sled column: ${sled_cmd[*]} (machine busy ${sled_idle}% of a core just before)"
    bounded $((3 * long + 60 * pairs * (duration + warmup))) "${sled_cmd[@]}" >"$sled_out" ||
        fail "the sled run (${sled_cmd[*]}) failed"
    sled_how="\`${sled_cmd[*]}\`, run by this script just before the Redis part"
fi
sled_secs=$(($(date +%s) - sled_started))
build_note=""
if [[ $(binaries_sum) != "$built_sum" ]]; then
    build_note="the sources changed between this script's build and bench/run.sh's: both parts ran bench/run.sh's build"
    say "$build_note"
fi
mkdir -p "$tmp/bin"
cp "$bin/followscore" "$bin/followscore-bench" "$tmp/bin/"
bin="$tmp/bin" client="$tmp/bin/followscore-bench"
# A cell of the sled section's table: the figure column of the first row starting so.
sled_cell() {
    awk -F'|' -v p=" $1" 'index($2, p) == 1 { gsub(/^ +| +$/, "", $3); print $3; exit }' "$sled_out"
}
sled_label() {
    awk -F'|' -v p=" $1" 'index($2, p) == 1 { print $2; exit }' "$sled_out"
}
num() { tr -d ', ' <<<"$1"; }
grep -qF "— benchmark suite, $(fmt "$followers") followers" "$sled_out" ||
    fail "the sled section is not of $(fmt "$followers") followers: $(grep -m1 '^## ' "$sled_out" || echo 'no section')"
sled_stream=$(num "$(sled_cell 'Streaming: followers/s')")
sled_report_ratio=$(sled_cell 'Report cost:')
sled_report_calls=$(sled_label 'Report cost:' | grep -o '([0-9,]* / [0-9,]* calls/s)' | tr -d '()' || true)
sled_rescore=$(sled_cell 'Rescoring ')
sled_rescore_rate=$(num "$(grep -o '([0-9,]*/s)' <<<"$sled_rescore" | tr -d '(/s)')")
sled_rss=$(sled_cell 'Server peak RSS')
sled_disk=$(sled_cell 'Data directory per stored follower')
sled_load=$(sed -n 's/^load average before the run \([0-9. ]*\)\. .*/\1/p' "$sled_out")
sled_busy=$(sed -n 's/^Stream: .* server core \([0-9]*\)% busy\./\1/p' "$sled_out")
sled_stream_secs=$(sed -n 's/^Stream: \([0-9.]*\) s, .*/\1/p' "$sled_out")
sled_commit=$(sed -n 's/.*(commit \([0-9a-f]*\)).*/\1/p' "$sled_out" | head -1)
for v in sled_stream sled_rescore sled_rescore_rate sled_rss sled_disk sled_load sled_busy sled_stream_secs; do
    [[ -n ${!v} ]] || fail "the sled section lacks a figure ($v): $(cat "$sled_out")"
done
[[ $have_h2load == 0 || -n $sled_report_calls ]] || fail "the sled section lacks the report cost: $(cat "$sled_out")"
[[ -n $sled_report_ratio ]] || sled_report_ratio="not measured"

# --- Redis: the cluster ----------------------------------------------------------------------
# start_cluster NAME: an empty cluster of its own in $tmp/NAME, every process of every node
# (its background threads too) pinned to core 1. Sets cluster_dir, redis_nodes, redis_pids.
start_cluster() {
    cluster_dir="$tmp/$1"
    redis_nodes=$(bounded 180 tests/redis-cluster.sh start "$cluster_dir") ||
        fail "tests/redis-cluster.sh start did not start a cluster"
    redis_pids=()
    local port pid
    while read -r port pid; do
        taskset -a -p -c "$redis_core" "$pid" >/dev/null || fail "could not pin redis-server $pid (port $port)"
        [[ $(taskset -c -p "$pid" | awk '{ print $NF }') == "$redis_core" ]] ||
            fail "redis-server $pid is not on core $redis_core"
        redis_pids+=("$pid")
    done <"$cluster_dir/pids"
    [[ ${#redis_pids[@]} == 6 ]] || fail "the cluster has ${#redis_pids[@]} nodes, not 6"
    say "Redis Cluster $redis_nodes (PIDs ${redis_pids[*]}, core $redis_core)"
}
stop_cluster() {
    tests/redis-cluster.sh stop "$cluster_dir" >&2
    cluster_dir=""
}
rcli() { timeout 5 redis-cli -h 127.0.0.1 -p "$@"; }
# sum_info SECTION FIELD: FIELD of INFO SECTION summed over the primaries serving now.
sum_info() {
    local addr total=0 v
    for addr in $(bounded 30 tests/redis-cluster.sh primaries "$cluster_dir"); do
        v=$(rcli "${addr##*:}" info "$1" | tr -d '\r' | awk -F: -v f="$2" '$1 == f { print $2 }')
        [[ $v =~ ^[0-9]+$ ]] || fail "redis ${addr}: no $2 in INFO $1"
        total=$((total + v))
    done
    echo "$total"
}
# Redis's CPU time: the nodes' own, and that of the children they reaped (AOF rewrites).
redis_ticks() {
    local pid total=0
    for pid in "${redis_pids[@]}"; do
        total=$((total + $(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pid/stat")))
    done
    echo "$total"
}
# share T0 T1 N0: clock ticks T1 - T0 over the time since N0, as a share of one core.
share() {
    awk -v t0="$1" -v t1="$2" -v n0="$3" -v n1="$(now_ns)" -v hz="$clk_tck" \
        'BEGIN { printf "%.2f", (t1 - t0) / hz / ((n1 - n0) / 1e9) }'
}
pct() { awk -v b="$1" 'BEGIN { printf "%d%%", b * 100 }'; }
hwm_of() { awk '$1 == "VmHWM:" { print $2 }' "/proc/$1/status"; }
# redis_server LOG CORE FILTER: a followscore replica on the cluster, namespace bench, one
# worker. Sets started_pid and started_port (start_server).
redis_server() {
    start_server "$1" "$2" "$3" --store redis-cluster --redis-nodes "$redis_nodes" \
        --redis-namespace bench --redis-min-replicas "$min_replicas" --worker-threads 1
}
# The count of warnings and errors in a replica's log since it started must not move (the
# startup warning about serving without API keys on loopback is counted in the base).
problems_in() { grep -cE "$problem_re" "$1" || true; }
check_log() {
    [[ $(problems_in "$1") == "$2" ]] ||
        fail "$3 logged a problem: $(grep -E "$problem_re" "$1" | tail -3)"
}

redis_started=$(date +%s)
redis_idle=$(idle_share)
read -r redis_load1 redis_load5 redis_load15 _ </proc/loadavg
say "the Redis part (load average $redis_load1 $redis_load5 $redis_load15, machine busy ${redis_idle}% of a core just before)"

# --- Redis, one replica: correctness, streaming, report cost, rescoring, memory ---------------
start_cluster one
mem_empty=$(sum_info memory used_memory)
server_log="$tmp/replica-1.log"
redis_server "$server_log" "$server_core" info
server=$started_pid addr="http://127.0.0.1:$started_port"
base_problems=$(problems_in "$server_log")
say "replica PID $server on $addr (core $server_core, one worker, --redis-min-replicas $min_replicas)"

say "correctness: accounts, a checked stream, bodies and single calls"
bench setup --addr "$addr" --account bench-stream >/dev/null
bench setup --addr "$addr" --account bench-check >/dev/null
check_n=1000
bench stream --addr "$addr" --account bench-check --followers "$check_n" --tag c >/dev/null ||
    fail "the check stream"
bench verify --addr "$addr" --account bench-check --followers "$check_n" --tag c >/dev/null ||
    fail "the check stream's followers do not read back"
bench bodies --out "$tmp/bodies" --account bench-check --followers 1 --tag b \
    --report-account bench-stream >/dev/null
health_body="$tmp/bodies/health.bin"
health_size=$(json reply_frame_bytes "$(bench probe --addr "$addr" --method health --body "$health_body")")
if [[ $have_h2load == 1 ]]; then
    h2 check-health "$health_body" "$health_path" "$health_size" fixed 2000
fi
: >"$tmp/h2load.tsv"
stored_followers=$check_n
say "correctness checks passed"

say "streaming $followers followers (1,000 per stream) into an empty account, one replica"
m0=$(machine_ticks) t0=$(server_ticks) r0=$(redis_ticks) n0=$(now_ns)
stream_json=$(bench stream --addr "$addr" --account bench-stream --followers "$followers" --per-stream 1000) ||
    fail "the stream"
# CPU time per follower streamed: the replica's and Redis's, in clock ticks here.
stream_cpu=$(($(server_ticks) - t0 + $(redis_ticks) - r0))
stream_busy=$(busy "$t0" "$n0") stream_redis=$(share "$r0" "$(redis_ticks)" "$n0")
stream_machine=$(share "$m0" "$(machine_ticks)" "$n0")
note_threads
stored_followers=$((stored_followers + followers))
bench verify --addr "$addr" --account bench-stream --followers "$followers" >/dev/null ||
    fail "the streamed followers do not read back"
stream_rate=$(json followers_per_second "$stream_json")
stream_client=$(json client_cpu_seconds "$stream_json")
stream_secs=$(json seconds "$stream_json")
# What other processes used: the machine's CPU time less the replica's, Redis's and the
# client's.
stream_others=$(awk -v m="$stream_machine" -v s="$stream_busy" -v r="$stream_redis" \
    -v c="$stream_client" -v t="$stream_secs" 'BEGIN { o = m - s - r - c / t; printf "%.2f", o < 0 ? 0 : o }')
hwm_fill=$(status_kib VmHWM)
mem_fill=$(sum_info memory used_memory)
aof_fill=$(sum_info persistence aof_current_size)
du_fill=$(du -sb "$cluster_dir" | cut -f1)

report_med="" report_health="" report_ratio="" report_flag=""
if [[ $have_h2load == 1 ]]; then
    report_cost
fi

say "rescoring $followers followers after an ICP change, reading meanwhile, one replica"
t0=$(server_ticks) r0=$(redis_ticks) n0=$(now_ns)
rescore_json=$(bench rescore --addr "$addr" --account bench-stream --followers "$followers") ||
    fail "the rescoring pass"
rescore_busy=$(busy "$t0" "$n0") rescore_redis=$(share "$r0" "$(redis_ticks)" "$n0")
note_threads
bench verify --addr "$addr" --account bench-stream --followers "$followers" >/dev/null ||
    fail "the rescored followers do not read back"
bench verify --addr "$addr" --account bench-check --followers "$check_n" --tag c >/dev/null ||
    fail "the check stream's followers after rescoring"
rescore_secs=$(json seconds "$rescore_json")
hwm_rescore=$(status_kib VmHWM)
mem_rescore=$(sum_info memory used_memory)
aof_rescore=$(sum_info persistence aof_current_size)
du_rescore=$(du -sb "$cluster_dir" | cut -f1)
aof_rewrites=$(sum_info persistence aof_rewrites)
check_log "$server_log" "$base_problems" "the replica"
stop_pid "$server"
stop_cluster

# --- Redis, two replicas on one account --------------------------------------------------------
start_cluster two
# The conflict retries are logged at debug level only, by this one module.
two_filter="info,followscore::service::writes=debug"
redis_server "$tmp/replica-1.log" "$server_core" "$two_filter"
r1=$started_pid r1_addr="http://127.0.0.1:$started_port"
redis_server "$tmp/replica-2.log" "$load_core" "$two_filter"
r2=$started_pid r2_addr="http://127.0.0.1:$started_port"
r1_problems=$(problems_in "$tmp/replica-1.log") r2_problems=$(problems_in "$tmp/replica-2.log")
say "two replicas: PID $r1 on $r1_addr (core $server_core), PID $r2 on $r2_addr (core $load_core, with Redis and the clients)"

say "correctness: a write through one replica reads back through the other"
bench setup --addr "$r1_addr" --account bench-shared >/dev/null
bench setup --addr "$r2_addr" --account bench-check >/dev/null
bench stream --addr "$r2_addr" --account bench-check --followers "$check_n" --tag c >/dev/null ||
    fail "the check stream through replica 2"
bench verify --addr "$r1_addr" --account bench-check --followers "$check_n" --tag c >/dev/null ||
    fail "replica 2's writes do not read back through replica 1"

half=$((followers / 2)) other=$((followers - followers / 2))
say "streaming $followers followers into one account through two replicas at once ($half and $other)"
m0=$(machine_ticks) t1=$(ticks_of "$r1") t2=$(ticks_of "$r2") r0=$(redis_ticks) n0=$(now_ns)
# Each client is its own process, bounded and on core 1: timeout itself, so that $! is its
# PID and the trap's SIGTERM reaches the client through it.
timeout --kill-after=10 "$long" taskset -c "$load_core" "$client" stream --addr "$r1_addr" --account bench-shared \
    --followers "$half" --tag x --per-stream 1000 >"$tmp/two-1.json" &
client_pids+=($!)
timeout --kill-after=10 "$long" taskset -c "$load_core" "$client" stream --addr "$r2_addr" --account bench-shared \
    --followers "$other" --tag y --per-stream 1000 >"$tmp/two-2.json" &
client_pids+=($!)
wait "${client_pids[0]}" || fail "the stream through replica 1: $(cat "$tmp/two-1.json")"
wait "${client_pids[1]}" || fail "the stream through replica 2: $(cat "$tmp/two-2.json")"
client_pids=()
two_cpu=$(($(ticks_of "$r1") - t1 + $(ticks_of "$r2") - t2 + $(redis_ticks) - r0))
two_secs=$(awk -v n0="$n0" -v n1="$(now_ns)" 'BEGIN { printf "%.3f", (n1 - n0) / 1e9 }')
two_r1=$(share "$t1" "$(ticks_of "$r1")" "$n0") two_r2=$(share "$t2" "$(ticks_of "$r2")" "$n0")
two_redis=$(share "$r0" "$(redis_ticks)" "$n0") two_machine=$(share "$m0" "$(machine_ticks)" "$n0")
two_json1=$(cat "$tmp/two-1.json") two_json2=$(cat "$tmp/two-2.json")
two_rate=$(awk -v n="$followers" -v s="$two_secs" 'BEGIN { print n / s }')
two_client=$(awk -v a="$(json client_cpu_seconds "$two_json1")" -v b="$(json client_cpu_seconds "$two_json2")" \
    'BEGIN { print a + b }')
two_others=$(awk -v m="$two_machine" -v a="$two_r1" -v b="$two_r2" -v r="$two_redis" -v c="$two_client" \
    -v t="$two_secs" 'BEGIN { o = m - a - b - r - c / t; printf "%.2f", o < 0 ? 0 : o }')

# Read back: the account holds exactly N, none stale, through either replica (verify with a
# sample of one: the client has no id offset, so a sample spread over N ids of one tag would
# name ids never sent); and a CSV export through each replica lists every follower, once,
# each half under its tag.
say "reading every follower back through each replica"
verify_shared() {
    local via=$1 tag=$2 csv="$tmp/export-$3.csv" x y all
    bench verify --addr "$via" --account bench-shared --followers "$followers" --tag "$tag" --sample 1 \
        >/dev/null || fail "the shared account through $via"
    bounded "$long" taskset -c "$load_core" "$bin/followscore" export --account bench-shared \
        --addr "$via" --out "$csv" 2>/dev/null || fail "export through $via"
    # follower_id is the second column: `{example id}-{tag}{16 hex digits}`.
    x=$(grep -oE '^[A-Z]+,[^,"]*-x[0-9a-f]{16},' "$csv" | sort -u | wc -l)
    y=$(grep -oE '^[A-Z]+,[^,"]*-y[0-9a-f]{16},' "$csv" | sort -u | wc -l)
    all=$(grep -cE '^[A-Z]+,[^,"]*,' "$csv" || true)
    [[ $x == "$half" && $y == "$other" && $all == "$followers" ]] ||
        fail "export through $via: $x followers tagged x (sent $half), $y tagged y (sent $other), $all rows in all"
}
verify_shared "$r1_addr" x 1
verify_shared "$r2_addr" y 2
two_hwm1=$(hwm_of "$r1") two_hwm2=$(hwm_of "$r2")
conflicts1=$(grep -c 'a write lost a race with another replica' "$tmp/replica-1.log" || true)
conflicts2=$(grep -c 'a write lost a race with another replica' "$tmp/replica-2.log" || true)
check_log "$tmp/replica-1.log" "$r1_problems" "replica 1"
check_log "$tmp/replica-2.log" "$r2_problems" "replica 2"
stop_pid "$r1"
stop_pid "$r2"
stop_cluster
redis_secs=$(($(date +%s) - redis_started))
say "all answers checked"

# --- the section -----------------------------------------------------------------------------
# µs of CPU per follower: from clock ticks (cpu_us TICKS), or from a share of a core over
# seconds (cpu_us_of SHARE SECONDS).
cpu_us() { awk -v t="$1" -v hz="$clk_tck" -v n="$followers" 'BEGIN { printf "%.0f", t / hz / n * 1e6 }'; }
cpu_us_of() { awk -v b="$1" -v s="$2" -v n="$followers" 'BEGIN { printf "%.0f", b * s / n * 1e6 }'; }
bytes_mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
before_redis="(the sled part had just run)"
[[ -z $sled_from ]] || before_redis="(the sled figures were read from a file, not run here)"
section="$tmp/section.md"
{
    echo "## $(date -u +%Y-%m-%d) — sled and Redis Cluster, $(fmt "$followers") followers"
    echo
    echo "\`$command_line\` (commit $build_commit); \`nproc\` = $cores;"
    echo "load average before the run $load1 $load5 $load15, before the Redis part $redis_load1 $redis_load5 $redis_load15"
    echo "$before_redis; other processes kept ${sled_idle}% and ${redis_idle}% of a core busy in the"
    echo "3 s before each part. sled column: $sled_how"
    echo "(commit $sled_commit; its own load average before it: $sled_load). Redis column: a"
    echo "cluster of three primaries and three replicas on loopback (\`tests/redis-cluster.sh\`, AOF"
    echo "with \`appendfsync always\`), a fresh one for each part, every redis-server pinned to core"
    echo "$redis_core; replicas with \`--redis-min-replicas $min_replicas\` and one tokio worker, replica 1 on core"
    echo "$server_core; the load generators on core $load_core. **With $cores cores, Redis shares core $redis_core with the"
    echo "load generators, and in the two-replica run with replica 2 as well** (CPU per process below)."
    [[ -n $load_note ]] && echo && echo "**Note:** $load_note."
    [[ -n $build_note ]] && echo && echo "**Note:** $build_note."
    [[ -n $dirty ]] && echo && echo "**Note:** built with uncommitted changes to $dirty."
    [[ $smoke == 1 ]] && echo && echo "**Smoke run:** a correctness check with short windows; its figures mean nothing."
    echo
    echo "The last column compares speeds: a rate on Redis ÷ the same on sled, a CPU cost on sled ÷ on"
    echo "Redis; above 1, Redis does better."
    echo
    echo "| figure | sled | Redis Cluster | Redis ÷ sled |"
    echo "|---|---|---|---|"
    echo "| Streaming, one replica: followers/s through ClassifyFollowers (1,000 per stream, 4 in flight, unique ids, store growing 0 → $(fmt "$followers")) | $(fmt "$sled_stream") | $(fmt "$stream_rate") | $(ratio "$stream_rate" "$sled_stream") |"
    echo "| Streaming, two replicas writing one account at once, combined followers/s ($(fmt "$half") + $(fmt "$other"); each client alone: $(fmt "$(json followers_per_second "$two_json1")") and $(fmt "$(json followers_per_second "$two_json2")")/s) | one process only | $(fmt "$two_rate") | $(ratio "$two_rate" "$sled_stream") |"
    echo "| Writes retried after losing a race with the other replica (replica 1 / 2; the two halves share no follower, so only a change of the account's configuration or lead model could make one) | – | $conflicts1 / $conflicts2 | |"
    echo "| CPU per follower streamed, µs: sled's server (its busy share × the stream's time); Redis: the replica and all six nodes, two replicas in brackets | $(cpu_us_of "$(awk -v b="$sled_busy" 'BEGIN { print b / 100 }')" "$sled_stream_secs") | $(cpu_us "$stream_cpu") ($(cpu_us "$two_cpu")) | $(ratio "$(cpu_us_of "$(awk -v b="$sled_busy" 'BEGIN { print b / 100 }')" "$sled_stream_secs")" "$(cpu_us "$stream_cpu")") |"
    if [[ $have_h2load == 1 ]]; then
        echo "| Report cost: GetNetworkQuality at $(fmt "$followers") followers ÷ health Check, median pairwise (sled $sled_report_calls; Redis $(fmt "$report_med") / $(fmt "$report_health") calls/s)$report_flag | $sled_report_ratio | $report_ratio | $(ratio "$report_ratio" "$sled_report_ratio") |"
    else
        echo "| Report cost | $sled_report_ratio | not measured: h2load unavailable | |"
    fi
    echo "| Rescoring $(fmt "$followers") followers after an ICP change (until none is stale), one replica; followers/s in brackets | $sled_rescore | $(fmt "$rescore_secs" 1) s ($(fmt "$(json followers_per_second "$rescore_json")")/s) | $(ratio "$(json followers_per_second "$rescore_json")" "$sled_rescore_rate") |"
    echo "| GetFollower during the pass, p50 / p99 (Redis: $(json reads "$rescore_json") reads at 200/s) | $(sled_cell 'GetFollower during the pass') | $(fmt "$(json read_p50_ms "$rescore_json")" 2) / $(fmt "$(json read_p99_ms "$rescore_json")" 2) ms | |"
    echo "| followscore peak RSS (VmHWM) after the fill / after rescoring | $sled_rss | $(mib "$hwm_fill") / $(mib "$hwm_rescore") | |"
    echo "| followscore peak RSS, two replicas (replica 1 / 2) | – | $(mib "$two_hwm1") / $(mib "$two_hwm2") | |"
    echo "| Redis used_memory over the primaries, less the empty cluster's ($(bytes_mib "$mem_empty")), per stored follower, after the fill / after rescoring ($(fmt "$stored_followers") stored) | – (the data is on disk; the page cache is in the RSS above) | $(per "$((mem_fill - mem_empty))" "$stored_followers") / $(per "$((mem_rescore - mem_empty))" "$stored_followers") bytes | |"
    echo "| On disk per stored follower after the fill / after rescoring: sled's data directory; Redis's AOF over the primaries (aof_current_size) | $sled_disk | $(per "$aof_fill" "$stored_followers") / $(per "$aof_rescore" "$stored_followers") bytes | |"
    echo "| On disk per stored follower, all six Redis node directories (each replica keeps its own AOF) | – | $(per "$du_fill" "$stored_followers") / $(per "$du_rescore" "$stored_followers") bytes | |"
    echo
    echo "CPU, as a share of one core over each window (the load generators' from their own accounts):"
    echo
    echo "- streaming, sled: the server's core ${sled_busy}% busy;"
    echo "- streaming, one replica, $(fmt "$stream_secs" 1) s: replica $(pct "$stream_busy") (core $server_core), Redis $(pct "$stream_redis") (core $redis_core), client $(fmt "$stream_client" 1) s, other processes $(pct "$stream_others");"
    echo "- streaming, two replicas, $(fmt "$two_secs" 1) s: replica 1 $(pct "$two_r1") (core $server_core), replica 2 $(pct "$two_r2") and Redis $(pct "$two_redis") (both core $load_core), clients $(fmt "$two_client" 1) s, other processes $(pct "$two_others");"
    echo "- rescoring, one replica: replica $(pct "$rescore_busy"), Redis $(pct "$rescore_redis")."
    echo
    echo "AOF rewrites during the one-replica part: $aof_rewrites (Redis's default \`auto-aof-rewrite-*\`; the AOF sizes"
    echo "above are as they stood). Run time: sled part ${sled_secs} s, Redis part ${redis_secs} s, in all $(($(date +%s) - run_started)) s."
    if [[ $have_h2load == 1 ]]; then
        echo
        echo "h2load runs on the replica (\`taskset -c $load_core h2load -t1 -c 8 -m 32 -D $duration --warm-up-time $warmup\`, in"
        echo "order; replies checked by their bytes and the replica's log):"
        echo
        echo "| run | calls/s | replica core busy |"
        echo "|---|---|---|"
        while IFS=$'\t' read -r name rps b _; do
            echo "| $name | $(fmt "$rps") | $(pct "$b") |"
        done <"$tmp/h2load.tsv"
    fi
} >"$section"

echo
cat "$section"
if [[ $write == 1 ]]; then
    write_section "$section" '<!-- bench/redis.sh begin -->' '<!-- bench/redis.sh end -->' \
        '<!-- bench/run.sh: end -->'
    say "written to BENCHMARKS.md (between the bench/redis.sh markers)"
fi
