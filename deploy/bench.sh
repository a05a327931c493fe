#!/usr/bin/env bash
# The ingest benchmark: builds release binaries, brings the local stack up, and runs
# Benchmarks/IngestBenchmark (backlog drain rate, latency at a fixed rate, peak RSS, and the ratio
# to ../shared/bench/limit.sh on the same servers and body). Arguments go to the benchmark:
#   deploy/bench.sh [--orders N] [--rate R] [--rate-seconds S] [--seed N] [--no-limit]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export PATH=/opt/swift/usr/bin:$PATH
"$ROOT/deploy/local.sh" up
eval "$("$ROOT/deploy/local.sh" env)"
cd "$ROOT"
# The worker as deploy/package.sh builds it for production: Swift runtime linked statically.
swift build -c release --static-swift-stdlib --product orderflow
swift build -c release --static-swift-stdlib --product IngestBenchmark
export ORDERFLOW_BIN=$ROOT/.build/release/orderflow
exec "$ROOT/.build/release/IngestBenchmark" "$@"
