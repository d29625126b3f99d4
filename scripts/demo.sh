#!/usr/bin/env bash
# The README's main command: installs what is needed, then runs `distdepth demo` end to end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"
exec dotnet "$ROOT/src/Cli/bin/Release/net10.0/distdepth.dll" demo "$@"
