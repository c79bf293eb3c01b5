#!/usr/bin/env bash
# Publishes mcpplan as a Native AOT binary for this machine's platform into artifacts/native/.
# Native AOT needs a C toolchain and zlib headers; on Debian/Ubuntu they are installed here if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
rid="${1:-linux-x64}"
if [ "$(uname -s)" = "Linux" ] && { ! command -v clang >/dev/null 2>&1 || ! dpkg -s zlib1g-dev >/dev/null 2>&1; }; then
  apt-get update -qq && apt-get install -y -qq clang zlib1g-dev
fi
dotnet publish src/McpPlanServer.Cli -c Release -r "$rid" -p:PublishAot=true -o "artifacts/native/$rid"
echo "artifacts/native/$rid/mcpplan (next to it: the libgit2 library it loads)"
