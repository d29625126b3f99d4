#!/usr/bin/env bash
# The README's test command: installs what is needed, then runs every test project.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
# Each test process writes under its own folder here (tests/TestSupport/TempFolder.cs). Another test run
# on this machine may be using the others: only this run's are removed, at the end.
tests_tmp="${TMPDIR:-/tmp}/distdepth-tests" # where Path.GetTempPath() puts it
mkdir -p "$tests_tmp"
earlier="$(ls "$tests_tmp")"
log="$(mktemp)"
status=0
dotnet test "$ROOT/DistDepth.sln" -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?
# The test hosts are ended without running their exit handlers, which would delete these (2 GB a run).
shopt -s nullglob
for dir in "$tests_tmp/$(hostname)"-pid*; do
  name="$(basename "$dir")"
  grep -qxF "$name" <<<"$earlier" && continue
  kill -0 "${name##*-pid}" 2>/dev/null && continue # still running (or the id is reused): TempFolder sweeps it later
  rm -rf "$dir"
done
# The clone's footprint after a full build and test run (hard links into the NuGet cache count once).
echo "clone size: $(du -sh "$ROOT" | cut -f1)"
# One plain closing line for CI, summed over the test assemblies.
awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit $status
