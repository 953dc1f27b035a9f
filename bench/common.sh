# shellcheck shell=bash disable=SC2034,SC2154 # globals set here are read by the scripts, and the reverse
# Shell functions shared by the benchmark scripts (bench/run.sh, bench/redis.sh), sourced
# after their options are read. Nothing runs here: each function reads and sets the globals
# named in its comment, as the scripts did when these lived in bench/run.sh.
#
# Globals a script sets before calling these: tmp (its temporary folder), followers and
# smoke (from its options), long (the bound of a client run, in seconds), duration and
# warmup (the h2load windows), pairs (A/B pairs per ratio); server, server_log and addr,
# the server the h2load and client functions measure.

say() { printf '[bench] %s\n' "$*" >&2; }
fail() { printf '[bench] FAILED: %s\n' "$*" >&2; exit 1; }

# --- the machine -------------------------------------------------------------------------
# Sets cores, server_core, load_core, load1 load5 load15, load_note and clk_tck.
read_machine() {
    cores=$(nproc)
    server_core=0 load_core=1
    if [[ $cores -lt 2 ]]; then
        say "only $cores core: server and load share core 0; the ratios mean little"
        load_core=0
    fi
    read -r load1 load5 load15 _ </proc/loadavg
    load_note=""
    if awk -v l="$load1" 'BEGIN { exit !(l > 0.5) }'; then
        load_note="load average $load1 before the run: another process was using a core, figures are indicative"
        say "$load_note"
    fi
    clk_tck=$(getconf CLK_TCK)
}

# --- build ---------------------------------------------------------------------------------
# Sets bin (the release folder) and client (followscore-bench).
build_release() {
    say "building the release binaries"
    cargo build --release --locked --bin followscore --bin followscore-bench >&2
    bin="${CARGO_TARGET_DIR:-target}/release"
    client="$bin/followscore-bench"
}

# --- h2load ----------------------------------------------------------------------------------
# Sets h2load (H2LOAD, default: h2load on the PATH) and have_h2load (0 or 1); installs
# Debian's nghttp2-client when it is missing and we are root. What a missing h2load means is
# the caller's to say.
find_h2load() {
    h2load=${H2LOAD:-h2load}
    have_h2load=1
    if ! command -v "$h2load" >/dev/null; then
        say "h2load missing: installing Debian's nghttp2-client"
        if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
            { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client; } >&2 || true
        fi
        command -v "$h2load" >/dev/null || have_h2load=0
    fi
}

# --- servers ---------------------------------------------------------------------------------
# Every server started is recorded in started_pids at once, so that the exit trap
# (stop_servers) stops it even if it fails to start.
started_pids=()

# start_server LOG CORE FILTER ARGS...: `followscore serve --listen 127.0.0.1:0 ARGS...`
# pinned to CORE, logging at FILTER (such as info) into LOG; waits for the address it
# reports. Sets started_pid and started_port. Not to be called in a subshell: the server
# must be this shell's child, for the trap to stop it.
start_server() {
    local log=$1 core=$2 filter=$3
    shift 3
    FOLLOWSCORE_LOG=$filter taskset -c "$core" "$bin/followscore" serve \
        --listen 127.0.0.1:0 "$@" 2>"$log" &
    started_pid=$!
    started_pids+=("$started_pid")
    started_port=""
    for _ in $(seq 1 300); do
        started_port=$(grep -o 'addr=127\.0\.0\.1:[0-9]*' "$log" | head -1 | cut -d: -f2 || true)
        [[ -n $started_port ]] && break
        kill -0 "$started_pid" 2>/dev/null || fail "the server did not start: $(cat "$log")"
        sleep 0.1
    done
    [[ -n $started_port ]] || fail "the server did not report its address"
}

# stop_pid PID: SIGTERM, up to 10 s to finish, then SIGKILL; a server already gone is fine.
stop_pid() {
    local pid=$1
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
}

stop_servers() {
    local pid
    for pid in "${started_pids[@]}"; do stop_pid "$pid"; done
}

# --- measuring -------------------------------------------------------------------------------
# ticks_of PID...: CPU time (user + system, all threads) of these processes, in clock ticks.
ticks_of() {
    local pid total=0 t
    for pid in "$@"; do
        t=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
        total=$((total + t))
    done
    echo "$total"
}
server_ticks() { ticks_of "$server"; }
now_ns() { date +%s%N; }
status_kib() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$server/status"; }
max_threads=0
note_threads() {
    local t
    t=$(status_kib Threads)
    [[ $t -gt $max_threads ]] && max_threads=$t
    return 0
}
# busy SINCE_TICKS SINCE_NS: the share of one core the server used since then.
busy() {
    awk -v t0="$1" -v t1="$(server_ticks)" -v n0="$2" -v n1="$(now_ns)" -v hz="$clk_tck" \
        'BEGIN { printf "%.2f", (t1 - t0) / hz / ((n1 - n0) / 1e9) }'
}
busy_flag() { awk -v b="$1" 'BEGIN { if (b < 0.95) printf " (server core only %d%% busy)", b * 100 }'; }
# Every client run is bounded in time: a server that stops answering ends the run.
bounded() { timeout --kill-after=10 "$@"; }
bench() { bounded "$long" taskset -c "$load_core" "$client" "$@"; }
json() { sed -n "s/.*\"$1\":\\([^,}]*\\).*/\\1/p" <<<"$2" | tr -d '"'; }

# Warnings and errors in the server's log (internal errors are logged with their cause).
problem_re='^[^ ]+ +(WARN|ERROR) '
log_problems() { grep -cE "$problem_re" "$server_log" || true; }

h2_rps="" h2_busy=""
# h2 NAME BODY PATH REPLY_BYTES [fixed COUNT]: one h2load run on core 1. A gRPC error is
# HTTP 200 with no message, so replies are counted by their bytes: in a fixed-count run the
# DATA total must be exactly COUNT replies of REPLY_BYTES; in a timed run (whose DATA total
# includes the warm-up) whole replies, at least one per counted call. Either way no failed
# stream, no non-2xx status and no warning or error in the server's log. Sets h2_rps and
# h2_busy.
h2() {
    local name=$1 body=$2 path=$3 size=$4 out="$tmp/h2load-$1.txt" t0 n0 how problems
    if [[ ${5:-} == fixed ]]; then
        how=(-n "$6" -c 4 -m 8)
    else
        how=(-D "$duration" --warm-up-time "$warmup" -c 8 -m 32)
    fi
    note_threads
    problems=$(log_problems)
    t0=$(server_ticks) n0=$(now_ns)
    bounded $((duration + warmup + 120)) taskset -c "$load_core" "$h2load" -t1 "${how[@]}" -H 'content-type: application/grpc' \
        -H 'te: trailers' -d "$body" "$addr$path" >"$out" 2>&1 || fail "h2load $name: $(cat "$out")"
    h2_busy=$(busy "$t0" "$n0")
    note_threads
    local requests succeeded failed errored timeouts not2xx data
    requests=$(awk '/^requests:/' "$out")
    succeeded=$(awk '{ print $8 }' <<<"$requests")
    failed=$(awk '{ print $10 }' <<<"$requests")
    errored=$(awk '{ print $12 }' <<<"$requests")
    timeouts=$(awk '{ print $14 }' <<<"$requests")
    not2xx=$(awk '/^status codes:/ { print $5 + $7 + $9 }' "$out")
    data=$(grep -o '([0-9]*) data' "$out" | tr -dc 0-9)
    h2_rps=$(awk '/^finished in/ { print $4 }' "$out")
    [[ -n $succeeded && -n $data && -n $h2_rps ]] || fail "h2load $name: unreadable output: $(cat "$out")"
    [[ $failed == 0 && $errored == 0 && $timeouts == 0 && $not2xx == 0 ]] ||
        fail "h2load $name: $requests; $(grep '^status codes:' "$out")"
    [[ $succeeded -gt 0 ]] || fail "h2load $name: no request succeeded"
    if [[ ${5:-} == fixed ]]; then
        [[ $succeeded == "$6" && $data == $((succeeded * size)) ]] ||
            fail "h2load $name: $data bytes of replies for $succeeded of $6 calls of $size bytes: some calls failed"
    else
        # h2load's DATA total also counts the warm-up's replies: whole replies, at least one
        # per counted call.
        [[ $((data % size)) == 0 && $data -ge $((succeeded * size)) ]] ||
            fail "h2load $name: $data bytes of replies for $succeeded calls of $size bytes: some calls failed"
    fi
    [[ $(log_problems) == "$problems" ]] ||
        fail "h2load $name: the server logged a problem: $(grep -E "$problem_re" "$server_log" | tail -3)"
    printf '%s\t%s\t%s\t%s\n' "$name" "$h2_rps" "$h2_busy" "$succeeded" >>"$tmp/h2load.tsv"
}

health_path=/grpc.health.v1.Health/Check
score_path=/followscore.v1.FollowScore/ScoreFollower
report_path=/followscore.v1.FollowScore/GetNetworkQuality

# ab NAME PATH BODY|REPLY_BYTES...: windows of A (one body each, in turn) and of the health
# Check alternated, P pairs; sets ab_a and ab_b (median calls/s) and ab_ratio (median of the
# pairwise ratios). The health Check's body and reply size: health_body, health_size.
ab_a="" ab_b="" ab_ratio="" ab_flag=""
ab() {
    local name=$1 path=$2 k a_rps=() b_rps=() ratios=() body size idle=0
    shift 2
    for k in $(seq 1 "$pairs"); do
        body=$(cut -d'|' -f1 <<<"${!k}") size=$(cut -d'|' -f2 <<<"${!k}")
        h2 "$name-$k" "$body" "$path" "$size"
        a_rps+=("$h2_rps")
        [[ -z $(busy_flag "$h2_busy") ]] || idle=$((idle + 1))
        h2 "health-$k-for-$name" "$health_body" "$health_path" "$health_size"
        b_rps+=("$h2_rps")
        [[ -z $(busy_flag "$h2_busy") ]] || idle=$((idle + 1))
        ratios+=("$(awk -v a="${a_rps[-1]}" -v b="$h2_rps" 'BEGIN { printf "%.4f", a / b }')")
    done
    ab_a=$(median "${a_rps[@]}") ab_b=$(median "${b_rps[@]}")
    ab_ratio=$(printf '%.2f' "$(median "${ratios[@]}")")
    ab_flag=""
    [[ $idle == 0 ]] || ab_flag=" (server core under 95% busy in $idle of $((2 * pairs)) windows)"
}
# report_cost: GetNetworkQuality on the account holding the N (report.bin) against the
# health Check, P pairs (ab); sets report_med, report_health, report_ratio, report_flag.
report_cost() {
    local report_size report_args=()
    report_size=$(json reply_frame_bytes "$(bench probe --addr "$addr" --method report --body "$tmp/bodies/report.bin")")
    say "report cost: GetNetworkQuality on $followers followers vs health Check, $pairs pairs of ${duration} s"
    for _ in $(seq 1 "$pairs"); do report_args+=("$tmp/bodies/report.bin|$report_size"); done
    ab report "$report_path" "${report_args[@]}"
    report_med=$ab_a report_health=$ab_b report_ratio=$ab_ratio report_flag=$ab_flag
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# --- the section -----------------------------------------------------------------------------
fmt() { awk -v x="$1" -v d="${2:-0}" 'BEGIN {
    s = sprintf("%." d "f", x); split(s, p, "."); i = p[1]; neg = (i ~ /^-/); sub(/^-/, "", i)
    o = ""; while (length(i) > 3) { o = "," substr(i, length(i) - 2) o; i = substr(i, 1, length(i) - 3) }
    o = (neg ? "-" : "") i o; if (d > 0) o = o "." p[2]; print o }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
per() { awk -v b="$1" -v n="$2" 'BEGIN { printf "%.0f", b / n }'; }
tenth_list() { tr ',' '\n' <<<"$1" | while read -r r; do fmt "$r"; done | paste -sd' ' | sed 's/ /, /g'; }

# write_section SECTION BEGIN END [AFTER]: replaces what lies between the lines BEGIN and END
# of BENCHMARKS.md with the file SECTION. Missing markers are added after the line AFTER
# when it is given and present, else at the end of the file.
write_section() {
    local section=$1 begin=$2 end=$3 after=${4:-}
    if ! grep -qF "$begin" BENCHMARKS.md; then
        if [[ -n $after ]] && grep -qxF "$after" BENCHMARKS.md; then
            awk -v a="$after" -v b="$begin" -v e="$end" '
                { print }
                $0 == a && !done { print ""; print b; print e; done = 1 }' BENCHMARKS.md >"$tmp/BENCHMARKS.md"
            cp "$tmp/BENCHMARKS.md" BENCHMARKS.md
        else
            printf '\n%s\n%s\n' "$begin" "$end" >>BENCHMARKS.md
        fi
    fi
    awk -v f="$section" -v b="$begin" -v e="$end" '
        $0 == b { print; while ((getline l < f) > 0) print l; skip = 1; next }
        $0 == e { skip = 0 }
        !skip' BENCHMARKS.md >"$tmp/BENCHMARKS.md"
    cp "$tmp/BENCHMARKS.md" BENCHMARKS.md
}
