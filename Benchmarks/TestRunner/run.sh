#!/usr/bin/env bash
# `kelp test` on a folder of small scenario tests (default 200: 20 files of 10 tests), side by
# side with the same scenarios run the way a CI script without a test runner would: one
# `kelp run` process per test. Prints wall seconds and peak memory of each.
#
#   Benchmarks/TestRunner/run.sh [TESTS]      (builds kelp in release first)
set -euo pipefail
tests=${1:-200}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swift build -c release --product kelp --package-path "$root" >/dev/null
kelp="$root/.build/release/kelp"

# The scenarios: a Deployment rolled out, a pod crashed and a node lost, each asserted on the
# virtual clock, as the examples are written; varied by index so no two are the same.
mkdir -p "$work/suite" "$work/single"
for ((i = 0; i < tests; i++)); do
  replicas=$((2 + i % 4))
  file="$work/suite/group$((i / 10))_test.kelp"
  body=$(cat <<KELP
(deftest "scenario $i" :seed $i
  (deployment "web" :image "nginx:1.25" :replicas $replicas)
  (eventually (= $replicas (length (filter (lambda (p) (get p :ready)) (pods :selector "app=web")))) :within "1m")
  (kill-pod :selector "app=web" :mode "one")
  (fail-node "node-$((1 + i % 3))" :for "2m")
  (always (>= (length (pods :selector "app=web")) $((replicas - 2))) :for "3m")
  (eventually (= $replicas (length (filter (lambda (p) (get p :ready)) (pods :selector "app=web")))) :within "10m"))
KELP
)
  printf '%s\n\n' "$body" >>"$file"
  printf '%s\n' "$body" >"$work/single/scenario$i.kelp"
done

measure() {  # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>&1 || true
  read -r seconds kilobytes < <(tail -1 "$work/time")
  printf '| %s | %s s | %d MiB | %s |\n' "$label" "$seconds" $((kilobytes / 1024)) "$(tail -1 "$work/out")"
}

echo "| run ($tests tests) | wall | peak memory | last line |"
echo "|---|---|---|---|"
measure "kelp test on the folder" "$kelp" test "$work/suite"
measure "kelp run, one process per test" bash -c "for f in '$work'/single/*.kelp; do '$kelp' run \"\$f\" || exit 1; done; echo all ran"
