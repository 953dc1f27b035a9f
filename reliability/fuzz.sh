#!/usr/bin/env bash
# Fuzzing (cargo-fuzz, libFuzzer) of every parser and converter that takes outside input:
# the importers (X JSON lines, X CSV, LinkedIn CSV), the title, company and location
# readers, proto3 JSON account loading, and protobuf requests into domain types. Each
# target runs for SECONDS (default 300), one after another; its corpus is seeded from the
# examples, the evaluation set and the unit tests' strings (fuzz/seed.sh) and kept in
# fuzz/corpus between runs. A crash is reported with its input in fuzz/artifacts/TARGET/,
# the other targets still run, and the script fails at the end.
#
# On the stable toolchain: libFuzzer's coverage instrumentation (-Cpasses=sancov-module and
# the -Cllvm-args=-sanitizer-coverage-* flags cargo-fuzz passes) is stable; the sanitizers
# (-Zsanitizer=address, cargo-fuzz's default) are not, so targets are built with
# `--sanitizer none` and build on stable as they are. Rust's own checks stay on (debug
# assertions, overflow checks: cargo-fuzz's default); the library under test has no unsafe,
# which is what AddressSanitizer would have watched. Should a later cargo-fuzz pass an
# unstable flag, FUZZ_RUSTC_BOOTSTRAP=1 sets RUSTC_BOOTSTRAP=1 for its builds.
#
# Usage: reliability/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
seconds="${1:-300}"
shift || true
targets=("$@")
if [[ ${#targets[@]} == 0 ]]; then
    targets=(import_twitter_json import_twitter_csv import_linkedin_csv title company geo account_json proto_convert)
fi

if ! command -v cargo-fuzz >/dev/null; then
    cargo install --locked cargo-fuzz
fi
if [[ -n ${FUZZ_RUSTC_BOOTSTRAP:-} ]]; then export RUSTC_BOOTSTRAP=1; fi
fuzz_dir="$CARGO_TARGET_DIR/fuzz"
# 16 codegen units: a build of the whole dependency tree with coverage instrumentation
# takes a third of the time, for slightly slower runs.
build=(cargo fuzz build --sanitizer none --codegen-units 16 --target-dir "$fuzz_dir")
run=(cargo fuzz run --sanitizer none --codegen-units 16 --target-dir "$fuzz_dir")

cd fuzz
./seed.sh >/dev/null
"${build[@]}" >&2
summary=""
crashed=()
for target in "${targets[@]}"; do
    log="$fuzz_dir/$target.log"
    echo "[fuzz] $target for ${seconds}s" >&2
    status=0
    "${run[@]}" "$target" "corpus/$target" -- -max_total_time="$seconds" -print_final_stats=1 \
        -rss_limit_mb=4096 -timeout=30 -max_len=65536 >"$log" 2>&1 || status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    corpus_size=$(ls "corpus/$target" | wc -l)
    line=$(printf '%-20s %6ss %12s executions %6s corpus' "$target" "$seconds" "${execs:-?}" "$corpus_size")
    summary+="$line"$'\n'
    if [[ $status != 0 ]]; then
        grep -E 'panicked|ERROR|SUMMARY|Test unit written' "$log" | head -20 >&2 || true
        echo "[fuzz] $target crashed; its log is $log, the input in $root/fuzz/artifacts/$target/" >&2
        summary+="  CRASHED: see $log"$'\n'
        crashed+=("$target")
    fi
done
printf '%s' "$summary"
if [[ ${#crashed[@]} -gt 0 ]]; then
    echo "[fuzz] FAILED: ${crashed[*]} crashed" >&2
    exit 1
fi
