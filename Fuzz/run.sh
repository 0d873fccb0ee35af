#!/usr/bin/env bash
# Builds one libFuzzer target with AddressSanitizer and runs it.
#
#   Fuzz/run.sh TARGET SECONDS [libFuzzer flags...]
#   Fuzz/run.sh TARGET build           only build: .build-fuzz/fuzz/TARGET
#
# TARGET is reader, evaluator, manifest, kubectl, selector, cron, notebook or shell
# (Fuzz/TARGET.swift).
# The library modules are built once by SwiftPM into its own scratch folder (.build-fuzz, or
# $KELP_FUZZ_SCRATCH), instrumented for the fuzzer, then each target's entry file is linked
# against their object files with swiftc. New inputs go to Fuzz/corpus-grown/TARGET (the seeds
# in Fuzz/corpus/TARGET stay as committed); crashes, timeouts and out-of-memory inputs go to
# Fuzz/crashes/TARGET/. The run's log is Fuzz/crashes/TARGET/fuzz.log.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
target=${1:?usage: Fuzz/run.sh TARGET SECONDS|build [libFuzzer flags...]}
seconds=${2:?usage: Fuzz/run.sh TARGET SECONDS|build [libFuzzer flags...]}
shift 2
[ -f "$here/$target.swift" ] || { echo "run.sh: no Fuzz/$target.swift" >&2; exit 2; }
scratch=${KELP_FUZZ_SCRATCH:-$root/.build-fuzz}
jobs=${KELP_FUZZ_JOBS:-2}

# The modules get the fuzzer's instrumentation (what -sanitize=fuzzer adds) without its runtime:
# SwiftPM passes -Xswiftc flags to the build tool the stdlib plugin runs too, and libFuzzer's
# main() would take that executable's place. The runtime comes in when a target is linked.
# -enable-testing lets an entry file `@testable import` a module for an internal initialiser.
swift_flags=(-sanitize=address -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table
  -enable-testing -g)
spm=(swift build -c release --scratch-path "$scratch" -j "$jobs")
for flag in "${swift_flags[@]}"; do spm+=(-Xswiftc "$flag"); done

cd "$root"
echo "== building the Kelp modules for fuzzing (${spm[*]})" >&2
"${spm[@]}" --target KelpNotebook >&2
bin=$("${spm[@]}" --show-bin-path)

# Every library module the targets can import, and what those depend on.
modules=(KelpLisp KelpCluster KelpDSL KelpNotebook Yams CYaml OrderedCollections HeapModule
  HashTreeCollections InternalCollectionsUtilities Ink Plot)
objects=()
for module in "${modules[@]}"; do
  found=()
  [ -d "$bin/$module.build" ] && while IFS= read -r object; do found+=("$object"); done \
    < <(find "$bin/$module.build" -name '*.o' | sort)
  [ ${#found[@]} -gt 0 ] || { echo "run.sh: no objects for $module in $bin" >&2; exit 1; }
  objects+=("${found[@]}")
done
yams_modulemap=$(find "$scratch/checkouts/Yams/Sources/CYaml" -name module.modulemap | head -1)

executable=$scratch/fuzz/$target
mkdir -p "$scratch/fuzz"
echo "== linking $executable" >&2
swiftc -parse-as-library -O -sanitize=fuzzer,address -g \
  -module-cache-path "$scratch/fuzz/ModuleCache" -I "$bin/Modules" \
  -Xcc -fmodule-map-file="$yams_modulemap" \
  "$here/$target.swift" "${objects[@]}" -o "$executable" 2> >(grep -v "Cannot export local symbol" >&2)
[ "$seconds" = build ] && exit 0

seeds=$here/corpus/$target
[ -d "$seeds" ] || "$here/seed.sh" "$target" >&2
grown=$here/corpus-grown/$target
crashes=$here/crashes/$target
mkdir -p "$grown" "$crashes"
# Tokens libFuzzer splices into inputs: the language's, kubectl's, YAML's…
case $target in
reader | evaluator) dict=kelp ;;
manifest) dict=yaml ;;
*) dict=$target ;;
esac
dict_flag=()
[ -f "$here/dict/$dict.dict" ] && dict_flag=(-dict="$here/dict/$dict.dict")

# Swift's own backtracer would race libFuzzer's handlers for a crash's signal; ASan prints the
# stack. Leak checking is off: the interpreter keeps interned symbols and source maps on purpose.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:symbolize=1}
export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$(dirname "$(command -v swiftc)")/llvm-symbolizer}
echo "== fuzzing $target for ${seconds}s (log: $crashes/fuzz.log)" >&2
set +e
# Fork mode (one child at a time) goes on after a crash, a timeout or running out of memory, so a
# run of SECONDS fuzzes for SECONDS; KELP_FUZZ_FORK=0 stops at the first finding instead.
fork=()
[ "${KELP_FUZZ_FORK:-1}" = 0 ] || fork=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
"$executable" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
  -detect_leaks=0 -print_final_stats=1 -close_fd_mask=1 -artifact_prefix="$crashes/" "${fork[@]}" \
  ${dict_flag[@]+"${dict_flag[@]}"} "$@" "$grown" "$seeds" </dev/null 2>&1 | tee "$crashes/fuzz.log" | grep -E '^(#[0-9]+:? +(INITED|DONE|pulse|cov)|==|SUMMARY|artifact_prefix|stat::|INFO: (fuzzed|exiting))' >&2
status=${PIPESTATUS[0]}
set -e
echo "== $target: exit status $status; grown corpus $(find "$grown" -type f | wc -l) inputs;" \
  "$(find "$crashes" -type f ! -name fuzz.log | wc -l) crash/timeout/oom files in $crashes" >&2
exit "$status"
