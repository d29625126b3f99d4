#!/usr/bin/env bash
# The README's test command: installs what is needed, then runs every test project.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
# Tests write their data under here; start each run from nothing so repeated runs do not fill the disk.
rm -rf "${TMPDIR:-/tmp}/distdepth-tests"
log="$(mktemp)"
status=0
dotnet test "$ROOT/DistDepth.sln" -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?
# The clone's footprint after a full build and test run (hard links into the NuGet cache count once).
echo "clone size: $(du -sh "$ROOT" | cut -f1)"
# One plain closing line for CI, summed over the test assemblies.
awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit $status
