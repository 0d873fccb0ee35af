#!/usr/bin/env bash
# Prints the Markdown table of every name Kelp defines at start-up, from the interpreter's own
# doc strings. docs/language.md's "Every name" section is the language's part:
#   docs/tools/builtins-table.sh language > /tmp/table.md
# and docs/dsl.md's table is the cluster DSL's part (every name not in docs/language.md):
#   docs/tools/builtins-table.sh dsl > /tmp/table.md
set -euo pipefail
part=${1:-language}
kelp=${2:-.build/debug/kelp}
echo "| name | usage | what it does |"
echo "|---|---|---|"
"$kelp" -e '(for-each println (apropos ""))' | while IFS= read -r name; do
  [ "$name" = "*command-line-args*" ] && continue
  if grep -qF "| \`$name\` |" docs/language.md; then
    [ "$part" = "dsl" ] && continue
  else
    [ "$part" = "language" ] && continue
  fi
  doc=$("$kelp" -e "(doc '$name)")
  usage=$(printf '%s\n' "$doc" | head -n 1)
  text=$(printf '%s\n' "$doc" | tail -n +2 | sed 's/^ *//' | tr '\n' ' ' | sed 's/ *$//; s/|/\\|/g')
  printf '| `%s` | `%s` | %s |\n' "$name" "${usage//|/\\|}" "$text"
done
