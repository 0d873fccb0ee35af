#!/usr/bin/env bash
# Build Kelp (release) and time it against the peer interpreters in
# ../shared/bench-peers, printing one Markdown table; the table is also written
# to Benchmarks/results/latest.md. Benchmarks are never run as timed tests.
#
# Usage (from anywhere):
#   Benchmarks/run.sh                        # all benchmarks, all installed peers
#   Benchmarks/run.sh --only 'fib tak'       # some benchmarks
#   RUNS=10 WARMUP=2 TIMEOUT=60 Benchmarks/run.sh
#   SKIP_BUILD=1 Benchmarks/run.sh           # reuse the existing release binary
#   BENCH_PEERS=/path/to/bench-peers Benchmarks/run.sh
# Extra arguments go to the peers' run.sh unchanged (see its --help).
# Note: the peers' run.sh word-splits the command prefix, so the repository
# path must not contain spaces.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PEERS="${BENCH_PEERS:-$ROOT/../shared/bench-peers}"
if [ ! -x "$PEERS/run.sh" ]; then
  echo "peer benchmarks not found: $PEERS/run.sh (set BENCH_PEERS)" >&2
  exit 2
fi
PEERS="$(cd "$PEERS" && pwd)"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  swift build -c release --product kelp
fi
KELP="$ROOT/.build/release/kelp"
if [ ! -x "$KELP" ]; then
  echo "kelp binary not found: $KELP" >&2
  exit 2
fi

mkdir -p "$ROOT/Benchmarks/results"
{
  echo "# Kelp vs peer interpreters"
  echo
  REV="$(git -C "$ROOT" rev-parse -q --verify --short HEAD 2>/dev/null || echo 'no commit yet')"
  if [ -n "$(git -C "$ROOT" status --porcelain -- Sources Package.swift 2>/dev/null)" ]; then
    REV="$REV + uncommitted changes in Sources/"
  fi
  echo "Kelp: $REV; run as \`$KELP run FILE.kelp\`"
  echo "Command: Benchmarks/run.sh$(printf ' %q' "$@")"
  "$PEERS/run.sh" --impl kelp "$KELP run" .kelp "$ROOT/Benchmarks/peers" "$@"
} | tee "$ROOT/Benchmarks/results/latest.md"
