#!/usr/bin/env bash
# Wall time of `mcpplan hook` on a typical PreToolUse payload (an implementer's Bash call), as Claude Code
# starts it: one process per tool call. Usage: bench/hook-startup.sh EXE [RUNS] -> median, p90, min in ms.
set -euo pipefail
exe=$(realpath "$1"); runs=${2:-50}
repo=$(mktemp -d); trap 'rm -rf "$repo"' EXIT
git -C "$repo" init -q && "$exe" init --repo "$repo" --allow-machine-path >/dev/null
payload=$(printf '{"session_id":"s","transcript_path":"/tmp/t.jsonl","cwd":"%s","permission_mode":"default","hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"git status && dotnet test tests/App.Tests --filter Unit > out.txt","description":"Run tests"}}' "$repo")
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  printf '%s' "$payload" | MCPPLAN_ROLE=implementer "$exe" hook >/dev/null 2>&1 || true
  times+=($(( ($(date +%s%N) - start) / 1000 )))
done
printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "runs %d  median %.1f ms  p90 %.1f ms  min %.1f ms\n", NR, a[int((NR + 1) / 2)] / 1000, a[int(NR * 0.9)] / 1000, a[1] / 1000 }'
