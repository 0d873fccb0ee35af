#!/usr/bin/env bash
# Prints the Markdown table of every name Kelp defines at start-up, from the interpreter's own
# doc strings: docs/language.md's "Every name" section is this script's output.
#   docs/tools/builtins-table.sh [path/to/kelp] > /tmp/table.md
set -euo pipefail
kelp=${1:-.build/debug/kelp}
echo "| name | usage | what it does |"
echo "|---|---|---|"
"$kelp" -e '(for-each println (apropos ""))' | while IFS= read -r name; do
  [ "$name" = "*command-line-args*" ] && continue
  doc=$("$kelp" -e "(doc '$name)")
  usage=$(printf '%s\n' "$doc" | head -n 1)
  text=$(printf '%s\n' "$doc" | tail -n +2 | sed 's/^ *//' | tr '\n' ' ' | sed 's/ *$//; s/|/\\|/g')
  printf '| `%s` | `%s` | %s |\n' "$name" "${usage//|/\\|}" "$text"
done
