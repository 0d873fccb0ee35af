#!/usr/bin/env bash
# The soak (issue 10): RUNS seeded chaos runs of a realistic cluster (3 namespaces, two
# Deployments with Services, a PersistentVolumeClaim, an HPA under load, a DaemonSet, a CronJob
# under a ResourceQuota), 6 virtual hours each with a fault every 5 minutes and four invariants
# checked after every event. Prints the violations (must be 0), wall time and peak memory.
#
#   Benchmarks/soak/run.sh [RUNS] [FIRST-SEED]      (default 1000 runs from seed 1)
set -euo pipefail
runs=${1:-1000}
first=${2:-1}
root=$(cd "$(dirname "$0")/../.." && pwd)
swift build -c release --product kelp --package-path "$root" >/dev/null
kelp="$root/.build/release/kelp"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
/usr/bin/time -f "wall %e s, peak memory %M KiB" -o "$log" \
  "$kelp" run --trust "$root/Benchmarks/soak/soak.kelp" "$runs" "$first" || status=$?
cat "$log"
exit $status
