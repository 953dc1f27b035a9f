#!/usr/bin/env bash
# followscore's benchmark suite: every server figure of BENCHMARKS.md from one command.
#
#   bench/run.sh                  N = 1,000,000 stored followers; writes BENCHMARKS.md
#   bench/run.sh --followers N    another N
#   bench/run.sh --smoke          N = 5,000, short windows: correctness only (CI)
#   Options: --no-write (print the section only), --duration S (h2load window, default 10),
#            --pairs P (A/B pairs per ratio, default 3), --cache-mb MB (server store cache),
#            --rescore-passes P (rescoring passes, each after an ICP change, default 3).
#   Environment: H2LOAD, the h2load to run (default: h2load on the PATH).
#
# Method (the project's benchmarking guide): a release server pinned to core 0 with one
# tokio worker, on a fresh data directory in a temporary folder, on a free loopback port;
# the load generators (h2load and the project's client, followscore-bench) on core 1.
# Correctness is checked before anything is measured, and every measured answer is checked
# too: any wrong or missing answer ends the run with a non-zero status. The server's CPU
# time is read from /proc over each measured window and a window where its core was under
# 95% busy is flagged. The server is stopped by its PID however the script exits.
#
# Figures (targets from the performance issue beside each in the written section):
# - streaming: followers/s through ClassifyFollowers, 1,000 per stream, unique ids, the
#   store growing from 0 to N; ÷ the in-process rate of decode + score + store of the same
#   followers on core 0 (followscore-bench in-process, run tenth by tenth right after the
#   stream's tenth: the median of the ten ratios); and the last tenth's rate ÷ the first's.
# - unary efficiency: ScoreFollower calls/s ÷ health Check calls/s (h2load), A B A B A B.
# - report cost: GetNetworkQuality calls/s on the account holding N ÷ health Check calls/s.
# - rescoring: seconds until no result is stale after an ICP change, the median of several
#   passes in a row, and GetFollower latency (p50/p99) meanwhile.
# - memory and disk: the server's peak RSS and threads, du of the data directory per
#   stored follower, after the fill, after the first rescoring pass and after the last.
set -euo pipefail
cd "$(dirname "$0")/.."

command_line="bench/run.sh${*:+ $*}"
followers=1000000
smoke=0
write=1
duration=10
warmup=2
pairs=3
rescore_passes=3
cache_mb=64
while [[ $# -gt 0 ]]; do
    case "$1" in
    --smoke) smoke=1 ;;
    --followers) followers="$2"; shift ;;
    --no-write) write=0 ;;
    --duration) duration="$2"; shift ;;
    --pairs) pairs="$2"; shift ;;
    --cache-mb) cache_mb="$2"; shift ;;
    --rescore-passes) rescore_passes="$2"; shift ;;
    -h | --help) sed -n '2,10p' "$0" | cut -c3-; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
[[ $rescore_passes =~ ^[1-9][0-9]*$ ]] || { echo "--rescore-passes takes a count from 1" >&2; exit 2; }
if [[ $smoke == 1 ]]; then
    followers=5000 duration=1 warmup=1 write=0 rescore_passes=2
fi

# The functions shared with bench/redis.sh: say, fail, the machine, the build, h2load, the
# server's start and stop, CPU time, the h2load runs and A/B ratios, formatting.
source bench/common.sh

# --- the machine, the build, h2load ----------------------------------------------------------
read_machine
build_release
find_h2load
if [[ $have_h2load == 0 ]]; then
    [[ $smoke == 1 ]] || fail "h2load (Debian package nghttp2-client) could not be installed"
    say "h2load could not be installed: SKIPPING the h2load checks and figures (unary efficiency, report cost); the project's client checks the rest"
fi

# --- the server ------------------------------------------------------------------------------
tmp=$(mktemp -d -t followscore-bench.XXXXXX)
data="$tmp/data"
cleanup() {
    stop_servers
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

server_log="$tmp/server.log"
start_server "$server_log" "$server_core" info --data-dir "$data" --worker-threads 1 --cache-mb "$cache_mb"
server=$started_pid port=$started_port
addr="http://127.0.0.1:$port"
say "server PID $server on $addr (core $server_core, one worker, cache $cache_mb MiB, data in $data)"

# Every client run is bounded in time (bench, in common.sh): a server that stops answering
# ends the run.
long=$((600 + followers / 500))

# --- correctness first -----------------------------------------------------------------------
say "correctness: accounts, a checked stream, bodies and single calls"
bench setup --addr "$addr" --account bench-stream >/dev/null
bench setup --addr "$addr" --account bench-unary >/dev/null
bench setup --addr "$addr" --account bench-check >/dev/null
check_n=1000
bench stream --addr "$addr" --account bench-check --followers "$check_n" --tag c >/dev/null ||
    fail "the check stream"
bench verify --addr "$addr" --account bench-check --followers "$check_n" --tag c >/dev/null ||
    fail "the check stream's followers do not read back"
# One ScoreFollower body per A window, of different formats (see the examples' stride).
stride=$(($(cat examples/followers_*.csv examples/followers_*.jsonl | wc -l) / 4 + 1))
bench bodies --out "$tmp/bodies" --account bench-unary --followers "$pairs" --tag u \
    --stride "$stride" --report-account bench-stream >/dev/null
health_body="$tmp/bodies/health.bin"
health_size=$(json reply_frame_bytes "$(bench probe --addr "$addr" --method health --body "$health_body")")
declare -a score_size
for k in $(seq 1 "$pairs"); do
    score_size[k]=$(json reply_frame_bytes "$(bench probe --addr "$addr" --method score --body "$tmp/bodies/score-$k.bin")") ||
        fail "ScoreFollower body $k"
done
stored_followers=$((check_n + pairs))

if [[ $have_h2load == 1 ]]; then
    h2 check-health "$health_body" "$health_path" "$health_size" fixed 2000
    for k in $(seq 1 "$pairs"); do
        h2 "check-score-$k" "$tmp/bodies/score-$k.bin" "$score_path" "${score_size[k]}" fixed 500
    done
fi
bench verify --addr "$addr" --account bench-unary --followers "$pairs" --tag u --stride "$stride" \
    >/dev/null || fail "the ScoreFollower bodies' followers do not read back"
: >"$tmp/h2load.tsv"
say "correctness checks passed"

# --- streaming: fill the store with N followers ----------------------------------------------
# Paired with the in-process baseline (followscore-bench in-process --stepwise, on the
# server's core, into a fresh data directory of its own): after each tenth of the fill the
# stream waits while the baseline stores the same followers, so the two rates of a tenth are
# measured seconds apart at the same store size, and a machine whose speed drifts over the
# run moves both alike. The server's busy share is read over the streaming alone.
say "streaming $followers followers (1,000 per stream) into an empty account, each tenth followed by the in-process baseline of the same followers on core $server_core"
stream_json=$(bench stream --addr "$addr" --account bench-stream --followers "$followers" --per-stream 1000 \
    --paired-in-process "$tmp/in-process" --paired-core "$server_core" --cache-mb "$cache_mb" \
    --server-pid "$server") ||
    fail "the stream"
rm -rf "$tmp/in-process"
stream_busy=$(json server_busy "$stream_json")
note_threads
stored_followers=$((stored_followers + followers))
bench verify --addr "$addr" --account bench-stream --followers "$followers" >/dev/null ||
    fail "the streamed followers do not read back"
stream_rate=$(json followers_per_second "$stream_json")
tenths=$(sed -n 's/.*"tenth_rates":\[\([^]]*\)\].*/\1/p' <<<"$stream_json")
first_tenth=$(cut -d, -f1 <<<"$tenths")
last_tenth=$(awk -F, '{ print $NF }' <<<"$tenths")
hwm_fill=$(status_kib VmHWM)
disk_fill=$(du -sb "$data" | cut -f1)

inproc_rate=$(json in_process_followers_per_second "$stream_json")
paired_ratio=$(json paired_ratio_median "$stream_json")

# --- A/B ratios against the health Check ---------------------------------------------------
report_med="" report_health="" report_ratio="" report_flag=""
unary_med="" unary_health="" unary_ratio="" unary_flag=""
if [[ $have_h2load == 1 ]]; then
    report_cost

    say "unary efficiency: ScoreFollower vs health Check, $pairs pairs of ${duration} s"
    score_args=()
    for k in $(seq 1 "$pairs"); do score_args+=("$tmp/bodies/score-$k.bin|${score_size[k]}"); done
    ab score "$score_path" "${score_args[@]}"
    unary_med=$ab_a unary_health=$ab_b unary_ratio=$ab_ratio unary_flag=$ab_flag
    bench verify --addr "$addr" --account bench-unary --followers "$pairs" --tag u --stride "$stride" \
        >/dev/null || fail "ScoreFollower's followers after the unary runs"
fi

# --- rescoring -------------------------------------------------------------------------------
# P passes in a row, each after an ICP change (odd passes edit the ICP, even ones put it
# back): one pass on this machine moves by a third with its speed, so the figure is the
# median pass, every pass listed beside it. Passes after the first also show what an
# account whose ICP is edited again and again does to the store (its disk after the last
# pass). A health Check window before the first pass and after each states each pass in
# no-op calls' time of the same minutes (the mean of the windows on either side): this
# machine's speed drifts by a factor of two or more between hours, and the ratio moves far
# less (BENCHMARKS.md, the suite's description).
say "rescoring $followers followers after an ICP change, $rescore_passes passes, reading meanwhile"
declare -a pass_secs pass_rates pass_ratios pass_p50 pass_p99 pass_busy
rescore_reads=0
if [[ $have_h2load == 1 ]]; then
    h2 health-before-rescoring "$health_body" "$health_path" "$health_size"
    health_before_pass=$h2_rps
fi
for k in $(seq 1 "$rescore_passes"); do
    t0=$(server_ticks) n0=$(now_ns)
    rescore_json=$(bench rescore --addr "$addr" --account bench-stream --followers "$followers" --pass "$k") ||
        fail "rescoring pass $k"
    pass_busy[k]=$(busy "$t0" "$n0")
    note_threads
    bench verify --addr "$addr" --account bench-stream --followers "$followers" >/dev/null ||
        fail "the rescored followers do not read back after pass $k"
    pass_secs[k]=$(json seconds "$rescore_json")
    pass_rates[k]=$(json followers_per_second "$rescore_json")
    pass_p50[k]=$(json read_p50_ms "$rescore_json")
    pass_p99[k]=$(json read_p99_ms "$rescore_json")
    rescore_reads=$((rescore_reads + $(json reads "$rescore_json")))
    if [[ $k == 1 ]]; then disk_rescore=$(du -sb "$data" | cut -f1); fi
    if [[ $have_h2load == 1 ]]; then
        h2 "health-after-rescoring-$k" "$health_body" "$health_path" "$health_size"
        pass_ratios[k]=$(awk -v r="${pass_rates[k]}" -v a="$health_before_pass" -v b="$h2_rps" \
            'BEGIN { print r / ((a + b) / 2) }')
        health_before_pass=$h2_rps
    fi
done
rescore_secs=$(median "${pass_secs[@]}")
rescore_rate=$(awk -v n="$followers" -v s="$rescore_secs" 'BEGIN { print n / s }')
rescore_busy=$(printf '%s\n' "${pass_busy[@]}" | sort -g | head -1)
rescore_p50=$(median "${pass_p50[@]}")
rescore_p99=$(printf '%s\n' "${pass_p99[@]}" | sort -g | tail -1)
rescore_ratio=""
if [[ $have_h2load == 1 ]]; then
    rescore_ratio=$(printf '%.2f' "$(median "${pass_ratios[@]}")")
fi
hwm_passes=$(status_kib VmHWM)
disk_passes=$(du -sb "$data" | cut -f1)
say "all answers checked"

# The largest listing index built (the streamed account's, on its first report), from the
# server's log: what the first listing after a restart costs, without the account's lock.
listing_build=$(grep -o 'listed=[0-9]* elapsed_ms=[0-9]*' "$server_log" | sort -t= -k2 -n | tail -1 || true)
listing_listed=$(sed -n 's/listed=\([0-9]*\) .*/\1/p' <<<"$listing_build")
listing_ms=$(sed -n 's/.*elapsed_ms=\([0-9]*\)/\1/p' <<<"$listing_build")

# --- the section -----------------------------------------------------------------------------
section="$tmp/section.md"
{
    echo "## $(date -u +%Y-%m-%d) — benchmark suite, $(fmt "$followers") followers"
    echo
    echo "\`$command_line\` (commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)); \`nproc\` = $cores;"
    echo "load average before the run $load1 $load5 $load15. Server: release build on core $server_core, one"
    echo "worker, $cache_mb MiB store cache, fresh data directory; load generators on core $load_core."
    [[ -n $load_note ]] && echo && echo "**Note:** $load_note."
    [[ $smoke == 1 ]] && echo && echo "**Smoke run:** a correctness check with short windows; its figures mean nothing."
    echo
    echo "| figure | measured | target |"
    echo "|---|---|---|"
    echo "| Streaming: followers/s through ClassifyFollowers (1,000 per stream, 4 in flight, unique ids, store growing 0 → $(fmt "$followers"))$(busy_flag "$stream_busy") | $(fmt "$stream_rate") | ≥ 150,000 |"
    echo "| In-process decode + score + store of the same followers, followers/s (core $server_core, each tenth right after the stream's) | $(fmt "$inproc_rate") | |"
    echo "| Streaming ÷ in-process: median of the tenths' ratios (of the totals: $(ratio "$stream_rate" "$inproc_rate")) | $(fmt "$paired_ratio" 2) | ≥ 0.9 |"
    if [[ -n $tenths ]]; then
        echo "| Streaming, last tenth ÷ first tenth of the fill ($(fmt "$last_tenth") / $(fmt "$first_tenth") per s) | $(ratio "$last_tenth" "$first_tenth") | not slowing (≈ 1) |"
    fi
    if [[ $have_h2load == 1 ]]; then
        echo "| Unary efficiency: ScoreFollower ÷ health Check, median pairwise ($(fmt "$unary_med") / $(fmt "$unary_health") calls/s)$unary_flag | $unary_ratio | ≥ 0.6 |"
        echo "| Report cost: GetNetworkQuality at $(fmt "$followers") followers ÷ health Check, median pairwise ($(fmt "$report_med") / $(fmt "$report_health") calls/s)$report_flag | $report_ratio | ≥ 0.5 (at 1,000,000) |"
    else
        echo "| Unary efficiency, report cost | not measured: h2load unavailable | |"
    fi
    if [[ -n $listing_ms ]]; then
        echo "| The listing index, built on the account's first report from its $(fmt "$listing_listed") listed followers (writes and reads go on meanwhile) | $(fmt "$(awk -v m="$listing_ms" 'BEGIN { print m / 1000 }')" 2) s | |"
    fi
    echo "| Rescoring $(fmt "$followers") followers after an ICP change (until none is stale), the median of $rescore_passes passes$(busy_flag "$rescore_busy") | $(fmt "$rescore_secs" 1) s ($(fmt "$rescore_rate")/s) | < 20 s for 1,000,000 |"
    if [[ -n $rescore_ratio ]]; then
        echo "| Rescoring rate ÷ health Check rate (the mean of the windows right before and after each pass), median of the passes: followers rescored in the time of one no-op call | $rescore_ratio | (0.5: 20 s at a quiet run's 100,000 no-op calls/s) |"
    fi
    echo "| GetFollower during the passes, median p50 / worst p99 ($(fmt "$rescore_reads") reads at 200/s) | $(fmt "$rescore_p50" 2) / $(fmt "$rescore_p99" 2) ms | reads keep answering |"
    echo "| Server peak RSS (VmHWM) after the fill / after rescoring (every pass) | $(mib "$hwm_fill") / $(mib "$hwm_passes") | ≤ 512 MiB at 1,000,000 |"
    echo "| Server threads, most seen | $max_threads | bounded |"
    echo "| Data directory per stored follower after the fill / after the first pass ($(fmt "$stored_followers") stored) | $(per "$disk_fill" "$stored_followers") / $(per "$disk_rescore" "$stored_followers") bytes | < 1,024 |"
    if [[ $rescore_passes -gt 1 ]]; then
        echo "| The same after $rescore_passes passes (an ICP edited again and again) | $(per "$disk_passes" "$stored_followers") bytes | |"
    fi
    echo
    if [[ -n $tenths ]]; then
        echo "Streaming rate per tenth of the fill, followers/s: $(tenth_list "$tenths");"
        echo "in-process: $(tenth_list "$(sed -n 's/.*"in_process_tenth_rates":\[\([^]]*\)\].*/\1/p' <<<"$stream_json")");"
        echo "ratio per tenth: $(sed -n 's/.*"paired_ratios":\[\([^]]*\)\].*/\1/p' <<<"$stream_json" | tr ',' '\n' | awk '{ printf "%s%.2f", (NR > 1 ? ", " : ""), $1 }')."
    fi
    echo "Stream: $(fmt "$(json seconds "$stream_json")" 1) s, client CPU $(fmt "$(json client_cpu_seconds "$stream_json")" 1) s, server core $(awk -v b="$stream_busy" 'BEGIN { printf "%d", b * 100 }')% busy."
    echo "Rescoring passes, in order: $(for k in $(seq 1 "$rescore_passes"); do
        printf '%s%s s (%s/s%s; reads p50 / p99 %s / %s ms)' "$([[ $k == 1 ]] || echo '; ')" \
            "$(fmt "${pass_secs[k]}" 1)" "$(fmt "${pass_rates[k]}")" \
            "$([[ -n ${pass_ratios[k]:-} ]] && printf ', %.2f per no-op call' "${pass_ratios[k]}")" \
            "$(fmt "${pass_p50[k]}" 2)" "$(fmt "${pass_p99[k]}" 2)"
    done); the server core at least $(awk -v b="$rescore_busy" 'BEGIN { printf "%d", b * 100 }')% busy in each."
    if [[ $have_h2load == 1 ]]; then
        echo
        echo "h2load runs (\`taskset -c $load_core h2load -t1 -c 8 -m 32 -D $duration --warm-up-time $warmup\`, in order;"
        echo "replies checked by their bytes and the server's log). Each ScoreFollower window sends its"
        echo "own follower of the shipped examples (formats differ between windows), rescored and stored"
        echo "durably on every call."
        echo
        echo "| run | calls/s | server core busy |"
        echo "|---|---|---|"
        while IFS=$'\t' read -r name rps b _; do
            echo "| $name | $(fmt "$rps") | $(awk -v b="$b" 'BEGIN { printf "%d%%", b * 100 }')$(awk -v b="$b" 'BEGIN { if (b < 0.95) printf " ⚠" }') |"
        done <"$tmp/h2load.tsv"
    fi
} >"$section"

echo
cat "$section"
if [[ $write == 1 ]]; then
    write_section "$section" '<!-- bench/run.sh: begin -->' '<!-- bench/run.sh: end -->'
    say "written to BENCHMARKS.md (between the bench/run.sh markers)"
fi
