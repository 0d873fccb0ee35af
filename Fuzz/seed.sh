#!/usr/bin/env bash
# Builds the seed corpus of a fuzz target, Fuzz/corpus/TARGET, from what the repository already
# holds: scripts, manifests, notebooks, and the kubectl lines, selectors and schedules its tests
# use. Deterministic: each seed is named by the SHA-1 of its bytes, as libFuzzer names its own.
#
#   Fuzz/seed.sh TARGET      (reader evaluator manifest kubectl selector cron notebook shell, or all)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
k8s_examples=${KELP_K8S_EXAMPLES:-$root/../shared/k8s-examples}
cd "$root"

# One seed per line of standard input (empty lines skipped).
lines_to() {
  local dir=$1 line
  while IFS= read -r line; do
    [ -n "$line" ] && printf '%s' "$line" | save "$dir"
  done
}

# Standard input as one seed.
save() {
  local dir=$1 tmp
  tmp=$(mktemp)
  cat >"$tmp"
  mv "$tmp" "$dir/$(sha1sum "$tmp" | cut -c1-40)"
}

files_to() {
  local dir=$1 file
  while IFS= read -r file; do save "$dir" <"$file"; done
}

# Kelp string literals after a prefix (`(kubectl "`, `:selector "`), unescaped.
kelp_strings() {
  local prefix=$1
  shift
  grep -rhoE "$prefix\"([^\"\\\\]|\\\\.)*\"" "$@" 2>/dev/null |
    sed -E "s/^$prefix\"//; s/\"$//" | perl -pe 's/\\(.)/$1/g' | sort -u
}

kubectl_lines() {
  kelp_strings '\(kubectl ' examples Tests stdlib --include='*.kelp' --include='*.md'
  kelp_strings '\(watch-kubectl ' examples Tests --include='*.kelp' --include='*.md'
  cat Tests/fixtures/*/commands.txt
  # Command lines in the Swift tests: string literals that start with a kubectl verb.
  grep -rhoE '"(get|describe|run|create|apply|delete|label|annotate|patch|replace|taint|rollout|scale|set|expose|autoscale|logs|top|events|explain|cordon|uncordon|drain|config|api-resources|api-versions|version|exec|wait|diff) [^"]*"' \
    Tests --include='*.swift' | sed -E 's/^"//; s/"$//'
}

seed() {
  local target=$1 dir=$here/corpus/$1
  rm -rf "$dir"
  mkdir -p "$dir"
  case $target in
  reader | evaluator)
    find examples Tests stdlib -name '*.kelp' | sort | files_to "$dir"
    ;;
  manifest)
    find "$k8s_examples" Tests/fixtures examples \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) |
      sort | files_to "$dir"
    # kubectl's own YAML and JSON (recorded `create --dry-run -o yaml` output).
    grep -lE '^(apiVersion:|\{)' Tests/fixtures/kubectl-create/*.out | files_to "$dir"
    ;;
  kubectl)
    kubectl_lines | sort -u | lines_to "$dir"
    ;;
  selector)
    {
      kubectl_lines | grep -oE "(-l|--selector)[ =]('[^']*'|\"[^\"]*\"|[^ ]+)" |
        sed -E "s/^(-l|--selector)[ =]//; s/^['\"]//; s/['\"]$//"
      kelp_strings ':selector ' examples Tests --include='*.kelp' --include='*.md'
      grep -rhoE 'LabelSelector\(parsing: "[^"]*"' Tests | sed -E 's/^[^"]*"//; s/"$//'
      printf '%s\n' 'app=web' 'app==web' 'app!=web' 'app' '!app' 'app in (web,api)' \
        'app notin (web)' 'x in (in,notin)' 'replicas>2' 'replicas<10' \
        'environment in (production, qa),tier notin (frontend,backend),partition' \
        'app.kubernetes.io/name=web,!kubernetes.io/hostname' 'a=,b=' 'a in ()'
    } | sort -u | lines_to "$dir"
    ;;
  cron)
    {
      kelp_strings ':schedule ' examples Tests --include='*.kelp' --include='*.md'
      grep -rhoE 'schedule: "[^"]*"' "$k8s_examples" examples Tests --include='*.yaml' |
        sed -E 's/^schedule: "//; s/"$//'
      grep -rhoE 'CronSchedule\(parsing: "[^"]*"' Tests | sed -E 's/^[^"]*"//; s/"$//'
      printf '%s\n' '@yearly' '@monthly' '@weekly' '@daily' '@midnight' '@every 90s' \
        '@every 1h30m' '0 0 29 2 *' '0 0 1,15 * 3' '*/15 9-17 * * mon-fri' '5 4 * * sun' \
        '0 22 * * 1-5' 'CRON_TZ=Europe/Berlin 0 2 * * *' '0-59/7 */2 1-31/3 jan-dec/2 *' '? ? ? ? ?'
      # Second line: spec.timeZone (through a daylight-saving change and an unknown zone).
      printf '%s\n%s' '30 2 * * *' 'America/New_York' | save "$dir"
      printf '%s\n%s' '0 1 * * *' 'Europe/London' | save "$dir"
      printf '%s\n%s' '0 9 * * *' 'Mars/Olympus' | save "$dir"
    } | sort -u | lines_to "$dir"
    ;;
  shell)
    {
      kelp_strings '"-c" ' examples Tests --include='*.kelp' --include='*.md'
      kelp_strings '\(exec "[a-z0-9.-]*" ' examples Tests --include='*.kelp' --include='*.md'
      printf '%s\n' 'echo "$HOME, ${HOSTNAME}!" '"'"'$HOME'"'"' \$N; false || echo $?' \
        'items=(a b c); echo ${items[$N]} ${items[@]} ${#items} ${MISSING:-x}' \
        'while true; do echo hi >> /tmp/f 2>&1; sleep 5; done' 'test -f /x && exit 3 || exit 4'
    } | sort -u | lines_to "$dir"
    ;;
  notebook)
    find examples Tests \( -name '*.md' -o -name '*.kelp.md' \) | sort | files_to "$dir"
    ;;
  *)
    echo "seed.sh: unknown target $target" >&2
    exit 2
    ;;
  esac
  echo "corpus/$target: $(find "$dir" -type f | wc -l) seeds, $(du -sh "$dir" | cut -f1)"
}

targets=${1:?usage: Fuzz/seed.sh TARGET|all}
if [ "$targets" = all ]; then targets="reader evaluator manifest kubectl selector cron notebook shell"; fi
for target in $targets; do seed "$target"; done
