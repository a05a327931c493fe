#!/usr/bin/env bash
# Fuzz the channel normaliser with libFuzzer + AddressSanitizer.
#
#   deploy/fuzz.sh CHANNEL [SECONDS]     CHANNEL: an order channel (shopify, woocommerce, shopware, amazon,
#                                        ebay, pos, canonical), or "all" to run every channel on each input.
#                                        SECONDS defaults to 600.
#
# Builds .build-fuzz/normalizer-fuzz from every Sources/OrdersDomain/**/*.swift plus Fuzz/NormalizerFuzz.swift
# (one module, so SwiftPM is not involved), seeds the corpus from the shared fixtures of that channel and
# Fuzz/seeds/<channel>, and runs for SECONDS. Exit status is libFuzzer's: 0 = no crash. A crash leaves
# its input in .build-fuzz/artifacts/; rerun one input with:  .build-fuzz/normalizer-fuzz FILE
# Environment: SWIFTC (default: swiftc on PATH), ORDERFLOW_FIXTURES (default: ../shared/fixtures),
# FUZZ_JOBS (parallel fuzzing processes, default 1), extra libFuzzer flags after "--".
set -euo pipefail

usage() { sed -n '2,13p' "$0" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
channel=$1
seconds=${2:-600}
shift $(( $# >= 2 ? 2 : 1 ))
[[ ${1:-} == "--" ]] && shift
[[ $seconds =~ ^[0-9]+$ ]] || usage

root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/.build-fuzz
binary=$build/normalizer-fuzz
swiftc=${SWIFTC:-swiftc}
fixtures=${ORDERFLOW_FIXTURES:-$root/../shared/fixtures}
mkdir -p "$build/artifacts"

mapfile -t sources < <(find "$root/Sources/OrdersDomain" -name '*.swift' | sort)
harness=$root/Fuzz/NormalizerFuzz.swift

# Rebuild when the binary is missing or older than any source.
if [[ ! -x $binary ]] || [[ -n $(find "${sources[@]}" "$harness" -newer "$binary" -print -quit) ]]; then
    echo "building $binary with $("$swiftc" --version 2>&1 | head -1)" >&2
    "$swiftc" -sanitize=fuzzer,address -parse-as-library -O -g \
        -swift-version 6 \
        -enable-upcoming-feature ExistentialAny \
        -enable-upcoming-feature MemberImportVisibility \
        -enable-upcoming-feature InternalImportsByDefault \
        -module-name OrdersDomain \
        "${sources[@]}" "$harness" \
        -o "$binary"
fi

# The fixture folder that holds each channel's native payloads.
case $channel in
    shopify) folders=(shopify) ;;
    woocommerce) folders=(woocommerce) ;;
    shopware) folders=(shopware6) ;;
    amazon) folders=(amazon) ;;
    ebay) folders=(ebay) ;;
    pos) folders=(pos-square) ;;
    all) folders=(shopify woocommerce shopware6 amazon ebay pos-square) ;;
    *) folders=() ;;
esac

corpus=$build/corpus/$channel
mkdir -p "$corpus"
seeds=()
for folder in "${folders[@]}"; do
    [[ -d $fixtures/$folder ]] && seeds+=("$fixtures/$folder")
done
if [[ $channel == all ]]; then
    for dir in "$root"/Fuzz/seeds/*/; do [[ -d $dir ]] && seeds+=("$dir"); done
elif [[ -d $root/Fuzz/seeds/$channel ]]; then
    seeds+=("$root/Fuzz/seeds/$channel")
fi

fuzz_channel=$channel
[[ $channel == all ]] && fuzz_channel=
parallel=()
if [[ ${FUZZ_JOBS:-1} -gt 1 ]]; then
    # libFuzzer writes fuzz-N.log into the working directory of each job.
    parallel=(-jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS")
    cd "$build"
fi

echo "fuzzing channel '$channel' for ${seconds}s; corpus $corpus; seeds: ${seeds[*]:-none}" >&2
# New inputs go to the first directory (our corpus); the seed folders are only read.
ORDERFLOW_FUZZ_CHANNEL=$fuzz_channel exec "$binary" \
    -max_total_time="$seconds" \
    -max_len=131072 \
    -rss_limit_mb=2048 \
    -timeout=10 \
    -dict="$root/Fuzz/json.dict" \
    -artifact_prefix="$build/artifacts/$channel-" \
    -print_final_stats=1 \
    "${parallel[@]}" \
    "$@" \
    "$corpus" "${seeds[@]}"
